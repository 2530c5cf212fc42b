import SPC

/// A Pareto chart: categories as bars from most to least frequent, and the cumulative share as a
/// line against a percentage axis on the right, so a team sees the "vital few" causes.
public struct ParetoChart: Sendable {
    public var bars: [ParetoBar]
    public var title: String
    public var width: Double
    public var height: Double
    public var idPrefix: String

    public init(
        bars: [ParetoBar], title: String, width: Double = 760, height: Double = 360, idPrefix: String = "pareto"
    ) {
        self.bars = bars
        self.title = title
        self.width = width
        self.height = height
        self.idPrefix = idPrefix
    }

    public func svg() -> String {
        let n = SVGWriter.number
        let left = 56.0
        let right = 48.0
        let top = 40.0
        let bottom = 70.0
        let plotRight = width - right
        let plotBottom = height - bottom
        let (scale, ticks) = LinearScale.nice(
            covering: [0] + bars.map(\.count), range: top...plotBottom, inverted: true)
        let share = LinearScale(domain: 0...1, range: top...plotBottom, inverted: true)
        let slot = bars.isEmpty ? 0 : (plotRight - left) / Double(bars.count)
        var svg = SVGWriter()
        svg.openChart(
            width: width, height: height, idPrefix: idPrefix, cssClass: "pareto-chart", title: title,
            description: summary(), titleX: left)
        svg.open("g", [("font-size", "11"), ("fill", Palette.muted)])
        for tick in ticks {
            svg.valueTick(formatted(tick, decimals: 0), y: scale(tick), left: left, right: plotRight)
        }
        for percent in stride(from: 0, through: 100, by: 25) {
            svg.element(
                "text", [("x", n(plotRight + 6)), ("y", n(share(Double(percent) / 100) + 4))], content: "\(percent)%")
        }
        svg.close("g")
        var line = ""
        for (index, bar) in bars.enumerated() {
            let x = left + Double(index) * slot
            svg.open("g", [("class", "bar")])
            svg.element(
                "rect",
                [
                    ("x", n(x + slot * 0.1)), ("y", n(scale(bar.count))), ("width", n(slot * 0.8)),
                    ("height", n(plotBottom - scale(bar.count))), ("fill", Palette.improvement),
                ])
            svg.element(
                "title", [],
                content:
                    "\(bar.category): \(formatted(bar.count, decimals: 0)) (\(formatted(bar.share * 100, decimals: 0))%, cumulative \(formatted(bar.cumulativeShare * 100, decimals: 0))%)"
            )
            svg.close("g")
            let label = bar.category.count > 14 ? String(bar.category.prefix(13)) + "…" : bar.category
            svg.element(
                "text",
                [
                    ("x", n(x + slot / 2)), ("y", n(plotBottom + 14)), ("font-size", "11"), ("text-anchor", "end"),
                    ("fill", Palette.muted),
                    ("transform", "rotate(-30 \(n(x + slot / 2)) \(n(plotBottom + 14)))"),
                ], content: label)
            line += "\(index == 0 ? "M" : "L")\(n(x + slot / 2)) \(n(share(bar.cumulativeShare)))"
        }
        if !line.isEmpty {
            svg.element(
                "path",
                [
                    ("d", line), ("class", "cumulative"), ("fill", "none"), ("stroke", Palette.concern),
                    ("stroke-width", "2"),
                ])
        }
        svg.close("svg")
        return svg.text
    }

    public func summary() -> String {
        guard let first = bars.first else { return "Pareto chart with no categories." }
        let vital = bars.prefix { $0.cumulativeShare < 0.8 }.count + 1
        return
            "Pareto chart of \(bars.count) categories. The most frequent is \(first.category) (\(formatted(first.share * 100, decimals: 0))%). "
            + "The top \(min(vital, bars.count)) account for \(formatted(bars[min(vital, bars.count) - 1].cumulativeShare * 100, decimals: 0))%."
    }
}
