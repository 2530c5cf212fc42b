import SPC
import Testing

@testable import Charts

@Suite("Sparklines and standalone icons")
struct SparklineTests {
    @Test("a missing or non-finite value breaks the line; a value alone between gaps still shows")
    func gaps() throws {
        let svg = Sparkline(values: [1, 2, nil, 3, 4, .nan, 5, nil, 6, 7]).svg()
        let lines = stretches(svg)
        try #require(lines.count == 4, "\(lines)")
        try #require(lines.map(\.count) == [2, 2, 2, 2], "the lone 5 is a zero-length stretch: \(lines)")
        #expect(lines[2][0] == lines[2][1])
        // Each value keeps its own slot, so the line after a gap starts at the value's own x.
        let step = (120.0 - 6) / 9
        #expect(lines[1][0].x == tenth(3 + 3 * step))
        #expect(lines[2][0].x == tenth(3 + 6 * step))
        #expect(lines[3][1].x == 117)
        #expect(stretches(Sparkline(values: [1, 2, 3]).svg()).map(\.count) == [3], "no gap, one stretch")
    }

    @Test("the smallest value is at the bottom, the largest at the top, the first at the left, the last at the right")
    func scaling() throws {
        let line = try #require(stretches(Sparkline(values: [5, 1, 9, 3]).svg()).first)
        #expect(line.map(\.y) == [14, 25, 3, tenth(25 - 2.0 / 8 * 22)])
        #expect(line.first!.x == 3)
        #expect(line.last!.x == 117)
        let tall = try #require(stretches(Sparkline(values: [-40, 60], width: 60, height: 100).svg()).first)
        #expect(tall.map(\.y) == [97, 3], "negative values and other sizes scale the same way")
        #expect(tall.last!.x == 57)
    }

    @Test("equal values draw a flat line across the middle")
    func flat() throws {
        let svg = Sparkline(values: [4, 4, 4, 4]).svg()
        let line = try #require(stretches(svg).first)
        #expect(line.count == 4)
        #expect(line.allSatisfy { $0.y == 14 })
        #expect(dot(svg)?.y == 14)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test("a target draws a dashed line only when given, and the range stretches to keep it inside")
    func target() {
        #expect(!Sparkline(values: [1, 5, 9]).svg().contains(Palette.target))
        #expect(!Sparkline(values: [1, 5, 9], target: .nan).svg().contains(Palette.target))

        let inside = Sparkline(values: [1, 5, 9], target: 7).svg()
        #expect(targetLine(inside).contains("stroke-dasharray"))
        #expect(targetY(inside) == tenth(25 - 6.0 / 8 * 22))
        #expect(heights(inside) == [25, 14, 3], "a target inside the range leaves the scale alone")
        #expect(attribute("aria-label", of: inside).hasSuffix(", target 7"))

        let above = Sparkline(values: [1, 5, 9], target: 17).svg()
        #expect(targetY(above) == 3, "a target above the values is the top of the range")
        #expect(heights(above) == [25, 19.5, 14])
        let below = Sparkline(values: [1, 5, 9], target: -7).svg()
        #expect(targetY(below) == 25, "a target below the values is the bottom of the range")
        #expect(heights(below) == [tenth(25 - 8.0 / 16 * 22), tenth(25 - 12.0 / 16 * 22), 3])

        let flat = Sparkline(values: [4, 4], target: 6).svg()
        #expect(targetY(flat) == 3)
        #expect(heights(flat) == [25, 25], "a target off a flat series gives it a range")
    }

    @Test("the latest value's dot is coloured by its class and said in words", arguments: PointClass.allCases)
    func lastDot(pointClass: PointClass) {
        let svg = Sparkline(values: [2, 8, 5, nil], lastClass: pointClass).svg()
        #expect(attribute("fill", of: element("circle", in: svg)) == Palette.colour(pointClass))
        let step = (120.0 - 6) / 3
        #expect(dot(svg) == Point(x: tenth(3 + 2 * step), y: 14), "the dot is on the last value, not the gap after it")
        let label = attribute("aria-label", of: svg)
        #expect(label.hasPrefix("Trend of the last 3 values, latest 5"))
        #expect(label.contains("special cause") == (pointClass != .common), "\(label)")
    }

    @Test("numbers in the label are said plainly")
    func label() {
        let values: [Double?] = (0..<25).map { Double($0) } + [3.2]
        #expect(
            attribute("aria-label", of: Sparkline(values: values).svg()) == "Trend of the last 26 values, latest 3.2")
        #expect(attribute("aria-label", of: Sparkline(values: [12.345]).svg()) == "One value, 12.3")
    }

