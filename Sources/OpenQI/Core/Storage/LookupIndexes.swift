import Fluent
import SQLKit

/// Indexes on the columns pages look records up by. Neither database indexes a foreign key by
/// itself, so on a large trust a project page scanned every progress update and audit entry of the
/// organisation to find its own.
struct CreateLookupIndexes: AsyncMigration {
    static let indexes: [(table: String, columns: [String])] = [
        ("units", ["parent_id"]),
        ("people", ["unit_id"]),
        ("role_grants", ["person_id"]),
        ("role_grants", ["unit_id"]),
        ("accounts", ["person_id"]),
        ("account_sessions", ["account_id"]),
        ("projects", ["unit_id", "status"]),
        ("projects", ["coach_id"]),
        ("team_members", ["project_id"]),
        ("team_members", ["person_id"]),
        ("project_priorities", ["project_id"]),
        ("project_priorities", ["priority_id"]),
        ("progress_updates", ["project_id", "update_date"]),
        ("project_comments", ["project_id"]),
        ("forum_meetings", ["unit_id"]),
        ("forum_decisions", ["project_id"]),
        ("forum_decisions", ["meeting_id"]),
        ("drivers", ["project_id"]),
        ("driver_links", ["primary_id"]),
        ("driver_links", ["secondary_id"]),
        ("change_ideas", ["project_id"]),
        ("change_idea_drivers", ["change_idea_id"]),
        ("change_idea_drivers", ["driver_id"]),
        ("pdsa_cycles", ["project_id"]),
        ("pdsa_cycles", ["change_idea_id"]),
        ("pdsa_watched_measures", ["cycle_id"]),
        ("pdsa_watched_measures", ["measure_id"]),
        ("measures", ["project_id"]),
        ("measures", ["unit_id"]),
        ("measure_annotations", ["measure_id"]),
        ("phase_breaks", ["measure_id"]),
        ("stories", ["project_id"]),
        ("board_reports", ["unit_id"]),
        ("data_uploads", ["unit_id"]),
        ("api_tokens", ["unit_id"]),
        ("audit_entries", ["project_id", "occurred_at"]),
        ("audit_entries", ["unit_id", "occurred_at"]),
        ("audit_entries", ["subject_id"]),
        ("audit_entries", ["occurred_at"]),
    ]

    static func name(_ index: (table: String, columns: [String])) -> String {
        "ix_\(index.table)_\(index.columns.joined(separator: "_"))"
    }

    func prepare(on database: any Database) async throws { try await Self.create(Self.indexes, on: database) }

    func revert(on database: any Database) async throws { try await Self.drop(Self.indexes, on: database) }

    /// Creates each index, named by `name(_:)`; later migrations that add lookups use it too.
    static func create(_ indexes: [(table: String, columns: [String])], on database: any Database) async throws {
        for index in indexes {
            let create = database.sql.create(index: name(index)).on(index.table)
            for column in index.columns { create.column(column) }
            try await create.run()
        }
    }

    static func drop(_ indexes: [(table: String, columns: [String])], on database: any Database) async throws {
        for index in indexes.reversed() { try await database.sql.drop(index: name(index)).run() }
    }
}
