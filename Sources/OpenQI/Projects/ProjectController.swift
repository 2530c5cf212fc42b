import Charts
import Fluent
import Foundation
import Plot
import Vapor

/// The project pages: the portfolio list, proposing and editing a project, submitting it to the
/// forum, its team, and its progress updates.
enum ProjectController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await ProjectIndex.Model.query(
            search: try req.searchFilter(),
            status: req.query[String.self, at: "status"].flatMap(ProjectStatus.init(rawValue:)),
            unitID: req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)),
            focus: .init(query: req.query), page: req.query[Int.self, at: "page"] ?? 1,
            order: req.query[String.self, at: "order"].flatMap(ProjectIndex.Order.init(rawValue:)) ?? .recent,
            policy: policy, on: req.db
        )
        return ProjectIndex.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await ProjectShow.Model.query(
            id: try req.idParameter("projectID"), policy: policy, cache: try await req.cachedResults(), on: req.db)
        return try await req.page(drawnOnceAs: ProjectShow.PageKey(model, day: AppClock.today)) {
            ProjectShow.View(context: $0, model: model)
        }
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let home = try await Person.find(policy.viewer.personID, on: req.db)?.$unit.id
        return try await formPage(req, project: nil, state: FormState(values: ["unit_id": home?.uuidString ?? ""]))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let input = try req.content.decode(ProjectInput.self)
        return try await req.saveForm(typed: input.formState) {
            let draft = try input.validate(
                in: policy.tree, priorities: try await PriorityChoices.forProject(on: req.db),
                programmes: try await ProgrammeOffer.forProject(on: req.db))
            let project = try await Project.propose(
                draft, proposer: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.projects(.show(.value(try project.requireID()))).relativeURL(),
                notice:
                    "Your proposal “\(project.title)” was saved as a draft. Add your team, then submit it to the forum."
            )
        } redraw: { state in
            try await formPage(req, project: nil, state: state)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let (project, _) = try await req.editableProject()
        try await project.$priorities.load(on: req.db)
        return try await formPage(req, project: project, state: ProjectInput(project).formState)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let input = try req.content.decode(ProjectInput.self)
        return try await req.saveEdit(input, of: project, called: "project") { saved in
            ["unit_id": policy.tree.path(of: saved.$unit.id)]
        } save: { version in
            let draft = try input.validate(
                in: policy.tree, priorities: try await PriorityChoices.forProject(project, on: req.db),
                programmes: try await ProgrammeOffer.forProject(project, on: req.db))
            try await project.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.projects(.show(.value(try project.requireID()))).relativeURL(),
                notice: "Your changes were saved.")
        } redraw: { project, state in
            try await formPage(req, project: project, state: state)
        }
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let url = SiteURL.projects(.show(.value(try project.requireID()))).relativeURL()
        do {
            try await project.submit(by: policy.viewer.actor, on: req.db)
            let forum = policy.tree.forumUnit(for: project.$unit.id)
            // A forum nobody chairs decides nothing: the proposal would wait unseen.
            let chaired =
                try await RoleGrant.query(on: req.db).filter(\.$role == .forumChair)
                .filter(\.$unit.$id ~~ policy.tree.selfAndAncestors(of: forum)).count() > 0
            return req.redirect(
                to: url,
                notice:
                    "“\(project.title)” was submitted to the \(policy.tree.path(of: forum)) forum, which decides on proposals from \(policy.tree.nodes[project.$unit.id]?.name ?? "its unit")."
                    + (chaired
                        ? ""
                        : " Nobody chairs that forum yet, so ask an administrator to grant someone the forum chair role there, or choose the unit of a forum that meets.")
            )
        } catch let failure as ValidationFailure {
            return req.redirect(to: url, notice: failure.reason)
        }
    }

    /// Who joins: `person_id` once chosen, or `person`, a name or email to look for.
    struct MemberInput: Content {
        var person_id: String?
        var person: String?
        var role: String?
        var involvement: String?
    }

    @Sendable static func addMember(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let projectID = try project.requireID()
        let input = try req.content.decode(MemberInput.self)
        var choices: [FormField.Option] = []
        let typed = FormState(values: [
            "person_id": input.person_id ?? "", "person": input.person ?? "", "role": input.role ?? "",
            "involvement": input.involvement ?? "",
        ])
        return try await req.saveForm(typed: typed) {
            var validator = Validator()
            let personID: UUID?
            (personID, choices) = try await PersonCandidates.pick(
                chosen: input.person_id, search: input.person, validator: &validator
            ) { try await PersonCandidates.find($0, for: project, policy: policy, on: req.db) }
            let role = validator.requiredText(input.role, field: "role", label: "their role on the team", maxLength: 80)
            let involvement = validator.choice(
                input.involvement, field: "involvement", label: "the involvement", as: ServiceUserInvolvement.self)
            try validator.check()
            guard let personID, let involvement, let person = try await Person.find(personID, on: req.db),
                !person.isArchived
            else {
                throw ValidationFailure(
                    field: "person_id",
                    message: "Choose a person from the list; this one is archived or does not exist.")
            }
            try await project.addMember(
                person, role: role, involvement: involvement, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.projects(.show(.value(projectID))).relativeURL() + "#team",
                notice: "\(person.fullName) joined the team.")
        } redraw: { state in
            try await projectPage(req, projectID, policy: policy) {
                $0.teamChoices = choices
                $0.teamForm = state
            }
        }
    }

    /// A lead invites a service user or carer who is not on the People list yet.
    @Sendable static func invite(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let projectID = try project.requireID()
        let input = try req.content.decode(TeamInvitationInput.self)
        return try await req.saveForm(typed: FormState(values: input.formValues)) {
            let person = try await project.invite(
                try input.validate(), invitedBy: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.projects(.show(.value(projectID))).relativeURL() + "#team",
                notice:
                    "\(person.fullName) joined the team. Their record waits for approval by someone who manages the people of \(policy.tree.path(of: project.$unit.id))."
            )
        } redraw: { state in
            try await projectPage(req, projectID, policy: policy) { $0.inviteForm = state }
        }
    }

    /// The people a search for a new team member finds, as the radio buttons the team form shows:
    /// the team picker fills them in as the lead types.
    @Sendable static func teamChoices(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let candidates = try await PersonCandidates.find(
            req.query[String.self, at: "person"] ?? "", for: project, policy: policy, on: req.db)
        let state = FormState(
            errors: candidates.refusal.map { [FieldError(field: "person_id", message: $0.message)] } ?? [])
        let html = Node<HTML.BodyContext>.formField(
            ProjectShow.View.teamChoiceField(candidates.choices), state: state, idPrefix: "add-member-field"
        ).render()
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    @Sendable static func removeMember(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let projectID = try project.requireID()
        guard let member = project.team.first(where: { $0.id == (try? req.idParameter("memberID")) }) else {
            throw Abort(.notFound, reason: "This person is no longer on the team.")
        }
        let name = try await project.removeMember(member, by: policy.viewer.actor, on: req.db)
        return req.redirect(
            to: SiteURL.projects(.show(.value(projectID))).relativeURL() + "#team", notice: "\(name) left the team.")
    }

    @Sendable static func postUpdate(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let projectID = try project.requireID()
        let input = try req.content.decode(ProgressUpdateInput.self)
        return try await req.saveForm(typed: FormState(values: input.formValues)) {
            try await project.post(
                try input.validate(), author: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.projects(.show(.value(projectID))).relativeURL() + "#updates",
                notice: "Your update was posted.")
        } redraw: { state in
            try await projectPage(req, projectID, policy: policy) { $0.updateForm = state }
        }
    }

    struct CommentInput: Content {
        var text: String?
    }

    @Sendable static func comment(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let projectID = try project.requireID()
        let input = try req.content.decode(CommentInput.self)
        return try await req.saveForm(typed: FormState(values: ["text": input.text ?? ""])) {
            try await project.comment(input.text, author: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.projects(.show(.value(projectID))).relativeURL() + "#comments",
                notice: "Your comment was added.")
        } redraw: { state in
            try await projectPage(req, projectID, policy: policy) { $0.commentForm = state }
        }
    }

    @Sendable static func close(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let projectID = try project.requireID()
        let input = try req.content.decode(ProjectClosureInput.self)
        return try await req.saveForm(typed: FormState(values: input.formValues)) {
            try await project.close(try input.validate(), by: policy.viewer.actor, on: req.db)
            let notice =
                project.status == .completed
                ? "“\(project.title)” is complete. Thank you — consider writing its story."
                : "“\(project.title)” was stopped, and its learning kept."
            return req.redirect(to: SiteURL.projects(.show(.value(projectID))).relativeURL(), notice: notice)
        } redraw: { state in
            try await projectPage(req, projectID, policy: policy) { $0.closeForm = state }
        }
    }

    /// Projects like the text typed so far, as an HTML fragment for the proposal form's side panel.
    @Sendable static func similar(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let text = req.query[String.self, at: "text"] ?? ""
        let excluded = req.query[String.self, at: "project"].flatMap(UUID.init(uuidString:))
        let similar = try await similarProjects(to: text, excluding: excluded, policy: policy, on: req.db)
        let html = similar.map {
            "<li><a href=\"\($0.url)\">\($0.title.markupEscaped)</a>"
                + "<span class=\"path\"> \($0.unitPath.markupEscaped) · \($0.status.label)</span></li>"
        }.joined()
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html.isEmpty ? "" : "<ul>\(html)</ul>"))
    }

    static func similarProjects(to text: String, excluding: UUID?, policy: Policy, on db: any Database) async throws
        -> [ProjectRow]
    {
        guard text.count >= 8 else { return [] }
        let projects = try await Project.query(on: db).filter(\.$status != .draft).all()
        let index = SimilarProjects(
            projects.compactMap { project in
                project.id.map {
                    .init(id: $0, text: "\(project.title) \(project.title) \(project.problem) \(project.aimWhat)")
                }
            })
        let byID = Dictionary(uniqueKeysWithValues: projects.compactMap { project in project.id.map { ($0, project) } })
        return index.matches(for: text, excluding: excluding).compactMap { match in
            byID[match.id].map { ProjectRow($0, id: match.id, tree: policy.tree) }
        }
    }

    /// The project's page drawn again with one of its forms changed, e.g. the update form with what
    /// was typed and its errors.
    static func projectPage(
        _ req: Request, _ projectID: UUID, policy: Policy, change: (inout ProjectShow.Model) -> Void
    ) async throws -> Response {
        var model = try await ProjectShow.Model.query(id: projectID, policy: policy, on: req.db)
        change(&model)
        return ProjectShow.View(context: try await req.pageContext(), model: model).response()
    }

    private static func formPage(
        _ req: Request, project: Project?, state: FormState
    ) async throws -> Response {
        let policy = try await req.policy()
        // Those in use, and any archived one the project serves: a box not shown could not stay
        // ticked, and saving the form would take the priority away.
        let served = Set(state.selected["priority_ids"] ?? [])
        let priorities = try await Priority.query(on: req.db).with(\.$objective).sort(\.$name).all().filter {
            !$0.isArchived || served.contains($0.id?.uuidString ?? "")
        }
        let text = [state["title"], state["problem"], state["aim_what"]].joined(separator: " ")
        let model = ProjectForm.Model(
            projectID: project?.id, projectTitle: project?.title, form: state, unitOptions: policy.tree.parentOptions(),
            priorities: priorities.compactMap { priority in
                let objective = priority.objective.map { " (\($0.name))" } ?? ""
                let archived = priority.isArchived ? ", archived" : ""
                return priority.id.map { .init(value: $0.uuidString, label: priority.name + objective + archived) }
            },
            similar: try await similarProjects(to: text, excluding: project?.id, policy: policy, on: req.db),
            programmes: try await ProgrammeOffer.forProject(project, on: req.db).options
        )
        return ProjectForm.View(context: try await req.pageContext(), model: model).response()
    }
}
