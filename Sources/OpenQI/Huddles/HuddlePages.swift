import Fluent
import Foundation
import Plot

/// An escalation as lists show it.
struct EscalationRow: Sendable, Equatable {
    let id: UUID
    let from: String
    let to: String
    let issue: String
    let raisedOn: CalendarDay
    let due: CalendarDay
    let response: String?
    let isOpen: Bool
    let isPastDue: Bool

    init(_ escalation: Escalation, issue: String, tree: UnitTree, today: CalendarDay) {
        id = escalation.id ?? UUID()
        from = tree.pathBelowRoot(of: escalation.$fromUnit.id)
        to = tree.pathBelowRoot(of: escalation.$toUnit.id)
        self.issue = issue
        raisedOn = CalendarDay(containing: escalation.raisedAt)
        due = CalendarDay(containing: escalation.dueOn)
        response = escalation.response
        isOpen = escalation.isOpen
        isPastDue = escalation.isPastDue(on: today)
    }

    init(
        id: UUID, from: String, to: String, issue: String, raisedOn: CalendarDay, due: CalendarDay,
        response: String?, isOpen: Bool, isPastDue: Bool
    ) {
        (self.id, self.from, self.to, self.issue, self.raisedOn, self.due) = (id, from, to, issue, raisedOn, due)
        (self.response, self.isOpen, self.isPastDue) = (response, isOpen, isPastDue)
    }

    var status: String { isOpen ? (response == nil ? "Awaiting a response" : "Answered, still open") : "Closed" }
}

/// An action agreed at a huddle, as lists show it.
struct HuddleActionRow: Sendable, Equatable {
    let huddleID: UUID
    let issueID: UUID
    let heldOn: CalendarDay
    /// The team whose huddle it was, on a page that lists several teams' actions.
    var unit: String? = nil
    let issue: String
    let action: String
    let owner: String
    let due: CalendarDay
    let doneOn: CalendarDay?
    let isOverdue: Bool
    var canComplete: Bool
    /// What closing it asks of the viewer, so a row kept for everyone is settled for each.
    var completing: Permission? = nil
}

extension HuddleActionRow: SettledPerViewer {}

extension HuddleActionRow {
    /// The row as the one action table shows it.
    var tracked: TrackedAction {
        TrackedAction(
            title: action, source: issue, sourceURL: SiteURL.huddles(.show(.value(huddleID))).relativeURL(),
            context: "\(unit.map { "\($0) " } ?? "")huddle of \(heldOn.label)", owner: owner, due: due, doneOn: doneOn,
            isOverdue: isOverdue,
            completeURL: canComplete
                ? SiteURL.huddles(.completeAction(huddle: .value(huddleID), issue: .value(issueID))).relativeURL() : nil
        )
    }
}

extension Node where Context == HTML.BodyContext {
    /// Escalations as a table: where from and to, the issue, when due, and where they stand.
    static func escalationTable(_ rows: [EscalationRow], caption: String) -> Node {
        .scrollingTable(
            .class("data-table"),
            .caption(.text(caption)),
            .thead(
                .tr(
                    .th(.scope("col"), .text("Issue")), .th(.scope("col"), .text("From")),
                    .th(.scope("col"), .text("To")), .th(.scope("col"), .text("Raised")),
                    .th(.scope("col"), .text("Due")), .th(.scope("col"), .text("Status")))),
            .tbody(
                .forEach(rows) { row in
                    .tr(
                        .class(row.isPastDue ? "due" : ""),
                        .th(
                            .scope("row"),
                            .a(.href(SiteURL.escalations(.show(.value(row.id))).relativeURL()), .text(row.issue))),
                        .td(.text(row.from)), .td(.text(row.to)), .td(.text(row.raisedOn.label)),
                        .td(.text(row.due.label), .if(row.isPastDue, .span(.class("tag warn"), .text("Past due")))),
                        .td(.text(row.status)))
                }))
    }
}

