import Fluent
import Foundation
import Plot
import SQLKit

/// A WalkRound as lists show it.
struct WalkRoundVisit: Sendable, Equatable {
    let id: UUID
    let unit: String
    let executive: String
    let plannedOn: CalendarDay
    let heldOn: CalendarDay?
    /// Its day has passed and nobody has recorded it.
    let isLate: Bool
}

/// A WalkRound's follow-up as lists show it.
struct WalkRoundFollowUp: Sendable, Equatable {
    let walkRoundID: UUID
    let actionID: UUID
    let action: String
    let owner: String
    let unit: String
    let due: CalendarDay
    let doneOn: CalendarDay?
    let isOverdue: Bool
    var canComplete: Bool
    /// What closing it asks of the viewer, so a row kept for everyone is settled for each.
    var completing: Permission? = nil
}

extension WalkRoundFollowUp: SettledPerViewer {}

extension WalkRoundFollowUp {
    /// The row as the one action table shows it.
    var tracked: TrackedAction {
        TrackedAction(
            title: action, source: "WalkRound to \(unit)",
            sourceURL: SiteURL.walkRounds(.show(.value(walkRoundID))).relativeURL(), context: nil, owner: owner,
            due: due, doneOn: doneOn, isOverdue: isOverdue,
            completeURL: canComplete
                ? SiteURL.walkRounds(.completeAction(walkRound: .value(walkRoundID), action: .value(actionID)))
                    .relativeURL() : nil)
    }
}

/// `/walkrounds`: the board's visits to teams. Which teams have not had one in the last year, the
/// visits by executive and month, what is planned, and the follow-ups still open.
enum WalkRoundsPage {
    struct Unvisited: Sendable, Equatable {
        let id: UUID
        let name: String
        let lastVisit: CalendarDay?
    }

    struct ExecutiveMonths: Sendable, Equatable {
        let name: String
        /// Visits held in each of `Model.months`, oldest first.
        let counts: [Int]
        var total: Int { counts.reduce(0, +) }
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID?
        var unitOptions: [FormField.Option]
        var canSchedule: Bool
        var teams: Int
        var heldInYear: Int
        var planned: [WalkRoundVisit]
        var unvisited: [Unvisited]
        var months: [CalendarMonth]
        var byExecutive: [ExecutiveMonths]
        var followUps: [WalkRoundFollowUp]
        var recent: [WalkRoundVisit]
        /// The latest visit held in scope, however long ago.
        var last: WalkRoundVisit?
    }

