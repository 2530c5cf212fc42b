import Fluent
import Foundation
import Plot

/// One learning session: when and where, its agenda, and its register: who came from each team,
/// and what each team will test in the action period until the next session.
enum LearningSessionPage {
    struct Team: Sendable, Equatable {
        let id: UUID
        let title: String
        let unitPath: String
        /// The team's members, who may be marked as coming.
        let members: [FormField.Option]
        /// Who came, by name.
        let came: [String]
        let plan: String?
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var programmeID: UUID
        var programmeName: String
        /// Its place among the programme's sessions, by date.
        var number: Int
        var heldOn: Date
        var place: String
        var agenda: String?
        var version: Int
        var teams: [Team]
        var canManage: Bool
        var registerForm: FormState
        var detailsForm: FormState
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Learning session \(model.number) — \(model.programmeName)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Programmes", url: SiteURL.programmes(.index).relativeURL()),
                .init(
                    label: model.programmeName,
                    url: SiteURL.programmes(.show(.value(model.programmeID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            let came = model.teams.filter { !$0.came.isEmpty }
            let people = came.reduce(0) { $0 + $1.came.count }
            return .group(
                .h1(.text("Learning session \(model.number)"), .span(.class("tag"), .text(model.programmeName))),
                .dl(
                    .class("details"),
                    .dt(.text("Held on")), .dd(.text(CalendarDay.label(model.heldOn))),
                    .dt(.text("Place")), .dd(.text(model.place)),
                    .dt(.text("Came")),
                    .dd(
                        .text(
                            "\(people) \(people == 1 ? "person" : "people") from \(came.count) of \(model.teams.count) teams"
                        ))),
                .section(
                    .id("agenda"), .h2(.text("Agenda")),
                    .unwrap(
                        model.agenda, { .p(.class("story-body"), .text($0)) },
                        else: .p(.class("empty"), .text("No agenda yet.")))),
                model.canManage ? registerForm() : registerTable(),
                .if(
                    model.canManage,
                    FormView(
                        action: SiteURL.learningSessions(.update(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken, state: model.detailsForm, fields: Self.detailFields,
                        submitLabel: "Save changes", hiddenFields: ["version": String(model.version)],
                        anchor: "session-details"
                    ).disclosed("Change the day, place or agenda"))
            )
        }

        /// The fields of a session's day, place and agenda, when planning one and when changing it.
        static let detailFields = [
            FormField(name: "held_on", label: "Held on", control: .date, isRequired: true),
            FormField(
                name: "place", label: "Place", hint: "For example “Trust headquarters, room 4”.", isRequired: true),
            FormField(
                name: "agenda", label: "Agenda", control: .textarea(rows: 5),
                hint: "What the teams will share and learn: talks, storyboards, time to plan."),
        ]

        private func registerForm() -> Node<HTML.BodyContext> {
            .section(
                .id("register"), .h2(.text("Register and plans")),
                model.teams.isEmpty
                    ? .p(.class("empty"), .text("No team has joined the programme yet."))
                    : FormView(
                        action: SiteURL.learningSessions(.register(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken, state: model.registerForm,
                        fields: model.teams.flatMap { team in
                            [
                                FormField(
                                    name: LearningSessionRegisterInput.attendanceField(team.id.uuidString),
                                    label: "Who came from \(team.title)", control: .checkboxes(team.members),
                                    hint: team.unitPath),
                                FormField(
                                    name: LearningSessionRegisterInput.planField(team.id.uuidString),
                                    label: "\(team.title): what it will test before the next session",
                                    control: .textarea(rows: 2)),
                            ]
                        }, submitLabel: "Save the register", hiddenFields: ["version": String(model.version)],
                        anchor: "register-form"
                    ).node)
        }

        private func registerTable() -> Node<HTML.BodyContext> {
            .section(
                .id("register"), .h2(.text("Register and plans")),
                .scrollingTable(
                    .caption(.class("visually-hidden"), .text("Who came from each team, and its plan")),
                    .thead(
                        .tr(
                            .th(.scope("col"), .text("Team")), .th(.scope("col"), .text("Who came")),
                            .th(.scope("col"), .text("Will test before the next session")))),
                    .tbody(
                        .forEach(model.teams) { team in
                            .tr(
                                .th(
                                    .scope("row"),
                                    .a(.href(SiteURL.projects(.show(.value(team.id))).relativeURL()), .text(team.title))
                                ),
                                .td(.text(team.came.isEmpty ? "Nobody" : team.came.joined(separator: ", "))),
                                .td(.text(team.plan ?? "")))
                        })))
        }
    }
}

extension LearningSessionPage.Model {
    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard
            let session = try await LearningSession.query(on: db).filter(\.$id == id)
                .with(\.$programme, { $0.with(\.$people) }).with(\.$attendance, { $0.with(\.$person) }).with(\.$plans)
                .first()
        else { throw NotFound("learning session") }
        let programme = session.programme
        // Counted here rather than by the database, which may keep a day as a number and compare a
        // text to it.
        let earlier = try await LearningSession.query(on: db).filter(\.$programme.$id == programme.requireID())
            .all().filter { $0.heldOn < session.heldOn }.count
        let teams = try await Project.query(on: db).filter(\.$programme.$id == programme.requireID())
            .filter(\.$status ~~ ProgrammeShow.Model.joined).with(\.$team) { $0.with(\.$person) }.sort(\.$title).all()
        let attendance = Dictionary(grouping: session.attendance, by: \.$team.id)
        let came = attendance.mapValues { Set($0.map(\.$person.id)) }
        let plans = Dictionary(session.plans.map { ($0.$team.id, $0.plan) }) { first, _ in first }
        let rows = try teams.map { team in
            let id = try team.requireID()
            let members = team.team.sorted { $0.person.fullName < $1.person.fullName }
            return LearningSessionPage.Team(
                id: id, title: team.title, unitPath: policy.tree.path(of: team.$unit.id),
                members: members.map { .init(value: $0.$person.id.uuidString, label: $0.person.fullName) },
                // Everyone who came, members since or not.
                came: (attendance[id] ?? []).map(\.person.fullName).sorted(),
                plan: plans[id])
        }
        let register = LearningSessionRegisterInput(
            attended: Dictionary(uniqueKeysWithValues: came.map { ($0.key.uuidString, $0.value.map(\.uuidString)) }),
            plans: Dictionary(uniqueKeysWithValues: plans.map { ($0.key.uuidString, $0.value) }))
        return .init(
            id: id, programmeID: try programme.requireID(), programmeName: programme.name, number: earlier + 1,
            heldOn: session.heldOn, place: session.place, agenda: session.agenda, version: session.version,
            teams: rows, canManage: policy.allows(.manageProgramme(programme.access)),
            registerForm: register.formState, detailsForm: LearningSessionInput(session).formState)
    }
}
