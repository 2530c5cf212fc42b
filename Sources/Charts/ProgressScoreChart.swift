/// A project's IHI progress score over time: a step line from 0.5 to 5.0, each update a point.
public struct ProgressScoreChart: Sendable {
    public var updates: [(date: String, score: Double)]
    public var title: String
    public var width: Double
    public var height: Double

    public init(
        updates: [(date: String, score: Double)], title: String = "Progress score", width: Double = 560,
        height: Double = 200
    ) {
        self.updates = updates
        self.title = title
        self.width = width
        self.height = height
    }

    public func svg() -> String {
        let n = SVGWriter.number
        let left = 40.0
        let right = 12.0
        let top = 28.0
        let bottom = 30.0
        let y = LinearScale(domain: 0...5, range: top...(height - bottom), inverted: true)
        let slot = updates.isEmpty ? 0 : (width - left - right) / Double(updates.count)
        func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * slot }
        var svg = SVGWriter()
        svg.openChart(
            width: width, height: height, idPrefix: "progress", cssClass: "progress-chart", title: title,
            description: summary(), titleX: left)
        for tick in stride(from: 1.0, through: 5.0, by: 1.0) {
            svg.valueTick(
                formatted(tick, decimals: 1), y: y(tick), left: left, right: width - right,
                labelStyle: [("font-size", "11"), ("fill", Palette.muted)])
        }
        var path = ""
        for (index, update) in updates.enumerated() {
            path +=
                index == 0
                ? "M\(n(x(index) - slot / 2)) \(n(y(update.score)))"
                : "L\(n(x(index) - slot / 2)) \(n(y(update.score)))"
            path += "L\(n(x(index) + slot / 2)) \(n(y(update.score)))"
        }
        if !path.isEmpty {
            svg.element(
                "path", [("d", path), ("fill", "none"), ("stroke", Palette.improvement), ("stroke-width", "2")])
        }
        let labelStep = TimeLabels.labelStep(count: updates.count, longest: 9, width: width - left - right)
        for (index, update) in updates.enumerated() {
            svg.open("g", [("class", "update")])
            svg.element(
                "circle", [("cx", n(x(index))), ("cy", n(y(update.score))), ("r", "4"), ("fill", Palette.improvement)])
            svg.element(
                "title", [], content: "\(TimeLabels.full(update.date)): \(formatted(update.score, decimals: 1))")
            svg.close("g")
            if index % labelStep == 0 {
                svg.element(
                    "text",
                    [
                        ("x", n(x(index))), ("y", n(height - bottom + 16)), ("text-anchor", "middle"),
                        ("font-size", "11"), ("fill", Palette.muted),
                    ],
                    content: TimeLabels.labels(for: [update.date]).first ?? update.date)
            }
        }
        svg.close("svg")
        return svg.text
    }

    public func summary() -> String {
        guard let first = updates.first, let last = updates.last else { return "No progress updates yet." }
        let (firstDay, lastDay) = (TimeLabels.full(first.date), TimeLabels.full(last.date))
        if updates.count == 1 { return "One update, scored \(formatted(last.score, decimals: 1)) on \(lastDay)." }
        return
            "\(updates.count) updates, from \(formatted(first.score, decimals: 1)) on \(firstDay) to \(formatted(last.score, decimals: 1)) on \(lastDay)."
    }
}
