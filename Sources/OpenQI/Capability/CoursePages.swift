import Fluent
import Foundation
import Plot
import SQLKit

/// The organisation's courses, deepest last: what each is, who it is for, and how many have completed it.
enum CourseIndex {
    struct Row: Sendable, Equatable {
        let id: UUID
        let name: String
        let level: CourseLevel
        let audience: String
        let rule: String
        let cohorts: Int
        let completed: Int
        let isArchived: Bool
    }

    struct Model: Sendable, Equatable {
        var rows: [Row]
        var canManage: Bool
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Courses" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("Courses")),
                    .if(
                        model.canManage,
                        .a(
                            .class("button secondary"), .href(SiteURL.courses(.new).relativeURL()),
                            .text("Add a course")))),
                .p(
                    .class("lead"),
                    .text(
                        "Improvement capability built in doses: each group of people gets the depth of training its part in improvement needs, from an introduction for everyone to the improvement advisors’ programme."
                    )),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("No courses yet."))
                    : .scrollingTable(
                        .caption(.text("\(model.rows.count) course\(model.rows.count == 1 ? "" : "s")")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Course")), .th(.scope("col"), .text("Level")),
                                .th(.scope("col"), .text("For")), .th(.scope("col"), .text("To complete")),
                                .th(.scope("col"), .class("number"), .text("Cohorts")),
                                .th(.scope("col"), .class("number"), .text("Completed")))),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    .class(row.isArchived ? "archived" : ""),
                                    .th(
                                        .scope("row"),
                                        .a(
                                            .href(SiteURL.courses(.show(.value(row.id))).relativeURL()), .text(row.name)
                                        ),
                                        .if(row.isArchived, .span(.class("tag muted"), .text("Archived")))),
                                    .td(.text(row.level.label)), .td(.text(row.audience)), .td(.text(row.rule)),
                                    .td(.class("number"), .text(String(row.cohorts))),
                                    .td(.class("number"), .text(String(row.completed))))
                            }))
            )
        }
    }
}

extension CourseIndex.Model {
    static func query(policy: Policy, on db: any Database) async throws -> Self {
        struct Count: Decodable {
            let id: UUID
            let cohorts: Int
            let completed: Int
        }
        // Counted by the database: a large trust has tens of thousands of enrolments.
        let counts = Dictionary(
            uniqueKeysWithValues: try await db.sql.raw(
                """
                SELECT c.course_id AS id, COUNT(DISTINCT c.id) AS cohorts, COUNT(e.completed_on) AS completed \
                FROM cohorts c LEFT JOIN enrolments e ON e.cohort_id = c.id GROUP BY c.course_id
                """
            ).all(decoding: Count.self).map { ($0.id, $0) })
        let courses = try await Course.query(on: db).all()
        return .init(
            rows: try courses.map { course in
                let id = try course.requireID()
                return .init(
                    id: id, name: course.name, level: course.level, audience: course.audience,
                    rule: course.completionRule, cohorts: counts[id]?.cohorts ?? 0,
                    completed: counts[id]?.completed ?? 0, isArchived: course.isArchived)
            }.sorted { ($0.isArchived ? 1 : 0, $0.level, $0.name) < ($1.isArchived ? 1 : 0, $1.level, $1.name) },
            canManage: policy.allows(.manageCapability))
    }
}

/// One course: what it is, and its cohorts with their places and completions.
enum CourseShow {
    struct CohortRow: Sendable, Equatable {
        let id: UUID
        let name: String
        let firstDay: CalendarDay?
        let lastDay: CalendarDay?
        let enrolled: Int
        let waiting: Int
        let capacity: Int
        let completed: Int
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var name: String
        var level: CourseLevel
        var audience: String
        var sessions: String
        var rule: String
        var requiresApprovedProject: Bool
        var cohorts: [CohortRow]
        var canManage: Bool
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.name }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Courses", url: SiteURL.courses(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text(model.name), .span(.class("tag"), .text(model.level.label))),
                    .if(
                        model.canManage,
                        .div(
                            .class("actions"),
                            .a(
                                .class("button"), .href(SiteURL.courses(.newCohort(.value(model.id))).relativeURL()),
                                .text("Plan a cohort")),
                            .a(
                                .class("button secondary"),
                                .href(SiteURL.courses(.edit(.value(model.id))).relativeURL()),
                                .text("Edit the course"))))),
                .dl(
                    .class("details"),
                    .dt(.text("For")), .dd(.text(model.audience)),
                    .dt(.text("Sessions")), .dd(.text(model.sessions)),
                    .dt(.text("To complete it")), .dd(.text(model.rule)),
                    .dt(.text("Brings a project")),
                    .dd(
                        .text(
                            model.requiresApprovedProject
                                ? "Yes: each person enrols with a project a forum has approved"
                                : "No"))),
                .section(
                    .h2(.text("Cohorts")),
                    model.cohorts.isEmpty
                        ? .p(.class("empty"), .text("No cohort of this course yet."))
                        : .scrollingTable(
                            .caption(.class("visually-hidden"), .text("Cohorts of \(model.name), newest first")),
                            .thead(
                                .tr(
                                    .th(.scope("col"), .text("Cohort")), .th(.scope("col"), .text("Runs")),
                                    .th(.scope("col"), .class("number"), .text("Places taken")),
                                    .th(.scope("col"), .class("number"), .text("Waiting")),
                                    .th(.scope("col"), .class("number"), .text("Completed")))),
                            .tbody(
                                .forEach(model.cohorts) { cohort in
                                    .tr(
                                        .th(
                                            .scope("row"),
                                            .a(
                                                .href(SiteURL.cohorts(.show(.value(cohort.id))).relativeURL()),
                                                .text(cohort.name))),
                                        .td(.text(Self.runs(cohort))),
                                        .td(.class("number"), .text("\(cohort.enrolled) of \(cohort.capacity)")),
                                        .td(.class("number"), .text(String(cohort.waiting))),
                                        .td(.class("number"), .text(String(cohort.completed))))
                                })))
            )
        }

        static func runs(_ cohort: CohortRow) -> String {
            guard let first = cohort.firstDay, let last = cohort.lastDay else { return "" }
            return first == last ? first.label : "\(first.label) to \(last.label)"
        }
    }
}

