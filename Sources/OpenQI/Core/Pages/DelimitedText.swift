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
        var text = text
        text.makeContiguousUTF8()
        let utf8 = text.utf8
        // Found on the bytes themselves, as offsets; each record becomes a Substring of the text.
        let found = utf8.withContiguousStorageIfAvailable {
            bytes -> (ranges: [Range<Int>], separator: Character, unclosed: Int?) in
            // Spreadsheets often save UTF-8 with a byte order mark; it is not part of the first cell.
            let from = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let lineEnd =
                bytes[from...].firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? bytes.count
            let separator = Self.separator(
                Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<lineEnd]), as: UTF8.self)))
            var (ranges, unclosed) = Self.records(bytes, from: from, separator: separator.asciiValue!, quotes: true)
            guard unclosed, let last = ranges.popLast() else { return (ranges, separator, nil) }
            let at = ranges.count
            ranges += Self.records(bytes, from: last.lowerBound, separator: 0, quotes: false).ranges
            return (ranges, separator, at)
        }!
        let start = utf8.startIndex
        records = found.ranges.map {
            Substring(utf8[utf8.index(start, offsetBy: $0.lowerBound)..<utf8.index(start, offsetBy: $0.upperBound)])
        }
        separator = found.separator
        unclosedQuote = found.unclosed
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
        let cells = Self.cells(record, separator: separator)
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

    /// A record's cells, trimmed. A cell that starts with a double quote may hold the separator
    /// and line breaks, and "" inside it stands for one quote (RFC 4180); a quote elsewhere is just
    /// a character. A record without quotes takes the quick path.
    private static func cells(_ line: Substring, separator: Character) -> [String] {
        // Most records are plain ASCII without quotes: split and trim their bytes directly.
        if let separator = separator.asciiValue,
            let cells = line.utf8.withContiguousStorageIfAvailable({ asciiCells($0, separator: separator) }),
            let cells
        {
            return cells
        }
        guard line.contains("\"") else {
            return line.split(separator: separator, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if quoted {
                if character == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex, line[next] == "\"" {
                        cell.append("\"")
                        index = next
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(character)
                }
            } else if character == "\"", cell.allSatisfy({ $0 == " " || $0 == "\t" }) {
                quoted = true
                cell = ""
            } else if character == separator {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
            index = line.index(after: index)
        }
        cells.append(cell.trimmingCharacters(in: .whitespaces))
        return cells
    }

    /// The cells of a line of plain ASCII without quotes, trimmed of spaces and tabs; nil for any
    /// other line, which needs the careful path.
    private static func asciiCells(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) -> [String]? {
        var cells: [String] = []
        var start = 0
        for index in 0...bytes.count {
            if index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte >= 0x80 { return nil }
                if byte != separator { continue }
            }
            var first = start
            var end = index
            while first < end, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") { first += 1 }
            while end > first, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            cells.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<end]), as: UTF8.self))
            start = index + 1
        }
        return cells
    }

    /// Splits at \n, \r\n or a lone \r, except inside a quoted cell (with `quotes`): a quote
    /// that opens a cell (after the separator or the start of the record, spaces and tabs aside)
    /// runs to the next lone quote. Returns each record's byte offsets, and whether the text ended
    /// inside a quote.
    private static func records(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, separator: UInt8, quotes: Bool)
        -> (ranges: [Range<Int>], unclosed: Bool)
    {
        let quote = UInt8(ascii: "\"")
        var ranges: [Range<Int>] = []
        var start = from
        var index = from
        var quoted = false
        var cellStart = true
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                guard byte == quote else { continue }
                if index < bytes.count, bytes[index] == quote { index += 1 } else { quoted = false }
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
                ranges.append(start..<(index - 1))
                if byte == UInt8(ascii: "\r"), index < bytes.count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
                start = index
                cellStart = true
            default:
                cellStart = false
            }
        }
        ranges.append(start..<bytes.count)
        return (ranges, quoted)
    }
}

/// A row of a file that cannot be imported, and why, in words that say what to fix. Every import
/// that checks a file row by row reports with it.
package struct FileRowError: Sendable, Equatable, Error {
    /// The row's number in the spreadsheet; 0 for the file as a whole.
    let line: Int
    package let message: String
}
