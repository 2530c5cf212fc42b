import Fluent
import Foundation
import Vapor

/// Courses and their cohorts: everyone reads them; whoever runs the training adds and changes them,
/// enrols people and plans cohorts; facilitators take their cohorts' registers; anyone may enrol
/// themselves on an open cohort.
enum CourseController {
    static func register(on routes: any RoutesBuilder) {
        routes.get(SiteURL.courses(.index).pathComponents, use: index)
        routes.get(SiteURL.courses(.new).pathComponents, use: new)
        routes.post(SiteURL.courses(.create).pathComponents, use: create)
        routes.get(SiteURL.courses(.show(.key)).pathComponents, use: show)
        routes.get(SiteURL.courses(.edit(.key)).pathComponents, use: edit)
        routes.post(SiteURL.courses(.update(.key)).pathComponents, use: update)
        routes.get(SiteURL.courses(.newCohort(.key)).pathComponents, use: newCohort)
        routes.post(SiteURL.courses(.createCohort(.key)).pathComponents, use: createCohort)
        routes.get(SiteURL.cohorts(.show(.key)).pathComponents, use: CohortController.show)
        routes.get(SiteURL.cohorts(.edit(.key)).pathComponents, use: CohortController.edit)
        routes.post(SiteURL.cohorts(.update(.key)).pathComponents, use: CohortController.update)
        routes.post(SiteURL.cohorts(.enrol(.key)).pathComponents, use: CohortController.enrol)
        routes.post(SiteURL.cohorts(.enrolMe(.key)).pathComponents, use: CohortController.enrolMe)
        routes.post(
            SiteURL.cohorts(.withdraw(cohort: .key, enrolment: .key)).pathComponents, use: CohortController.withdraw)
        routes.get(
            SiteURL.cohorts(.register(cohort: .key, session: .key)).pathComponents, use: CohortController.registerForm)
        routes.post(
            SiteURL.cohorts(.register(cohort: .key, session: .key)).pathComponents, use: CohortController.takeRegister)
        routes.get(SiteURL.cohorts(.registersCSV(.key)).pathComponents, use: CohortController.registersCSV)
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await CourseIndex.Model.query(policy: policy, on: req.db)
        return CourseIndex.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await CourseShow.Model.query(try await find(req), policy: policy, on: req.db)
        return CourseShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func new(req: Request) async throws -> Response {
        _ = try await req.policy(granting: .manageCapability)
        return try await formPage(
            req, nil, state: FormState(values: ["session_count": "1", "sessions_to_complete": "1"]))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let input = try req.content.decode(CourseInput.self)
        return try await req.saveForm(typed: input.formState) {
            let draft = try input.validate(among: try await Course.query(on: req.db).all())
            let course = try await Course.create(draft, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.courses(.show(.value(try course.requireID()))).relativeURL(),
                notice: "“\(course.name)” was added. Plan its first cohort.")
        } redraw: { state in
            try await formPage(req, nil, state: state)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        _ = try await req.policy(granting: .manageCapability)
        let course = try await find(req)
        return try await formPage(req, course, state: CourseInput(course).formState)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let course = try await find(req)
        let id = try course.requireID()
        let input = try req.content.decode(CourseInput.self)
        return try await req.saveEdit(input, of: course, called: "course") { version in
            let draft = try input.validate(among: try await Course.query(on: req.db).all(), editing: id)
            try await course.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: SiteURL.courses(.show(.value(id))).relativeURL(), notice: "The course was saved.")
        } redraw: { course, state in
            try await formPage(req, course, state: state)
        }
    }

    @Sendable static func newCohort(req: Request) async throws -> Response {
        _ = try await req.policy(granting: .manageCapability)
        let course = try await find(req)
        return try await cohortFormPage(req, course, state: FormState(values: ["capacity": "40"]))
    }

    @Sendable static func createCohort(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let course = try await find(req)
        let input = try req.content.decode(CohortInput.self)
        return try await req.saveForm(typed: input.formState) {
            let facilitators = try await CohortForm.Model.facilitators(on: req.db)
            let draft = try input.validate(
                for: course,
                among: try await Cohort.query(on: req.db).filter(\.$course.$id == course.requireID()).all(),
                facilitators: Set(facilitators.compactMap { UUID(uuidString: $0.value) }))
            let cohort = try await Cohort.plan(draft, of: course, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.cohorts(.show(.value(try cohort.requireID()))).relativeURL(),
                notice: "\(cohort.name) of \(course.name) was planned. Enrol its people.")
        } redraw: { state in
            try await cohortFormPage(req, course, state: state)
        }
    }

    // MARK: Helpers

    static func find(_ req: Request) async throws -> Course {
        guard let course = try await Course.find(try req.idParameter("courseID"), on: req.db) else {
            throw NotFound("course")
        }
        return course
    }

    private static func formPage(_ req: Request, _ course: Course?, state: FormState) async throws -> Response {
        let model = CourseForm.Model(editingID: course?.id, editingName: course?.name, form: state)
        return CourseForm.View(context: try await req.pageContext(), model: model).response()
    }

    /// The cohort form: a new cohort of `course`, or `cohort` being changed.
    static func cohortFormPage(_ req: Request, _ course: Course, cohort: Cohort? = nil, state: FormState)
        async throws -> Response
    {
        let model = CohortForm.Model(
            courseID: try course.requireID(), courseName: course.name, cohortID: cohort?.id,
            cohortName: cohort?.name, sessionCount: cohort?.$sessions.value?.count ?? course.sessionCount, form: state,
            facilitatorOptions: try await CohortForm.Model.facilitators(
                keeping: cohort?.$facilitators.value?.map(\.$person.id) ?? [], on: req.db))
        return CohortForm.View(context: try await req.pageContext(), model: model).response()
    }
}

enum CohortController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        return try await page(req, try req.idParameter("cohortID"), policy: policy) { _ in }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        _ = try await req.policy(granting: .manageCapability)
        let (cohort, course) = try await editable(req)
        return try await CourseController.cohortFormPage(
            req, course, cohort: cohort, state: CohortInput(cohort).formState)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let (cohort, course) = try await editable(req)
        let id = try cohort.requireID()
        let input = try req.content.decode(CohortInput.self)
        return try await req.saveEdit(input, of: cohort, called: "cohort") { version in
            let facilitators = try await CohortForm.Model.facilitators(
                keeping: cohort.facilitators.map(\.$person.id), on: req.db)
            let draft = try input.validate(
                for: course,
                among: try await Cohort.query(on: req.db).filter(\.$course.$id == course.requireID()).all(),
                facilitators: Set(facilitators.compactMap { UUID(uuidString: $0.value) }), editing: id,
                sessionCount: cohort.sessions.count,
                days: Set(cohort.sessions.map { CalendarDay(containing: $0.heldOn) }))
            try await cohort.update(
                with: draft, course: course, expecting: version, today: AppClock.today, by: policy.viewer.actor,
                on: req.db)
            return req.redirect(to: SiteURL.cohorts(.show(.value(id))).relativeURL(), notice: "The cohort was saved.")
        } redraw: { saved, state in
            try await CourseController.cohortFormPage(req, course, cohort: saved, state: state)
        }
    }

    /// The cohort of the path with its sessions and facilitators, and its course.
    private static func editable(_ req: Request) async throws -> (Cohort, Course) {
        guard
            let cohort = try await Cohort.query(on: req.db).filter(\.$id == req.idParameter("cohortID"))
                .with(\.$sessions).with(\.$facilitators).with(\.$course).first()
        else { throw NotFound("cohort") }
        return (cohort, cohort.course)
    }

    /// Every line of the cohort's registers, in the columns the attendance import reads: for
    /// those who take its registers, since it names people by their emails.
    @Sendable static func registersCSV(req: Request) async throws -> Response {
        let (cohort, _, _) = try await registrable(req)
        let export = try await RegisterExport.csv(cohortID: try cohort.requireID(), on: req.db)
        return .csv(export.csv, filename: export.filename)
    }

    /// Who to enrol: `person_id` once chosen, or `person`, a name or email to look for; and, for a
    /// course that asks for one, `project_id` once chosen from their approved projects.
    struct EnrolInput: Content {
        var person_id: String?
        var person: String?
        var project_id: String?
    }

    @Sendable static func enrol(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let (cohort, course) = try await find(req)
        let id = try cohort.requireID()
        let input = try req.content.decode(EnrolInput.self)
        var people: [FormField.Option] = []
        var projects: [FormField.Option] = []
        let typed = FormState(values: [
            "person_id": input.person_id ?? "", "person": input.person ?? "", "project_id": input.project_id ?? "",
        ])
        return try await req.saveForm(typed: typed) {
            var validator = Validator()
            let personID: UUID?
            let already = try await Enrolment.query(on: req.db).filter(\.$cohort.$id == id)
                .filter(\.$status != .withdrawn).all().map(\.$person.id)
            (personID, people) = try await PersonCandidates.pick(
                chosen: input.person_id, search: input.person, validator: &validator
            ) {
                try await PersonCandidates.find(
                    $0, near: nil, excluding: Set(already), already: "on \(cohort.name)", policy: policy, on: req.db)
            }
            try validator.check()
            guard let personID, let person = try await Person.find(personID, on: req.db) else {
                throw ValidationFailure(field: "person_id", message: "Choose a person from the list.")
            }
            var project: Project?
            if course.requiresApprovedProject {
                (project, projects) = try await approvedProject(of: person, chosen: input.project_id, on: req.db)
            }
            let enrolment = try await cohort.enrol(
                person, bringing: project, course: course, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.cohorts(.show(.value(id))).relativeURL(),
                notice: enrolment.status == .enrolled
                    ? "\(person.fullName) has a place on \(cohort.name)."
                    : "\(cohort.name) is full: \(person.fullName) is on its waiting list.")
        } redraw: { state in
            try await page(req, id, policy: policy) {
                $0.enrolForm = state
                $0.personChoices = people
                $0.projectChoices = projects
            }
        }
    }

    @Sendable static func enrolMe(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let (cohort, course) = try await find(req)
        let shown = SiteURL.cohorts(.show(.value(try cohort.requireID()))).relativeURL()
        guard let person = try await Person.find(policy.viewer.personID, on: req.db) else { throw NotFound("person") }
        do {
            let enrolment = try await cohort.enrolSelf(
                person, course: course, today: AppClock.today, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown,
                notice: enrolment.status == .enrolled
                    ? "You have a place on \(cohort.name) of \(course.name)."
                    : "\(cohort.name) is full: you are on its waiting list, and get a place if one comes free before it starts."
            )
        } catch let refusal as ValidationFailure {
            return req.redirect(to: shown, notice: refusal.reason)
        }
    }

    @Sendable static func withdraw(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let (cohort, course) = try await find(req)
        let id = try cohort.requireID()
        guard
            let enrolment = try await Enrolment.query(on: req.db).filter(\.$id == req.idParameter("enrolmentID"))
                .filter(\.$cohort.$id == id).filter(\.$status != .withdrawn).with(\.$person).first()
        else { throw NotFound("enrolment") }
        do {
            let promoted = try await cohort.withdraw(
                enrolment, course: course, today: AppClock.today, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.cohorts(.show(.value(id))).relativeURL(),
                notice: "\(enrolment.person.fullName) was withdrawn."
                    + (promoted.map { " \($0.fullName) has their place, from the waiting list." } ?? ""))
        } catch let refusal as ValidationFailure {
            return req.redirect(to: SiteURL.cohorts(.show(.value(id))).relativeURL(), notice: refusal.reason)
        }
    }

    @Sendable static func registerForm(req: Request) async throws -> Response {
        let (cohort, _, policy) = try await registrable(req)
        let model = try await RegisterPage.Model.query(
            cohortID: try cohort.requireID(), sessionID: try req.idParameter("cohortSessionID"), policy: policy,
            on: req.db)
        return RegisterPage.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func takeRegister(req: Request) async throws -> Response {
        let (cohort, course, policy) = try await registrable(req)
        let cohortID = try cohort.requireID()
        let sessionID = try req.idParameter("cohortSessionID")
        guard
            let session = try await CohortSession.query(on: req.db).filter(\.$id == sessionID)
                .filter(\.$cohort.$id == cohortID).first()
        else { throw NotFound("session") }
        let input = try req.content.decode(RegisterInput.self)
        let shown = try await RegisterPage.Model.query(
            cohortID: cohortID, sessionID: sessionID, policy: policy, on: req.db)
        func redraw(_ state: FormState, status: HTTPResponseStatus) async throws -> Response {
            var model = shown
            model.form = state
            let page = RegisterPage.View(context: try await req.pageContext(), model: model).response()
            page.status = status
            return page
        }
        do {
            // A register begun before someone's place changed is answered as that change, before
            // its marks are read against the list as it is now.
            if let version = input.version, version != shown.version {
                throw EditConflict(saved: cohort)
            }
            return try await req.saveForm(typed: input.formState) {
                let marks = try input.validate(lines: Set(shown.lines.map(\.enrolmentID)))
                guard let version = input.version else { throw ValidationFailure.versionMissing(of: "register") }
                try await cohort.takeRegister(
                    of: session, marks: marks, course: course, today: AppClock.today, expecting: version,
                    by: policy.viewer.actor, on: req.db)
                return req.redirect(
                    to: SiteURL.cohorts(.show(.value(cohortID))).relativeURL(),
                    notice: "The register of session \(session.number) was saved.")
            } redraw: { state in
                try await redraw(state, status: .unprocessableEntity)
            }
        } catch is EditConflict<Cohort> {
            var state = input.formState
            state.values["version"] = String(shown.version)
            state.errors = [
                FieldError(
                    field: "marks",
                    message:
                        "Someone changed this cohort (its places or a register) after you opened the register. Your marks are kept below: check them against the list as it is now and save again."
                )
            ]
            return try await redraw(state, status: .conflict)
        }
    }

    // MARK: Helpers

    static func find(_ req: Request) async throws -> (Cohort, Course) {
        guard
            let cohort = try await Cohort.query(on: req.db).filter(\.$id == req.idParameter("cohortID"))
                .with(\.$course).first()
        else { throw NotFound("cohort") }
        return (cohort, cohort.course)
    }

    /// The cohort, when the viewer may take its registers.
    private static func registrable(_ req: Request) async throws -> (Cohort, Course, Policy) {
        let policy = try await req.policy()
        let (cohort, course) = try await find(req)
        let facilitators = try await CohortFacilitator.query(on: req.db).filter(\.$cohort.$id == cohort.requireID())
            .all().map(\.$person.id)
        try policy.require(.takeRegisters(facilitatorIDs: Set(facilitators)))
        return (cohort, course, policy)
    }

    /// The approved project a person brings: the one chosen, or their only one. Refuses with the
    /// reason when they have none, and offers their projects when they have several.
    private static func approvedProject(of person: Person, chosen: String?, on db: any Database) async throws
        -> (Project?, [FormField.Option])
    {
        let personID = try person.requireID()
        let onTeams = try await TeamMember.query(on: db).filter(\.$person.$id == personID).all().map(\.$project.id)
        let projects = try await Project.query(on: db).group(.or) { either in
            either.filter(\.$id ~~ onTeams).filter(\.$proposer.$id == personID)
        }.filter(\.$status ~~ [.approved, .active]).sort(\.$title).all()
        let options = projects.compactMap { project in
            project.id.map { FormField.Option(value: $0.uuidString, label: project.title) }
        }
        if let chosen, !chosen.isEmpty {
            guard let project = projects.first(where: { $0.id?.uuidString == chosen }) else {
                throw ValidationFailure(
                    field: "project_id", message: "Choose one of \(person.fullName)’s approved projects from the list.")
            }
            return (project, options)
        }
        switch projects.count {
        case 0:
            throw ValidationFailure(
                field: "person",
                message:
                    "\(person.fullName) is on the team of no project a forum has approved. This course takes people bringing one: enrol them once their forum approves it."
            )
        case 1: return (projects[0], options)
        default:
            throw ValidationFailure(
                field: "project_id",
                message: "\(person.fullName) is on several approved projects: choose the one they bring.")
        }
    }

    private static func page(_ req: Request, _ id: UUID, policy: Policy, _ adjust: (inout CohortShow.Model) -> Void)
        async throws -> Response
    {
        var model = try await CohortShow.Model.query(id: id, policy: policy, today: AppClock.today, on: req.db)
        adjust(&model)
        return CohortShow.View(context: try await req.pageContext(), model: model).response()
    }
}
