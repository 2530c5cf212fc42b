import Fluent
import Foundation
import Plot

/// Which escalations a list shows.
enum EscalationStatus: String, CaseIterable, FormChoice, Sendable {
    case open, closed, all

    var label: String {
        switch self {
        case .open: "Open"
        case .closed: "Closed"
        case .all: "Open and closed"
        }
    }
}

/// `/escalations`: issues teams have passed up, across the organisation or below one unit; open
/// ones past due first, so nothing waits unseen.
enum EscalationsPage {
    struct Model: Sendable, Equatable {
        var status: EscalationStatus
        var unitID: UUID?
        var unitOptions: [FormField.Option]
        var rows: [EscalationRow]
        /// How many match, of which `rows` are the first `EscalationsPage.limit`.
        var total: Int
        var pastDue: Int { rows.count { $0.isPastDue } }
    }

    /// The most escalations one page lists.
    static let limit = 200

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Escalations" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "Escalations",
                    lead:
                        "Issues raised at teams’ huddles and passed to a unit above them to resolve. The receiving unit answers each and closes it; one still open after its due day is past due and comes first."
                ),
                .getForm(
                    action: SiteURL.escalations(.index).relativeURL(), class: "search-form",
                    .formField(
                        FormField(name: "status", label: "Status", control: .select(every: EscalationStatus.self)),
                        state: FormState(values: ["status": model.status.rawValue])),
                    .formField(
                        FormField(
                            name: "unit", label: "Sent to or from (and below)",
                            control: .select([.init(value: "", label: "All units")] + model.unitOptions)),
                        state: FormState(values: ["unit": model.unitID?.uuidString ?? ""])),
                    .button(.type(.submit), .class("button secondary"), .text("Show"))),
                .p(
                    .text(
                        (model.total > model.rows.count
                            ? "The first \(model.rows.count) of \(model.total) escalations"
                            : "\(model.total) escalations")
                            + (model.pastDue > 0 ? ", \(model.pastDue) past due." : ".")
                    )),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("No escalation matches."))
                    : .escalationTable(model.rows, caption: "\(model.status.label) escalations, past due first")
            )
        }
    }
}

extension Escalation {
    /// Escalations with this status, sent to or from `unitID` and the units below it (or anywhere),
    /// with their issues, and how many there are in all: open ones by due day (those past due come
    /// first), then closed ones, the latest closed first; at most `EscalationsPage.limit`.
    static func listed(
        status: EscalationStatus, unitID: UUID?, tree: UnitTree, on db: any Database
    ) async throws -> (escalations: [Escalation], total: Int) {
        func query(open: Bool) -> QueryBuilder<Escalation> {
            var query = Escalation.query(on: db).with(\.$issue)
            query = open ? query.filter(\.$closedAt == nil) : query.filter(\.$closedAt != nil)
            if let unitID {
                let units = Array(tree.subtree(of: unitID))
                query = query.group(.or) { $0.filter(\.$toUnit.$id ~~ units).filter(\.$fromUnit.$id ~~ units) }
            }
            return query
        }
        let limit = EscalationsPage.limit
        let open =
            status == .closed ? [] : try await query(open: true).sort(\.$dueOn).sort(\.$raisedAt).limit(limit).all()
        let closed =
            status == .open || open.count >= limit
            ? [] : try await query(open: false).sort(\.$closedAt, .descending).limit(limit - open.count).all()
        let shown = open + closed
        let total =
            shown.count < limit
            ? shown.count
            : (status == .closed ? 0 : try await query(open: true).count())
                + (status == .open ? 0 : try await query(open: false).count())
        return (shown, total)
    }
}

extension EscalationsPage.Model {
    static func query(
        status: EscalationStatus, unitID: UUID?, policy: Policy, today: CalendarDay, on db: any Database
    ) async throws -> Self {
        let tree = policy.tree
        let (escalations, total) = try await Escalation.listed(status: status, unitID: unitID, tree: tree, on: db)
        return Self(
            status: status, unitID: unitID, unitOptions: tree.parentOptions(),
            rows: escalations.map { EscalationRow($0, issue: $0.issue.description, tree: tree, today: today) },
            total: total)
    }
}

