import SyntheticData
import Testing

@testable import SPC

@Suite("Workspace and synthetic data")
struct WorkspaceTests {
    @Test("a reused workspace gives the same answers as a fresh one, longer or shorter series alike")
    func reuse() {
        let generator = SyntheticSeries()
        var workspace = SPCWorkspace()
        for (index, count) in [(0, 200), (1, 10), (2, 104), (3, 1), (4, 300)] {
            let points = generator.points(index: index, count: count, chart: .p)
            let options = SPCOptions(chart: .p, rules: .mdc, direction: .up)
            #expect(workspace.compute(points, options: options) == SPCChart.compute(points: points, options: options))
        }
    }

    @Test("copies of a workspace do not share memory")
    func copiesAreIndependent() {
        var first = SPCWorkspace()
        let a = SyntheticSeries().points(index: 1, count: 30, chart: .i)
        _ = first.compute(a, options: SPCOptions(chart: .i))
        var second = first
        let b = SyntheticSeries().points(index: 2, count: 30, chart: .i)
        let fromSecond = second.compute(b, options: SPCOptions(chart: .i))
        let fromFirst = first.compute(a, options: SPCOptions(chart: .i))
        #expect(fromFirst == SPCChart.compute(points: a, options: SPCOptions(chart: .i)))
        #expect(fromSecond == SPCChart.compute(points: b, options: SPCOptions(chart: .i)))
    }

    @Test("synthetic series are deterministic and shaped for their chart")
    func synthetic() {
        let generator = SyntheticSeries(seed: 42)
        var values: [Double] = []
        var denominators: [Double] = []
        generator.fill(values: &values, denominators: &denominators, index: 7, points: 104, chart: .p)
        #expect(values.count == 104 && denominators.count == 104)
        #expect(zip(values, denominators).allSatisfy { $0 >= 0 && $0 <= $1 && $1 >= 80 && $1 <= 120 })
        var again: [Double] = []
        generator.fill(values: &again, denominators: &denominators, index: 7, points: 104, chart: .p)
        #expect(again == values)
        var other: [Double] = []
        generator.fill(values: &other, denominators: &denominators, index: 8, points: 104, chart: .p)
        #expect(other != values)
        generator.fill(values: &values, denominators: &denominators, index: 7, points: 104, chart: .i)
        #expect(denominators.isEmpty)
        // One series in four steps up by 1.5σ after the middle: the i chart sees special causes.
        var workspace = SPCWorkspace()
        let stepped = workspace.summarise(
            values: SyntheticSeries().points(index: 3, count: 104, chart: .i).map { $0.y! },
            options: SPCOptions(chart: .i, rules: .mdc, direction: .up))
        #expect(stepped.counts.shift > 0)
    }
}
