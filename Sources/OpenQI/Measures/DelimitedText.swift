import Foundation

/// Text from a spreadsheet — pasted (tab separated) or saved as CSV (comma or semicolon
/// separated) — cut into records and cells the way the spreadsheet meant them: a byte order mark
/// at the start is not text, a quoted cell may hold line breaks and separators, and a
/// semicolon-separated file (a European CSV) writes decimals with a comma.
///
/// Records are found by walking the UTF-8 bytes rather than characters: grapheme breaking would
/// dominate reading a file of a million rows.
struct DelimitedText: Sendable {
    /// Each record's text, in order; blank ones included, so a record's number is its row in the
    /// spreadsheet.
    let records: [Substring]
    let separator: Character

    init(_ text: String) {
        var utf8 = Substring(text).utf8
        // Spreadsheets often save UTF-8 with a byte order mark; it is not part of the first cell.
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8 = utf8.dropFirst(3) }
        let firstLine = utf8.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        separator = Self.separator(Substring(firstLine))
        records = Self.records(utf8, separator: separator.asciiValue!)
    }

    /// Tabs if the first line has one (a spreadsheet paste), semicolons if it has those and no
    /// commas (a European CSV), otherwise commas.
    static func separator(_ firstLine: Substring) -> Character {
        if firstLine.contains("\t") { return "\t" }
        return firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
    }

    /// The separator in words, for messages.
    var separatorName: String {
        switch separator {
        case "\t": "tab"
        case ";": "semicolon"
        default: "comma"
        }
    }

    /// A record's cells, trimmed; in a semicolon-separated file a decimal comma (3,5) becomes a
    /// point.
    func cells(_ record: Substring) -> [String] {
        let cells = DataImport.cells(record, separator: separator)
        guard separator == ";" else { return cells }
        return cells.map(Self.decimalPoint)
    }

    /// "3,5" as "3.5"; anything else as it is.
    static func decimalPoint(_ cell: String) -> String {
        let bytes = cell.utf8
        guard bytes.count(where: { $0 == UInt8(ascii: ",") }) == 1,
            bytes.allSatisfy({ $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "-") || (48...57).contains($0) })
        else { return cell }
        return cell.replacingOccurrences(of: ",", with: ".")
    }

    /// Splits at \n, \r\n or a lone \r, except inside a quoted cell: a quote that opens a cell
    /// (after the separator or the start of the record, spaces aside) runs to the next lone quote.
    private static func records(_ utf8: Substring.UTF8View, separator: UInt8) -> [Substring] {
        let quote = UInt8(ascii: "\"")
        var records: [Substring] = []
        var start = utf8.startIndex
        var index = start
        var quoted = false
        var cellStart = true
        while index != utf8.endIndex {
            let byte = utf8[index]
            utf8.formIndex(after: &index)
            if quoted {
                guard byte == quote else { continue }
                if index != utf8.endIndex, utf8[index] == quote {
                    utf8.formIndex(after: &index)
                } else {
                    quoted = false
                }
                continue
            }
            switch byte {
            case quote where cellStart:
                quoted = true
                cellStart = false
            case separator:
                cellStart = true
            case UInt8(ascii: " "):
                break
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                var end = index
                utf8.formIndex(before: &end)
                records.append(Substring(utf8[start..<end]))
                if byte == UInt8(ascii: "\r"), index != utf8.endIndex, utf8[index] == UInt8(ascii: "\n") {
                    utf8.formIndex(after: &index)
                }
                start = index
                cellStart = true
            default:
                cellStart = false
            }
        }
        records.append(Substring(utf8[start..<utf8.endIndex]))
        return records
    }
}