    /// The teams not visited that the page names; the count says how many there are in all.
    static let unvisitedShown = 60
    /// The most planned visits and open follow-ups it lists, the soonest first.
    static let listed = 200

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "WalkRounds" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("Executive WalkRounds")),
                    .if(
                        model.canSchedule,
                        .a(
                            .class("button"), .href(SiteURL.walkRounds(.new).relativeURL()),
                            .text("Schedule a WalkRound")))),
                .p(
                    .class("lead"),
                    .text(
                        "An executive visits a different team each week and asks four open questions: what the team is proud of, what it is working to improve, what gets in the way of doing its best, and how it is taking care of itself. What they agree to follow up is tracked here until it is done."
                    )),
                .getForm(
                    action: SiteURL.walkRounds(.index).relativeURL(), class: "search-form",
                    .formField(
                        FormField(
                            name: "unit", label: "Teams in",
                            control: .select([.init(value: "", label: "The whole organisation")] + model.unitOptions)),
                        state: FormState(values: ["unit": model.unitID?.uuidString ?? ""])),
                    .button(.type(.submit), .class("button secondary"), .text("Show"))),
                .ul(
                    .class("figures"),
                    .li(
                        .a(
                            .href("#by-executive"), .strong(.text("\(model.heldInYear)")),
                            .text("WalkRounds in the last 12 months"))),
                    .li(
                        .a(
                            .href("#unvisited"), .strong(.text("\(model.unvisited.count)")),
                            .text("of \(model.teams) teams not visited in 12 months"))),
                    .li(.a(.href("#follow-ups"), .strong(.text("\(model.followUps.count)")), .text("open follow-ups"))),
                    .li(.a(.href("#planned"), .strong(.text("\(model.planned.count)")), .text("planned")))),
                .section(
                    .id("planned"),
                    .h2(.text("Planned")),
                    model.planned.isEmpty
                        ? .p(.class("empty"), .text("No WalkRound is planned."))
                        : visits(model.planned, caption: "Planned WalkRounds, the soonest first")),
                .section(
                    .id("follow-ups"),
                    .h2(.text("Open follow-ups")),
                    model.followUps.isEmpty
                        ? .p(.class("empty"), .text("Every follow-up agreed on a WalkRound is done."))
                        : .actionTable(
                            model.followUps.map(\.tracked), caption: "Follow-ups not yet done, the earliest due first",
                            heading: "Follow-up", sourceHeading: "Visit", csrfToken: context.csrfToken,
                            back: WalkRoundController.backToList)),
                .section(
                    .id("unvisited"),
                    .h2(.text("Teams not visited in the last 12 months")),
                    model.unvisited.isEmpty
                        ? .p(.class("empty"), .text("Every team has had a WalkRound in the last 12 months."))
                        : .group(
                            .p(
                                .text(
                                    model.unvisited.count > WalkRoundsPage.unvisitedShown
                                        ? "The \(WalkRoundsPage.unvisitedShown) longest without a visit, of \(model.unvisited.count):"
                                        : "Those never visited first:")),
                            .ul(
                                .forEach(model.unvisited.prefix(WalkRoundsPage.unvisitedShown)) { team in
                                    .li(
                                        .a(
                                            .href(SiteURL.units(.show(.value(team.id))).relativeURL()), .text(team.name)
                                        ),
                                        .span(
                                            .class("hint"),
                                            .text(
                                                team.lastVisit.map { " last visited \($0.label)" } ?? " never visited"))
                                    )
                                }))),
                .section(
                    .id("by-executive"),
                    .h2(.text("Visits by executive and month")),
                    model.byExecutive.isEmpty
                        ? .p(.class("empty"), .text("No WalkRound was held in the last 12 months."))
                        : .scrollingTable(
                            .class("data-table"),
                            .caption(
                                .class("visually-hidden"), .text("WalkRounds held by each executive in each month")),
                            .thead(
                                .tr(
                                    .th(.scope("col"), .text("Executive")),
                                    .forEach(model.months) {
                                        .th(.scope("col"), .class("number"), .text($0.shortLabel))
                                    },
                                    .th(.scope("col"), .class("number"), .text("Total")))),
                            .tbody(
                                .forEach(model.byExecutive) { row in
                                    .tr(
                                        .th(.scope("row"), .text(row.name)),
                                        .forEach(row.counts) { .td(.class("number"), .text("\($0)")) },
                                        .td(.class("number"), .strong(.text("\(row.total)"))))
                                }))),
                .section(
                    .id("recent"),
                    .h2(.text("Recent WalkRounds")),
                    model.recent.isEmpty
                        ? .p(.class("empty"), .text("None recorded yet."))
                        : visits(model.recent, caption: "The latest WalkRounds, newest first"))
            )
        }

        private func visits(_ visits: [WalkRoundVisit], caption: String) -> Node<HTML.BodyContext> {
            .scrollingTable(
                .class("data-table"),
                .caption(.class("visually-hidden"), .text(caption)),
                .thead(
                    .tr(
                        .th(.scope("col"), .text("Day")), .th(.scope("col"), .text("Team")),
                        .th(.scope("col"), .text("Executive")))),
                .tbody(
                    .forEach(visits) { visit in
                        .tr(
                            .th(
                                .scope("row"),
                                .a(
                                    .href(SiteURL.walkRounds(.show(.value(visit.id))).relativeURL()),
                                    .text((visit.heldOn ?? visit.plannedOn).label)),
                                .if(visit.isLate, .span(.class("tag warn"), .text("To record")))),
                            .td(.text(visit.unit)), .td(.text(visit.executive)))
                    }))
        }
    }
}

extension WalkRoundsPage {
    /// The kinds of unit WalkRounds visit.
    static let visited: Set<UnitKind> = [.team, .ward, .service]
}

