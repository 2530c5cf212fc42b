import PropertyBased
import SyntheticData
import Testing

@testable import SPC

/// Properties that hold for any data, checked on generated series.
@Suite("Properties")
struct PropertyTests {
    static let values = Gen.double(in: -1_000...1_000).array(of: 2...60)
    static let counts = Gen.int(in: 0...50).array(of: 2...60)

    static func points(_ values: [Double]) -> [SPCPoint] {
        values.indices.map { SPCPoint(x: "\($0)", y: values[$0]) }
    }

    @Test("centre lines of mean-based charts do not depend on the order within a phase")
    func centreIgnoresOrder() async {
        await propertyCheck(input: Self.values, Gen.int(in: 0...10_000)) { values, seed in
            var generator = SplitMix64(state: UInt64(seed))
            let shuffled = values.shuffled(using: &generator)
            for chart in [ChartType.i, .c, .g] {
                let a = SPCChart.compute(points: Self.points(values.map(abs)), options: SPCOptions(chart: chart))
                let b = SPCChart.compute(points: Self.points(shuffled.map(abs)), options: SPCOptions(chart: chart))
                #expect(isClose(a.points.first?.cl, b.points.first?.cl, tolerance: 1e-12), "\(chart)")
            }
            // Ratio charts: Σy/Σn is order-free too.
            let n = values.map { abs($0) + 100 }
            let y = values.map { (abs($0) / 10).rounded() }
            let forward = y.indices.map { SPCPoint(x: "\($0)", y: y[$0], n: n[$0]) }
            let backward = forward.reversed().enumerated().map {
                SPCPoint(x: "\($0.offset)", y: $0.element.y, n: $0.element.n)
            }
            for chart in [ChartType.p, .u] {
                let a = SPCChart.compute(points: forward, options: SPCOptions(chart: chart))
                let b = SPCChart.compute(points: Array(backward), options: SPCOptions(chart: chart))
                #expect(isClose(a.points.first?.cl, b.points.first?.cl, tolerance: 1e-12), "\(chart)")
            }
        }
    }

    @Test("I chart centre and limits scale linearly with the data")
    func iChartScalesLinearly() async {
        await propertyCheck(input: Self.values, Gen.double(in: 0.001...1_000)) { values, k in
            let plain = SPCChart.compute(points: Self.points(values), options: SPCOptions(chart: .i)).points
            let scaled = SPCChart.compute(points: Self.points(values.map { $0 * k }), options: SPCOptions(chart: .i))
                .points
            for (a, b) in zip(plain, scaled) {
                #expect(isClose(a.cl.map { $0 * k }, b.cl, tolerance: 1e-9))
                #expect(isClose(a.ucl.map { $0 * k }, b.ucl, tolerance: 1e-9))
                #expect(isClose(a.lcl.map { $0 * k }, b.lcl, tolerance: 1e-9))
                #expect(a.signals == b.signals)
            }
        }
    }

