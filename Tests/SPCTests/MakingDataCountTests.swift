import Testing

@testable import SPC

/// Making Data Count rules against NHSRplotthedots' own output (Fixtures/PlotTheDotsCases.swift).
@Suite("Making Data Count (NHSRplotthedots)")
struct MakingDataCountTests {
    @Test("mean and process limits match", arguments: plotTheDotsCases)
    func limitsMatch(_ reference: PlotTheDotsCase) {
        let points = SPCChart.compute(points: reference.points, options: reference.options).points
        #expect(isClose(points.map(\.cl), reference.cl), "cl: \(firstDifference(points.map(\.cl), reference.cl))")
        #expect(isClose(points.map(\.lcl), reference.lcl), "lcl: \(firstDifference(points.map(\.lcl), reference.lcl))")
        #expect(isClose(points.map(\.ucl), reference.ucl), "ucl: \(firstDifference(points.map(\.ucl), reference.ucl))")
    }

    @Test("the strongest signal of each point matches the special cause type", arguments: plotTheDotsCases)
    func specialCauseTypesMatch(_ reference: PlotTheDotsCase) {
        let points = SPCChart.compute(points: reference.points, options: reference.options).points
        let strongest = points.map { strongestSignal($0.signals) }
        let expected = reference.specialCauseType.map(signalName(ofSpecialCauseType:))
        #expect(strongest == expected)
    }

    @Test("each point's class matches the point type", arguments: plotTheDotsCases)
    func classesMatch(_ reference: PlotTheDotsCase) {
        let points = SPCChart.compute(points: reference.points, options: reference.options).points
        #expect(points.map(\.pointClass) == reference.pointType.map(pointClass(ofPointType:)))
    }

    @Test("the variation icon follows the last point as ptd_get_icons maps it", arguments: plotTheDotsCases)
    func variationIconMatches(_ reference: PlotTheDotsCase) throws {
        let result = SPCChart.compute(points: reference.points, options: reference.options)
        let last = try #require(reference.pointType.last)
        // ptd_get_icons (R/geom_ptd_icon.R): concern is "low" when increase is better, else "high";
        // improvement is "high" when increase is better, else "low".
        let up = reference.direction == .up
        let expected: VariationIcon =
            switch last {
            case "special_cause_improvement": up ? .improvementHigh : .improvementLow
            case "special_cause_concern": up ? .concernLow : .concernHigh
            case "special_cause_neutral_high": .neutralHigh
            case "special_cause_neutral_low": .neutralLow
            default: .commonCause
            }
        #expect(result.variation == expected)
    }

    @Test("the assurance icon matches where the limits are defined", arguments: plotTheDotsCases)
    func assuranceMatches(_ reference: PlotTheDotsCase) {
        let result = SPCChart.compute(points: reference.points, options: reference.options)
        let limitsDefined = result.points.last?.lcl != nil
        let expected: AssuranceIcon? =
            switch reference.assurance {
            case "consistent_pass": .pass
            case "consistent_fail": .fail
            // NHSRplotthedots says "inconsistent" also when the limits are NaN (all-equal data);
            // with no limits OpenQI gives no assurance icon.
            case "inconsistent": limitsDefined ? .hitAndMiss : nil
            default: nil
            }
        #expect(result.assurance == expected)
    }

    @Test("the NHSRplotthedots snapshot numbers: mean 0.1416238, limits -3.01138 and 3.294627")
    func snapshotNumbers() throws {
        // tests/testthat/_snaps/ptd_spc_standard.md prints these for rnorm(20) with seed 123.
        let reference = try #require(plotTheDotsCases.first)
        let point = try #require(SPCChart.compute(points: reference.points, options: reference.options).points.first)
        #expect(isClose(point.cl, 0.1416238, tolerance: 1e-6))
        #expect(isClose(point.lcl, -3.01138, tolerance: 1e-5))
        #expect(isClose(point.ucl, 3.294627, tolerance: 1e-6))
    }

