import Foundation
import Plot

extension ForumAgenda {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Forum, \(CalendarDay.label(model.date))" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "QI forums", url: SiteURL.forums(.index).relativeURL()),
                .init(label: model.forumName, url: SiteURL.forums(.show(.value(model.forumUnitID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("\(model.forumName) QI forum — \(CalendarDay.label(model.date))")),
                .unwrap(model.notes) { .p(.class("lead"), .text($0)) },
                .section(
                    .class("agenda"), .id("proposals"),
                    .h2(.text("1. New proposals (\(model.proposals.count))")),
                    model.proposals.isEmpty
                        ? .p(.class("empty"), .text("No proposals waiting."))
                        : .ol(.forEach(model.proposals) { proposal($0) })
                ),
                .section(
                    .class("agenda"), .id("reviews"),
                    .h2(.text("2. Projects due for review (\(model.reviews.count))")),
                    model.reviews.isEmpty
                        ? .p(.class("empty"), .text("Every active project is up to date."))
                        : .ol(.forEach(model.reviews) { listed($0) })
                ),
                .section(
                    .class("agenda"), .id("gains-slipping"),
                    .h2(.text("3. Gains slipping (\(model.slipping.count))")),
                    model.slipping.isEmpty
                        ? .p(
                            .class("empty"),
                            .text("No completed project’s outcome measures show a new signal of concern."))
                        : .ol(.forEach(model.slipping) { listed($0) })
                ),
                .section(
                    .class("agenda"), .id("celebrations"),
                    .h2(.text("4. Completed projects to celebrate (\(model.celebrations.count))")),
                    model.celebrations.isEmpty
                        ? .p(.class("empty"), .text("None since the last meeting."))
                        : .ol(.forEach(model.celebrations) { listed($0) })
                )
            )
        }

        private func listed(_ item: Item) -> Node<HTML.ListContext> {
            .li(
                .a(.href(item.project.url), .text(item.project.title)),
                .span(.class("path"), .text(" \(item.project.unitPath)")),
                .p(.class("hint"), .text(item.reason + (item.project.score.map { " · score \($0.text)" } ?? "")))
            )
        }

        private func proposal(_ item: Item) -> Node<HTML.ListContext> {
            .li(
                .class("proposal"),
                .h3(.a(.href(item.project.url), .text(item.project.title))),
                .p(.class("hint"), .text("\(item.project.unitPath) · \(item.reason)")),
                .p(.strong(.text("Aim: ")), .text(item.aim)),
                .unwrap(model.decisions[item.project.id]) {
                    .p(.class("notice"), .text("Decided at this meeting: \($0)."))
                },
                .if(model.canDecide && model.decisions[item.project.id] == nil, decisionForm(item))
            )
        }

        private func decisionForm(_ item: Item) -> Node<HTML.BodyContext> {
            let id = item.project.id
            return ForumDecisionForm(
                projectID: id, meetingID: model.meetingID,
                choices: model.choices[id] ?? .init(coaches: [], sponsors: []),
                state: model.decisionForms[id] ?? FormState(), csrfToken: context.csrfToken
            ).node
        }
    }
}
