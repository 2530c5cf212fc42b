import Foundation
import SPC

/// Reads data a team pastes from a spreadsheet or uploads as CSV: columns period, value, and
/// optionally denominator and note, with or without a header row; tab, comma or semicolon
/// separated. Every bad row is reported with its reason; nothing is applied unless all are good.
struct DataImport: Sendable, Equatable {
    struct Row: Sendable, Equatable {
        let line: Int
        let period: Date
        let value: Double
        let denominator: Double?
        let note: String?
    }

    struct RowError: Sendable, Equatable {
        let line: Int
        let message: String
    }

    var rows: [Row] = []
    var errors: [RowError] = []

    static let maximumRows = 10_000

    init(text: String, chart: ChartType) {
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map { String($0) }
        let separator: Character =
            lines.first { $0.contains("\t") } != nil
            ? "\t" : (lines.first?.contains(";") == true && lines.first?.contains(",") == false ? ";" : ",")
        var seen: [Date: Int] = [:]
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let cells = line.split(separator: separator, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if cells.allSatisfy(\.isEmpty) { continue }
            // A first row whose value is not a number is a header.
            if rows.isEmpty, errors.isEmpty, cells.count > 1, Self.number(cells[1]) == nil, Self.date(cells[0]) == nil {
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
            guard cells.count >= 2 else {
                errors.append(
                    .init(
                        line: number,
                        message: "Row \(number): needs at least a period and a value, separated by a tab or a comma."))
                continue
            }
            guard let period = Self.date(cells[0]) else {
                errors.append(
                    .init(
                        line: number,
                        message: "Row \(number): “\(cells[0])” is not a date. Use 2026-03-31, 31/03/2026 or 2026-03."))
                continue
            }
            guard let value = Self.number(cells[1]) else {
                errors.append(
                    .init(line: number, message: "Row \(number): “\(cells[1])” is not a number in the value column."))
                continue
            }
            var denominator: Double? = nil
            if cells.count > 2, !cells[2].isEmpty {
                guard let n = Self.number(cells[2]) else {
                    errors.append(
                        .init(
                            line: number,
                            message: "Row \(number): “\(cells[2])” is not a number in the denominator column."))
                    continue
                }
                guard n >= 0 else {
                    errors.append(
                        .init(
                            line: number,
                            message: "Row \(number): the denominator \(cells[2]) is negative. Use 0 or more."))
                    continue
                }
                denominator = n
            }
            if chart.usesDenominator, denominator == nil {
                errors.append(
                    .init(
                        line: number,
                        message: "Row \(number): a \(chart.rawValue) chart needs a denominator in the third column."))
                continue
            }
            if chart == .p || chart == .pp, let n = denominator, value > n {
                errors.append(
                    .init(
                        line: number,
                        message:
                            "Row \(number): the value \(cells[1]) is more than its denominator \(cells[2]); a proportion cannot exceed 1."
                    ))
                continue
            }
            if let first = seen[period] {
                errors.append(
                    .init(
                        line: number,
                        message: "Row \(number): the period \(cells[0]) is already on row \(first). Each period once."))
                continue
            }
            seen[period] = number
            let note = cells.count > 3 && !cells[3].isEmpty ? String(cells[3].prefix(200)) : nil
            rows.append(.init(line: number, period: period, value: value, denominator: denominator, note: note))
        }
        if rows.isEmpty, errors.isEmpty {
            errors.append(
                .init(line: 0, message: "There are no rows to import. Paste two columns: the period and the value."))
        }
    }

    static func number(_ text: String) -> Double? {
        let cleaned = text.replacingOccurrences(of: "%", with: "")
        guard !cleaned.isEmpty, let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    /// 2026-03-31, 2026-03 (the first of the month) or 31/03/2026 (day first, as in the UK).
    static func date(_ text: String) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func make(_ year: Int?, _ month: Int?, _ day: Int?) -> Date? {
            guard let year, let month, let day, (1...12).contains(month), (1...31).contains(day),
                (1900...2200).contains(year)
            else { return nil }
            let components = DateComponents(year: year, month: month, day: day)
            guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else {
                return nil
            }
            return date
        }
        let dashes = text.split(separator: "-").map(String.init)
        if dashes.count == 3 { return make(Int(dashes[0]), Int(dashes[1]), Int(dashes[2].prefix(2))) }
        if dashes.count == 2, dashes[0].count == 4 { return make(Int(dashes[0]), Int(dashes[1]), 1) }
        let slashes = text.split(separator: "/").map(String.init)
        if slashes.count == 3 { return make(Int(slashes[2]), Int(slashes[1]), Int(slashes[0])) }
        return nil
    }
}
