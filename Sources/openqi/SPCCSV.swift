import SPC

/// Reads the command line's CSV input (SPC.md "Command-line contract") without Foundation.
///
/// The header names the columns in any order: `x` and `y`, optionally `n`, `phase`, `exclude`
/// and `note`, plus `series` for the long table of `--by series`. Fields follow RFC 4180:
/// commas separate, double quotes enclose fields holding commas, quotes or line breaks, and a
/// doubled quote inside is one quote. Blank lines are skipped; spaces around unquoted fields
/// are trimmed. An empty y or n (or "NA", as R writes it) is missing.
enum SPCCSV {
    /// Columns of a single series.
    static let columns = ["x", "y", "n", "phase", "exclude", "note"]

    /// The points of a single-series file, in row order.
    static func points(from text: String) throws(SPCInputError) -> [SPCPoint] {
        var reader = try TableReader(text, allowed: columns)
        var points: [SPCPoint] = []
        while let (row, fields) = try reader.nextRecord() {
            points.append(try reader.point(fields, row: row))
        }
        return points
    }

    /// The series of a long table (a `series` column plus the single-series columns), in the
    /// order they first appear; each series' rows must be contiguous.
    static func series(from text: String) throws(SPCInputError) -> [SPCSeries] {
        var reader = try TableReader(text, allowed: ["series"] + columns)
        guard let seriesColumn = reader.index["series"] else { throw .missingColumn(name: "series") }
        var result: [SPCSeries] = []
        var seen: Set<String> = []
        while let (row, fields) = try reader.nextRecord() {
            let name = fields[seriesColumn]
            if result.last?.name != name {
                if seen.contains(name) { throw .seriesNotContiguous(row: row, series: name) }
                seen.insert(name)
                result.append(SPCSeries(name: name, firstRow: row, points: []))
            }
            result[result.count - 1].points.append(try reader.point(fields, row: row))
        }
        return result
    }
}

/// One series of a long table.
struct SPCSeries: Sendable, Hashable {
    var name: String
    /// The spreadsheet row number (header = 1) of the series' first row, for error messages.
    var firstRow: Int
    var points: [SPCPoint]
}

/// A CSV tokenizer over UTF-8 bytes plus the column mapping of the header.
private struct TableReader {
    private let bytes: [UInt8]
    private var position = 0
    private var row = 0
    let index: [String: Int]
    private let width: Int

    init(_ text: String, allowed: [String]) throws(SPCInputError) {
        bytes = Array(text.utf8)
        // Spreadsheets often save UTF-8 with a byte order mark; it is not part of the first name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        var header: [String]? = nil
        var index: [String: Int] = [:]
        // The header is the first non-blank record.
        while header == nil {
            guard let (_, fields) = try Self.record(bytes, &position, &row) else { throw .emptyInput }
            if fields.count == 1 && fields[0].isEmpty { continue }
            header = fields
        }
        for (i, raw) in header!.enumerated() {
            let name = raw.lowercased()
            guard allowed.contains(name) else { throw .unknownColumn(name: raw, allowed: allowed) }
            if index[name] != nil { throw .duplicateColumn(name: raw) }
            index[name] = i
        }
        for required in ["x", "y"] where index[required] == nil { throw .missingColumn(name: required) }
        self.index = index
        width = header!.count
    }

    /// The next non-blank record with its row number, or nil at the end.
    mutating func nextRecord() throws(SPCInputError) -> (Int, [String])? {
        while let (row, fields) = try Self.record(bytes, &position, &row) {
            if fields.count == 1 && fields[0].isEmpty { continue }
            guard fields.count == width else {
                throw .wrongFieldCount(row: row, expected: width, found: fields.count)
            }
            return (row, fields)
        }
        return nil
    }

    func point(_ fields: [String], row: Int) throws(SPCInputError) -> SPCPoint {
        func field(_ name: String) -> String? { index[name].map { fields[$0] } }
        let n = try number(field("n"), row: row, column: "n")
        if let n, n < 0 { throw .negativeDenominator(row: row, value: n) }
        return SPCPoint(
            x: field("x") ?? "", y: try number(field("y"), row: row, column: "y"), n: n,
            phase: field("phase").flatMap { $0.isEmpty ? nil : $0 },
            excluded: try flag(field("exclude"), row: row, column: "exclude"),
            note: field("note").flatMap { $0.isEmpty ? nil : $0 })
    }

    private func number(_ text: String?, row: Int, column: String) throws(SPCInputError) -> Double? {
        guard let text, !text.isEmpty, text != "NA" else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw .notANumber(row: row, column: column, value: text)
        }
        return value
    }

    private func flag(_ text: String?, row: Int, column: String) throws(SPCInputError) -> Bool {
        guard let text, !text.isEmpty else { return false }
        switch text.lowercased() {
        case "1", "true", "t", "yes", "y", "x": return true
        case "0", "false", "f", "no", "n": return false
        default: throw .notAFlag(row: row, column: column, value: text)
        }
    }

    /// Reads one record starting at `position`; nil at the end of input.
    private static func record(_ bytes: [UInt8], _ position: inout Int, _ row: inout Int) throws(SPCInputError)
        -> (Int, [String])?
    {
        guard position < bytes.count else { return nil }
        row += 1
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        var fields: [String] = []
        var field: [UInt8] = []
        while true {
            // Start of a field: skip leading spaces, then see whether it is quoted.
            while position < bytes.count && (bytes[position] == 0x20 || bytes[position] == 0x09) { position += 1 }
            if position < bytes.count && bytes[position] == quote {
                position += 1
                while true {
                    guard position < bytes.count else { throw .unterminatedQuote(row: row) }
                    let b = bytes[position]
                    position += 1
                    if b == quote {
                        if position < bytes.count && bytes[position] == quote {
                            field.append(quote)
                            position += 1
                        } else {
                            break
                        }
                    } else {
                        field.append(b)
                    }
                }
                // Anything between the closing quote and the separator is kept, minus spaces.
                while position < bytes.count && bytes[position] != comma && bytes[position] != lf
                    && bytes[position] != cr
                {
                    if bytes[position] != 0x20 && bytes[position] != 0x09 { field.append(bytes[position]) }
                    position += 1
                }
            } else {
                while position < bytes.count && bytes[position] != comma && bytes[position] != lf
                    && bytes[position] != cr
                {
                    field.append(bytes[position])
                    position += 1
                }
                while let last = field.last, last == 0x20 || last == 0x09 { field.removeLast() }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            if position < bytes.count && bytes[position] == comma {
                position += 1
                continue
            }
            // End of record: consume CRLF, LF or CR.
            if position < bytes.count && bytes[position] == cr { position += 1 }
            if position < bytes.count && bytes[position] == lf { position += 1 }
            return (row, fields)
        }
    }
}