extension WalkRound {
    /// Each team's latest visit, counted by the database: `teams` nil for every team.
    static func lastVisits(of teams: [UUID]?, on db: any Database) async throws -> [UUID: CalendarDay] {
        var query = db.sql.select().column("unit_id").column(
            SQLFunction("MAX", args: SQLColumn("held_on")), as: "latest"
        )
        .from(WalkRound.schema).where("held_on", .isNot, SQLLiteral.null)
        if let teams {
            guard !teams.isEmpty else { return [:] }
            query = query.where("unit_id", .in, teams)
        }
        let rows = try await query.groupBy("unit_id").all()
        return Dictionary(
            try rows.map {
                (
                    try $0.decode(column: "unit_id", as: UUID.self),
                    CalendarDay(containing: try $0.decode(column: "latest", as: Date.self))
                )
            }
        ) { first, _ in first }
    }
}

extension WalkRoundsPage {
    /// The twelve calendar months the coverage counts, this one last: "the last 12 months" means
    /// the same window for the visits counted, the table by month, and the teams not visited.
    static func months(to today: CalendarDay) -> [CalendarMonth] {
        (0..<12).reversed().map { today.month.advanced(by: -$0) }
    }
}

extension WalkRoundsPage {
    /// The coverage of a unit (or the organisation) on a day, the same for everyone but for what
    /// each viewer may do (`seen(by:)`).
    struct Key: ResultKey {
        let unit: UUID?
        let day: CalendarDay
    }

    /// The page as drawn for viewers who may do the same things with it.
    struct PageKey: ResultKey {
        let unit: UUID?
        let day: CalendarDay
        let canSchedule: Bool
        let completable: Set<UUID>
    }
}

extension WalkRoundsPage.Model {
    /// The coverage as it stands, from the cache while nothing has changed, as `viewer` sees it.
    static func query(
        unitID: UUID?, policy: Policy, today: CalendarDay, cache: CachedResults = .none, on db: any Database
    ) async throws -> Self {
        try await cache.value(WalkRoundsPage.Key(unit: unitID, day: today)) {
            try await compute(unitID: unitID, policy: policy, today: today, on: db)
        }.seen(by: policy)
    }

    /// The drawing this viewer shares with those who may do the same.
    func pageKey(on day: CalendarDay) -> WalkRoundsPage.PageKey {
        .init(
            unit: unitID, day: day, canSchedule: canSchedule,
            completable: Set(followUps.filter(\.canComplete).map(\.actionID)))
    }

    /// What this viewer may do with the page: schedule, and close which follow-ups.
    func seen(by policy: Policy) -> Self {
        var model = self
        model.canSchedule = policy.allows(.planWalkRounds)
        model.followUps = followUps.settled(by: policy)
        return model
    }

