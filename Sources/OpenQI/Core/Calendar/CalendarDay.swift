import Charts
import Foundation

/// A calendar day, the unit of every period, aim date and meeting in OpenQI: a whole day in UTC,
/// stored as the `Date` of its midnight. Every date is parsed and written here, and nowhere else,
/// so a period typed into the grid, pasted from a spreadsheet or sent to the API is the same day.
///
/// Days are computed directly rather than through `Calendar` or `DateFormatter`, which cost more
/// than the statistics when every point of thousands of charts is labelled, and which depend on
/// the server's time zone and locale. The conversions are Howard Hinnant's `days_from_civil` and
/// `civil_from_days` (https://howardhinnant.github.io/date_algorithms.html).
package struct CalendarDay: Sendable, Hashable, Comparable {
    /// Days since 1970-01-01.
    package let daysSince1970: Int

    package init(daysSince1970: Int) { self.daysSince1970 = daysSince1970 }

    /// The day `date` falls on, in UTC.
    package init(containing date: Date) {
        daysSince1970 = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// A day of the proleptic Gregorian calendar from year 1 to 9999, or nil if there is no such day.
    package init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarMonth(year: year, month: month).length).contains(day)
        else { return nil }
        daysSince1970 = Self.daysSince1970(year: year, month: month, day: day)
    }

    /// Days from 1970-01-01 to a valid day: `days_from_civil`.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.daysSince1970 < b.daysSince1970 }

    /// Midnight UTC at the start of the day: how a day is stored.
    package var date: Date { Date(timeIntervalSince1970: Double(daysSince1970) * 86_400) }

    package func adding(days: Int) -> CalendarDay { CalendarDay(daysSince1970: daysSince1970 + days) }

    /// The same day of the month `months` later (or earlier), or the month's last day where it is
    /// shorter: a month after 31 January is 28 or 29 February.
    package func adding(months: Int) -> CalendarDay {
        let target = month.advanced(by: months)
        return target.firstDay.adding(days: min(dayOfMonth, target.length) - 1)
    }

    package var year: Int { civil.year }
    package var monthOfYear: Int { civil.month }
    package var dayOfMonth: Int { civil.day }
    package var month: CalendarMonth { CalendarMonth(year: civil.year, month: civil.month) }

    /// Monday 0 … Sunday 6 (1970-01-01 was a Thursday).
    package var weekday: Int { ((daysSince1970 % 7) + 7 + 3) % 7 }

    private var civil: (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

// MARK: - Writing a day

extension CalendarDay {
    /// `2026-03-31`: in links, forms, CSV, chart data and the API.
    package var text: String {
        let (year, month, day) = civil
        guard (0...9999).contains(year) else { return "\(year)-\(month)-\(day)" }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            func digits(_ value: Int, _ count: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + count - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            digits(year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            digits(month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            digits(day, 2, at: 8)
            return 10
        }
    }

    /// "31 March 2026", as a person reads a date on a page (in the organisation's `DateOrder`).
    package var label: String { DateOrder.current.write(day: dayOfMonth, month: monthOfYear, year: year) }

    /// "31 Mar 2026", where space is short (tables, sparklines).
    package var shortLabel: String {
        DateOrder.current.write(day: dayOfMonth, month: monthOfYear, year: year, short: true)
    }

    /// "31 March", when the year goes without saying (this month's agenda).
    package var dayAndMonth: String { DateOrder.current.write(day: dayOfMonth, month: monthOfYear, year: nil) }

    /// "31 Mar", in the tightest places (a cell of the early-warning grid).
    package var shortDayAndMonth: String {
        DateOrder.current.write(day: dayOfMonth, month: monthOfYear, year: nil, short: true)
    }

    /// The day of `date` in words: "31 March 2026".
    package static func label(_ date: Date) -> String { CalendarDay(containing: date).label }

    /// The day of `date` as `2026-03-31`.
    package static func text(_ date: Date) -> String { CalendarDay(containing: date).text }

    /// A moment as a person reads it, in UTC: "31 Mar 2026, 14:05 UTC" (an audit entry, a sign-in).
    package static func moment(_ date: Date) -> String {
        "\(CalendarDay(containing: date).shortLabel), \(time(date)) UTC"
    }

    /// The time of day of `date` in UTC: "14:05".
    package static func time(_ date: Date) -> String {
        let seconds =
            Int(date.timeIntervalSince1970.rounded(.down)) - CalendarDay(containing: date).daysSince1970 * 86_400
        let hours = seconds / 3600
        let minutes = seconds % 3600 / 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }

    /// A moment for machines: `2026-03-31T14:05:09Z` (a `datetime` attribute).
    package static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }
}

// MARK: - Reading a day

extension CalendarDay {
    /// How a day may be typed. Each way in names the formats it takes, and this is the only place
    /// that reads them.
    package enum InputFormat: Sendable {
        /// `2026-03-31` only: what a date input sends, and what the API and the query strings take.
        case iso
        /// What a spreadsheet holds: `2026-03-31`, `2026-03` (the first of the month) or
        /// `31/03/2026` (day first, as in the UK), any of them followed by a time
        /// (`2026-03-31T09:00:00-05:00`, `31/03/2026 09:00`), which is ignored: the day is the day written.
        case spreadsheet

        /// The formats in words, for messages: "2026-03-31, 31/03/2026 or 2026-03".
        var examples: String {
            switch self {
            case .iso: "2026-03-31"
            case .spreadsheet: "2026-03-31, 31/03/2026 or 2026-03"
            }
        }
    }

    /// The day `text` names in `format`, or nil when it names none.
    package init?(parsing text: String, as format: InputFormat) {
        var text = text
        guard
            let day = text.withUTF8({ whole -> CalendarDay? in
                // The date is what comes before a time: a T or a space, then a digit.
                var length = whole.count
                if let at = whole.firstIndex(where: { $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: " ") }) {
                    guard format == .spreadsheet, at + 1 < whole.count, (48...57).contains(whole[at + 1])
                    else { return nil }
                    length = at
                }
                return Self.parse(UnsafeBufferPointer(rebasing: whole[0..<length]), as: format)
            })
        else { return nil }
        self = day
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, as format: InputFormat) -> CalendarDay? {
        // Where the separators are: two dashes (2026-03-31), one (2026-03) or two slashes (31/03/2026).
        var dashes = (0, 0, count: 0)
        var slashes = (0, 0, count: 0)
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "-") {
                if dashes.count == 0 { dashes.0 = index } else { dashes.1 = index }
                dashes.count += 1
            } else if byte == UInt8(ascii: "/") {
                if slashes.count == 0 { slashes.0 = index } else { slashes.1 = index }
                slashes.count += 1
            }
        }
        func number(_ range: Range<Int>) -> Int? { integer(UnsafeBufferPointer(rebasing: bytes[range])) }
        func day(_ year: Int?, _ month: Int?, _ day: Int?) -> CalendarDay? {
            guard let year, let month, let day else { return nil }
            // A spreadsheet's year outside 1900–2200 is a typing mistake, not a period anyone measures.
            if format == .spreadsheet, !(1900...2200).contains(year) { return nil }
            return CalendarDay(year: year, month: month, day: day)
        }
        switch (dashes.count, slashes.count, format) {
        case (2, 0, .iso):
            // Exactly yyyy-mm-dd, as a date input sends it.
            guard bytes.count == 10, dashes.0 == 4, dashes.1 == 7 else { return nil }
            return day(number(0..<4), number(5..<7), number(8..<10))
        case (2, 0, .spreadsheet):
            return day(number(0..<dashes.0), number(dashes.0 + 1..<dashes.1), number(dashes.1 + 1..<bytes.count))
        case (1, 0, .spreadsheet) where dashes.0 == 4:
            return day(number(0..<4), number(5..<bytes.count), 1)
        case (0, 2, .spreadsheet):
            return day(
                number(slashes.1 + 1..<bytes.count), number(slashes.0 + 1..<slashes.1), number(0..<slashes.0))
        default:
            return nil
        }
    }

    /// A run of one to nine ASCII digits as a number.
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        guard (1...9).contains(digits.count) else { return nil }
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
