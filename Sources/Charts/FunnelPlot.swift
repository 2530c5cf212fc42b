import SPC

/// A funnel plot: each unit's proportion or rate against its size, with 2σ and 3σ limits that
/// narrow as size grows, so units of different sizes are compared without a league table.
public struct FunnelPlot: Sendable {
    public enum Measure: Sendable { case proportion, rate }

    public var units: [Funnel.Unit]
    public var measure: Measure
    public var title: String
    /// Multiply values for display, e.g. 100 for percentages or 1,000 for "per 1,000 bed days".
    public var multiply: Double
    public var width: Double
    public var height: Double
    public var idPrefix: String

    public init(
        units: [Funnel.Unit], measure: Measure, title: String, multiply: Double = 1, width: Double = 760,
        height: Double = 400, idPrefix: String = "funnel"
    ) {
        self.units = units
        self.measure = measure
        self.title = title
        self.multiply = multiply
        self.width = width
        self.height = height
        self.idPrefix = idPrefix
    }

    /// Where each unit sits: inside the 2σ limits, between 2σ and 3σ, or beyond 3σ.
    public func position(of unit: Funnel.Unit) -> String {
        guard let value = unit.value, let limits = limits(at: [unit.size]).first else { return "no data" }
        if value > limits.upper3 || value < limits.lower3 { return "beyond 3σ" }
        if value > limits.upper2 || value < limits.lower2 { return "beyond 2σ" }
        return "within limits"
    }

    func limits(at sizes: [Double]) -> [Funnel.Limits] {
        let centre = Funnel.overall(units)
        return measure == .proportion
            ? Funnel.proportionLimits(overall: centre, sizes: sizes)
            : Funnel.rateLimits(overall: centre, exposures: sizes)
    }

    public func svg() -> String {
        let n = SVGWriter.number
        let left = 56.0
        let right = 16.0
        let top = 40.0
        let bottom = 44.0
        let sizes = units.map(\.size).filter { $0 > 0 }
        let maxSize = (sizes.max() ?? 1) * 1.05
        let grid = (1...80).map { maxSize * Double($0) / 80 }
        let curve = limits(at: grid)
        let centre = Funnel.overall(units)
        var yValues = units.compactMap(\.value) + [centre]
        yValues += curve.suffix(70).flatMap { [$0.lower3, $0.upper3] }
        let (y, yTicks) = LinearScale.nice(
            covering: yValues.map { $0 * multiply }, range: top...(height - bottom), inverted: true)
        let (x, xTicks) = LinearScale.nice(covering: [0, maxSize], range: left...(width - right), inverted: false)
        var svg = SVGWriter()
        svg.openChart(
            width: width, height: height, idPrefix: idPrefix, cssClass: "funnel-plot", title: title,
            description: summary(), titleX: left)
        let yDecimals = LinearScale.decimals(forStep: yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1)
        svg.open("g", [("font-size", "11"), ("fill", Palette.muted)])
        for tick in yTicks {
            svg.element(
                "line",
                [
                    ("x1", n(left)), ("x2", n(width - right)), ("y1", n(y(tick))), ("y2", n(y(tick))),
                    ("stroke", Palette.grid),
                ])
            svg.element(
                "text", [("x", n(left - 6)), ("y", n(y(tick) + 4)), ("text-anchor", "end")],
                content: formatted(tick, decimals: yDecimals))
        }
        for tick in xTicks {
            svg.element(
                "text", [("x", n(x(tick))), ("y", n(height - bottom + 18)), ("text-anchor", "middle")],
                content: formatted(tick, decimals: 0))
        }
        svg.close("g")
        func path(_ value: (Funnel.Limits) -> Double) -> String {
            zip(grid, curve).enumerated().compactMap { index, pair in
                let v = value(pair.1)
                return v.isFinite ? "\(index == 0 ? "M" : "L")\(n(x(pair.0))) \(n(y(v * multiply)))" : nil
            }.joined()
        }
        svg.open("g", [("fill", "none")])
        for (line, dash) in [
            (path(\.upper3), "6 4"), (path(\.lower3), "6 4"), (path(\.upper2), "1 3"), (path(\.lower2), "1 3"),
        ] {
            svg.element("path", [("d", line), ("stroke", Palette.limit), ("stroke-dasharray", dash)])
        }
        svg.element(
            "line",
            [
                ("x1", n(left)), ("x2", n(width - right)), ("y1", n(y(centre * multiply))),
                ("y2", n(y(centre * multiply))), ("stroke", Palette.centre), ("stroke-width", "1.5"),
            ])
        svg.close("g")
        for unit in units {
            guard let value = unit.value else { continue }
            let where_ = position(of: unit)
            let colour =
                where_ == "beyond 3σ" ? Palette.concern : where_ == "beyond 2σ" ? Palette.neutral : Palette.common
            svg.open("g", [("class", "unit")])
            svg.element(
                "circle", [("cx", n(x(unit.size))), ("cy", n(y(value * multiply))), ("r", "4.5"), ("fill", colour)])
            svg.element(
                "title", [],
                content:
                    "\(unit.name): \(formatted(value * multiply, decimals: 2)) of \(formatted(unit.size, decimals: 0)) — \(where_)"
            )
            svg.close("g")
        }
        svg.close("svg")
        return svg.text
    }

    public func summary() -> String {
        let outside = units.filter { position(of: $0) == "beyond 3σ" }.map(\.name)
        let centre = Funnel.overall(units) * multiply
        var text = "Funnel plot of \(units.count) units around an overall \(Describe.plain(centre))."
        text +=
            outside.isEmpty
            ? " No unit is beyond the 3σ limits." : " Beyond the 3σ limits: \(outside.joined(separator: ", "))."
        return text
    }
}
