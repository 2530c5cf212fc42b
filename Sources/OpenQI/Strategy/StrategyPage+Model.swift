import Charts
import Fluent
import Foundation
import SPC
import SQLKit

/// The organisation's strategy: its aim, the strategic objectives and the priorities under each,
/// drawn as a driver diagram, with how many projects serve each priority.
enum StrategyPage {
    struct PriorityRow: Sendable, Equatable {
        let id: UUID
        let name: String
        let summary: String?
        let isArchived: Bool
        /// Active projects serving it.
        let active: Int
        let completed: Int
    }

    /// A Whole System Measure tracking an objective, as its chart stands.
    struct TrackedMeasure: Sendable, Equatable {
        let id: UUID
        let name: String
        let recent: [Double?]
        let latestClass: PointClass
        let latestValue: Double?
        let latestPeriod: Date?
        let variation: VariationIcon?
        let assurance: AssuranceIcon?
        let target: Double?
    }

    struct Objective: Sendable, Equatable {
        let id: UUID
        let name: String
        let summary: String?
        let isArchived: Bool
        let measures: [TrackedMeasure]
        let priorities: [PriorityRow]
    }

    struct Model: Sendable, Equatable {
        var aim: String?
        /// In use first, then archived, each by name.
        var objectives: [Objective]
        /// Priorities made before the strategy had objectives, filed under none.
        var unfiled: [PriorityRow]
        /// Active projects that serve no priority.
        var unaligned: Int
        var diagramSVG: String
        var canManage: Bool
    }

    /// What the strategy's diagram calls its columns.
    static let words = DriverDiagramChart.Words(
        title: "The organisation's strategy", headings: ["Aim", "Strategic objectives", "Priorities"],
        boxes: ["Strategic objective", "Priority"],
        hint: "Add strategic objectives: what the organisation sets out to achieve.")
}

extension StrategyPage.Model {
    static func query(policy: Policy, on db: any Database) async throws -> Self {
        struct Served: Decodable {
            let id: UUID
            let status: String
            let n: Int
        }
        let served = try await db.sql.raw(
            """
            SELECT pp.priority_id AS id, p.status AS status, COUNT(*) AS n FROM project_priorities pp
            JOIN projects p ON p.id = pp.project_id GROUP BY pp.priority_id, p.status
            """
        ).all(decoding: Served.self)
        // One pass over the counts, rather than one per priority.
        let byPriority = Dictionary(grouping: served, by: \.id).mapValues { rows in
            Dictionary(uniqueKeysWithValues: rows.map { ($0.status, $0.n) })
        }
        func count(_ id: UUID, _ status: ProjectStatus) -> Int { byPriority[id]?[status.rawValue] ?? 0 }
        let rows = try await Priority.query(on: db).sort(\.$name).all().map { priority in
            let id = try priority.requireID()
            return (
                objectiveID: priority.$objective.id,
                row: StrategyPage.PriorityRow(
                    id: id, name: priority.name, summary: priority.summary, isArchived: priority.isArchived,
                    active: count(id, .active), completed: count(id, .completed))
            )
        }
        let tracking = try await ObjectiveMeasure.query(on: db).with(\.$measure).all()
        let summaries = try await MeasureSummary.query(on: db)
            .filter(\.$measure.$id ~~ tracking.map(\.$measure.id)).all()
        func tracked(by objectiveID: UUID) -> [StrategyPage.TrackedMeasure] {
            tracking.filter { $0.$objective.id == objectiveID }.map(\.measure).sorted { $0.name < $1.name }
                .compactMap { measure in
                    guard let id = measure.id else { return nil }
                    let summary = summaries.first { $0.$measure.id == id && $0.points > 0 }
                    return .init(
                        id: id, name: measure.name, recent: summary?.recentValues ?? [],
                        latestClass: summary?.latestPointClass ?? .common, latestValue: summary?.latestValue,
                        latestPeriod: summary?.latestPeriod, variation: summary?.variationIcon,
                        assurance: summary?.assuranceIcon, target: measure.target)
                }
        }
        let objectives = try await StrategicObjective.query(on: db).sort(\.$name).all().map { objective in
            let id = try objective.requireID()
            return StrategyPage.Objective(
                id: id, name: objective.name, summary: objective.summary, isArchived: objective.isArchived,
                measures: tracked(by: id), priorities: rows.filter { $0.objectiveID == id }.map(\.row))
        }.sorted { !$0.isArchived && $1.isArchived }
        let unaligned =
            try await db.sql.raw(
                """
                SELECT COUNT(*) AS n FROM projects p
                WHERE p.status = 'active' AND \(ProjectPriority.noneServedSQL)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        let aim = try await StrategyAim.load(on: db).text
        let unfiled = rows.filter { $0.objectiveID == nil }.map(\.row)
        return .init(
            aim: aim, objectives: objectives, unfiled: unfiled, unaligned: unaligned,
            diagramSVG: diagram(aim: aim, objectives: objectives, unfiled: unfiled).svg(),
            canManage: policy.allows(.manageStrategy))
    }

    /// Aim → objectives in use → their priorities in use; a priority filed under no objective
    /// stands unlinked at the end of its column.
    static func diagram(aim: String?, objectives: [StrategyPage.Objective], unfiled: [StrategyPage.PriorityRow])
        -> DriverDiagramChart
    {
        let inUse = objectives.filter { !$0.isArchived }
        let priorities = inUse.flatMap { objective in
            objective.priorities.filter { !$0.isArchived }.map { (objective.id, $0) }
        }
        return DriverDiagramChart(
            aim: aim ?? "No aim set yet",
            primary: inUse.map { .init(id: $0.id.uuidString, text: $0.name) },
            secondary: (priorities.map(\.1) + unfiled.filter { !$0.isArchived }).map {
                .init(id: $0.id.uuidString, text: $0.name)
            },
            changeIdeas: [],
            links: priorities.map { .init(from: $0.0.uuidString, to: $0.1.id.uuidString) },
            idPrefix: "strategy-diagram", words: StrategyPage.words)
    }
}
