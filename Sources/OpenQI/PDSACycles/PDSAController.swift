import Fluent
import Foundation
import Vapor

/// PDSA cycles: plan one on a change idea, start it (marking the watched charts), record Do and
/// Study, and Act. Cycles on one idea are numbered into its ramp.
enum PDSAController {
    @Sendable static func new(req: Request) async throws -> Response {
        let (project, _) = try await req.editableProject()
        var input = PDSAPlanInput(
            change_idea_id: req.query[String.self, at: "idea"],
            planned_start: AppClock.today.text)
        // The next cycle on a ramp starts from the last one's plan: same idea, people, place and measures.
        if let afterID = req.query[String.self, at: "after"].flatMap(UUID.init(uuidString:)),
            let previous = try await PDSACycle.query(on: req.db).filter(\.$id == afterID)
                .filter(\.$project.$id == (try project.requireID())).with(\.$watchedMeasures).first()
        {
            input = PDSAPlanInput(previous, watched: previous.watchedMeasures.compactMap(\.id))
            input.planned_start = AppClock.today.text
            input.planned_end = nil
            input.prediction = nil
            input.version = nil
        }
        return try await formPage(req, project: project, cycle: nil, state: input.formState)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let input = try req.content.decode(PDSAPlanInput.self)
        return try await req.saveForm(typed: input.formState) {
            let cycle = try await project.planCycle(
                try await validate(input, for: project, on: req.db), by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.cycles(.show(.value(try cycle.requireID()))).relativeURL(),
                notice: "PDSA \(cycle.number) is planned. Start it when the test begins.")
        } redraw: { state in
            try await formPage(req, project: project, cycle: nil, state: state)
        }
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await PDSAShow.Model.query(id: try req.idParameter("cycleID"), policy: policy, on: req.db)
        return PDSAShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func editPlan(req: Request) async throws -> Response {
        let (cycle, project, _) = try await editable(req)
        try await cycle.$watchedMeasures.load(on: req.db)
        let input = PDSAPlanInput(cycle, watched: cycle.watchedMeasures.compactMap(\.id))
        return try await formPage(req, project: project, cycle: cycle, state: input.formState)
    }

    @Sendable static func updatePlan(req: Request) async throws -> Response {
        let (cycle, project, policy) = try await editable(req)
        var input = try req.content.decode(PDSAPlanInput.self)
        input.change_idea_id = cycle.$changeIdea.id.uuidString
        return try await req.saveEdit(input, of: cycle, called: "PDSA cycle") { version in
            try await cycle.updatePlan(
                try await validate(input, for: project, on: req.db), expecting: version, project: project,
                by: policy.viewer.actor, on: req.db)
            return req.redirect(to: showURL(cycle), notice: "The plan was saved.")
        } redraw: { cycle, state in
            try await formPage(req, project: project, cycle: cycle, state: state)
        }
    }

    @Sendable static func start(req: Request) async throws -> Response {
        try await saveStep(req, form: \.startForm) { (input: PDSAStartInput, cycle, version, project, actor) in
            try await cycle.start(input, expecting: version, project: project, by: actor, on: req.db)
            let marked = !(input.annotate ?? []).isEmpty
            return req.redirect(
                to: showURL(cycle),
                notice: "PDSA \(cycle.number) has started."
                    + (marked ? " Its start is marked on the watched charts." : ""))
        }
    }

    @Sendable static func record(req: Request) async throws -> Response {
        try await saveStep(req, form: \.recordForm) { (input: PDSARecordInput, cycle, version, project, actor) in
            try await cycle.record(input, expecting: version, project: project, by: actor, on: req.db)
            return req.redirect(to: showURL(cycle) + "#study", notice: "Do and Study were saved.")
        }
    }

    @Sendable static func act(req: Request) async throws -> Response {
        try await saveStep(req, form: \.actForm) { (input: PDSAActInput, cycle, version, project, actor) in
            try await cycle.act(input, expecting: version, project: project, by: actor, on: req.db)
            return req.redirect(
                to: showURL(cycle) + "#act",
                notice: "PDSA \(cycle.number) is complete: \(cycle.decision?.shortLabel.lowercased() ?? "decided").")
        }
    }

    /// Start, Do and Study, and Act are each a form on the cycle's page: saved as an edit of the
    /// cycle, and redrawn there in `form` when they cannot be.
    private static func saveStep<Input: VersionedInput & Content>(
        _ req: Request, form: WritableKeyPath<PDSAShow.Model, FormState>,
        save: (Input, PDSACycle, _ version: Int, Project, Actor) async throws -> Response
    ) async throws -> Response where Input.Record == PDSACycle {
        let (cycle, project, policy) = try await editable(req)
        let input = try req.content.decode(Input.self)
        return try await req.saveEdit(input, of: cycle, called: "PDSA cycle") { version in
            try await save(input, cycle, version, project, policy.viewer.actor)
        } redraw: { cycle, state in
            try await cyclePage(req, cycle: cycle, policy: policy) { $0[keyPath: form] = state }
        }
    }

    /// The plan checked against this project's change ideas and measures.
    static func validate(_ input: PDSAPlanInput, for project: Project, on db: any Database) async throws
        -> PDSAPlanInput.Valid
    {
        let projectID = try project.requireID()
        let ideas = try await ChangeIdea.query(on: db).filter(\.$project.$id == projectID).all().compactMap(\.id)
        let measures = try await Measure.query(on: db).filter(\.$project.$id == projectID).all().compactMap(\.id)
        return try input.validate(ideas: Set(ideas), measures: Set(measures))
    }

    private static func editable(_ req: Request) async throws -> (PDSACycle, Project, Policy) {
        let policy = try await req.policy()
        guard
            let cycle = try await PDSACycle.query(on: req.db).filter(\.$id == (try req.idParameter("cycleID")))
                .with(\.$changeIdea).first(),
            let project = try await Project.withTeam(id: cycle.$project.id, on: req.db)
        else { throw NotFound("PDSA cycle") }
        try policy.require(.editProject(project.access))
        return (cycle, project, policy)
    }

    private static func showURL(_ cycle: PDSACycle) -> String {
        SiteURL.cycles(.show(.value(cycle.id!))).relativeURL()
    }

    private static func cyclePage(
        _ req: Request, cycle: PDSACycle, policy: Policy, change: (inout PDSAShow.Model) -> Void
    ) async throws -> Response {
        var model = try await PDSAShow.Model.query(id: try cycle.requireID(), policy: policy, on: req.db)
        change(&model)
        return PDSAShow.View(context: try await req.pageContext(), model: model).response()
    }

    private static func formPage(
        _ req: Request, project: Project, cycle: PDSACycle?, state: FormState
    ) async throws -> Response {
        let projectID = try project.requireID()
        let ideas = try await ChangeIdea.query(on: req.db).filter(\.$project.$id == projectID).sort(\.$position).all()
        let measures = try await Measure.inUse(byProject: projectID, on: req.db)
        let model = PDSAForm.Model(
            projectID: projectID, projectTitle: project.title, cycleID: cycle?.id, cycleName: cycle?.name,
            form: state,
            ideaOptions: ideas.compactMap { idea in idea.id.map { .init(value: $0.uuidString, label: idea.title) } },
            measureOptions: measures.compactMap { measure in
                measure.id.map {
                    .init(value: $0.uuidString, label: "\(measure.name) (\(measure.kind.label.lowercased()))")
                }
            })
        return PDSAForm.View(context: try await req.pageContext(), model: model).response()
    }
}