/// `/units/ID/huddles`: a unit's quality control at a glance. Escalations sent to it and awaiting
/// an answer come first, then its open actions, what it has escalated, and its latest huddles.
enum HuddlesPage {
    struct HuddleRow: Sendable, Equatable {
        let id: UUID
        /// The team, when the page lists the huddles of the units below too.
        var unit: String? = nil
        let heldOn: CalendarDay
        let kind: HuddleKind
        let issues: Int
        let escalated: Int
    }

    struct Counts: Sendable, Equatable {
        var awaiting = 0
        var awaitingPastDue = 0
        var actions = 0
        var overdueActions = 0
        var raised = 0
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        /// The page counts the units below too (a directorate's wards).
        var hasUnitsBelow: Bool
        var canRecord: Bool
        var awaiting: [EscalationRow]
        var actions: [HuddleActionRow]
        var raised: [EscalationRow]
        var huddles: [HuddleRow]
        var huddlesThisMonth: Int
        /// The lists' lengths in full: each list shows its first `HuddlesPage.listed` rows.
        var counts: Counts
        /// Teams pass issues up to units with units below them; a ward's page has no such list.
        var receivesEscalations: Bool { hasUnitsBelow || counts.awaiting > 0 }
    }

    /// The latest huddles the page lists.
    static let shown = 30

    /// A unit's page on a day, the same for everyone but for what each viewer may do (`seen(by:)`).
    struct Key: ResultKey {
        let unit: UUID
        let day: CalendarDay
    }

