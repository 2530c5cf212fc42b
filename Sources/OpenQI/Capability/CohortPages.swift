import Fluent
import Foundation
import Plot

/// The form that plans a cohort of a course: its name, places, a day and place for each of the
/// course's sessions, and who facilitates.
enum CohortForm {
    struct Model: Sendable, Equatable {
        var courseID: UUID
        var courseName: String
        /// The cohort being changed; nil for a new one.
        var cohortID: UUID? = nil
        var cohortName: String? = nil
        var sessionCount: Int
        var form: FormState
        /// People who may facilitate: the organisation's improvement advisors, coaches, QI team and capability leads.
        var facilitatorOptions: [FormField.Option]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String {
            model.cohortName.map { "Change \($0) of \(model.courseName)" } ?? "Plan a cohort of \(model.courseName)"
        }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Courses", url: SiteURL.courses(.index).relativeURL()),
                .init(label: model.courseName, url: SiteURL.courses(.show(.value(model.courseID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            let sessions = (1...max(model.sessionCount, 1)).flatMap { number in
                [
                    FormField(
                        name: CohortInput.dayField(number), label: "Session \(number): day", control: .date,
                        isRequired: true),
                    FormField(
                        name: CohortInput.placeField(number), label: "Session \(number): place",
                        hint: number == 1 ? "For example “Robert Dolan House, Mile End”." : nil, isRequired: true),
                ]
            }
            return FormView(
                action: model.cohortID.map { SiteURL.cohorts(.update(.value($0))).relativeURL() }
                    ?? SiteURL.courses(.createCohort(.value(model.courseID))).relativeURL(),
                csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(
                        name: "name", label: "Name", hint: "For example “Wave 9” or “March, Mile End”.",
                        isRequired: true),
                    FormField(
                        name: "capacity", label: "Places", control: .number,
                        hint: "When they are taken, people join a waiting list.", isRequired: true),
                    FormField(
                        name: "open_to_self_enrolment", label: "Enrolment",
                        control: .checkboxes([
                            .init(value: "yes", label: "Open: people may enrol themselves until the first session")
                        ])),
                ] + sessions + [
                    FormField(
                        name: "facilitator_ids", label: "Facilitators",
                        control: .checkboxes(model.facilitatorOptions),
                        hint: "They take the cohort’s registers. Improvement advisors deliver Pocket QI.")
                ],
                submitLabel: model.cohortID == nil ? "Plan the cohort" : "Save the cohort",
                cancelURL: model.cohortID.map { SiteURL.cohorts(.show(.value($0))).relativeURL() }
                    ?? SiteURL.courses(.show(.value(model.courseID))).relativeURL(), anchor: "cohort-form"
            ).page(pageTitle())
        }
    }
}

extension CohortForm.Model {
    /// Who may facilitate a cohort: anyone holding a role that teaches improvement, anywhere, and
    /// those facilitating it already (`keeping`), who stay choosable should their role have ended.
    static func facilitators(keeping current: [UUID] = [], on db: any Database) async throws -> [FormField.Option] {
        let grants = try await RoleGrant.query(on: db)
            .filter(\.$role ~~ [.improvementAdvisor, .coach, .qiTeam, .capabilityLead]).with(\.$person).all()
        var byID = Dictionary(grants.map { ($0.$person.id, $0.person) }) { first, _ in first }
        if !current.isEmpty {
            for person in try await Person.query(on: db).filter(\.$id ~~ current).all() {
                if let id = person.id { byID[id] = person }
            }
        }
        let people = byID.values.filter { !$0.isArchived || current.contains($0.id ?? UUID()) }
            .sorted { $0.fullName < $1.fullName }
        return people.compactMap { person in person.id.map { .init(value: $0.uuidString, label: person.fullName) } }
    }
}

/// A cohort: its sessions and registers, who has a place and who waits, and enrolment.
enum CohortShow {
    struct Session: Sendable, Equatable {
        let id: UUID
        let number: Int
        let day: CalendarDay
        let place: String
        let isHeld: Bool
        /// How many the register marks as attending, once it has been taken.
        let attended: Int?
    }