    static func compute(unitID: UUID?, policy: Policy, today: CalendarDay, on db: any Database) async throws -> Self {
        let tree = policy.tree
        let scope = unitID.map { Array(tree.subtree(of: $0)) }
        let teams = tree.outline().map(\.node).filter {
            WalkRoundsPage.visited.contains($0.kind) && (unitID.map { tree.subtree(of: $0) }?.contains($0.id) ?? true)
        }
        let months = WalkRoundsPage.months(to: today)
        let start = months[0].firstDay
        // The whole organisation's page asks for every team's visits without naming them.
        let latest = try await WalkRound.lastVisits(of: scope == nil ? nil : teams.map(\.id), on: db)
        func inScope(_ query: QueryBuilder<WalkRound>) -> QueryBuilder<WalkRound> {
            scope.map { query.filter(\.$unit.$id ~~ $0) } ?? query
        }
        let held = try await inScope(WalkRound.query(on: db)).filter(\.$heldOn >= start.date).with(\.$executive)
            .sort(\.$heldOn, .descending).all()
        let planned = try await inScope(WalkRound.query(on: db)).filter(\.$heldOn == nil).filter(\.$cancelledAt == nil)
            .with(\.$executive)
            .sort(\.$plannedOn).limit(WalkRoundsPage.listed).all()
        let last = try await inScope(WalkRound.query(on: db)).filter(\.$heldOn != nil).with(\.$executive)
            .sort(\.$heldOn, .descending).first()
        var counts: [UUID: (name: String, counts: [Int])] = [:]
        for visit in held {
            guard let day = visit.heldOn, let index = months.firstIndex(of: CalendarMonth(containing: day)) else {
                continue
            }
            counts[visit.$executive.id, default: (visit.executive.fullName, Array(repeating: 0, count: months.count))]
                .counts[index] += 1
        }
        func row(_ visit: WalkRound) -> WalkRoundVisit {
            WalkRoundVisit(
                id: visit.id ?? UUID(), unit: tree.pathBelowRoot(of: visit.$unit.id),
                executive: visit.executive.fullName,
                plannedOn: CalendarDay(containing: visit.plannedOn),
                heldOn: visit.heldOn.map(CalendarDay.init(containing:)),
                isLate: !visit.isHeld && CalendarDay(containing: visit.plannedOn) < today)
        }
        // Open follow-ups from any visit in scope, however old.
        var open = WalkRoundAction.query(on: db).filter(\.$doneOn == nil)
            .join(WalkRound.self, on: \WalkRoundAction.$walkRound.$id == \WalkRound.$id)
        if let scope { open = open.filter(WalkRound.self, \.$unit.$id ~~ scope) }
        let followUps = try await open.sort(\.$dueOn).limit(WalkRoundsPage.listed).with(\.$owner).all()
        return Self(
            unitID: unitID, unitOptions: tree.groupOptions(), canSchedule: false,  // settled by `seen(by:)`
            teams: teams.count, heldInYear: held.count,
            planned: planned.map(row),
            unvisited: teams.filter { (latest[$0.id] ?? .init(daysSince1970: 0)) < start }
                .sorted {
                    (latest[$0.id]?.daysSince1970 ?? -1, $0.name) < (latest[$1.id]?.daysSince1970 ?? -1, $1.name)
                }
                .map { .init(id: $0.id, name: tree.pathBelowRoot(of: $0.id), lastVisit: latest[$0.id]) },
            months: months,
            byExecutive: counts.values.map { .init(name: $0.name, counts: $0.counts) }.sorted {
                ($1.total, $0.name) < ($0.total, $1.name)
            },
            followUps: try followUps.map { action in
                let visit = try action.joined(WalkRound.self)
                return try WalkRoundFollowUp(action, visit: visit, tree: tree, policy: policy, today: today)
            },
            recent: held.prefix(12).map(row),
            last: last.map(row))
    }
}

extension WalkRoundFollowUp {
    init(_ action: WalkRoundAction, visit: WalkRound, tree: UnitTree, policy: Policy, today: CalendarDay) throws {
        let due = CalendarDay(containing: action.dueOn)
        let done = action.doneOn.map(CalendarDay.init(containing:))
        self.init(
            walkRoundID: try visit.requireID(), actionID: try action.requireID(), action: action.action,
            owner: action.owner.fullName, unit: tree.nodes[visit.$unit.id]?.name ?? "", due: due, doneOn: done,
            isOverdue: done == nil && due < today, canComplete: false,
            completing: .completeWalkRoundAction(
                unitID: visit.$unit.id, executiveID: visit.$executive.id, ownerID: action.$owner.id))
        canComplete = completing.map(policy.allows) ?? false
    }
}

/// The form that schedules a WalkRound.
enum WalkRoundForm {
    struct Model: Sendable, Equatable {
        var teams: [FormField.Option]
        var executives: [FormField.Option]
        var form: FormState
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Schedule a WalkRound" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "WalkRounds", url: SiteURL.walkRounds(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            FormView(
                action: SiteURL.walkRounds(.create).relativeURL(), csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(
                        name: "unit_id", label: "Team",
                        control: .select([.init(value: "", label: "Choose a team")] + model.teams), isRequired: true),
                    FormField(
                        name: "executive_id", label: "Executive",
                        control: .select([.init(value: "", label: "Choose an executive")] + model.executives),
                        hint: model.executives.isEmpty ? "Nobody holds the executive role yet: grant it first." : nil,
                        isRequired: true),
                    FormField(name: "planned_on", label: "Day", control: .date, isRequired: true),
                ],
                submitLabel: "Schedule it", cancelURL: SiteURL.walkRounds(.index).relativeURL()
            ).page(
                "Schedule a WalkRound",
                lead: .p(
                    .class("lead"), .text("A different team each week: the list shows when each was last visited.")))
        }
    }
}