    @Test("p chart limits lie in [0, 1] before multiply, and multiply scales them afterwards")
    func pLimitsWithinUnitInterval() async {
        await propertyCheck(input: Self.counts, Gen.int(in: 1...200)) { counts, extra in
            let points = counts.indices.map {
                SPCPoint(x: "\($0)", y: Double(counts[$0]), n: Double(counts[$0] + extra % ($0 + 2)))
            }
            for chart in [ChartType.p, .pp] {
                let result = SPCChart.compute(points: points, options: SPCOptions(chart: chart))
                for p in result.points {
                    for line in [p.lcl, p.ucl, p.lcl2, p.ucl2].compactMap({ $0 }) { #expect(line >= 0 && line <= 1) }
                }
                let percent = SPCChart.compute(points: points, options: SPCOptions(chart: chart, multiply: 100))
                #expect(isClose(percent.points.map(\.ucl), result.points.map { $0.ucl.map { $0 * 100 } }))
            }
        }
    }

    @Test("any input, any chart, any rules: no crash, every number finite, phases cover the points")
    func noCrashNoNaN() async {
        let value = Gen.frequency(
            (6, Gen.double(in: -50...500).map { Optional($0) }),
            (1, Gen.always(Optional<Double>.none)),
            (1, Gen.always(Optional(0.0))),
            (1, Gen.element(of: [1e-300, 1e300, -1e300, 7.0])))
        await propertyCheck(
            count: 60, input: value.array(of: 0...40), Gen<ChartType>.case, Gen<RuleSet>.case, Gen.int(in: 0...4)
        ) { values, chart, rules, variant in
            let points = values.indices.map { i in
                SPCPoint(
                    x: "\(i / (variant == 1 ? 2 : 1))", y: values[i], n: variant == 2 ? nil : Double((i * 7) % 13),
                    phase: variant == 3 && i > values.count / 2 ? "b" : "a", excluded: variant == 4 && i % 5 == 0)
            }
            let options = SPCOptions(
                chart: chart, rules: rules, direction: .up, target: 10, freeze: variant == 3 ? 5 : nil,
                multiply: variant == 4 ? 100 : 1, screenMovingRanges: variant != 0)
            let result = SPCChart.compute(points: points, options: options)
            for p in result.points {
                for number in [p.y, p.n, p.cl, p.lcl, p.ucl, p.lcl2, p.ucl2].compactMap({ $0 }) {
                    #expect(number.isFinite)
                }
            }
            let covered = result.phases.reduce(0) { $0 + $1.last - $1.first + 1 }
            #expect(covered == result.points.count)
        }
    }

    @Test("constant data never signal, for any constant, chart and rule set")
    func constantDataNeverSignal() async {
        await propertyCheck(
            count: 80, input: Gen.double(in: 0.001...1_000), Gen.int(in: 1...60), Gen<ChartType>.case, Gen<RuleSet>.case
        ) { constant, count, chart, rules in
            let value = chart.usesDenominator ? (constant / 1_000).rounded(.down) : constant
            let points = (0..<count).map { SPCPoint(x: "\($0)", y: value, n: 1_000) }
            for screen in [true, false] {
                let result = SPCChart.compute(
                    points: points,
                    options: SPCOptions(chart: chart, rules: rules, direction: .up, screenMovingRanges: screen))
                #expect(result.points.allSatisfy { $0.signals.isEmpty }, "\(chart) \(rules) \(value)")
            }
        }
    }

    @Test("the dashboard summary agrees with the full chart")
    func summaryAgreesWithChart() async {
        await propertyCheck(count: 50, input: Self.values, Gen<ChartType>.case, Gen<RuleSet>.case) {
            values, chart, rules in
            let positive = values.map { (abs($0) / 10).rounded() + 1 }
            let n = positive.map { $0 * 3 }
            let options = SPCOptions(chart: chart, rules: rules, direction: .down, target: 5)
            let points = positive.indices.map { SPCPoint(x: "\($0 + 1)", y: positive[$0], n: n[$0]) }
            let full = SPCChart.compute(points: points, options: options)
            var workspace = SPCWorkspace()
            let fromPoints = workspace.summarise(points, options: options, series: "s")
            let fromValues = workspace.summarise(values: positive, denominators: n, options: options, series: "s")
            var counts = SignalCounts()
            for p in full.points { counts.add(p.signals, p.pointClass) }
            for summary in [fromPoints, fromValues] {
                #expect(summary.points == full.points.count)
                #expect(summary.last == full.points.last)
                #expect(summary.phase == full.phases.last)
                #expect(summary.counts == counts)
                #expect(summary.variation == full.variation)
                #expect(summary.assurance == full.assurance)
            }
        }
    }

    @Test("the selection median equals the middle of the sorted values")
    func medianMatchesSort() async {
        await propertyCheck(count: 300, input: Gen.int(in: -20...20).array(of: 1...80)) { integers in
            let values = integers.map(Double.init)
            let sorted = values.sorted()
            let middle = sorted.count / 2
            let expected = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            var buffer = values
            var work1 = values
            var work2 = values
            let found = buffer.withUnsafeMutableBufferPointer { buffer in
                work1.withUnsafeMutableBufferPointer { a in
                    work2.withUnsafeMutableBufferPointer { b in
                        median(ofFirst: values.count, in: buffer.baseAddress!, work: a.baseAddress!, b.baseAddress!)
                    }
                }
            }
            #expect(found == expected)
            #expect(buffer == values)  // the input is left as it was
        }
    }
}
