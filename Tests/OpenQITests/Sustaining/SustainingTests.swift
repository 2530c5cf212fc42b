import Fluent
import Foundation
import SQLKit
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

    /// Writes these weeks' values to a measure and refreshes its summary, as every data change does.
    static func record(_ values: [Int: Double], to measure: Measure, on db: any Database) async throws {
        try await DataPoint.upsert(
            values.map {
                DataPoint(
                    measureID: try measure.requireID(), period: week($0.key).date, value: $0.value, denominator: nil,
                    note: nil)
            }, on: db)
        try await measure.refreshSummary(on: db)
    }

    /// A ward's completed project (closed 26 weeks ago, its lead on the team) whose weekly outcome
    /// measure rose out of its limits for weeks -20 to -17, its data running to week -12; its process
    /// measure, its archived outcome measure and its balancing measure did the same, and do not count.
    static func world(_ app: Application) async throws -> World {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        let lead = try await fixtures.signIn("lead@test.example", role: .member, at: units.willow)
        _ = try await fixtures.signIn("chair@test.example", role: .forumChair, at: units.directorate)
        _ = try await fixtures.signIn("outsider@test.example", role: .member, at: units.oak)
        let project = try await fixtures.approvedProject(
            "Fewer falls on Willow Ward", unit: units.willow, lead: lead, approvedAt: week(-80).date,
            completedAt: week(-26).date)
        try await TeamMember(
            projectID: project.requireID(), personID: lead.requireID(), role: "Project lead", isLead: true,
            involvement: .none
        ).create(on: app.db)
        let weeks = -70...(-12)
        let periods = weeks.map { week($0).date }
        let high = Set(-20...(-17))
        let outcome = try await fixtures.measure(
            "Falls a week", project: project, unit: units.willow, periods: periods,
            values: values(weeks: weeks, high: high))
        for (name, kind, archived) in [
            ("Huddles held", MeasureKind.process, false), ("Agency shifts", .balancing, false),
            ("Falls (old count)", .outcome, true),
        ] {
            let other = try await fixtures.measure(
                name, project: project, unit: units.willow, periods: periods,
                values: values(weeks: weeks, high: high), archived: archived)
            other.kind = kind
            try await other.save(on: app.db)
        }
        return World(units: units, lead: lead, project: project, outcome: outcome, slipFrom: week(-20))
    }

    @Test("a measure's summary keeps where its latest signal of concern began and ended")
    func summaryKeepsTheLatestConcern() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let summary = try #require(
                try await MeasureSummary.query(on: app.db).filter(\.$measure.$id == world.outcome.requireID()).first())
            #expect(summary.concernFrom.map(CalendarDay.init(containing:)) == Self.week(-20))
            #expect(summary.concernTo.map(CalendarDay.init(containing:)) == Self.week(-17))
        }
    }

    @Test("upgrading a database finds the signals of completed projects' measures from their data")
    func upgradeFindsTheSignals() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            // As a summary written before the columns existed has them: empty.
            try await app.db.sql.update(MeasureSummary.schema).set("concern_from", to: SQLLiteral.null)
                .set("concern_to", to: SQLLiteral.null).run()
            #expect(try await SlippingGains.signals(where: "1 = 1", on: app.db).isEmpty)
            try await AddConcernToMeasureSummaries.findSignals(on: app.db)
            let signals = try await SlippingGains.signals(
                where: "p.id = \(bind: try world.project.requireID())", on: app.db)
            #expect(signals.map(\.from) == [Self.week(-20)])
            #expect(signals.map(\.to) == [Self.week(-17)])
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
            let signal = ["signal": "\(outcomeID.uuidString)@\(world.slipFrom.text)"]

            let signals = try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: app.db)
            #expect(
                signals.map(\.measureName) == ["Falls a week"],
                "process, balancing and archived measures are not watched")
            #expect(signals.first?.from == world.slipFrom)
            #expect(signals.first?.to == Self.week(-17))

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
                "/projects/\(projectID)/gains", form: signal.merging(["action": "Not mine to say."]) { $1 })
            #expect(refused.status == .forbidden)

            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let page = try await lead.get("/projects/\(projectID)").body
            #expect(page.contains("Record what is being done"))
            let home = try await lead.get("/").body
            #expect(home.contains("The gains of “Fewer falls on Willow Ward” are slipping: record what is being done."))
            #expect(home.contains("<td>Gains slipping: say what is being done</td>"))

            // An empty answer is refused, keeping the choice; so is one about a signal the chart has
            // left, or about another project's measure.
            let empty = try await lead.post(
                "/projects/\(projectID)/gains", form: signal.merging(["action": "  "]) { $1 })
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.contains("Enter what is being done about it."))
            let stale = try await lead.post(
                "/projects/\(projectID)/gains",
                form: [
                    "signal": "\(outcomeID.uuidString)@\(Self.week(-30).text)",
                    "action": "Retraining the night staff.",
                ])
            #expect(stale.status == .unprocessableEntity)
            #expect(stale.body.contains("changed since this page was opened"))
            #expect(stale.body.contains("Retraining the night staff."), "what was typed is kept")
            let elsewhere = try await fixtures.approvedProject(
                "Another ward's project", unit: world.units.cedar, lead: world.lead, approvedAt: Self.week(-80).date,
                completedAt: Self.week(-26).date)
            let theirs = try await fixtures.measure("Their falls", project: elsewhere, unit: world.units.cedar)
            let foreign = try await lead.post(
                "/projects/\(projectID)/gains",
                form: ["signal": "\(theirs.id!.uuidString)@\(world.slipFrom.text)", "action": "Borrowed."])
            #expect(foreign.status == .unprocessableEntity)
            #expect(foreign.body.contains("Choose one of this project’s outcome measures."))
            #expect(try await GainsResponse.query(on: app.db).count() == 0)

            let answered = try await lead.post(
                "/projects/\(projectID)/gains",
                form: signal.merging([
                    "action": "Night staff retrained on the huddle; the coach checks in fortnightly."
                ]) { $1 })
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

            // The chair, answering the same signal a moment later, is told it was answered; nothing is saved.
            let late = try await chair.post(
                "/projects/\(projectID)/gains", form: signal.merging(["action": "Second answer."]) { $1 })
            #expect(late.status == .seeOther)
            #expect(try await chair.get(try #require(late.location)).body.contains("are not slipping now"))
            #expect(try await GainsResponse.query(on: app.db).count() == 1)

            // A short signal three weeks after the answered one is the same episode (a measure hovering
            // about its limit); one beginning after the weeks the answer covers needs its own answer.
            try await Self.record([-14: 12], to: world.outcome, on: app.db)
            #expect(try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: app.db).isEmpty)
            try await Self.record(
                Dictionary(uniqueKeysWithValues: (-11...(-1)).map { ($0, $0 >= -3 ? 12.0 : 4.0) }), to: world.outcome,
                on: app.db)
            let again = try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: app.db)
            #expect(again.map(\.from) == [Self.week(-3)])
            #expect(try await chair.get(agendaPath).body.contains("Gains slipping: Falls a week"))

            // The chair may answer it.
            let chairAnswer = try await chair.post(
                "/projects/\(projectID)/gains",
                form: ["signal": "\(outcomeID.uuidString)@\(Self.week(-3).text)", "action": "On the next agenda."])
            #expect(chairAnswer.status == .seeOther)
            #expect(try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: app.db).isEmpty)
        }
    }

    @Test("a past meeting's agenda lists the gains slipping then: begun by its day, not yet answered")
    func pastAgendasKeepWhatTheForumSaw() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            let policy = try await fixtures.administratorPolicy()
            func listed(on day: CalendarDay) async throws -> [String] {
                let meeting = ForumMeeting(unitID: try world.units.directorate.requireID(), date: day.date, notes: nil)
                try await meeting.create(on: app.db)
                return try await ForumAgenda.Model.query(
                    meetingID: try meeting.requireID(), policy: policy, on: app.db
                ).slipping.map(\.project.title)
            }
            #expect(try await listed(on: Self.week(-21)).isEmpty, "before the signal began")
            #expect(try await listed(on: Self.week(-20)) == ["Fewer falls on Willow Ward"], "on the day it began")
            _ = try await world.project.answerSlippingGains(
                .init(measureID: try world.outcome.requireID(), signalFrom: world.slipFrom, action: "Retraining."),
                recordedBy: try world.lead.requireID(), by: .commandLine, on: app.db)
            #expect(
                try await listed(on: Self.week(-10)) == ["Fewer falls on Willow Ward"],
                "a meeting before the answer still shows what it discussed")
            #expect(try await listed(on: Self.today).isEmpty, "answered today: gone from today's agenda")
        }
    }

    @Test(
        "a project closed without achieving its aim, an improvement after closing, or an active project is not slipping"
    )
    func onlyConcernAfterClosingCounts() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let units = try await TestWorld.make(app)
            let lead = try await fixtures.person("Lead", unit: units.willow)
            let weeks = -48...(-1)
            let periods = weeks.map { Self.week($0).date }
            // Closed six weeks ago in the middle of a signal of concern, its aim not achieved: it had
            // no gain to lose.
            let during = try await fixtures.approvedProject(
                "Closed in trouble", unit: units.willow, lead: lead, approvedAt: Self.week(-60).date,
                completedAt: Self.week(-6).date)
            during.aimAchieved = .no
            try await during.save(on: app.db)
            try await fixtures.measure(
                "Falls during", project: during, unit: units.willow, periods: periods,
                values: Self.values(weeks: weeks, high: Set(-8...(-1))))
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
