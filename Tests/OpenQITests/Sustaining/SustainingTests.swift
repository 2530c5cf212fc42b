import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Sustaining the gains: a completed project's outcome measures are watched after it closes, and a
/// signal of concern reaches its forum until someone records what is being done.
@Suite("Sustaining the gains")
struct SustainingTests {
    struct World {
        let units: TestWorld
        let lead: Person
        let project: Project
        let outcome: Measure
        /// The first week of the signal of concern that began after the project closed.
        let slipFrom: CalendarDay
    }

    static let today = AppClock.today
    /// Week `offset` from this week (negative: in the past), as a period.
    static func week(_ offset: Int) -> CalendarDay { today.adding(days: 7 * offset) }
    /// A steady process around 4, then `high` weeks at 12: lower is better, so they are a concern.
    static func values(weeks: ClosedRange<Int>, high: Set<Int>) -> [Double] {
        weeks.map { high.contains($0) ? 12 : [4, 5, 3, 4][($0 + 100) % 4] }
    }

    /// A ward's completed project (closed ten weeks ago, its lead on the team) whose outcome measure
    /// rose out of its limits for weeks -8 to -5; its process measure did the same, and does not count.
    static func world(_ app: Application) async throws -> World {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        let lead = try await fixtures.signIn("lead@test.example", role: .member, at: units.willow)
        _ = try await fixtures.signIn("chair@test.example", role: .forumChair, at: units.directorate)
        _ = try await fixtures.signIn("outsider@test.example", role: .member, at: units.oak)
        let project = try await fixtures.approvedProject(
            "Fewer falls on Willow Ward", unit: units.willow, lead: lead, approvedAt: week(-60).date,
            completedAt: week(-10).date)
        try await TeamMember(
            projectID: project.requireID(), personID: lead.requireID(), role: "Project lead", isLead: true,
            involvement: .none
        ).create(on: app.db)
        let weeks = -48...(-5)
        let periods = weeks.map { week($0).date }
        let high = Set(-8...(-5))
        let outcome = try await fixtures.measure(
            "Falls a week", project: project, unit: units.willow, periods: periods,
            values: values(weeks: weeks, high: high))
        let process = try await fixtures.measure(
            "Huddles held", project: project, unit: units.willow, periods: periods,
            values: values(weeks: weeks, high: high))
        process.kind = .process
        try await process.save(on: app.db)
        return World(units: units, lead: lead, project: project, outcome: outcome, slipFrom: week(-8))
    }

