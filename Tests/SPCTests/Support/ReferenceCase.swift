import Testing

@testable import SPC

/// A chart computed by qicharts2 in R, with its inputs (one entry per row) and outputs (one entry
/// per plotted subgroup, one per phase for the runs analysis). See Fixtures/make-qicharts2-cases.R.
struct ReferenceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    var chart: ChartType
    var freeze: Int?
    var multiply: Double
    var screen: Bool
    var x: [String]
    var y: [Double?]
    var n: [Double?]?
    var phase: [String?]?
    var excluded: [Bool]
    var expectedY: [Double?]
    var cl: [Double?]
    var lcl: [Double?]
    var ucl: [Double?]
    var lcl2: [Double?]
    var ucl2: [Double?]
    var outside: [Bool]
    var useful: [Int?]
    var longestRun: [Int?]
    var longestRunMax: [Int?]
    var crossings: [Int?]
    var crossingsMin: [Int?]
    var runsSignal: [Bool]

    var testDescription: String { name }

    var points: [SPCPoint] {
        x.indices.map { i in
            SPCPoint(x: x[i], y: y[i], n: n?[i] ?? nil, phase: phase?[i] ?? nil, excluded: excluded[i])
        }
    }

    var options: SPCOptions {
        SPCOptions(chart: chart, rules: .anhoej, freeze: freeze, multiply: multiply, screenMovingRanges: screen)
    }
}

/// A Making Data Count chart computed by NHSRplotthedots in R. See Fixtures/make-plotthedots-cases.R.
struct PlotTheDotsCase: Sendable, CustomTestStringConvertible {
    var name: String
    var direction: ImprovementDirection
    var target: Double?
    var freeze: Int?
    /// 0-based indices where NHSRplotthedots rebases (starts a new phase).
    var phaseStarts: [Int]
    var screen: Bool
    var y: [Double?]
    var cl: [Double?]
    var lcl: [Double?]
    var ucl: [Double?]
    var specialCauseType: [String]
    var pointType: [String]
    var assurance: String?

    var testDescription: String { name }

    var points: [SPCPoint] {
        var phase = 1
        return y.indices.map { i in
            if phaseStarts.contains(i) { phase += 1 }
            return SPCPoint(x: "day \(i + 1)", y: y[i], phase: "phase \(phase)")
        }
    }

    var options: SPCOptions {
        SPCOptions(
            chart: .i, rules: .mdc, direction: direction, target: target, freeze: freeze, screenMovingRanges: screen)
    }
}

/// Equal to within a relative tolerance (absolute near zero); nil equals only nil.
func isClose(_ a: Double?, _ b: Double?, tolerance: Double = 1e-10) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let a?, let b?): return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    default: return false
    }
}

func isClose(_ a: [Double?], _ b: [Double?], tolerance: Double = 1e-10) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}

/// Index of the first element where two arrays differ, for readable failure messages.
func firstDifference(_ a: [Double?], _ b: [Double?], tolerance: Double = 1e-10) -> String {
    guard a.count == b.count else { return "counts \(a.count) vs \(b.count)" }
    for i in a.indices where !isClose(a[i], b[i], tolerance: tolerance) {
        return "index \(i): \(a[i].map { "\($0)" } ?? "nil") vs \(b[i].map { "\($0)" } ?? "nil")"
    }
    return "none"
}

func allClose(_ a: [Double], _ b: [Double], tolerance: Double = 1e-10) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}
