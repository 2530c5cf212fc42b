import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Forums")
struct ForumTests {
    struct World {
        let directorate: Unit, ward: Unit, otherWard: Unit
        let chair: Person, coach: Person, sponsor: Person, lead: Person
    }

    /// A directorate with a ward, another directorate's ward, a chair (a service user), a coach, a sponsor and a team lead.
    static func world(_ app: Application) async throws -> World {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        let (directorate, ward, otherWard) = (units.directorate, units.willow, units.oak)
        let chair = try await fixtures.signIn("chair@test.example", role: .forumChair, at: directorate)
        chair.kind = .serviceUser
        try await chair.save(on: app.db)
        let coach = try await fixtures.signIn("coach@test.example", role: .coach, at: directorate)
        let sponsor = try await fixtures.signIn("sponsor@test.example", role: .sponsor, at: directorate)
        let lead = try await fixtures.signIn("lead@test.example", role: .member, at: ward)
        return World(
            directorate: directorate, ward: ward, otherWard: otherWard, chair: chair, coach: coach, sponsor: sponsor,
            lead: lead)
    }

    static func submittedProject(_ app: Application, _ title: String, unit: Unit, lead: Person) async throws -> Project
    {
        let draft = ProjectDraft(
            title: title, unitID: unit.id!, whatMatters: "Matters", problem: "A problem", aimWhat: "Reduce falls",
            aimHowMuch: "by 30%", aimByWhen: Date().addingTimeInterval(365 * 24 * 3600), priorityIDs: [])
        let project = try await Project.propose(draft, proposer: lead.id!, by: .commandLine, on: app.db)
        try await project.submit(by: .commandLine, on: app.db)
        return project
    }

    @Test(
        "a chair schedules a meeting whose agenda lists the forum's proposals, and approves one with a coach and a sponsor"
    )
    func agendaAndApproval() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let falls = try await Self.submittedProject(
                app, "Fewer falls on Willow Ward", unit: world.ward, lead: world.lead)
            _ = try await Self.submittedProject(app, "Oak Ward night checks", unit: world.otherWard, lead: world.lead)
            let chair = TestBrowser(app: app)
            _ = try await chair.signIn("chair@test.example")

            let home = try await chair.get("/")
            #expect(home.body.contains("1 proposal waits for the Trust › Adult Mental Health forum."))
            // The forum lists what waits before any meeting is scheduled: this forum's, not Oak's.
            let forum = try await chair.get("/forums/\(world.directorate.id!)").body
            #expect(forum.contains(">Fewer falls on Willow Ward</a></td><td>Willow Ward</td>"))
            #expect(!forum.contains("Oak Ward night checks"))
            #expect(forum.contains("Schedule a meeting to decide on them from its agenda."))

