import Fluent
import Foundation
import SQLKit

/// When an active project has stalled: no progress update for six weeks, or no data on any of its
/// measures for eight. One definition, so a figure and the list behind it always agree: "no
/// update" for the portfolio, the project list, the forum's agenda and people's tasks; "no data"
/// for the portfolio and the project list (the forum's agenda has its own, per measure: data two
/// periods overdue, `MeasureFreshness`).
enum Stalled {
    private static let day: TimeInterval = 24 * 3600
    /// No update for six weeks: a forum reviews the project, its coach checks in.
    static let noUpdateFor: TimeInterval = 42 * day
    /// No data for eight weeks.
    static let noDataFor: TimeInterval = 56 * day

    /// The date the six weeks are counted from: the latest update or, before the first, the approval.
    /// (Not the last edit: fixing a typo in the title is not progress.)
    static func updateClock(of project: Project) -> Date? {
        project.lastUpdateAt ?? project.approvedAt ?? project.createdAt
    }

    /// Whether an active project is waiting for an update.
    static func awaitsUpdate(_ project: Project, now: Date) -> Bool {
        guard project.status == .active, let since = updateClock(of: project) else { return false }
        return now.timeIntervalSince(since) >= noUpdateFor
    }

    /// `awaitsUpdate` as a condition on `p`, the projects table.
    static func awaitingUpdateSQL(now: Date) -> SQLQueryString {
        """
        (p.status = \(literal: ProjectStatus.active.rawValue)
        AND COALESCE(p.last_update_at, p.approved_at, p.created_at) <= \(bind: now.addingTimeInterval(-noUpdateFor)))
        """
    }

    /// The earliest period start that still counts as recent data for a measure of this frequency.
    /// A point covers its whole period, and a measure slower than eight weeks gets one period to
    /// report: a monthly measure's January is recent until late March, a quarterly one's first
    /// quarter until early July.
    static func recentSince(_ frequency: DataFrequency, now: Date) -> Date {
        let period = frequency.days * day
        return now.addingTimeInterval(-period - max(noDataFor, period))
    }

    /// The condition, on `p`, that an active project has had eight weeks since approval to collect
    /// data and none of its measures has recent data: none has a recent period, and none was
    /// defined in the last eight weeks and awaits its first point. Archived measures do not count.
    static func withoutDataSQL(now: Date) -> SQLQueryString {
        let started = now.addingTimeInterval(-noDataFor)
        var recent: SQLQueryString = "(s.latest_period IS NULL AND m.created_at > \(bind: started))"
        for frequency in DataFrequency.allCases {
            recent +=
                " OR (m.frequency = \(literal: frequency.rawValue) AND s.latest_period >= \(bind: recentSince(frequency, now: now)))"
        }
        return """
            (p.status = \(literal: ProjectStatus.active.rawValue)
            AND COALESCE(p.approved_at, p.created_at) <= \(bind: started)
            AND NOT EXISTS (SELECT 1 FROM measures m LEFT JOIN measure_summaries s ON s.measure_id = m.id
            WHERE m.project_id = p.id AND m.archived_at IS NULL AND (\(recent))))
            """
    }
}
