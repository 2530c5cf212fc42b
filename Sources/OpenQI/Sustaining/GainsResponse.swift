import Fluent
import Foundation

/// What is being done about a completed project's slipping gains: recorded against one signal of
/// concern on one of its outcome measures, which it answers. It covers that signal as the chart
/// later redraws it (a point dated earlier, limits recalculated) and any signal beginning within a
/// few periods of its end (a measure hovering about its limits is one episode); a signal beginning
/// later needs an answer of its own.
final class GainsResponse: Model, @unchecked Sendable {
    static let schema = "gains_responses"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Parent(key: "measure_id") var measure: Measure
    /// The first and last periods of the signal as it stood when answered.
    @Field(key: "signal_from") var signalFrom: Date
    @Field(key: "signal_to") var signalTo: Date
    /// The latest day a signal may begin and still be this one (`SlippingGains.coverage`).
    @Field(key: "covers_until") var coversUntil: Date
    @Field(key: "action") var action: String
    @Parent(key: "recorded_by_id") var recordedBy: Person
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
}

struct CreateGainsResponses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GainsResponse.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("measure_id", .uuid, .required, .references(Measure.schema, "id", onDelete: .cascade))
            .field("signal_from", .date, .required)
            .field("signal_to", .date, .required)
            .field("covers_until", .date, .required)
            .field("action", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("recorded_at", .datetime, .required)
            .create()
        try await CreateLookupIndexes.create(
            [(GainsResponse.schema, ["measure_id", "covers_until"]), (GainsResponse.schema, ["project_id"])],
            on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GainsResponse.schema).delete()
    }
}
