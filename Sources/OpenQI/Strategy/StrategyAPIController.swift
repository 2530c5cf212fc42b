import Fluent
import Foundation
import Vapor

/// A priority as the API returns it: what a project's `priority_ids` refer to.
struct PriorityDTO: Content, Equatable {
    let id: UUID
    let name: String
    let description: String?
    /// The strategic objective it serves; left out for one made before objectives existed.
    let objective_id: UUID?
    /// No longer offered for new projects; projects that served it keep it.
    let archived: Bool
    /// Moves on with every edit; a PUT sends back the version it began from.
    let version: Int
}

/// A strategic objective as the API returns it, with the priorities filed under it.
struct ObjectiveDTO: Content, Equatable {
    let id: UUID
    let name: String
    let description: String?
    let archived: Bool
    let version: Int
    /// The Whole System Measures that track it.
    let measure_ids: [UUID]
    let priorities: [PriorityDTO]
}

/// The organisation's strategy: its aim, its objectives with their priorities, and any priority
/// filed under no objective.
struct StrategyDTO: Content, Equatable {
    let aim: String?
    let objectives: [ObjectiveDTO]
    let unfiled_priorities: [PriorityDTO]
    /// The units' annual plans, newest year first.
    let plans: [AnnualPlanDTO]
}

/// `/api/v1/priorities`, `/api/v1/objectives` and `/api/v1/strategy`: the same operations and
/// validation as the strategy's pages, as JSON.
enum StrategyAPIController {
    /// The organisation's priorities by name, archived ones too, since projects may still name them.
    @Sendable static func index(req: Request) async throws -> [PriorityDTO] {
        try await req.policy().require(.readOrganisation)
        return try await Priority.query(on: req.db).sort(\.$name).all().map(PriorityDTO.init)
    }

    @Sendable static func show(req: Request) async throws -> PriorityDTO {
        try await req.policy().require(.readOrganisation)
        return try PriorityDTO(try await StrategyController.findPriority(req))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.manageStrategy)
        let draft = try req.content.decode(PriorityInput.self).validate(
            among: try await Priority.query(on: req.db).all(),
            objectives: try await StrategicObjective.query(on: req.db).all())
        let priority = try await Priority.create(draft, by: policy.viewer.actor, on: req.db)
        return try await PriorityDTO(priority).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> PriorityDTO {
        let policy = try await req.policy(granting: .manageStrategy)
        let priority = try await StrategyController.findPriority(req)
        let input = try req.content.decode(PriorityInput.self)
        let draft = try input.validate(
            among: try await Priority.query(on: req.db).all(),
            objectives: try await StrategicObjective.query(on: req.db).all(), editing: priority)
        guard let version = input.version else { throw ValidationFailure.versionMissing(of: "priority") }
        do {
            try await priority.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
        } catch let conflict as EditConflict<Priority> {
            throw conflict.refusal(of: "priority", from: version)
        }
        return try PriorityDTO(priority)
    }

    @Sendable static func showObjective(req: Request) async throws -> ObjectiveDTO {
        try await req.policy().require(.readOrganisation)
        return try await ObjectiveDTO(try await StrategyController.findObjective(req), on: req.db)
    }

    @Sendable static func createObjective(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let draft = try req.content.decode(ObjectiveInput.self).validate(
            among: try await StrategicObjective.query(on: req.db).all(),
            offered: try await StrategyController.offeredMeasures(keeping: [], on: req.db))
        let objective = try await StrategicObjective.create(draft, by: policy.viewer.actor, on: req.db)
        return try await ObjectiveDTO(objective, on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable static func updateObjective(req: Request) async throws -> ObjectiveDTO {
        let policy = try await req.policy(granting: .manageStrategy)
        let objective = try await StrategyController.findObjective(req)
        try await objective.$measures.load(on: req.db)
        let input = try req.content.decode(ObjectiveInput.self)
        let draft = try input.validate(
            among: try await StrategicObjective.query(on: req.db).all(),
            offered: try await StrategyController.offeredMeasures(
                keeping: objective.measures.compactMap(\.id), on: req.db),
            editing: objective.id)
        guard let version = input.version else { throw ValidationFailure.versionMissing(of: "objective") }
        do {
            try await objective.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
        } catch let conflict as EditConflict<StrategicObjective> {
            throw conflict.refusal(of: "objective", from: version)
        }
        return try await ObjectiveDTO(objective, on: req.db)
    }

    @Sendable static func strategy(req: Request) async throws -> StrategyDTO {
        try await req.policy().require(.readOrganisation)
        let objectives = try await StrategicObjective.query(on: req.db).with(\.$measures).sort(\.$name).all()
        let priorities = try await Priority.query(on: req.db).sort(\.$name).all()
        let byObjective = Dictionary(grouping: priorities) { $0.$objective.id }
        return StrategyDTO(
            aim: try await StrategyAim.load(on: req.db).text,
            objectives: try objectives.map { objective in
                try ObjectiveDTO(objective, priorities: byObjective[try objective.requireID()] ?? [])
            },
            unfiled_priorities: try (byObjective[nil] ?? []).map(PriorityDTO.init),
            plans: try await AnnualPlanDTO.all(on: req.db))
    }
}

extension ObjectiveDTO {
    /// `objective` with its measures loaded, and `priorities` filed under it.
    init(_ objective: StrategicObjective, priorities: [Priority]) throws {
        self.init(
            id: try objective.requireID(), name: objective.name, description: objective.summary,
            archived: objective.isArchived, version: objective.version,
            measure_ids: objective.measures.compactMap(\.id).sorted(), priorities: try priorities.map(PriorityDTO.init))
    }

    /// `objective` as it now stands, with what is filed under it.
    init(_ objective: StrategicObjective, on db: any Database) async throws {
        let id = try objective.requireID()
        try await objective.$measures.load(on: db)
        try self.init(
            objective,
            priorities: try await Priority.query(on: db).filter(\.$objective.$id == id).sort(\.$name).all())
    }
}

extension PriorityDTO {
    init(_ priority: Priority) throws {
        self.init(
            id: try priority.requireID(), name: priority.name, description: priority.summary,
            objective_id: priority.$objective.id, archived: priority.isArchived, version: priority.version)
    }
}
