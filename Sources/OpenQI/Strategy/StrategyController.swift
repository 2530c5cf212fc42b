import Fluent
import Foundation
import Vapor

/// The strategy's pages: read it, set its aim, add, edit, archive and restore its objectives and
/// priorities.
enum StrategyController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await StrategyPage.Model.query(policy: policy, on: req.db)
        return StrategyPage.View(context: try await req.pageContext(), model: model).response()
    }

    // MARK: The aim

    @Sendable static func editAim(req: Request) async throws -> Response {
        try await req.policy().require(.manageStrategy)
        let aim = try await StrategyAim.load(on: req.db)
        return try await formPage(req, .init(subject: .aim, form: StrategyAimInput(aim: aim.text).formState))
    }

    @Sendable static func saveAim(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let input = try req.content.decode(StrategyAimInput.self)
        return try await req.saveForm(typed: input.formState) {
            try await StrategyAim.save(try input.validate(), by: policy.viewer.actor, on: req.db)
            return req.redirect(to: SiteURL.strategy(.show).relativeURL(), notice: "The strategy’s aim was saved.")
        } redraw: { state in
            try await formPage(req, .init(subject: .aim, form: state))
        }
    }

    // MARK: Objectives

    @Sendable static func newObjective(req: Request) async throws -> Response {
        try await req.policy().require(.manageStrategy)
        return try await formPage(
            req, .init(subject: .objective, form: FormState(), measureOptions: try await measureOptions(on: req.db)))
    }

    @Sendable static func createObjective(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let input = try req.content.decode(ObjectiveInput.self)
        return try await req.saveForm(typed: input.formState) {
            let draft = try input.validate(
                among: try await StrategicObjective.query(on: req.db).all(),
                offered: try await offeredMeasures(keeping: [], on: req.db))
            let objective = try await StrategicObjective.create(draft, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown(objective.id), notice: "“\(objective.name)” was added to the strategy.")
        } redraw: { state in
            try await formPage(
                req, .init(subject: .objective, form: state, measureOptions: try await measureOptions(on: req.db)))
        }
    }

    @Sendable static func editObjective(req: Request) async throws -> Response {
        try await req.policy().require(.manageStrategy)
        let objective = try await findObjective(req)
        try await objective.$measures.load(on: req.db)
        return try await formPage(
            req, try await objectiveForm(objective, state: ObjectiveInput(objective).formState, req))
    }

    @Sendable static func updateObjective(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let objective = try await findObjective(req)
        try await objective.$measures.load(on: req.db)
        var input = try req.content.decode(ObjectiveInput.self)
        // The form neither archives nor restores: its buttons do.
        input.archived = nil
        return try await req.saveEdit(input, of: objective, called: "objective") { version in
            let draft = try input.validate(
                among: try await StrategicObjective.query(on: req.db).all(),
                offered: try await offeredMeasures(keeping: objective.measures.compactMap(\.id), on: req.db),
                editing: objective.id)
            try await objective.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown(objective.id), notice: "Your changes to “\(objective.name)” were saved.")
        } redraw: { objective, state in
            try await formPage(req, try await objectiveForm(objective, state: state, req))
        }
    }

    @Sendable static func archiveObjective(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let objective = try await findObjective(req)
        return try await change(req, objective.id, done: "“\(objective.name)” was archived.") {
            try await objective.archive(by: policy.viewer.actor, on: req.db)
        }
    }

    @Sendable static func restoreObjective(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let objective = try await findObjective(req)
        return try await change(req, objective.id, done: "“\(objective.name)” was restored.") {
            try await objective.restore(by: policy.viewer.actor, on: req.db)
        }
    }

    // MARK: Priorities

    @Sendable static func newPriority(req: Request) async throws -> Response {
        try await req.policy().require(.manageStrategy)
        // Offered from an objective's section, the objective comes chosen.
        let objectiveID = req.query[String.self, at: "objective_id"] ?? ""
        return try await formPage(
            req,
            .init(
                subject: .priority, form: FormState(values: ["objective_id": objectiveID]),
                objectiveOptions: try await objectiveOptions(keeping: nil, on: req.db)))
    }

    @Sendable static func createPriority(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let input = try req.content.decode(PriorityInput.self)
        return try await req.saveForm(typed: input.formState) {
            let draft = try input.validate(
                among: try await Priority.query(on: req.db).all(),
                objectives: try await StrategicObjective.query(on: req.db).all())
            let priority = try await Priority.create(draft, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown(priority.$objective.id), notice: "“\(priority.name)” was added to the strategy.")
        } redraw: { state in
            try await formPage(
                req,
                .init(
                    subject: .priority, form: state,
                    objectiveOptions: try await objectiveOptions(keeping: nil, on: req.db)))
        }
    }

    @Sendable static func editPriority(req: Request) async throws -> Response {
        try await req.policy().require(.manageStrategy)
        let priority = try await findPriority(req)
        return try await formPage(req, try await priorityForm(priority, state: PriorityInput(priority).formState, req))
    }

    @Sendable static func updatePriority(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let priority = try await findPriority(req)
        var input = try req.content.decode(PriorityInput.self)
        // The form neither archives nor restores: its buttons do.
        input.archived = nil
        return try await req.saveEdit(input, of: priority, called: "priority") { version in
            let draft = try input.validate(
                among: try await Priority.query(on: req.db).all(),
                objectives: try await StrategicObjective.query(on: req.db).all(), editing: priority)
            try await priority.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown(priority.$objective.id), notice: "Your changes to “\(priority.name)” were saved.")
        } redraw: { priority, state in
            try await formPage(req, try await priorityForm(priority, state: state, req))
        }
    }

    @Sendable static func archivePriority(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let priority = try await findPriority(req)
        return try await change(
            req, priority.$objective.id,
            done: "“\(priority.name)” was archived: new projects are no longer offered it; projects serving it keep it."
        ) {
            try await priority.archive(by: policy.viewer.actor, on: req.db)
        }
    }

    @Sendable static func restorePriority(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStrategy)
        let priority = try await findPriority(req)
        return try await change(req, priority.$objective.id, done: "“\(priority.name)” was restored.") {
            try await priority.restore(by: policy.viewer.actor, on: req.db)
        }
    }

    // MARK: Finding and drawing

    static func findObjective(_ req: Request) async throws -> StrategicObjective {
        guard let objective = try await StrategicObjective.find(try req.idParameter("objectiveID"), on: req.db) else {
            throw NotFound("strategic objective")
        }
        return objective
    }

    static func findPriority(_ req: Request) async throws -> Priority {
        guard let priority = try await Priority.find(try req.idParameter("priorityID"), on: req.db) else {
            throw NotFound("priority")
        }
        return priority
    }

    /// The strategy page, opened at the objective's section.
    private static func shown(_ objectiveID: UUID?) -> String {
        SiteURL.strategy(.show).relativeURL() + (objectiveID.map { "#objective-\($0.uuidString)" } ?? "")
    }

    /// Archives or restores, then back to the strategy with what was done, or with why not.
    private static func change(
        _ req: Request, _ objectiveID: UUID?, done: String, _ body: () async throws -> Void
    ) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: shown(objectiveID), notice: done)
        } catch let failure as ValidationFailure {
            return req.redirect(to: shown(objectiveID), notice: failure.reason)
        }
    }

    private static func objectiveForm(_ objective: StrategicObjective, state: FormState, _ req: Request)
        async throws -> StrategyForm.Model
    {
        // After an edit conflict the objective is read afresh: its measures with it, so that one
        // no longer offered is still shown, ticked, and saving again keeps it.
        if objective.$measures.value == nil { try await objective.$measures.load(on: req.db) }
        let linked = objective.measures.compactMap(\.id)
        return .init(
            subject: .objective, editingID: objective.id, editingName: objective.name, form: state,
            measureOptions: try await measureOptions(keeping: linked, on: req.db))
    }

    /// The measures an objective may be tracked by: the organisation's own (those of a unit at the
    /// top of the tree, where the board's Whole System Measures are kept), in use, and any it is
    /// tracked by already.
    private static func trackable(keeping kept: [UUID], on db: any Database) async throws -> [Measure] {
        let organisations = try await Unit.query(on: db).filter(\.$kind == .organisation).all().compactMap(\.id)
        return try await Measure.query(on: db).group(.or) { either in
            either.group(.and) {
                $0.filter(\.$unit.$id ~~ organisations).filter(\.$project.$id == nil).filter(\.$archivedAt == nil)
            }
            either.filter(\.$id ~~ kept)
        }.sort(\.$name).all()
    }

    static func offeredMeasures(keeping kept: [UUID], on db: any Database) async throws -> Set<UUID> {
        Set(try await trackable(keeping: kept, on: db).compactMap(\.id))
    }

    private static func measureOptions(keeping kept: [UUID] = [], on db: any Database) async throws
        -> [FormField.Option]
    {
        try await trackable(keeping: kept, on: db).map { .init(value: try $0.requireID().uuidString, label: $0.name) }
    }

    private static func priorityForm(_ priority: Priority, state: FormState, _ req: Request) async throws
        -> StrategyForm.Model
    {
        .init(
            subject: .priority, editingID: priority.id, editingName: priority.name, form: state,
            objectiveOptions: try await objectiveOptions(keeping: priority.$objective.id, on: req.db))
    }

    /// The objectives in use, and the one a priority is filed under even if archived.
    private static func objectiveOptions(keeping kept: UUID?, on db: any Database) async throws
        -> [FormField.Option]
    {
        try await StrategicObjective.query(on: db).sort(\.$name).all()
            .filter { !$0.isArchived || $0.id == kept }
            .map { .init(value: try $0.requireID().uuidString, label: $0.name + ($0.isArchived ? " (archived)" : "")) }
    }

    private static func formPage(_ req: Request, _ model: StrategyForm.Model) async throws -> Response {
        StrategyForm.View(context: try await req.pageContext(), model: model).response()
    }
}

extension ObjectiveInput: VersionedInput {
    /// The objective as its form shows it, with its measures where they were read with it.
    init(_ objective: StrategicObjective) {
        self.init(
            name: objective.name, description: objective.summary,
            measure_ids: objective.$measures.value?.compactMap { $0.id?.uuidString }, archived: nil,
            version: objective.version)
    }

    static let labels: [(field: String, label: String)] = [("name", "Name"), ("description", "Description")]
}

extension PriorityInput: VersionedInput {
    init(_ priority: Priority) {
        self.init(
            name: priority.name, description: priority.summary, objective_id: priority.$objective.id?.uuidString,
            version: priority.version)
    }

    static let labels: [(field: String, label: String)] = [
        ("name", "Name"), ("objective_id", "Strategic objective it serves"), ("description", "Description"),
    ]
}
