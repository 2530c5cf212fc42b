/// How dates are written for people: an organisation chooses (`OPENQI_DATE_FORMAT`), day month year
/// unless it says otherwise. Charts and pages both write dates through it, so a chart's tooltip and
/// the table beside it agree.
public enum DateOrder: String, Sendable, CaseIterable {
    /// 31 March 2026
    case dayMonthYear = "day-month-year"
    /// March 31, 2026
    case monthDayYear = "month-day-year"
    /// 2026-03-31
    case yearMonthDay = "year-month-day"

    /// The order of the work under way: a server binds its organisation's for each request.
    @TaskLocal public static var current: DateOrder = .dayMonthYear

    public static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    /// A day in this order: `short` names the month in three letters; without a year, day and month
    /// only ("31 March", "March 31", "03-31").
    public func write(day: Int, month: Int, year: Int?, short: Bool = false) -> String {
        let name = short ? String(Self.monthNames[month - 1].prefix(3)) : Self.monthNames[month - 1]
        switch self {
        case .dayMonthYear: return year.map { "\(day) \(name) \($0)" } ?? "\(day) \(name)"
        case .monthDayYear: return year.map { "\(name) \(day), \($0)" } ?? "\(name) \(day)"
        case .yearMonthDay:
            let monthDay = Self.twoDigits(month) + "-" + Self.twoDigits(day)
            return year.map { "\($0)-" + monthDay } ?? monthDay
        }
    }

    /// Where room is tightest (an axis): "4 Mar 24", "Mar 4 ’24", "2024-03-04".
    public func writeCompact(day: Int, month: Int, year: Int) -> String {
        let name = String(Self.monthNames[month - 1].prefix(3))
        let century = String(year).suffix(2)
        switch self {
        case .dayMonthYear: return "\(day) \(name) \(century)"
        case .monthDayYear: return "\(name) \(day) ’\(century)"
        case .yearMonthDay: return write(day: day, month: month, year: year)
        }
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
