import Testing

@testable import SPC

/// Every chart type against qicharts2's own output: Montgomery's worked examples (checked in R
/// against the reference files qicharts2's test suite ships) and further charts run through
/// qicharts2's R source. Tolerance 1e-10 relative: "floating-point precision" with room for the
/// different order of summation and our own exp/log in the t chart.
@Suite("qicharts2 reference charts")
struct Qicharts2ReferenceTests {
    @Test("lines and sigma signals match", arguments: qicharts2Cases)
    func linesMatch(_ reference: ReferenceCase) {
        // setup / act
        let result = SPCChart.compute(points: reference.points, options: reference.options)
        let points = result.points
        // check
        #expect(points.count == reference.cl.count)
        #expect(
            isClose(points.map(\.y), reference.expectedY), "y: \(firstDifference(points.map(\.y), reference.expectedY))"
        )
        #expect(isClose(points.map(\.cl), reference.cl), "cl: \(firstDifference(points.map(\.cl), reference.cl))")
        #expect(isClose(points.map(\.lcl), reference.lcl), "lcl: \(firstDifference(points.map(\.lcl), reference.lcl))")
        #expect(isClose(points.map(\.ucl), reference.ucl), "ucl: \(firstDifference(points.map(\.ucl), reference.ucl))")
        #expect(
            isClose(points.map(\.lcl2), reference.lcl2), "lcl2: \(firstDifference(points.map(\.lcl2), reference.lcl2))")
        #expect(
            isClose(points.map(\.ucl2), reference.ucl2), "ucl2: \(firstDifference(points.map(\.ucl2), reference.ucl2))")
        #expect(points.map { $0.signals.contains(.outside) } == reference.outside)
    }

    @Test("runs analysis per phase matches", arguments: qicharts2Cases)
    func runsAnalysisMatches(_ reference: ReferenceCase) {
        let phases = SPCChart.compute(points: reference.points, options: reference.options).phases
        #expect(phases.map(\.useful) == reference.useful.map { $0 ?? 0 })
        #expect(phases.map(\.longestRun) == reference.longestRun)
        #expect(phases.map(\.longestRunMax) == reference.longestRunMax)
        #expect(phases.map(\.crossings) == reference.crossings)
        #expect(phases.map(\.crossingsMin) == reference.crossingsMin)
        #expect(phases.map(\.runsSignal) == reference.runsSignal)
    }

    @Test("a phase whose runs test signals marks its points with the runs signal, as qicharts2 marks the part")
    func runsSignalMarksPhase() throws {
        let shifted = try #require(qicharts2Cases.first { $0.name == "run chart, shifted second half" })
        try #require(shifted.runsSignal == [true])
        let result = SPCChart.compute(points: shifted.points, options: shifted.options)
        #expect(result.points.allSatisfy { $0.signals.contains(.runs) })
    }
}
