import Fluent
import Foundation
import Plot
import Vapor

/// One forum: its chairs, its meetings, and the chair's form to schedule the next one.
enum ForumShow {
    struct Meeting: Sendable, Equatable {
        let id: UUID
        let date: Date
        let decisions: Int
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var name: String
        var chairs: [String]
        var meetings: [Meeting]
        var waiting: Int
        var canChair: Bool
        var form: FormState
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Forum: \(model.name)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "QI forums", url: SiteURL.forums(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("\(model.name) QI forum")),
                .p(
                    .text(
                        model.chairs.isEmpty
                            ? "No chair yet: grant the forum chair role at this unit."
                            : "Chaired by \(model.chairs.joined(separator: " and ")).")),
                .p(.text("\(model.waiting) proposal\(model.waiting == 1 ? "" : "s") waiting for a decision.")),
                .section(
                    .h2(.text("Meetings")),
                    model.meetings.isEmpty
                        ? .p(.class("empty"), .text("No meetings yet."))
                        : .ul(
                            .forEach(model.meetings) { meeting in
                                .li(
                                    .a(
                                        .href(SiteURL.forums(.meeting(.value(meeting.id))).relativeURL()),
                                        .text(CalendarDay.label(meeting.date))),
                                    .span(
                                        .class("path"),
                                        .text(" \(meeting.decisions) decision\(meeting.decisions == 1 ? "" : "s")"))
                                )
                            })
                ),
                .if(
                    model.canChair,
                    .section(
                        .h2(.text("Schedule a meeting")),
                        FormView(
                            action: SiteURL.forums(.schedule(.value(model.unitID))).relativeURL(),
                            csrfToken: context.csrfToken, state: model.form,
                            fields: [
                                FormField(name: "date", label: "Date", control: .date, isRequired: true),
                                FormField(
                                    name: "notes", label: "Notes", control: .textarea(rows: 2),
                                    hint: "Where, and anything the teams should bring."),
                            ],
                            submitLabel: "Schedule meeting"
                        ).node
                    ))
            )
        }
    }
}

extension ForumShow.Model {
    static func query(unitID: UUID, policy: Policy, on db: any Database) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil, tree.forumUnit(for: unitID) == unitID else {
            throw Abort(
                .notFound,
                reason: "This unit does not hold a QI forum. Forums belong to directorates and organisations.")
        }
        let meetings = try await ForumMeeting.query(on: db).filter(\.$unit.$id == unitID).sort(\.$date, .descending)
            .all()
        let decisions = try await ForumDecision.query(on: db).filter(\.$meeting.$id ~~ meetings.compactMap(\.id)).all()
        let chairs = try await RoleGrant.query(on: db).filter(\.$role == .forumChair).filter(\.$unit.$id == unitID)
            .with(\.$person).all()
        let waiting = try await Project.query(on: db).filter(\.$status ~~ [.proposed, .inReview, .deferred]).all()
            .filter { tree.forumUnit(for: $0.$unit.id) == unitID }.count
        return .init(
            unitID: unitID, name: tree.path(of: unitID), chairs: chairs.map(\.person.fullName).sorted(),
            meetings: meetings.compactMap { meeting in
                meeting.id.map { id in
                    .init(id: id, date: meeting.date, decisions: decisions.filter { $0.$meeting.id == id }.count)
                }
            },
            waiting: waiting, canChair: policy.allows(.chairForum(unitID)), form: FormState()
        )
    }
}
