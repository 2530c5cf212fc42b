/// Builds SVG text. Every number goes through `number(_:)` (two decimals at most, no "-0") so the
/// output is deterministic and snapshot tests are stable; every text through `markupEscaped`.
struct SVGWriter {
    /// The font of every chart and icon: the platform's interface font.
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

    private(set) var text = ""

    /// Room for `count` bytes up front, for drawings made thousands of times a page.
    mutating func reserveCapacity(_ count: Int) { text.reserveCapacity(count) }

    mutating func raw(_ fragment: String) { text += fragment }

    mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(value.markupEscaped)\"" }
        if let content {
            text += ">\(content.markupEscaped)</\(name)>"
        } else {
            text += "/>"
        }
    }

    /// A tick of the value axis: a grid line across the plot at `y`, and the value's label just left
    /// of the axis (styled by the group it is in, or by `labelStyle`).
    mutating func valueTick(
        _ label: String, y: Double, left: Double, right: Double, labelStyle: [(String, String)] = []
    ) {
        let n = SVGWriter.number
        element("line", [("x1", n(left)), ("x2", n(right)), ("y1", n(y)), ("y2", n(y)), ("stroke", Palette.grid)])
        element("text", [("x", n(left - 6)), ("y", n(y + 4)), ("text-anchor", "end")] + labelStyle, content: label)
    }

    /// One entry of a chart's key: a short stretch of the line as drawn, and its label. Returns
    /// where the next entry starts.
    mutating func keyLine(
        x: Double, y: Double, label: String, stroke: String, dash: String? = nil, width: String = "1.2"
    ) -> Double {
        let n = Self.number
        element(
            "line",
            [
                ("x1", n(x)), ("x2", n(x + 22)), ("y1", n(y - 4)), ("y2", n(y - 4)), ("stroke", stroke),
                ("stroke-width", width),
            ] + (dash.map { [("stroke-dasharray", $0)] } ?? []))
        element("text", [("x", n(x + 27)), ("y", n(y))], content: label)
        return x + 27 + Double(label.count) * 6.2 + 14
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(value.markupEscaped)\"" }
        text += ">"
    }

    mutating func close(_ name: String) { text += "</\(name)>" }

    /// Opens an accessible chart: the <svg> labelled by its title and description (read by screen
    /// readers), a white background, and the visible title and subtitle at `titleX`.
    mutating func openChart(
        width: Double, height: Double, idPrefix: String, cssClass: String, title: String, subtitle: String? = nil,
        description: String, titleX: Double
    ) {
        let n = SVGWriter.number
        open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(n(width)) \(n(height))"),
                ("width", n(width)), ("height", n(height)), ("role", "img"),
                ("aria-labelledby", "\(idPrefix)-title \(idPrefix)-desc"),
                ("font-family", SVGWriter.fontFamily),
                ("class", cssClass),
            ])
        element("title", [("id", "\(idPrefix)-title")], content: title)
        element("desc", [("id", "\(idPrefix)-desc")], content: description)
        element("rect", [("width", n(width)), ("height", n(height)), ("fill", "#FFFFFF")])
        element(
            "text",
            [("x", n(titleX)), ("y", "20"), ("font-size", "15"), ("font-weight", "600"), ("fill", Palette.text)],
            content: title)
        if let subtitle {
            element(
                "text", [("x", n(titleX)), ("y", "38"), ("font-size", "12"), ("fill", Palette.muted)], content: subtitle
            )
        }
    }

    /// A coordinate or value with at most two decimals, without a trailing ".0".
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }
}

extension String {
    /// The text made safe in SVG or HTML, between tags or inside a quoted attribute: `&`, `<`, `>`,
    /// `"` and `'` replaced by their entities. The web app's pages escape attribute values with it too.
    public var markupEscaped: String {
        // Most text has nothing to escape: a byte scan, not a walk through its characters, says so.
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return self
        }
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