    @Test(
        "no values draw an empty image of the same size that says so",
        arguments: [[], [nil, nil], [.nan]] as [[Double?]])
    func empty(values: [Double?]) {
        let svg = Sparkline(values: values, width: 90, height: 20).svg()
        #expect(attribute("aria-label", of: svg) == "No data")
        #expect(attribute("width", of: svg) == "90" && attribute("height", of: svg) == "20")
        #expect(attribute("viewBox", of: svg) == "0 0 900 200")
        #expect(!svg.contains("<path") && !svg.contains("<circle"))
        #expect(svg.hasSuffix("></svg>"))
    }

    @Test("a sparkline is small and safe to repeat thousands of times on a page")
    func small() {
        let values: [Double?] = (0..<26).map { 40 + Double($0 * 37 % 23) / 3 }
        let svg = Sparkline(values: values, lastClass: .improvement).svg()
        #expect(svg.utf8.count < 500, "\(svg.utf8.count) bytes: \(svg)")
        #expect(!svg.contains("id="), "ids would collide between rows")
        #expect(!svg.contains("<title") && !svg.contains("<desc"))
        #expect(attribute("role", of: svg) == "img")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        // Every number is a whole number of tenths of a pixel: no decimal point at all.
        #expect(!attribute("d", of: dataLine(svg)).contains("."))
        #expect(Sparkline(values: values) == Sparkline(values: values))
        #expect(Sparkline(values: values).svg() == Sparkline(values: values).svg())
    }

    @Test(
        "each variation icon stands alone in Making Data Count's shape: a run of five points in a ring, the last two coloured and raised or lowered for a special cause, with H or L",
        arguments: VariationIcon.allCases)
    func variationIcon(icon: VariationIcon) {
        let svg = MDCIcons.variation(icon)
        let letter: String? =
            switch icon {
            case .commonCause: nil
            case .improvementHigh, .concernHigh, .neutralHigh: "H"
            case .improvementLow, .concernLow, .neutralLow: "L"
            }
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(attribute("role", of: svg) == "img")
        #expect(attribute("width", of: svg) == "24" && attribute("height", of: svg) == "24")
        // The title is the svg's own first child, which names the image for screen readers.
        #expect(svg.contains("\"><title>\(Describe.variation(icon).markupEscaped)</title><g "))
        #expect(attribute("stroke", of: element("circle", in: svg)) == Palette.colour(icon), "the ring")
        // The five points after the ring: grey, the last two in the colour for a special cause.
        let points = svg.components(separatedBy: "<circle").dropFirst(2).map { attribute("fill", of: "<circle" + $0) }
        let special = icon == .commonCause ? [] : [Palette.colour(icon), Palette.colour(icon)]
        #expect(points == Array(repeating: Palette.common, count: 5 - special.count) + special)
        let heights = svg.components(separatedBy: "<circle").dropFirst(2).compactMap {
            Double(attribute("cy", of: "<circle" + $0))
        }
        switch letter {
        case "H": #expect(heights[3] < heights[0] && heights[4] < heights[2], "raised: higher on the page")
        case "L": #expect(heights[3] > heights[0] && heights[4] > heights[2], "lowered")
        default: break
        }
        if let letter {
            #expect(svg.contains("fill=\"\(Palette.colour(icon))\">\(letter)</text>"))
        } else {
            #expect(!svg.contains("</text>"), "common cause has no letter")
        }
        #expect(svg.contains("class=\"icon variation \(icon.rawValue)\""))
        #expect(svg.components(separatedBy: "<title>").count == 2, "one title")
        #expect(attribute("width", of: MDCIcons.variation(icon, size: 40)) == "40")
        #expect(!svg.contains("id="))
    }

