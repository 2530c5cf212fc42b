import Testing

@testable import Charts

@Suite("Driver diagram SVG")
struct DriverDiagramChartTests {
    typealias Box = DriverDiagramChart.Box
    typealias Link = DriverDiagramChart.Link

    /// Two primaries, three secondaries (one under both primaries), three change ideas (one under two
    /// secondaries).
    static let chart = DriverDiagramChart(
        aim: "Reduce falls by 30%",
        primary: [Box(id: "p1", text: "Risk found early"), Box(id: "p2", text: "Safe ward")],
        secondary: [
            Box(id: "s1", text: "Risk assessment"), Box(id: "s2", text: "Call bells in reach"),
            Box(id: "s3", text: "Clear bays"),
        ],
        changeIdeas: [
            Box(id: "c1", text: "Admission checklist"), Box(id: "c2", text: "Safety huddle"),
            Box(id: "c3", text: "Bay checks"),
        ],
        links: [
            Link(from: "p1", to: "s1"), Link(from: "p1", to: "s2"), Link(from: "p2", to: "s2"),
            Link(from: "p2", to: "s3"), Link(from: "s1", to: "c1"), Link(from: "s1", to: "c2"),
            Link(from: "s2", to: "c2"), Link(from: "s3", to: "c3"),
        ])

    static func count(_ needle: String, in text: String) -> Int { text.split(separator: needle).count - 1 }

    @Test("the SVG is an accessible image described by the outline")
    func accessible() {
        let svg = Self.chart.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains(#"role="img""#))
        #expect(svg.contains(#"aria-labelledby="driver-diagram-title driver-diagram-desc""#))
        #expect(svg.contains("<desc id=\"driver-diagram-desc\">\(Self.chart.outline.markupEscaped)</desc>"))
        for heading in ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"] {
            #expect(svg.contains(">\(heading)</text>"))
        }
    }

    @Test("each box is a group with its kind and id for scripts")
    func boxes() {
        let svg = Self.chart.svg()
        #expect(Self.count(#"<g class="box aim" data-id="aim">"#, in: svg) == 1)
        #expect(Self.count(#"<g class="box primary""#, in: svg) == 2)
        #expect(Self.count(#"<g class="box secondary""#, in: svg) == 3)
        #expect(Self.count(#"<g class="box change-idea""#, in: svg) == 3)
        #expect(svg.contains(#"<g class="box change-idea" data-id="c2">"#))
        #expect(Self.count("<rect", in: svg) == 1 + 1 + 2 + 3 + 3)  // background and boxes
    }

    @Test("a connector for every valid link and from the aim to every primary, as Bézier curves edge to edge")
    func connectors() {
        let svg = Self.chart.svg()
        #expect(Self.count(#"class="link""#, in: svg) == 8 + 2)
        #expect(svg.contains(#"data-from="aim" data-to="p1""#))
        #expect(svg.contains(#"data-from="s2" data-to="c2""#))
        let layout = Self.chart.layout()
        #expect(layout.links.count == 10)
        let s1 = layout.frame("s1")!
        let c2 = layout.frame("c2")!
        let n = SVGWriter.number
        #expect(svg.contains(#"d="M\#(n(s1.right)) \#(n(s1.midY))C"#))
        #expect(svg.contains(#" \#(n(c2.x)) \#(n(c2.midY))""#))
    }

    @Test("long text wraps onto several lines within the box, and the box grows")
    func wrapping() {
        let long = String(repeating: "Pharmacist reviews sedatives and antihypertensives ", count: 3)
        let chart = DriverDiagramChart(
            aim: "Aim", primary: [Box(id: "short", text: "Short"), Box(id: "long", text: long)], secondary: [],
            changeIdeas: [], links: [])
        let layout = chart.layout()
        let short = layout.frame("short")!
        let wrapped = layout.frame("long")!
        #expect(short.lines == ["Short"])
        #expect(wrapped.lines.count >= 5)
        #expect(wrapped.height > short.height + 4 * DriverDiagramChart.lineHeight - 0.01)
        let perLine = Int((wrapped.width - 2 * DriverDiagramChart.paddingX) / DriverDiagramChart.characterWidth)
        #expect(wrapped.lines.allSatisfy { $0.count <= perLine && !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
        #expect(wrapped.lines.joined(separator: " ") == String(long.dropLast()))
        #expect(wrapped.y >= short.bottom)
        #expect(layout.height >= wrapped.bottom)
        let svg = chart.svg()
        #expect(Self.count("<tspan", in: svg) == 1 + 1 + wrapped.lines.count)
    }

