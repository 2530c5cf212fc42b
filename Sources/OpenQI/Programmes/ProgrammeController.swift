import Fluent
import Foundation
import Vapor

/// The programmes' pages: list and read them; for those who manage one, start and edit it, add and
/// remove its people, and record its stage decisions.
enum ProgrammeController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await ProgrammeIndex.Model.query(policy: policy, on: req.db)
        return ProgrammeIndex.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        return try await page(req, try req.idParameter("programmeID"), policy: policy) { _ in }
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .startProgrammes)
        let choices = try await ProgrammeChoices.query(for: nil, policy: policy, on: req.db)
        // The unit chosen for them when there is only one they may choose.
        let unit = choices.units.count == 1 ? choices.units[0].value : ""
        return try await formPage(req, nil, state: FormState(values: ["unit_id": unit]), choices: choices)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .startProgrammes)
        let input = try req.content.decode(ProgrammeInput.self)
        let choices = try await ProgrammeChoices.query(for: nil, policy: policy, on: req.db)
        try requireMayRun(from: input.unit_id, policy: policy)
        return try await req.saveForm(typed: input.formState) {
            let draft = try input.validate(among: try await Programme.query(on: req.db).all(), choices: choices)
            let programme = try await Programme.create(draft, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown(try programme.requireID()),
                notice: "“\(programme.name)” was started. Add its lead and executive sponsor under People.")
        } redraw: { state in
            try await formPage(req, nil, state: state, choices: choices)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let (programme, policy) = try await manageable(req)
        let choices = try await ProgrammeChoices.query(for: programme, policy: policy, on: req.db)
        return try await formPage(req, programme, state: ProgrammeInput(programme).formState, choices: choices)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (programme, policy) = try await manageable(req)
        let input = try req.content.decode(ProgrammeInput.self)
        let choices = try await ProgrammeChoices.query(for: programme, policy: policy, on: req.db)
        let id = try programme.requireID()
        if input.unit_id != programme.$unit.id.uuidString { try requireMayRun(from: input.unit_id, policy: policy) }
        return try await req.saveEdit(input, of: programme, called: "programme") { saved in
            ["unit_id": policy.tree.path(of: saved.$unit.id)]
        } save: { version in
            let draft = try input.validate(
                among: try await Programme.query(on: req.db).all(), choices: choices, editing: id)
            try await programme.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown(id), notice: "Your changes to “\(programme.name)” were saved.")
        } redraw: { programme, state in
            try await programme.$measures.load(on: req.db)
            return try await formPage(req, programme, state: state, choices: choices)
        }
    }

    @Sendable static func addPerson(req: Request) async throws -> Response {
        let (programme, policy) = try await manageable(req)
        let id = try programme.requireID()
        let input = try req.content.decode(ProgrammePersonInput.self)
        var choices: [FormField.Option] = []
        return try await req.saveForm(typed: input.formState) {
            var validator = Validator()
            let role = validator.choice(
                input.role, field: "role", label: "their role in the programme", as: ProgrammeRole.self)
            let personID: UUID?
            (personID, choices) = try await PersonCandidates.pick(
                chosen: input.person_id, search: input.person, validator: &validator
            ) { search in
                // Those who already hold the role are left out: nobody holds one twice.
                try await PersonCandidates.find(
                    search, near: programme.$unit.id,
                    excluding: Set(programme.people.filter { $0.role == role }.map(\.$person.id)),
                    already: role?.label.lowercased() ?? "in the programme", policy: policy, on: req.db)
            }
            try validator.check()
            guard let personID, let role, let person = try await Person.find(personID, on: req.db) else {
                throw ValidationFailure(
                    field: "person_id", message: "Choose a person from the list; this one does not exist.")
            }
            try await programme.add(person, as: role, tree: policy.tree, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown(id) + "#people",
                notice: "\(person.fullName) joined “\(programme.name)” as \(role.label.lowercased()).")
        } redraw: { state in
            try await page(req, id, policy: policy) {
                $0.personForm = state
                $0.personChoices = choices
            }
        }
    }

    @Sendable static func removePerson(req: Request) async throws -> Response {
        let (programme, policy) = try await manageable(req)
        guard let member = programme.people.first(where: { $0.id == (try? req.idParameter("programmeMemberID")) })
        else {
            throw Abort(.notFound, reason: "This person no longer has this role in the programme.")
        }
        let name = try await programme.remove(member, by: policy.viewer.actor, on: req.db)
        return req.redirect(
            to: shown(try programme.requireID()) + "#people",
            notice: "\(name) is no longer \(member.role.label.lowercased()) of “\(programme.name)”.")
    }

    @Sendable static func moveStage(req: Request) async throws -> Response {
        let (programme, policy) = try await manageable(req)
        let id = try programme.requireID()
        let input = try req.content.decode(ProgrammeStageInput.self)
        return try await req.saveForm(typed: input.formState) {
            let decision = try input.validate(today: AppClock.now)
            guard let version = input.version else { throw ValidationFailure.versionMissing(of: "programme") }
            do {
                try await programme.move(
                    decision, decidedBy: policy.viewer.personID, expecting: version, by: policy.viewer.actor,
                    on: req.db)
            } catch is EditConflict<Programme> {
                throw ValidationFailure(
                    field: "stage",
                    message:
                        "Someone changed the programme after you opened this page. It is shown as it is now: check its stage, then record the decision again."
                )
            }
            return req.redirect(
                to: shown(id) + "#stages", notice: "“\(programme.name)” moved to \(decision.stage.label.lowercased()).")
        } redraw: { state in
            var state = state
            // The page is drawn as the programme now is, and a decision sent again is made on that.
            state.values["version"] = nil
            return try await page(req, id, policy: policy) { $0.stageForm = state }
        }
    }

    @Sendable static func planSession(req: Request) async throws -> Response {
        let (programme, policy) = try await manageable(req)
        let id = try programme.requireID()
        let input = try req.content.decode(LearningSessionInput.self)
        return try await req.saveForm(typed: input.formState) {
            let session = try await programme.planSession(try input.validate(), by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.learningSessions(.show(.value(try session.requireID()))).relativeURL(),
                notice:
                    "The learning session on \(CalendarDay.label(session.heldOn)) was planned. Its register is below.")
        } redraw: { state in
            try await page(req, id, policy: policy) { $0.sessionForm = state }
        }
    }

    // MARK: Helpers

    static func find(_ req: Request) async throws -> Programme {
        guard
            let programme = try await Programme.query(on: req.db).filter(\.$id == req.idParameter("programmeID"))
                .with(\.$people).first()
        else { throw NotFound("programme") }
        return programme
    }

    /// The programme the request names, with the policy, when the viewer may manage it.
    static func manageable(_ req: Request) async throws -> (Programme, Policy) {
        let policy = try await req.policy()
        let programme = try await find(req)
        try policy.require(.manageProgramme(programme.access))
        try await programme.$measures.load(on: req.db)
        return (programme, policy)
    }

    /// A programme is run from a unit whose programmes the viewer manages: one named that they may
    /// not is refused outright (the form never offers it); anything else is for validation to name.
    private static func requireMayRun(from unit: String?, policy: Policy) throws {
        guard let id = unit.flatMap(UUID.init(uuidString:)), policy.tree.nodes[id] != nil else { return }
        try policy.require(.manageProgrammes(in: id))
    }

    private static func shown(_ id: UUID) -> String { SiteURL.programmes(.show(.value(id))).relativeURL() }

    private static func page(
        _ req: Request, _ id: UUID, policy: Policy, change: (inout ProgrammeShow.Model) -> Void
    ) async throws -> Response {
        var model = try await ProgrammeShow.Model.query(id: id, policy: policy, on: req.db)
        change(&model)
        return ProgrammeShow.View(context: try await req.pageContext(), model: model).response()
    }

    private static func formPage(_ req: Request, _ programme: Programme?, state: FormState, choices: ProgrammeChoices)
        async throws -> Response
    {
        let model = ProgrammeForm.Model(
            editingID: programme?.id, editingName: programme?.name, form: state, unitOptions: choices.units,
            priorityOptions: choices.priorityOptions, measureOptions: choices.measures)
        return ProgrammeForm.View(context: try await req.pageContext(), model: model).response()
    }
}
