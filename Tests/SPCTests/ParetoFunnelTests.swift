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

    @Test("funnel limits for proportions, by hand")
    func proportions() throws {
        // Units 10/100 and 30/100: p̄ = 40/200 = 0.2. At n = 100, σ = √(0.2·0.8/100) = 0.04:
        // 3σ 0.08 … 0.32, 2σ 0.12 … 0.28. At n = 4, σ = 0.2: 3σ −0.4 → 0 and 0.8; 2σ 0 … 0.6.
        let units = [Funnel.Unit(name: "A", count: 10, size: 100), Funnel.Unit(name: "B", count: 30, size: 100)]
        let p = Funnel.overall(units)
        #expect(isClose(p, 0.2))
        let limits = Funnel.proportionLimits(overall: p, sizes: [100, 4])
        #expect(allClose(lines(limits[0]), [0.08, 0.12, 0.28, 0.32]))
        #expect(allClose(lines(limits[1]), [0, 0, 0.6, 0.8]))
        #expect(units[1].value == 0.3)
    }

    @Test("funnel limits for rates, by hand, and never below 0 or above 1 for proportions")
    func rates() {
        // r̄ = 4 per unit; exposure 16: σ = √(4/16) = 0.5: 3σ 2.5 … 5.5, 2σ 3 … 5.
        let limits = Funnel.rateLimits(overall: 4, exposures: [16, 1])
        #expect(allClose(lines(limits[0]), [2.5, 3, 5, 5.5]))
        #expect(limits[1].lower3 == 0)  // 4 − 3·2 < 0
        let wide = Funnel.proportionLimits(overall: 0.9, sizes: [1])
        #expect(wide[0].upper3 == 1)
        #expect(Funnel.Unit(name: "empty", count: 0, size: 0).value == nil)
        #expect(Funnel.overall([]).isNaN)
    }

    func lines(_ limits: Funnel.Limits) -> [Double] {
        [limits.lower3, limits.lower2, limits.upper2, limits.upper3]
    }
}
