import Testing

@testable import SPC

@Suite("Pareto and funnel")
struct ParetoFunnelTests {
    @Test("Pareto: largest first, ties alphabetical, shares and cumulative shares")
    func pareto() {
        let bars = Pareto.bars(occurrences: ["fall", "sepsis", "fall", "delay", "fall", "delay", nil, "bed"])
        // 7 categorised: fall 3, delay 2, bed 1, sepsis 1 (tie → alphabetical).
        #expect(bars.map(\.category) == ["fall", "delay", "bed", "sepsis"])
        #expect(bars.map(\.count) == [3, 2, 1, 1])
        let shares: [Double] = [3.0 / 7, 2.0 / 7, 1.0 / 7, 1.0 / 7]
        let cumulative: [Double] = [3.0 / 7, 5.0 / 7, 6.0 / 7, 1]
        #expect(allClose(bars.map(\.share), shares))
        #expect(allClose(bars.map(\.cumulativeShare), cumulative))
    }

    @Test("Pareto: counts per category are added; negative and non-finite counts left out; all-zero shares are 0")
    func paretoCounts() {
        let bars = Pareto.bars(counts: [("a", 2), ("b", 5), ("a", 4), ("c", -1), ("d", .nan)])
        #expect(bars.map(\.category) == ["a", "b"])
        #expect(bars.map(\.count) == [6, 5])
        let zero = Pareto.bars(counts: [("a", 0)])
        #expect(zero.map(\.share) == [0])
        #expect(Pareto.bars(counts: []).isEmpty)
    }

    @Test("funnel limits for proportions at 95% and 99.8%, by hand")
    func proportions() throws {
        // Units 10/100 and 30/100: θ₀ = 40/200 = 0.2. At n = 100, s = √(0.2·0.8/100) = 0.04:
        // 95% 0.2 ± 1.959964·0.04, 99.8% 0.2 ± 3.090232·0.04. At n = 4, s = 0.2: the lower limits are
        // clipped to 0, and at θ₀ = 0.9, n = 1 the upper to 1.
        let units = [Funnel.Unit(name: "A", count: 10, size: 100), Funnel.Unit(name: "B", count: 30, size: 100)]
        let funnel = Funnel.analyse(units, kind: .proportion, adjust: false)
        #expect(isClose(funnel.centre, 0.2))
        #expect(
            allClose(lines(funnel.limits(at: 100)), [0.07639072, 0.12160144, 0.27839856, 0.32360928], tolerance: 1e-8))
        #expect(allClose(lines(funnel.limits(at: 4)), [0, 0, 0.2 + 1.959964 * 0.2, 0.2 + 3.090232 * 0.2]))
        let wide = Funnel.analyse([Funnel.Unit(name: "A", count: 9, size: 10)], kind: .proportion)
        #expect(wide.limits(at: 1).upper998 == 1)
        #expect(funnel.position(of: units[1]) == .above95, "0.3 is above 0.278 but below 0.324")
        #expect(funnel.position(of: Funnel.Unit(name: "C", count: 33, size: 100)) == .above998)
        #expect(funnel.position(of: Funnel.Unit(name: "D", count: 0, size: 0)) == .noData)
        #expect(Funnel.overall([]).isNaN)
    }

    @Test("over-dispersion widens the limits by τ², Spiegelhalter 2005, by hand")
    func overdispersion() {
        // Five units of exposure 100 at 0.1 … 0.5: θ₀ = 0.3, s² = 0.003, z = ±3.65, ±1.83, 0.
        // Winsorised at the 10th and 90th percentiles (type 7): ±2.92. φ = 23.733/5 = 4.7467;
        // Iφ = 23.73 > I − 1 = 4, so τ² = (23.733 − 4) / (1666.67 − 333.33) = 0.0148.
        let units = (1...5).map { Funnel.Unit(name: "U\($0)", count: Double($0) * 10, size: 100) }
        let funnel = Funnel.analyse(units, kind: .rate)
        #expect(isClose(funnel.dispersion, 4.746667, tolerance: 1e-5))
        #expect(isClose(funnel.tau2, 0.0148, tolerance: 1e-9))
        #expect(funnel.isAdjusted)
        #expect(allClose(lines(funnel.limits(at: 100)), [0, 0.038508187, 0.561491813, 0.712288372], tolerance: 1e-8))
        #expect(funnel.position(of: units[4]) == .within, "0.5 is within once the spread is allowed for")
        let unadjusted = Funnel.analyse(units, kind: .rate, adjust: false)
        #expect(unadjusted.tau2 == 0 && unadjusted.position(of: units[4]) == .above998)
        // Units no more spread than chance allows keep the plain limits.
        let calm = [Funnel.Unit(name: "A", count: 29, size: 100), Funnel.Unit(name: "B", count: 31, size: 100)]
        #expect(Funnel.analyse(calm, kind: .rate).tau2 == 0)
        // Three units a little spread: Iφ = 5.07 > I − 1 = 2, but below χ²(2)'s upper 5% point (5.99,
        // 5.94 by Wilson–Hilferty), so the spread is put down to chance and the limits stay plain.
        let three = [20, 30, 42].map { Funnel.Unit(name: "\($0)", count: Double($0), size: 100) }
        let modest = Funnel.analyse(three, kind: .rate)
        #expect(isClose(modest.dispersion, 1.688696, tolerance: 1e-6) && modest.tau2 == 0)
        #expect(abs(Funnel.chiSquare95(degreesOfFreedom: 4) - 9.488) < 0.05, "χ²(4) upper 5%: 9.488")
    }

    func lines(_ limits: Funnel.Limits) -> [Double] {
        [limits.lower998, limits.lower95, limits.upper95, limits.upper998]
    }
}
