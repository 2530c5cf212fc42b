import Fluent
import Foundation
import Plot
import SQLKit

/// `/capability/coaches`: every QI coach, how many active projects they coach against what they
/// can, and when an improvement advisor last supervised them; those not supervised in the last
/// two months first.
enum CoachesPage {
    struct Row: Sendable, Equatable {
        let personID: UUID
        let name: String
        let unit: String
        let coaching: Int
        let capacity: Int
        let lastSupervised: CalendarDay?
        let isDue: Bool
        let canSupervise: Bool
        var isOverCapacity: Bool { coaching > capacity }
    }

    struct Model: Sendable, Equatable {
        var rows: [Row]
        var dueCount: Int { rows.count { $0.isDue } }
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "QI coaches" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("QI coaches")),
                .p(
                    .class("lead"),
                    .text(
                        "Coaches give two to four hours a week to one or two teams, and meet an improvement advisor each month to talk their projects through."
                    )),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("Nobody holds the QI coach role yet."))
                    : .group(
                        .p(
                            .text(
                                model.dueCount == 0
                                    ? "Every coach has been supervised in the last \(Supervision.dueAfterMonths) months."
                                    : "\(model.dueCount) of \(model.rows.count) coaches \(model.dueCount == 1 ? "has" : "have") not been supervised in the last \(Supervision.dueAfterMonths) months: they come first."
                            )),
                        .scrollingTable(
                            .class("data-table"),
                            .caption(.class("visually-hidden"), .text("QI coaches, those due a supervision first")),
                            .thead(
                                .tr(
                                    .th(.scope("col"), .text("Coach")), .th(.scope("col"), .text("Unit")),
                                    .th(.scope("col"), .class("number"), .text("Coaching")),
                                    .th(.scope("col"), .text("Last supervised")),
                                    .th(.scope("col"), .span(.class("visually-hidden"), .text("Supervision"))))),
                            .tbody(
                                .forEach(model.rows) { row in
                                    .tr(
                                        .class(row.isDue ? "due" : ""),
                                        .th(
                                            .scope("row"),
                                            .a(
                                                .href(SiteURL.people(.show(.value(row.personID))).relativeURL()),
                                                .text(row.name))),
                                        .td(.text(row.unit)),
                                        .td(
                                            .class("number"),
                                            .text("\(row.coaching) of \(row.capacity)"),
                                            .if(row.isOverCapacity, .span(.class("tag warn"), .text("Over")))),
                                        .td(
                                            .text(row.lastSupervised?.label ?? "Never"),
                                            .if(row.isDue, .span(.class("tag warn"), .text("Due")))),
                                        .td(
                                            .if(
                                                row.canSupervise,
                                                .a(
                                                    .href(
                                                        SiteURL.capability(.supervision(.value(row.personID)))
                                                            .relativeURL()),
                                                    .text("Record a supervision"),
                                                    .span(.class("visually-hidden"), .text(" of \(row.name)"))))))
                                })))
            )
        }
    }
}

