/// Control chart constants for subgroups of size n, from the bias of the sample standard deviation.
///
///     c₄(n) = √(2/(n − 1)) · Γ(n/2) / Γ((n − 1)/2),   c₅ = √(1 − c₄²)
///     A₃ = 3 / (c₄√n),   B₃ = max(0, 1 − 3c₅/c₄),   B₄ = 1 + 3c₅/c₄
///
/// With `sigmas: 2` the same formulas give the 2σ lines (qicharts2 `use.95`). Sizes of 1 or less
/// have no standard deviation, so every constant is NaN (an undefined limit).
/// Source: Montgomery, Introduction to Statistical Quality Control, appendix table VI and
/// eq. 6.27–6.31 (via qicharts2 `c4`, `a3`, `b3`, `b4` in R/helper.functions.R).
enum SubgroupConstants {
    /// c₄(n). The gamma ratio is built without a gamma function from Γ(x + 1) = xΓ(x):
    /// r(n) = Γ(n/2)/Γ((n−1)/2) has r(2) = 1/√π, r(3) = √π/2 and r(n + 2) = r(n)·n/(n − 1).
    /// Sizes are whole numbers of rows; a fractional size is rounded down.
    static func c4(_ n: Double) -> Double {
        guard n > 1, n.isFinite else { return .nan }
        let size = Int(n)
        if size < 2 { return .nan }
        if size < cache.count { return cache[size] }
        return computeC4(size)
    }

    private static let cache: [Double] = (0..<512).map { $0 < 2 ? .nan : computeC4($0) }

    private static func computeC4(_ n: Int) -> Double {
        let rootPi = Double.pi.squareRoot()
        var ratio = n % 2 == 0 ? 1 / rootPi : rootPi / 2
        var m = n % 2 == 0 ? 2 : 3
        while m < n {
            ratio *= Double(m) / Double(m - 1)
            m += 2
        }
        return (2 / Double(n - 1)).squareRoot() * ratio
    }

    static func c5(_ n: Double) -> Double {
        let c = c4(n)
        return (1 - c * c).squareRoot()
    }

    static func a3(_ n: Double, sigmas: Double = 3) -> Double {
        sigmas / (c4(n) * n.squareRoot())
    }

    static func b3(_ n: Double, sigmas: Double = 3) -> Double {
        let b = 1 - sigmas * c5(n) / c4(n)
        return b.isNaN ? .nan : max(0, b)
    }

    static func b4(_ n: Double, sigmas: Double = 3) -> Double {
        1 + sigmas * c5(n) / c4(n)
    }
}