extension WalkRoundForm.Model {
    /// The teams the viewer may schedule a visit to, those never visited and the longest without a
    /// visit first, each saying when it was last visited; and the executives (the viewer first,
    /// when they are one).
    static func query(policy: Policy, form: FormState?, on db: any Database) async throws -> Self {
        let tree = policy.tree
        let teams = tree.outline().map(\.node).filter {
            WalkRoundsPage.visited.contains($0.kind) && policy.allows(.scheduleWalkRounds($0.id))
        }
        let latest = try await WalkRound.lastVisits(of: nil, on: db)
        let me = policy.viewer.personID
        let executives = try await WalkRound.executives(on: db).sorted {
            ($0.id == me ? 0 : 1, $0.name) < ($1.id == me ? 0 : 1, $1.name)
        }
        return Self(
            teams: teams.sorted {
                (latest[$0.id]?.daysSince1970 ?? -1, tree.path(of: $0.id))
                    < (latest[$1.id]?.daysSince1970 ?? -1, tree.path(of: $1.id))
            }.map {
                .init(
                    value: $0.id.uuidString,
                    label: tree.path(of: $0.id)
                        + (latest[$0.id].map { ", last visited \($0.label)" } ?? ", never visited"))
            },
            executives: executives.map { .init(value: $0.id.uuidString, label: $0.name) },
            form: form
                ?? FormState(values: [
                    "planned_on": AppClock.today.adding(days: 7).text,
                    "executive_id": executives.first { $0.id == me }?.id.uuidString ?? "",
                ]))
    }
}

extension WalkRound {
    /// Someone who holds the executive role, and the units it is granted at.
    struct Executive: Sendable, Equatable {
        let id: UUID
        let name: String
        let units: Set<UUID>

        /// Whether their role reaches the team: granted there or above it.
        func reaches(_ unitID: UUID, in tree: UnitTree) -> Bool {
            tree.selfAndAncestors(of: unitID).contains(where: units.contains)
        }
    }

    /// Everyone in use who holds the executive role.
    static func executives(on db: any Database) async throws -> [Executive] {
        let grants = try await RoleGrant.query(on: db).filter(\.$role == .executive).with(\.$person).all()
            .filter { !$0.person.isArchived }
        return Dictionary(grouping: grants, by: \.$person.id).map { id, grants in
            Executive(id: id, name: grants[0].person.fullName, units: Set(grants.map(\.$unit.id)))
        }
    }
}

/// One WalkRound: planned, or what it heard and its follow-ups; the form its executive records it on.
enum WalkRoundShow {
    struct Answer: Sendable, Equatable {
        let question: String
        let answer: String
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var unitID: UUID
        var unitPath: String
        var executive: String
        var plannedOn: CalendarDay
        var heldOn: CalendarDay?
        var isCancelled = false
        var answers: [Answer]
        var followUps: [WalkRoundFollowUp]
        var canRecord: Bool
        /// The viewer may move or call off the visit while it is planned.
        var canReschedule = false
        var owners: [FormField.Option]
        var form: FormState
        var moveForm = FormState()

