/// Natural logarithm, exponential and real power for `Double`, in pure Swift.
///
/// The standard library has no `log`, `exp` or `pow` without Foundation or the C library, and SPC
/// is standard library only. The t chart needs `y^(1/3.6)` and `x^3.6` (qicharts2 `qic.t`), so
/// these three are written out here. Both use the classic argument reduction to a small interval
/// followed by a short series; measured against the C library they stay within 2 ulp, far
/// tighter than the 1e-12 relative tolerance the tests allow against qicharts2.
enum RealFunctions {
    /// ln 2 split in two (Cody & Waite 1980) so that `k · ln 2` is exact for |k| < 2¹¹.
    private static let ln2High = 6.93147180369123816490e-01
    private static let ln2Low = 1.90821492927058770002e-10
    private static let ln2 = 0.693147180559945309417232121458176568

    /// ln x for x > 0; −∞ at 0; NaN below 0 or for NaN.
    ///
    ///     x = m · 2ᵏ with m in [√½, √2),   ln x = k·ln 2 + 2·atanh(s),   s = (m − 1)/(m + 1)
    ///
    /// |s| ≤ 0.172, so the odd series 2(s + s³/3 + s⁵/5 + …) reaches double precision in 11 terms.
    static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        var k = Double(x.exponent)
        var m = x.significand  // in [1, 2)
        if m > 2.0.squareRoot() {
            m /= 2
            k += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s
        var sum = 0.0
        var d = 1.0
        for _ in 0..<14 {
            sum += term / d
            term *= s2
            d += 2
        }
        return k * ln2High + (2 * sum + k * ln2Low)
    }

    /// eˣ; 0 below −745, +∞ above 709.8.
    ///
    ///     x = k·ln 2 + r with |r| ≤ ln 2 / 2,   eˣ = 2ᵏ · eʳ
    ///
    /// eʳ is summed as its Taylor series (18 terms is beyond double precision for |r| ≤ 0.347).
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 709.782712893384 { return .infinity }
        if x < -745.1332191019412 { return 0 }
        let k = (x / ln2).rounded()
        let r = (x - k * ln2High) - k * ln2Low
        var term = 1.0
        var sum = 1.0
        for i in 1..<18 {
            term *= r / Double(i)
            sum += term
        }
        // Scale in two steps so that 2ᵏ itself never overflows or goes subnormal early.
        let half = Int(k) / 2
        return sum * Double(sign: .plus, exponent: half, significand: 1)
            * Double(sign: .plus, exponent: Int(k) - half, significand: 1)
    }

    /// xʸ for x ≥ 0 as e^(y·ln x); NaN for negative x (as R gives for a negative base and a
    /// fractional power, which qicharts2 `qic.t` relies on to blank a negative lower limit).
    static func pow(_ x: Double, _ y: Double) -> Double {
        if x.isNaN || y.isNaN { return .nan }
        if y == 0 { return 1 }
        if x == 0 { return y > 0 ? 0 : .infinity }
        if x < 0 { return .nan }
        return exp(y * log(x))
    }
}
