import Testing

@testable import SPC

/// IHI and Western Electric rules on charts whose lines are known by hand.
///
/// The baseline is twenty points alternating 11 and 9 (so the last, point 19, is below), frozen: mean 10, every moving range 2
/// (none screened: 2 < 3.267·2), so σ = 2/1.128 = 1.77305 and the lines are
///     1σ: 8.22695 and 11.77305,  2σ: 6.45390 and 13.54610,  3σ: 4.68085 and 15.31915.
@Suite("IHI and Western Electric rules")
struct RuleSetTests {
    static let baseline = (0..<20).map { $0 % 2 == 0 ? 11.0 : 9.0 }

    func chart(after tail: [Double], rules: RuleSet, chart: ChartType = .i) -> SPCResult {
        let values = Self.baseline + tail
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset + 1)", y: $0.element) }
        return SPCChart.compute(
            points: points, options: SPCOptions(chart: chart, rules: rules, direction: .up, freeze: 20))
    }

    func flagged(_ result: SPCResult, _ signal: SPCSignals) -> [Int] {
        result.points.indices.filter { result.points[$0].signals.contains(signal) }
    }

    @Test("the lines are as computed by hand")
    func linesByHand() throws {
        let point = try #require(chart(after: [], rules: .we).points.first)
        #expect(isClose(point.ucl, 10 + 3 * 2 / 1.128))
        #expect(isClose(point.ucl2, 10 + 2 * 2 / 1.128))
    }

    @Test("Western Electric: two of three beyond 2σ on one side flags the two")
    func weTwoOfThree() {
        // 14 > 13.546, 12 is not, 14 again: points 21 and 23 (0-based 20 and 22).
        let result = chart(after: [14, 12, 14, 10], rules: .we)
        #expect(flagged(result, .twoOfThree) == [20, 22])
        #expect(result.points[20].pointClass == .improvement)
    }

    @Test("Western Electric: two beyond 2σ on opposite sides is no signal")
    func weTwoOfThreeOppositeSides() {
        let result = chart(after: [14, 10, 6, 10], rules: .we)
        #expect(flagged(result, .twoOfThree).isEmpty)
    }

    @Test("Western Electric: four of five beyond 1σ on one side")
    func weFourOfFive() {
        // 12 > 11.773 four times among five: positions 20, 21, 23, 24.
        let result = chart(after: [12, 12, 10, 12, 12, 10], rules: .we)
        #expect(flagged(result, .fourOfFive) == [20, 21, 23, 24])
        #expect(flagged(result, .twoOfThree).isEmpty)
    }

    @Test("Western Electric: eight in a row on one side is a shift, seven is not")
    func weShift() {
        let eight = chart(after: Array(repeating: 10.5, count: 8) + [9], rules: .we)
        #expect(flagged(eight, .shift) == Array(20..<28))
        let seven = chart(after: Array(repeating: 10.5, count: 7) + [9], rules: .we)
        #expect(flagged(seven, .shift).isEmpty)
    }

    @Test("Western Electric: beyond 3σ is outside; no trend rule")
    func weOutsideNoTrend() {
        let result = chart(after: [3, 16, 9.1, 9.2, 9.3, 9.4, 9.5, 9.6, 9.7, 9.8], rules: .we)
        #expect(flagged(result, .outside) == [20, 21])
        #expect(flagged(result, .trend).isEmpty)
        #expect(result.points[20].pointClass == .concern)
        #expect(result.points[21].pointClass == .improvement)
    }

    @Test("IHI: fifteen points within 1σ signal, fourteen do not")
    func ihiWithinOneSigma() {
        // The baseline itself is twenty points within 1σ (9 and 11 are 1 from the mean, σ 1.773).
        let result = chart(after: [], rules: .ihi)
        #expect(flagged(result, .withinOneSigma) == Array(0..<20))
        // Fourteen within, then a point beyond 1σ (12), and so on: no run reaches fifteen.
        let values = (0..<14).map { $0 % 2 == 0 ? 9.0 : 11.0 } + [12] + (0..<14).map { $0 % 2 == 0 ? 9.0 : 11.0 }
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let short = SPCChart.compute(points: points, options: SPCOptions(chart: .i, rules: .ihi, freeze: 14))
        #expect(flagged(short, .withinOneSigma).isEmpty)
    }

    @Test("IHI control chart: eight on one side is a shift and six rising a trend")
    func ihiShiftAndTrend() {
        // Point 19 is 9, so 9 → 12 → 12.1 → … → 12.7 is nine points rising; the eight above 10 a shift.
        let result = chart(after: [12, 12.1, 12.2, 12.3, 12.4, 12.5, 12.6, 12.7], rules: .ihi)
        #expect(flagged(result, .shift) == Array(20..<28))
        #expect(flagged(result, .trend) == Array(19..<28))
        // 9 → 9.5 → 10.5 → 11.5 → 12.5 → 12.9: six rising, the IHI trend length on a control chart.
        let six = chart(after: [9.5, 10.5, 11.5, 12.5, 12.9, 10], rules: .ihi)
        #expect(flagged(six, .trend) == Array(19..<25))
        let five = chart(after: [10.5, 11.5, 12.5, 12.9, 10], rules: .ihi)
        #expect(flagged(five, .trend).isEmpty)
    }

    @Test("IHI run chart: a shift is six on one side of the median, skipping points on it")
    func ihiRunChartShift() {
        // Eight 1s, one 5, eight above: the median is 5. Points 5–11 are six above with the 5 (on
        // the median) between them: a shift. The five 1s at the end are one short of a shift.
        let values: [Double] = [1, 9, 1, 9, 1, 6, 7, 5, 6, 7, 6, 7, 1, 1, 1, 1, 1]
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .run, rules: .ihi))
        #expect(result.points[0].cl == 5)
        #expect(flagged(result, .shift) == [5, 6, 8, 9, 10, 11])
    }

    @Test("IHI run chart: a trend is five rising, and a repeated value is ignored, not a break")
    func ihiRunChartTrend() {
        let values: [Double] = [5, 1, 2, 2, 3, 4, 5, 3, 5, 4]
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .run, rules: .ihi))
        // 1 2 (2) 3 4 5: five counted points rising; the repeated 2 is skipped, not flagged.
        #expect(flagged(result, .trend) == [1, 2, 4, 5, 6])
        // Making Data Count would break the trend at the tie.
        let mdc = SPCChart.compute(points: points, options: SPCOptions(chart: .run, rules: .mdc, trendLength: 5))
        #expect(flagged(mdc, .trend).isEmpty)
    }

    @Test("IHI run chart: too few runs signals the phase")
    func ihiTooFewRuns() throws {
        // Ten low then ten high around the median: 2 runs among 20 useful observations.
        // With 10 either side, P(R ≤ 2) = 2 / C(20, 10) = 2 / 184756, far below 2.5%.
        let values = Array(repeating: 1.0, count: 10) + Array(repeating: 9.0, count: 10)
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .run, rules: .ihi))
        #expect(result.points.allSatisfy { $0.signals.contains(.runs) })
        // Alternating gives 20 runs: P(R ≥ 20) = 2 / 184756 — too many runs, also a signal.
        #expect(RunsCountTest.signals(runs: 20, useful: 20))
        // Eleven runs of twenty is what chance gives (the mean is 11): no signal.
        #expect(!RunsCountTest.signals(runs: 11, useful: 20))
    }

    @Test("Swed–Eisenhart tails for 10 useful observations, by hand")
    func runsCountTestByHand() {
        // n₁ = n₂ = 5, C(10, 5) = 252. P(R = 2) = 2/252 = 0.0079 → 2 runs signal.
        // P(R = 3) = 2·C(4,1)·C(4,0)/252 = 8/252, so P(R ≤ 3) = 10/252 = 0.0397 → 3 runs do not.
        #expect(RunsCountTest.signals(runs: 2, useful: 10))
        #expect(!RunsCountTest.signals(runs: 3, useful: 10))
        // By symmetry P(R ≥ 10) = 2/252 and P(R ≥ 9) = 10/252.
        #expect(RunsCountTest.signals(runs: 10, useful: 10))
        #expect(!RunsCountTest.signals(runs: 9, useful: 10))
        // Below ten useful observations the test is not applied.
        #expect(!RunsCountTest.signals(runs: 2, useful: 9))
    }
}
