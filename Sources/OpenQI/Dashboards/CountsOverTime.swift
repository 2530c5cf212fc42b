import Charts
import Foundation
import SPC

/// Counts over time on a dashboard (projects completed, people trained): a run chart, with its
/// median and runs analysis, rather than a bar chart that invites comparing two months.
enum CountsOverTime {
    /// `series` as a run chart, each month as its first day (`2026-03-01`).
    static func runChart(_ series: [(month: String, count: Int)], title: String, subtitle: String) -> String {
        let result = SPCChart.compute(
            points: series.map { SPCPoint(x: $0.month, y: Double($0.count)) },
            options: SPCOptions(chart: .run, rules: .anhoej))
        return ControlChart(
            result: result, title: title, subtitle: subtitle, width: 560, height: 260,
            idPrefix: title.lowercased().replacingOccurrences(of: " ", with: "-")
        ).svg()
    }
}