            let scheduled = try await chair.post(
                "/forums/\(world.directorate.id!)/meetings", form: ["date": "2030-01-15", "notes": "Room 4"])
            let meetingPath = try #require(scheduled.location)
            let agenda = try await chair.get(meetingPath)
            #expect(agenda.body.contains("Fewer falls on Willow Ward"))
            #expect(
                !agenda.body.contains("Oak Ward night checks"), "another directorate's proposal is for its own forum")
            #expect(agenda.body.contains("Record the forum’s decision"))

            let meetingID = String(meetingPath.split(separator: "/").last!)
            let missing = try await chair.post(
                "/projects/\(falls.id!)/decisions", form: ["decision": "approve", "meeting_id": meetingID])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.contains("Choose a QI coach: every approved project has one."))
            #expect(missing.body.contains("Choose a sponsor: every approved project has one."))

            let approved = try await chair.post(
                "/projects/\(falls.id!)/decisions",
                form: [
                    "decision": "approve", "coach_id": world.coach.id!.uuidString,
                    "sponsor_id": world.sponsor.id!.uuidString, "meeting_id": meetingID,
                ])
            #expect(approved.status == .seeOther)
            let project = try #require(try await Project.find(falls.id, on: app.db))
            #expect(project.status == .active)
            #expect(project.stage == .understand)
            #expect(project.$coach.id == world.coach.id)
            #expect(project.$sponsor.id == world.sponsor.id)
            let decision = try #require(try await ForumDecision.query(on: app.db).first())
            #expect(decision.decision == .approve)
            #expect(decision.$decidedBy.id == world.chair.id)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectID == falls.id).filter(\.$action == "update")
                    .all()
                    .contains { $0.after["status"] == "active" && $0.before["status"] == "proposed" })

            let page = try await chair.get("/projects/\(falls.id!)")
            #expect(page.body.contains("Approved"))
            #expect(page.body.contains("coach Coach; sponsor Sponsor"))
            #expect(try await chair.get(meetingPath).body.contains("Decided at this meeting: Approved."))
        }
    }

    /// Two chairs deciding at the same moment each read the proposal as waiting; the checks on what
    /// they read both pass, so the second decision must be refused when it is saved.
    @Test("two decisions taken on one proposal at once: the second is refused, not saved over the first")
    func simultaneousDecisions() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let project = try await Self.submittedProject(app, "Fewer falls", unit: world.ward, lead: world.lead)
            let (first, second) = (
                try #require(try await Project.find(project.id, on: app.db)),
                try #require(try await Project.find(project.id, on: app.db))
            )
            let approve = ForumDecisionInput.Valid(
                decision: .approve, coachID: world.coach.id, sponsorID: world.sponsor.id, deferUntil: nil,
                reason: nil, meetingID: nil)
            let decline = ForumDecisionInput.Valid(
                decision: .decline, coachID: nil, sponsorID: nil, deferUntil: nil, reason: "Not now", meetingID: nil)
            try await first.decide(
                approve, decidedBy: world.chair.id!, tree: try await UnitTree.load(on: app.db), by: .commandLine,
                on: app.db)
            await #expect(throws: ValidationFailure.self) {
                try await second.decide(
                    decline, decidedBy: world.chair.id!, tree: try await UnitTree.load(on: app.db), by: .commandLine,
                    on: app.db)
            }
            let saved = try #require(try await Project.find(project.id, on: app.db))
            #expect(saved.status == .active && saved.$coach.id == world.coach.id)
            #expect(try await ForumDecision.query(on: app.db).count() == 1)
        }
    }

    @Test(
        "coach and sponsor choices never read alike: their unit, then its path, job title or a count tells namesakes apart"
    )
    func namesakesToldApart() {
        let (trust, east, west, eastWillow, westWillow) = (UUID(), UUID(), UUID(), UUID(), UUID())
        let tree = UnitTree([
            .init(id: trust, parentID: nil, name: "Trust", kind: .organisation, isArchived: false),
            .init(id: east, parentID: trust, name: "East", kind: .directorate, isArchived: false),
            .init(id: west, parentID: trust, name: "West", kind: .directorate, isArchived: false),
            .init(id: eastWillow, parentID: east, name: "Willow Ward", kind: .ward, isArchived: false),
            .init(id: westWillow, parentID: west, name: "Willow Ward", kind: .ward, isArchived: false),
        ])
        func person(_ name: String, _ unit: UUID, _ job: String? = nil) -> Person {
            Person(id: UUID(), fullName: name, email: nil, kind: .staff, unitID: unit, jobTitle: job)
        }
        let names = ForumDecisionChoices.names(
            [
                person("Sam Patel", eastWillow), person("Sam Patel", westWillow), person("Ann Lee", east),
                person("Jo Bell", east, "Charge nurse"), person("Jo Bell", east, "Matron"), person("Kim Ng", west),
                person("Kim Ng", west),
            ], tree: tree)
        #expect(
            names == [
                "Sam Patel — Trust › East › Willow Ward", "Sam Patel — Trust › West › Willow Ward", "Ann Lee — East",
                "Jo Bell — Trust › East — Charge nurse", "Jo Bell — Trust › East — Matron",
                "Kim Ng — Trust › West (1)", "Kim Ng — Trust › West (2)",
            ])
        #expect(Set(names).count == names.count)
    }

    @Test("only the forum's chair decides and schedules")
    func rights() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let project = try await Self.submittedProject(app, "Fewer falls", unit: world.ward, lead: world.lead)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            #expect(
                try await lead.post("/forums/\(world.directorate.id!)/meetings", form: ["date": "2030-01-15"]).status
                    == .forbidden)
            #expect(
                try await lead.post(
                    "/projects/\(project.id!)/decisions", form: ["decision": "decline", "reason": "No"]
                ).status == .forbidden)
            #expect(try await Project.find(project.id, on: app.db)?.status == .proposed)
        }
    }

    @Test("changes requested send the proposal back to the team, who see what to change; a declined one needs a reason")
    func requestChanges() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let project = try await Self.submittedProject(app, "Fewer falls", unit: world.ward, lead: world.lead)
            let chair = TestBrowser(app: app)
            _ = try await chair.signIn("chair@test.example")
            // Decided from the project's page: what was chosen comes back there, with what to fix.
            let noReason = try await chair.post("/projects/\(project.id!)/decisions", form: ["decision": "decline"])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.contains("Give the team the reason"))
            #expect(noReason.body.contains(#"value="decline" checked"#))
            #expect(noReason.body.contains(#"action="/projects/\#(project.id!)/decisions#decision-"#))
            _ = try await chair.post(
                "/projects/\(project.id!)/decisions",
                form: ["decision": "request_changes", "reason": "Add a service user to the team"])
            #expect(try await Project.find(project.id, on: app.db)?.status == .draft)

            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            #expect(
                try await lead.get("/").body.contains(
                    "Make the changes the forum asked for to “Fewer falls”: Add a service user to the team"))
        }
    }

    @Test(
        "the chair appoints from the coaches and sponsors for the project's unit, told apart by unit and load; anyone else is refused"
    )
    func appointments() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            // A namesake of the directorate's coach, coaching for another directorate only.
            let elsewhere = try await fixtures.signIn("coach@forensic.example", role: .coach, at: world.otherWard)
            let busy = try await Self.submittedProject(app, "Safer nights", unit: world.ward, lead: world.lead)
            try await busy.decide(
                .init(
                    decision: .approve, coachID: world.coach.id, sponsorID: world.sponsor.id, deferUntil: nil,
                    reason: nil, meetingID: nil),
                decidedBy: world.chair.id!, tree: try await UnitTree.load(on: app.db), by: .commandLine, on: app.db)
            let falls = try await Self.submittedProject(app, "Fewer falls", unit: world.ward, lead: world.lead)
            _ = try await Self.submittedProject(app, "Calmer evenings", unit: world.ward, lead: world.lead)
            let chair = TestBrowser(app: app)
            _ = try await chair.signIn("chair@test.example")
            let meeting = try #require(
                try await chair.post("/forums/\(world.directorate.id!)/meetings", form: ["date": "2030-01-15"]).location
            )
            let agenda = try await chair.get(meeting).body
            #expect(agenda.contains(">Coach — Adult Mental Health · coaches 1 active project</option>"))
            #expect(agenda.contains(">Sponsor — Adult Mental Health · sponsors 1 active project</option>"))
            #expect(!agenda.contains(elsewhere.id!.uuidString), "a coach for another directorate is not offered")
            // Two decision forms on one agenda, and no element id used twice.
            #expect(agenda.components(separatedBy: "Record the forum’s decision").count == 3)
            let ids = agenda.matches(of: /\sid="([^"]+)"/).map { String($0.output.1) }
            #expect(
                ids.count > 20 && Set(ids).count == ids.count,
                "repeated ids: \(ids.filter { id in ids.filter { $0 == id }.count > 1 })")

            let meetingID = String(meeting.split(separator: "/").last!)
            let refused = try await chair.post(
                "/projects/\(falls.id!)/decisions",
                form: [
                    "decision": "approve", "coach_id": elsewhere.id!.uuidString,
                    "sponsor_id": world.sponsor.id!.uuidString, "meeting_id": meetingID,
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.contains(
                    "this person is not a QI coach for Trust › Adult Mental Health › Willow Ward"))
            #expect(
                refused.body.contains(
                    #"action="/projects/\#(falls.id!)/decisions#decision-\#(falls.id!.uuidString.lowercased())-errors""#
                ))
            #expect(try await Project.find(falls.id, on: app.db)?.status == .proposed)

            // A date typed before the chair chose to approve is left out, not refused or saved.
            let approved = try await chair.post(
                "/projects/\(falls.id!)/decisions",
                form: [
                    "decision": "approve", "coach_id": world.coach.id!.uuidString,
                    "sponsor_id": world.sponsor.id!.uuidString, "defer_until": "not a date",
                ])
            #expect(approved.target == "/projects/\(falls.id!)#notice")
            let decision = try #require(
                try await ForumDecision.query(on: app.db).filter(\.$project.$id == falls.id!).first())
            #expect(decision.deferUntil == nil && decision.$meeting.id == nil)
            // A second decision sent from a page drawn before the first: the form is gone from the
            // page, so the refusal is said at its top rather than lost.
            let late = try await chair.post(
                "/projects/\(falls.id!)/decisions", form: ["decision": "decline", "reason": "Not now"])
            #expect(late.status == .seeOther)
            #expect(
                try await chair.get(try #require(late.location)).body.contains(
                    "“Fewer falls” is active, not waiting for a decision."))

            // The project's page offers the decision to the chair, not to the team.
            let calmer = try #require(try await Project.query(on: app.db).filter(\.$title == "Calmer evenings").first())
            #expect(try await chair.get("/projects/\(calmer.id!)").body.contains("Record the forum’s decision"))
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            #expect(!(try await lead.get("/projects/\(calmer.id!)").body.contains("Record the forum’s decision")))
        }
    }

    @Test("a deferred proposal returns to the agenda of the meeting it was deferred to")
    func deferral() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let project = try await Self.submittedProject(app, "Fewer falls", unit: world.ward, lead: world.lead)
            let chair = TestBrowser(app: app)
            _ = try await chair.signIn("chair@test.example")
            _ = try await chair.post(
                "/projects/\(project.id!)/decisions", form: ["decision": "defer", "defer_until": "2030-03-01"])
            #expect(try await Project.find(project.id, on: app.db)?.status == .deferred)
            // The forum's page keeps it among those waiting, saying when it returns, with the way to decide.
            let forum = try await chair.get("/forums/\(world.directorate.id!)").body
            #expect(forum.contains("Deferred</span> until 1 March 2030"))
            #expect(
                forum.contains(
                    #"href="/projects/\#(project.id!)#decision-\#(project.id!.uuidString.lowercased())">Decide"#))
            let february = try #require(
                try await chair.post("/forums/\(world.directorate.id!)/meetings", form: ["date": "2030-02-01"]).location
            )
            let march = try #require(
                try await chair.post("/forums/\(world.directorate.id!)/meetings", form: ["date": "2030-03-01"]).location
            )
            #expect(!(try await chair.get(february)).body.contains("Fewer falls"))
            #expect(try await chair.get(march).body.contains("Deferred to 1 March"))
        }
    }

    @Test(
        "an active project is due for review after six weeks without an update, with data overdue, or three months at the same score"
    )
    func reviewReasons() {
        let project = Project()
        project.title = "P"
        let day: TimeInterval = 24 * 3600
        let now = Date()
        func update(_ daysAgo: Double, _ score: Double) -> ProgressUpdate {
            let update = ProgressUpdate()
            update.date = now.addingTimeInterval(-daysAgo * day)
            update.score = score
            return update
        }
        #expect(ForumAgenda.Model.reviewReason(project, updates: [update(50, 2.0)], on: now) == "No update for 7 weeks")
        #expect(
            ForumAgenda.Model.reviewReason(
                project, updates: [update(120, 2.0), update(60, 2.5), update(10, 2.5)], on: now) == nil)
        #expect(
            ForumAgenda.Model.reviewReason(
                project, updates: [update(100, 2.5), update(40, 2.5), update(10, 2.5)], on: now)
                == "Score 2.5 unchanged for 3 months")
        // Data overdue: a weekly measure with nothing for a fortnight after its latest week.
        func weekly(latest daysAgo: Double?, created: Double = 200) -> MeasureFreshness {
            .init(
                name: "Falls per week", frequency: .weekly,
                latestPeriod: daysAgo.map { now.addingTimeInterval(-$0 * day) },
                createdAt: now.addingTimeInterval(-created * day))
        }
        let recent = [update(10, 2.5)]
        #expect(
            ForumAgenda.Model.reviewReason(project, updates: recent, measures: [weekly(latest: 20)], on: now) == nil)
        #expect(
            ForumAgenda.Model.reviewReason(project, updates: recent, measures: [weekly(latest: 22)], on: now)?
                .hasPrefix("Data overdue: Falls per week, last ") == true)
        #expect(
            ForumAgenda.Model.reviewReason(project, updates: recent, measures: [weekly(latest: nil)], on: now)
                == "No data yet: Falls per week")
        #expect(
            ForumAgenda.Model.reviewReason(
                project, updates: recent, measures: [weekly(latest: nil, created: 10)], on: now) == nil,
            "a new measure has six weeks to get its first data")
    }
}