    /// The page as drawn for viewers who may do the same things with it: most may do nothing, and
    /// share one drawing.
    struct PageKey: ResultKey {
        let unit: UUID
        let day: CalendarDay
        let canRecord: Bool
        let completable: Set<UUID>
    }
    /// The most open actions and escalations it lists (the earliest due); the rest are on /escalations.
    static let listed = 200

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Huddles — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] { .unit(model.unitID, named: model.unitPath) }

        override func content() -> Node<HTML.BodyContext> {
            let pastDue = model.counts.awaitingPastDue
            return .group(
                .heading(
                    "Huddles and escalations",
                    lead: model.hasUnitsBelow
                        ? "\(model.unitPath) and the units below it: their safety and quality huddles, the actions agreed at them, the issues they passed up, and those sent here to answer."
                        : "\(model.unitPath): the team’s safety and quality huddles, the actions agreed at them, and the issues passed up to a unit above."
                ),
                .if(
                    model.canRecord,
                    .p(
                        .a(
                            .class("button"), .href(SiteURL.units(.newHuddle(.value(model.unitID))).relativeURL()),
                            .text("Record a huddle")))),
                .ul(
                    .class("figures"),
                    .li(.span(.strong(.text("\(model.huddlesThisMonth)")), .text("huddles this month"))),
                    .if(
                        model.receivesEscalations,
                        .li(
                            .a(
                                .href("#awaiting"), .strong(.text("\(model.counts.awaiting)")),
                                .text(
                                    pastDue > 0
                                        ? "open escalations sent here, \(pastDue) past due"
                                        : "open escalations sent here"
                                )))),
                    .li(.a(.href("#actions"), .strong(.text("\(model.counts.actions)")), .text("open actions"))),
                    .li(
                        .a(
                            .href("#raised"), .strong(.text("\(model.counts.raised)")),
                            .text(model.hasUnitsBelow ? "open escalations raised below" : "open escalations raised")))),
                .p(
                    .a(
                        .href(
                            SiteURL.escalations(.index).relativeURL(query: [
                                ("unit", model.unitID.uuidString), ("status", EscalationStatus.all.rawValue),
                            ])),
                        .text("Every escalation sent to or from here, closed ones too"))),
                .if(
                    model.receivesEscalations,
                    .section(
                        .id("awaiting"),
                        .h2(.text("Open escalations sent here")),
                        model.awaiting.isEmpty
                            ? .p(.class("empty"), .text("Nothing has been escalated here that is still open."))
                            : .escalationTable(model.awaiting, caption: "Open escalations sent to \(model.unitPath)"))),
                .section(
                    .id("actions"),
                    .h2(.text("Open actions")),
                    model.actions.isEmpty
                        ? .p(.class("empty"), .text("Every action agreed at this unit’s huddles is done."))
                        : .actionTable(
                            model.actions.map(\.tracked), caption: "Actions not yet done, the earliest due first",
                            heading: "Action", sourceHeading: "Issue", csrfToken: context.csrfToken,
                            back: model.unitID.uuidString)),
                .section(
                    .id("raised"),
                    .h2(
                        .text(
                            model.hasUnitsBelow
                                ? "Open escalations raised here and below" : "Open escalations raised here")),
                    model.raised.isEmpty
                        ? .p(.class("empty"), .text("No issue escalated from here is still open."))
                        : .escalationTable(model.raised, caption: "Open escalations from \(model.unitPath)")),
                .section(
                    .id("huddles"),
                    .h2(.text("Latest huddles")),
                    model.huddles.isEmpty
                        ? .p(.class("empty"), .text("No huddle has been recorded here yet."))
                        : .scrollingTable(
                            .class("data-table"),
                            .caption(.class("visually-hidden"), .text("The latest huddles, newest first")),
                            .thead(
                                .tr(
                                    .th(.scope("col"), .text("Day")),
                                    .if(model.hasUnitsBelow, .th(.scope("col"), .text("Unit"))),
                                    .th(.scope("col"), .text("Kind")),
                                    .th(.scope("col"), .class("number"), .text("Issues")),
                                    .th(.scope("col"), .class("number"), .text("Escalated")))),
                            .tbody(
                                .forEach(model.huddles) { huddle in
                                    .tr(
                                        .th(
                                            .scope("row"),
                                            .a(
                                                .href(SiteURL.huddles(.show(.value(huddle.id))).relativeURL()),
                                                .text(huddle.heldOn.label))),
                                        .if(model.hasUnitsBelow, .td(.text(huddle.unit ?? ""))),
                                        .td(.text(huddle.kind.label)), .td(.class("number"), .text("\(huddle.issues)")),
                                        .td(.class("number"), .text("\(huddle.escalated)")))
                                })))
            )
        }
    }
}

extension HuddlesPage.Model {
    /// The page as it stands, from the cache while nothing has changed, as `policy`'s viewer sees it.
    static func query(
        unitID: UUID, policy: Policy, today: CalendarDay, cache: CachedResults = .none, on db: any Database
    ) async throws -> Self {
        guard policy.tree.nodes[unitID] != nil else { throw NotFound("unit") }
        return try await cache.value(HuddlesPage.Key(unit: unitID, day: today)) {
            try await compute(unitID: unitID, policy: policy, today: today, on: db)
        }.seen(by: policy)
    }

    /// The drawing this viewer shares with those who may do the same.
    func pageKey(on day: CalendarDay) -> HuddlesPage.PageKey {
        .init(
            unit: unitID, day: day, canRecord: canRecord,
            completable: Set(actions.filter(\.canComplete).map(\.issueID)))
    }

    /// What this viewer may do with the page: record a huddle, and close which actions.
    func seen(by policy: Policy) -> Self {
        var model = self
        model.canRecord = policy.allows(.recordHuddles(unitID)) && policy.tree.nodes[unitID]?.isArchived == false
        model.actions = actions.settled(by: policy)
        return model
    }

