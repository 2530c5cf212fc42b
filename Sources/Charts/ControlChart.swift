import SPC

/// A note on a chart at one point: "PDSA 2 started", "New triage form adopted".
public struct ChartAnnotation: Sendable, Hashable {
    /// The index of the point the note belongs to.
    public var index: Int
    public var text: String

    public init(index: Int, text: String) {
        self.index = index
        self.text = text
    }
}

/// A run or control chart drawn as a self-contained, accessible SVG: data line and points coloured
/// and shaped by class, centre line, dashed limits that step at phases and with denominators,
/// optional 2σ lines, a target, annotations as flags, phase labels, the Making Data Count icons,
/// and a `<desc>` that says in words what the chart shows.
public struct ControlChart: Sendable {
    public var result: SPCResult
    public var title: String
    public var subtitle: String?
    public var annotations: [ChartAnnotation]
    public var showTwoSigma: Bool
    public var showIcons: Bool
    /// A key to the lines and markers under the axis, where the chart is wide enough.
    public var showKey: Bool
    public var width: Double
    public var height: Double
    /// Makes ids unique when several charts share a page.
    public var idPrefix: String
    /// A fixed y range (for small multiples on a shared scale); nil fits the data.
    public var yDomain: ClosedRange<Double>?

    public init(
        result: SPCResult, title: String, subtitle: String? = nil, annotations: [ChartAnnotation] = [],
        showTwoSigma: Bool = false, showIcons: Bool = true, showKey: Bool = true, width: Double = 760,
        height: Double = 360, idPrefix: String = "chart", yDomain: ClosedRange<Double>? = nil,
        floor: Double? = nil
    ) {
        self.showKey = showKey
        self.result = floor.map { Self.limits(of: result, flooredAt: $0) } ?? result
        self.title = title
        self.subtitle = subtitle
        self.annotations = annotations
        self.showTwoSigma = showTwoSigma
        self.showIcons = showIcons
        self.width = width
        self.height = height
        self.idPrefix = idPrefix
        self.yDomain = yDomain
    }

    /// The values the y axis must show.
    var plottedValues: [Double] {
        var values: [Double] = []
        for point in result.points {
            for value in [point.y, point.cl, point.lcl, point.ucl] { if let value { values.append(value) } }
            if showTwoSigma { for value in [point.lcl2, point.ucl2] { if let value { values.append(value) } } }
        }
        if let target = result.target { values.append(target) }
        return values
    }

