import Charts
import Foundation
import Plot

extension StrategyPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Strategy" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("Strategy")),
                    .if(
                        model.canManage,
                        .div(
                            .class("actions"),
                            link("Add an objective", to: .newObjective),
                            link("Add a priority", to: .newPriority),
                            link(model.aim == nil ? "Set the aim" : "Edit the aim", to: .editAim)))
                ),
                .p(
                    .class("lead"),
                    .text(
                        "The organisation’s aim, the strategic objectives that deliver it and the priorities under each: what QI projects and programmes serve."
                    )),
                .chart(model.diagramSVG, kind: "driver-diagram"),
                .p(
                    .a(.href(SiteURL.standardMeasures(.index).relativeURL()), .text("Standard measures")),
                    .text(": measures defined once for the whole organisation, so teams count them alike.")),
                // The icons once; each measure's row refers to them.
                .if(model.objectives.contains { !$0.measures.isEmpty }, .raw(MDCIcons.symbols)),
                .p(
                    .a(
                        .href(
                            SiteURL.projects(.index).relativeURL(query: [("priority", "none"), ("status", "active")])),
                        .text(
                            "\(model.unaligned) active project\(model.unaligned == 1 ? "" : "s") serve\(model.unaligned == 1 ? "s" : "") no priority or plan"
                        ))),
                .forEach(model.objectives) { objective($0) },
                .if(
                    !model.unfiled.isEmpty,
                    .section(
                        .h2(.text("Priorities not filed under an objective")),
                        .p(.text("Made before the strategy had objectives. Edit each to file it under one.")),
                        priorities(model.unfiled, caption: "Priorities not filed under an objective")
                    )),
                plansSection(),
                .if(
                    model.objectives.isEmpty && model.unfiled.isEmpty,
                    .p(
                        .class("empty"),
                        .text(
                            model.canManage
                                ? "No strategic objectives yet. Add the first: what the organisation sets out to achieve."
                                : "No strategic objectives yet. Administrators of the organisation set them here."
                        )))
            )
        }

        private func objective(_ objective: Objective) -> Node<HTML.BodyContext> {
            .section(
                .class(objective.isArchived ? "objective archived" : "objective"),
                .attribute(named: "aria-labelledby", value: "objective-\(objective.id.uuidString)"),
                .h2(
                    .id("objective-\(objective.id.uuidString)"), .text(objective.name),
                    .if(objective.isArchived, .span(.class("tag muted"), .text("Archived")))),
                .unwrap(objective.summary) { .p(.text($0)) },
                .if(
                    model.canManage,
                    .div(
                        .class("actions"),
                        link("Edit", naming: objective.name, to: .editObjective(.value(objective.id))),
                        .if(
                            !objective.isArchived,
                            link(
                                "Add a priority", naming: objective.name, to: .newPriority,
                                query: [("objective_id", objective.id.uuidString)])),
                        objective.isArchived
                            ? button("Restore", naming: objective.name, to: .restoreObjective(.value(objective.id)))
                            : button("Archive", naming: objective.name, to: .archiveObjective(.value(objective.id)))
                    )),
                .if(!objective.measures.isEmpty, measures(objective)),
                objective.priorities.isEmpty
                    ? .p(.class("empty"), .text("No priorities under this objective yet."))
                    : priorities(objective.priorities, caption: "Priorities under “\(objective.name)”")
            )
        }

        /// The units' annual plans, each with what serves its boxes, counted.
        private func plansSection() -> Node<HTML.BodyContext> {
            .section(
                .id("plans"),
                .h2(.text("Annual plans")),
                .p(
                    .text(
                        "Each directorate’s plan for the year, drawn as a driver diagram whose boxes link to the projects, programmes and measures serving them."
                    )),
                .if(
                    model.canPlan,
                    .p(
                        .a(
                            .class("button secondary"), .href(SiteURL.plans(.new).relativeURL()),
                            .text("Draw an annual plan")))),
                model.plans.isEmpty
                    ? .p(.class("empty"), .text("No annual plans yet."))
                    : .scrollingTable(
                        .caption(.class("visually-hidden"), .text("Annual plans and the work serving them")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Plan")), .th(.scope("col"), .text("Aim")),
                                .th(.scope("col"), .class("number"), .text("Boxes")),
                                .th(.scope("col"), .class("number"), .text("Projects")),
                                .th(.scope("col"), .class("number"), .text("Programmes")),
                                .th(.scope("col"), .class("number"), .text("Measures")))),
                        .tbody(
                            .forEach(model.plans) { plan in
                                .tr(
                                    .th(
                                        .scope("row"),
                                        .a(
                                            .href(SiteURL.plans(.show(.value(plan.id))).relativeURL()),
                                            .text(plan.title))),
                                    .td(.text(plan.aim)),
                                    .td(.class("number"), .text(String(plan.boxes))),
                                    .td(.class("number"), .text(String(plan.projects))),
                                    .td(.class("number"), .text(String(plan.programmes))),
                                    .td(.class("number"), .text(String(plan.measures))))
                            }))
            )
        }

        /// How the objective's Whole System Measures move.
        private func measures(_ objective: Objective) -> Node<HTML.BodyContext> {
            .measureTrends(objective.measures, caption: "Whole System Measures tracking “\(objective.name)”")
        }

        /// A count of the projects serving a priority, linking to that list.
        private func projects(_ count: Int, serving id: UUID, status: String) -> Node<HTML.BodyContext> {
            .a(
                .href(SiteURL.projects(.index).relativeURL(query: [("priority", id.uuidString), ("status", status)])),
                .text(String(count)))
        }

        private func priorities(_ rows: [PriorityRow], caption: String) -> Node<HTML.BodyContext> {
            .scrollingTable(
                .caption(.text(caption)),
                .thead(
                    .tr(
                        .th(.scope("col"), .text("Priority")),
                        .th(.scope("col"), .class("number"), .text("Active projects")),
                        .th(.scope("col"), .class("number"), .text("Completed projects")),
                        .th(.scope("col"), .class("number"), .text("Programmes")),
                        .if(model.canManage, .th(.scope("col"), .text("Change")))
                    )),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .class(row.isArchived ? "archived" : ""),
                            .th(
                                .attribute(named: "scope", value: "row"),
                                .a(
                                    .href(
                                        SiteURL.projects(.index).relativeURL(query: [("priority", row.id.uuidString)])),
                                    .text(row.name)),
                                .if(row.isArchived, .span(.class("tag muted"), .text("Archived"))),
                                .unwrap(row.summary) { .span(.class("hint"), .text($0)) }
                            ),
                            .td(.class("number"), projects(row.active, serving: row.id, status: "active")),
                            .td(.class("number"), projects(row.completed, serving: row.id, status: "completed")),
                            .td(.class("number"), .text(String(row.programmes))),
                            .if(
                                model.canManage,
                                .td(
                                    link("Edit", naming: row.name, to: .editPriority(.value(row.id))),
                                    row.isArchived
                                        ? button("Restore", naming: row.name, to: .restorePriority(.value(row.id)))
                                        : button("Archive", naming: row.name, to: .archivePriority(.value(row.id)))
                                ))
                        )
                    })
            )
        }

        /// A link styled as a button; `naming` is read out after the label, so that each of a
        /// column of "Edit" links says what it edits.
        private func link(
            _ label: String, naming name: String? = nil, to page: SiteURL.Strategy, query: [(String, String)] = []
        ) -> Node<HTML.BodyContext> {
            .a(
                .class("button secondary"), .href(SiteURL.strategy(page).relativeURL(query: query)), .text(label),
                .unwrap(name) { .span(.class("visually-hidden"), .text(" “\($0)”")) })
        }

        private func button(_ label: String, naming name: String, to action: SiteURL.Strategy)
            -> Node<HTML.BodyContext>
        {
            .postForm(
                action: SiteURL.strategy(action).relativeURL(), csrfToken: context.csrfToken, class: "inline-form",
                .button(
                    .type(.submit), .class("button secondary"), .text(label),
                    .span(.class("visually-hidden"), .text(" “\(name)”"))))
        }
    }
}