    @Test("words longer than a line are hard-broken; empty text still makes one line")
    func hardBreak() {
        let lines = DriverDiagramChart.wrap(
            "see https://example.org/a-very-long-address-without-spaces ok", width: 65, characterWidth: 6.5)
        #expect(lines == ["see", "https://ex", "ample.org/", "a-very-lon", "g-address-", "without-sp", "aces ok"])
        #expect(DriverDiagramChart.wrap("  ", width: 100, characterWidth: 6.5) == [""])
    }

    @Test("capitals count as wider, so text in capitals wraps sooner and stays in its box")
    func capitals() {
        let text = "Reduce harm from falls on every ward in the hospital"
        let lower = DriverDiagramChart.wrap(text, width: 170, characterWidth: 6.5)
        let upper = DriverDiagramChart.wrap(text.uppercased(), width: 170, characterWidth: 6.5)
        #expect(upper.count > lower.count)
        for line in upper {
            #expect(line.reduce(0) { $0 + DriverDiagramChart.advance($1, characterWidth: 6.5) } <= 170)
        }
        #expect(DriverDiagramChart.wrap(String(repeating: "W", count: 30), width: 170, characterWidth: 6.5).count == 2)
    }

    @Test("a link from a primary driver straight to a change idea crosses the secondary column between boxes")
    func skippingLink() {
        let chart = DriverDiagramChart(
            aim: "Aim", primary: [Box(id: "p", text: "P"), Box(id: "q", text: "Q")],
            secondary: [Box(id: "s1", text: "S1"), Box(id: "s2", text: "S2")],
            changeIdeas: [Box(id: "c", text: "C")],
            links: [
                Link(from: "p", to: "s1"), Link(from: "q", to: "s2"), Link(from: "p", to: "c"),
                Link(from: "q", to: "c"),
            ])
        let layout = chart.layout()
        let s1 = layout.frame("s1")!
        let s2 = layout.frame("s2")!
        let lane = (s1.bottom + s2.y) / 2
        let n = SVGWriter.number
        let path = layout.connector(from: layout.frame("p")!, to: layout.frame("c")!)
        #expect(path.contains("\(n(s1.x)) \(n(lane))L\(n(s1.right)) \(n(lane))C"))
        #expect(chart.svg().contains(#"d="\#(path)""#))
        // Neighbouring columns get a plain curve.
        #expect(!layout.connector(from: layout.frame("p")!, to: s1).contains("L"))
    }

