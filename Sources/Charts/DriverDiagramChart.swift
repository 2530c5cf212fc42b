/// A driver diagram read left to right: the aim, the primary drivers that most affect it, the secondary
/// drivers under them and the change ideas to test. Links form a DAG (a secondary driver may hang off
/// several primaries, a change idea off several drivers); the aim links to every primary driver.
public struct DriverDiagramChart: Sendable {
    public struct Box: Sendable, Equatable {
        public let id: String
        public let text: String

        public init(id: String, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// A link from a driver to what hangs off it. Given the other way round (child to parent) it is
    /// turned round; links within one column, or naming an unknown id, are ignored.
    public struct Link: Sendable, Equatable {
        public let from: String
        public let to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// What the diagram calls itself and its columns. A project's diagram reads aim → primary
    /// drivers → secondary drivers → change ideas; the organisation's strategy is drawn with the same
    /// layout as aim → strategic objectives → priorities, in three columns.
    public struct Words: Sendable, Equatable {
        public let title: String
        /// One heading a column, the aim's first: three or four columns.
        public let headings: [String]
        /// What one box of each column after the aim is, for the text outline.
        public let boxes: [String]
        /// Shown beside an aim with nothing in the next column.
        public let hint: String

        public init(title: String, headings: [String], boxes: [String], hint: String) {
            precondition((3...4).contains(headings.count) && boxes.count == headings.count - 1)
            self.title = title
            self.headings = headings
            self.boxes = boxes
            self.hint = hint
        }

        public static let driverDiagram = Words(
            title: "Driver diagram", headings: ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"],
            boxes: ["Primary driver", "Secondary driver", "Change idea"],
            hint: "Add primary drivers: the things that most affect the aim.")
    }

    public var aim: String
    public var primary: [Box]
    public var secondary: [Box]
    /// Left out of a diagram of three columns.
    public var changeIdeas: [Box]
    public var links: [Link]
    public var width: Double
    public var idPrefix: String
    public var words: Words

    public init(
        aim: String, primary: [Box], secondary: [Box], changeIdeas: [Box], links: [Link], width: Double = 960,
        idPrefix: String = "driver-diagram", words: Words = .driverDiagram
    ) {
        self.aim = aim
        self.primary = primary
        self.secondary = secondary
        self.changeIdeas = words.headings.count == 4 ? changeIdeas : []
        self.links = links
        self.width = width
        self.idPrefix = idPrefix
        self.words = words
    }

    static let margin = 16.0
    static let gutter = 56.0
    static let minimumBoxWidth = 120.0
    static let headingY = 52.0
    static let boxTop = 66.0
    static let rowGap = 12.0
    static let bottomMargin = 16.0
    static let paddingX = 10.0
    static let paddingY = 10.0
    static let lineHeight = 15.0
    /// Average advance of a character at font-size 12; the aim is bold, so a little wider.
    static let characterWidth = 6.5
    static let boldCharacterWidth = 7.0
    /// Rounds of pulling parents to the middle of their children and children back to their parents.
    static let sweeps = 3
    // Opaque tints, so connectors passing behind a box do not show through it.
    static let primaryFill = "#D4EBF9"  // Palette.improvement at 20% on white
    static let secondaryFill = "#EEF7FC"  // Palette.improvement at 8% on white
    static let changeIdeaFill = "#FEF4DF"  // Palette.concern at 15% on white

    /// A box as drawn: its wrapped lines and frame.
    struct Frame: Equatable, Sendable {
        enum Kind: String, Sendable {
            case aim
            case primary
            case secondary
            case changeIdea = "change-idea"

            /// The column the kind is drawn in, the aim's being 0.
            var column: Int {
                switch self {
                case .aim: 0
                case .primary: 1
                case .secondary: 2
                case .changeIdea: 3
                }
            }
        }

        var kind: Kind
        var id: String
        var text: String
        var lines: [String]
        var x: Double
        var y: Double
        var width: Double
        var height: Double

        var midY: Double { y + height / 2 }
        var right: Double { x + width }
        var bottom: Double { y + height }
    }

    /// Where everything is drawn; internal so tests can check positions without parsing SVG.
    struct Layout {
        var width: Double
        var height: Double
        var columnX: [Double]
        var columnWidth: Double
        /// The aim first, then primary drivers, secondary drivers and change ideas, each top to bottom.
        var frames: [Frame]
        /// Indices into `frames`, parent first, sorted.
        var links: [(from: Int, to: Int)]
        /// The wrapped hint beside an aim without primary drivers, and the top of its first line.
        var hint: (lines: [String], x: Double, y: Double)?

        /// The first box (not the aim) with this id.
        func frame(_ id: String) -> Frame? { frames.dropFirst().first { $0.id == id } }

        func column(_ kind: Frame.Kind) -> [Frame] { frames.filter { $0.kind == kind } }

        /// A cubic Bézier from the middle of the parent's right edge to the middle of the child's left edge.
        /// A primary driver's link to a change idea would pass behind a secondary driver and seem to come
        /// from it, so it crosses that column in the gap between boxes nearest its path.
        func connector(from parent: Frame, to child: Frame) -> String {
            func curve(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
                let n = SVGWriter.number
                let middle = (x1 + x2) / 2
                return "C\(n(middle)) \(n(y1)) \(n(middle)) \(n(y2)) \(n(x2)) \(n(y2))"
            }
            let n = SVGWriter.number
            let start = "M\(n(parent.right)) \(n(parent.midY))"
            let between = column(.secondary)
            guard parent.kind == .primary, child.kind == .changeIdea, let first = between.first,
                let last = between.last
            else { return start + curve(parent.right, parent.midY, child.x, child.midY) }
            let gap = DriverDiagramChart.rowGap / 2
            let lanes =
                [first.y - gap] + zip(between, between.dropFirst()).map { ($0.bottom + $1.y) / 2 } + [last.bottom + gap]
            let target = (parent.midY + child.midY) / 2
            let lane = lanes.min { abs($0 - target) < abs($1 - target) }!
            return start + curve(parent.right, parent.midY, first.x, lane) + "L\(n(first.right)) \(n(lane))"
                + curve(first.right, lane, child.x, child.midY)
        }
    }

    public func svg() -> String {
        let n = SVGWriter.number
        let layout = layout()
        var svg = SVGWriter()
        let description = primary.isEmpty ? outline + "\nNo \(words.headings[1].lowercased()) yet." : outline
        svg.openChart(
            width: layout.width, height: layout.height, idPrefix: idPrefix, cssClass: "driver-diagram",
            title: words.title, description: description, titleX: Self.margin)
        svg.open(
            "g",
            [
                ("class", "headings"), ("font-size", "12"), ("font-weight", "600"), ("fill", Palette.muted),
                ("text-anchor", "middle"),
            ])
        for (column, heading) in words.headings.enumerated() {
            svg.element(
                "text", [("x", n(layout.columnX[column] + layout.columnWidth / 2)), ("y", n(Self.headingY))],
                content: heading)
        }
        svg.close("g")
        // Connectors first, so the boxes cover their ends.
        svg.open("g", [("class", "links"), ("fill", "none"), ("stroke", Palette.line), ("stroke-width", "1.5")])
        for link in layout.links {
            let parent = layout.frames[link.from]
            let child = layout.frames[link.to]
            svg.element(
                "path",
                [
                    ("class", "link"), ("data-from", parent.id), ("data-to", child.id),
                    ("d", layout.connector(from: parent, to: child)),
                ])
        }
        svg.close("g")
        for frame in layout.frames {
            let (fill, stroke, textColour) = Self.colours(frame.kind)
            svg.open("g", [("class", "box \(frame.kind.rawValue)"), ("data-id", frame.id)])
            var rect = [
                ("x", n(frame.x)), ("y", n(frame.y)), ("width", n(frame.width)), ("height", n(frame.height)),
                ("rx", "6"), ("fill", fill),
            ]
            if let stroke { rect += [("stroke", stroke), ("stroke-width", "1.5")] }
            svg.element("rect", rect)
            var text = [("font-size", "12"), ("fill", textColour)]
            if frame.kind == .aim { text.append(("font-weight", "600")) }
            svg.open("text", text)
            for (index, line) in frame.lines.enumerated() {
                svg.element(
                    "tspan",
                    [("x", n(frame.x + Self.paddingX)), ("y", n(Self.baseline(top: frame.y + Self.paddingY, index)))],
                    content: line)
            }
            svg.close("text")
            svg.close("g")
        }
        if let hint = layout.hint {
            svg.open(
                "text", [("class", "hint"), ("font-size", "12"), ("font-style", "italic"), ("fill", Palette.muted)])
            for (index, line) in hint.lines.enumerated() {
                svg.element(
                    "tspan", [("x", n(hint.x)), ("y", n(Self.baseline(top: hint.y, index)))], content: line)
            }
            svg.close("text")
        }
        svg.close("svg")
        return svg.text
    }

    /// The diagram as an indented text outline (also used in the SVG <desc>), e.g.
    /// "Aim: …\n- Primary driver: …\n  - Secondary driver: …\n    - Change idea: …"; a change idea under several
    /// drivers appears under each. Boxes linked to nothing above them are listed last, at the top level.
    public var outline: String {
        let layout = layout()
        var children = [[Int]](repeating: [], count: layout.frames.count)
        var hasParent = [Bool](repeating: false, count: layout.frames.count)
        func name(_ kind: Frame.Kind) -> String { words.boxes[kind.column - 1] }
        for link in layout.links where link.from != 0 {
            children[link.from].append(link.to)
            hasParent[link.to] = true
        }
        var lines = ["Aim: \(Self.oneLine(aim))"]
        func add(_ index: Int, depth: Int, label: String) {
            let frame = layout.frames[index]
            lines.append(String(repeating: "  ", count: depth) + "- \(label): \(Self.oneLine(frame.text))")
            for child in children[index] {
                add(child, depth: depth + 1, label: name(layout.frames[child].kind))
            }
        }
        for (index, frame) in layout.frames.enumerated() where index > 0 && !hasParent[index] {
            switch frame.kind {
            case .aim: break
            case .primary: add(index, depth: 0, label: name(.primary))
            case .secondary:
                add(index, depth: 0, label: "\(name(.secondary)) (not linked to a \(name(.primary).lowercased()))")
            case .changeIdea: add(index, depth: 0, label: "\(name(.changeIdea)) (not linked to a driver)")
            }
        }
        return lines.joined(separator: "\n")
    }

    func layout() -> Layout {
        let columns = words.headings.count
        let columnWidth = max(
            Self.minimumBoxWidth, (width - 2 * Self.margin - Double(columns - 1) * Self.gutter) / Double(columns))
        let columnX = (0..<columns).map { Self.margin + Double($0) * (columnWidth + Self.gutter) }
        let textWidth = columnWidth - 2 * Self.paddingX
        let kinds: [Frame.Kind] = [.primary, .secondary, .changeIdea]
        // Every box is a node; `column` is 0 for primary drivers, 1 secondary, 2 change ideas.
        var nodes: [Frame] = []
        var column: [Int] = []
        for (index, boxes) in [primary, secondary, changeIdeas].prefix(columns - 1).enumerated() {
            for box in boxes {
                let lines = Self.wrap(box.text, width: textWidth, characterWidth: Self.characterWidth)
                nodes.append(
                    Frame(
                        kind: kinds[index], id: box.id, text: box.text, lines: lines, x: columnX[index + 1], y: 0,
                        width: columnWidth, height: Self.boxHeight(lines: lines.count)))
                column.append(index)
            }
        }
        // Links by id (the first box with an id wins), parent first, each once.
        var byID: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where byID[node.id] == nil { byID[node.id] = index }
        var parents = [[Int]](repeating: [], count: nodes.count)
        var children = [[Int]](repeating: [], count: nodes.count)
        var seen: Set<Int> = []
        for link in links {
            guard var from = byID[link.from], var to = byID[link.to], column[from] != column[to] else { continue }
            if column[from] > column[to] { swap(&from, &to) }
            guard seen.insert(from * nodes.count + to).inserted else { continue }
            parents[to].append(from)
            children[from].append(to)
        }

        var order: [[Int]] = (0..<3).map { index in nodes.indices.filter { column[$0] == index } }
        var centre = [Double](repeating: 0, count: nodes.count)
        func mean(_ neighbours: [Int]) -> Double? {
            neighbours.isEmpty ? nil : neighbours.reduce(0) { $0 + centre[$1] } / Double(neighbours.count)
        }
        func place(_ index: Int, toward wish: (Int) -> Double?) {
            let rows = order[index]
            let tops = Self.pack(
                heights: rows.map { nodes[$0].height }, desired: rows.map(wish), gap: Self.rowGap, top: Self.boxTop)
            for (row, node) in rows.enumerated() {
                nodes[node].y = tops[row]
                centre[node] = tops[row] + nodes[node].height / 2
            }
        }
        // Barycentre ordering: a box goes by the mean position of its parents, ties (and boxes without
        // parents, which go last) by the given order, so the drawing is deterministic.
        func sortByParents(_ index: Int) {
            let rows = order[index]
            let keys = rows.map { mean(parents[$0]) ?? .infinity }
            order[index] = rows.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }.map { rows[$0] }
        }
        place(0) { _ in nil }
        sortByParents(1)
        place(1) { mean(parents[$0]) }
        sortByParents(2)
        place(2) { mean(parents[$0]) }
        for _ in 0..<Self.sweeps {
            place(1) { mean(parents[$0] + children[$0]) }
            place(0) { mean(children[$0]) }
            place(1) { mean(parents[$0] + children[$0]) }
            place(2) { mean(parents[$0]) }
        }

        let aimLines = Self.wrap(aim, width: textWidth, characterWidth: Self.boldCharacterWidth)
        var aimFrame = Frame(
            kind: .aim, id: "aim", text: aim, lines: aimLines, x: columnX[0], y: Self.boxTop, width: columnWidth,
            height: Self.boxHeight(lines: aimLines.count))
        if let first = order[0].first, let last = order[0].last {
            aimFrame.y = (nodes[first].y + nodes[last].bottom - aimFrame.height) / 2
        }
        // Move everything up or down so the highest box starts just under the headings.
        let shift = Self.boxTop - min(aimFrame.y, nodes.map(\.y).min() ?? aimFrame.y)
        aimFrame.y += shift
        var frames = [aimFrame]
        var frameIndex = [Int](repeating: 0, count: nodes.count)
        for rows in order {
            for node in rows {
                frameIndex[node] = frames.count
                var frame = nodes[node]
                frame.y += shift
                frames.append(frame)
            }
        }
        var frameLinks = order[0].map { (from: 0, to: frameIndex[$0]) }
        for (parent, list) in children.enumerated() {
            frameLinks += list.map { (from: frameIndex[parent], to: frameIndex[$0]) }
        }
        frameLinks.sort { $0.from != $1.from ? $0.from < $1.from : $0.to < $1.to }

        var hint: (lines: [String], x: Double, y: Double)? = nil
        var bottom = frames.map(\.bottom).max() ?? Self.boxTop
        if primary.isEmpty {
            let lines = Self.wrap(words.hint, width: columnWidth, characterWidth: Self.characterWidth)
            hint = (lines, columnX[1], aimFrame.y + Self.paddingY)
            bottom = max(bottom, aimFrame.y + Self.paddingY + Double(lines.count) * Self.lineHeight)
        }
        return Layout(
            width: max(width, columnX[columns - 1] + columnWidth + Self.margin), height: bottom + Self.bottomMargin,
            columnX: columnX, columnWidth: columnWidth, frames: frames, links: frameLinks, hint: hint)
    }

    /// Greedy word wrap at an estimated `characterWidth` px a character (capitals wider, see `advance`),
    /// breaking on spaces; a word longer than a line is hard-broken. Never returns no lines.
    static func wrap(_ text: String, width: Double, characterWidth: Double) -> [String] {
        func measure(_ text: some StringProtocol) -> Double {
            text.reduce(0) { $0 + advance($1, characterWidth: characterWidth) }
        }
        let space = advance(" ", characterWidth: characterWidth)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0.0
        for word in text.split(whereSeparator: \.isWhitespace) {
            let wordWidth = measure(word)
            if !line.isEmpty && lineWidth + space + wordWidth <= width {
                line += " " + word
                lineWidth += space + wordWidth
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            lineWidth = 0
            for character in word {
                let characterWidth = advance(character, characterWidth: characterWidth)
                if !line.isEmpty && lineWidth + characterWidth > width {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                line.append(character)
                lineWidth += characterWidth
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// The estimated advance of a character: `characterWidth` for most, more for capitals (W and M most)
    /// so that text in capitals stays inside its box. Narrow letters are not discounted: better a short
    /// line than text over the edge.
    static func advance(_ character: Character, characterWidth: Double) -> Double {
        switch character {
        case "W", "M", "@": characterWidth * 1.7
        case _ where character.isUppercase: characterWidth * 1.25
        default: characterWidth
        }
    }

    /// Tops for boxes kept in order, `gap` apart and not above `top`, with centres as close as possible
    /// (least squares) to the desired ones; a box without a wish sits right under the one above. This is
    /// isotonic regression (pool adjacent violators) on each top less its offset in a plain stack.
    static func pack(heights: [Double], desired: [Double?], gap: Double, top: Double) -> [Double] {
        var offsets: [Double] = []
        var offset = 0.0
        for height in heights {
            offsets.append(offset)
            offset += height + gap
        }
        var blocks: [(weight: Double, sum: Double, count: Int)] = []
        func value(_ block: (weight: Double, sum: Double, count: Int)) -> Double {
            block.weight > 0 ? block.sum / block.weight : -.infinity
        }
        for (index, wish) in desired.enumerated() {
            var block = (weight: 0.0, sum: 0.0, count: 1)
            if let wish { block = (1, wish - heights[index] / 2 - offsets[index], 1) }
            while let last = blocks.last, value(last) > value(block) {
                blocks.removeLast()
                block = (last.weight + block.weight, last.sum + block.sum, last.count + block.count)
            }
            blocks.append(block)
        }
        var tops: [Double] = []
        for block in blocks {
            for _ in 0..<block.count { tops.append(offsets[tops.count] + max(value(block), top)) }
        }
        return tops
    }

    static func boxHeight(lines: Int) -> Double { 2 * paddingY + Double(max(lines, 1)) * lineHeight }

    /// The baseline of line `index` of text starting at `top`, its capitals centred in the line.
    static func baseline(top: Double, _ index: Int) -> Double { top + 11.5 + Double(index) * lineHeight }

    static func colours(_ kind: Frame.Kind) -> (fill: String, stroke: String?, text: String) {
        switch kind {
        case .aim: (Palette.neutral, nil, "#FFFFFF")
        case .primary: (primaryFill, Palette.improvement, Palette.text)
        case .secondary: (secondaryFill, Palette.improvement, Palette.text)
        case .changeIdea: (changeIdeaFill, Palette.concern, Palette.text)
        }
    }

    /// Text on one line for the outline: runs of spaces and line breaks become one space.
    static func oneLine(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}
