import Fluent
import Foundation

/// One of the few objectives of the organisation's strategy ("Improved population health
/// outcomes", "Improved experience of care"): what the board's Whole System Measures track and
/// what the priorities under it deliver. Archived, never deleted: priorities name it.
package final class StrategicObjective: Model, @unchecked Sendable {
    package static let schema = "strategic_objectives"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @OptionalField(key: "description") package var summary: String?
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Moves on with every edit (`Versioned`).
    @Field(key: "version") package var version: Int
    /// The Whole System Measures that track it (the board's measures of the organisation).
    @Siblings(through: ObjectiveMeasure.self, from: \.$objective, to: \.$measure) package var measures: [Measure]

    package init() { version = 1 }

    package init(id: UUID? = nil, name: String, summary: String? = nil) {
        self.id = id
        self.name = name
        self.summary = summary
        self.version = 1
    }

    var isArchived: Bool { archivedAt != nil }
}

extension StrategicObjective: Versioned {}

extension StrategicObjective: Archivable {
    var auditSubject: AuditSubject { .init(kind: "objective", id: id, name: name, unitID: nil) }
    var auditFields: [String: String] {
        var fields = ["name": name, "description": summary ?? "", "archived": isArchived ? "yes" : "no"]
        // The measures are audited where they were read or set with the objective.
        if let measures = $measures.value {
            fields["measures"] = measures.compactMap { $0.id?.uuidString }.sorted().joined(separator: " ")
        }
        return fields
    }
}

/// A Whole System Measure tracking a strategic objective.
package final class ObjectiveMeasure: Model, @unchecked Sendable {
    package static let schema = "objective_measures"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "objective_id") package var objective: StrategicObjective
    @Parent(key: "measure_id") package var measure: Measure

    package init() {}
}

struct CreateObjectiveMeasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ObjectiveMeasure.schema)
            .id()
            .field("objective_id", .uuid, .required, .references(StrategicObjective.schema, "id"))
            .field("measure_id", .uuid, .required, .references(Measure.schema, "id"))
            .unique(on: "objective_id", "measure_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ObjectiveMeasure.schema).delete()
    }
}

struct CreateStrategicObjectives: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StrategicObjective.schema)
            .id()
            .field("name", .string, .required)
            .field("description", .string)
            .field("archived_at", .datetime)
            .field("created_at", .datetime)
            .field("version", .int, .required, .sql(.default(1)))
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StrategicObjective.schema).delete()
    }
}

/// The aim at the head of the strategy ("The best quality of life for all the communities we
/// serve"), kept as an installation setting: there is one strategy.
package struct StrategyAim: Sendable, Equatable {
    package static let settingKey = "strategy_aim"

    var text: String?

    static func load(on db: any Database) async throws -> StrategyAim {
        StrategyAim(text: try await InstallationSetting.find(settingKey, on: db)?.value)
    }
}

extension StrategyAim: Auditable {
    var auditSubject: AuditSubject { .init(kind: "strategy", id: nil, name: "The strategy's aim", unitID: nil) }
    var auditFields: [String: String] { ["aim": text ?? ""] }
}
