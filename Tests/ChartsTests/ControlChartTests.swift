import Foundation
import SPC
import Testing

@testable import Charts

@Suite("Control chart SVG")
struct ControlChartTests {
    /// A small hand-made result: 6 points, two phases, one improvement point, varying limits in phase 2.
    static func result(target: Double? = nil) -> SPCResult {
        func point(
            _ x: String, _ y: Double?, phase: Int, cl: Double, lcl: Double, ucl: Double,
            _ pointClass: PointClass = .common
        ) -> SPCResult.Point {
            .init(
                x: x, y: y, n: nil, phase: phase, excluded: false, cl: cl, lcl: lcl, ucl: ucl, lcl2: nil, ucl2: nil,
                signals: pointClass == .common ? [] : [.outside], pointClass: pointClass, note: nil)
        }
        return SPCResult(
            chart: .i, rules: .mdc, direction: .up, target: target,
            points: [
                point("2024-01-01", 10, phase: 1, cl: 10, lcl: 4, ucl: 16),
                point("2024-02-01", 12, phase: 1, cl: 10, lcl: 4, ucl: 16),
                point("2024-03-01", 8, phase: 1, cl: 10, lcl: 4, ucl: 16),
                point("2024-04-01", 20, phase: 2, cl: 18, lcl: 12, ucl: 24),
                point("2024-05-01", nil, phase: 2, cl: 18, lcl: 12.5, ucl: 23.5),
                point("2024-06-01", 30, phase: 2, cl: 18, lcl: 13, ucl: 23, .improvement),
            ],
            phases: [
                .init(
                    phase: 1, label: "Before", first: 0, last: 2, cl: 10, useful: 3, longestRun: nil,
                    longestRunMax: nil,
                    crossings: nil, crossingsMin: nil, runsSignal: false, sigmaSignal: false, trial: true),
                .init(
                    phase: 2, label: "After the new rota", first: 3, last: 5, cl: 18, useful: 2, longestRun: nil,
                    longestRunMax: nil,
                    crossings: nil, crossingsMin: nil, runsSignal: false, sigmaSignal: true, trial: true),
            ],
            variation: .improvementHigh, assurance: target == nil ? nil : .hitAndMiss
        )
    }