/// One escalation: the issue, where it came from, and the receiving unit's answer, with the form
/// its leads answer and close it on.
enum EscalationShow {
    struct Model: Sendable, Equatable {
        var row: EscalationRow
        var toUnitID: UUID
        var huddleID: UUID
        var huddle: String
        var action: String?
        var respondedBy: String?
        var respondedAt: Date?
        var canAnswer: Bool
        var form: FormState
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Escalation from \(model.row.from)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Escalations", url: SiteURL.escalations(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            let row = model.row
            return .div(
                .class("narrow"),
                .h1(
                    .text("Escalation from \(row.from)"),
                    .span(.class(row.isOpen ? "tag warn" : "tag muted"), .text(row.isOpen ? "Open" : "Closed"))),
                .dl(
                    .class("details"),
                    .dt(.text("Issue")), .dd(.text(row.issue)),
                    .dt(.text("Raised at")),
                    .dd(.a(.href(SiteURL.huddles(.show(.value(model.huddleID))).relativeURL()), .text(model.huddle))),
                    .unwrap(model.action) { .group(.dt(.text("The team’s own action")), .dd(.text($0))) },
                    .dt(.text("Sent to")), .dd(.text(row.to)),
                    .dt(.text("Answer needed by")),
                    .dd(.text(row.due.label), .if(row.isPastDue, .span(.class("tag warn"), .text("Past due"))))),
                .h2(.text("Response")),
                .unwrap(
                    row.response,
                    { response in
                        .group(
                            .p(.text(response)),
                            .p(
                                .class("hint"),
                                .text("From \(model.respondedBy ?? "someone"), "),
                                .unwrap(model.respondedAt) { .moment($0) }))
                    }, else: .p(.class("empty"), .text("No response yet."))),
                .if(
                    model.canAnswer && row.isOpen,
                    FormView(
                        action: SiteURL.escalations(.respond(.value(row.id))).relativeURL(),
                        csrfToken: context.csrfToken, state: model.form,
                        fields: [
                            FormField(
                                name: "response", label: row.response == nil ? "Your response" : "A new response",
                                control: .textarea(rows: 4),
                                hint: row.response == nil
                                    ? "What is being done, and by whom: the team sees it on its huddle’s page."
                                    : "It replaces the response above; leave it blank to close the escalation with that one.",
                                isRequired: row.response == nil),
                            FormField(
                                name: "close", label: "Close it",
                                control: .checkboxes([
                                    .init(value: "yes", label: "This resolves it: close the escalation")
                                ])),
                        ],
                        submitLabel: "Save the response", anchor: "respond"
                    ).node)
            )
        }
    }
}

extension EscalationShow.Model {
    static func query(
        id: UUID, policy: Policy, today: CalendarDay, form: FormState? = nil, on db: any Database
    ) async throws -> Self {
        guard
            let escalation = try await Escalation.query(on: db).filter(\.$id == id).with(\.$respondedBy)
                .with(\.$issue, { $0.with(\.$huddle) }).first()
        else { throw NotFound("escalation") }
        let huddle = escalation.issue.huddle
        return Self(
            row: EscalationRow(escalation, issue: escalation.issue.description, tree: policy.tree, today: today),
            toUnitID: escalation.$toUnit.id, huddleID: try huddle.requireID(),
            huddle: "\(huddle.kind.label) of \(CalendarDay.label(huddle.heldOn))", action: escalation.issue.action,
            respondedBy: escalation.respondedBy?.fullName, respondedAt: escalation.respondedAt,
            canAnswer: policy.allows(.answerEscalations(escalation.$toUnit.id)), form: form ?? FormState())
    }
}