    public func svg() -> String {
        let n = SVGWriter.number
        let iconSpace = showIcons ? 96.0 : 0
        let left = 56.0
        let right = 16.0
        let plotLeft = left
        let plotRight = width - right
        let count = result.points.count
        let slot = count > 0 ? (plotRight - plotLeft) / Double(count) : 0
        func x(_ index: Int) -> Double { plotLeft + (Double(index) + 0.5) * slot }
        let flags = FlagLayout(
            annotations, in: result.points.indices, x: x, right: width - right,
            period: { TimeLabels.full(result.points[$0].x) })
        let top = (subtitle == nil ? 34.0 : 52.0) + (flags.rows == 0 ? 8 : 4 + 11 * Double(flags.rows))
        let key = showKey && width >= Self.narrowestWithKey
        let notes = NumberedNotes(flags.numbered, width: width - left - right)
        let bottom = (key ? 62.0 : 46.0) + 14 * Double(notes.lines.count)
        let plotTop = top
        let plotBottom = height - bottom

        let (scale, ticks): (LinearScale, [Double])
        if let yDomain {
            let step = LinearScale.niceStep((yDomain.upperBound - yDomain.lowerBound) / 4)
            scale = LinearScale(domain: yDomain, range: plotTop...plotBottom, inverted: true)
            ticks = stride(from: (yDomain.lowerBound / step).rounded(.up) * step, through: yDomain.upperBound, by: step)
                .map { $0 }
        } else {
            (scale, ticks) = LinearScale.nice(covering: plottedValues, range: plotTop...plotBottom, inverted: true)
        }
        let decimals = LinearScale.decimals(forStep: ticks.count > 1 ? ticks[1] - ticks[0] : 1)

        var svg = SVGWriter()
        svg.openChart(
            width: width, height: height, idPrefix: idPrefix, cssClass: "spc-chart", title: title, subtitle: subtitle,
            description: summary(), titleX: plotLeft)

        // Grid and y axis.
        svg.open("g", [("class", "y-axis"), ("font-size", "11"), ("fill", Palette.muted)])
        for tick in ticks {
            svg.valueTick(formatted(tick, decimals: decimals), y: scale(tick), left: plotLeft, right: plotRight)
        }
        svg.close("g")

        // X axis labels, spaced so they never overlap.
        let labels = TimeLabels.labels(for: result.points.map(\.x))
        let step = TimeLabels.labelStep(
            count: count, longest: labels.map(\.count).max() ?? 1, width: plotRight - plotLeft)
        svg.open("g", [("class", "x-axis"), ("font-size", "11"), ("fill", Palette.muted)])
        svg.element(
            "line",
            [
                ("x1", n(plotLeft)), ("x2", n(plotRight)), ("y1", n(plotBottom)), ("y2", n(plotBottom)),
                ("stroke", Palette.line),
            ])
        for index in stride(from: 0, to: count, by: step) {
            svg.element(
                "line",
                [
                    ("x1", n(x(index))), ("x2", n(x(index))), ("y1", n(plotBottom)), ("y2", n(plotBottom + 4)),
                    ("stroke", Palette.line),
                ])
            svg.element(
                "text", [("x", n(x(index))), ("y", n(plotBottom + 18)), ("text-anchor", "middle")],
                content: labels[index])
        }
        svg.close("g")

        // Phase separators and labels.
        if result.phases.count > 1 || result.phases.contains(where: { $0.label != nil }) {
            svg.open("g", [("class", "phases"), ("font-size", "11"), ("fill", Palette.muted)])
            for phase in result.phases {
                let start = plotLeft + Double(phase.first) * slot
                if phase.first > 0 {
                    svg.element(
                        "line",
                        [
                            ("x1", n(start)), ("x2", n(start)), ("y1", n(plotTop)), ("y2", n(plotBottom)),
                            ("stroke", Palette.line), ("stroke-dasharray", "2 3"),
                        ])
                }
                let label = phase.label ?? "Phase \(phase.phase)"
                svg.element(
                    "text", [("x", n(start + 4)), ("y", n(plotTop + 12))],
                    content: phase.trial ? "\(label) (trial limits)" : label)
            }
            svg.close("g")
        }

        // Lines: limits and 2σ dashed/dotted, centre solid, each a step path broken at phases and gaps.
        func stepPath(_ value: (SPCResult.Point) -> Double?) -> String {
            var path = ""
            var previous: (phase: Int, y: Double)? = nil
            for (index, point) in result.points.enumerated() {
                guard let v = value(point), v.isFinite else {
                    previous = nil
                    continue
                }
                let y = scale(v)
                let x0 = x(index) - slot / 2
                let x1 = x(index) + slot / 2
                if let previous, previous.phase == point.phase {
                    if previous.y != y { path += "L\(n(x0)) \(n(y))" }
                    path += "L\(n(x1)) \(n(y))"
                } else {
                    path += "M\(n(x0)) \(n(y))L\(n(x1)) \(n(y))"
                }
                previous = (point.phase, y)
            }
            return path
        }
        svg.open("g", [("class", "lines"), ("fill", "none")])
        if showTwoSigma {
            for path in [stepPath(\.ucl2), stepPath(\.lcl2)] where !path.isEmpty {
                svg.element(
                    "path",
                    [("d", path), ("stroke", Palette.twoSigma), ("stroke-width", "1"), ("stroke-dasharray", "1 3")])
            }
        }
        for (path, name) in [(stepPath(\.ucl), "ucl"), (stepPath(\.lcl), "lcl")] where !path.isEmpty {
            svg.element(
                "path",
                [
                    ("d", path), ("class", name), ("stroke", Palette.limit), ("stroke-width", "1.2"),
                    ("stroke-dasharray", "6 4"),
                ])
        }
        // A phase whose runs analysis signals (a long run or too few crossings) gets a dashed, coloured
        // centre line, as qicharts2 draws it.
        for phase in result.phases {
            let centre = stepPath { $0.phase == phase.phase ? $0.cl : nil }
            guard !centre.isEmpty else { continue }
            let style: [(String, String)] =
                phase.runsSignal
                ? [
                    ("class", "cl runs-signal"), ("stroke", Palette.neutral), ("stroke-width", "2"),
                    ("stroke-dasharray", "8 3"),
                ]
                : [("class", "cl"), ("stroke", Palette.centre), ("stroke-width", "1.5")]
            svg.element("path", [("d", centre)] + style)
        }
        if let target = result.target, target.isFinite {
            let y = scale(target)
            svg.element(
                "line",
                [
                    ("x1", n(plotLeft)), ("x2", n(plotRight)), ("y1", n(y)), ("y2", n(y)), ("class", "target"),
                    ("stroke", Palette.target), ("stroke-width", "1.5"), ("stroke-dasharray", "10 4"),
                ])
            svg.element(
                "text",
                [
                    ("x", n(plotRight - 4)), ("y", n(y - 4)), ("text-anchor", "end"), ("font-size", "11"),
                    ("fill", Palette.target),
                ], content: "Target \(formatted(target, decimals: max(decimals, 0)))")
        }
        svg.close("g")

        // The data line and points.
        var line = ""
        var drawing = false
        for (index, point) in result.points.enumerated() {
            guard let value = point.y, value.isFinite else {
                drawing = false
                continue
            }
            line += "\(drawing ? "L" : "M")\(n(x(index))) \(n(scale(value)))"
            drawing = true
        }
        svg.open("g", [("class", "data")])
        if !line.isEmpty {
            svg.element("path", [("d", line), ("fill", "none"), ("stroke", Palette.line), ("stroke-width", "1.5")])
        }
        for (index, point) in result.points.enumerated() {
            guard let value = point.y, value.isFinite else { continue }
            svg.open("g", [("class", "point \(point.pointClass.rawValue)")])
            Marker.draw(point.pointClass, excluded: point.excluded, x: x(index), y: scale(value), into: &svg)
            var tip = "\(TimeLabels.full(point.x)): \(formatted(value, decimals: max(decimals, 1)))"
            if point.pointClass != .common { tip += " — special cause \(point.pointClass.rawValue)" }
            if point.excluded { tip += " (excluded from the calculations)" }
            if let note = point.note { tip += " — \(note)" }
            svg.element("title", [], content: tip)
            svg.close("g")
        }
        svg.close("g")

        // Annotations: a flag above the plot, in the first row it fits, and a dotted line down to the point.
        if !flags.placed.isEmpty {
            svg.open("g", [("class", "annotations"), ("font-size", "11")])
            for flag in flags.placed {
                let flagY = flag.labelShown ? plotTop - 4 - 11 * Double(flags.rows - flag.row) : plotTop
                let line = [
                    ("x1", n(flag.x)), ("x2", n(flag.x)), ("y1", n(flagY)), ("y2", n(plotBottom)),
                    ("stroke", Palette.neutral), ("stroke-width", "1"), ("stroke-dasharray", "2 2"),
                ]
                guard flag.labelShown else {
                    // A line without its label still names its note, and its number in the list beneath.
                    svg.open("line", line)
                    svg.element("title", [], content: "\(flag.number ?? 0). \(flag.text)")
                    svg.close("line")
                    continue
                }
                svg.element("line", line)
                svg.open(
                    "text",
                    [
                        ("x", n(flag.leftward ? flag.x - 3 : flag.x + 3)), ("y", n(flagY + 9)),
                        ("fill", Palette.neutral),
                        ("text-anchor", flag.leftward ? "end" : "start"),
                    ])
                svg.element("title", [], content: flag.text)
                svg.raw(flag.label.markupEscaped)
                svg.close("text")
            }
            svg.close("g")
        }
        let notesHeight = 14 * Double(notes.lines.count)
        if key { drawKey(into: &svg, x: plotLeft, y: height - 12 - notesHeight) }
        notes.draw(into: &svg, x: plotLeft, y: height - notesHeight + 2)

        if showIcons { drawIcons(into: &svg, x: width - right - iconSpace + 48, y: 22) }
        svg.close("svg")
        return svg.text
    }

