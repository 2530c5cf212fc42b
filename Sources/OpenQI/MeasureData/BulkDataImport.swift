import Fluent
import Foundation
import SPC
import Vapor

/// Data for many measures at once, each row naming its measure by key: the long CSV a
/// directorate's analyst uploads (`measure,period,value,denominator[,note]`) and the batches a data
/// warehouse posts to the API. Reading happens in two steps, so only the measures a file names are
/// looked up: `csv(_:)` or `points(_:)` splits the rows, then `checked(against:scope:)` checks each
/// row with the same rules as a single measure's import.
package struct BulkDataImport: Sendable {
    /// One row as read, before it is checked: its line, the measure key, and its cells (empty
    /// where the row has none).
    package struct Line: Sendable {
        let number: Int
        let key: String
        let period: String
        let value: String
        let denominator: String
        let note: String
    }

    /// Checked rows by measure, and every bad row with its reason.
    package struct Checked: Sendable {
        package var rows: [UUID: [DataImport.Row]] = [:]
        package var errors: [DataImport.RowError] = []
        package var pointCount: Int { rows.values.reduce(0) { $0 + $1.count } }
    }

    /// One point as the API takes it in JSON. Numbers may come as JSON numbers or as text (as
    /// warehouses often export them); text that is not a number is reported on its row, like a
    /// CSV cell, rather than failing the whole batch.
    package struct Point: Content, Sendable {
        var measure: String?
        var period: String?
        var value: Double?
        var denominator: Double?
        var note: String?
        /// What was sent for value and denominator, as text.
        fileprivate var valueText: String?
        fileprivate var denominatorText: String?

        init(measure: String?, period: String?, value: Double?, denominator: Double? = nil, note: String? = nil) {
            self.measure = measure
            self.period = period
            self.value = value
            self.denominator = denominator
            self.note = note
        }

        private enum CodingKeys: String, CodingKey { case measure, period, value, denominator, note }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            measure = try container.decodeIfPresent(String.self, forKey: .measure)
            period = try container.decodeIfPresent(String.self, forKey: .period)
            note = try container.decodeIfPresent(String.self, forKey: .note)
            func number(_ key: CodingKeys) throws -> (Double?, String?) {
                if let number = try? container.decodeIfPresent(Double.self, forKey: key) { return (number, nil) }
                return (nil, try container.decodeIfPresent(String.self, forKey: key))
            }
            (value, valueText) = try number(.value)
            (denominator, denominatorText) = try number(.denominator)
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(measure, forKey: .measure)
            try container.encodeIfPresent(period, forKey: .period)
            try container.encodeIfPresent(value, forKey: .value)
            try container.encodeIfPresent(denominator, forKey: .denominator)
            try container.encodeIfPresent(note, forKey: .note)
        }

        fileprivate var valueCell: String { value.map { "\($0)" } ?? valueText ?? "" }
        fileprivate var denominatorCell: String { denominator.map { "\($0)" } ?? denominatorText ?? "" }
    }

    package static let columns = ["measure", "period", "value", "denominator", "note"]
    package static let requiredColumns = ["measure", "period", "value"]
    /// Past this many bad rows the report stops: a file this wrong needs fixing at its source.
    package static let maximumErrors = 10_000

    package var lines: [Line] = []
    /// Errors about the file as a whole (missing columns, no rows).
    package var errors: [DataImport.RowError] = []

    /// The distinct measure keys the rows name, lower-cased.
    package var keys: Set<String> { Set(lines.map(\.key)) }

    /// Reads a CSV whose first line names the columns: measure, period and value, and optionally
    /// denominator and note, in any order; comma, semicolon or tab separated.
    package static func csv(_ text: String) -> BulkDataImport {
        var result = BulkDataImport()
        let table = DelimitedText(text)
        let lines = table.records
        guard let headerIndex = lines.firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            result.errors.append(
                .init(
                    line: 0,
                    message: "The file is empty. The first line names the columns: \(columns.joined(separator: ","))."))
            return result
        }
        var header = table.cells(lines[headerIndex]).map { $0.lowercased() }
        // Spreadsheets often save empty columns at the right of the names; they name nothing.
        while header.last?.isEmpty == true { header.removeLast() }
        let unknown = header.filter { !columns.contains($0) }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard unknown.isEmpty, missing.isEmpty, Set(header).count == header.count else {
            var problems: [String] = []
            if !missing.isEmpty { problems.append("it has no \(missing.joined(separator: ", ")) column") }
            if !unknown.isEmpty {
                problems.append("“\(unknown.joined(separator: "”, “"))” is not a column OpenQI reads")
            }
            if Set(header).count != header.count { problems.append("a column is named twice") }
            result.errors.append(
                .init(
                    line: headerIndex + 1,
                    message:
                        "Row \(headerIndex + 1): \(problems.joined(separator: "; ")). The first line names the columns: "
                        + "measure,period,value and optionally denominator and note, for example measure,period,value,denominator."
                ))
            return result
        }
        let position = columns.map { header.firstIndex(of: $0) }
        result.lines.reserveCapacity(lines.count)
        for index in lines.index(after: headerIndex)..<lines.endIndex {
            let cells = table.cells(lines[index])
            if cells.allSatisfy(\.isEmpty) { continue }
            if table.unclosedQuote == index {
                result.errors.append(.init(line: index + 1, message: table.unclosedQuoteMessage(row: index + 1)))
                continue
            }
            if cells.count > header.count, cells[header.count...].contains(where: { !$0.isEmpty }) {
                result.errors.append(
                    .init(
                        line: index + 1,
                        message:
                            "Row \(index + 1): has \(cells.count) cells but the first line names \(header.count) columns. A note with a \(table.separatorName) in it needs double quotes around it."
                    ))
                continue
            }
            func cell(_ column: Int) -> String {
                guard let at = position[column], at < cells.count else { return "" }
                return cells[at]
            }
            let key = cell(0)
            result.lines.append(
                Line(
                    number: index + 1,
                    key: key.utf8.contains(where: { (65...90).contains($0) }) ? key.lowercased() : key,
                    period: cell(1), value: cell(2), denominator: cell(3), note: cell(4)))
        }
        if result.lines.isEmpty, result.errors.isEmpty {
            result.errors.append(.init(line: 0, message: "There are no rows below the column names."))
        }
        return result
    }

    /// Reads the API's JSON points; a point's row is its place in the list, counting from 1.
    package static func points(_ points: [Point]) -> BulkDataImport {
        var result = BulkDataImport()
        result.lines = points.enumerated().map { index, point in
            Line(
                number: index + 1, key: (point.measure ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                period: point.period ?? "", value: point.valueCell, denominator: point.denominatorCell,
                note: point.note ?? "")
        }
        if result.lines.isEmpty {
            result.errors.append(.init(line: 0, message: "Send at least one point."))
        }
        return result
    }

    /// Each row checked: its measure must be one of `targets` (by key), its cells must pass
    /// `DataImport.check` for that measure's chart, and each measure's periods must be distinct.
    package func checked(against targets: [String: MeasureBrief], scope: String) -> Checked {
        var checked = Checked(errors: errors)
        var seen: [UUID: DataImport.DuplicatePeriods] = [:]
        // Files come grouped by measure: keep the current measure's state at hand rather than
        // looking it up again for every row.
        var current: (key: String, target: MeasureBrief, seen: DataImport.DuplicatePeriods, rows: [DataImport.Row])?
        func setAside() {
            guard let measure = current else { return }
            seen[measure.target.id] = measure.seen
            checked.rows[measure.target.id, default: []] += measure.rows
            current = nil
        }
        for line in lines {
            if checked.errors.count >= Self.maximumErrors {
                checked.errors.append(
                    .init(
                        line: line.number,
                        message:
                            "Stopped checking at row \(line.number) after \(Self.maximumErrors) bad rows. Fix these and upload again."
                    ))
                break
            }
            guard !line.key.isEmpty else {
                checked.errors.append(
                    .init(line: line.number, message: "Row \(line.number): the measure column is empty."))
                continue
            }
            if current?.key != line.key {
                setAside()
                guard let target = targets[line.key] else {
                    checked.errors.append(
                        .init(
                            line: line.number,
                            message:
                                "Row \(line.number): no measure in \(scope) has the key “\(line.key)”. Check the spelling, or give the measure this key on its page."
                        ))
                    continue
                }
                current = (line.key, target, seen.removeValue(forKey: target.id) ?? .init(), [])
            }
            let result = DataImport.check(
                period: line.period, value: line.value, denominator: line.denominator, note: line.note,
                line: line.number, chart: current!.target.chart)
            switch result {
            case .failure(let error): checked.errors.append(error)
            case .success(let row):
                if let error = current!.seen.check(row, cell: line.period, measure: line.key) {
                    checked.errors.append(error)
                } else {
                    current!.rows.append(row)
                }
            }
        }
        setAside()
        // Rows the reading refused and rows the checks refused, in the file's order.
        checked.errors.sort { $0.line < $1.line }
        return checked
    }

    /// The measures rows may name: those with these keys whose unit is in `units` (a unit and
    /// everything below it), by key.
    package static func targets(keys: Set<String>, in units: Set<UUID>, on db: any Database) async throws
        -> [String: MeasureBrief]
    {
        var targets: [String: MeasureBrief] = [:]
        for measure in try await MeasureBrief.load(keys: keys, on: db) where units.contains(measure.unitID) {
            if let key = measure.key { targets[key] = measure }
        }
        return targets
    }
}
