import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import OpenQI

@Suite("Programmes")
struct ProgrammeTests {
    struct World {
        let units: TestWorld
        let standard: StandardMeasure
        /// The trust's QI team, who manage programmes.
        let strategist: TestBrowser
    }

    static func world(_ app: Application) async throws -> World {
        let units = try await TestWorld.make(app)
        let standard = StandardMeasure()
        (standard.name, standard.kind, standard.definition, standard.unitOfMeasure) =
            ("Violent incidents", .outcome, "Incidents of violence per 1,000 occupied bed days.", "per 1,000 bed days")
        (standard.frequency, standard.chartType, standard.rules, standard.direction) = (.weekly, "u", "mdc", "down")
        (standard.target, standard.multiply) = (nil, 1000)
        try await standard.create(on: app.db)
        try await Fixtures(app: app).signIn("qi@test.example", role: .qiTeam, at: units.trust)
        let strategist = TestBrowser(app: app)
        _ = try await strategist.signIn("qi@test.example")
        return World(units: units, standard: standard, strategist: strategist)
    }

    static func start(_ name: String, world: World, extra: [String: String] = [:]) async throws -> Programme {
        let started = try await world.strategist.post(
            "/programmes", form: ["name": name, "unit_id": world.units.trust.id!.uuidString].merging(extra) { $1 })
        #expect(started.status == .seeOther)
        return try #require(
            try await Programme.query(on: world.strategist.app.db).filter(\.$name == name).with(\.$people).first())
    }

    /// Draws the programme's driver diagram through its editor: one primary driver and `ideas`
    /// acting on it. Answers the ideas, in order.
    @discardableResult
    static func drawDiagram(_ programme: Programme, ideas: [String], world: World) async throws -> [ChangeIdea] {
        let base = "/programmes/\(programme.id!)"
        let added = try await world.strategist.post(
            base + "/drivers", form: ["level": "primary", "text": "Predictable ward routines"])
        #expect(added.status == .seeOther && added.location == base + "/driver-diagram")
        let db = world.strategist.app.db
        let driver = try #require(
            try await Driver.query(on: db).filter(\.$programme.$id == programme.id!).sort(\.$position).first())
        for title in ideas {
            let idea = try await world.strategist.post(
                base + "/change-ideas", fields: [("title", title), ("driver_ids[]", driver.id!.uuidString)])
            #expect(idea.status == .seeOther)
        }
        return try await ChangeIdea.query(on: db).filter(\.$programme.$id == programme.id!).sort(\.$position).all()
    }

    static func move(_ programme: Programme, to stage: String, world: World, on day: String? = nil) async throws
        -> TestBrowser.Page
    {
        let version = try #require(try await Programme.find(programme.id, on: world.strategist.app.db)).version
        return try await world.strategist.post(
            "/programmes/\(programme.id!)/stage",
            form: [
                "stage": stage, "decided_on": day ?? CalendarDay.text(AppClock.now), "note": "Agreed at the board",
                "version": String(version),
            ])
    }

    @Test(
        "a QI team starts a programme and moves it a stage at a time; 'deliver' waits for an aim, a driver diagram, a standard measure and an executive sponsor, each named"
    )
    func stages() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start("Violence reduction", world: world)
            #expect(programme.stage == .scope)
            let page = try await world.strategist.get("/programmes/\(programme.id!)").body
            #expect(page.contains("Before teams can deliver") && page.contains("It has no executive sponsor."))

            #expect(try await Self.move(programme, to: "deliver", world: world).body.contains("one stage at a time"))
            #expect(
                try await Self.move(programme, to: "design", world: world, on: "2099-01-01").body.contains(
                    "cannot be in the future"))
            #expect(try await Self.move(programme, to: "design", world: world).status == .seeOther)
            #expect(try await Self.move(programme, to: "recruit", world: world).status == .seeOther)

            let refused = try await Self.move(programme, to: "deliver", world: world)
            #expect(refused.status == .unprocessableEntity)
            for missing in [
                "It has no aim.", "It has no driver diagram.", "It has no standard measure.",
                "It has no executive sponsor.",
            ] {
                #expect(refused.body.contains(missing), "names what is missing: \(missing)")
            }
            #expect(refused.body.contains("Agreed at the board"), "the note typed is kept")
            #expect(try await Programme.find(programme.id, on: app.db)?.stage == .recruit, "a refusal changes nothing")
            #expect(try await ProgrammeStageChange.query(on: app.db).count() == 2)

            let edited = try await world.strategist.post(
                "/programmes/\(programme.id!)",
                fields: [
                    ("name", "Violence reduction"), ("unit_id", world.units.trust.id!.uuidString),
                    ("aim", "Reduce violence on our wards by 30% by March 2027"),
                    ("measure_ids[]", world.standard.id!.uuidString), ("version", "3"),
                ])
            #expect(edited.status == .seeOther)
            try await Fixtures(app: app).person("Dana Director", unit: world.units.trust)
            let added = try await world.strategist.post(
                "/programmes/\(programme.id!)/people", form: ["person": "Dana Director", "role": "executive_sponsor"])
            #expect(added.status == .seeOther)
            let twice = try await world.strategist.post(
                "/programmes/\(programme.id!)/people", form: ["person": "Dana Director", "role": "executive_sponsor"])
            #expect(twice.body.contains("Everyone who matches “Dana Director” is already executive sponsor."))
            // A driver with no change idea is not yet a diagram teams can adapt.
            try await Self.drawDiagram(programme, ideas: [], world: world)
            let halfDrawn = try await Self.move(programme, to: "deliver", world: world)
            #expect(halfDrawn.status == .unprocessableEntity && halfDrawn.body.contains("It has no driver diagram."))
            #expect(!halfDrawn.body.contains("It has no aim."))
            let driver = try #require(
                try await Driver.query(on: app.db).filter(\.$programme.$id == programme.id!).first())
            let idea = try await world.strategist.post(
                "/programmes/\(programme.id!)/change-ideas",
                fields: [("title", "Twice-daily safety huddle"), ("driver_ids[]", driver.id!.uuidString)])
            #expect(idea.status == .seeOther)

            #expect(try await Self.move(programme, to: "deliver", world: world).status == .seeOther)
            let delivering = try #require(try await Programme.find(programme.id, on: app.db))
            #expect(delivering.stage == .deliver)
            let decisions = try await ProgrammeStageChange.query(on: app.db).sort(\.$createdAt).all()
            #expect(decisions.map(\.to) == [.design, .recruit, .deliver])
            #expect(decisions.allSatisfy { $0.note == "Agreed at the board" })
            let shown = try await world.strategist.get("/programmes/\(programme.id!)").body
            #expect(shown.contains("Recruit → Deliver") && !shown.contains("Before teams can deliver"))

            // A page read before the last decision records nothing.
            let stale = try await world.strategist.post(
                "/programmes/\(programme.id!)/stage",
                form: ["stage": "evaluate", "decided_on": CalendarDay.text(AppClock.now), "note": "x", "version": "1"])
            #expect(stale.status == .unprocessableEntity && stale.body.contains("Someone changed the programme"))
            #expect(try await Programme.find(programme.id, on: app.db)?.stage == .deliver)

            let audited = try await AuditEntry.query(on: app.db).filter(\.$subjectID == programme.id!).all()
            #expect(audited.contains { $0.before["stage"] == "recruit" && $0.after["stage"] == "deliver" })
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "programme_member").count() == 1)
        }
    }

    @Test("an improvement advisor must hold that role; names and units are checked, and what was typed is kept")
    func people() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start("Access", world: world)
            let fixtures = Fixtures(app: app)
            let advisor = try await fixtures.person("Nadia Advisor", unit: world.units.directorate)
            let refused = try await world.strategist.post(
                "/programmes/\(programme.id!)/people", form: ["person": "Nadia Advisor", "role": "improvement_advisor"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Nadia Advisor is not an improvement advisor in Trust."))
            try await RoleGrant(personID: advisor.id!, unitID: world.units.directorate.id!, role: .improvementAdvisor)
                .create(on: app.db)
            let added = try await world.strategist.post(
                "/programmes/\(programme.id!)/people", form: ["person": "Nadia Advisor", "role": "improvement_advisor"])
            #expect(added.status == .seeOther)
            let member = try #require(try await ProgrammeMember.query(on: app.db).first())
            #expect(member.role == .improvementAdvisor && member.$person.id == advisor.id)
            let removed = try await world.strategist.post("/programmes/\(programme.id!)/people/\(member.id!)/remove")
            #expect(removed.status == .seeOther)
            #expect(try await ProgrammeMember.query(on: app.db).count() == 0)

            let again = try await world.strategist.post(
                "/programmes", form: ["name": "access", "unit_id": world.units.trust.id!.uuidString])
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.contains("There is already a programme called “Access”"))
            #expect(again.body.contains(#"value="access""#))
            let nowhere = try await world.strategist.post("/programmes", form: ["name": "Elsewhere", "unit_id": ""])
            #expect(nowhere.body.contains("Choose the unit that runs it."))
        }
    }

    @Test(
        "a team joins through a proposal for the programme that its forum approves, and then counts the programme's standard measures as defined"
    )
    func teamsJoin() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start(
                "Violence reduction", world: world, extra: ["measure_ids[]": world.standard.id!.uuidString])
            let fixtures = Fixtures(app: app)
            let lead = try await fixtures.signIn("lead@test.example", role: .member, at: world.units.willow)
            let coach = try await fixtures.signIn("coach@test.example", role: .coach, at: world.units.directorate)
            let sponsor = try await fixtures.signIn("sponsor@test.example", role: .sponsor, at: world.units.directorate)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("lead@test.example")
            let proposal: [String: String] = [
                "title": "Safer Willow", "unit_id": world.units.willow.id!.uuidString, "what_matters": "Safety",
                "problem": "Violence", "aim_what": "Reduce violence", "aim_how_much": "by 30%",
                "aim_by_when": CalendarDay.text(AppClock.now.addingTimeInterval(300 * 24 * 3600)),
                "programme_id": programme.id!.uuidString,
            ]
            // While the programme is being scoped it takes no teams: the form says why and keeps the rest.
            #expect(!(try await browser.get("/projects/new").body.contains("Part of a programme")))
            let early = try await browser.post("/projects", form: proposal)
            #expect(early.status == .unprocessableEntity)
            #expect(early.body.contains("“Violence reduction” is at its scope stage and takes no teams now"))
            #expect(early.body.contains(#"value="Safer Willow""#))

            _ = try await Self.move(programme, to: "design", world: world)
            _ = try await Self.move(programme, to: "recruit", world: world)
            #expect(try await browser.get("/projects/new").body.contains("Part of a programme"))
            let proposed = try await browser.post("/projects", form: proposal)
            #expect(proposed.status == .seeOther)
            let project = try #require(try await Project.query(on: app.db).filter(\.$title == "Safer Willow").first())
            #expect(project.$programme.id == programme.id)
            #expect(
                try await world.strategist.get("/programmes/\(programme.id!)").body.contains(
                    "Proposed, waiting for their forums (1)"))
            try await project.submit(by: .commandLine, on: app.db)
            try await project.decide(
                .init(
                    decision: .approve, coachID: coach.id, sponsorID: sponsor.id, deferUntil: nil, reason: nil,
                    meetingID: nil), decidedBy: lead.id!, tree: try await UnitTree.load(on: app.db), by: .commandLine,
                on: app.db)

            let measures = try await Measure.query(on: app.db).filter(\.$project.$id == project.id!).all()
            #expect(measures.count == 1)
            let measure = try #require(measures.first)
            #expect(measure.$standard.id == world.standard.id && measure.standardVersion == 1)
            #expect(
                measure.definition == world.standard.definition && measure.chartType == "u" && measure.multiply == 1000)
            #expect(measure.$unit.id == world.units.willow.id)

            // A standard measure added to the programme later reaches every team in it.
            let second = StandardMeasure()
            (second.name, second.kind, second.definition, second.unitOfMeasure) =
                ("Restraints", .outcome, "Every use of restraint.", "a week")
            (second.frequency, second.chartType, second.rules, second.direction) = (.weekly, "c", "mdc", "down")
            (second.target, second.multiply) = (nil, 1)
            try await second.create(on: app.db)
            let version = try #require(try await Programme.find(programme.id, on: app.db)).version
            _ = try await world.strategist.post(
                "/programmes/\(programme.id!)",
                fields: [
                    ("name", "Violence reduction"), ("unit_id", world.units.trust.id!.uuidString),
                    ("measure_ids[]", world.standard.id!.uuidString), ("measure_ids[]", second.id!.uuidString),
                    ("version", String(version)),
                ])
            let counted = try await Measure.query(on: app.db).filter(\.$project.$id == project.id!).all()
            #expect(Set(counted.compactMap(\.$standard.id)) == [world.standard.id!, second.id!])
            #expect(counted.count == 2, "nothing is given twice")

            // A measure the team archived stays archived when the programme is saved again.
            let restraint = try #require(counted.first { $0.$standard.id == second.id })
            restraint.archivedAt = AppClock.now
            try await restraint.save(on: app.db)
            let renamed = try #require(try await Programme.find(programme.id, on: app.db)).version
            _ = try await world.strategist.post(
                "/programmes/\(programme.id!)",
                fields: [
                    ("name", "Violence reduction"), ("unit_id", world.units.trust.id!.uuidString),
                    ("description", "Spreading to every ward"),
                    ("measure_ids[]", world.standard.id!.uuidString), ("measure_ids[]", second.id!.uuidString),
                    ("version", String(renamed)),
                ])
            #expect(try await Measure.query(on: app.db).filter(\.$project.$id == project.id!).count() == 2)
            #expect(try await Measure.find(restraint.id, on: app.db)?.archivedAt != nil)
            let audited = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectID == programme.id!).sort(
                    \.$occurredAt, .descending
                )
                .first())
            #expect(audited.after["standard_measures"] == "Restraints, Violent incidents")

            // Once approved, a team stays in the programme its forum approved it into: its editors
            // can neither take it out nor move another approved project in.
            var edit = proposal
            edit["programme_id"] = ""
            edit["version"] = String(try #require(try await Project.find(project.id, on: app.db)).version)
            let leave = try await browser.post("/projects/\(project.id!)", form: edit)
            #expect(leave.status == .unprocessableEntity && leave.body.contains("so it stays in it"))
            let other = try await fixtures.approvedProject(
                "Calmer Willow", unit: world.units.willow, lead: lead, approvedAt: AppClock.now)
            try await TeamMember(
                projectID: other.id!, personID: lead.id!, role: "Lead", isLead: true, involvement: .none
            )
            .create(on: app.db)
            var join = proposal
            join["title"] = "Calmer Willow"
            join["version"] = "1"
            let joined = try await browser.post("/projects/\(other.id!)", form: join)
            #expect(
                joined.status == .unprocessableEntity
                    && joined.body.contains("A team joins a programme through its proposal"))
            #expect(try await Project.find(other.id, on: app.db)?.$programme.id == nil)
            let page = try await world.strategist.get("/programmes/\(programme.id!)").body
            #expect(page.contains("Teams (1)") && page.contains(">Safer Willow</a>"))

            let api = try await world.strategist.json(.GET, "/api/v1/programmes/\(programme.id!)")
            #expect(api.status == .ok)
            let dto = try JSONDecoder().decode(ProgrammeDTO.self, from: Data(api.body.utf8))
            #expect(dto.stage == .recruit && dto.teams.map(\.title) == ["Safer Willow"])
            #expect(dto.standard_measures.map(\.name) == ["Restraints", "Violent incidents"])
            #expect(dto.stage_decisions.map(\.to) == [.recruit, .design])
            let list = try await world.strategist.json(.GET, "/api/v1/programmes")
            #expect(
                try JSONDecoder().decode([ProgrammeSummaryDTO].self, from: Data(list.body.utf8)).map(\.name) == [
                    "Violence reduction"
                ])
            let project_ = try await world.strategist.json(.GET, "/api/v1/projects/\(project.id!)")
            #expect(project_.body.contains(#""programme_id":"\#(programme.id!.uuidString)""#))
        }
    }

    @Test("the unit's administrators and QI team and the programme's leads manage it; everyone else reads it")
    func whoManages() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start("Access", world: world)
            let fixtures = Fixtures(app: app)
            let director = try await fixtures.signIn(
                "director@test.example", role: .admin, at: world.units.otherDirectorate)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("director@test.example")
            let read = try await browser.get("/programmes/\(programme.id!)")
            #expect(read.status == .ok && !read.body.contains("/programmes/\(programme.id!)/edit"))
            #expect(!read.body.contains("Record the decision"))
            #expect(try await browser.get("/programmes/\(programme.id!)/edit").status == .forbidden)
            #expect(try await Self.moveAs(browser, programme, to: "design").status == .forbidden)
            #expect(
                try await browser.post("/programmes/\(programme.id!)/people", form: ["person": "Director"]).status
                    == .forbidden)
            // A directorate's administrators run their own programmes, not the trust's.
            #expect(try await browser.get("/programmes/new").status == .ok)
            let theirs = try await browser.post(
                "/programmes", form: ["name": "Theirs", "unit_id": world.units.trust.id!.uuidString])
            #expect(theirs.status == .forbidden)

            // Made its lead, the director manages it.
            try await ProgrammeMember(programmeID: programme.id!, personID: director.id!, role: .lead).create(
                on: app.db)
            #expect(try await browser.get("/programmes/\(programme.id!)/edit").status == .ok)
            #expect(try await Self.moveAs(browser, programme, to: "design").status == .seeOther)

            try await fixtures.signIn("nurse@test.example", role: .member, at: world.units.willow)
            let nurse = TestBrowser(app: app)
            _ = try await nurse.signIn("nurse@test.example")
            #expect(try await nurse.get("/programmes").body.contains(">Access</a>"))
            #expect(!(try await nurse.get("/programmes").body.contains("Start a programme")))
            #expect(try await nurse.get("/programmes/new").status == .forbidden)

            // A QI team whose only unit has been archived starts nothing, and is told so at once.
            let closed = try await fixtures.unit("Closed Ward", kind: .ward, parent: world.units.directorate)
            try await fixtures.signIn("former@test.example", role: .qiTeam, at: closed)
            closed.archivedAt = AppClock.now
            try await closed.save(on: app.db)
            try await OrganisationRevision.bump(on: app.db)
            let former = TestBrowser(app: app)
            _ = try await former.signIn("former@test.example")
            #expect(try await former.get("/programmes/new").status == .forbidden)
            #expect(try await former.get("/plans/new").status == .forbidden)
            #expect(!(try await former.get("/programmes").body.contains("Start a programme")))
            #expect(!(try await former.get("/strategy").body.contains("Draw an annual plan")))
        }
    }

    @Test(
        "learning sessions are planned about eight weeks apart; each keeps who came from each team and what each team will test next"
    )
    func learningSessions() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start("Access", world: world)
            let fixtures = Fixtures(app: app)
            let lead = try await fixtures.person("Lee Lead", unit: world.units.willow)
            let nurse = try await fixtures.person("Nia Nurse", unit: world.units.willow)
            let stranger = try await fixtures.person("Sol Stranger", unit: world.units.oak)
            let team = try await fixtures.approvedProject(
                "Quicker first appointments", unit: world.units.willow, lead: lead, approvedAt: AppClock.now)
            team.$programme.id = programme.id
            try await team.save(on: app.db)
            for (person, role) in [(lead, "Lead"), (nurse, "Nurse")] {
                try await TeamMember(
                    projectID: team.id!, personID: person.id!, role: role, isLead: role == "Lead", involvement: .none
                ).create(on: app.db)
            }
            let today = CalendarDay.text(AppClock.now)
            #expect(try await world.strategist.get("/programmes/\(programme.id!)").body.contains(#"value="\#(today)""#))

            let missing = try await world.strategist.post(
                "/programmes/\(programme.id!)/learning-sessions", form: ["held_on": "2026-03-02", "place": ""])
            #expect(missing.status == .unprocessableEntity && missing.body.contains("Enter where it is held."))
            let planned = try await world.strategist.post(
                "/programmes/\(programme.id!)/learning-sessions",
                form: ["held_on": "2026-03-02", "place": "Trust headquarters", "agenda": "Storyboards"])
            #expect(planned.status == .seeOther)
            let session = try #require(try await LearningSession.query(on: app.db).first())
            let page = try await world.strategist.get(try #require(planned.location)).body
            #expect(page.contains("Learning session 1") && page.contains("Who came from Quicker first appointments"))
            #expect(page.contains("Lee Lead") && page.contains("Nia Nurse") && !page.contains("Sol Stranger"))
            // The next is offered eight weeks on.
            #expect(
                try await world.strategist.get("/programmes/\(programme.id!)").body.contains(#"value="2026-04-27""#))

            let register = "/learning-sessions/\(session.id!)/register"
            let stray = try await world.strategist.post(
                register,
                fields: [
                    ("attended[\(team.id!)][]", stranger.id!.uuidString), ("plans[\(team.id!)]", "Kept"),
                    ("version", "1"),
                ])
            #expect(stray.status == .unprocessableEntity)
            #expect(stray.body.contains("Tick people from Quicker first appointments’s list"))
            #expect(stray.body.contains(">Kept</textarea>"), "the plan typed is kept")
            #expect(try await LearningSessionAttendance.query(on: app.db).count() == 0)

            let saved = try await world.strategist.post(
                register,
                fields: [
                    ("attended[\(team.id!)][]", lead.id!.uuidString), ("attended[\(team.id!)][]", nurse.id!.uuidString),
                    ("plans[\(team.id!)]", "Test a text reminder two days before"), ("version", "1"),
                ])
            #expect(saved.status == .seeOther)
            let shown = try await world.strategist.get("/learning-sessions/\(session.id!)").body
            #expect(shown.contains("2 people from 1 of 1 teams"))
            #expect(shown.contains(">Test a text reminder two days before</textarea>"))
            let stale = try await world.strategist.post(
                register, fields: [("attended[\(team.id!)][]", lead.id!.uuidString), ("version", "1")])
            #expect(stale.status == .unprocessableEntity && stale.body.contains("Someone saved this register"))
            #expect(try await LearningSessionAttendance.query(on: app.db).count() == 2)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "learning_session").all().contains {
                    $0.after["attendance"] == "2 people from 1 team"
                })

            // The nurse leaves the team: the register, saved again, still says she came.
            try await TeamMember.query(on: app.db).filter(\.$person.$id == nurse.id!).delete()
            let again = try await world.strategist.post(
                register, fields: [("attended[\(team.id!)][]", lead.id!.uuidString), ("version", "2")])
            #expect(again.status == .seeOther)
            #expect(
                Set(try await LearningSessionAttendance.query(on: app.db).all().map(\.$person.id)) == [
                    lead.id!, nurse.id!,
                ])
            #expect(
                try await ActionPeriodPlan.query(on: app.db).count() == 0, "the plan cleared on the form is cleared")

            // Read by everyone; kept only by those who manage the programme.
            try await fixtures.signIn("reader@test.example", role: .member, at: world.units.oak)
            let reader = TestBrowser(app: app)
            _ = try await reader.signIn("reader@test.example")
            let read = try await reader.get("/learning-sessions/\(session.id!)")
            #expect(read.status == .ok && read.body.contains("Lee Lead, Nia Nurse") && !read.body.contains("<textarea"))
            #expect(try await reader.post(register, form: ["version": "3"]).status == .forbidden)

            let api = try await world.strategist.json(.GET, "/api/v1/programmes/\(programme.id!)")
            let dto = try JSONDecoder().decode(ProgrammeDTO.self, from: Data(api.body.utf8))
            #expect(dto.learning_sessions.count == 1 && dto.learning_sessions[0].attendance.count == 2)
            #expect(dto.learning_sessions[0].plans.isEmpty)
        }
    }

    @Test(
        "the dashboard shows each team's stage, score and latest data with its icons, the teams on one measure and all together, and who has stalled"
    )
    func dashboard() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start(
                "Violence reduction", world: world, extra: ["measure_ids[]": world.standard.id!.uuidString])
            let fixtures = Fixtures(app: app)
            let lead = try await fixtures.person("Lee Lead", unit: world.units.willow)
            let day: TimeInterval = 86_400
            let approved = AppClock.now.addingTimeInterval(-200 * day)
            var teams: [Project] = []
            for (title, unit) in [
                ("Safer Willow", world.units.willow), ("Safer Cedar", world.units.cedar),
                ("Safer Oak", world.units.oak), ("Calmer Oak", world.units.oak),
            ] {
                let team = try await fixtures.approvedProject(
                    title, unit: unit, lead: lead, approvedAt: approved,
                    lastUpdateAt: title == "Safer Oak" ? approved : AppClock.now)
                team.$programme.id = programme.id
                try await team.save(on: app.db)
                try await Programme.equip(team, by: .commandLine, on: app.db)
                teams.append(team)
            }
            // Twenty weeks of incidents over bed days for two teams, dated on different weekdays.
            let measures = try await Measure.query(on: app.db).filter(\.$project.$id ~~ teams.compactMap(\.id))
                .with(\.$project).all()
            #expect(measures.count == 4)
            // Calmer Oak has updated lately but counted nothing since its measure was made, long ago.
            let calmer = try #require(measures.first { $0.project?.title == "Calmer Oak" })
            try await app.db.sql.raw(
                "UPDATE measures SET created_at = \(bind: approved) WHERE id = \(bind: calmer.id!)"
            ).run()
            var points: [DataPoint] = []
            for (offset, measure) in measures.filter({ !$0.project!.title.hasSuffix("Oak") }).enumerated() {
                for week in 0..<20 {
                    points.append(
                        DataPoint(
                            measureID: measure.id!,
                            period: AppClock.now.addingTimeInterval(Double(-140 + 7 * week + offset) * day),
                            value: week < 10 ? 6 : 2, denominator: 140, note: nil))
                }
            }
            try await DataPoint.upsert(points, on: app.db)
            try await MeasureSummary.refresh(measures, on: app.db)

            let page = try await world.strategist.get("/programmes/\(programme.id!)/dashboard")
            #expect(page.status == .ok)
            let body = page.body
            for title in ["Safer Willow", "Safer Cedar", "Safer Oak"] { #expect(body.contains(">\(title)</a>")) }
            #expect(body.contains(">14.3</a>"), "the latest rate, per 1,000 bed days as the chart plots it")
            #expect(body.contains("No data yet, so not drawn: Calmer Oak, Safer Oak."))
            #expect(body.contains("class=\"small-multiples\""))
            #expect(body.contains("Violent incidents, all teams together"))
            #expect(body.contains("Every team’s counts over every team’s denominators"))
            #expect(body.contains("Safer Oak</a> — No update for six weeks"))
            #expect(body.contains("Calmer Oak</a> — No data for eight weeks"))
            #expect(body.contains("<strong>2</strong> stalled"))
            // The teams on a funnel over the latest twelve weeks, and the safety table beside it.
            #expect(body.contains("The teams compared over the latest 12 weeks"))
            #expect(body.contains("class=\"chart funnel\""))
            #expect(
                body.contains("Teams beyond the limits first, then by name; each one’s number is its dot on the plot."))
            for team in ["Willow Ward", "Cedar Ward"] {
                #expect(body.contains(">\(team)</a></th>"), "\(team) is in the safety table")
            }

            // Two teams' weeks, dated a day apart, are one week of the whole programme's.
            let byTeam = Dictionary(grouping: points, by: \.measureID).values.map { team in
                team.map {
                    MeasureSeries.Period(period: $0.period, value: $0.value, denominator: $0.denominator, note: nil)
                }
            }
            let u = Measure.options(chartType: "u", rules: "mdc", direction: "down", target: nil, multiply: 1000)
            let (pooled, options, subtitle) = ProgrammeDashboard.Model.aggregate(byTeam, frequency: .weekly, options: u)
            #expect(options.chart == .up, "many teams' counts make a Laney U′ chart")
            #expect(subtitle == "Every team’s counts over every team’s denominators")
            #expect(pooled.allSatisfy { $0.denominator == 280 || $0.denominator == 140 })
            #expect(pooled.count <= 21 && pooled.count >= 20)
            #expect(pooled.allSatisfy { CalendarDay(containing: $0.period).weekday == 0 })
            // Counts are summed with their denominators: two teams' 6 incidents in a week are 12 of 280.
            #expect(pooled.contains { $0.value == 12 && $0.denominator == 280 })
            // A percentage kept on an XmR chart with its denominators is pooled as counts over
            // denominators too, not as a mean of counts; without denominators, each team counts once.
            let i = Measure.options(chartType: "i", rules: "mdc", direction: "down", target: nil, multiply: 100)
            let monday = CalendarDay(containing: AppClock.now).adding(
                days: -CalendarDay(containing: AppClock.now).weekday)
            let percent = ProgrammeDashboard.Model.aggregate(
                [
                    [.init(period: monday.date, value: 3, denominator: 10, note: nil)],
                    [.init(period: monday.adding(days: 1).date, value: 1, denominator: 30, note: nil)],
                ], frequency: .weekly, options: i)
            #expect(percent.periods.map(\.value) == [4] && percent.periods.map(\.denominator) == [40])
            let mean = ProgrammeDashboard.Model.aggregate(
                [
                    [
                        .init(period: monday.date, value: 10, denominator: nil, note: nil),
                        .init(period: monday.adding(days: 2).date, value: 20, denominator: nil, note: nil),
                    ],
                    [.init(period: monday.adding(days: 1).date, value: 40, denominator: nil, note: nil)],
                ], frequency: .weekly, options: i)
            #expect(mean.periods.map(\.value) == [27.5], "(15 + 40) / 2: each team once")
            #expect(mean.options.chart == .i && mean.subtitle == "The mean of the teams’ values")

            // Asked for a measure that is not the programme's, the page shows its own first one.
            let foreign = try await world.strategist.get("/programmes/\(programme.id!)/dashboard?measure=\(UUID())")
            #expect(foreign.status == .ok && foreign.body.contains("Violent incidents, all teams together"))
        }
    }

    @Test("an idea's place in the spread matrix is read from its last cycle and the last decision")
    func spreadStates() {
        let cases: [([(PDSAStatus, PDSADecision?)], SpreadState, String)] = [
            ([], .notStarted, "no cycle yet"),
            ([(.planned, nil)], .testing, "a cycle planned"),
            ([(.complete, .adapt), (.running, nil)], .testing, "adapted and tested again"),
            ([(.complete, .adapt)], .testing, "between cycles after adapting"),
            ([(.complete, .adapt), (.complete, .adopt)], .adopted, "adopted"),
            ([(.complete, .adopt), (.running, nil)], .adopted, "adopted, now spreading it"),
            ([(.complete, .adopt), (.complete, .abandon)], .abandoned, "adopted, later let go"),
            ([(.complete, .abandon)], .abandoned, "abandoned"),
            ([(.complete, .abandon), (.planned, nil)], .testing, "abandoned, then tried again"),
            ([(.complete, .adapt), (.complete, nil)], .abandoned, "its project closed mid-ramp"),
            ([(.complete, nil)], .abandoned, "closed before any decision"),
            ([(.complete, .adopt), (.complete, nil)], .adopted, "closed after adopting"),
        ]
        for (ramp, expected, why) in cases {
            #expect(SpreadState.of(ramp.map { (status: $0.0, decision: $0.1) }) == expected, "\(why)")
        }
        // Once a team's project has closed, nothing is being tested.
        #expect(SpreadState.testing.closing(true) == .abandoned)
        #expect(SpreadState.adopted.closing(true) == .adopted && SpreadState.notStarted.closing(true) == .notStarted)
        #expect(SpreadState.testing.closing(false) == .testing)
    }

    @Test(
        "the small multiples show a page of teams at a time, on the y range of every team, and a page asked for is bounded"
    )
    func smallMultiplesByPage() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start(
                "Violence reduction", world: world, extra: ["measure_ids[]": world.standard.id!.uuidString])
            let fixtures = Fixtures(app: app)
            let lead = try await fixtures.person("Lee Lead", unit: world.units.willow)
            var points: [DataPoint] = []
            for index in 1...26 {
                let team = try await fixtures.approvedProject(
                    String(format: "Team %02d", index), unit: world.units.willow, lead: lead,
                    approvedAt: AppClock.now.addingTimeInterval(-90 * 86_400), lastUpdateAt: AppClock.now)
                team.$programme.id = programme.id
                try await team.save(on: app.db)
                try await Programme.equip(team, by: .commandLine, on: app.db)
                let measure = try #require(
                    try await Measure.query(on: app.db).filter(\.$project.$id == team.id!).first())
                // The last team counts far more than the others: every page's scale must reach it.
                for week in 0..<3 {
                    points.append(
                        DataPoint(
                            measureID: measure.id!,
                            period: AppClock.now.addingTimeInterval(Double(-21 + 7 * week) * 86_400),
                            value: index == 26 ? 90 : 2, denominator: 100, note: nil))
                }
            }
            try await DataPoint.upsert(points, on: app.db)
            func charts(_ body: String) -> Int {
                body.components(separatedBy: "<title id=\"multiple-").count - 1
            }
            let perPage = ProgrammeDashboard.teamsPerPage
            let pages = (26 + perPage - 1) / perPage
            let last = 26 - (pages - 1) * perPage
            let first = try await world.strategist.get("/programmes/\(programme.id!)/dashboard").body
            #expect(charts(first) == perPage)
            #expect(first.contains("Teams 1–\(perPage) of 26.") && first.contains("rel=\"next\""))
            #expect(!first.contains("rel=\"prev\""))
            let lastPage = try await world.strategist.get("/programmes/\(programme.id!)/dashboard?page=\(pages)").body
            #expect(charts(lastPage) == last && lastPage.contains("Teams \(27 - last)–26 of 26."))
            #expect(
                lastPage.contains("Team 26") && lastPage.contains("rel=\"prev\"") && !lastPage.contains("rel=\"next\""))
            // One y range for every page, taken from all 26 teams.
            let model1 = try await ProgrammeDashboard.Model.query(
                id: programme.id!, measure: nil, page: 1, policy: try await fixtures.administratorPolicy(), on: app.db)
            let model2 = try await ProgrammeDashboard.Model.query(
                id: programme.id!, measure: nil, page: pages, policy: try await fixtures.administratorPolicy(),
                on: app.db)
            /// The first chart's y axis: its ticks and their labels.
            func axis(_ svg: String?) -> Substring? {
                guard let svg, let start = svg.range(of: "class=\"y-axis\""),
                    let end = svg[start.upperBound...].range(of: "</g>")
                else { return nil }
                return svg[start.upperBound..<end.lowerBound]
            }
            #expect(axis(model1.smallMultiplesSVG) != nil)
            // Page 1 alone (every team at 20 per 1,000) would have a far lower scale than the last,
            // which holds the team at 900: the same axis on both is every team's.
            #expect(axis(model1.smallMultiplesSVG) == axis(model2.smallMultiplesSVG))
            for asked in ["99", "-4", "abc"] {
                let page = try await world.strategist.get("/programmes/\(programme.id!)/dashboard?page=\(asked)")
                #expect(page.status == .ok, "page=\(asked)")
            }
            #expect(
                charts(try await world.strategist.get("/programmes/\(programme.id!)/dashboard?page=99").body) == last)

            // Eleven more teams join (the forum's decisions move the revision on): the fourth page,
            // asked for before and kept as the third, is now a page of its own.
            #expect(
                try await world.strategist.get("/programmes/\(programme.id!)/dashboard?page=4").body.contains("of 26."))
            var more: [DataPoint] = []
            for index in 27...37 {
                let team = try await fixtures.approvedProject(
                    "Team \(index)", unit: world.units.willow, lead: lead, approvedAt: AppClock.now,
                    lastUpdateAt: AppClock.now)
                team.$programme.id = programme.id
                try await team.save(on: app.db)
                try await Programme.equip(team, by: .commandLine, on: app.db)
                let measure = try #require(
                    try await Measure.query(on: app.db).filter(\.$project.$id == team.id!).first())
                more.append(
                    DataPoint(
                        measureID: measure.id!, period: AppClock.now.addingTimeInterval(-7 * 86_400), value: 2,
                        denominator: 100, note: nil))
            }
            try await DataPoint.upsert(more, on: app.db)
            try await OrganisationRevision.bump(on: app.db)
            let fourth = try await world.strategist.get("/programmes/\(programme.id!)/dashboard?page=4").body
            #expect(fourth.contains("of 37.") && !fourth.contains("of 26."))

            // An address with no programme behind it is not found, and keeps nothing.
            let kept = app.resultCache.usage.entries
            #expect(try await world.strategist.get("/programmes/\(UUID())/dashboard").status == .notFound)
            #expect(app.resultCache.usage.entries == kept)
        }
    }

    @Test(
        "a programme's driver diagram is its change package: its teams say which idea each of theirs adapts, and the spread matrix follows their PDSA cycles"
    )
    func spread() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start("Violence reduction", world: world)
            let base = "/programmes/\(programme.id!)"
            let package = try await Self.drawDiagram(
                programme, ideas: ["Twice-daily safety huddle", "Broset checklist", "Evening activities"], world: world)
            #expect(package.count == 3 && package.allSatisfy { $0.$project.id == nil })
            let drawn = try await world.strategist.get(base + "/driver-diagram")
            #expect(drawn.status == .ok && drawn.body.contains("Broset checklist"))
            #expect(drawn.body.contains("no team adapts it yet"))
            #expect(drawn.body.contains(">Programmes</a>"), "under the programme, not a project")
            let audited = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "change_idea").all()
            #expect(audited.count == 3 && audited.allSatisfy { $0.subjectName.hasSuffix("— Violence reduction") })

            // Three teams, each led by someone who edits their own diagram.
            let fixtures = Fixtures(app: app)
            var teams: [(project: Project, browser: TestBrowser)] = []
            for (name, unit) in [
                ("Willow", world.units.willow), ("Cedar", world.units.cedar), ("Oak", world.units.oak),
            ] {
                let lead = try await fixtures.signIn("\(name.lowercased())@test.example", at: unit)
                let team = try await fixtures.approvedProject(
                    "Safer \(name)", unit: unit, lead: lead, approvedAt: AppClock.now.addingTimeInterval(-90 * 86_400))
                team.$programme.id = programme.id
                try await team.save(on: app.db)
                try await TeamMember(
                    projectID: team.id!, personID: lead.id!, role: "Project lead", isLead: true, involvement: .none
                ).create(on: app.db)
                let browser = TestBrowser(app: app)
                _ = try await browser.signIn("\(name.lowercased())@test.example")
                let driver = try await browser.post(
                    "/projects/\(team.id!)/drivers", form: ["level": "primary", "text": "Calm wards"])
                #expect(driver.status == .seeOther)
                teams.append((team, browser))
            }
            func teamDriver(_ team: Project) async throws -> UUID {
                try #require(try await Driver.query(on: app.db).filter(\.$project.$id == team.id!).first()?.id)
            }
            /// Adds a team's idea adapting the programme's idea `from` (by index), with its PDSA ramp.
            func adapt(
                _ index: Int, from: Int?, title: String, ramp: [(PDSAStatus, PDSADecision?)]
            ) async throws -> ChangeIdea {
                let (team, browser) = teams[index]
                var fields = [("title", title), ("driver_ids[]", try await teamDriver(team).uuidString)]
                if let from { fields.append(("adapted_from_id", package[from].id!.uuidString)) }
                let added = try await browser.post("/projects/\(team.id!)/change-ideas", fields: fields)
                #expect(added.status == .seeOther)
                let idea = try #require(
                    try await ChangeIdea.query(on: app.db).filter(\.$project.$id == team.id!).filter(\.$title == title)
                        .first())
                // Saved last cycle first: the matrix must read them in the order of their numbers.
                for (number, (status, decision)) in ramp.enumerated().reversed() {
                    let cycle = PDSACycle()
                    (cycle.$project.id, cycle.$changeIdea.id, cycle.number) = (team.id!, idea.id!, number + 1)
                    (cycle.status, cycle.decision) = (status, decision)
                    (cycle.objective, cycle.question, cycle.prediction, cycle.who) = ("o", "q", "p", "w")
                    (cycle.what, cycle.place, cycle.plannedStart) = ("x", "ward", AppClock.now)
                    try await cycle.create(on: app.db)
                }
                return idea
            }
            // Willow adopted the huddle after adapting it twice, and is testing the checklist.
            _ = try await adapt(
                0, from: 0, title: "Huddle at 8 and 8", ramp: [(.complete, .adapt), (.complete, .adopt)])
            _ = try await adapt(0, from: 1, title: "Broset at handover", ramp: [(.running, nil)])
            // Cedar abandoned the huddle in one form, and is testing it in another: testing wins.
            _ = try await adapt(1, from: 0, title: "Huddle at noon", ramp: [(.complete, .abandon)])
            _ = try await adapt(1, from: 0, title: "Huddle at shift change", ramp: [(.planned, nil)])
            // Oak abandoned the checklist; its own idea, adapting nothing, is not in the matrix.
            _ = try await adapt(
                2, from: 1, title: "Broset on admission", ramp: [(.complete, .adapt), (.complete, .abandon)])
            _ = try await adapt(2, from: nil, title: "Music at night", ramp: [(.complete, .adopt)])

            // Willow has taken the evening activities on but not tested them yet.
            _ = try await adapt(0, from: 2, title: "Evening activities on Willow", ramp: [])
            // A team whose project has closed after adapting the checklist tests nothing any more;
            // a proposal and a project outside the programme adapting the huddle count for nothing.
            let closed = try await fixtures.approvedProject(
                "Safer Ash", unit: world.units.cedar,
                lead: try await fixtures.person("Ash Lead", unit: world.units.cedar),
                approvedAt: AppClock.now.addingTimeInterval(-300 * 86_400), completedAt: AppClock.now)
            closed.$programme.id = programme.id
            try await closed.save(on: app.db)
            let proposal = try await fixtures.approvedProject(
                "Safer Birch", unit: world.units.cedar,
                lead: try await fixtures.person("Birch Lead", unit: world.units.cedar),
                approvedAt: AppClock.now)
            (proposal.$programme.id, proposal.status) = (programme.id, .proposed)
            try await proposal.save(on: app.db)
            let outsider = try await fixtures.approvedProject(
                "Elsewhere", unit: world.units.oak, lead: try await fixtures.person("Oak Lead", unit: world.units.oak),
                approvedAt: AppClock.now)
            for (project, from, title, ramp) in [
                (closed, 1, "Broset on Ash", [(PDSAStatus.complete, PDSADecision?.some(.adapt))]),
                (proposal, 0, "Birch huddle", [(PDSAStatus.complete, PDSADecision?.some(.adopt))]),
                (outsider, 0, "Our huddle", [(PDSAStatus.complete, PDSADecision?.some(.adopt))]),
            ] {
                let idea = ChangeIdea(
                    owner: .project(project.id!), title: title, summary: nil, position: 0, adaptedFrom: package[from].id
                )
                try await idea.create(on: app.db)
                for (number, (status, decision)) in ramp.enumerated() {
                    let cycle = PDSACycle()
                    (cycle.$project.id, cycle.$changeIdea.id, cycle.number) = (project.id!, idea.id!, number + 1)
                    (cycle.status, cycle.decision) = (status, decision)
                    (cycle.objective, cycle.question, cycle.prediction, cycle.who) = ("o", "q", "p", "w")
                    (cycle.what, cycle.place, cycle.plannedStart) = ("x", "ward", AppClock.now)
                    try await cycle.create(on: app.db)
                }
            }

            let rows = try (teams.map(\.project) + [closed]).map {
                try ProjectRow($0, id: $0.requireID(), tree: UnitTree([]))
            }
            let matrix = try await SpreadMatrix.query(programme: programme.id!, teams: rows, on: app.db)
            #expect(
                matrix.ideas.map(\.title) == ["Twice-daily safety huddle", "Broset checklist", "Evening activities"])
            #expect(
                matrix.rows.map(\.states) == [
                    [.adopted, .testing, .notStarted], [.testing, .notStarted, .notStarted],
                    [.notStarted, .abandoned, .notStarted], [.notStarted, .abandoned, .notStarted],
                ])
            #expect(matrix.count(.adopted) == [1, 0, 0], "neither the proposal nor the outsider counts")

            let page = try await world.strategist.get(base + "/dashboard")
            #expect(page.body.contains("Spread of the change ideas"))
            #expect(page.body.contains("<td class=\"spread adopted\">Adopted</td>"))
            #expect(page.body.contains("<td class=\"number\">1 of 4</td>"), "the closed team is still one of them")
            let diagram = try await world.strategist.get(base + "/driver-diagram")
            #expect(diagram.body.contains("adapted by 2 teams"), "Willow and Cedar adapt the huddle, Cedar twice")

            // A team may only say it adapts its own programme's ideas.
            let other = try await Self.start("Access", world: world)
            let otherIdeas = try await Self.drawDiagram(other, ideas: ["Text reminders"], world: world)
            let (willow, browser) = teams[0]
            let stray = try await browser.post(
                "/projects/\(willow.id!)/change-ideas",
                fields: [
                    ("title", "Texts"), ("driver_ids[]", try await teamDriver(willow).uuidString),
                    ("adapted_from_id", otherIdeas[0].id!.uuidString),
                ])
            #expect(stray.status == .unprocessableEntity)
            #expect(stray.body.contains("Choose one of the programme’s change ideas"))
            #expect(stray.body.contains("value=\"Texts\""), "what was typed is kept")
            #expect(try await ChangeIdea.query(on: app.db).filter(\.$title == "Texts").count() == 0)
            // The team's page offers the programme's ideas to adapt.
            let offered = try await browser.get("/projects/\(willow.id!)/driver-diagram")
            #expect(offered.body.contains("The programme’s change idea it adapts"))
            #expect(offered.body.contains("Adapts “Twice-daily safety huddle”"))

            // The programme's own ideas adapt nothing.
            let programmeDriver = try #require(
                try await Driver.query(on: app.db).filter(\.$programme.$id == programme.id!).first())
            let selfAdapting = try await world.strategist.post(
                base + "/change-ideas",
                fields: [
                    ("title", "Huddles twice"), ("driver_ids[]", programmeDriver.id!.uuidString),
                    ("adapted_from_id", package[1].id!.uuidString),
                ])
            #expect(selfAdapting.status == .unprocessableEntity)
            #expect(selfAdapting.body.contains("Choose one of the programme’s change ideas"))
            // An idea teams adapt cannot be removed from the programme's diagram; nor can a team
            // lead change the programme's diagram.
            let removal = try await world.strategist.post(base + "/change-ideas/\(package[0].id!)/remove", form: [:])
            #expect(removal.status == .unprocessableEntity && removal.body.contains("is adapted by 2 teams"))
            let spare = try await world.strategist.post(
                base + "/change-ideas",
                fields: [("title", "Spare idea"), ("driver_ids[]", programmeDriver.id!.uuidString)])
            #expect(spare.status == .seeOther)
            let unused = try #require(try await ChangeIdea.query(on: app.db).filter(\.$title == "Spare idea").first())
            #expect(
                try await world.strategist.post(base + "/change-ideas/\(unused.id!)/remove", form: [:]).status
                    == .seeOther)
            #expect(
                try await browser.post(base + "/drivers", form: ["level": "primary", "text": "Mine"]).status
                    == .forbidden)
            // Another project's box is not found under this programme's address.
            let foreign = try await teamDriver(willow)
            #expect(
                try await world.strategist.post(base + "/drivers/\(foreign)/remove", form: [:]).status == .notFound)
        }
    }

    @Test(
        "the evaluation sets each team's centre line before its first adopted change against the one after, and counts the aims met"
    )
    func evaluation() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let programme = try await Self.start(
                "Violence reduction", world: world, extra: ["measure_ids[]": world.standard.id!.uuidString])
            let fixtures = Fixtures(app: app)
            let lead = try await fixtures.person("Lee Lead", unit: world.units.willow)
            let day: TimeInterval = 86_400
            let start = AppClock.now.addingTimeInterval(-280 * day)
            let changed = start.addingTimeInterval(140 * day)
            var teams: [Project] = []
            for (title, unit) in [("Safer Willow", world.units.willow), ("Safer Cedar", world.units.cedar)] {
                let team = try await fixtures.approvedProject(
                    title, unit: unit, lead: lead, approvedAt: start,
                    completedAt: title == "Safer Willow" ? AppClock.now : nil)
                team.$programme.id = programme.id
                team.aimAchieved = title == "Safer Willow" ? .yes : nil
                try await team.save(on: app.db)
                try await Programme.equip(team, by: .commandLine, on: app.db)
                teams.append(team)
            }
            // Willow adopted a change at week 20, after which its incidents fell from 6 to 2 a week.
            let idea = ChangeIdea(owner: .project(teams[0].id!), title: "Safety huddle", summary: nil, position: 0)
            try await idea.create(on: app.db)
            let cycle = PDSACycle()
            cycle.$project.id = teams[0].id!
            cycle.$changeIdea.id = idea.id!
            cycle.number = 1
            cycle.status = .complete
            (cycle.objective, cycle.question, cycle.prediction) = ("Test", "Will it?", "Yes")
            (cycle.who, cycle.what, cycle.place, cycle.plannedStart) = ("Us", "Huddle", "Ward", changed)
            cycle.startedOn = changed
            cycle.decision = .adopt
            try await cycle.create(on: app.db)
            let measures = try await Measure.query(on: app.db).filter(\.$project.$id ~~ teams.compactMap(\.id)).all()
            var points: [DataPoint] = []
            for measure in measures {
                for week in 0..<40 {
                    points.append(
                        DataPoint(
                            measureID: measure.id!, period: start.addingTimeInterval(Double(7 * week) * day),
                            value: week < 20 || measure.$project.id == teams[1].id ? 6 : 2, denominator: 140,
                            note: nil))
                }
            }
            try await DataPoint.upsert(points, on: app.db)

            let page = try await world.strategist.get("/programmes/\(programme.id!)/evaluation")
            #expect(page.status == .ok)
            let body = page.body
            #expect(body.contains("<strong>1</strong> aims met") && body.contains("<strong>1</strong> still running"))
            #expect(body.contains("1 of 2 teams improved: a special cause against their baseline."))
            #expect(body.contains("Improvement: special cause against the baseline"))
            #expect(body.contains("No adopted change, or too little data either side"))
            #expect(body.contains(">42.9</td>") && body.contains(">14.3</td>"), "per 1,000 bed days, before and after")
            #expect(body.contains(CalendarDay.label(changed)))
        }
    }

    @Test(
        "a team's change is judged against its baseline: too short a one is not judged; worse and directionless changes are named"
    )
    func beforeAndAfter() {
        let day: TimeInterval = 86_400
        let start = CalendarDay(parsing: "2026-01-05", as: .iso)!.date
        func weeks(_ values: [Double]) -> [MeasureSeries.Period] {
            values.enumerated().map {
                .init(
                    period: start.addingTimeInterval(Double($0.offset) * 7 * day), value: $0.element, denominator: nil,
                    note: nil)
            }
        }
        func measure(direction: String) -> Measure {
            let measure = Measure()
            (measure.name, measure.chartType, measure.rules, measure.direction, measure.multiply) =
                ("Waits", "i", "mdc", direction, 1)
            return measure
        }
        let noise: [Double] = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10, 11, 9, 10, 12, 8]
        let changed = start.addingTimeInterval(15 * 7 * day)
        func judge(_ after: [Double], direction: String = "down", baseline: [Double] = noise)
            -> ProgrammeEvaluation.Comparison
        {
            ProgrammeEvaluation.Model.compare(
                measure(direction: direction), id: UUID(), periods: weeks(baseline + after),
                changedOn: start.addingTimeInterval(Double(baseline.count) * 7 * day), team: "T", teamID: UUID())
        }
        let lower = Array(repeating: 5.0, count: 10)
        let higher = Array(repeating: 15.0, count: 10)
        #expect(judge(lower).verdict == .improved)
        #expect(judge(higher).verdict == .worse)
        #expect(judge(higher, direction: "neutral").verdict == .changed)
        #expect(judge([10, 11, 9, 10, 10]).verdict == .noClearChange)
        let short = judge(lower, baseline: Array(noise.prefix(8)))
        #expect(short.verdict == .tooFew && short.before != nil, "the centre lines still show, the verdict does not")
        let none = ProgrammeEvaluation.Model.compare(
            measure(direction: "down"), id: UUID(), periods: weeks(noise + lower), changedOn: nil, team: "T",
            teamID: UUID())
        #expect(none.verdict == .notYet)
        // A point dated on the change's day is after it, whatever time of day the change was recorded.
        let onTheDay = ProgrammeEvaluation.Model.compare(
            measure(direction: "down"), id: UUID(), periods: weeks(noise + lower),
            changedOn: changed.addingTimeInterval(15 * 3600), team: "T", teamID: UUID())
        #expect(onTheDay.after == 5 && onTheDay.before == 10)
    }

    static func moveAs(_ browser: TestBrowser, _ programme: Programme, to stage: String) async throws
        -> TestBrowser.Page
    {
        let version = try #require(try await Programme.find(programme.id, on: browser.app.db)).version
        return try await browser.post(
            "/programmes/\(programme.id!)/stage",
            form: [
                "stage": stage, "decided_on": CalendarDay.text(AppClock.now), "note": "Agreed",
                "version": String(version),
            ])
    }
}