    /// The result with every lower limit at `floor` or above, for a measure that cannot go below it
    /// (a count, a rate, a time): an XmR chart's limits are symmetric and can fall below zero, which
    /// draws a limit no value could cross. No signal changes: a value at the floor is not below it.
    public static func limits(of result: SPCResult, flooredAt floor: Double) -> SPCResult {
        var floored = result
        floored.points = result.points.map { point in
            var point = point
            point.lcl = point.lcl.map { Swift.max($0, floor) }
            point.lcl2 = point.lcl2.map { Swift.max($0, floor) }
            return point
        }
        return floored
    }

    /// Charts narrower than this have no room for a key (small multiples).
    static let narrowestWithKey = 420.0

    /// The key to the lines and markers drawn: the centre line, the limits, the target, a centre
    /// line that signals in the runs, and each kind of special cause point shown.
    private func drawKey(into svg: inout SVGWriter, x start: Double, y: Double) {
        Self.drawKey(for: [result], showTwoSigma: showTwoSigma, into: &svg, x: start, y: y)
    }

    /// The key to charts drawn together (small multiples): each line and kind of point any of them
    /// shows, once.
    static func drawKey(
        for results: [SPCResult], showTwoSigma: Bool, into svg: inout SVGWriter, x start: Double, y: Double
    ) {
        let medians = results.filter { $0.chart == .run || $0.chart == .g }.count
        let centre = medians == 0 ? "Mean" : medians == results.count ? "Median" : "Mean or median"
        let phases = results.flatMap(\.phases)
        let points = results.flatMap(\.points)
        var x = start
        svg.open("g", [("class", "key"), ("font-size", "11"), ("fill", Palette.muted)])
        // The plain centre line, where one is drawn: a phase whose runs signal draws it dashed instead.
        if phases.contains(where: { !$0.runsSignal }) {
            x = svg.keyLine(x: x, y: y, label: centre, stroke: Palette.centre, width: "1.5")
        }
        if points.contains(where: { $0.ucl != nil || $0.lcl != nil }) {
            x = svg.keyLine(x: x, y: y, label: "Control limits", stroke: Palette.limit, dash: "6 4")
        }
        if showTwoSigma, points.contains(where: { $0.ucl2 != nil || $0.lcl2 != nil }) {
            x = svg.keyLine(x: x, y: y, label: "2σ", stroke: Palette.twoSigma, dash: "1 3")
        }
        if results.contains(where: { $0.target != nil }) {
            x = svg.keyLine(x: x, y: y, label: "Target", stroke: Palette.target, dash: "10 4", width: "1.5")
        }
        if phases.contains(where: \.runsSignal) {
            x = svg.keyLine(x: x, y: y, label: "Shift or trend", stroke: Palette.neutral, dash: "8 3", width: "2")
        }
        for (pointClass, label) in [
            (PointClass.improvement, "Improvement"), (.concern, "Concern"), (.neutral, "Special cause"),
        ] where points.contains(where: { $0.pointClass == pointClass && $0.y != nil }) {
            Marker.draw(pointClass, excluded: false, x: x + 6, y: y - 4, into: &svg)
            svg.element("text", [("x", SVGWriter.number(x + 16)), ("y", SVGWriter.number(y))], content: label)
            x += 16 + Double(label.count) * 6.2 + 14
        }
        svg.close("g")
    }

