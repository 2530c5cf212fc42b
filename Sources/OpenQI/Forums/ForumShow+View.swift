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

    /// A proposal waiting for the forum's decision, listed whether or not a meeting is scheduled.
    struct Waiting: Sendable, Equatable {
        let id: UUID
        let title: String
        let unitName: String
        let status: ProjectStatus
        let submittedAt: Date?
        /// For a deferred proposal: the day it comes back to the forum.
        var returnsOn: Date? = nil
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var name: String
        var chairs: [String]
        var meetings: [Meeting]
        var waiting: [Waiting]
        /// Completed projects whose outcome measures signal concern since, unanswered (`SlippingGains`).
        var slipping: [SlippingGains.Listed] = []
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
                .section(
                    .h2(.text("Waiting for a decision")),
                    model.waiting.isEmpty
                        ? .p(.class("empty"), .text("No proposals are waiting."))
                        : .group(
                            .p(
                                .text(
                                    "\(model.waiting.count) proposal\(model.waiting.count == 1 ? "" : "s") waiting."
                                        + (model.meetings.isEmpty
                                            ? " Schedule a meeting to decide on them from its agenda." : ""))),
                            .scrollingTable(
                                .thead(
                                    .tr(
                                        .th(.text("Proposal")), .th(.text("From")), .th(.text("Status")),
                                        .th(.text("Submitted")), .if(model.canChair, .th(.text("Decision"))))),
                                .tbody(
                                    .forEach(model.waiting) { proposal in
                                        .tr(
                                            .td(
                                                .a(
                                                    .href(SiteURL.projects(.show(.value(proposal.id))).relativeURL()),
                                                    .text(proposal.title))),
                                            .td(.text(proposal.unitName)),
                                            .td(
                                                .span(
                                                    .class("status status-\(proposal.status.rawValue)"),
                                                    .text(proposal.status.label)),
                                                .unwrap(proposal.returnsOn) {
                                                    .text(" until \(CalendarDay.label($0))")
                                                }),
                                            .td(.text(proposal.submittedAt.map(CalendarDay.label) ?? "")),
                                            .if(
                                                model.canChair,
                                                .td(
                                                    .a(
                                                        .href(
                                                            SiteURL.projects(.show(.value(proposal.id))).relativeURL()
                                                                + "#" + ForumDecisionForm.anchor(for: proposal.id)),
                                                        .text("Decide"),
                                                        .span(.class("visually-hidden"), .text(" on \(proposal.title)"))
                                                    )))
                                        )
                                    })))
                ),
                .section(
                    .id("gains-slipping"),
                    .h2(.text("Gains slipping")),
                    model.slipping.isEmpty
                        ? .p(
                            .class("empty"),
                            .text("No completed project’s outcome measures show a new signal of concern."))
                        : .ul(
                            .forEach(model.slipping) { project in
                                .li(
                                    .a(
                                        .href(SiteURL.projects(.show(.value(project.id))).relativeURL() + "#gains"),
                                        .text(project.title)),
                                    .span(.class("path"), .text(" \(project.unitName)")),
                                    .p(.class("hint"), .text(project.described)))
                            })
                ),
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
                            submitLabel: "Schedule meeting", anchor: "schedule-meeting"
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
        let waiting = try await Project.query(on: db).filter(\.$status ~~ ProjectStatus.awaitingDecision)
            .sort(\.$submittedAt).all()
            .filter { tree.forumUnit(for: $0.$unit.id) == unitID }
        let deferrals = try await ForumDecision.query(on: db).filter(\.$project.$id ~~ waiting.compactMap(\.id))
            .filter(\.$decision == .defer).sort(\.$decidedAt).all()
        let scope = tree.subtree(of: unitID).filter { tree.forumUnit(for: $0) == unitID }
        return .init(
            unitID: unitID, name: tree.path(of: unitID), chairs: chairs.map(\.person.fullName).sorted(),
            meetings: meetings.compactMap { meeting in
                meeting.id.map { id in
                    .init(id: id, date: meeting.date, decisions: decisions.filter { $0.$meeting.id == id }.count)
                }
            },
            waiting: waiting.compactMap { project in
                project.id.map {
                    .init(
                        id: $0, title: project.title, unitName: tree.nodes[project.$unit.id]?.name ?? "",
                        status: project.status, submittedAt: project.submittedAt,
                        returnsOn: project.status == .deferred
                            ? deferrals.last { $0.$project.id == project.id }?.deferUntil : nil)
                }
            },
            slipping: try await SlippingGains.projects(inUnits: Array(scope), tree: tree, on: db),
            canChair: policy.allows(.chairForum(unitID)), form: FormState()
        )
    }
}