extension CoachesPage.Model {
    static func query(policy: Policy, today: CalendarDay, on db: any Database) async throws -> Self {
        let tree = policy.tree
        let grants = try await RoleGrant.query(on: db).filter(\.$role == .coach).with(\.$person).all()
            .filter { !$0.person.isArchived }
        let byPerson = Dictionary(grouping: grants, by: \.$person.id)
        let ids = Array(byPerson.keys)
        let load = Dictionary(
            grouping: try await Project.query(on: db).filter(\.$status == .active).filter(\.$coach.$id ~~ ids)
                .field(\.$coach.$id).all(),
            by: { $0.$coach.id! }
        ).mapValues(\.count)
        // Each coach's latest, counted by the database: a year of monthly supervisions is many rows.
        let latest = Dictionary(
            try await db.sql.select().column("coach_id").column(
                SQLFunction("MAX", args: SQLColumn("held_on")), as: "latest"
            )
            .from(Supervision.schema).groupBy("coach_id").all()
            .map { (try $0.decode(column: "coach_id", as: UUID.self), try $0.decode(column: "latest", as: Date.self)) }
        ) { first, _ in first }
        let due = today.adding(months: -Supervision.dueAfterMonths).date
        let rows = byPerson.map { id, grants in
            let person = grants[0].person
            let last = latest[id]
            return CoachesPage.Row(
                personID: id, name: person.fullName, unit: person.$unit.id.map { tree.path(of: $0) } ?? "",
                coaching: load[id] ?? 0, capacity: person.coachingCapacity ?? Person.usualCoachingCapacity,
                lastSupervised: last.map(CalendarDay.init(containing:)), isDue: last.map { $0 < due } ?? true,
                canSupervise: policy.allows(.superviseCoach(coachID: id, grantedAt: Set(grants.map(\.$unit.id)))))
        }
        return Self(rows: rows.sorted { ($0.isDue ? 0 : 1, $0.name) < ($1.isDue ? 0 : 1, $1.name) })
    }
}

/// The form an improvement advisor records a coach's supervision on, above the coach's earlier ones.
enum SupervisionForm {
    struct Record: Sendable, Equatable {
        let heldOn: CalendarDay
        let advisor: String
        let projects: [String]
        let notes: String
    }

    struct Model: Sendable, Equatable {
        var coachID: UUID
        var coachName: String
        var projectChoices: [FormField.Option]
        var form: FormState
        var records: [Record]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Supervision of \(model.coachName)" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                FormView(
                    action: SiteURL.capability(.supervision(.value(model.coachID))).relativeURL(),
                    csrfToken: context.csrfToken, state: model.form,
                    fields: [
                        FormField(name: "held_on", label: "Day", control: .date, isRequired: true),
                        FormField(
                            name: "project_ids", label: "Projects talked through",
                            control: .checkboxes(model.projectChoices),
                            hint: model.projectChoices.isEmpty ? "They coach no active project." : nil),
                        FormField(
                            name: "notes", label: "Notes", control: .textarea(rows: 5),
                            hint: "What was discussed and agreed: seen by the coach’s advisors and the capability lead."
                        ),
                    ],
                    submitLabel: "Record the supervision",
                    cancelURL: SiteURL.capability(.coaches).relativeURL()
                ).page("Supervision of \(model.coachName)"),
                .div(
                    .class("narrow"),
                    .h2(.text("Earlier supervisions")),
                    model.records.isEmpty
                        ? .p(.class("empty"), .text("None recorded yet."))
                        : .ul(
                            .forEach(model.records) { record in
                                .li(
                                    .strong(.text(record.heldOn.label)), .text(", with \(record.advisor)"),
                                    .if(
                                        !record.projects.isEmpty,
                                        .text(": \(record.projects.joined(separator: "; "))")),
                                    .if(!record.notes.isEmpty, .p(.text(record.notes))))
                            }))
            )
        }
    }
}

extension SupervisionForm.Model {
    static func query(coach: Person, form: FormState?, on db: any Database) async throws -> Self {
        let coachID = try coach.requireID()
        let projects = try await Project.query(on: db).filter(\.$coach.$id == coachID).filter(\.$status == .active)
            .sort(\.$title).all()
        let records = try await Supervision.query(on: db).filter(\.$coach.$id == coachID).sort(\.$heldOn, .descending)
            .limit(24).with(\.$advisor).with(\.$projects).all()
        return Self(
            coachID: coachID, coachName: coach.fullName,
            projectChoices: projects.compactMap { project in
                project.id.map { .init(value: $0.uuidString, label: project.title) }
            },
            form: form ?? FormState(values: ["held_on": AppClock.today.text]),
            records: records.map { record in
                .init(
                    heldOn: CalendarDay(containing: record.heldOn), advisor: record.advisor.fullName,
                    projects: record.projects.map(\.title).sorted(), notes: record.notes)
            })
    }
}