    /// The variation icon, and the assurance icon beside it when there is a target: drawn by `MDCIcons`, as in
    /// the measures table.
    private func drawIcons(into svg: inout SVGWriter, x: Double, y: Double) {
        MDCIcons.drawVariation(result.variation, x: x, y: y, radius: MDCIcons.radius, into: &svg)
        guard let assurance = result.assurance else { return }
        MDCIcons.drawAssurance(assurance, x: x + 40, y: y, radius: MDCIcons.radius, into: &svg)
    }

    /// The chart in words, for screen readers and the text alternative.
    public func summary() -> String {
        Describe.chart(result)
    }
}

/// Where each annotation's flag goes: in the first of up to three rows above the plot where it does
/// not run into the flag before it, its label drawn leftward of its line near the right edge, and cut
/// short (the whole text in its tooltip) when long. Notes on one point share one flag. A flag that
/// finds no room in three rows is numbered instead, and its note is listed beneath the chart; where
/// even its number finds no room (notes on neighbouring days of a long daily chart), only its line
/// is drawn, the number and note still listed beneath.
struct FlagLayout {
    struct Flag {
        /// The notes on this point, joined for the tooltip.
        let text: String
        let label: String
        let x: Double
        let row: Int
        let leftward: Bool
        /// Set when the flag shows a number, its note being listed beneath the chart.
        let number: Int?
        /// The point's period in words, for the list beneath the chart.
        let period: String
        /// False for a flag whose label found no room: its line alone is drawn.
        let labelShown: Bool
    }

