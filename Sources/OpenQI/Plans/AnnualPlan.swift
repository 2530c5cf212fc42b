import Fluent
import Foundation
import Vapor

/// A unit's annual plan (ELFT's directorates draw one each year): what it sets out to achieve in
/// the year, drawn as a driver diagram whose boxes link to the projects, programmes and measures
/// that serve them. It may sit under the plan of a unit above it for the same year.
package final class AnnualPlan: Model, @unchecked Sendable {
    package static let schema = "annual_plans"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "unit_id") package var unit: Unit
    /// The year the plan starts: 2026 is the plan for 2026/27.
    @Field(key: "year") package var year: Int
    @OptionalParent(key: "parent_id") package var parent: AnnualPlan?
    /// What the unit will achieve this year: the diagram's aim.
    @Field(key: "aim") package var aim: String
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Moves on with every edit (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(unitID: UUID, year: Int, aim: String, parentID: UUID? = nil) {
        self.$unit.id = unitID
        self.year = year
        self.aim = aim
        self.$parent.id = parentID
        self.version = 1
    }

    /// "2026/27".
    var yearLabel: String { Self.label(year) }

    /// "Adult Mental Health plan 2026/27", once its unit is loaded.
    var title: String { "\($unit.value?.name ?? "Annual") plan \(yearLabel)" }

    static func label(_ year: Int) -> String { String(format: "%d/%02d", year, (year + 1) % 100) }

    /// Years a plan may be for: bounded, so no arithmetic on a year can overflow.
    static let years = 2000...2100
}

extension AnnualPlan: Versioned {}

extension AnnualPlan: Auditable {
    var auditSubject: AuditSubject {
        .init(kind: "annual_plan", id: id, name: title, unitID: $unit.id)
    }
    var auditFields: [String: String] {
        [
            "unit": $unit.id.uuidString, "year": String(year), "parent": $parent.id?.uuidString ?? "",
            "aim": aim,
        ]
    }
}

/// A box of a plan's diagram: a driver or a change idea.
package enum PlanBox: Sendable, Hashable {
    case driver(UUID)
    case idea(UUID)

    /// As a form sends it: "driver:ID" or "idea:ID".
    init?(_ value: String) {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { return nil }
        switch parts[0] {
        case "driver": self = .driver(id)
        case "idea": self = .idea(id)
        default: return nil
        }
    }

    var value: String {
        switch self {
        case .driver(let id): "driver:\(id.uuidString)"
        case .idea(let id): "idea:\(id.uuidString)"
        }
    }
}

/// Work that serves a plan's box: a project, a programme or a measure.
package enum PlanWork: Sendable, Hashable {
    case project(UUID)
    case programme(UUID)
    case measure(UUID)

    /// As a form sends it: "project:ID", "programme:ID" or "measure:ID".
    init?(_ value: String) {
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { return nil }
        switch parts[0] {
        case "project": self = .project(id)
        case "programme": self = .programme(id)
        case "measure": self = .measure(id)
        default: return nil
        }
    }

    var value: String {
        switch self {
        case .project(let id): "project:\(id.uuidString)"
        case .programme(let id): "programme:\(id.uuidString)"
        case .measure(let id): "measure:\(id.uuidString)"
        }
    }
}

/// "This project (programme, measure) serves that box of the plan."
package final class PlanLink: Model, @unchecked Sendable {
    package static let schema = "plan_links"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "plan_id") package var plan: AnnualPlan
    @OptionalParent(key: "driver_id") package var driver: Driver?
    @OptionalParent(key: "change_idea_id") package var changeIdea: ChangeIdea?
    @OptionalParent(key: "project_id") package var project: Project?
    @OptionalParent(key: "programme_id") package var programme: Programme?
    @OptionalParent(key: "measure_id") package var measure: Measure?

    package init() {}

    package init(planID: UUID, box: PlanBox, work: PlanWork) {
        $plan.id = planID
        switch box {
        case .driver(let id): $driver.id = id
        case .idea(let id): $changeIdea.id = id
        }
        switch work {
        case .project(let id): $project.id = id
        case .programme(let id): $programme.id = id
        case .measure(let id): $measure.id = id
        }
    }

    var box: PlanBox? {
        if let id = $driver.id { return .driver(id) }
        return $changeIdea.id.map { .idea($0) }
    }

    var work: PlanWork? {
        if let id = $project.id { return .project(id) }
        if let id = $programme.id { return .programme(id) }
        return $measure.id.map { .measure($0) }
    }
}

struct CreateAnnualPlans: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AnnualPlan.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id"))
            .field("year", .int, .required)
            .field("parent_id", .uuid, .references(AnnualPlan.schema, "id", onDelete: .setNull))
            .field("aim", .string, .required)
            .field("created_at", .datetime)
            .field("version", .int, .required, .sql(.default(1)))
            .unique(on: "unit_id", "year")
            .create()
        try await database.schema(PlanLink.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(AnnualPlan.schema, "id", onDelete: .cascade))
            .field("driver_id", .uuid, .references(Driver.schema, "id", onDelete: .cascade))
            .field("change_idea_id", .uuid, .references(ChangeIdea.schema, "id", onDelete: .cascade))
            .field("project_id", .uuid, .references(Project.schema, "id", onDelete: .cascade))
            .field("programme_id", .uuid, .references(Programme.schema, "id", onDelete: .cascade))
            .field("measure_id", .uuid, .references(Measure.schema, "id", onDelete: .cascade))
            .create()
        // A plan owns a driver diagram as a project and a programme do.
        for table in [Driver.schema, ChangeIdea.schema] {
            try await database.schema(table)
                .field("plan_id", .uuid, .references(AnnualPlan.schema, "id", onDelete: .cascade)).update()
        }
        try await CreateLookupIndexes.create(Self.indexes, on: database)
    }

    static let indexes: [(table: String, columns: [String])] = [
        ("annual_plans", ["parent_id"]),
        ("plan_links", ["plan_id"]),
        ("plan_links", ["driver_id"]),
        ("plan_links", ["change_idea_id"]),
        ("plan_links", ["project_id"]),
        ("plan_links", ["programme_id"]),
        ("plan_links", ["measure_id"]),
        ("drivers", ["plan_id"]),
        ("change_ideas", ["plan_id"]),
    ]

    func revert(on database: any Database) async throws {
        try await CreateLookupIndexes.drop(Self.indexes, on: database)
        try await Driver.query(on: database).filter(\.$plan.$id != nil).delete()
        try await ChangeIdea.query(on: database).filter(\.$plan.$id != nil).delete()
        for table in [Driver.schema, ChangeIdea.schema] {
            try await database.schema(table).deleteField("plan_id").update()
        }
        try await database.schema(PlanLink.schema).delete()
        try await database.schema(AnnualPlan.schema).delete()
    }
}
