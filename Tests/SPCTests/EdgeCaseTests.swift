import Testing

@testable import SPC

/// What real data does to charts: nothing, one point, all equal, gaps, zero denominators,
/// negative and extreme values, freezing, excluding, phases and multiplying.
@Suite("Edge cases")
struct EdgeCaseTests {
    static func points(_ values: [Double?], n: [Double?]? = nil) -> [SPCPoint] {
        values.indices.map { SPCPoint(x: "\($0 + 1)", y: values[$0], n: n?[$0] ?? nil) }
    }

    @Test("no points: an empty chart, common cause, no assurance", arguments: ChartType.allCases)
    func empty(_ chart: ChartType) {
        let result = SPCChart.compute(points: [], options: SPCOptions(chart: chart, direction: .up, target: 1))
        #expect(result.points.isEmpty)
        #expect(result.phases.isEmpty)
        #expect(result.variation == .commonCause)
        #expect(result.assurance == nil)
    }

    @Test("one point: a centre line, no sigma from a single value, no signal")
    func onePoint() throws {
        let result = SPCChart.compute(points: Self.points([7]), options: SPCOptions(chart: .i, rules: .mdc))
        let point = try #require(result.points.first)
        #expect(point.cl == 7)
        #expect(point.lcl == nil && point.ucl == nil && point.lcl2 == nil && point.ucl2 == nil)
        #expect(point.signals.isEmpty)
        #expect(result.phases.first?.trial == true)
    }

    @Test("all-equal data: null limits (every moving range screened out) and no signal", arguments: RuleSet.allCases)
    func allEqualWithScreening(_ rules: RuleSet) {
        let result = SPCChart.compute(
            points: Self.points(Array(repeating: 4, count: 30)),
            options: SPCOptions(chart: .i, rules: rules, direction: .up))
        #expect(result.points.allSatisfy { $0.cl == 4 && $0.lcl == nil && $0.ucl == nil })
        #expect(result.points.allSatisfy { $0.signals.isEmpty && $0.pointClass == .common })
        #expect(result.phases.first?.useful == 0)
        #expect(result.phases.first?.runsSignal == false)
        #expect(result.variation == .commonCause)
    }

    @Test("all-equal data without screening: zero-width limits, still no signal", arguments: RuleSet.allCases)
    func allEqualWithoutScreening(_ rules: RuleSet) {
        let options = SPCOptions(chart: .i, rules: rules, direction: .up, screenMovingRanges: false)
        let result = SPCChart.compute(points: Self.points(Array(repeating: 4, count: 30)), options: options)
        #expect(result.points.allSatisfy { $0.lcl == 4 && $0.ucl == 4 })
        #expect(result.points.allSatisfy { $0.signals.isEmpty })
    }

    @Test(
        "all-equal counts and proportions give no signal",
        arguments: [ChartType.run, .c, .p, .u, .g, .pp, .up, .t, .mr])
    func allEqualOtherCharts(_ chart: ChartType) {
        let points = Self.points(Array(repeating: 3, count: 20), n: Array(repeating: 10, count: 20))
        for rules in RuleSet.allCases {
            let result = SPCChart.compute(
                points: points, options: SPCOptions(chart: chart, rules: rules, direction: .down))
            #expect(result.points.allSatisfy { $0.signals.isEmpty }, "\(chart) \(rules)")
        }
    }

    @Test("a missing value is plotted as null and leaves a gap in the moving ranges")
    func missingValue() throws {
        // 10, 12, –, 11, 13: MRs |12−10| = 2 and |13−11| = 2 (none across the gap); mean 11.5.
        let result = SPCChart.compute(points: Self.points([10, 12, nil, 11, 13]), options: SPCOptions(chart: .i))
        #expect(result.points[2].y == nil)
        let point = try #require(result.points.first)
        #expect(point.cl == 11.5)
        #expect(isClose(point.ucl, 11.5 + 3 * 2 / 1.128))
        #expect(result.phases.first?.useful == 4)
    }