    @Test("a measure's summary keeps where its latest signal of concern began and ended")
    func summaryKeepsTheLatestConcern() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let summary = try #require(
                try await MeasureSummary.query(on: app.db).filter(\.$measure.$id == world.outcome.requireID()).first())
            #expect(summary.concernFrom.map(CalendarDay.init(containing:)) == Self.week(-8))
            #expect(summary.concernTo.map(CalendarDay.init(containing:)) == Self.week(-5))
        }
    }

    @Test(
        "an outcome measure slipping after completion is on the forum's next agenda, the portfolio, the project list and the project page, until someone records what is being done"
    )
    func slippingGainsReachTheForumUntilAnswered() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            let projectID = try world.project.requireID()
            let outcomeID = try world.outcome.requireID()

            let signals = try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: app.db)
            #expect(signals.map(\.measureName) == ["Falls a week"], "the process measure is not watched")
            #expect(signals.first?.from == world.slipFrom)
            #expect(signals.first?.to == Self.week(-5))

            // The forum's next meeting has it on its agenda without anyone adding it.
            let chair = TestBrowser(app: app)
            _ = try await chair.signIn("chair@test.example")
            let scheduled = try await chair.post(
                "/forums/\(world.units.directorate.id!)/meetings",
                form: ["date": Self.today.adding(days: 14).text, "notes": ""])
            let agendaPath = try #require(scheduled.location)
            let agenda = try await chair.get(agendaPath).body
            #expect(agenda.contains("3. Gains slipping (1)"))
            #expect(agenda.contains("Gains slipping: Falls a week, special cause of concern from"))
            let forum = try await chair.get("/forums/\(world.units.directorate.id!)").body
            #expect(forum.contains(">Fewer falls on Willow Ward</a>"))
            #expect(
                try await chair.get("/").body.contains(
                    "The gains of 1 completed project are slipping: the Trust › Adult Mental Health forum reviews it."))

            // The portfolio counts it, and its figure lists it.
            let policy = try await fixtures.administratorPolicy()
            let portfolio = try await PortfolioPage.Model.compute(
                unitID: world.units.directorate.requireID(), tree: policy.tree, on: app.db, now: Date())
            #expect(portfolio.gainsSlipping.count == 1)
            #expect(try await fixtures.projectsListed(at: portfolio.gainsSlipping.url, policy: policy) == 1)

            // The page says so to everyone; only those who may answer get the form.
            let outsider = TestBrowser(app: app)
            _ = try await outsider.signIn("outsider@test.example")
            let seen = try await outsider.get("/projects/\(projectID)").body
            #expect(seen.contains("Gains slipping."))
            #expect(!seen.contains("Record what is being done"))
            let refused = try await outsider.post(
                "/projects/\(projectID)/gains",
                form: ["signal": "\(outcomeID.uuidString)@\(world.slipFrom.text)", "action": "Not mine to say."])
            #expect(refused.status == .forbidden)

            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let page = try await lead.get("/projects/\(projectID)").body
            #expect(page.contains("Record what is being done"))
            #expect(
                try await lead.get("/").body.contains(
                    "The gains of “Fewer falls on Willow Ward” are slipping: record what is being done."))
            #expect(try await lead.get("/").body.contains("<td>Gains slipping: say what is being done</td>"))

            // An empty answer is refused, keeping the choice; so is one about a signal the chart has left.
            let empty = try await lead.post(
                "/projects/\(projectID)/gains",
                form: ["signal": "\(outcomeID.uuidString)@\(world.slipFrom.text)", "action": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.contains("Enter what is being done about it."))
            let stale = try await lead.post(
                "/projects/\(projectID)/gains",
                form: [
                    "signal": "\(outcomeID.uuidString)@\(Self.week(-20).text)",
                    "action": "Retraining the night staff.",
                ])
            #expect(stale.status == .unprocessableEntity)
            #expect(stale.body.contains("changed since this page was opened"))
            #expect(stale.body.contains("Retraining the night staff."), "what was typed is kept")
            #expect(try await GainsResponse.query(on: app.db).count() == 0)

            let answered = try await lead.post(
                "/projects/\(projectID)/gains",
                form: [
                    "signal": "\(outcomeID.uuidString)@\(world.slipFrom.text)",
                    "action": "Night staff retrained on the huddle; the coach checks in fortnightly.",
                ])
            #expect(answered.status == .seeOther)
            #expect(answered.target == "/projects/\(projectID)#notice")
            let after = try await lead.get("/projects/\(projectID)").body
            #expect(after.contains("Night staff retrained on the huddle"))
            #expect(!after.contains("Gains slipping."))
            #expect(!(try await chair.get(agendaPath).body.contains("Gains slipping: Falls a week")))
            let recount = try await PortfolioPage.Model.compute(
                unitID: world.units.directorate.requireID(), tree: policy.tree, on: app.db, now: Date())
            #expect(recount.gainsSlipping.count == 0)
            #expect(!(try await lead.get("/").body.contains("are slipping")))
            #expect(
                !(try await chair.get("/forums/\(world.units.directorate.id!)").body.contains(
                    ">Fewer falls on Willow Ward</a>")))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "gains_response").all()
            #expect(audit.count == 1)
            #expect(audit.first?.projectID == projectID)

            // A new signal, after a week back in the limits, needs an answer of its own.
            let weeks = -4...(-1)
            try await DataPoint.upsert(
                zip(weeks, Self.values(weeks: weeks, high: Set(-3...(-1)))).map {
                    DataPoint(
                        measureID: outcomeID, period: Self.week($0).date, value: $1, denominator: nil, note: nil)
                }, on: app.db)
            try await world.outcome.refreshSummary(on: app.db)
            let again = try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: app.db)
            #expect(again.map(\.from) == [Self.week(-3)])
            #expect(try await chair.get(agendaPath).body.contains("Gains slipping: Falls a week"))
        }
    }

    @Test("a signal of concern that ended before the project closed, or an improvement after it, is not slipping")
    func onlyConcernAfterClosingCounts() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let units = try await TestWorld.make(app)
            let lead = try await fixtures.person("Lead", unit: units.willow)
            let weeks = -48...(-1)
            let periods = weeks.map { Self.week($0).date }
            // Closed three weeks ago; its signal of concern ended four weeks ago.
            let before = try await fixtures.approvedProject(
                "Closed after its trouble", unit: units.willow, lead: lead, approvedAt: Self.week(-60).date,
                completedAt: Self.week(-3).date)
            try await fixtures.measure(
                "Falls before", project: before, unit: units.willow, periods: periods,
                values: Self.values(weeks: weeks, high: Set(-8...(-4))))
            // Falls dropped (lower is better) after it closed: an improvement, not a concern.
            let better = try await fixtures.approvedProject(
                "Still improving", unit: units.willow, lead: lead, approvedAt: Self.week(-60).date,
                completedAt: Self.week(-10).date)
            try await fixtures.measure(
                "Falls after", project: better, unit: units.willow, periods: periods,
                values: weeks.map { $0 >= -8 ? 0 : [4, 5, 3, 4][($0 + 100) % 4] })
            // Still active: nothing to sustain yet.
            let active = try await fixtures.approvedProject(
                "Still running", unit: units.willow, lead: lead, approvedAt: Self.week(-60).date)
            try await fixtures.measure(
                "Falls running", project: active, unit: units.willow, periods: periods,
                values: Self.values(weeks: weeks, high: Set(-8...(-4))))
            #expect(try await SlippingGains.signals(where: "1 = 1", on: app.db).isEmpty)
        }
    }
}
