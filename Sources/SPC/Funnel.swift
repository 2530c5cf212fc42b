/// Funnel plots: units (wards, hospitals) of different sizes compared with the overall proportion
/// or rate, with limits that narrow as the size grows, so a unit is judged against what chance
/// allows for its size rather than ranked in a league table.
///
///     proportions:  θ₀ = Σy/Σn,  sᵢ² = θ₀(1 − θ₀)/nᵢ,  limits clipped to [0, 1]   (binomial)
///     rates:        θ₀ = Σy/Σn,  sᵢ² = θ₀/nᵢ,          lower limit at least 0    (Poisson)
///     limits:       θ₀ ± z·√(sᵢ² + τ²),  z = 1.960 (95%) and 3.090 (99.8%)
///
/// The 95% and 99.8% limits are Spiegelhalter's (Funnel plots for comparing institutional
/// performance, Statistics in Medicine 2005;24:1185–1202), as Public Health England's funnel
/// plots use. τ² is zero unless the units vary more than chance allows (over-dispersion), when the
/// limits widen by a random-effects estimate of the between-unit variance (Spiegelhalter, Handling
/// over-dispersion of performance indicators, Qual Saf Health Care 2005;14:347–351):
///
///     zᵢ = (yᵢ/nᵢ − θ₀)/sᵢ, winsorised to their 10th and 90th percentiles
///     φ = Σzᵢ²/I
///     τ² = (Iφ − (I − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ),  wᵢ = 1/sᵢ²
///
/// Without over-dispersion Iφ is about χ² on I − 1 degrees of freedom, so the limits widen only
/// when Iφ is beyond its upper 5% point (as the paper suggests): with a handful of units φ is noisy,
/// and limits that widened whenever Iφ > I − 1 would widen half the time by chance.
///
/// Without the adjustment, pooling a year of bed days makes every ward "large", and real but
/// unremarkable differences between wards fall outside limits meant for chance alone.
public enum Funnel {
    public enum Kind: Sendable, Hashable {
        /// y of n, e.g. patients harmed of patients seen.
        case proportion
        /// y per unit of exposure, e.g. incidents per bed day.
        case rate
    }

    /// Two-sided 95% and 99.8% points of the standard normal distribution.
    public static let z95 = 1.959_964
    public static let z998 = 3.090_232

    /// The limits for one size of unit.
    public struct Limits: Sendable, Hashable {
        public var size: Double
        public var lower998: Double
        public var lower95: Double
        public var upper95: Double
        public var upper998: Double

        public init(size: Double, lower998: Double, lower95: Double, upper95: Double, upper998: Double) {
            self.size = size
            self.lower998 = lower998
            self.lower95 = lower95
            self.upper95 = upper95
            self.upper998 = upper998
        }
    }

    /// One unit compared with the funnel.
    public struct Unit: Sendable, Hashable {
        public var name: String
        /// Events or numerator.
        public var count: Double
        /// Denominator or exposure.
        public var size: Double

        public init(name: String, count: Double, size: Double) {
            self.name = name
            self.count = count
            self.size = size
        }

        /// count / size; nil for a size of 0.
        public var value: Double? { size > 0 && size.isFinite && count.isFinite ? count / size : nil }
    }

    /// Where a unit sits against the limits for its size.
    public enum Position: Sendable, Hashable, CaseIterable {
        case above998, above95, within, below95, below998, noData
    }

    /// Units on one funnel: the centre, the dispersion, and each unit's limits and position.
    public struct Analysis: Sendable, Hashable {
        public var kind: Kind
        public var units: [Unit]
        /// θ₀, Σy/Σn over the units with a size; NaN when none has one.
        public var centre: Double
        /// φ, the units' spread relative to chance (1 is as chance allows).
        public var dispersion: Double
        /// τ², the between-unit variance the limits were widened by; 0 when they were not.
        public var tau2: Double

        public var isAdjusted: Bool { tau2 > 0 }

        /// The variance chance alone gives a unit of this size.
        func variance(size: Double) -> Double {
            kind == .proportion ? centre * (1 - centre) / size : centre / size
        }

        public func limits(at size: Double) -> Limits {
            let spread = (variance(size: size) + tau2).squareRoot()
            let ceiling = kind == .proportion ? 1.0 : .infinity
            func line(_ z: Double) -> Double {
                let x = centre + z * spread
                return x.isFinite ? min(max(x, 0), ceiling) : .nan
            }
            return Limits(
                size: size, lower998: line(-z998), lower95: line(-z95), upper95: line(z95), upper998: line(z998))
        }

        public func position(of unit: Unit) -> Position {
            guard let value = unit.value, centre.isFinite else { return .noData }
            let limits = limits(at: unit.size)
            if value > limits.upper998 { return .above998 }
            if value > limits.upper95 { return .above95 }
            if value < limits.lower998 { return .below998 }
            if value < limits.lower95 { return .below95 }
            return .within
        }
    }

    /// Σcount / Σsize over the units with a size.
    public static func overall(_ units: [Unit]) -> Double {
        var count = 0.0
        var size = 0.0
        for unit in units where unit.value != nil {
            count += unit.count
            size += unit.size
        }
        return size > 0 ? count / size : .nan
    }

    /// The funnel of `units`, its limits widened for over-dispersion unless `adjust` is false.
    public static func analyse(_ units: [Unit], kind: Kind, adjust: Bool = true) -> Analysis {
        var analysis = Analysis(kind: kind, units: units, centre: overall(units), dispersion: .nan, tau2: 0)
        let sized = units.filter { $0.value != nil }
        let variances = sized.map { analysis.variance(size: $0.size) }
        guard sized.count >= 2, analysis.centre.isFinite, variances.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            return analysis
        }
        let z = zip(sized, variances).map { unit, variance in (unit.value! - analysis.centre) / variance.squareRoot() }
        let (low, high) = (quantile(z, 0.1), quantile(z, 0.9))
        let count = Double(z.count)
        let phi =
            z.reduce(0) { sum, value in
                let w = min(max(value, low), high)
                return sum + w * w
            } / count
        analysis.dispersion = phi
        guard adjust, count * phi > chiSquare95(degreesOfFreedom: count - 1) else { return analysis }
        let weights = variances.map { 1 / $0 }
        let total = weights.reduce(0, +)
        let squares = weights.reduce(0) { $0 + $1 * $1 }
        analysis.tau2 = max(0, (count * phi - (count - 1)) / (total - squares / total))
        return analysis
    }

    /// The upper 5% point of χ² on `k` degrees of freedom, by Wilson and Hilferty's cube-root
    /// approximation (The distribution of chi-square, PNAS 1931;17:684–688): within 1% of the exact
    /// value from k = 2 (5.94 against 5.99) and closer as k grows.
    static func chiSquare95(degreesOfFreedom k: Double) -> Double {
        let v = 2 / (9 * k)
        let root = 1 - v + 1.644_854 * v.squareRoot()
        return k * root * root * root
    }

    /// The p-quantile by linear interpolation between order statistics (Hyndman and Fan's type 7,
    /// R's default, as funnel-plot software in R winsorises with).
    static func quantile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        let position = p * Double(sorted.count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
