import Charts
import Fluent
import Foundation
import Plot

/// `/capability`: a unit's improvement capability for a year, as the board and the capability lead
/// read it: trained against need by group and level with the gap, people trained by month and by
/// year, the share from partner organisations, and new starters still to be introduced. It prints
/// as the year's review.
enum CapabilityPage {
    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitName: String
        var year: Int
        var figures: DosingFigures
        var monthChartSVG: String?
        /// Units to choose from: the organisation and every unit under it.
        var unitChoices: [FormField.Option]
        var canPlan: Bool
    }

    /// The page is the same for everyone who may (or may not) set the plan, for a unit, year and day.
    struct PageKey: ResultKey {
        let unit: UUID
        let year: Int
        let day: CalendarDay
        let canPlan: Bool
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Improvement capability" }

        override func content() -> Node<HTML.BodyContext> {
            let figures = model.figures
            let here = SiteURL.capability(.dashboard)
            let levels = CourseLevel.allCases.filter { level in figures.byYear.contains { $0.byLevel[level] != nil } }
            return .group(
                .pageHeading(
                    .h1(.text("Improvement capability")),
                    .a(.class("button secondary"), .href(SiteURL.courses(.index).relativeURL()), .text("Courses")),
                    .a(
                        .class("button secondary"), .href(SiteURL.capability(.coaches).relativeURL()),
                        .text("QI coaches")),
                    .a(
                        .class("button secondary"),
                        .href(
                            SiteURL.capability(.export).relativeURL(query: [
                                ("unit", model.unitID.uuidString), ("year", String(model.year)),
                            ])), .text("Figures as CSV")),
                    .if(
                        model.canPlan,
                        .a(
                            .class("button secondary"),
                            .href(
                                SiteURL.capability(.plan).relativeURL(query: [
                                    ("unit", model.unitID.uuidString), ("year", String(model.year)),
                                ])),
                            .text("Set the \(model.year) plan"))),
                    .if(
                        model.canPlan,
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.capability(.attendanceUpload).relativeURL()),
                            .text("Import past attendance"))),
                    .printButton("Print the annual review")),
                .p(
                    .class("lead"),
                    .text(
                        "\(model.unitName), \(model.year): how many people of each group have the dose of training their part in improvement needs, against the plan."
                    )),
                .getForm(
                    action: here.relativeURL(), class: "filters no-print",
                    .formField(
                        FormField(name: "unit", label: "Unit", control: .select(model.unitChoices)),
                        state: FormState(values: ["unit": model.unitID.uuidString])),
                    .formField(
                        FormField(name: "year", label: "Year", control: .number),
                        state: FormState(values: ["year": String(model.year)])),
                    .button(.type(.submit), .class("button secondary"), .text("Show"))),
                .h2(.text("Trained against need")),
                .scrollingTable(
                    .class("data-table dosing-table"),
                    .caption(
                        .text(
                            "Each group’s people who have completed a course of the level, against the \(model.year) plan; the gap is what is still to do."
                        )),
                    .thead(
                        .tr(
                            .th(.scope("col"), .text("Group")), .th(.scope("col"), .text("Level")),
                            .th(.scope("col"), .class("number"), .text("People")),
                            .th(.scope("col"), .class("number"), .text("Have it")),
                            .th(.scope("col"), .class("number"), .text("Needed")),
                            .th(.scope("col"), .class("number"), .text("Gap")))),
                    .tbody(
                        .forEach(figures.lines) { line in
                            .tr(
                                .th(
                                    .scope("row"), .text(line.group.label),
                                    .span(.class("hint"), .text(" — \(line.group.membership)"))),
                                .td(.text(line.level.label)),
                                .td(.class("number"), .text(String(line.members))),
                                .td(.class("number"), .text(String(line.have))),
                                .td(.class("number"), .text(line.needed.map(String.init) ?? "Not planned")),
                                .td(.class("number"), .text(line.gap.map(String.init) ?? "—")))
                        })),
                .h2(.text("People trained")),
                .unwrap(model.monthChartSVG) { .chart($0) },
                .p(
                    .text(
                        figures.practitionerAndCoachCompletions == 0
                            ? "Nobody completed the practitioner or coach level in \(model.year)."
                            : "Of the \(figures.practitionerAndCoachCompletions) who completed the practitioner or coach level in \(model.year), \(figures.partnerCompletions) (\(Self.percent(figures.partnerCompletions, of: figures.practitionerAndCoachCompletions))) came from partner organisations."
                    )),
                .scrollingTable(
                    .class("data-table"),
                    .caption(.text("Courses completed each year, by level")),
                    .thead(
                        .tr(
                            .th(.scope("col"), .text("Year")),
                            .forEach(levels) { .th(.scope("col"), .class("number"), .text($0.label)) },
                            .th(.scope("col"), .class("number"), .text("All")))),
                    .tbody(
                        .forEach(figures.byYear) { row in
                            .tr(
                                .th(.scope("row"), .text(String(row.year))),
                                .forEach(levels) { .td(.class("number"), .text(String(row.byLevel[$0] ?? 0))) },
                                .td(.class("number"), .text(String(row.total))))
                        })),
                .h2(.text("Completed in \(model.year), course by course")),
                figures.byCourse.isEmpty
                    ? .p(.class("empty"), .text("Nobody completed a course in \(model.year)."))
                    : .scrollingTable(
                        .class("data-table"),
                        .caption(
                            .class("visually-hidden"), .text("Completions in \(model.year) by course, by level")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Course")), .th(.scope("col"), .text("Level")),
                                .th(.scope("col"), .class("number"), .text("Completed")),
                                .th(.scope("col"), .class("number"), .text("From partners")))),
                        .tbody(
                            .forEach(figures.byCourse) { line in
                                .tr(
                                    .th(.scope("row"), .text(line.course)), .td(.text(line.level.label)),
                                    .td(.class("number"), .text(String(line.completions))),
                                    .td(.class("number"), .text(String(line.fromPartners))))
                            })),
                .h2(.text("New starters without the introduction")),
                figures.newStartersCount == 0
                    ? .p(
                        .class("empty"),
                        .text(
                            "Every member of staff who started in the last year, more than \(DosingFigures.introductoryWithinMonths) months ago by the start day on their record, has completed an introductory course."
                        ))
                    : .group(
                        .p(
                            .text(
                                "\(figures.newStartersCount) \(figures.newStartersCount == 1 ? "person" : "people") started in the last year, more than \(DosingFigures.introductoryWithinMonths) months ago, without completing an introductory course\(figures.newStartersCount > figures.newStarters.count ? "; the \(figures.newStarters.count) waiting longest are listed" : "")."
                            )),
                        .scrollingTable(
                            .class("data-table"),
                            .caption(.class("visually-hidden"), .text("New starters waiting longest first")),
                            .thead(
                                .tr(
                                    .th(.scope("col"), .text("Person")), .th(.scope("col"), .text("Unit")),
                                    .th(.scope("col"), .text("Started")))),
                            .tbody(
                                .forEach(figures.newStarters) { starter in
                                    .tr(
                                        .th(
                                            .scope("row"),
                                            .a(
                                                .href(SiteURL.people(.show(.value(starter.personID))).relativeURL()),
                                                .text(starter.name))),
                                        .td(.text(starter.unit)), .td(.text(starter.started.label)))
                                })))
            )
        }

        static func percent(_ part: Int, of whole: Int) -> String {
            whole == 0 ? "0%" : "\(Int((Double(part) / Double(whole) * 100).rounded()))%"
        }
    }
}

