import Foundation
import SQLKit

/// A calendar month, as `2026-05` in links: of the portfolio's counts over time, and of a board
/// report.
struct CalendarMonth: Sendable, Hashable, Comparable {
    let year: Int
    let month: Int

    init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    init(containing date: Date) {
        let day = MeasureSeries.day(date)
        self.init(year: Int(day.prefix(4))!, month: Int(day.dropFirst(5).prefix(2))!)
    }

    /// `2026-05`, or nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (1...12).contains(month), (1900...2199).contains(year)
        else { return nil }
        self.init(year: year, month: month)
    }

    static func < (a: CalendarMonth, b: CalendarMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    var text: String { String(format: "%04d-%02d", year, month) }

    func advanced(by months: Int) -> CalendarMonth {
        let index = year * 12 + (month - 1) + months
        return .init(year: index / 12, month: index % 12 + 1)
    }

    var start: Date { DataImport.date(text + "-01")! }
    var end: Date { advanced(by: 1).start }

    /// "November 2026".
    var label: String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(names[month - 1]) \(year)"
    }

    /// Active at the month's end, or now if that is sooner: approved before it and not closed by then.
    func activeAtEnd(now: Date) -> SQLQueryString {
        let end = min(self.end, now)
        return """
            (p.approved_at < \(bind: end) AND (p.closed_at >= \(bind: end)
            OR (p.closed_at IS NULL AND p.status = \(literal: ProjectStatus.active.rawValue))))
            """
    }

    /// Approved by a forum during the month.
    var approvedIn: SQLQueryString {
        "(p.approved_at >= \(bind: start) AND p.approved_at < \(bind: end))"
    }

    /// Completed during the month.
    var completedIn: SQLQueryString {
        """
        (p.status = \(literal: ProjectStatus.completed.rawValue)
        AND p.closed_at >= \(bind: start) AND p.closed_at < \(bind: end))
        """
    }
}
