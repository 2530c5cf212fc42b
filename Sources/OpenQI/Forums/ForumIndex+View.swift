import Fluent
import Foundation
import Plot

/// Every forum in the organisation: one per directorate (and one per top-level unit).
enum ForumIndex {
    struct Row: Sendable, Equatable {
        let unitID: UUID
        let name: String
        let chairs: [String]
        let waiting: Int
        let nextMeeting: Date?
    }

    struct Model: Sendable, Equatable {
        var rows: [Row]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "QI forums" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "QI forums",
                    lead:
                        "Each directorate’s monthly forum reviews new proposals, allocates a coach and a sponsor, and hears how projects are going."
                ),
                .scrollingTable(
                    .thead(
                        .tr(
                            .th(.text("Forum")), .th(.text("Chairs")), .th(.text("Proposals waiting")),
                            .th(.text("Next meeting")))),
                    .tbody(
                        .forEach(model.rows) { row in
                            .tr(
                                .td(
                                    .a(.href(SiteURL.forums(.show(.value(row.unitID))).relativeURL()), .text(row.name))),
                                .td(.text(row.chairs.isEmpty ? "No chair yet" : row.chairs.joined(separator: ", "))),
                                .td(.text("\(row.waiting)")),
                                .td(
                                    .text(
                                        row.nextMeeting.map { CalendarDay.label($0) }
                                            ?? "None scheduled"))
                            )
                        })
                )
            )
        }
    }
}

extension ForumIndex.Model {
    static func query(policy: Policy, on db: any Database) async throws -> Self {
        let tree = policy.tree
        let waiting = try await Project.query(on: db).filter(\.$status ~~ ProjectStatus.awaitingDecision).all()
        let chairs = try await RoleGrant.query(on: db).filter(\.$role == .forumChair).with(\.$person).all()
        let today = AppClock.today.date
        let upcoming = try await ForumMeeting.query(on: db).filter(\.$date >= today).sort(\.$date).all()
        return .init(
            rows: tree.forumUnits.filter { !$0.isArchived }.map { unit in
                .init(
                    unitID: unit.id, name: tree.path(of: unit.id),
                    chairs: chairs.filter { $0.$unit.id == unit.id }.map(\.person.fullName).sorted(),
                    waiting: waiting.filter { tree.forumUnit(for: $0.$unit.id) == unit.id }.count,
                    nextMeeting: upcoming.first { $0.$unit.id == unit.id }?.date
                )
            })
    }
}
