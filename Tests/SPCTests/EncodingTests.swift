import Foundation
import Testing

@testable import SPC

/// The JSON of SPC.md, printed with Foundation's JSONEncoder as the command line and web API do.
@Suite("JSON encoding")
struct EncodingTests {
    static func json(_ value: some Encodable) throws -> [String: Any] {
        let encoder = JSONEncoder()
        let data = try encoder.encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("a chart has every field of SPC.md, with explicit nulls")
    func chartFields() throws {
        let points = [SPCPoint(x: "2024-01-01", y: 12, note: "start"), SPCPoint(x: "2024-02-01", y: nil)]
        let result = SPCChart.compute(
            points: points, options: SPCOptions(chart: .i, rules: .mdc, direction: .up, target: 80))
        let object = try Self.json(result)
        #expect(
            Set(object.keys) == ["chart", "rules", "direction", "target", "points", "phases", "variation", "assurance"])
        #expect(object["chart"] as? String == "i")
        #expect(object["rules"] as? String == "mdc")
        #expect(object["direction"] as? String == "up")
        #expect(object["target"] as? Double == 80)
        #expect(object["variation"] as? String == "common_cause")
        #expect(object["assurance"] is NSNull)

        let point = try #require((object["points"] as? [[String: Any]])?.first)
        #expect(
            Set(point.keys) == [
                "x", "y", "n", "phase", "excluded", "cl", "lcl", "ucl", "lcl2", "ucl2", "signals", "class", "note",
            ])
        #expect(point["x"] as? String == "2024-01-01")
        #expect(point["y"] as? Double == 12)
        #expect(point["n"] is NSNull)
        #expect(point["lcl"] is NSNull)  // one value: no moving range, no limits
        #expect(point["phase"] as? Int == 1)
        #expect(point["class"] as? String == "common")
        #expect(point["signals"] as? [String] == [])
        #expect(point["note"] as? String == "start")
        let second = try #require((object["points"] as? [[String: Any]])?.last)
        #expect(second["y"] is NSNull)

        let phase = try #require((object["phases"] as? [[String: Any]])?.first)
        #expect(
            Set(phase.keys) == [
                "phase", "label", "first", "last", "cl", "useful", "longest_run", "longest_run_max", "crossings",
                "crossings_min", "runs_signal", "sigma_signal", "trial",
            ])
        #expect(phase["first"] as? Int == 0)
        #expect(phase["last"] as? Int == 1)
        #expect(phase["trial"] as? Bool == true)
    }

    @Test("signals are listed by their SPC.md names")
    func signalNames() throws {
        let all: SPCSignals = [.outside, .shift, .trend, .twoOfThree, .fourOfFive, .withinOneSigma, .runs]
        #expect(all.names == ["outside", "shift", "trend", "two_of_three", "four_of_five", "within_one_sigma", "runs"])
        #expect(SPCSignals([.trend, .outside]).names == ["outside", "trend"])
    }

    @Test("icons and enums use the SPC.md names")
    func enumNames() {
        #expect(
            VariationIcon.allCases.map(\.rawValue) == [
                "common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low", "neutral_high",
                "neutral_low",
            ])
        #expect(AssuranceIcon.allCases.map(\.rawValue) == ["pass", "fail", "hit_and_miss"])
        #expect(
            ChartType.allCases.map(\.rawValue) == ["run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g"])
        #expect(RuleSet.allCases.map(\.rawValue) == ["anhoej", "mdc", "ihi", "we"])
        #expect(ImprovementDirection.allCases.map(\.rawValue) == ["up", "down", "neutral"])
    }

    @Test("a series summary has the --by series fields")
    func summaryFields() throws {
        var workspace = SPCWorkspace()
        let summary = workspace.summarise(
            values: [1, 2, 3, 4, 5, 6, 7, 8], options: SPCOptions(chart: .i, rules: .mdc, direction: .up),
            series: "ward-7-falls")
        let object = try Self.json(summary)
        #expect(Set(object.keys) == ["series", "points", "last", "phase", "counts", "variation", "assurance"])
        #expect(object["series"] as? String == "ward-7-falls")
        #expect(object["points"] as? Int == 8)
        #expect(object["assurance"] is NSNull)
        let counts = try #require(object["counts"] as? [String: Int])
        // Mean 4.5, every moving range 1: limits 4.5 ± 2.66, so 1 and 8 are outside. All eight rise:
        // a trend. Point 1 is outside below (concern, as outside comes first); the rest improve.
        #expect(counts["trend"] == 8)
        #expect(counts["outside"] == 2)
        #expect(counts["improvement"] == 7)
        #expect(counts["concern"] == 1)
        for key in ["shift", "two_of_three"] { #expect(counts[key] != nil) }
        #expect(object["variation"] as? String == "improvement_high")
        let last = try #require(object["last"] as? [String: Any])
        #expect(last["x"] as? String == "8")
        #expect(last["class"] as? String == "improvement")
        let phase = try #require(object["phase"] as? [String: Any])
        #expect(phase["useful"] as? Int == 8)
    }

    @Test("an empty series summary encodes null last point and phase")
    func emptySummary() throws {
        var workspace = SPCWorkspace()
        let object = try Self.json(workspace.summarise(values: [], options: SPCOptions(chart: .i)))
        #expect(object["last"] is NSNull)
        #expect(object["phase"] is NSNull)
        #expect(object["variation"] as? String == "common_cause")
    }
}