        var isPlanned: Bool { heldOn == nil && !isCancelled }
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "WalkRound to \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "WalkRounds", url: SiteURL.walkRounds(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(
                    .text("WalkRound to \(model.unitPath)"),
                    .span(
                        .class(model.heldOn == nil ? "tag muted" : "tag"),
                        .text(model.isCancelled ? "Called off" : model.heldOn == nil ? "Planned" : "Held"))),
                .p(
                    .class("lead"),
                    .text(
                        model.heldOn.map { "\(model.executive) visited on \($0.label)." }
                            ?? (model.isCancelled
                                ? "\(model.executive)’s visit of \(model.plannedOn.label) was called off."
                                : "\(model.executive) plans to visit on \(model.plannedOn.label)."))),
                .unwrap(model.heldOn) { _ in
                    .group(
                        .dl(
                            .class("details"),
                            .forEach(model.answers) { .group(.dt(.text($0.question)), .dd(.text($0.answer))) }),
                        .h2(.text("Follow-ups")),
                        model.followUps.isEmpty
                            ? .p(.class("empty"), .text("Nothing to follow up."))
                            : .actionTable(
                                model.followUps.map(\.tracked), caption: "What the visit agreed to follow up",
                                heading: "Follow-up", sourceHeading: "Visit", csrfToken: context.csrfToken))
                },
                .if(model.isPlanned && model.canRecord, recordForm()),
                .if(model.isPlanned && model.canReschedule, moveForm())
            )
        }

        private func moveForm() -> Node<HTML.BodyContext> {
            .div(
                .class("narrow"),
                .h2(.text("Move or call off the visit")),
                FormView(
                    action: SiteURL.walkRounds(.reschedule(.value(model.id))).relativeURL(),
                    csrfToken: context.csrfToken, state: model.moveForm,
                    fields: [FormField(name: "planned_on", label: "New day", control: .date, isRequired: true)],
                    submitLabel: "Move the visit", anchor: "move"
                ).node,
                .postButton(
                    "Call off the visit", to: SiteURL.walkRounds(.cancel(.value(model.id))).relativeURL(),
                    csrfToken: context.csrfToken))
        }

        private func recordForm() -> Node<HTML.BodyContext> {
            let owners = [FormField.Option(value: "", label: "Choose, for a follow-up")] + model.owners
            var fields = [FormField(name: "held_on", label: "Day of the visit", control: .date, isRequired: true)]
            fields += WalkRound.questions.map {
                FormField(name: $0.field, label: $0.question, control: .textarea(rows: 3), isRequired: true)
            }
            for row in 0..<WalkRoundRecordInput.actionRows {
                let name = { WalkRoundRecordInput.name(row, $0) }
                fields += [
                    FormField(name: name(""), label: "Follow-up \(row + 1)"),
                    FormField(name: name("_owner_id"), label: "Its owner", control: .select(owners)),
                    FormField(name: name("_due_on"), label: "Due", control: .date),
                ]
            }
            return .div(
                .class("narrow"),
                .h2(.text("Record the visit")),
                FormView(
                    action: SiteURL.walkRounds(.record(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                    state: model.form, fields: fields, submitLabel: "Record the WalkRound", anchor: "record"
                ).node)
        }
    }
}

extension WalkRoundShow.Model {
    static func query(
        id: UUID, policy: Policy, today: CalendarDay, form: FormState? = nil, moveForm: FormState? = nil,
        on db: any Database
    ) async throws -> Self {
        guard
            let visit = try await WalkRound.query(on: db).filter(\.$id == id).with(\.$executive)
                .with(\.$actions, { $0.with(\.$owner) }).first()
        else { throw NotFound("WalkRound") }
        let tree = policy.tree
        let canRecord = policy.allows(.recordWalkRound(unitID: visit.$unit.id, executiveID: visit.$executive.id))
        let canReschedule = policy.allows(
            .rescheduleWalkRound(unitID: visit.$unit.id, executiveID: visit.$executive.id))
        let owners: [FormField.Option]
        if canRecord && !visit.isHeld {
            let people = try await Person.query(on: db).filter(\.$unit.$id ~~ Array(tree.subtree(of: visit.$unit.id)))
                .filter(\.$archivedAt == nil).sort(\.$fullName).all()
            owners = ([visit.executive] + people.filter { $0.id != visit.executive.id }).compactMap { person in
                person.id.map { .init(value: $0.uuidString, label: person.fullName) }
            }
        } else {
            owners = []
        }
        let answers = [visit.proudOf, visit.improving, visit.inTheWay, visit.selfCare]
        return Self(
            id: id, unitID: visit.$unit.id, unitPath: tree.path(of: visit.$unit.id),
            executive: visit.executive.fullName,
            plannedOn: CalendarDay(containing: visit.plannedOn),
            heldOn: visit.heldOn.map(CalendarDay.init(containing:)), isCancelled: visit.isCancelled,
            answers: zip(WalkRound.questions, answers).map { .init(question: $0.0.question, answer: $0.1 ?? "") },
            followUps: try visit.actions.sorted { $0.position < $1.position }.map {
                try WalkRoundFollowUp($0, visit: visit, tree: tree, policy: policy, today: today)
            },
            canRecord: canRecord, canReschedule: canReschedule, owners: owners,
            form: form ?? FormState(values: ["held_on": min(today, CalendarDay(containing: visit.plannedOn)).text]),
            moveForm: moveForm ?? FormState(values: ["planned_on": CalendarDay(containing: visit.plannedOn).text]))
    }
}