    /// The unit's page: its own huddles and those of the units below it, their open actions and the
    /// escalations they raised, and the escalations sent to the unit itself, which its leads answer.
    /// Each list shows at most `HuddlesPage.listed` rows; its figure is counted in full.
    static func compute(unitID: UUID, policy: Policy, today: CalendarDay, on db: any Database) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else { throw NotFound("unit") }
        let units = Array(tree.subtree(of: unitID))
        let below = units.count > 1
        func unit(_ id: UUID) -> String? { below ? tree.path(of: id, below: unitID) : nil }
        let huddles = try await Huddle.query(on: db).filter(\.$unit.$id ~~ units).sort(\.$heldOn, .descending)
            .sort(\.$recordedAt, .descending).limit(HuddlesPage.shown).with(\.$issues, { $0.with(\.$escalation) })
            .all()
        let monthStart = CalendarMonth(containing: today.date).firstDay
        let thisMonth = try await Huddle.query(on: db).filter(\.$unit.$id ~~ units)
            .filter(\.$heldOn >= monthStart.date).count()
        func openActions() -> QueryBuilder<HuddleIssue> {
            HuddleIssue.query(on: db).join(Huddle.self, on: \HuddleIssue.$huddle.$id == \Huddle.$id)
                .filter(Huddle.self, \.$unit.$id ~~ units).filter(\.$action != nil).filter(\.$actionDoneOn == nil)
        }
        let actions = try await openActions().sort(\.$actionDue).limit(HuddlesPage.listed).with(\.$owner).all()
        let sentHere = { Escalation.query(on: db).filter(\.$closedAt == nil).filter(\.$toUnit.$id == unitID) }
        let raisedBelow = {
            Escalation.query(on: db).filter(\.$closedAt == nil).filter(\.$fromUnit.$id ~~ units)
                .filter(\.$toUnit.$id != unitID)
        }
        func rows(_ query: QueryBuilder<Escalation>) async throws -> [EscalationRow] {
            try await query.sort(\.$dueOn).limit(HuddlesPage.listed).with(\.$issue).all().map {
                EscalationRow($0, issue: $0.issue.description, tree: tree, today: today)
            }
        }
        return Self(
            unitID: unitID, unitPath: tree.path(of: unitID), hasUnitsBelow: below,
            canRecord: false,  // settled for each viewer by `seen(by:)`
            awaiting: try await rows(sentHere()),
            actions: try actions.map { issue in
                let huddle = try issue.joined(Huddle.self)
                var row = try HuddleActionRow(issue, huddle: huddle, policy: policy, today: today)
                row.unit = unit(huddle.$unit.id)
                return row
            },
            raised: try await rows(raisedBelow()),
            huddles: try huddles.map { huddle in
                .init(
                    id: try huddle.requireID(), unit: unit(huddle.$unit.id),
                    heldOn: CalendarDay(containing: huddle.heldOn), kind: huddle.kind,
                    issues: huddle.issues.count, escalated: huddle.issues.count { $0.escalation != nil })
            },
            huddlesThisMonth: thisMonth,
            counts: .init(
                awaiting: try await sentHere().count(),
                awaitingPastDue: try await sentHere().filter(\.$dueOn < today.date).count(),
                actions: try await openActions().count(),
                overdueActions: try await openActions().filter(\.$actionDue < today.date).count(),
                raised: try await raisedBelow().count()))
    }
}

extension HuddleActionRow {
    init(_ issue: HuddleIssue, huddle: Huddle, policy: Policy, today: CalendarDay) throws {
        let due = issue.actionDue.map(CalendarDay.init(containing:)) ?? today
        let doneOn = issue.actionDoneOn.map(CalendarDay.init(containing:))
        self.init(
            huddleID: try huddle.requireID(), issueID: try issue.requireID(),
            heldOn: CalendarDay(containing: huddle.heldOn), issue: issue.description, action: issue.action ?? "",
            owner: issue.owner?.fullName ?? "", due: due, doneOn: doneOn, isOverdue: doneOn == nil && due < today,
            canComplete: false, completing: .completeHuddleAction(unitID: huddle.$unit.id, ownerID: issue.$owner.id))
        canComplete = completing.map(policy.allows) ?? false
    }
}

