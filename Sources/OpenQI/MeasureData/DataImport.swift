import Foundation
import SPC

/// Reads data a team pastes from a spreadsheet or uploads as CSV: columns period, value, and
/// optionally denominator and note, with or without a header row; tab, comma or semicolon
/// separated. Every bad row is reported with its reason; nothing is applied unless all are good.
///
/// The checks of one row (`check(cells:line:chart:)`) are the ones every way in uses: the grid, a
/// paste, a many-measure upload and the API, so they cannot disagree about what a good row is.
package struct DataImport: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        let line: Int
        let period: Date
        let value: Double
        let denominator: Double?
        let note: String?
    }

    package typealias RowError = FileRowError

    var rows: [Row] = []
    var errors: [RowError] = []

    static let maximumRows = 10_000
    static let maximumNoteLength = 200

    init(text: String, chart: ChartType) {
        let table = DelimitedText(text)
        var seen = DuplicatePeriods()
        for (index, record) in table.records.enumerated() {
            let number = index + 1
            let cells = table.cells(record)
            if cells.allSatisfy(\.isEmpty) { continue }
            if table.unclosedQuote == index {
                errors.append(.init(line: number, message: table.unclosedQuoteMessage(row: number)))
                continue
            }
            // A first row whose value is not a number is a header.
            if rows.isEmpty, errors.isEmpty, cells.count > 1, Self.number(cells[1]) == nil,
                CalendarDay(parsing: cells[0], as: .spreadsheet) == nil
            {
                continue
            }
            if rows.count + errors.count >= Self.maximumRows {
                errors.append(
                    .init(
                        line: number,
                        message: "Row \(number): more than \(Self.maximumRows) rows. Import the data in smaller parts.")
                )
                break
            }
            if cells.count > 4, cells[4...].contains(where: { !$0.isEmpty }) {
                errors.append(
                    .init(
                        line: number,
                        message:
                            "Row \(number): has \(cells.count) cells; OpenQI reads four at most: period, value, denominator and note. A note with a \(table.separatorName) in it needs double quotes around it."
                    ))
                continue
            }
            switch Self.check(cells: cells[...], line: number, chart: chart) {
            case .failure(let error): errors.append(error)
            case .success(let row):
                if let error = seen.check(row, cell: cells[0]) { errors.append(error) } else { rows.append(row) }
            }
        }
        if rows.isEmpty, errors.isEmpty {
            errors.append(
                .init(line: 0, message: "There are no rows to import. Paste two columns: the period and the value."))
        }
    }

    /// Remembers which periods a measure already has in this import, to report a second row for one.
    struct DuplicatePeriods: Sendable {
        private var seen: [Date: Int] = [:]

        mutating func check(_ row: Row, cell: String, measure: String? = nil) -> RowError? {
            if let first = seen[row.period] {
                let of = measure.map { " of “\($0)”" } ?? ""
                return RowError(
                    line: row.line,
                    message: "Row \(row.line): the period \(cell)\(of) is already on row \(first). Each period once.")
            }
            seen[row.period] = row.line
            return nil
        }
    }

    /// One row's cells — period, value, then optionally denominator and note — checked for a chart.
    static func check(cells: ArraySlice<String>, line: Int, chart: ChartType) -> Result<Row, RowError> {
        guard cells.count >= 2 else {
            return .failure(
                RowError(
                    line: line,
                    message: "Row \(line): needs at least a period and a value, separated by a tab or a comma."))
        }
        let start = cells.startIndex
        return check(
            period: cells[start], value: cells[start + 1], denominator: cells.count > 2 ? cells[start + 2] : "",
            note: cells.count > 3 ? cells[start + 3] : "", line: line, chart: chart)
    }

    /// One row checked for a chart; an empty denominator or note is none.
    static func check(
        period periodCell: String, value valueCell: String, denominator denominatorCell: String,
        note noteCell: String, line: Int, chart: ChartType
    ) -> Result<Row, RowError> {
        func failure(_ message: String) -> Result<Row, RowError> {
            .failure(RowError(line: line, message: "Row \(line): \(message)"))
        }
        guard let day = CalendarDay(parsing: periodCell, as: .spreadsheet) else {
            return failure("“\(periodCell)” is not a date. Use \(CalendarDay.InputFormat.spreadsheet.examples).")
        }
        // A value belongs to a period that has begun: one dated later is a slip of the year or the
        // column, and would stretch the chart into the future.
        guard day <= AppClock.today else {
            return failure(
                "\(day.label) is in the future. A period’s value is recorded once the period has begun: check the date."
            )
        }
        let period = day.date
        guard let value = number(valueCell) else {
            return failure("“\(valueCell)” is not a number in the value column.")
        }
        guard abs(value) <= largestValue else {
            return failure("the value \(valueCell) is larger than a chart can show. Check its units.")
        }
        var denominator: Double? = nil
        if !denominatorCell.isEmpty {
            guard let n = number(denominatorCell) else {
                return failure("“\(denominatorCell)” is not a number in the denominator column.")
            }
            guard n >= 0 else { return failure("the denominator \(denominatorCell) is negative. Use 0 or more.") }
            guard n == 0 || (smallestDenominator...largestValue).contains(n) else {
                return failure(
                    "the denominator \(denominatorCell) is too \(n > 1 ? "large" : "small") to chart. Check its units.")
            }
            denominator = n
        }
        if chart.usesDenominator, denominator == nil {
            return failure("a \(chart.rawValue) chart needs a denominator in the third column.")
        }
        // What SPCChart.validate refuses, said here for the row rather than dropped from the chart.
        if chart.usesDenominator, denominator == 0 {
            return failure(
                "the denominator is 0, so there is no \(chart == .p || chart == .pp ? "proportion" : "rate") to chart. Leave out a period with nothing to count."
            )
        }
        if chart.valuesAreCounts, value < 0 {
            return failure("the value \(valueCell) is negative; a count cannot be below 0.")
        }
        if chart == .t, value <= 0 {
            return failure("the value \(valueCell) is not above 0; a t chart’s value is the time between events.")
        }
        if chart == .p || chart == .pp, let n = denominator, value > n {
            return failure(
                "the value \(valueCell) is more than its denominator \(denominatorCell); a proportion cannot exceed 1.")
        }
        let note = noteCell.isEmpty ? nil : String(noteCell.prefix(maximumNoteLength))
        return .success(Row(line: line, period: period, value: value, denominator: denominator, note: note))
    }

    /// The largest value (in size) a data point, a denominator or a target may have: far beyond
    /// any count or measurement a service makes, and far inside what a chart can compute and draw.
    package static let largestValue = 1e12
    /// The smallest denominator above 0: a rate over less than this is a mistake in the data.
    static let smallestDenominator = 1e-6

    static func number(_ text: String) -> Double? {
        let cleaned = text.utf8.contains(UInt8(ascii: "%")) ? text.replacingOccurrences(of: "%", with: "") : text
        guard !cleaned.isEmpty, let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }
}
