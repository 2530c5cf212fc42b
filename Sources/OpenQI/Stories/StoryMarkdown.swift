import Charts
import Foundation
import Ink

/// Turns a story's Markdown into safe HTML. Stories are written by any team member and read by the
/// board, so nothing in them may run: raw HTML is shown as text, and links and images keep only
/// web addresses. `![caption](chart:MEASURE-ID)` embeds that measure's live chart.
enum StoryMarkdown {
    /// The measures a story embeds, in order of first appearance.
    static func chartIDs(in markdown: String) -> [UUID] {
        var seen = Set<UUID>()
        var ids: [UUID] = []
        var rest = markdown[...]
        while let range = rest.range(of: "](chart:") {
            let candidate = rest[range.upperBound...].prefix(36)
            if let id = UUID(uuidString: String(candidate)), seen.insert(id).inserted { ids.append(id) }
            rest = rest[range.upperBound...]
        }
        return ids
    }

    /// The story as HTML; `charts` holds the SVG of each embedded measure's chart.
    static func html(_ markdown: String, charts: [UUID: String]) -> String {
        var parser = MarkdownParser()
        // Raw HTML, block or inline, is shown as the text it is (a second guard: "<" never reaches Ink).
        parser.addModifier(Modifier(target: .html) { escaped(String($0.markdown)) })
        parser.addModifier(
            Modifier(target: .links) { input in
                // Ink writes `<a href="URL">` without escaping the URL: it must end where the tag does.
                guard let href = leadingURL(in: input.html, after: "<a href=\"", closedBy: "\">"), isSafe(href)
                else { return escaped(String(input.markdown)) }
                return input.html
            })
        parser.addModifier(
            Modifier(target: .images) { input in
                let caption = altText(of: input.markdown)
                guard let src = leadingURL(in: input.html, after: "<img src=\"", closedBy: "\"") else {
                    return escaped(caption)
                }
                if src.hasPrefix("chart:") {
                    guard let id = UUID(uuidString: String(src.dropFirst(6))), let svg = charts[id] else {
                        return "<span class=\"missing-chart\">[There is no chart “\(escaped(caption))” to show.]</span>"
                    }
                    return "<span class=\"story-chart\" tabindex=\"0\" role=\"figure\""
                        + " aria-label=\"\(escaped(caption))\">\(svg)"
                        + "<span class=\"caption\">\(escaped(caption))</span></span>"
                }
                guard isSafe(src), src.hasPrefix("http") || src.hasPrefix("/") else { return escaped(caption) }
                return "<img src=\"\(src)\" alt=\"\(escaped(caption))\">"
            })
        parser.addModifier(Modifier(target: .codeBlocks) { codeBlock(html: $0.html, markdown: $0.markdown) })
        return unguarded(parser.html(from: guarded(markdown)))
    }

    /// What Ink is given. No "<" reaches it, so no tag can be written, and a stray one cannot
    /// swallow the rest of the story as an unclosed HTML block. No "&": Ink scans from each one
    /// for a ";" (quadratic in a long run of them) and copies what it found unescaped. And only the
    /// "[" that opens a whole link or image on its line: Ink parses every other one as a possible
    /// link, recursively, so a few dozen took minutes and a few thousand overflowed the stack.
    /// Each comes back as the text it was.
    static func guarded(_ markdown: String) -> String {
        let text = markdown.replacingOccurrences(of: "<", with: Placeholder.lessThan)
            .replacingOccurrences(of: "&", with: Placeholder.ampersand)
        guard text.contains("[") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = text[...]
        while let open = rest.firstIndex(of: "[") {
            result += rest[..<open]
            let candidate = rest[open...]
            if let link = candidate.prefixMatch(of: wholeLink) {
                result += candidate[..<link.range.upperBound]
                rest = candidate[link.range.upperBound...]
            } else {
                result += Placeholder.bracket
                rest = candidate.dropFirst()
            }
        }
        return result + rest
    }

    /// `[text](address)` on one line, with no bracket inside the text and no space in the address.
    private nonisolated(unsafe) static let wholeLink = #/\[[^\[\]\n]{0,500}\]\([^()\s]{1,2000}\)/#

    /// Ink's HTML with the guarded characters back as text.
    static func unguarded(_ html: String) -> String {
        html.replacingOccurrences(of: Placeholder.lessThan, with: "&lt;")
            .replacingOccurrences(of: Placeholder.ampersand, with: "&amp;")
            .replacingOccurrences(of: Placeholder.bracket, with: "[")
    }

    /// The story's HTML with each picture from a web address replaced by its caption, for copies
    /// read away from OpenQI (a saved board report), where the picture would not load. Charts are
    /// drawn inside the HTML and stay.
    static func picturesAsText(_ html: String) -> String {
        html.replacing(#/<img src="[^"]*" alt="([^"]*)">/#) { match in
            "<span class=\"picture-omitted\">[Picture: \(match.1)]</span>"
        }
    }

    /// A fenced code block with its language as a class only when the name is a plain word: Ink
    /// writes whatever follows the fence into the attribute unescaped.
    static func codeBlock(html: String, markdown: Substring) -> String {
        let firstLine = markdown.prefix { $0 != "\n" }
        let language = firstLine.drop { $0 == "`" || $0 == "~" }.trimmingCharacters(in: .whitespaces)
        let opening = language.isEmpty ? "<pre><code>" : "<pre><code class=\"language-\(language)\">"
        guard html.hasPrefix(opening) else {
            return "<pre><code>\(escaped(String(markdown)))</code></pre>"
        }
        let plainWord =
            !language.isEmpty && language.count <= 40
            && language.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-_.#".contains($0)) }
        return (plainWord ? "<pre><code class=\"language-\(language)\">" : "<pre><code>")
            + html.dropFirst(opening.count)
    }

    /// Private-use characters standing in for what Ink must not see, while it parses.
    private enum Placeholder {
        static let lessThan = "\u{E000}"
        static let ampersand = "\u{E001}"
        static let bracket = "\u{E002}"
    }

    /// Addresses a story may point at: the web, mail, and pages of OpenQI itself; nothing that
    /// runs (`javascript:`) and nothing that could break out of the attribute.
    static func isSafe(_ url: String) -> Bool {
        guard !url.contains(where: { "\"'<>`\\".contains($0) || $0.isWhitespace }) else { return false }
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:")
            || (lower.hasPrefix("/") && !lower.hasPrefix("//")) || lower.hasPrefix("#")
    }

    /// The URL Ink wrote after `prefix`, if it is made only of characters safe in an attribute and
    /// is followed directly by `terminator`; nil when it could break out of the attribute.
    private static func leadingURL(in html: String, after prefix: String, closedBy terminator: String) -> String? {
        guard html.hasPrefix(prefix) else { return nil }
        let rest = html.dropFirst(prefix.count)
        let url = rest.prefix { !"\"'<>`\\".contains($0) && !$0.isWhitespace }
        guard rest.dropFirst(url.count).hasPrefix(terminator) else { return nil }
        return String(url)
    }

    private static func altText(of markdown: Substring) -> String {
        guard markdown.hasPrefix("!["), let end = markdown.range(of: "](") else { return "" }
        return String(markdown[markdown.index(markdown.startIndex, offsetBy: 2)..<end.lowerBound])
    }

    static func escaped(_ text: String) -> String { text.markupEscaped }
}