/// The form a team records a huddle on: the day, the kind, who was there, and up to
/// `rows` issues (more on asking), each with an optional action and escalation.
enum HuddleForm {
    struct Model: Sendable, Equatable {
        var choices: HuddleChoices
        var unitPath: String
        var form: FormState
        var rows = HuddleFormInput.firstRows
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Record a huddle — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.choices.unitID, named: model.unitPath)
                + [.init(label: "Huddles", url: SiteURL.units(.huddles(.value(model.choices.unitID))).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            let state = model.form
            let owners = [FormField.Option(value: "", label: "Choose, for an action")] + model.choices.owners
            let targets = [FormField.Option(value: "", label: "Not escalated")] + model.choices.escalationTargets
            return .div(
                .class("narrow"),
                .h1(.text("Record a huddle")),
                .p(
                    .class("lead"),
                    .text(
                        "\(model.unitPath). Fill in an issue’s row for each thing raised; leave the rest blank. An action needs an owner and a due day; an issue the team cannot resolve can be passed to a unit above."
                    )),
                .postForm(
                    action: SiteURL.units(.huddles(.value(model.choices.unitID))).relativeURL(),
                    csrfToken: context.csrfToken,
                    .errorSummary(state.errors),
                    .formField(
                        FormField(name: "held_on", label: "Day", control: .date, isRequired: true), state: state),
                    .formField(
                        FormField(
                            name: "kind", label: "Kind", control: .select(every: HuddleKind.self), isRequired: true),
                        state: state),
                    .formField(
                        FormField(
                            name: "attendees", label: "Who attended", control: .textarea(rows: 2),
                            hint: "Names or roles, as the team writes them.", isRequired: true),
                        state: state),
                    .hiddenField("rows", String(model.rows)),
                    .forEach(Array(0..<model.rows)) { row in
                        let name = { (field: String) in HuddleFormInput.name(row, field) }
                        let fields = [
                            FormField(name: name("description"), label: "What was raised", control: .textarea(rows: 2)),
                            FormField(name: name("action"), label: "Action agreed"),
                            FormField(name: name("owner_id"), label: "Owner", control: .select(owners)),
                            FormField(name: name("action_due"), label: "Action due", control: .date),
                            FormField(name: name("escalate_to"), label: "Escalate to", control: .select(targets)),
                            FormField(name: name("escalation_due"), label: "Answer needed by", control: .date),
                        ]
                        return .element(
                            named: "fieldset",
                            nodes: [
                                .class("huddle-issue"), .element(named: "legend", text: "Issue \(row + 1)"),
                            ] + fields.map { .formField($0, state: state) })
                    },
                    .div(
                        .class("form-actions"),
                        .button(.type(.submit), .class("button"), .text("Record the huddle")),
                        // Second, so that Enter in a field records the huddle.
                        .if(
                            model.rows < HuddleInput.maximumIssues,
                            .button(
                                .type(.submit), .class("button secondary"), .name("more"), .value("1"),
                                .text("Add another issue"))),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.units(.huddles(.value(model.choices.unitID))).relativeURL()),
                            .text("Cancel")))))
        }
    }
}

extension HuddleChoices {
    /// The people of the unit (and the units below it) who may own an action, and the units above
    /// it, in use, that an issue may be escalated to.
    static func query(unitID: UUID, tree: UnitTree, on db: any Database) async throws -> Self {
        guard tree.nodes[unitID] != nil else { throw NotFound("unit") }
        let people = try await Person.query(on: db).filter(\.$unit.$id ~~ Array(tree.subtree(of: unitID)))
            .filter(\.$archivedAt == nil).sort(\.$fullName).all()
        return Self(
            unitID: unitID, unitName: tree.nodes[unitID]?.name ?? "",
            owners: people.compactMap { person in person.id.map { .init(value: $0.uuidString, label: person.fullName) }
            },
            escalationTargets: tree.selfAndAncestors(of: unitID).dropFirst()
                .filter { tree.nodes[$0]?.isArchived == false }
                .map { .init(value: $0.uuidString, label: tree.path(of: $0)) })
    }
}

