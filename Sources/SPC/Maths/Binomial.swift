/// Quantiles of the symmetric binomial distribution, for the Anhøj crossings rule.
///
/// The crossings rule signals when the number of times the data cross the centre line is below
/// the 5th percentile of Binomial(n − 1, ½), n being the useful observations (Chen 2010, eq. 7;
/// qicharts2 `runs.analysis` calls R's `qbinom(0.05, n - 1, 0.5)`). This is the exact quantile,
/// not a normal approximation: the smallest k with P(X ≤ k) ≥ p.
enum Binomial {
    /// R's `qbinom` searches with the probability shrunk by 64 machine epsilons so that a
    /// cumulative probability that equals p up to rounding still counts as reaching it
    /// (R `src/nmath/qbinom.c`); the same fuzz keeps us in step with it.
    private static let fuzz = 1 - 64 * Double.ulpOfOne

    /// The smallest k in 0...trials with P(X ≤ k) ≥ p for X ~ Binomial(trials, ½); 0 for no trials.
    ///
    /// Up to 52 trials the cumulative counts Σ C(trials, i) are integers below 2⁵³, so the
    /// comparison with 2^trials · p is exact. Beyond that the terms are built by the ratio
    /// C(N, i) = C(N, i − 1)·(N − i + 1)/i with a running power-of-two scale, so nothing overflows
    /// and the relative error stays near i·ε (about 1e-13 at 1,000 trials).
    static func quantileOfHalf(_ p: Double, trials: Int) -> Int {
        if trials <= 0 { return 0 }
        let target = p * fuzz
        if trials <= 52 {
            let needed = target * Double(sign: .plus, exponent: trials, significand: 1)
            var coefficient: UInt64 = 1
            var cumulative: UInt64 = 1
            var k = 0
            while Double(cumulative) < needed && k < trials {
                k += 1
                coefficient = coefficient * UInt64(trials - k + 1) / UInt64(k)
                cumulative += coefficient
            }
            return k
        }
        // Work with terms scaled by 2^(−trials + shift): start at C(N, 0) · 2^(−N), kept as
        // mantissa `term` and a binary exponent `scale` that is folded in when the sum is compared.
        var term = 1.0
        var cumulative = 1.0
        var scale = -trials  // value = stored · 2^scale
        var k = 0
        while k < trials {
            let value = cumulative * powerOfTwo(scale)
            if value >= target { return k }
            k += 1
            term *= Double(trials - k + 1) / Double(k)
            cumulative += term
            if cumulative > 0x1p500 {
                term *= 0x1p-500
                cumulative *= 0x1p-500
                scale += 500
            }
        }
        return trials
    }

    private static func powerOfTwo(_ exponent: Int) -> Double {
        if exponent < -1074 { return 0 }
        if exponent < -1022 {
            return Double(sign: .plus, exponent: -1022, significand: 1)
                * Double(sign: .plus, exponent: exponent + 1022, significand: 1)
        }
        return Double(sign: .plus, exponent: exponent, significand: 1)
    }

    /// The 5th percentile of crossings for n useful observations, cached for the common sizes.
    static func crossingsMinimum(useful n: Int) -> Int {
        if n < crossingsTable.count { return crossingsTable[n] }
        return quantileOfHalf(0.05, trials: n - 1)
    }

    /// Computed once on first use (a global `let` is initialised lazily and thread-safely), so the
    /// dashboard path never repeats the search for charts of up to 1,024 useful points.
    private static let crossingsTable: [Int] = (0...1024).map { quantileOfHalf(0.05, trials: $0 - 1) }
}

/// round(log₂ n) for n ≥ 1, exactly, without a floating-point logarithm.
///
/// log₂ n is irrational unless n is a power of two, so it is never exactly halfway and
/// rounding reduces to: k = ⌊log₂ n⌋, plus one when n ≥ 2^(k + ½), i.e. when n² ≥ 2^(2k + 1).
func roundedLog2(_ n: Int) -> Int {
    precondition(n >= 1)
    let k = Int.bitWidth - 1 - n.leadingZeroBitCount
    let square = n.multipliedReportingOverflow(by: n)
    if square.overflow {  // beyond 3·10⁹ points: a double comparison is exact enough there
        return Double(n) >= Double(sign: .plus, exponent: k, significand: 1) * 2.0.squareRoot() ? k + 1 : k
    }
    return square.partialValue >= (1 << (2 * k + 1)) ? k + 1 : k
}
