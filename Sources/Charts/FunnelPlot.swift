import SPC

/// A funnel plot: each unit's proportion or rate against its size, with 95% and 99.8% limits that
/// narrow as size grows, so units of different sizes are compared without a league table. A unit
/// beyond the limits is marked by its shape as well as its colour (orange where the measure's
/// direction makes it worse, blue where better, purple where neither is better).
public struct FunnelPlot: Sendable {
    public var analysis: Funnel.Analysis
    public var direction: ImprovementDirection
    public var title: String
    /// What the x axis counts, e.g. "bed days".
    public var sizeLabel: String
    /// What the y axis shows, e.g. "per 1,000 bed days".
    public var valueLabel: String
    /// Multiply values for display, e.g. 100 for percentages or 1,000 for "per 1,000 bed days".
    public var multiply: Double
    public var width: Double
    public var height: Double
    public var idPrefix: String

    public init(
        analysis: Funnel.Analysis, direction: ImprovementDirection = .neutral, title: String,
        sizeLabel: String = "size", valueLabel: String = "", multiply: Double = 1, width: Double = 760,
        height: Double = 420, idPrefix: String = "funnel"
    ) {
        self.analysis = analysis
        self.direction = direction
        self.title = title
        self.sizeLabel = sizeLabel
        self.valueLabel = valueLabel
        self.multiply = multiply
        self.width = width
        self.height = height
        self.idPrefix = idPrefix
    }

    /// Each unit's number on the plot, in the order of `analysis.units`, from 1: nil for a unit
    /// with no value (not drawn). A table beside the plot names each number.
    public var dotNumbers: [Int?] {
        var next = 0
        return analysis.units.map { unit in
            guard unit.value != nil else { return nil }
            next += 1
            return next
        }
    }

    /// What a position means for this measure, in words.
    public func describe(_ position: Funnel.Position) -> String {
        let better = direction == .up ? "higher" : direction == .down ? "lower" : nil
        func side(_ higher: Bool) -> String {
            let word = higher ? "Higher" : "Lower"
            guard let better else { return "\(word) than expected" }
            return "\(word) than expected: \((higher ? "higher" : "lower") == better ? "better" : "a concern")"
        }
        switch position {
        case .above998: return side(true) + " (beyond 99.8%)"
        case .above95: return side(true) + ", worth a look (beyond 95%)"
        case .within: return "Within the limits"
        case .below95: return side(false) + ", worth a look (beyond 95%)"
        case .below998: return side(false) + " (beyond 99.8%)"
        case .noData: return "No data"
        }
    }

    func colour(_ position: Funnel.Position) -> String {
        let high = position == .above998 || position == .above95
        switch (position, direction) {
        case (.within, _), (.noData, _): return Palette.common
        case (_, .neutral): return Palette.neutral
        case (_, .up): return high ? Palette.improvement : Palette.concern
        case (_, .down): return high ? Palette.concern : Palette.improvement
        }
    }