    @Test("the SVG is an accessible image with a title and a description in words")
    func accessible() {
        let svg = ControlChart(result: Self.result(), title: "Falls per 1,000 bed days").svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains(#"role="img""#))
        #expect(svg.contains(#"<title id="chart-title">Falls per 1,000 bed days</title>"#))
        #expect(svg.contains("Special cause improvement: 1 point above the mean at June 2024."))
        #expect(svg.contains("Individuals (XmR) chart of 5 points."))
    }

    @Test("text from users is escaped")
    func escaping() {
        let svg = ControlChart(
            result: Self.result(), title: "<script>alert(1)</script> & co",
            annotations: [.init(index: 1, text: "\"quoted\"")]
        ).svg()
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        #expect(svg.contains("&quot;quoted&quot;"))
    }

    @Test("points carry their class as colour and shape; a missing value leaves a gap")
    func points() {
        let svg = ControlChart(result: Self.result(), title: "t").svg()
        #expect(svg.components(separatedBy: #"class="point common""#).count - 1 == 4)
        #expect(svg.components(separatedBy: #"class="point improvement""#).count - 1 == 1)
        #expect(svg.contains(##"fill="#289DE0""##), "improvement is Making Data Count blue")
        // The data line has a gap: a second "M" after the missing May value.
        let dataLine = svg.components(separatedBy: #"<g class="data"><path d=""#)[1].prefix { $0 != "\"" }
        #expect(dataLine.filter { $0 == "M" }.count == 2)
    }

    @Test("limits step at the phase break and with each point's limits")
    func limits() {
        let svg = ControlChart(result: Self.result(), title: "t").svg()
        let ucl = String(
            svg.components(separatedBy: #"class="ucl""#)[0].split(separator: "<path d=\"").last!.prefix { $0 != "\"" })
        #expect(ucl.filter { $0 == "M" }.count == 2, "a new line starts at the phase break: \(ucl)")
        let heights = Set(ucl.split(whereSeparator: { "ML".contains($0) }).map { $0.split(separator: " ")[1] })
        #expect(heights.count == 4, "16, 24, 23.5 and 23 are four different heights: \(heights)")
        #expect(svg.contains("After the new rota (trial limits)"))
    }

    @Test("a target draws its line, and the icons show variation and assurance")
    func targetAndIcons() {
        let svg = ControlChart(result: Self.result(target: 15), title: "t").svg()
        #expect(svg.contains(#"class="target""#))
        #expect(svg.contains("Target 15"))
        #expect(svg.contains(#"class="icon variation improvement_high""#))
        #expect(svg.contains(#"class="icon assurance hit_and_miss""#))
        #expect(!ControlChart(result: Self.result(), title: "t").svg().contains("icon assurance"))
    }

    @Test("a key names the lines and the kinds of point drawn, where the chart is wide enough")
    func key() {
        let svg = ControlChart(result: Self.result(target: 15), title: "t").svg()
        let key = String(svg.components(separatedBy: #"<g class="key""#)[1].prefix { $0 != "\u{0}" })
            .components(separatedBy: "</g>")[0]
        for label in [">Mean<", ">Control limits<", ">Target<", ">Improvement<"] {
            #expect(key.contains(label), "\(label) in \(key)")
        }
        #expect(!key.contains(">Concern<"), "no concern point is drawn, so none is in the key")
        #expect(!ControlChart(result: Self.result(), title: "t").svg().contains(">Target</text>"))
        #expect(!ControlChart(result: Self.result(), title: "t", width: 300).svg().contains(#"class="key""#))
        #expect(!ControlChart(result: Self.result(), title: "t", showKey: false).svg().contains(#"class="key""#))
    }

    @Test("flags take the first row they fit, never clip at the right edge, and long ones are cut with their text kept")
    func flags() {
        let near: [ChartAnnotation] = [
            .init(index: 0, text: "Huddle starts"), .init(index: 1, text: "New rota"), .init(index: 2, text: "Audit"),
            .init(index: 5, text: "Review"),
        ]
        let layout = FlagLayout(near, in: 0..<6, x: { 60 + Double($0) * 40 }, right: 300)
        #expect(layout.placed.map(\.row) == [0, 1, 2, 0], "three close flags take three rows; the far one the first")
        #expect(layout.rows == 3)
        #expect(layout.placed[3].leftward, "a flag near the right edge reads leftward of its line")
        #expect(!layout.placed[0].leftward)
        let long = ChartAnnotation(index: 5, text: String(repeating: "A very long note ", count: 5))
        let cut = FlagLayout([long], in: 0..<6, x: { 60 + Double($0) * 40 }, right: 300).placed[0]
        #expect(cut.label.count == FlagLayout.longestLabel && cut.label.hasSuffix("…"))
        let svg = ControlChart(result: Self.result(), title: "t", annotations: near + [long]).svg()
        #expect(
            svg.contains("<title>Review; \(long.text)</title>"), "notes on one point share a flag, whole in its tooltip"
        )
        #expect(svg.contains(#"text-anchor="end""#))
        // Notes on one point share one flag, all of them in its tooltip.
        let onePoint = FlagLayout(
            (0..<4).map { .init(index: 0, text: "Note \($0)") }, in: 0..<6, x: { _ in 60 }, right: 700)
        #expect(onePoint.placed.count == 1 && onePoint.rows == 1)
        #expect(onePoint.placed[0].text == "Note 0; Note 1; Note 2; Note 3")
        #expect(onePoint.numbered.isEmpty)
    }

    @Test("flags with no room in three rows are numbered, never overlap, and their notes are listed beneath")
    func numberedFlags() {
        let x: (Int) -> Double = { 60 + Double($0) * 30 }
        let crowded: [ChartAnnotation] = (0..<6).map { .init(index: $0, text: "Change number \($0) began") }
        let layout = FlagLayout(crowded, in: 0..<12, x: x, right: 420)
        #expect(layout.rows == 4, "three rows of notes, and one of numbers")
        #expect(layout.numbered.map(\.number) == [1, 2], "the fourth and fifth find no room; the sixth is clear again")
        #expect(layout.numbered.map(\.label) == ["1", "2"])
        for row in 0..<layout.rows {
            let spans = layout.placed.filter { $0.row == row && $0.labelShown }.map { flag in
                let width = Double(flag.label.count) * 6 + 10
                return flag.leftward ? (flag.x - width, flag.x) : (flag.x, flag.x + width)
            }
            for (a, b) in zip(spans, spans.dropFirst()) { #expect(a.1 < b.0, "row \(row): \(a) runs into \(b)") }
        }
        let points = (0..<12).map { SPCPoint(x: "2024-\(String(format: "%02d", $0 + 1))-01", y: Double($0 % 4)) }
        let result = SPCChart.compute(
            points: points, options: SPCOptions(chart: .run, rules: .mdc, direction: .up, target: nil, multiply: 1))
        let svg = ControlChart(result: result, title: "t", annotations: crowded, width: 480).svg()
        let list = svg.components(separatedBy: #"class="numbered-notes""#)[1].components(separatedBy: "</g>")[0]
        #expect(
            list.contains(">1. 1 Apr 2024: Change number 3 began<")
                && list.contains(">2. 1 May 2024: Change number 4 began<"))
        #expect(!list.contains("Change number 5"))
        let many = (0..<12).map { ChartAnnotation(index: $0, text: "Change number \($0) began") }
        let long = ControlChart(result: result, title: "t", annotations: many, width: 480).svg()
        #expect(long.contains("more notes: each is in its number"))

        // A year of days on a wide chart, a note on each of ten days running: numbers find no
        // room after a while, and those flags keep only their line, never overlapping a label.
        let days = FlagLayout(
            (100..<110).map { .init(index: $0, text: "Day \($0)") }, in: 0..<365,
            x: { 56 + (Double($0) + 0.5) * 1.9 }, right: 744, period: { "day \($0)" })
        let shown = days.placed.filter(\.labelShown)
        for row in 0..<days.rows {
            let spans = shown.filter { $0.row == row }.map { flag in
                let width = Double(flag.label.count) * 6 + 10
                return flag.leftward ? (flag.x - width, flag.x) : (flag.x, flag.x + width)
            }
            for (a, b) in zip(spans, spans.dropFirst()) { #expect(a.1 < b.0, "row \(row): \(a) runs into \(b)") }
        }
        #expect(days.placed.contains { !$0.labelShown }, "some flags keep only their line")
        #expect(days.placed.filter { !$0.labelShown }.allSatisfy { $0.number != nil }, "and are listed by number")
    }

    @Test("tooltips and axis labels write dates in the organisation's order")
    func datesInOrder() {
        let points = (0..<6).map { SPCPoint(x: "2024-03-0\($0 + 1)", y: Double($0 % 3)) }
        let result = SPCChart.compute(
            points: points, options: SPCOptions(chart: .run, rules: .mdc, direction: .up, target: nil, multiply: 1))
        let ukChart = ControlChart(result: result, title: "t").svg()
        #expect(ukChart.contains("<title>4 Mar 2024: ") && ukChart.contains(">4 Mar 24<"))
        let usChart = DateOrder.$current.withValue(.monthDayYear) { ControlChart(result: result, title: "t").svg() }
        #expect(usChart.contains("<title>Mar 4, 2024: ") && usChart.contains(">Mar 4 ’24<"))
        let isoChart = DateOrder.$current.withValue(.yearMonthDay) { ControlChart(result: result, title: "t").svg() }
        #expect(isoChart.contains("<title>2024-03-04: ") && isoChart.contains(">2024-03-04<"))
    }

    @Test("a count's XmR limits, which can fall below zero, are drawn from zero when the measure cannot go below it")
    func flooredLimits() {
        let counts: [Double] = [0, 1, 0, 2, 0, 5, 1, 0, 3, 0, 1, 0]
        let points = counts.enumerated().map {
            SPCPoint(x: "2024-\(String(format: "%02d", $0.offset + 1))-01", y: $0.element)
        }
        let result = SPCChart.compute(
            points: points, options: SPCOptions(chart: .i, rules: .mdc, direction: .down, target: nil, multiply: 1))
        #expect(result.points.contains { ($0.lcl ?? 0) < 0 }, "the XmR lower limit of these counts is below zero")
        let floored = ControlChart(result: result, title: "Falls", floor: 0)
        #expect(floored.result.points.allSatisfy { $0.lcl.map { $0 >= 0 } ?? true })
        #expect(floored.result.points.map(\.pointClass) == result.points.map(\.pointClass), "no signal changes")
        #expect(floored.svg().contains("with limits from 0 to "))
        #expect(!ControlChart(result: result, title: "Falls").svg().contains("with limits from 0 to "))
    }

    @Test("a point's tooltip gives its date in words")
    func tooltips() {
        let svg = ControlChart(result: Self.result(), title: "t").svg()
        #expect(svg.contains("<title>1 Jun 2024: 30.0 — special cause improvement</title>"))
        #expect(!svg.contains("<title>2024-"))
        #expect(TimeLabels.full("Q1") == "Q1")
    }

    @Test("104 weekly dates are labelled without overlapping")
    func xLabels() {
        let xs = (0..<104).map { week -> String in
            let day = 1 + week * 7
            return "2024-\(String(format: "%02d", min(12, 1 + day / 31)))-\(String(format: "%02d", 1 + day % 28))"
        }
        let labels = TimeLabels.labels(for: xs)
        let step = TimeLabels.labelStep(count: 104, longest: labels.map(\.count).max()!, width: 688)
        let shown = (104 + step - 1) / step
        let widthEach = 688.0 / Double(shown)
        #expect(
            widthEach >= Double(labels.map(\.count).max()!) * 6.5,
            "each label has room: \(widthEach) px for \(labels[0])")
        #expect(TimeLabels.labels(for: ["2024-01-01", "2024-02-01"]) == ["Jan 2024", "Feb 2024"])
        #expect(TimeLabels.labels(for: ["2024-01-01", "2024-01-08"]) == ["1 Jan 24", "8 Jan 24"])
        #expect(TimeLabels.labels(for: ["Q1", "Q2"]) == ["Q1", "Q2"])
    }

    @Test("the same result always draws the same SVG")
    func deterministic() {
        #expect(
            ControlChart(result: Self.result(target: 15), title: "t").svg()
                == ControlChart(result: Self.result(target: 15), title: "t").svg())
    }

    @Test("a computed chart matches its stored snapshot", arguments: ["i-mdc", "p-anhoej"])
    func snapshot(name: String) throws {
        let values: [Double] = [12, 14, 11, 13, 15, 12, 14, 13, 12, 16, 18, 19, 21, 20, 22, 21, 23, 22, 24, 23]
        let denominators: [Double] = [40, 42, 38, 41, 45, 39, 44, 40, 43, 42, 41, 40, 44, 43, 42, 41, 45, 40, 42, 44]
        let p = name == "p-anhoej"
        let points = values.indices.map { k in
            SPCPoint(
                x: "2024-\(String(format: "%02d", k % 12 + 1))-01".replacingOccurrences(
                    of: "2024", with: k < 12 ? "2024" : "2025"),
                y: values[k], n: p ? denominators[k] : nil, note: k == 10 ? "New triage form" : nil)
        }
        let options = SPCOptions(
            chart: p ? .p : .i, rules: p ? .anhoej : .mdc, direction: .up, target: p ? 0.5 : 20, multiply: 1)
        let result = SPCChart.compute(points: points, options: options)
        let svg = ControlChart(
            result: result, title: "Snapshot \(name)", subtitle: "Monthly",
            annotations: [.init(index: 10, text: "New triage form")], showTwoSigma: !p
        ).svg()
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Snapshots/\(name).svg")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"
            || !FileManager.default.fileExists(atPath: url.path)
        {
            try svg.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("Wrote the snapshot \(url.lastPathComponent); look at it, then run the tests again.")
            return
        }
        #expect(
            svg == (try String(contentsOf: url, encoding: .utf8)),
            "the SVG differs from Snapshots/\(name).svg; if the change is intended, run with UPDATE_SNAPSHOTS=1")
    }
}

@Suite("Charts in words")
struct DescribeTests {
    @Test("numbers are said plainly and icons explained")
    func words() {
        #expect(Describe.plain(12.345) == "12.3")
        #expect(Describe.plain(0.125) == "0.125")
        #expect(Describe.plain(1500) == "1500")
        #expect(Describe.plain(2.5) == "2.5")
        #expect(Describe.variation(.concernLow).contains("unusually low, and low is worse"))
        #expect(Describe.assurance(.fail).contains("consistently fail"))
    }

    @Test("scales choose nice ticks that cover the data")
    func scale() {
        let (scale, ticks) = LinearScale.nice(covering: [3.2, 47.9], range: 0...100, inverted: true)
        #expect(ticks.first! <= 3.2 && ticks.last! >= 47.9)
        #expect(ticks == [0, 10, 20, 30, 40, 50])
        #expect(scale(50) == 0)
        #expect(scale(0) == 100)
        #expect(
            LinearScale.nice(covering: [5, 5], range: 0...1, inverted: false).ticks.count > 1,
            "a constant series still gets an axis")
        #expect(formatted(-0.004, decimals: 2) == "0.00")
        #expect(formatted(1234.5, decimals: 1) == "1234.5")
    }
}

@Suite("Pareto, funnel and small multiples")
struct OtherChartTests {
    @Test("a Pareto chart sorts bars and climbs to 100%")
    func pareto() {
        let bars = Pareto.bars(counts: [("Staffing", 12), ("Falls", 30), ("Medication", 18)])
        let chart = ParetoChart(bars: bars, title: "Incidents by cause")
        let svg = chart.svg()
        #expect(svg.components(separatedBy: #"<g class="bar">"#).count - 1 == 3)
        #expect(svg.range(of: "Falls: 30")!.lowerBound < svg.range(of: "Medication: 18")!.lowerBound)
        #expect(chart.summary().contains("The most frequent is Falls (50%)"))
    }

    @Test("a funnel plot names the unit beyond 99.8%, marks it by shape and colour for its direction, with a key")
    func funnel() {
        let units = [
            Funnel.Unit(name: "Ward A", count: 14, size: 100), Funnel.Unit(name: "Ward B", count: 12, size: 120),
            Funnel.Unit(name: "Ward C", count: 45, size: 110), Funnel.Unit(name: "Ward D", count: 9, size: 90),
        ]
        let analysis = Funnel.analyse(units, kind: .proportion, adjust: false)
        let plot = FunnelPlot(
            analysis: analysis, direction: .down, title: "Readmissions", sizeLabel: "discharges",
            valueLabel: "% readmitted", multiply: 100)
        #expect(analysis.position(of: units[2]) == .above998)
        #expect(analysis.position(of: units[0]) == .within)
        #expect(plot.summary().contains("Beyond the 99.8% limits: Ward C."))
        let svg = plot.svg()
        #expect(svg.contains("3. Ward C: 40.91 of 110 — Higher than expected: a concern (beyond 99.8%)"))
        #expect(plot.dotNumbers == [1, 2, 3, 4])
        #expect(svg.contains(#"text-anchor="start">3</text>"#), "each dot carries its number beside it")
        #expect(svg.contains("<rect x=") && svg.contains("fill=\"#FAB428\""), "a square, orange: worse")
        #expect(svg.contains(">99.8% limits</text>") && svg.contains(">95% limits</text>"), "a key to the lines")
        #expect(svg.contains(">Discharges</text>") && svg.contains(">% readmitted</text>"), "axis titles")
        let better = FunnelPlot(analysis: analysis, direction: .up, title: "Harm-free care", multiply: 100)
        #expect(better.svg().contains("fill=\"#289DE0\""), "higher is better: blue")
        #expect(better.describe(.below95) == "Lower than expected: a concern, worth a look (beyond 95%)")
    }

    @Test("numbers beside a funnel's dots never run into each other or a dot, and stay on the plot")
    func funnelNumbers() {
        // Twenty dots in a tight cluster, and one on its own.
        typealias Dot = (text: String, x: Double, y: Double)
        var dots: [Dot] = []
        for index in 0..<20 {
            let column = Double(index % 5)
            let row = Double(index / 5)
            dots.append((text: "\(index + 1)", x: 300 + column * 9, y: 200 + row * 9))
        }
        dots.append((text: "22", x: 500, y: 60))
        dots.append((text: "21", x: 740, y: 100))
        let labels = DotLabels(dots, across: 64...744, down: 58...368)
        typealias Box = (left: Double, right: Double, top: Double, bottom: Double)
        var boxes: [Box] = dots.map { dot -> Box in (dot.x - 6, dot.x + 6, dot.y - 6, dot.y + 6) }
        for (dot, label) in zip(dots, labels.placed) {
            guard let label else { continue }
            let width = Double(dot.text.count) * 6 + 2
            let left: Double =
                switch label.anchor {
                case "start": label.x - 1
                case "end": label.x - width
                default: label.x - width / 2
                }
            let box: Box = (left, left + width, label.y - 9, label.y + 1)
            let name = dot.text
            #expect(
                box.left >= 64 && box.right <= 744 && box.top >= 58 && box.bottom <= 368, "\(name) stays on the plot")
            for other in boxes {
                let overlaps =
                    box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom
                #expect(!overlaps, "\(name) overlaps")
            }
            boxes.append(box)
        }
        #expect(labels.placed.last!!.anchor == "end", "a dot at the right edge has its number on its left")
        #expect(labels.placed[20]?.y == 77, "a dot at the top has its number below it, clear of the legend")
        #expect(labels.placed.compactMap { $0 }.count >= 6, "a cluster's edge still gets numbers")
        #expect(labels.placed.contains { $0 == nil }, "where none fits, a number is left off rather than overlap")
    }

    @Test("small multiples share one y range when asked")
    func smallMultiples() {
        let low = ControlChartTests.result()
        var high = ControlChartTests.result()
        high.points = high.points.map {
            var p = $0
            p.y = p.y.map { $0 * 10 }
            p.cl = p.cl.map { $0 * 10 }
            p.ucl = p.ucl.map { $0 * 10 }
            p.lcl = p.lcl.map { $0 * 10 }
            return p
        }
        let shared = SmallMultiples(charts: [("Low", low), ("High", high)], columns: 2, sharedScale: true).svg()
        let separate = SmallMultiples(charts: [("Low", low), ("High", high)], columns: 2, sharedScale: false).svg()
        #expect(shared.components(separatedBy: "<svg").count - 1 == 3)
        #expect(shared.contains(#"id="multiple-1-title""#))
        // With a shared scale the low chart's axis reaches the high chart's values (300).
        #expect(shared.contains(">300</text>"))
        #expect(!separate.components(separatedBy: #"id="multiple-1-title""#)[0].contains(">300</text>"))
        // One key for the grid, under it: the cells have none of their own.
        #expect(shared.components(separatedBy: #"class="key""#).count - 1 == 1)
        #expect(shared.contains(">Control limits</text>"))
    }
}

/// Values far beyond any measurement (stored before inputs were bounded) still draw, and quickly.
@Suite struct HugeValueTests {
    @Test func hugeValuesFormatWithoutTrapping() {
        #expect(formatted(1e19, decimals: 0) == "1e+19")
        #expect(formatted(-1e300, decimals: 2) == "-1e+300")
        #expect(formatted(1e16, decimals: 1) == "1e+16")
        #expect(formatted(123.456, decimals: 2) == "123.46")
    }

    @Test func ticksOfHugeOrAdjacentValuesEnd() {
        let (_, ticks) = LinearScale.nice(covering: [1e16, 1e16 + 2], range: 0...100, inverted: true)
        #expect(!ticks.isEmpty && ticks.count <= 101)
        let (_, extreme) = LinearScale.nice(covering: [-1.7e308, 1.7e308], range: 0...100, inverted: true)
        #expect(!extreme.isEmpty && extreme.count <= 101)
        let (_, plain) = LinearScale.nice(covering: [0, 9.5], range: 0...100, inverted: true)
        #expect(plain == [0, 2, 4, 6, 8, 10])
    }
}