    struct Learner: Sendable, Equatable {
        let enrolmentID: UUID
        let personID: UUID
        let name: String
        /// Their kind and unit: "Service user, Trust › Adult Mental Health".
        let about: String
        let project: PageContext.Link?
        /// Sessions attended, of those whose registers were taken.
        let attended: Int
        let completedOn: CalendarDay?
        /// Having completed a coaching course, the unit the viewer may make them a coach at (their
        /// own), when they are not one there yet.
        var coachAt: UUID? = nil
        /// A completion stays (`Cohort.withdraw` refuses it): only someone yet to complete may go.
        var mayWithdraw: Bool { completedOn == nil }
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var courseID: UUID
        var courseName: String
        var name: String
        var capacity: Int
        var rule: String
        var isOpen: Bool
        var requiresProject: Bool
        var sessions: [Session]
        var facilitators: [String]
        var enrolled: [Learner]
        var waiting: [Learner]
        var canManage: Bool
        var canTakeRegisters: Bool
        /// The viewer may enrol themselves: the cohort is open, has not started, and they are not on it.
        var canEnrolSelf: Bool
        var enrolForm = FormState()
        /// The people a search found, for the form to ask which was meant.
        var personChoices: [FormField.Option] = []
        /// The person's approved projects, when the course asks for one and they have several.
        var projectChoices: [FormField.Option] = []
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "\(model.courseName) — \(model.name)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Courses", url: SiteURL.courses(.index).relativeURL()),
                .init(label: model.courseName, url: SiteURL.courses(.show(.value(model.courseID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(
                        .text(model.name), .span(.class("tag"), .text(model.courseName)),
                        .if(model.isOpen, .span(.class("tag"), .text("Open to enrol")))),
                    .if(
                        model.canEnrolSelf,
                        .postButton(
                            "Enrol me", to: SiteURL.cohorts(.enrolMe(.value(model.id))).relativeURL(),
                            csrfToken: context.csrfToken, style: "button")),
                    .if(
                        model.canManage,
                        .a(
                            .class("button secondary"), .href(SiteURL.cohorts(.edit(.value(model.id))).relativeURL()),
                            .text("Change the cohort")))),
                .dl(
                    .class("details"),
                    .dt(.text("Places")),
                    .dd(
                        .text(
                            "\(model.enrolled.count) of \(model.capacity) taken"
                                + (model.waiting.isEmpty ? "" : "; \(model.waiting.count) waiting"))),
                    .dt(.text("To complete it")), .dd(.text(model.rule)),
                    .dt(.text("Facilitators")),
                    .dd(.text(model.facilitators.isEmpty ? "None named" : model.facilitators.joined(separator: ", ")))),
                sessionsSection(),
                learnersSection(),
                .if(model.canManage, enrolSection())
            )
        }

        private func sessionsSection() -> Node<HTML.BodyContext> {
            .section(
                .h2(.text("Sessions")),
                .scrollingTable(
                    .caption(.class("visually-hidden"), .text("The cohort’s sessions and their registers")),
                    .thead(
                        .tr(
                            .th(.scope("col"), .text("Session")), .th(.scope("col"), .text("Day")),
                            .th(.scope("col"), .text("Place")), .th(.scope("col"), .text("Register")))),
                    .tbody(
                        .forEach(model.sessions) { session in
                            .tr(
                                .th(.scope("row"), .text(String(session.number))), .td(.text(session.day.label)),
                                .td(.text(session.place)), .td(registerCell(session)))
                        })),
                .if(
                    model.canTakeRegisters,
                    .p(
                        .a(
                            .href(SiteURL.cohorts(.registersCSV(.value(model.id))).relativeURL()),
                            .text("Download the registers as CSV")))))
        }

        private func registerCell(_ session: Session) -> Node<HTML.BodyContext> {
            let url = SiteURL.cohorts(.register(cohort: .value(model.id), session: .value(session.id))).relativeURL()
            let held = session.isHeld
            let summary = session.attended.map { "\($0) attended" }
            guard model.canTakeRegisters, held else { return .text(summary ?? (held ? "Not taken" : "Not yet held")) }
            return .group(
                .unwrap(summary) { .text("\($0) · ") },
                .a(.href(url), .text(summary == nil ? "Take the register" : "Change the register")))
        }

        private func learnersSection() -> Node<HTML.BodyContext> {
            .section(
                .h2(.text("Enrolled (\(model.enrolled.count))")),
                model.enrolled.isEmpty
                    ? .p(.class("empty"), .text("Nobody has a place yet."))
                    : learnersTable(model.enrolled, caption: "Who has a place, and how far they have got"),
                .if(
                    !model.waiting.isEmpty,
                    .group(
                        .h3(.text("Waiting list (\(model.waiting.count))")),
                        learnersTable(model.waiting, caption: "Who waits for a place, first first")))
            )
        }

        private func learnersTable(_ learners: [Learner], caption: String) -> Node<HTML.BodyContext> {
            .scrollingTable(
                .caption(.class("visually-hidden"), .text(caption)),
                .thead(
                    .tr(
                        .th(.scope("col"), .text("Person")), .th(.scope("col"), .text("Who")),
                        .if(model.requiresProject, .th(.scope("col"), .text("Project"))),
                        .th(.scope("col"), .class("number"), .text("Attended")),
                        .th(.scope("col"), .text("Completed")),
                        .if(model.canManage, .th(.scope("col"), .text("Place"))))),
                .tbody(
                    .forEach(learners) { learner in
                        .tr(
                            .th(
                                .scope("row"),
                                .a(
                                    .href(SiteURL.people(.show(.value(learner.personID))).relativeURL()),
                                    .text(learner.name))),
                            .td(.text(learner.about)),
                            .if(
                                model.requiresProject,
                                .td(.unwrap(learner.project) { .a(.href($0.url), .text($0.label)) })),
                            .td(.class("number"), .text(String(learner.attended))),
                            .td(
                                .text(learner.completedOn?.label ?? ""),
                                .unwrap(learner.coachAt) { unit in
                                    .postButton(
                                        "Make them a QI coach",
                                        to: SiteURL.people(.grantRole(.value(learner.personID))).relativeURL(),
                                        csrfToken: context.csrfToken,
                                        fields: [("role", Role.coach.rawValue), ("unit_id", unit.uuidString)])
                                }),
                            .if(
                                model.canManage,
                                .td(
                                    .if(
                                        learner.mayWithdraw,
                                        .postButton(
                                            "Withdraw",
                                            to: SiteURL.cohorts(
                                                .withdraw(
                                                    cohort: .value(model.id), enrolment: .value(learner.enrolmentID))
                                            ).relativeURL(), csrfToken: context.csrfToken)))))
                    }))
        }

        private func enrolSection() -> Node<HTML.BodyContext> {
            var fields = [
                FormField(
                    name: "person", label: "Who", control: .search,
                    hint: "Their name, unit or email: staff, service users, carers and partners’ people alike.",
                    isRequired: true)
            ]
            if !model.personChoices.isEmpty {
                fields.append(
                    FormField(
                        name: "person_id", label: "Choose who you mean", control: .radios(model.personChoices),
                        isRequired: true))
            }
            if model.requiresProject, !model.projectChoices.isEmpty {
                fields.append(
                    FormField(
                        name: "project_id", label: "Their project", control: .radios(model.projectChoices),
                        hint: "The approved project they bring.", isRequired: true))
            }
            return .section(
                .h2(.text("Enrol someone")),
                .if(
                    model.requiresProject,
                    .p(
                        .class("hint"),
                        .text(
                            "This course takes people bringing a project a forum has approved: their project is found from their team."
                        ))),
                FormView(
                    action: SiteURL.cohorts(.enrol(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                    state: model.enrolForm, fields: fields, submitLabel: "Enrol", anchor: "enrol-form"
                ).node)
        }
    }
}

extension CohortShow.Model {
    static func query(id: UUID, policy: Policy, today: CalendarDay, on db: any Database) async throws -> Self {
        guard
            let cohort = try await Cohort.query(on: db).filter(\.$id == id).with(\.$course).with(\.$sessions)
                .with(\.$facilitators, { $0.with(\.$person) })
                .with(\.$enrolments, { $0.with(\.$person).with(\.$project).with(\.$marks) }).first()
        else { throw NotFound("cohort") }
        let course = cohort.course
        let sessions = cohort.sessions.sorted { $0.number < $1.number }
        let taken = Set(sessions.filter { $0.registerTakenAt != nil }.compactMap(\.id))
        let marks = cohort.enrolments.flatMap(\.marks).filter { taken.contains($0.$session.id) }
        let attendedAt = Dictionary(grouping: marks.filter { $0.attendance == .attended }, by: \.$session.id)
            .mapValues(\.count)
        func learner(_ enrolment: Enrolment) throws -> CohortShow.Learner {
            let person = enrolment.person
            return .init(
                enrolmentID: try enrolment.requireID(), personID: try person.requireID(), name: person.fullName,
                about: person.about(in: policy.tree),
                project: enrolment.project.flatMap { project in
                    project.id.map {
                        .init(label: project.title, url: SiteURL.projects(.show(.value($0))).relativeURL())
                    }
                },
                attended: enrolment.marks.filter { $0.attendance == .attended && taken.contains($0.$session.id) }.count,
                completedOn: enrolment.completedOn.map(CalendarDay.init(containing:)))
        }
        let active = cohort.enrolments.sorted { $0.enrolledAt < $1.enrolledAt }
        var enrolled = try active.filter { $0.status == .enrolled }.map(learner).sorted { $0.name < $1.name }
        if course.level == .coach {
            // Completing the coaching programme offers the coach role where they work, to whoever
            // may grant it there.
            let coaches = try await RoleGrant.query(on: db).filter(\.$person.$id ~~ enrolled.map(\.personID))
                .filter(\.$role == .coach).all()
            // Only where the grant would be made: a record in use and approved, at a unit in use.
            let units = Dictionary(
                cohort.enrolments.filter { !$0.person.isArchived && !$0.person.awaitsApproval }
                    .map { ($0.$person.id, $0.person.$unit.id) }
            ) { first, _ in first }
            for index in enrolled.indices where enrolled[index].completedOn != nil {
                let person = enrolled[index].personID
                guard let unit = units[person] ?? nil, policy.tree.nodes[unit].map({ !$0.isArchived }) == true,
                    policy.allows(.grantRoles(at: unit)),
                    !coaches.contains(where: {
                        $0.$person.id == person && policy.tree.selfAndAncestors(of: unit).contains($0.$unit.id)
                    })
                else { continue }
                enrolled[index].coachAt = unit
            }
        }
        let waiting = try active.filter { $0.status == .waiting }.map(learner)
        let facilitatorIDs = Set(cohort.facilitators.map(\.$person.id))
        let started = sessions.first.map { CalendarDay(containing: $0.heldOn) <= today } ?? true
        let onIt = cohort.enrolments.contains { $0.$person.id == policy.viewer.personID && $0.status != .withdrawn }
        return .init(
            id: id, courseID: try course.requireID(), courseName: course.name, name: cohort.name,
            capacity: cohort.capacity,
            rule: Course.completionRule(attending: cohort.sessionsToComplete, of: sessions.count),
            isOpen: cohort.openToSelfEnrolment && !started,
            requiresProject: course.requiresApprovedProject,
            sessions: try sessions.map { session in
                let sessionID = try session.requireID()
                return .init(
                    id: sessionID, number: session.number, day: CalendarDay(containing: session.heldOn),
                    place: session.place, isHeld: CalendarDay(containing: session.heldOn) <= today,
                    attended: session.registerTakenAt == nil ? nil : attendedAt[sessionID] ?? 0)
            },
            facilitators: cohort.facilitators.map(\.person.fullName).sorted(), enrolled: enrolled, waiting: waiting,
            canManage: policy.allows(.manageCapability),
            canTakeRegisters: policy.allows(.takeRegisters(facilitatorIDs: facilitatorIDs)),
            canEnrolSelf: !onIt
                && cohort.selfEnrolmentRefusal(
                    course: course, firstDay: sessions.first.map { CalendarDay(containing: $0.heldOn) }, today: today)
                    == nil
        )
    }
}

/// A session's register: a line for each person with a place, marked attended, apologies or
/// absent. Radio buttons a line, so it is taken as easily on a phone as at a desk.
enum RegisterPage {
    struct Line: Sendable, Equatable {
        let enrolmentID: UUID
        let name: String
        let about: String
    }

    struct Model: Sendable, Equatable {
        var cohortID: UUID
        var sessionID: UUID
        var title: String
        var courseName: String
        var courseID: UUID
        var number: Int
        var day: CalendarDay
        var place: String
        var lines: [Line]
        var version: Int
        var form: FormState
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Register: session \(model.number) of \(model.title)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Courses", url: SiteURL.courses(.index).relativeURL()),
                .init(label: model.courseName, url: SiteURL.courses(.show(.value(model.courseID))).relativeURL()),
                .init(label: model.title, url: SiteURL.cohorts(.show(.value(model.cohortID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("Session \(model.number): register")),
                .p(.class("lead"), .text("\(model.day.label), \(model.place)")),
                model.lines.isEmpty
                    ? .p(.class("empty"), .text("Nobody has a place on this cohort."))
                    : FormView(
                        action: SiteURL.cohorts(
                            .register(cohort: .value(model.cohortID), session: .value(model.sessionID))
                        )
                        .relativeURL(),
                        csrfToken: context.csrfToken, state: model.form,
                        fields: model.lines.map { line in
                            FormField(
                                name: RegisterInput.markField(line.enrolmentID), label: line.name,
                                control: .radios(FormField.Option.every(Attendance.self)), hint: line.about)
                        }, submitLabel: "Save the register",
                        cancelURL: SiteURL.cohorts(.show(.value(model.cohortID))).relativeURL(),
                        anchor: "register-form"
                    ).node)
        }
    }
}

extension RegisterPage.Model {
    static func query(cohortID: UUID, sessionID: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard
            let cohort = try await Cohort.query(on: db).filter(\.$id == cohortID).with(\.$course)
                .with(\.$enrolments, { $0.with(\.$person).with(\.$marks) }).first(),
            let session = try await CohortSession.query(on: db).filter(\.$id == sessionID)
                .filter(\.$cohort.$id == cohortID).first()
        else { throw NotFound("session") }
        let enrolled = cohort.enrolments.filter { $0.status == .enrolled }.sorted {
            $0.person.fullName < $1.person.fullName
        }
        var marks: [String: String] = [:]
        for enrolment in enrolled {
            guard let id = enrolment.id, let mark = enrolment.marks.first(where: { $0.$session.id == sessionID })
            else { continue }
            marks[RegisterInput.markField(id)] = mark.attendance.rawValue
        }
        marks["version"] = String(cohort.version)
        return .init(
            cohortID: cohortID, sessionID: sessionID, title: cohort.name, courseName: cohort.course.name,
            courseID: try cohort.course.requireID(), number: session.number,
            day: CalendarDay(containing: session.heldOn), place: session.place,
            lines: try enrolled.map { enrolment in
                .init(
                    enrolmentID: try enrolment.requireID(), name: enrolment.person.fullName,
                    about: enrolment.person.about(in: policy.tree))
            }, version: cohort.version, form: FormState(values: marks))
    }
}

extension Person {
    /// What tells namesakes apart on a cohort: "Service user, Trust › Adult Mental Health".
    fileprivate func about(in tree: UnitTree) -> String {
        [kind.label, $unit.id.map { tree.path(of: $0) } ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