    static let maximumRows = 3
    static let numberRows = 2
    static let longestLabel = 40

    let placed: [Flag]
    var rows: Int { placed.map { $0.row + 1 }.max() ?? 0 }
    /// The numbered flags, in number order, for the list beneath the chart.
    var numbered: [Flag] { placed.filter { $0.number != nil } }

    init(
        _ annotations: [ChartAnnotation], in indices: Range<Int>, x: (Int) -> Double, right: Double,
        period: (Int) -> String = { _ in "" }
    ) {
        var ends: [Double] = []
        var placed: [Flag] = []
        let atPoint = Dictionary(grouping: annotations.filter { indices.contains($0.index) }, by: \.index)
        for index in atPoint.keys.sorted() {
            let text = atPoint[index, default: []].map(\.text).joined(separator: "; ")
            let at = x(index)
            // The row among the first `rows` this label fits in, if any, and where it starts and ends.
            func fit(_ label: String, rows: Int) -> (row: Int?, end: Double, leftward: Bool) {
                let width = Double(label.count) * 6 + 10
                let leftward = at + width > right
                let (start, end) = leftward ? (at - width, at) : (at, at + width)
                let row = ends.prefix(rows).firstIndex { $0 < start } ?? (ends.count < rows ? ends.count : nil)
                return (row, end, leftward)
            }
            let label = text.count > Self.longestLabel ? String(text.prefix(Self.longestLabel - 1)) + "…" : text
            var number: Int?
            var place = fit(label, rows: Self.maximumRows)
            if place.row == nil {
                // A number is narrow enough for a row of its own, nearest the plot, below the notes'.
                number = placed.count { $0.number != nil } + 1
                place = fit("\(number!)", rows: Self.maximumRows + Self.numberRows)
            }
            if let row = place.row {
                if row == ends.count { ends.append(place.end) } else { ends[row] = max(ends[row], place.end) }
            }
            placed.append(
                .init(
                    text: text, label: number.map { "\($0)" } ?? label, x: at, row: place.row ?? 0,
                    leftward: place.leftward, number: number, period: period(index), labelShown: place.row != nil))
        }
        self.placed = placed
    }
}

/// The notes of numbered flags, a line each beneath the chart: "2. New rota; Audit". Four lines at
/// most; the last says how many more there are, each note still in its number's tooltip.
struct NumberedNotes {
    static let mostLines = 4
    let lines: [String]

    init(_ flags: [FlagLayout.Flag], width: Double) {
        let characters = max(12, Int(width / 6.2))
        func line(_ flag: FlagLayout.Flag) -> String {
            let text = "\(flag.number ?? 0). \(flag.period.isEmpty ? "" : flag.period + ": ")\(flag.text)"
            return text.count > characters ? String(text.prefix(characters - 1)) + "…" : text
        }
        if flags.count <= Self.mostLines {
            lines = flags.map(line)
        } else {
            let shown = Self.mostLines - 1
            lines =
                flags.prefix(shown).map(line)
                + ["…and \(flags.count - shown) more notes: each is in its number's tooltip."]
        }
    }

    func draw(into svg: inout SVGWriter, x: Double, y: Double) {
        guard !lines.isEmpty else { return }
        svg.open("g", [("class", "numbered-notes"), ("font-size", "11"), ("fill", Palette.neutral)])
        for (offset, line) in lines.enumerated() {
            svg.element(
                "text", [("x", SVGWriter.number(x)), ("y", SVGWriter.number(y + 14 * Double(offset)))], content: line)
        }
        svg.close("g")
    }
}
