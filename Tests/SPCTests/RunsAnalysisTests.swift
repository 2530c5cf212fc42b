import Testing

@testable import SPC

/// The Anhøj runs analysis: its two limits against R, and hand-counted runs.
@Suite("Anhøj runs analysis")
struct RunsAnalysisTests {
    // From R 4.2.2: n <- c(1:130, 150, 200, 256, 300, 500, 777, 1000, 1024, 1025, 1026, 2000, 4999, 10000)
    // qbinom(0.05, n - 1, 0.5) and round(log2(n)) + 3.
    static let sizes = Array(1...130) + [150, 200, 256, 300, 500, 777, 1000, 1024, 1025, 1026, 2000, 4999, 10000]
    static let rQuantiles = [
        0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10, 10, 11, 11, 11, 12, 12,
        13,
        13, 14, 14, 14, 15, 15, 16, 16, 17, 17, 17, 18, 18, 19, 19, 20, 20, 21, 21, 21, 22, 22, 23, 23, 24, 24, 25, 25,
        25,
        26, 26, 27, 27, 28, 28, 29, 29, 29, 30, 30, 31, 31, 32, 32, 33, 33, 34, 34, 34, 35, 35, 36, 36, 37, 37, 38, 38,
        39,
        39, 39, 40, 40, 41, 41, 42, 42, 43, 43, 44, 44, 45, 45, 45, 46, 46, 47, 47, 48, 48, 49, 49, 50, 50, 51, 51, 51,
        52,
        52, 53, 53, 54, 54, 55, 55, 64, 88, 114, 135, 231, 365, 474, 485, 486, 486, 963, 2441, 4917,
    ]
    static let rLongestRunMax = [
        3, 4, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
        8, 8, 8,
        8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
        9, 9,
        9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
        10,
        10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 12, 13, 13, 13, 13,
        13,
        14, 15, 16,
    ]

    @Test("fewest crossings equals R's qbinom(0.05, n − 1, 0.5), exactly")
    func crossingsMinimumMatchesR() {
        #expect(Self.sizes.map { Binomial.crossingsMinimum(useful: $0) } == Self.rQuantiles)
        // Past the cached table too.
        #expect(Binomial.quantileOfHalf(0.05, trials: 1023) == 485)
    }

    @Test("longest run limit equals R's round(log2(n)) + 3")
    func longestRunMaxMatchesR() {
        #expect(Self.sizes.map { roundedLog2($0) + 3 } == Self.rLongestRunMax)
    }

    @Test("24 useful points: longest run limit 8, crossings limit 8 (Anhøj & Olesen 2014, table 1)")
    func twentyFourPoints() {
        #expect(roundedLog2(24) + 3 == 8)
        #expect(Binomial.crossingsMinimum(useful: 24) == 8)
    }

    @Test("points on the centre line are skipped: neither extend nor break a run")
    func pointsOnTheLineAreSkipped() throws {
        // Median of 1 2 3 3 3 4 5 is 3. Off the line: 1 2 (below), 4 5 (above): runs of 2 and 2,
        // one crossing, four useful observations.
        let points = [1.0, 2, 3, 3, 3, 4, 5].enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let phase = try #require(SPCChart.compute(points: points, options: SPCOptions(chart: .run)).phases.first)
        #expect(phase.cl == 3)
        #expect(phase.useful == 4)
        #expect(phase.longestRun == 2)
        #expect(phase.crossings == 1)
    }

