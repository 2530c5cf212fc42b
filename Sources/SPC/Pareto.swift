/// One bar of a Pareto chart.
public struct ParetoBar: Sendable, Hashable {
    public var category: String
    public var count: Double
    /// count / total.
    public var share: Double
    /// Running total of shares up to and including this bar (1 at the last bar).
    public var cumulativeShare: Double

    public init(category: String, count: Double, share: Double, cumulativeShare: Double) {
        self.category = category
        self.count = count
        self.share = share
        self.cumulativeShare = cumulativeShare
    }
}

/// Pareto analysis: which few categories make up most of the problem.
///
/// Categories are sorted by count, largest first; ties keep alphabetical order (qicharts2
/// `paretochart` tabulates, so ties come in sorted-name order, and R's sort is stable). Each bar
/// has its share of the total and the cumulative share, the line of the chart.
/// Source: qicharts2 `paretochart` (R/paretochart.R); Juran's Pareto principle.
public enum Pareto {
    /// Bars from counts per category; categories with the same name are added together, and
    /// non-finite or negative counts are left out. Shares are 0 when the total is 0.
    public static func bars(counts: [(category: String, count: Double)]) -> [ParetoBar] {
        var totals: [String: Double] = [:]
        for (category, count) in counts where count.isFinite && count >= 0 {
            totals[category, default: 0] += count
        }
        let sorted = totals.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
        let total = sorted.reduce(0) { $0 + $1.value }
        var running = 0.0
        return sorted.map { category, count in
            running += count
            return ParetoBar(
                category: category, count: count, share: total > 0 ? count / total : 0,
                cumulativeShare: total > 0 ? running / total : 0)
        }
    }

    /// Bars from one entry per occurrence, e.g. the cause recorded for each incident (as
    /// qicharts2 `paretochart(x)` takes a vector of categories). Missing categories are skipped.
    public static func bars(occurrences: [String?]) -> [ParetoBar] {
        bars(counts: occurrences.compactMap { $0 }.map { (category: $0, count: 1) })
    }
}
