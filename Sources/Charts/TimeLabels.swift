/// Short, readable labels for the x axis. ISO dates (2024-03-01) become "Mar 2024" when the points
/// are a month or more apart and "4 Mar 24" when closer (in the organisation's `DateOrder`);
/// anything else is shown as given.
enum TimeLabels {

    struct Day: Equatable {
        let year: Int, month: Int, day: Int
        var ordinal: Int { year * 372 + (month - 1) * 31 + day }
    }

    /// `2024-03-05`, or a month `2024-03` as its first day.
    static func day(_ text: String) -> Day? {
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3 || (parts.count == 2 && text.count == 7), parts[0].count == 4,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = parts.count == 3 ? Int(parts[2]) : 1,
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return Day(year: year, month: month, day: day)
    }

    static func labels(for xs: [String]) -> [String] {
        let days = xs.map(day)
        guard !days.isEmpty, days.allSatisfy({ $0 != nil }) else { return xs }
        let dates = days.map { $0! }
        let monthly = zip(dates, dates.dropFirst()).allSatisfy { $1.ordinal - $0.ordinal >= 27 }
        let order = DateOrder.current
        return dates.map { date in
            monthly
                ? "\(DateOrder.monthNames[date.month - 1].prefix(3)) \(date.year)"
                : order.writeCompact(day: date.day, month: date.month, year: date.year)
        }
    }

    /// A point's period in full, for its tooltip: "5 Jan 2026"; anything else as given.
    static func full(_ x: String) -> String {
        guard let date = day(x) else { return x }
        if x.count == 7 { return "\(DateOrder.monthNames[date.month - 1].prefix(3)) \(date.year)" }
        return DateOrder.current.write(day: date.day, month: date.month, year: date.year, short: true)
    }

    /// Month and year, for descriptions in words ("since March 2024").
    static func spoken(_ x: String) -> String {
        guard let date = day(x) else { return x }
        return "\(DateOrder.monthNames[date.month - 1]) \(date.year)"
    }

    /// Every `step`-th index gets a label, with `step` chosen so labels of this many characters do
    /// not overlap in `width` pixels (about 6.5 px a character at 11 px).
    static func labelStep(count: Int, longest: Int, width: Double) -> Int {
        guard count > 0 else { return 1 }
        let labelWidth = Double(longest) * 6.5 + 12
        let fit = max(1, Int(width / labelWidth))
        return max(1, (count + fit - 1) / fit)
    }
}