    @Test("a zero or missing denominator leaves the point and its limits null")
    func zeroDenominator() throws {
        // p̄ = (2 + 3) / (10 + 10) = 0.25 from the two complete rows.
        let points = Self.points([2, 0, 3, 4], n: [10, 0, 10, nil])
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .p))
        #expect(result.points.map(\.y) == [0.2, nil, 0.3, nil])
        #expect(result.points[0].cl == 0.25)
        #expect(result.points[1].lcl == nil && result.points[1].ucl == nil)
        #expect(isClose(result.points[0].ucl, 0.25 + 3 * (0.25 * 0.75 / 10).squareRoot()))
        #expect(result.points[1].signals.isEmpty)
    }

    @Test("negative values are fine on an I chart, and the lower limit may be negative")
    func negativeValues() throws {
        // Mean −2; MRs 2, 2, 2 → σ = 2/1.128.
        let result = SPCChart.compute(points: Self.points([-1, -3, -1, -3]), options: SPCOptions(chart: .i))
        let point = try #require(result.points.first)
        #expect(point.cl == -2)
        #expect(isClose(point.lcl, -2 - 3 * 2 / 1.128))
    }

    @Test("huge and tiny values keep their precision", arguments: [1e-300, 1e-9, 1e9, 1e300])
    func extremeScales(_ scale: Double) throws {
        let values: [Double?] = [1, 3, 2, 4].map { $0 * scale }
        let point = try #require(
            SPCChart.compute(points: Self.points(values), options: SPCOptions(chart: .i)).points.first)
        // Mean 2.5, mean MR 5/3 (as in the Making Data Count test), σ = (5/3)/1.128.
        #expect(isClose(point.cl, 2.5 * scale, tolerance: 1e-12))
        #expect(isClose(point.ucl, (2.5 + 3 * (5.0 / 3) / 1.128) * scale, tolerance: 1e-12))
    }

    @Test("freeze: the centre line comes from the first points of each phase only")
    func freezePerPhase() {
        let values: [Double?] = [1, 2, 3, 100, 100, 10, 20, 30, 900]
        var points = Self.points(values)
        for i in 5..<9 { points[i].phase = "after" }
        for i in 0..<5 { points[i].phase = "before" }
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .i, freeze: 3))
        #expect(result.points[0...4].allSatisfy { $0.cl == 2 })  // mean of 1, 2, 3
        #expect(result.points[5...].allSatisfy { $0.cl == 20 })  // mean of 10, 20, 30
        #expect(result.points[3].signals.contains(.outside))  // the frozen limits still judge later points
        #expect(result.phases.map(\.label) == ["before", "after"])
    }

    @Test("a phase label seen before does not start a new phase (qicharts2 parts)")
    func repeatedPhaseLabel() {
        var points = Self.points([1, 2, 3, 4, 5, 6])
        for (i, label) in ["a", "a", "b", "b", "a", "a"].enumerated() { points[i].phase = label }
        let phases = SPCChart.compute(points: points, options: SPCOptions(chart: .run)).phases
        #expect(phases.map(\.first) == [0, 2])
        #expect(phases.map(\.last) == [1, 5])
        #expect(phases.map(\.phase) == [1, 2])
    }

    @Test("multiply scales y, centre and limits after p limits are clipped to [0, 1]")
    func multiplyAfterClipping() throws {
        // p̄ = 19/20 = 0.95 with n = 10: 0.95 + 3·√(0.95·0.05/10) = 1.156… → clipped to 1 → 100.
        let points = Self.points([10, 9], n: [10, 10])
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .p, multiply: 100))
        let point = try #require(result.points.first)
        #expect(point.y == 100)
        #expect(isClose(point.cl, 95))
        #expect(point.ucl == 100)
        #expect(isClose(point.lcl, 100 * (0.95 - 3 * (0.95 * 0.05 / 10).squareRoot())))
        #expect(result.phases.first?.cl.map { isClose($0, 95) } == true)
    }

    @Test("rows sharing an x form one subgroup: mean for I charts, Σy/Σn for ratio charts, notes joined")
    func subgroups() {
        let rows = [
            SPCPoint(x: "Jan", y: 2, n: 10, note: "first"), SPCPoint(x: "Jan", y: 4, n: 30, note: "second"),
            SPCPoint(x: "Feb", y: 5, n: 20),
        ]
        let p = SPCChart.compute(points: rows, options: SPCOptions(chart: .p))
        #expect(p.points.map(\.x) == ["Jan", "Feb"])
        #expect(p.points.map(\.y) == [6.0 / 40, 0.25])
        #expect(p.points.map(\.n) == [40, 20])
        #expect(p.points[0].note == "first | second")
        let i = SPCChart.compute(points: rows.map { SPCPoint(x: $0.x, y: $0.y) }, options: SPCOptions(chart: .i))
        #expect(i.points.map(\.y) == [3, 5])
    }

    @Test("X-bar with one row per x has no limits (no subgroup spread)")
    func xbarSingleRows() {
        let result = SPCChart.compute(points: Self.points([1, 2, 3]), options: SPCOptions(chart: .xbar))
        #expect(result.points.allSatisfy { $0.cl == 2 && $0.ucl == nil && $0.lcl == nil })
    }

    @Test("T chart: a zero time is treated as missing, and validate names its row")
    func tChartZeroTime() {
        let points = Self.points([5, 0, 8, 3])
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .t))
        #expect(result.points[1].y == nil)
        #expect(
            throws: SPCInputError.invalidValue(
                row: 3, column: "y", value: 0, reason: "a time between events must be above 0")
        ) {
            try SPCChart.validate(points: points, options: SPCOptions(chart: .t), firstRow: 2)
        }
    }

    @Test("validate: negative denominators and counts, missing denominators, bad multiply and freeze")
    func validation() {
        #expect(throws: SPCInputError.negativeDenominator(row: 1, value: -1)) {
            try SPCChart.validate(points: Self.points([1], n: [-1]), options: SPCOptions(chart: .i))
        }
        #expect(throws: SPCInputError.self) {
            try SPCChart.validate(points: Self.points([-1]), options: SPCOptions(chart: .c))
        }
        #expect(throws: SPCInputError.self) {
            try SPCChart.validate(points: Self.points([1]), options: SPCOptions(chart: .u))
        }
        #expect(throws: SPCInputError.self) {
            try SPCChart.validate(points: [], options: SPCOptions(chart: .i, multiply: 0))
        }
        #expect(throws: SPCInputError.self) {
            try SPCChart.validate(points: [], options: SPCOptions(chart: .i, freeze: 0))
        }
        #expect(throws: Never.self) {
            try SPCChart.validate(points: Self.points([-1, 2]), options: SPCOptions(chart: .i))
        }
    }

    @Test("a phase of fewer than 12 points is a trial phase, 12 or more is not")
    func trialPhases() {
        #expect(
            SPCChart.compute(points: Self.points(Array(repeating: 1, count: 11)), options: SPCOptions(chart: .i)).phases
                .first?.trial == true)
        #expect(
            SPCChart.compute(points: Self.points(Array(repeating: 1, count: 12)), options: SPCOptions(chart: .i)).phases
                .first?.trial == false)
    }

    @Test("two points make an I chart (as both peers compute it)")
    func twoPoints() throws {
        let point = try #require(
            SPCChart.compute(points: Self.points([3, 5]), options: SPCOptions(chart: .i)).points.first)
        #expect(point.cl == 4)
        #expect(isClose(point.ucl, 4 + 3 * 2 / 1.128))
    }

    @Test("G chart: limits from the mean, centre line at the median")
    func gChart() throws {
        // 1, 2, 3, 10: mean 4, σ = √(4·5) = √20; median 2.5; LCL 4 − 3√20 < 0 → 0.
        let point = try #require(
            SPCChart.compute(points: Self.points([1, 2, 3, 10]), options: SPCOptions(chart: .g)).points.first)
        #expect(point.cl == 2.5)
        #expect(isClose(point.ucl, 4 + 3 * 20.0.squareRoot()))
        #expect(point.lcl == 0)
    }
}