    @Test("a long run signals: 10 below then 10 above the median")
    func longRunSignals() throws {
        // 20 useful points: limit round(log2 20) + 3 = 7; longest run 10 > 7 → signal.
        let values = (1...10).map(Double.init) + (21...30).map(Double.init)
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .run))
        let phase = try #require(result.phases.first)
        #expect(phase.longestRun == 10)
        #expect(phase.longestRunMax == 7)
        #expect(phase.crossings == 1)
        #expect(phase.crossingsMin == 6)
        #expect(phase.runsSignal)
        #expect(result.points.allSatisfy { $0.signals == [.runs] })
    }

    @Test("alternating points cross every time and do not signal")
    func alternatingDoesNotSignal() throws {
        let values = (0..<20).map { $0 % 2 == 0 ? 1.0 : 3.0 }
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let phase = try #require(SPCChart.compute(points: points, options: SPCOptions(chart: .run)).phases.first)
        #expect(phase.crossings == 19)
        #expect(phase.longestRun == 1)
        #expect(!phase.runsSignal)
    }

    @Test("excluded points are left out of the runs analysis but still tested against the limits")
    func excludedPointsLeftOut() throws {
        // Twelve alternating 9/11 around 10, then one excluded 30: mean stays 10 and the 30 is
        // outside. Useful observations count only the twelve.
        var points = (0..<12).map { SPCPoint(x: "\($0)", y: $0 % 2 == 0 ? 9 : 11) }
        points.append(SPCPoint(x: "12", y: 30, excluded: true))
        let result = SPCChart.compute(points: points, options: SPCOptions(chart: .i))
        let phase = try #require(result.phases.first)
        #expect(phase.cl == 10)
        #expect(phase.useful == 12)
        #expect(result.points[12].signals.contains(.outside))
        #expect(result.points[12].excluded)
        #expect(phase.sigmaSignal)
    }

    @Test("MR charts report the runs analysis but never signal on it, as qicharts2")
    func mrChartsNeverSignalRuns() throws {
        let values = (1...10).map(Double.init) + (1...10).map { Double($0) * 10 }
        let points = values.enumerated().map { SPCPoint(x: "\($0.offset)", y: $0.element) }
        let phase = try #require(SPCChart.compute(points: points, options: SPCOptions(chart: .mr)).phases.first)
        #expect(phase.longestRun.map { $0 > phase.longestRunMax ?? 0 } == true)
        #expect(!phase.runsSignal)
    }
}

extension RunsAnalysisTests {
    static func points(_ values: [Double]) -> [SPCPoint] {
        values.indices.map { SPCPoint(x: "\($0 + 1)", y: values[$0]) }
    }

    /// `../shared/SPC.md`, rule set `anhoej`: so that words, classes and icons agree, the points of
    /// a run longer than the limit are classed by their side, and the variation icon follows the
    /// latest point. Before, a run chart signalling a shift showed every point and the icon as
    /// common cause.
    @Test("a run longer than Anhøj's limit classes its points by side; the icon follows the latest")
    func longRunClassesItsPoints() {
        // 8 ones, then 5 to 16: the median is 6.5, so 10 points run below it and then 10 above.
        // n = 20 gives a limit of round(log2(20)) + 3 = 7; both runs exceed it.
        let values = Array(repeating: 1.0, count: 8) + (5...16).map(Double.init)
        let result = SPCChart.compute(
            points: Self.points(values), options: SPCOptions(chart: .run, rules: .anhoej, direction: .up))
        #expect(result.phases.first?.runsSignal == true)
        #expect(result.points.prefix(10).allSatisfy { $0.pointClass == .concern })
        #expect(result.points.suffix(10).allSatisfy { $0.pointClass == .improvement })
        #expect(result.variation == .improvementHigh)
        // Lower is better: the same runs are read the other way round.
        let down = SPCChart.compute(
            points: Self.points(values), options: SPCOptions(chart: .run, rules: .anhoej, direction: .down))
        #expect(down.points.suffix(10).allSatisfy { $0.pointClass == .concern })
        #expect(down.variation == .concernHigh)
    }

    @Test("a runs signal from too few crossings alone classes no point")
    func fewCrossingsClassNothing() {
        // Runs of 5 alternate sides (never longer than the limit of 8 for 30 points), too few crossings.
        let values = (0..<30).map { ($0 / 5) % 2 == 0 ? 1.0 : 9.0 }
        let result = SPCChart.compute(
            points: Self.points(values), options: SPCOptions(chart: .run, rules: .anhoej, direction: .up))
        guard let phase = result.phases.first else {
            Issue.record("no phase")
            return
        }
        #expect(phase.runsSignal && phase.longestRun! <= phase.longestRunMax!)
        #expect(result.points.allSatisfy { $0.pointClass == .common })
        #expect(result.variation == .commonCause)
    }
}
