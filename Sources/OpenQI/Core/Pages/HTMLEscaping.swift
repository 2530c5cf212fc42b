import Plot

extension Node {
    /// Text, escaped for HTML. This stands in for Plot's own `.text` everywhere in OpenQI (a
    /// declaration in this module shadows the imported one of the same signature): Plot escapes
    /// character by character, building a string for each, which was half the rendering time of a
    /// project page. This escapes in one pass over the bytes, and escapes every `&`, so text a
    /// person typed as "&amp;" shows as they typed it.
    static func text(_ text: String) -> Node { .raw(text.htmlEscaped) }
}

extension String {
    /// The text made safe between HTML tags: `&`, `<` and `>` replaced by their entities.
    var htmlEscaped: String {
        guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") })
        else { return self }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
