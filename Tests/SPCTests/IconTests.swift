import Testing

@testable import SPC

@Suite("Making Data Count icons")
struct IconTests {
    @Test("assurance: the cases of NHSRplotthedots' own tests (target 4)")
    func assuranceCases() {
        // tests/testthat/test-ptd_calculate_assurance_type.R: limits (1, 3), (5, 7), (1, 5), target 4.
        let limits: [(Double, Double)] = [(1, 3), (5, 7), (1, 5)]
        let up = limits.map { AssuranceIcon(target: 4, direction: .up, lcl: $0.0, ucl: $0.1) }
        let down = limits.map { AssuranceIcon(target: 4, direction: .down, lcl: $0.0, ucl: $0.1) }
        #expect(up == [.fail, .pass, .hitAndMiss])
        #expect(down == [.pass, .fail, .hitAndMiss])
        #expect(AssuranceIcon(target: 4, direction: .neutral, lcl: 1, ucl: 3) == nil)
        #expect(AssuranceIcon(target: nil, direction: .up, lcl: 1, ucl: 3) == nil)
        #expect(AssuranceIcon(target: 4, direction: .up, lcl: nil, ucl: 3) == nil)
        // A target on a limit is between the limits: hit and miss (the comparisons are strict).
        #expect(AssuranceIcon(target: 3, direction: .up, lcl: 1, ucl: 3) == .hitAndMiss)
    }

    @Test("variation icons from class, side and direction (ptd_get_icons)")
    func variationCases() {
        #expect(VariationIcon(pointClass: .common, side: 0, direction: .up) == .commonCause)
        #expect(VariationIcon(pointClass: .improvement, side: 1, direction: .up) == .improvementHigh)
        #expect(VariationIcon(pointClass: .improvement, side: -1, direction: .down) == .improvementLow)
        #expect(VariationIcon(pointClass: .concern, side: -1, direction: .up) == .concernLow)
        #expect(VariationIcon(pointClass: .concern, side: 1, direction: .down) == .concernHigh)
        #expect(VariationIcon(pointClass: .neutral, side: 1, direction: .neutral) == .neutralHigh)
        #expect(VariationIcon(pointClass: .neutral, side: -1, direction: .neutral) == .neutralLow)
    }

    @Test("assurance uses the latest point's limits after multiply, in the target's units")
    func assuranceAfterMultiply() {
        // p̄ = 0.5 with n = 100 each: limits 0.5 ± 0.15 → 35 % … 65 %. A 30 % target, higher better: pass.
        let points = (0..<12).map { SPCPoint(x: "\($0)", y: $0 % 2 == 0 ? 45 : 55, n: 100) }
        let result = SPCChart.compute(
            points: points, options: SPCOptions(chart: .p, rules: .mdc, direction: .up, target: 30, multiply: 100))
        #expect(result.assurance == .pass)
        let missed = SPCChart.compute(
            points: points, options: SPCOptions(chart: .p, rules: .mdc, direction: .up, target: 70, multiply: 100))
        #expect(missed.assurance == .fail)
    }
}