/// One huddle: who was there, each issue with its action and escalation.
enum HuddleShow {
    struct Issue: Sendable, Equatable {
        let position: Int
        let description: String
        let action: HuddleActionRow?
        let escalation: EscalationRow?
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var unitID: UUID
        var unitPath: String
        var heldOn: CalendarDay
        var kind: HuddleKind
        var attendees: String
        var recordedBy: String
        var issues: [Issue]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "\(model.kind.label), \(model.heldOn.label) — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath)
                + [.init(label: "Huddles", url: SiteURL.units(.huddles(.value(model.unitID))).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("\(model.kind.label), \(model.heldOn.label)")),
                .p(.class("lead"), .text("\(model.unitPath). Recorded by \(model.recordedBy).")),
                .h2(.text("Who attended")),
                .p(.text(model.attendees)),
                .h2(.text("Issues raised")),
                model.issues.isEmpty
                    ? .p(.class("empty"), .text("Nothing was raised at this huddle."))
                    : .ol(
                        .class("huddle-issues"),
                        .forEach(model.issues) { issue in
                            .li(
                                .id("issue-\(issue.position)"),
                                .p(.strong(.text(issue.description))),
                                .unwrap(issue.action) { action in
                                    .group(
                                        .p(
                                            .text(
                                                "Action: \(action.action), by \(action.owner), due \(action.due.label)"),
                                            .if(action.isOverdue, .span(.class("tag warn"), .text("Overdue"))),
                                            .unwrap(action.doneOn) { .span(.class("tag"), .text("Done \($0.label)")) }),
                                        .if(
                                            action.canComplete && action.doneOn == nil,
                                            .postButton(
                                                "Mark done",
                                                to: SiteURL.huddles(
                                                    .completeAction(
                                                        huddle: .value(action.huddleID), issue: .value(action.issueID))
                                                ).relativeURL(), csrfToken: context.csrfToken)))
                                },
                                .unwrap(issue.escalation) { escalation in
                                    .p(
                                        .text("Escalated to \(escalation.to), answer due \(escalation.due.label): "),
                                        .a(
                                            .href(SiteURL.escalations(.show(.value(escalation.id))).relativeURL()),
                                            .text(escalation.status)),
                                        .if(escalation.isPastDue, .span(.class("tag warn"), .text("Past due"))),
                                        .unwrap(escalation.response) { .span(.text(". The response: \($0)")) })
                                })
                        })
            )
        }
    }
}

extension HuddleShow.Model {
    static func query(id: UUID, policy: Policy, today: CalendarDay, on db: any Database) async throws -> Self {
        guard
            let huddle = try await Huddle.query(on: db).filter(\.$id == id).with(\.$recordedBy)
                .with(\.$issues, { $0.with(\.$owner).with(\.$escalation) }).first()
        else { throw NotFound("huddle") }
        let tree = policy.tree
        return Self(
            id: id, unitID: huddle.$unit.id, unitPath: tree.path(of: huddle.$unit.id),
            heldOn: CalendarDay(containing: huddle.heldOn), kind: huddle.kind, attendees: huddle.attendees,
            recordedBy: huddle.recordedBy.fullName,
            issues: try huddle.issues.sorted { $0.position < $1.position }.map { issue in
                .init(
                    position: issue.position, description: issue.description,
                    action: issue.action == nil
                        ? nil : try HuddleActionRow(issue, huddle: huddle, policy: policy, today: today),
                    escalation: issue.escalation.map {
                        EscalationRow($0, issue: issue.description, tree: tree, today: today)
                    })
            })
    }
}