    public func svg() -> String {
        let n = SVGWriter.number
        let left = 64.0
        let right = 16.0
        let top = 58.0
        let bottom = 52.0
        let sizes = analysis.units.filter { $0.value != nil }.map(\.size)
        let maxSize = (sizes.max() ?? 1) * 1.05
        let grid = (1...80).map { maxSize * Double($0) / 80 }
        let curve = grid.map { analysis.limits(at: $0) }
        let centre = analysis.centre
        var yValues = analysis.units.compactMap(\.value) + [centre]
        yValues += curve.suffix(70).flatMap { [$0.lower998, $0.upper998] }
        let (y, yTicks) = LinearScale.nice(
            covering: yValues.filter(\.isFinite).map { $0 * multiply }, range: top...(height - bottom),
            inverted: true)
        let (x, xTicks) = LinearScale.nice(covering: [0, maxSize], range: left...(width - right), inverted: false)
        var svg = SVGWriter()
        svg.openChart(
            width: width, height: height, idPrefix: idPrefix, cssClass: "funnel-plot", title: title,
            subtitle: analysis.isAdjusted
                ? "Limits widened for the spread between units (φ = \(formatted(analysis.dispersion, decimals: 2)))"
                : nil,
            description: summary(), titleX: left)
        legend(&svg, y: top - 6)
        let yDecimals = LinearScale.decimals(forStep: yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1)
        svg.open("g", [("font-size", "11"), ("fill", Palette.muted)])
        for tick in yTicks {
            svg.valueTick(formatted(tick, decimals: yDecimals), y: y(tick), left: left, right: width - right)
        }
        for tick in xTicks {
            svg.element(
                "text", [("x", n(x(tick))), ("y", n(height - bottom + 18)), ("text-anchor", "middle")],
                content: formatted(tick, decimals: 0))
        }
        svg.element(
            "text", [("x", n((left + width - right) / 2)), ("y", n(height - 10)), ("text-anchor", "middle")],
            content: sizeLabel.isEmpty ? "Size" : sizeLabel.prefix(1).uppercased() + sizeLabel.dropFirst())
        if !valueLabel.isEmpty {
            svg.element(
                "text",
                [
                    ("x", "14"), ("y", n((top + height - bottom) / 2)), ("text-anchor", "middle"),
                    ("transform", "rotate(-90 14 \(n((top + height - bottom) / 2)))"),
                ], content: valueLabel)
        }
        svg.close("g")
        func path(_ value: (Funnel.Limits) -> Double) -> String {
            var drawing = false
            return zip(grid, curve).compactMap { size, limits in
                let v = value(limits)
                guard v.isFinite else {
                    drawing = false
                    return nil
                }
                defer { drawing = true }
                return "\(drawing ? "L" : "M")\(n(x(size))) \(n(y(v * multiply)))"
            }.joined()
        }
        // The limits of the smallest sizes run off the chart; they stop at its edge.
        svg.open("clipPath", [("id", "\(idPrefix)-plot")])
        svg.element(
            "rect",
            [("x", n(left)), ("y", n(top)), ("width", n(width - right - left)), ("height", n(height - bottom - top))])
        svg.close("clipPath")
        svg.open("g", [("fill", "none"), ("clip-path", "url(#\(idPrefix)-plot)")])
        for (line, dash) in [
            (path(\.upper998), "6 4"), (path(\.lower998), "6 4"), (path(\.upper95), "1 3"), (path(\.lower95), "1 3"),
        ] {
            svg.element("path", [("d", line), ("stroke", Palette.limit), ("stroke-dasharray", dash)])
        }
        if centre.isFinite {
            svg.element(
                "line",
                [
                    ("x1", n(left)), ("x2", n(width - right)), ("y1", n(y(centre * multiply))),
                    ("y2", n(y(centre * multiply))), ("stroke", Palette.centre), ("stroke-width", "1.5"),
                ])
        }
        svg.close("g")
        let dots = zip(analysis.units, dotNumbers).compactMap { unit, number in
            unit.value.map { (unit: unit, number: number ?? 0, x: x(unit.size), y: y($0 * multiply)) }
        }
        let labels = DotLabels(
            dots.map { (text: "\($0.number)", x: $0.x, y: $0.y) }, across: left...(width - right),
            down: top...(height - bottom))
        for (dot, label) in zip(dots, labels.placed) {
            let position = analysis.position(of: dot.unit)
            svg.open("g", [("class", "unit")])
            marker(&svg, position, x: dot.x, y: dot.y)
            if let label {
                svg.element(
                    "text",
                    [
                        ("x", n(label.x)), ("y", n(label.y)), ("font-size", "10"), ("fill", Palette.muted),
                        ("text-anchor", label.anchor),
                    ], content: "\(dot.number)")
            }
            svg.element(
                "title", [],
                content:
                    "\(dot.number). \(dot.unit.name): \(formatted(dot.unit.value! * multiply, decimals: 2)) of \(formatted(dot.unit.size, decimals: 0)) — \(describe(position))"
            )
            svg.close("g")
        }
        svg.close("svg")
        return svg.text
    }

    /// A circle within the limits, a diamond beyond 95%, a square beyond 99.8%.
    private func marker(
        _ svg: inout SVGWriter, _ position: Funnel.Position, x: Double, y: Double, fill: String? = nil
    ) {
        let n = SVGWriter.number
        let fill = fill ?? colour(position)
        switch position {
        case .above998, .below998:
            svg.element(
                "rect", [("x", n(x - 5)), ("y", n(y - 5)), ("width", "10"), ("height", "10"), ("fill", fill)])
        case .above95, .below95:
            svg.element(
                "path", [("d", "M\(n(x)) \(n(y - 6))l6 6-6 6-6-6z"), ("fill", fill)])
        case .within, .noData:
            svg.element("circle", [("cx", n(x)), ("cy", n(y)), ("r", "4.5"), ("fill", fill)])
        }
    }

