extension String {
    /// The text made safe inside a double-quoted HTML attribute. Plot escapes text nodes but writes
    /// attribute values as given, so every attribute that can hold user input goes through this.
    var attributeEscaped: String {
        // Most text has nothing to escape; finding that out byte by byte is cheap.
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x22 || $0 == 0x27 || $0 == 0x3C || $0 == 0x3E }) else {
            return self
        }
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