extension CapabilityPage.Model {
    static func query(unitID: UUID, year: Int, policy: Policy, on db: any Database) async throws -> Self {
        let figures = try await DosingFigures.query(
            unitID: unitID, year: year, tree: policy.tree, today: AppClock.today, on: db)
        let chart = CountsOverTime.runChart(
            figures.byMonth.map { (month: $0.month.firstDay.text, count: $0.count) }, title: "People trained",
            subtitle: "courses completed each month")
        return Self(
            unitID: unitID, unitName: policy.tree.path(of: unitID), year: year, figures: figures,
            monthChartSVG: figures.byMonth.allSatisfy { $0.count == 0 } ? nil : chart,
            unitChoices: policy.tree.parentOptions(),
            // An archived unit's figures are read, not planned for (`DosingPlanInput` refuses it).
            canPlan: policy.allows(.manageCapability) && policy.tree.nodes[unitID]?.isArchived == false)
    }
}

/// The dosing plan of a unit for a year: a number for each group and level.
enum DosingPlanForm {
    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitName: String
        var year: Int
        var form: FormState
        /// "12 people in this group; 3 have it", for each field.
        var hints: [String: String]
        /// The plan the form was opened with (`DosingPlan.fingerprint`).
        var read: String
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Dosing plan \(model.year)" }

        override func content() -> Node<HTML.BodyContext> {
            FormView(
                action: SiteURL.capability(.plan).relativeURL(), csrfToken: context.csrfToken, state: model.form,
                fields: DosingGroup.planned.map { group, level in
                    let name = DosingPlanInput.field(group, level)
                    return FormField(
                        name: name, label: "\(group.label): \(level.label)", control: .number, hint: model.hints[name])
                },
                submitLabel: "Save the plan",
                cancelURL: SiteURL.capability(.dashboard).relativeURL(query: [
                    ("unit", model.unitID.uuidString), ("year", String(model.year)),
                ]),
                hiddenFields: ["unit_id": model.unitID.uuidString, "year": String(model.year), "plan_read": model.read]
            ).page(
                "Dosing plan \(model.year): \(model.unitName)",
                lead: .p(
                    .class("lead"),
                    .text(
                        "How many people of each group need each level by the end of \(model.year). Leave a box empty for no target."
                    )))
        }
    }
}

extension DosingPlanForm.Model {
    /// The form for the unit's plan of `year`: as saved, or as typed (`form`) and opened with the
    /// plan `read` (the one saved now, when nil).
    static func query(
        unitID: UUID, year: Int, form: FormState?, read: String? = nil, policy: Policy, on db: any Database
    ) async throws -> Self {
        let figures = try await DosingFigures.query(
            unitID: unitID, year: year, tree: policy.tree, today: AppClock.today, on: db)
        let plan = try await DosingPlan.load(unitID: unitID, year: year, on: db)
        let saved = Dictionary(
            plan.needs.map { (DosingPlanInput.field($0.key.group, $0.key.level), String($0.value)) }
        ) { $1 }
        return Self(
            unitID: unitID, unitName: policy.tree.path(of: unitID), year: year, form: form ?? FormState(values: saved),
            hints: Dictionary(
                figures.lines.map { line in
                    (
                        DosingPlanInput.field(line.group, line.level),
                        "\(line.group.membership): \(line.members) now, \(line.have) of them with the level."
                    )
                }
            ) { $1 }, read: read ?? plan.fingerprint)
    }
}
