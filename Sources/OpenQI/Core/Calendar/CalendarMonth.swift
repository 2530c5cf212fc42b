import Charts
import Foundation

/// A calendar month, as `2026-05` in links: of the portfolio's counts over time, and of a board
/// report.
package struct CalendarMonth: Sendable, Hashable, Comparable {
    package let year: Int
    package let month: Int

    package init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    package init(containing date: Date) { self = CalendarDay(containing: date).month }

    /// `2026-05`, or nil for anything else.
    package init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (1...12).contains(month), (1900...2199).contains(year)
        else { return nil }
        self.init(year: year, month: month)
    }

    package static func < (a: CalendarMonth, b: CalendarMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    /// The month's names, the one list of them (kept where the charts can read it too).
    package static var names: [String] { DateOrder.monthNames }

    package var text: String { String(firstDay.text.prefix(7)) }

    package func advanced(by months: Int) -> CalendarMonth {
        let index = year * 12 + (month - 1) + months
        return .init(year: index / 12, month: index % 12 + 1)
    }

    /// How many days the month has.
    package var length: Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    package var firstDay: CalendarDay {
        CalendarDay(daysSince1970: CalendarDay.daysSince1970(year: year, month: month, day: 1))
    }

    /// Midnight UTC on the first of the month.
    package var start: Date { firstDay.date }
    /// Midnight UTC on the first of the next month.
    package var end: Date { advanced(by: 1).start }

    /// "November 2026".
    package var label: String { "\(Self.names[month - 1]) \(year)" }
    /// Where room is tight (a table's column heads): "Mar 2026".
    package var shortLabel: String { "\(Self.names[month - 1].prefix(3)) \(year)" }
}