    /// The key to the lines and markers, under the title.
    private func legend(_ svg: inout SVGWriter, y: Double) {
        let n = SVGWriter.number
        var x = 64.0
        svg.open("g", [("font-size", "11"), ("fill", Palette.muted), ("class", "legend")])
        x = svg.keyLine(x: x, y: y, label: "99.8% limits", stroke: Palette.limit, dash: "6 4")
        x = svg.keyLine(x: x, y: y, label: "95% limits", stroke: Palette.limit, dash: "1 3")
        x = svg.keyLine(x: x, y: y, label: "overall", stroke: Palette.centre, width: "1.5")
        for (position, label, width) in [
            (Funnel.Position.within, "within", 64.0), (.above95, "beyond 95%", 92.0), (.above998, "beyond 99.8%", 0),
        ] {
            marker(&svg, position, x: x + 5, y: y - 4, fill: Palette.muted)
            svg.element("text", [("x", n(x + 14)), ("y", n(y))], content: label)
            x += width
        }
        svg.close("g")
    }

    public func summary() -> String {
        let outside = analysis.units.filter {
            let position = analysis.position(of: $0)
            return position == .above998 || position == .below998
        }.map(\.name)
        let centre = analysis.centre * multiply
        var text = "Funnel plot of \(analysis.units.count) units around an overall \(Describe.plain(centre))."
        if analysis.isAdjusted {
            text +=
                " The units vary more than chance allows (φ = \(formatted(analysis.dispersion, decimals: 2))), so the limits are widened for it."
        }
        text +=
            outside.isEmpty
            ? " No unit is beyond the 99.8% limits." : " Beyond the 99.8% limits: \(outside.joined(separator: ", "))."
        return text
    }
}

/// Where each dot's number goes: right of it, else left, above or below, wherever it runs into no
/// other number or dot and stays on the plot. A number with no such place is left off (the dot's
/// tooltip and the table still name it), so numbers never overlap.
struct DotLabels {
    struct Label {
        let x: Double
        let y: Double
        let anchor: String
    }

    let placed: [Label?]

    /// `across` and `down`: the plot's extent, which a number keeps inside (clear of the legend
    /// above it and the axis below).
    init(_ dots: [(text: String, x: Double, y: Double)], across: ClosedRange<Double>, down: ClosedRange<Double>) {
        typealias Box = (left: Double, right: Double, top: Double, bottom: Double)
        func overlaps(_ a: Box, _ b: Box) -> Bool {
            a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
        }
        var taken: [Box] = dots.map { ($0.x - 6, $0.x + 6, $0.y - 6, $0.y + 6) }
        var placed: [Label?] = []
        for dot in dots {
            let width = Double(dot.text.count) * 6 + 2
            // Each candidate: the label's anchor point and its box.
            let candidates: [(Label, Box)] = [
                (
                    .init(x: dot.x + 8, y: dot.y + 4, anchor: "start"),
                    (dot.x + 7, dot.x + 8 + width, dot.y - 5, dot.y + 5)
                ),
                (
                    .init(x: dot.x - 8, y: dot.y + 4, anchor: "end"),
                    (dot.x - 8 - width, dot.x - 7, dot.y - 5, dot.y + 5)
                ),
                (
                    .init(x: dot.x, y: dot.y - 9, anchor: "middle"),
                    (dot.x - width / 2, dot.x + width / 2, dot.y - 18, dot.y - 7)
                ),
                (
                    .init(x: dot.x, y: dot.y + 17, anchor: "middle"),
                    (dot.x - width / 2, dot.x + width / 2, dot.y + 7, dot.y + 18)
                ),
            ]
            let choice = candidates.first { _, box in
                across.contains(box.left) && across.contains(box.right) && down.contains(box.top)
                    && down.contains(box.bottom) && !taken.contains { overlaps(box, $0) }
            }
            if let choice { taken.append(choice.1) }
            placed.append(choice?.0)
        }
        self.placed = placed
    }
}
