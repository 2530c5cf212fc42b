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
    /// The index of the record where a quote opened a cell and was never closed, if one did. From
    /// there on the text is split at every line break, so the rows after it are still read (and
    /// that one refused) rather than swallowed into one cell.
    let unclosedQuote: Int?

    init(_ text: String) {
        var utf8 = Substring(text).utf8
        // Spreadsheets often save UTF-8 with a byte order mark; it is not part of the first cell.
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8 = utf8.dropFirst(3) }
        let firstLine = utf8.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        separator = Self.separator(Substring(firstLine))
        let (records, unclosed) = Self.records(utf8, separator: separator.asciiValue!, quotes: true)
        guard unclosed, let last = records.last else {
            self.records = records
            unclosedQuote = nil
            return
        }
        self.records = Array(records.dropLast()) + Self.records(last.utf8, separator: 0, quotes: false).records
        unclosedQuote = records.count - 1
    }

    /// Tabs if the first line has one (a spreadsheet paste); semicolons if it has those and each
    /// comma sits between digits, as a decimal comma does (a European CSV, or a paste of one
    /// without its header); otherwise commas.
    static func separator(_ firstLine: Substring) -> Character {
        if firstLine.contains("\t") { return "\t" }
        guard firstLine.contains(";") else { return "," }
        let bytes = Array(firstLine.utf8)
        let decimalCommas = bytes.indices.allSatisfy { index in
            bytes[index] != UInt8(ascii: ",")
                || (index > 0 && index + 1 < bytes.count && (48...57).contains(bytes[index - 1])
                    && (48...57).contains(bytes[index + 1]))
        }
        return decimalCommas ? ";" : ","
    }

    /// The message for a record whose quote never closes.
    func unclosedQuoteMessage(row: Int) -> String {
        "Row \(row): a cell starts with a double quote that is never closed, so everything after it would be one cell. Close the quote, or take it out."
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

    /// Splits at \n, \r\n or a lone \r, except inside a quoted cell (with `quotes`): a quote
    /// that opens a cell (after the separator or the start of the record, spaces and tabs aside)
    /// runs to the next lone quote. Also says whether the text ended inside one.
    private static func records(_ utf8: Substring.UTF8View, separator: UInt8, quotes: Bool) -> (
        records: [Substring], unclosed: Bool
    ) {
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
            case quote where cellStart && quotes:
                quoted = true
                cellStart = false
            case separator:
                cellStart = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
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
        return (records, quoted)
    }
}