    @Test("2σ lines are mean ± (2·2.66/3)·mean(MR): for 1, 3, 2, 4 the mean MR is 5/3")
    func twoSigmaLines() throws {
        // By hand: mean 2.5; MRs 2, 1, 2 → mean 5/3; none reaches 3.267 · 5/3, so none is screened.
        // 3σ: 2.5 ± 2.66 · 5/3 = 2.5 ± 4.4333…; 2σ: 2.5 ± (5.32/3) · 5/3 = 2.5 ± 2.9555…
        let points = [1.0, 3, 2, 4].enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .i, rules: .mdc))
        let first = try #require(result.points.first)
        #expect(isClose(first.ucl, 2.5 + 2.66 * 5 / 3))
        #expect(isClose(first.lcl, 2.5 - 2.66 * 5 / 3))
        #expect(isClose(first.ucl2, 2.5 + 2 * 2.66 / 3 * 5 / 3))
        #expect(isClose(first.lcl2, 2.5 - 2 * 2.66 / 3 * 5 / 3))
    }

    @Test("a point exactly on the mean breaks a shift")
    func pointOnMeanBreaksShift() {
        // Six 1s, a 0, six 1s, twelve −1s: the sum is exactly 0, so the mean is 0 and the single 0
        // lies on it. Above the mean there are two runs of six (no shift); below, one run of twelve.
        let values =
            Array(repeating: 1.0, count: 6) + [0] + Array(repeating: 1.0, count: 6)
            + Array(repeating: -1.0, count: 12)
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .i, rules: .mdc))
        #expect(result.points[0].cl == 0)
        #expect(result.points[0..<13].allSatisfy { !$0.signals.contains(.shift) })
        #expect(result.points[13...].allSatisfy { $0.signals.contains(.shift) })
    }

    @Test("seven points rising is a trend; a tie breaks it; the trend may cross the mean")
    func trendRules() {
        let rising = [1.0, 2, 3, 4, 5, 6, 7, 3, 4, 2, 5, 1]
        let tie = [1.0, 2, 3, 3, 5, 6, 7, 3, 4, 2, 5, 1]
        let options = SPCOptions(chart: .i, rules: .mdc, direction: .up)
        func trendFlags(_ values: [Double]) -> [Bool] {
            let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
            return SPCChart.compute(points: points, options: options).points.map { $0.signals.contains(.trend) }
        }
        #expect(trendFlags(rising) == Array(repeating: true, count: 7) + Array(repeating: false, count: 5))
        #expect(trendFlags(tie).allSatisfy { !$0 })
    }

    @Test("trend length and shift length are options")
    func ruleLengthsAreOptions() {
        let values = [1.0, 2, 3, 4, 5, 1, 1, 1, 1, 1]
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let standard = SPCChart.compute(points: points, options: SPCOptions(chart: .i, rules: .mdc))
        let shorter = SPCChart.compute(points: points, options: SPCOptions(chart: .i, rules: .mdc, trendLength: 5))
        #expect(!standard.points.contains { $0.signals.contains(.trend) })
        #expect(shorter.points[0..<5].allSatisfy { $0.signals.contains(.trend) })
        // Five points below the mean (2) make a shift at length 5, not at the default 7.
        let shortShift = SPCChart.compute(points: points, options: SPCOptions(chart: .i, rules: .mdc, shiftLength: 5))
        #expect(shortShift.points[5...].allSatisfy { $0.signals.contains(.shift) })
        #expect(!standard.points.contains { $0.signals.contains(.shift) })
    }
}

/// The strongest of a point's signals in Making Data Count's precedence.
func strongestSignal(_ signals: SPCSignals) -> String {
    if signals.contains(.outside) { return "outside" }
    if signals.contains(.trend) { return "trend" }
    if signals.contains(.twoOfThree) { return "two_of_three" }
    if signals.contains(.shift) { return "shift" }
    return "common"
}

/// NHSRplotthedots' `special_cause_type` strings (ptd_special_cause_type) as our signal names.
func signalName(ofSpecialCauseType type: String) -> String {
    if type.hasSuffix("UCL") || type.hasSuffix("LCL") { return "outside" }
    if type.hasPrefix("7 Point Trend") { return "trend" }
    if type.hasPrefix("2 in 3") { return "two_of_three" }
    if type.hasPrefix("7 Points") { return "shift" }
    return "common"
}

/// NHSRplotthedots' `point_type` strings (ptd_point_type) as our classes.
func pointClass(ofPointType type: String) -> PointClass {
    switch type {
    case "special_cause_improvement": .improvement
    case "special_cause_concern": .concern
    case "special_cause_neutral_high", "special_cause_neutral_low": .neutral
    default: .common
    }
}