    @Test(
        "each assurance icon stands alone in Making Data Count's shape: a dashed target across a ring of its colour, the process beside it, and P, F or ?",
        arguments: AssuranceIcon.allCases)
    func assuranceIcon(icon: AssuranceIcon) {
        let svg = MDCIcons.assurance(icon, size: 32)
        let (colour, letter) =
            switch icon {
            case .pass: (Palette.improvement, "P")
            case .fail: (Palette.concern, "F")
            case .hitAndMiss: (Palette.common, "?")
            }
        #expect(attribute("role", of: svg) == "img")
        #expect(attribute("width", of: svg) == "32" && attribute("height", of: svg) == "32")
        #expect(svg.contains("\"><title>\(Describe.assurance(icon).markupEscaped)</title><g "))
        #expect(attribute("stroke", of: element("circle", in: svg)) == colour)
        let target = element("line", in: svg)
        #expect(!attribute("stroke-dasharray", of: target).isEmpty && attribute("stroke", of: target) == colour)
        #expect(svg.contains("fill=\"\(colour)\">\(letter)</text>"))
        // The process against the target: below it (further down the page) for fail, above for pass.
        let targetY = Double(attribute("y1", of: target)) ?? 0
        let process = attribute("points", of: element("polyline", in: svg)).split(separator: " ")
            .compactMap { Double($0.split(separator: ",")[1]) }
        switch icon {
        case .fail: #expect(process.allSatisfy { $0 > targetY })
        case .pass: #expect(process.allSatisfy { $0 < targetY })
        case .hitAndMiss: #expect(process.contains { $0 < targetY } && process.contains { $0 > targetY })
        }
        #expect(svg.contains("class=\"icon assurance \(icon.rawValue)\""))
        #expect(svg.components(separatedBy: "<title>").count == 2, "one title")
    }

    @Test("the chart's corner icons are drawn by the same code as the standalone ones")
    func chartIconsShared() {
        var result = ControlChartTests.result(target: 15)
        result.variation = .concernLow
        result.assurance = .fail
        let chart = ControlChart(result: result, title: "t").svg()
        for standalone in [MDCIcons.variation(.concernLow), MDCIcons.assurance(.fail)] {
            let group = element("g", in: standalone)
            let circle = element("circle", in: standalone)
            #expect(chart.contains(group + "><title>"), "the chart has the same group, with its title inside")
            let inChart = element("circle", in: chart.components(separatedBy: group)[1])
            #expect(attribute("r", of: inChart) == attribute("r", of: circle))
            #expect(attribute("fill", of: inChart) == attribute("fill", of: circle))
        }
    }
}

/// A point of the sparkline in pixels.
private struct Point: Equatable, CustomStringConvertible {
    var x: Double
    var y: Double
    var description: String { "(\(x), \(y))" }
}

/// A pixel value rounded to the tenth the sparkline writes.
private func tenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }

/// The first `<name …>` element's tag.
private func element(_ name: String, in svg: String) -> String {
    guard let start = svg.range(of: "<\(name) ") else { return "" }
    return String(svg[start.lowerBound...].prefix { $0 != ">" })
}

/// An attribute's value in a tag (the first one, for a whole svg: the root's).
private func attribute(_ name: String, of tag: String) -> String {
    guard let start = tag.range(of: " \(name)=\"") else { return "" }
    return String(tag[start.upperBound...].prefix { $0 != "\"" })
}

private func paths(_ svg: String) -> [String] {
    svg.components(separatedBy: "<path").dropFirst().map { String($0.prefix { $0 != ">" }) }
}

private func dataLine(_ svg: String) -> String {
    paths(svg).first { attribute("stroke", of: $0) == Palette.common } ?? ""
}

