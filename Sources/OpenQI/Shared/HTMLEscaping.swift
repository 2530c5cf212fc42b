extension String {
    /// The text made safe inside a double-quoted HTML attribute. Plot escapes text nodes but writes
    /// attribute values as given, so every attribute that can hold user input goes through this.
    var attributeEscaped: String {
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
