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
        /// Programmes delivering it, at any stage.
        var programmes: Int = 0
    }

    struct Objective: Sendable, Equatable {
        let id: UUID
        let name: String
        let summary: String?
        let isArchived: Bool
        let measures: [MeasureTrend]
        let priorities: [PriorityRow]
    }

    /// A unit's annual plan, with what serves its boxes, counted.
    struct PlanRow: Sendable, Equatable {
        let id: UUID
        let title: String
        let aim: String
        let boxes: Int
        let projects: Int
        let programmes: Int
        let measures: Int
    }

    struct Model: Sendable, Equatable {
        var aim: String?
        /// In use first, then archived, each by name.
        var objectives: [Objective]
        /// Priorities made before the strategy had objectives, filed under none.
        var unfiled: [PriorityRow]
        /// Active projects that serve no priority and no plan's box.
        var unaligned: Int
        var diagramSVG: String
        var canManage: Bool
        /// Newest year first, then by unit.
        var plans: [PlanRow] = []
        /// Whether the viewer may draw a plan for some unit.
        var canPlan = false
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
        let programmes = Dictionary(
            grouping: try await Programme.query(on: db).filter(\.$priority.$id != nil).all(), by: \.$priority.id
        ).mapValues(\.count)
        let rows = try await Priority.query(on: db).sort(\.$name).all().map { priority in
            let id = try priority.requireID()
            return (
                objectiveID: priority.$objective.id,
                row: StrategyPage.PriorityRow(
                    id: id, name: priority.name, summary: priority.summary, isArchived: priority.isArchived,
                    active: count(id, .active), completed: count(id, .completed), programmes: programmes[id] ?? 0)
            )
        }
        let tracking = try await ObjectiveMeasure.query(on: db).with(\.$measure).all()
        let shown = try await MeasureTrend.load(tracking.map(\.measure), on: db)
        func tracked(by objectiveID: UUID) -> [MeasureTrend] {
            let ids = Set(tracking.filter { $0.$objective.id == objectiveID }.map(\.$measure.id))
            return shown.filter { ids.contains($0.id) }
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
            canManage: policy.allows(.manageStrategy), plans: try await plans(tree: policy.tree, on: db),
            canPlan: policy.allows(.drawPlans))
    }

    /// Every annual plan, with how many boxes it has and what serves them, counted once each.
    static func plans(tree: UnitTree, on db: any Database) async throws -> [StrategyPage.PlanRow] {
        struct Counted: Decodable {
            let plan_id: UUID
            let projects: Int
            let programmes: Int
            let measures: Int
        }
        let counted = try await db.sql.raw(
            """
            SELECT plan_id, COUNT(DISTINCT project_id) AS projects, COUNT(DISTINCT programme_id) AS programmes,
            COUNT(DISTINCT measure_id) AS measures FROM plan_links GROUP BY plan_id
            """
        ).all(decoding: Counted.self)
        struct Boxes: Decodable {
            let plan_id: UUID
            let n: Int
        }
        let boxes = try await db.sql.raw(
            """
            SELECT plan_id, COUNT(*) AS n FROM (SELECT plan_id FROM drivers WHERE plan_id IS NOT NULL \
            UNION ALL SELECT plan_id FROM change_ideas WHERE plan_id IS NOT NULL) b GROUP BY plan_id
            """
        ).all(decoding: Boxes.self)
        let links = Dictionary(counted.map { ($0.plan_id, $0) }) { first, _ in first }
        let boxCounts = Dictionary(boxes.map { ($0.plan_id, $0.n) }) { first, _ in first }
        return try await AnnualPlan.query(on: db).with(\.$unit).all()
            .sorted { ($1.year, tree.path(of: $0.$unit.id)) < ($0.year, tree.path(of: $1.$unit.id)) }
            .compactMap { plan in
                guard let id = plan.id else { return nil }
                return .init(
                    id: id, title: plan.title, aim: plan.aim, boxes: boxCounts[id] ?? 0,
                    projects: links[id]?.projects ?? 0, programmes: links[id]?.programmes ?? 0,
                    measures: links[id]?.measures ?? 0)
            }
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