private func targetLine(_ svg: String) -> String {
    paths(svg).first { attribute("stroke", of: $0) == Palette.target } ?? ""
}

/// The target line's height in pixels, nil without one; it must run the full width inside the image.
private func targetY(_ svg: String) -> Double? {
    let d = attribute("d", of: targetLine(svg))
    let width = attribute("viewBox", of: svg).split(separator: " ").dropFirst(2).first ?? ""
    #expect(d.hasPrefix("M0 ") && d.hasSuffix("H\(width)"), "\(d)")
    guard let y = Double(d.dropFirst(3).prefix { $0 != "H" }).map({ $0 / 10 }) else { return nil }
    #expect(y >= 0 && y <= Double(attribute("height", of: svg)) ?? 0, "the target is inside the image")
    return y
}

private func dot(_ svg: String) -> Point? {
    let circle = element("circle", in: svg)
    guard let x = Double(attribute("cx", of: circle)), let y = Double(attribute("cy", of: circle)) else { return nil }
    return Point(x: x / 10, y: y / 10)
}

/// The heights of the data line's points, in pixels, across its stretches.
private func heights(_ svg: String) -> [Double] {
    stretches(svg).flatMap { $0.map(\.y) }
}

/// The data line read back into stretches of points in pixels: each "M" starts one, "l" adds relative
/// steps, "h" a relative horizontal one. Anything else is recorded as an issue.
private func stretches(_ svg: String) -> [[Point]] {
    let d = attribute("d", of: dataLine(svg))
    // Numbers end at a space, a letter or a minus sign (which starts the next one).
    var tokens: [String] = []
    var number = ""
    for character in d {
        if character.isNumber {
            number.append(character)
            continue
        }
        if !number.isEmpty { tokens.append(number) }
        number = character == "-" ? "-" : ""
        if character.isLetter { tokens.append(String(character)) }
    }
    if !number.isEmpty { tokens.append(number) }
    var result: [[Point]] = []
    var index = 0
    var command = ""
    func next() -> Double? {
        guard index < tokens.count, let value = Double(tokens[index]) else { return nil }
        index += 1
        return value / 10
    }
    while index < tokens.count {
        if tokens[index].first?.isLetter == true {
            command = tokens[index]
            index += 1
        }
        let last = result.last?.last
        switch command {
        case "M":
            guard let x = next(), let y = next() else { break }
            result.append([Point(x: x, y: y)])
            command = "L"  // implicit line-tos the sparkline never writes: the default case catches them
            continue
        case "l":
            guard let last, let dx = next(), let dy = next() else { break }
            result[result.count - 1].append(Point(x: tenth(last.x + dx), y: tenth(last.y + dy)))
            continue
        case "h":
            guard let last, let dx = next() else { break }
            result[result.count - 1].append(Point(x: tenth(last.x + dx), y: last.y))
            continue
        default: break
        }
        Issue.record("unexpected path data at \(index) (\(command)) in \(d)")
        return result
    }
    return result
}

@Suite("Shared icon symbols")
struct MDCIconSymbolTests {
    @Test("each icon is defined once as a symbol and a reference draws it with its title")
    func symbolsAndReferences() {
        let symbols = MDCIcons.symbols
        #expect(
            symbols.components(separatedBy: "<symbol ").count - 1 == VariationIcon.allCases.count
                + AssuranceIcon.allCases.count)
        #expect(symbols.contains("id=\"mdc-variation-concern_high\""))
        #expect(symbols.contains("id=\"mdc-assurance-fail\""))
        #expect(symbols.contains("aria-hidden=\"true\""))
        let reference = MDCIcons.variationReference(.concernHigh)
        #expect(reference.contains("<use href=\"#mdc-variation-concern_high\"/>"))
        #expect(reference.contains("<title>\(Describe.variation(.concernHigh))</title>"))
        #expect(MDCIcons.assuranceReference(.fail).contains("<use href=\"#mdc-assurance-fail\"/>"))
        #expect(reference.utf8.count < MDCIcons.variation(.concernHigh).utf8.count / 2)
    }
}
