import Charts
import Foundation
import Plot

extension AnnualPlanShow {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.title }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Strategy", url: SiteURL.strategy(.show).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text(model.title)),
                    .div(
                        .class("actions"),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.plans(.diagram(.value(model.id), .show)).relativeURL()),
                            .text(model.canManage ? "Draw the driver diagram" : "Driver diagram")),
                        .if(
                            model.canManage,
                            .a(
                                .class("button secondary"),
                                .href(SiteURL.plans(.edit(.value(model.id))).relativeURL()),
                                .text("Edit the plan"))))),
                .dl(
                    .class("details"),
                    .dt(.text("Aim")), .dd(.text(model.aim)),
                    .dt(.text("Whose")), .dd(.text(model.unitPath)),
                    .dt(.text("Year")), .dd(.text(model.yearLabel)),
                    .unwrap(model.parent) { .group(.dt(.text("Under")), .dd(.a(.href($0.url), .text($0.label)))) },
                    .if(
                        !model.below.isEmpty,
                        .group(
                            .dt(.text("Plans under it")),
                            .dd(.ul(.forEach(model.below) { .li(.a(.href($0.url), .text($0.label))) }))))),
                .ul(
                    .class("figures"),
                    figure(model.projects, "project"), figure(model.programmes, "programme"),
                    figure(model.measures, "measure")),
                .chart(model.svg, kind: "driver-diagram"),
                .unwrap(model.problem) {
                    .div(
                        .class("error-summary"), .attribute(named: "role", value: "alert"),
                        .h2(.text("There is a problem")), .p(.text($0)))
                },
                .if(model.boxes.contains { !$0.measures.isEmpty }, .raw(MDCIcons.symbols)),
                model.boxes.isEmpty
                    ? .p(
                        .class("empty"),
                        .text(
                            model.canManage
                                ? "The plan has no diagram yet: draw its drivers and change ideas, then link the work serving each."
                                : "The plan has no diagram yet."))
                    : .group(.forEach(model.boxes) { box($0) }),
                .if(model.canManage && !model.boxes.isEmpty, linkForm())
            )
        }

        private func figure(_ count: Int, _ thing: String) -> Node<HTML.ListContext> {
            .li(.strong(.text(String(count))), .text(" \(thing)\(count == 1 ? "" : "s")"))
        }

        private func box(_ box: Box) -> Node<HTML.BodyContext> {
            .section(
                .class("plan-box"),
                .h2(.span(.class("tag"), .text(box.kind)), .text(" \(box.text)")),
                box.projects.isEmpty && box.programmes.isEmpty && box.measures.isEmpty
                    ? .p(.class("empty"), .text("Nothing linked yet."))
                    : .group(
                        .if(
                            !box.programmes.isEmpty || !box.projects.isEmpty,
                            .ul(
                                .class("plan-work"),
                                .forEach(box.programmes) { work($0, kind: "Programme", box: box) },
                                .forEach(box.projects) { work($0, kind: "Project", box: box) })),
                        .if(
                            !box.measures.isEmpty,
                            .group(
                                .measureTrends(box.measures, caption: "Measures of “\(box.text)”"),
                                .if(
                                    model.canManage,
                                    .ul(
                                        .class("inline-actions"),
                                        .forEach(box.measures) { measure in
                                            .li(
                                                .unwrap(box.measureLinks[measure.id]) {
                                                    unlink($0, naming: "\(measure.name) from \(box.text)")
                                                })
                                        })))))
            )
        }

        private func work(_ work: Work, kind: String, box: Box) -> Node<HTML.ListContext> {
            .li(
                .span(.class("tag"), .text(kind)), .text(" "), .a(.href(work.url), .text(work.name)),
                .span(.class("hint"), .text(" — \(work.state)")),
                .if(model.canManage, unlink(work.linkID, naming: "\(work.name) from \(box.text)")))
        }

        private func unlink(_ linkID: UUID, naming name: String) -> Node<HTML.BodyContext> {
            .postForm(
                action: SiteURL.plans(.unlink(plan: .value(model.id), link: .value(linkID))).relativeURL(),
                csrfToken: context.csrfToken, class: "inline-form",
                .button(
                    .type(.submit), .class("button secondary small"), .text("Unlink"),
                    .span(.class("visually-hidden"), .text(" \(name)"))))
        }

        private func linkForm() -> Node<HTML.BodyContext> {
            .section(
                .id("link"),
                .h2(.text("Link work to a box")),
                FormView(
                    action: SiteURL.plans(.link(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                    state: model.linkForm,
                    fields: [
                        FormField(
                            name: "box", label: "Box of the diagram",
                            control: .select([.init(value: "", label: "Choose…")] + model.boxOptions),
                            isRequired: true),
                        FormField(
                            name: "work", label: "Project, programme or measure serving it",
                            control: .select([.init(value: "", label: "Choose…")] + model.workOptions),
                            hint: "The unit’s own projects and measures, and the organisation’s programmes.",
                            isRequired: true),
                    ],
                    submitLabel: "Link", anchor: "link-work"
                ).disclosed("Link a project, programme or measure"))
        }
    }
}
