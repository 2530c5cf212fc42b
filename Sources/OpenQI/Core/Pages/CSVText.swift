import Vapor

/// Text written into a CSV cell that people open in a spreadsheet: always quoted, and a cell a
/// spreadsheet would take for a formula (starting =, +, -, @, a tab or a carriage return) is
/// prefixed with an apostrophe, so a note typed as `=HYPERLINK(…)` stays text (OWASP, "CSV
/// Injection"). Numbers OpenQI writes itself go in unquoted and unchanged.
enum CSVText {
    static func cell(_ text: String) -> String {
        let neutral = text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
        return "\"" + neutral.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Response {
    /// A CSV file to download as `filename`, written as UTF-8.
    static func csv(_ text: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.contentDisposition = .init(.attachment, filename: filename)
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
