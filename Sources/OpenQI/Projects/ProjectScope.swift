import Foundation
import SQLKit

/// Conditions on `p`, the projects table, that lists and dashboards share, so a figure and the list
/// it links to always count the same projects. (The stalled ones are `Stalled`'s.)
enum ProjectScope {
    /// Active at the month's end, or now if that is sooner: approved before it and not closed by then.
    static func activeAtEnd(of month: CalendarMonth, now: Date) -> SQLQueryString {
        let end = min(month.end, now)
        return """
            (p.approved_at < \(bind: end) AND (p.closed_at >= \(bind: end)
            OR (p.closed_at IS NULL AND p.status = \(literal: ProjectStatus.active.rawValue))))
            """
    }

    /// Approved by a forum during the month.
    static func approved(in month: CalendarMonth) -> SQLQueryString {
        "(p.approved_at >= \(bind: month.start) AND p.approved_at < \(bind: month.end))"
    }

    /// Completed during the month.
    static func completed(in month: CalendarMonth) -> SQLQueryString {
        """
        (p.status = \(literal: ProjectStatus.completed.rawValue)
        AND p.closed_at >= \(bind: month.start) AND p.closed_at < \(bind: month.end))
        """
    }

    /// The condition on `p` that a service user or carer is on the team as a full partner (staff
    /// marked so do not count, as in the involvement analysis).
    static let withFullPartner: SQLQueryString = """
        EXISTS (SELECT 1 FROM team_members tm JOIN people pe ON pe.id = tm.person_id WHERE tm.project_id = p.id
        AND CAST(tm.involvement AS TEXT) = \(literal: ServiceUserInvolvement.fullPartner.rawValue)
        AND CAST(pe.kind AS TEXT) IN (\(literal: PersonKind.serviceUser.rawValue), \(literal: PersonKind.carer.rawValue)))
        """
}