    @Test("the outline nests drivers and lists a change idea under each of its drivers")
    func outline() {
        #expect(
            Self.chart.outline == """
                Aim: Reduce falls by 30%
                - Primary driver: Risk found early
                  - Secondary driver: Risk assessment
                    - Change idea: Admission checklist
                    - Change idea: Safety huddle
                  - Secondary driver: Call bells in reach
                    - Change idea: Safety huddle
                - Primary driver: Safe ward
                  - Secondary driver: Call bells in reach
                    - Change idea: Safety huddle
                  - Secondary driver: Clear bays
                    - Change idea: Bay checks
                """)
    }

    @Test("boxes linked to nothing above them still appear, last in the outline")
    func orphans() {
        let chart = DriverDiagramChart(
            aim: "Aim", primary: [Box(id: "p", text: "P")],
            secondary: [Box(id: "lonely", text: "Lonely"), Box(id: "s", text: "S")],
            changeIdeas: [Box(id: "i", text: "Idea"), Box(id: "direct", text: "Direct")],
            links: [Link(from: "p", to: "s"), Link(from: "p", to: "direct")])
        #expect(
            chart.outline == """
                Aim: Aim
                - Primary driver: P
                  - Secondary driver: S
                  - Change idea: Direct
                - Secondary driver (not linked to a primary driver): Lonely
                - Change idea (not linked to a driver): Idea
                """)
        let secondaries = chart.layout().column(.secondary)
        #expect(secondaries.map(\.id) == ["s", "lonely"])
        #expect(Self.count(#"class="link""#, in: chart.svg()) == 3)
    }

    @Test("links to unknown ids, within a column or repeated are ignored; reversed links are turned round")
    func unknownLinks() {
        let chart = DriverDiagramChart(
            aim: "Aim", primary: [Box(id: "p1", text: "One"), Box(id: "p2", text: "Two")],
            secondary: [Box(id: "s1", text: "Sub")], changeIdeas: [Box(id: "c1", text: "Idea")],
            links: [
                Link(from: "p1", to: "s1"), Link(from: "nope", to: "s1"), Link(from: "p1", to: "missing"),
                Link(from: "", to: ""), Link(from: "p1", to: "p2"), Link(from: "p1", to: "s1"),
                Link(from: "c1", to: "s1"),
            ])
        let svg = chart.svg()
        #expect(Self.count(#"class="link""#, in: svg) == 2 + 2)
        #expect(svg.contains(#"data-from="s1" data-to="c1""#))
        #expect(!svg.contains("nope"))
        #expect(!svg.contains("missing"))
    }

    @Test("text from users is escaped everywhere")
    func escaping() {
        let chart = DriverDiagramChart(
            aim: "<script>alert(1)</script>", primary: [Box(id: "\"><script>", text: "Tom & Jerry's <b>")],
            secondary: [], changeIdeas: [], links: [], idPrefix: "dd")
        let svg = chart.svg()
        #expect(!svg.contains("<script>"))
        #expect(!svg.contains("<b>"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(svg.contains(#"data-id="&quot;&gt;&lt;script&gt;""#))
        #expect(svg.contains("Tom &amp; Jerry&#39;s &lt;b&gt;"))
        #expect(svg.contains(#"<title id="dd-title">"#))
    }

    @Test("secondaries are ordered by their parents' positions, so links do not cross")
    func barycentre() {
        // Given in this order, s-under-b above s-under-a would make the two links cross.
        let chart = DriverDiagramChart(
            aim: "Aim", primary: [Box(id: "a", text: "A"), Box(id: "b", text: "B")],
            secondary: [Box(id: "under-b", text: "Under B"), Box(id: "under-a", text: "Under A")],
            changeIdeas: [Box(id: "from-b", text: "From B"), Box(id: "from-a", text: "From A")],
            links: [
                Link(from: "b", to: "under-b"), Link(from: "a", to: "under-a"), Link(from: "under-b", to: "from-b"),
                Link(from: "under-a", to: "from-a"),
            ])
        let layout = chart.layout()
        func y(_ id: String) -> Double { layout.frame(id)!.midY }
        #expect(y("a") < y("b"))
        #expect(y("under-a") < y("under-b"))
        #expect(y("from-a") < y("from-b"))
        #expect(layout.column(.secondary).map(\.id) == ["under-a", "under-b"])
        // Ties (all under one parent) keep the given order.
        let tied = DriverDiagramChart(
            aim: "Aim", primary: [Box(id: "p", text: "P")],
            secondary: ["x", "y", "z"].map { Box(id: $0, text: $0) }, changeIdeas: [],
            links: ["x", "y", "z"].map { Link(from: "p", to: $0) })
        #expect(tied.layout().column(.secondary).map(\.id) == ["x", "y", "z"])
    }

    @Test("boxes in a column never overlap, the aim is centred on the primaries and the SVG holds every box")
    func geometry() {
        let layout = Self.chart.layout()
        for kind in [DriverDiagramChart.Frame.Kind.primary, .secondary, .changeIdea] {
            let column = layout.column(kind)
            #expect(Set(column.map(\.x)).count == 1)
            for (upper, lower) in zip(column, column.dropFirst()) {
                #expect(lower.y >= upper.bottom + DriverDiagramChart.rowGap - 0.001)
            }
        }
        let aim = layout.frames[0]
        let primaries = layout.column(.primary)
        #expect(abs(aim.midY - (primaries.first!.y + primaries.last!.bottom) / 2) < 0.001)
        #expect(layout.frames.allSatisfy { $0.y >= DriverDiagramChart.boxTop - 0.001 && $0.bottom < layout.height })
        #expect(layout.frames.map(\.y).min()! == DriverDiagramChart.boxTop)
        let xs = [aim.x, primaries[0].x, layout.column(.secondary)[0].x, layout.column(.changeIdea)[0].x]
        #expect(xs == xs.sorted() && layout.frames.allSatisfy { $0.right <= layout.width })
        let svg = Self.chart.svg()
        let n = SVGWriter.number
        #expect(svg.contains(#"viewBox="0 0 \#(n(layout.width)) \#(n(layout.height))""#))
    }

    @Test("a taller column makes a taller SVG")
    func height() {
        func chart(ideas: Int) -> DriverDiagramChart {
            DriverDiagramChart(
                aim: "Aim", primary: [Box(id: "p", text: "P")], secondary: [],
                changeIdeas: (0..<ideas).map { Box(id: "c\($0)", text: "Idea \($0)") },
                links: (0..<ideas).map { Link(from: "p", to: "c\($0)") })
        }
        let small = chart(ideas: 2).layout()
        let large = chart(ideas: 8).layout()
        #expect(large.height - small.height == 6 * (DriverDiagramChart.boxHeight(lines: 1) + DriverDiagramChart.rowGap))
    }

    @Test("an empty diagram draws the aim alone with a hint")
    func empty() {
        let chart = DriverDiagramChart(aim: "Reduce falls", primary: [], secondary: [], changeIdeas: [], links: [])
        let svg = chart.svg()
        #expect(Self.count(#"<g class="box"#, in: svg) == 1)
        #expect(svg.contains(#"<g class="box aim" data-id="aim">"#))
        #expect(Self.count(#"class="link""#, in: svg) == 0)
        #expect(svg.contains(#"class="hint""#))
        let hint = chart.layout().hint!
        #expect(hint.lines.joined(separator: " ") == "Add primary drivers: the things that most affect the aim.")
        #expect(chart.outline == "Aim: Reduce falls")
        #expect(svg.contains("No primary drivers yet."))
        #expect(Self.chart.layout().hint == nil)
    }

    @Test("output is deterministic")
    func deterministic() {
        #expect(Self.chart.svg() == Self.chart.svg())
        let reordered = DriverDiagramChart(
            aim: Self.chart.aim, primary: Self.chart.primary, secondary: Self.chart.secondary,
            changeIdeas: Self.chart.changeIdeas, links: Self.chart.links.reversed())
        #expect(reordered.svg() == Self.chart.svg())
    }

    @Test("a diagram in other words draws their headings and outline, in three columns when it has three")
    func otherWords() {
        let words = DriverDiagramChart.Words(
            title: "Strategy", headings: ["Aim", "Objectives", "Priorities"],
            boxes: ["Strategic objective", "Priority"],
            hint: "Add objectives.")
        let chart = DriverDiagramChart(
            aim: "Better lives", primary: [Box(id: "o1", text: "Experience")],
            secondary: [Box(id: "p1", text: "Access"), Box(id: "p2", text: "Unfiled")],
            changeIdeas: [Box(id: "c1", text: "Not drawn")], links: [Link(from: "o1", to: "p1")], words: words)
        let svg = chart.svg()
        #expect(svg.contains(">Objectives</text>") && svg.contains(">Priorities</text>"))
        #expect(!svg.contains("Change ideas") && !svg.contains("Not drawn"))
        #expect(
            chart.outline
                == "Aim: Better lives\n- Strategic objective: Experience\n  - Priority: Access\n- Priority (not linked to a strategic objective): Unfiled"
        )
        let layout = chart.layout()
        #expect(layout.columnX.count == 3)
        // The three columns share the width the four would have had.
        #expect(abs(layout.columnX[2] + layout.columnWidth + DriverDiagramChart.margin - 960) < 0.001)
        let empty = DriverDiagramChart(
            aim: "Better lives", primary: [], secondary: [], changeIdeas: [], links: [], words: words)
        #expect(empty.svg().contains("Add objectives."))
        #expect(empty.svg().contains("No objectives yet."))
    }
}
