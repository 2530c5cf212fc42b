/// Control limits of a funnel plot: units (wards, hospitals) of different sizes compared with
/// the overall rate, the limits narrowing as the size grows.
///
///     proportions:  p̄ ± z·√(p̄(1 − p̄)/n), clipped to [0, 1]    (binomial)
///     rates:        r̄ ± z·√(r̄/n), lower at least 0              (Poisson)
///
/// at z = 2 (about 95%) and z = 3 (about 99.8%), with p̄ or r̄ = Σy/Σn over all units. These are
/// the p and u chart limits of each unit taken as one subgroup, which is how qicharts2 draws a
/// funnel (a p or u chart with units on the x axis, sorted by size).
/// Source: Spiegelhalter, Funnel plots for comparing institutional performance, Stat Med 2005.
public enum Funnel {
    /// The limits for one size of unit.
    public struct Limits: Sendable, Hashable {
        public var size: Double
        public var lower3: Double
        public var lower2: Double
        public var upper2: Double
        public var upper3: Double

        public init(size: Double, lower3: Double, lower2: Double, upper2: Double, upper3: Double) {
            self.size = size
            self.lower3 = lower3
            self.lower2 = lower2
            self.upper2 = upper2
            self.upper3 = upper3
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
        public var value: Double? { size > 0 ? count / size : nil }
    }

    /// Σcount / Σsize over the units with a positive size.
    public static func overall(_ units: [Unit]) -> Double {
        var count = 0.0
        var size = 0.0
        for unit in units where unit.size > 0 && unit.size.isFinite && unit.count.isFinite {
            count += unit.count
            size += unit.size
        }
        return size > 0 ? count / size : .nan
    }

    /// Binomial limits for a proportion p̄ at each size, clipped to [0, 1].
    public static func proportionLimits(overall p: Double, sizes: [Double]) -> [Limits] {
        sizes.map { n in limits(centre: p, sigma: (p * (1 - p) / n).squareRoot(), size: n, ceiling: 1) }
    }

    /// Poisson limits for a rate r̄ at each exposure, lower at least 0.
    public static func rateLimits(overall rate: Double, exposures: [Double]) -> [Limits] {
        exposures.map { n in limits(centre: rate, sigma: (rate / n).squareRoot(), size: n, ceiling: .infinity) }
    }

    private static func limits(centre: Double, sigma: Double, size: Double, ceiling: Double) -> Limits {
        func line(_ z: Double) -> Double {
            let x = centre + z * sigma
            return x.isFinite ? min(max(x, 0), ceiling) : .nan
        }
        return Limits(size: size, lower3: line(-3), lower2: line(-2), upper2: line(2), upper3: line(3))
    }
}
