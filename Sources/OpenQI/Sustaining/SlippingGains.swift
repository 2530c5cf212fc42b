import Fluent
import Foundation
import SQLKit

/// Sustaining the gains: a completed project's outcome measures keep being watched after it
/// closes. Its gains are slipping when one of them, still in use, shows a special cause of concern
/// (by the measure's own rules) in a period after the closing, and nobody has yet recorded what is
/// being done about that signal (`GainsResponse`). The measure's summary keeps its latest signal of
/// concern, so this is a query: one definition for the forum's agenda, the project's page, the
/// portfolio, the project list and the team's tasks.
enum SlippingGains {
    /// One outcome measure whose gains are slipping.
    struct Signal: Sendable, Equatable {
        let projectID: UUID
        let measureID: UUID
        let measureName: String
        /// The first and latest periods of the signal of concern.
        let from: CalendarDay
        let to: CalendarDay

        /// What the answer form sends back: the measure and the signal the person saw.
        var choice: String { "\(measureID.uuidString)@\(from.text)" }

        /// "special cause of concern since 3 March 2027".
        var described: String {
            from == to
                ? "special cause of concern on \(from.label)"
                : "special cause of concern from \(from.label) to \(to.label)"
        }
    }

    /// A project's slipping measures in one line, as the forum reads them: "Falls a week, special
    /// cause of concern from … to …; …".
    static func described(_ signals: [Signal]) -> String {
        signals.map { "\($0.measureName), \($0.described)" }.joined(separator: "; ")
    }

    /// How long after an answered signal's last period a new one still counts as the same episode:
    /// a measure hovering about a limit (two of three points beyond 2σ, say) flags short runs
    /// a few periods apart, and the forum has heard about it.
    static let periodsCovered = 4.0

    static func coverage(of signal: Signal, frequency: DataFrequency) -> CalendarDay {
        signal.to.adding(days: Int(periodsCovered * frequency.days))
    }

    /// The condition on `p` (a project), `m` (one of its measures) and `s` (that measure's summary)
    /// that the measure's gains are slipping now or, with `date`, by the end of that day: the
    /// project achieved its aim at least in part (one that did not has no gain to lose), its latest
    /// signal of concern reaches past the closing (a shift that began after it draws in the points
    /// just before it that sat on the same side), and no answer recorded by then covers it. (Dates
    /// compare as UTC days on both databases: PostgreSQL sessions run in UTC.)
    static func measureCondition(asOf date: Date? = nil) -> SQLQueryString {
        var condition: SQLQueryString = """
            p.status = \(literal: ProjectStatus.completed.rawValue) AND m.project_id = p.id
            AND m.kind = \(literal: MeasureKind.outcome.rawValue) AND m.archived_at IS NULL AND s.measure_id = m.id
            AND s.concern_to > p.closed_at
            AND (p.aim_achieved IS NULL OR CAST(p.aim_achieved AS TEXT) <> \(literal: AimAchieved.no.rawValue))
            """
        var answered: SQLQueryString = "r.measure_id = m.id AND s.concern_from <= r.covers_until"
        if let date {
            let end = CalendarDay(containing: date).adding(days: 1).date
            condition += " AND s.concern_from < \(bind: end)"
            answered += " AND r.recorded_at < \(bind: end)"
        }
        return condition + " AND NOT EXISTS (SELECT 1 FROM \(ident: GainsResponse.schema) r WHERE \(answered))"
    }

    /// The condition on `p` that the project's gains are slipping (now, or at `date`).
    static func projectCondition(asOf date: Date? = nil) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM measures m JOIN measure_summaries s ON s.measure_id = m.id
        WHERE \(measureCondition(asOf: date)))
        """
    }

    /// The slipping measures of the projects `scope` (a condition on `p`) selects, by project and
    /// measure name.
    static func signals(where scope: SQLQueryString, asOf date: Date? = nil, on db: any Database) async throws
        -> [Signal]
    {
        struct Row: Decodable {
            let project_id: UUID
            let measure_id: UUID
            let measure_name: String
            let concern_from: Date
            let concern_to: Date
        }
        return try await db.sql.raw(
            """
            SELECT p.id AS project_id, m.id AS measure_id, m.name AS measure_name, s.concern_from, s.concern_to
            FROM projects p JOIN measures m ON m.project_id = p.id JOIN measure_summaries s ON s.measure_id = m.id
            WHERE \(scope) AND \(measureCondition(asOf: date)) ORDER BY p.title, m.name
            """
        ).all(decoding: Row.self).map {
            Signal(
                projectID: $0.project_id, measureID: $0.measure_id, measureName: $0.measure_name,
                from: CalendarDay(containing: $0.concern_from), to: CalendarDay(containing: $0.concern_to))
        }
    }

    /// Which of these projects' gains are slipping now.
    static func projectIDs(among projectIDs: [UUID], on db: any Database) async throws -> Set<UUID> {
        guard !projectIDs.isEmpty else { return [] }
        return Set(try await signals(where: "p.id IN (\(binds: projectIDs))", on: db).map(\.projectID))
    }

    /// The unit of every project whose gains are slipping, once per project: for counting by forum.
    static func projectUnits(on db: any Database) async throws -> [UUID] {
        try await db.sql.raw("SELECT p.unit_id FROM projects p WHERE \(projectCondition())").all()
            .map { try $0.decode(column: "unit_id", as: UUID.self) }
    }

    /// A project whose gains are slipping, as a forum's page lists it.
    struct Listed: Sendable, Equatable {
        let id: UUID
        let title: String
        let unitName: String
        /// "Falls a week, special cause of concern from 3 March 2027 to 7 April 2027".
        let described: String
    }

    /// The projects of these units whose gains are slipping, by title.
    static func projects(inUnits units: [UUID], tree: UnitTree, on db: any Database) async throws -> [Listed] {
        guard !units.isEmpty else { return [] }
        let signals = try await signals(where: "p.unit_id IN (\(binds: units))", on: db)
        let projects = try await Project.query(on: db).filter(\.$id ~~ Set(signals.map(\.projectID)))
            .sort(\.$title).all()
        return projects.compactMap { project in
            project.id.map { id in
                Listed(
                    id: id, title: project.title, unitName: tree.nodes[project.$unit.id]?.name ?? "",
                    described: described(signals.filter { $0.projectID == id }))
            }
        }
    }
}
