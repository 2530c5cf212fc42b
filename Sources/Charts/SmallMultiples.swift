import SPC

/// Several charts in a grid, one SVG: a ward's indicators, or one measure across teams. With a
/// shared scale every chart uses the same y range, so heights compare across charts.
public struct SmallMultiples: Sendable {
    public var charts: [(title: String, result: SPCResult)]
    public var columns: Int
    public var sharedScale: Bool
    public var cellWidth: Double
    public var cellHeight: Double
    /// The shared y range, when the charts drawn are some of a larger set that shares it (a page
    /// of a programme's teams); otherwise, with `sharedScale`, the range of these charts.
    public var yDomain: ClosedRange<Double>?

    public init(
        charts: [(title: String, result: SPCResult)], columns: Int = 3, sharedScale: Bool = false,
        cellWidth: Double = 320, cellHeight: Double = 200, yDomain: ClosedRange<Double>? = nil
    ) {
        self.charts = charts
        self.columns = max(1, columns)
        self.sharedScale = sharedScale
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
        self.yDomain = yDomain
    }

    /// One y range covering every value each chart plots (points, limits, target), rounded out as
    /// an axis would be.
    public static func sharedDomain(_ results: [SPCResult]) -> ClosedRange<Double> {
        let values = results.flatMap { ControlChart(result: $0, title: "").plottedValues }
        return LinearScale.nice(covering: values, range: 0...1, inverted: false).0.domain
    }

    /// The key under the grid: the cells are too small for one each.
    static let keyHeight = 26.0

    public func svg() -> String {
        let n = SVGWriter.number
        let rows = (charts.count + columns - 1) / columns
        let width = cellWidth * Double(columns)
        let grid = cellHeight * Double(max(rows, 1))
        let height = grid + (charts.isEmpty ? 0 : Self.keyHeight)
        let domain = yDomain ?? (sharedScale ? Self.sharedDomain(charts.map(\.result)) : nil)
        var svg = SVGWriter()
        svg.open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(n(width)) \(n(height))"),
                ("width", n(width)), ("height", n(height)),
                ("role", "group"), ("class", "small-multiples"),
            ])
        for (index, chart) in charts.enumerated() {
            let x = Double(index % columns) * cellWidth
            let y = Double(index / columns) * cellHeight
            let inner = ControlChart(
                result: chart.result, title: chart.title, showIcons: true, showKey: false, width: cellWidth,
                height: cellHeight,
                idPrefix: "multiple-\(index)", yDomain: domain
            ).svg()
            // Each chart stays a nested <svg> with its own title and description, moved into its cell.
            svg.raw("<g transform=\"translate(\(n(x)) \(n(y)))\">\(inner)</g>")
        }
        if !charts.isEmpty {
            ControlChart.drawKey(
                for: charts.map(\.result), showTwoSigma: false, into: &svg, x: 8, y: grid + Self.keyHeight - 9)
        }
        svg.close("svg")
        return svg.text
    }
}
