/// Builds SVG text. Every number goes through `number(_:)` (two decimals at most, no "-0") so the
/// output is deterministic and snapshot tests are stable; every text through `escaped(_:)`.
struct SVGWriter {
    private(set) var text = ""

    mutating func raw(_ fragment: String) { text += fragment }

    mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(SVGWriter.escaped(value))\"" }
        if let content {
            text += ">\(SVGWriter.escaped(content))</\(name)>"
        } else {
            text += "/>"
        }
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)"
        for (key, value) in attributes { text += " \(key)=\"\(SVGWriter.escaped(value))\"" }
        text += ">"
    }

    mutating func close(_ name: String) { text += "</\(name)>" }

    /// Text safe in SVG content and attributes.
    static func escaped(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value {
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

    /// A coordinate or value with at most two decimals, without a trailing ".0".
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }
}
