import Fluent
import Foundation
import SPC
import SQLKit

/// What bulk work needs of a measure: its name and place, for messages and the audit trail, and how
/// it is charted. Read as plain rows: an upload names thousands of measures, and building a Fluent
/// model for each cost more than checking every row of the file.
package struct MeasureBrief: Sendable, Equatable {
    let id: UUID
    let key: String?
    let name: String
    let unitID: UUID
    let projectID: UUID?
    let options: SPCOptions

    var chart: ChartType { options.chart }

    init(id: UUID, key: String?, name: String, unitID: UUID, projectID: UUID?, options: SPCOptions) {
        self.id = id
        self.key = key
        self.name = name
        self.unitID = unitID
        self.projectID = projectID
        self.options = options
    }

    init(_ measure: Measure) throws {
        self.init(
            id: try measure.requireID(), key: measure.key, name: measure.name, unitID: measure.$unit.id,
            projectID: measure.$project.id, options: measure.options)
    }

    /// The measures, not archived, with these keys.
    static func load(keys: Set<String>, on db: any Database) async throws -> [MeasureBrief] {
        var briefs: [MeasureBrief] = []
        for chunk in Array(keys).sorted().chunked(into: 1000) {
            briefs += try await load(where: "key", in: Array(chunk), on: db)
        }
        return briefs
    }

    /// The measures with these ids, archived or not.
    static func load(ids: [UUID], on db: any Database) async throws -> [MeasureBrief] {
        var briefs: [MeasureBrief] = []
        for chunk in ids.chunked(into: 1000) {
            briefs += try await load(where: "id", in: Array(chunk), on: db, includingArchived: true)
        }
        return briefs
    }

    private static func load(
        where column: String, in values: [any Encodable & Sendable], on db: any Database,
        includingArchived: Bool = false
    ) async throws -> [MeasureBrief] {
        var query = db.sql.select()
            .columns(
                "id", "key", "name", "unit_id", "project_id", "chart_type", "rules", "direction", "target", "multiply"
            )
            .from(Measure.schema)
            .where(SQLIdentifier(column), .in, SQLBind.group(values))
        if !includingArchived { query = query.where("archived_at", .is, SQLLiteral.null) }
        return try await query.all().map { row in
            MeasureBrief(
                id: try row.decode(column: "id", as: UUID.self), key: try row.decode(column: "key", as: String?.self),
                name: try row.decode(column: "name", as: String.self),
                unitID: try row.decode(column: "unit_id", as: UUID.self),
                projectID: try row.decode(column: "project_id", as: UUID?.self),
                options: Measure.options(
                    chartType: try row.decode(column: "chart_type", as: String.self),
                    rules: try row.decode(column: "rules", as: String.self),
                    direction: try row.decode(column: "direction", as: String.self),
                    target: try row.decode(column: "target", as: Double?.self),
                    multiply: try row.decode(column: "multiply", as: Double.self)))
        }
    }
}