extension CourseShow.Model {
    static func query(_ course: Course, policy: Policy, on db: any Database) async throws -> Self {
        let id = try course.requireID()
        let cohorts = try await Cohort.query(on: db).filter(\.$course.$id == id).with(\.$sessions).with(\.$enrolments)
            .all()
        let rows = try cohorts.map { cohort in
            return CourseShow.CohortRow(
                id: try cohort.requireID(), name: cohort.name, firstDay: cohort.days.first, lastDay: cohort.days.last,
                enrolled: cohort.placesTaken, waiting: cohort.waitingCount, capacity: cohort.capacity,
                completed: cohort.completions)
        }
        let minutes = course.sessionMinutes
        let length = minutes % 60 == 0 ? "\(minutes / 60) hour\(minutes == 60 ? "" : "s")" : "\(minutes) minutes"
        return .init(
            id: id, name: course.name, level: course.level, audience: course.audience,
            sessions: "\(course.sessionCount) session\(course.sessionCount == 1 ? "" : "s") of \(length)",
            rule: course.completionRule, requiresApprovedProject: course.requiresApprovedProject,
            cohorts: rows.sorted {
                ($0.firstDay ?? .init(daysSince1970: 0)) > ($1.firstDay ?? .init(daysSince1970: 0))
            },
            canManage: policy.allows(.manageCapability))
    }
}

/// The form that adds a course or changes one.
enum CourseForm {
    struct Model: Sendable, Equatable {
        var editingID: UUID?
        var editingName: String?
        var form: FormState
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.editingName.map { "Edit \($0)" } ?? "Add a course" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Courses", url: SiteURL.courses(.index).relativeURL())]
                + (model.editingID.map { id in
                    [.init(label: model.editingName ?? "Course", url: SiteURL.courses(.show(.value(id))).relativeURL())]
                } ?? [])
        }

        override func content() -> Node<HTML.BodyContext> {
            let (action, cancel) = SiteURL.Courses.form(editing: model.editingID)
            return FormView(
                action: action, csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(name: "name", label: "Name", hint: "For example “Pocket QI”.", isRequired: true),
                    FormField(
                        name: "level", label: "Level",
                        control: .select(every: CourseLevel.self, none: "Choose…"),
                        hint: "How deep it goes, from an introduction for everyone to the improvement advisors’.",
                        isRequired: true),
                    FormField(
                        name: "audience", label: "Who it is for", control: .textarea(rows: 2),
                        hint: "For example “every member of staff, within three months of starting”.",
                        isRequired: true),
                    FormField(name: "session_count", label: "Sessions", control: .number, isRequired: true),
                    FormField(
                        name: "session_minutes", label: "Minutes a session", control: .number,
                        hint: "420 for a day.", isRequired: true),
                    FormField(
                        name: "sessions_to_complete", label: "Sessions to complete it", control: .number,
                        hint: "All of them, or fewer: four of five days.", isRequired: true),
                    FormField(
                        name: "requires_approved_project", label: "Brings a project",
                        control: .checkboxes([
                            .init(value: "yes", label: "Each person enrols with a project a forum has approved")
                        ])),
                ],
                submitLabel: model.editingID == nil ? "Add the course" : "Save changes", cancelURL: cancel,
                anchor: "course-form"
            ).page(pageTitle())
        }
    }
}
