import Foundation
import Plot

extension UnitShow {
    final class View: ModelPage<Model> {

        override func pageTitle() -> String { model.name }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Units", url: SiteURL.units(.index).relativeURL())] + model.ancestors
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(
                        .text(model.name), .span(.class("tag"), .text(model.kind.label)),
                        .if(model.isArchived, .span(.class("tag muted"), .text("Archived")))),
                    .if(model.canManage, actions())
                ),
                .unwrap(model.summary) { .p(.class("lead"), .text($0)) },
                .nav(
                    .class("unit-views"), .attribute(named: "aria-label", value: "Views of this unit"),
                    .a(
                        .href(SiteURL.units(.quality(.value(model.id))).relativeURL()),
                        .text("Quality management")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.units(.portfolio(.value(model.id))).relativeURL()),
                        .text("QI portfolio")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.units(.measures(.value(model.id))).relativeURL()),
                        .text("Measures summary")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.units(.earlyWarning(.value(model.id))).relativeURL()),
                        .text("Ward early warning")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.units(.huddles(.value(model.id))).relativeURL()),
                        .text("Huddles and escalations")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.walkRounds(.index).relativeURL(query: [("unit", model.id.uuidString)])),
                        .text("WalkRounds")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.units(.compare(.value(model.id))).relativeURL()),
                        .text("Compare units")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.units(.boardReport(.value(model.id))).relativeURL()),
                        .text("Board quality report")),
                    .text(" · "),
                    .a(
                        .href(SiteURL.projects(.index).relativeURL(query: [("unit", model.id.uuidString)])),
                        .text("Projects"))
                ),
                .section(
                    .h2(.text("Units below")),
                    model.children.isEmpty
                        ? .p(.class("empty"), .text("No units below this one."))
                        : .ul(
                            .forEach(model.children) { child in
                                .li(
                                    .class(child.isArchived ? "archived" : ""),
                                    .a(.href(SiteURL.units(.show(.value(child.id))).relativeURL()), .text(child.name)),
                                    .span(.class("tag"), .text(child.kind.label)),
                                    .if(child.isArchived, .span(.class("tag muted"), .text("Archived")))
                                )
                            }),
                    .if(
                        model.canManage && !model.isArchived,
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.units(.new).relativeURL(query: [("parent_id", model.id.uuidString)])),
                            .text("Add a unit below")
                        ))
                ),
                .section(
                    .h2(.text("People (\(model.peopleCount))")),
                    model.people.isEmpty
                        ? .p(.class("empty"), .text("Nobody belongs to this unit yet."))
                        : .scrollingTable(
                            .thead(.tr(.th(.text("Name")), .th(.text("Kind")), .th(.text("Role or job")))),
                            .tbody(
                                .forEach(model.people) { person in
                                    .tr(
                                        .td(
                                            .a(
                                                .href(SiteURL.people(.show(.value(person.id))).relativeURL()),
                                                .text(person.name))),
                                        .td(.text(person.kind.label)),
                                        .td(.text(person.jobTitle ?? ""))
                                    )
                                })
                        ),
                    .if(
                        model.peopleCount > model.people.count,
                        .p(
                            .a(
                                .href(SiteURL.people(.index).relativeURL(query: [("unit", model.id.uuidString)])),
                                .text("See all \(model.peopleCount) people")
                            ))),
                    .if(
                        model.canManagePeople && !model.isArchived,
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.people(.new).relativeURL(query: [("unit_id", model.id.uuidString)])),
                            .text("Add a person")
                        ))
                ),
                .section(
                    .h2(.text("Improvement capability")),
                    model.capability.isEmpty
                        ? .p(.class("empty"), .text("Nobody here is in a group the dosing plan counts yet."))
                        : .ul(
                            .forEach(model.capability) { line in
                                .li(
                                    .text(
                                        "\(line.group.label), \(line.level.label.lowercased()): \(line.have) of \(line.members)"
                                            + (line.needed.map { " (the plan needs \($0))" } ?? "")))
                            }),
                    .p(
                        .a(
                            .href(SiteURL.capability(.dashboard).relativeURL(query: [("unit", model.id.uuidString)])),
                            .text("\(model.name)’s capability: trained against need, by year and month")))
                ),
                .section(
                    .h2(.text("Roles granted here")),
                    model.grants.isEmpty
                        ? .p(
                            .class("empty"),
                            .text("No roles are granted at this unit. Roles granted above it apply here too."))
                        : .ul(
                            .forEach(model.grants) { grant in
                                .li(
                                    .text("\(grant.role.label): "),
                                    .a(
                                        .href(SiteURL.people(.show(.value(grant.personID))).relativeURL()),
                                        .text(grant.personName))
                                )
                            })
                )
            )
        }

        private func actions() -> Node<HTML.BodyContext> {
            .div(
                .class("actions"),
                .a(
                    .class("button secondary"), .href(SiteURL.units(.edit(.value(model.id))).relativeURL()),
                    .text("Edit")),
                model.isArchived
                    ? .postButton(
                        "Restore", to: SiteURL.units(.restore(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken)
                    : .postButton(
                        "Archive", to: SiteURL.units(.archive(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken)
            )
        }
    }
}
