import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI
@testable import OpenQIDemo

@Suite("Projects")
struct ProjectTests {
    struct World {
        let trust: Unit, ward: Unit, other: Unit, priority: Priority
    }

    static func world(_ app: Application) async throws -> World {
        let world = try await TestWorld.make(app)
        let priority = Priority(name: "Reducing harm")
        try await priority.create(on: app.db)
        return World(trust: world.trust, ward: world.willow, other: world.otherDirectorate, priority: priority)
    }

    static func proposal(_ world: World, title: String = "Fewer falls on Willow Ward") -> [String: String] {
        [
            "title": title, "unit_id": world.ward.id!.uuidString,
            "what_matters": "Patients and families tell us falls at night frighten them.",
            "problem": "Eleven falls a month, mostly between 2 and 6 a.m.",
            "aim_what": "Reduce falls on Willow Ward", "aim_how_much": "by 30%", "aim_by_when": "2030-03-31",
            "priority_ids[]": world.priority.id!.uuidString,
        ]
    }

    @Test("a proposal is saved as a draft with its proposer as lead, then submitted to the forum; both audited")
    func proposeAndSubmit() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let nurse = try await Fixtures(app: app).signIn("nurse@test.example", role: .member, at: world.ward)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("nurse@test.example")

            let created = try await browser.post("/projects", form: Self.proposal(world))
            #expect(created.status == .seeOther)
            let project = try #require(try await Project.query(on: app.db).with(\.$team).with(\.$priorities).first())
            #expect(project.status == .draft)
            #expect(project.aimStatement == "Reduce falls on Willow Ward by 30% by 31 March 2030")
            #expect(project.team.map(\.$person.id) == [nurse.id!])
            #expect(project.team.first?.isLead == true)
            #expect(project.priorities.map(\.name) == ["Reducing harm"])

            let page = try await browser.get(try #require(created.location))
            #expect(page.body.contains("was saved as a draft"))
            #expect(page.body.contains("Submit to the forum"))

            let sent = try await browser.post("/projects/\(project.id!)/submit")
            // The notice names the forum that decides (the directorate's), not the ward; nobody
            // chairs it in this world, and the notice says so and what to do.
            let notice = try await browser.get(try #require(sent.location)).body
            #expect(
                notice.contains(
                    "was submitted to the Trust › Adult Mental Health forum, which decides on proposals from Willow Ward. Nobody chairs that forum yet, so ask an administrator"
                ))
            let submitted = try #require(try await Project.find(project.id, on: app.db))
            #expect(submitted.status == .proposed)
            #expect(submitted.submittedAt != nil)
            let again = try await browser.post("/projects/\(project.id!)/submit")
            #expect(try await browser.get(try #require(again.location)).body.contains("Only a draft can be submitted"))
            let actions = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "project").all()
            #expect(actions.map(\.action).sorted() == ["create", "update"])
            #expect(actions.first { $0.action == "update" }?.after["status"] == "proposed")
        }
    }

    @Test(
        "/projects shows the viewer's own by their part (team, coach, sponsor), fifty to a page, keeping the other choices"
    )
    func myProjectsAndPages() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            let me = try await fixtures.signIn("nurse@test.example", role: .member, at: world.ward)
            let someone = try await fixtures.person("Someone Else", unit: world.ward)
            let now = AppClock.now
            var projects: [Project] = []
            for n in 0..<62 {
                projects.append(
                    try await fixtures.approvedProject(
                        String(format: "Project %02d", n), unit: world.ward, lead: someone,
                        approvedAt: now.addingTimeInterval(-Double(n) * 86_400)))
            }
            try await TeamMember(
                projectID: projects[3].requireID(), personID: me.requireID(), role: "Lead", isLead: true,
                involvement: .none
            ).create(on: app.db)
            projects[10].$coach.id = try me.requireID()
            try await projects[10].save(on: app.db)
            projects[20].$sponsor.id = try me.requireID()
            try await projects[20].save(on: app.db)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("nurse@test.example")

            func titles(_ path: String) async throws -> [String] {
                try await browser.get(path).body.matches(of: /Project \d\d/).map { String($0.output) }
            }
            #expect(try await titles("/projects?mine=team") == ["Project 03"])
            #expect(try await titles("/projects?mine=coach") == ["Project 10"])
            #expect(try await titles("/projects?mine=sponsor") == ["Project 20"])
            #expect(Set(try await titles("/projects?mine=any")) == ["Project 03", "Project 10", "Project 20"])
            let mine = try await browser.get("/projects?mine=any&status=active")
            #expect(mine.body.contains("Showing projects that you lead, are on, coach or sponsor"))
            #expect(mine.body.contains(#"aria-current="page"><strong>Mine</strong>"#))

            // Fifty to a page, every project once across the pages, the choices kept in the links.
            let first = try await browser.get("/projects?status=active")
            #expect(first.body.contains("62 projects, page 1 of 2"))
            #expect(
                first.body.contains(#"href="/projects?status=active&amp;page=2""#)
                    || first.body.contains(#"href="/projects?status=active&page=2""#))
            let pageOne = try await titles("/projects?status=active")
            let pageTwo = try await titles("/projects?status=active&page=2")
            #expect(pageOne.count == 50, "\(pageOne.count)")
            #expect(pageTwo.count == 12, "\(pageTwo.count)")
            #expect(Set(pageOne + pageTwo).count == 62)
            // A page number no one could mean is the last page there could be, not an error.
            for wild in ["99999999999999999999", "-5", "0", "9223372036854775807"] {
                #expect(try await browser.get("/projects?page=\(wild)").status == .ok, "\(wild)")
            }

            // Ordered in the database, so every page follows it: by title A to Z, or by score,
            // highest first and projects with none yet last on both databases.
            #expect(try await titles("/projects?order=title").prefix(3) == ["Project 00", "Project 01", "Project 02"])
            #expect(try await titles("/projects?order=title&page=2").first == "Project 50")
            for (index, score) in [(7, 4.5), (8, 2.0), (9, 3.0)] {
                projects[index].progressScore = score
                try await projects[index].save(on: app.db)
            }
            let byScore = try await titles("/projects?order=score")
            #expect(byScore.prefix(4) == ["Project 07", "Project 09", "Project 08", "Project 00"])
            let ordered = try await browser.get("/projects?order=score&status=active").body
            #expect(ordered.contains(#"aria-current="page"><strong>Progress score</strong>"#))
            #expect(ordered.contains(#"<input type="hidden" name="order" value="score""#), "a search keeps the order")
            #expect(ordered.contains(#"href="/projects?status=active&amp;order=score&amp;page=2""#))
        }
    }

    @Test("home lists the viewer's own projects with their part, status, score and latest data; others' are not there")
    func myProjectsOnHome() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            let nurse = try await fixtures.signIn("nurse@test.example", role: .member, at: world.ward)
            let coach = try await fixtures.signIn("coach@test.example", role: .coach, at: world.ward)
            let someone = try await fixtures.person("Someone Else", unit: world.ward)
            let now = AppClock.now
            let approved = try await fixtures.approvedProject(
                "Calmer nights", unit: world.ward, lead: someone, approvedAt: now.addingTimeInterval(-86_400),
                coach: coach)
            try await TeamMember(
                projectID: approved.requireID(), personID: nurse.requireID(), role: "Lead", isLead: true,
                involvement: .none
            ).create(on: app.db)
            try await fixtures.measure(
                "Incidents at night", project: approved, unit: world.ward,
                periods: [CalendarDay.date("2026-11-02")!, CalendarDay.date("2026-11-09")!])
            _ = try await fixtures.approvedProject(
                "Somebody else's project", unit: world.ward, lead: someone, approvedAt: now)

            let nurseBrowser = TestBrowser(app: app)
            _ = try await nurseBrowser.signIn("nurse@test.example")
            let home = try await nurseBrowser.get("/").body
            #expect(home.contains("My projects"))
            #expect(home.contains("Calmer nights") && home.contains(">Lead<") && home.contains("9 Nov 2026"))
            // What it waits for: its weekly data stopped on 9 November; approved yesterday, no update is due.
            #expect(home.contains("<td>Data overdue: Incidents at night</td>"))
            #expect(!home.contains("Update due"))
            #expect(!home.contains("Somebody else"))
            #expect(home.contains("/projects?mine=any"))

            let coachBrowser = TestBrowser(app: app)
            _ = try await coachBrowser.signIn("coach@test.example")
            let coachHome = try await coachBrowser.get("/").body
            #expect(coachHome.contains("Calmer nights") && coachHome.contains(">Coach<"))

            let stranger = try await fixtures.signIn("new@test.example")
            _ = stranger
            let newcomer = TestBrowser(app: app)
            _ = try await newcomer.signIn("new@test.example")
            #expect(
                try await newcomer.get("/").body.contains("You are not on a project team, nor a coach or sponsor, yet.")
            )
        }
    }

    @Test("the form guides to a measurable aim and keeps what was typed")
    func measurableAim() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            try await Fixtures(app: app).signIn("nurse@test.example", role: .member, at: world.ward)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("nurse@test.example")
            var form = Self.proposal(world)
            form["aim_how_much"] = "a lot"
            form["aim_by_when"] = "2001-01-01"
            form["problem"] = ""
            let page = try await browser.post("/projects", form: form)
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("Say how much with a number"))
            #expect(page.body.contains("The aim date has passed."))
            #expect(page.body.contains("Enter the problem."))
            #expect(page.body.contains(#"value="Fewer falls on Willow Ward""#))
            #expect(page.body.contains("checked"), "the chosen priority stays ticked")
            #expect(try await Project.query(on: app.db).count() == 0)
        }
    }

    @Test("team members, including a service user as a full partner, edit; others only read")
    func teamAndRights() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .member, at: world.ward)
            let serviceUser = try await fixtures.signIn("expert@test.example", role: .member, at: world.ward)
            serviceUser.kind = .serviceUser
            try await serviceUser.save(on: app.db)
            try await fixtures.signIn("outsider@test.example", role: .member, at: world.other)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let created = try await lead.post("/projects", form: Self.proposal(world))
            let projectPath = try #require(created.location)

            let outsider = TestBrowser(app: app)
            _ = try await outsider.signIn("outsider@test.example")
            #expect(try await outsider.get(projectPath).status == .ok, "everyone reads")
            #expect(try await outsider.get(projectPath + "/edit").status == .forbidden)

            let added = try await lead.post(
                projectPath + "/team",
                form: [
                    "person_id": serviceUser.id!.uuidString, "role": "Expert by experience",
                    "involvement": "full_partner",
                ])
            #expect(added.status == .seeOther)
            let member = try #require(
                try await TeamMember.query(on: app.db).filter(\.$person.$id == serviceUser.id!).first())
            #expect(member.involvement == .fullPartner)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "team_member").count() == 1)

            let expert = TestBrowser(app: app)
            _ = try await expert.signIn("expert@test.example")
            #expect(
                try await expert.get(projectPath + "/edit").status == .ok,
                "a service user on the team has the same rights as staff")
            let duplicate = try await lead.post(
                projectPath + "/team",
                form: ["person_id": serviceUser.id!.uuidString, "role": "Again", "involvement": "none"])
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.body.contains("is already on the team"))
        }
    }

    @Test("an archived priority is not offered to new projects, and projects that serve it keep it")
    func archivedPriority() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            try await Fixtures(app: app).signIn("lead@test.example", role: .member, at: world.ward)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let path = try #require(try await lead.post("/projects", form: Self.proposal(world)).location)
            world.priority.archivedAt = Date()
            try await world.priority.save(on: app.db)

            let refused = try await lead.post("/projects", form: Self.proposal(world, title: "Another"))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("is archived and no longer offered to projects"))
            var unknown = Self.proposal(world, title: "Another")
            unknown["priority_ids[]"] = UUID().uuidString
            let nowhere = try await lead.post("/projects", form: unknown)
            #expect(nowhere.status == .unprocessableEntity && nowhere.body.contains("There is no priority with"))
            // The edit form still shows it, ticked, so saving the form keeps it.
            let form = try await lead.get(path + "/edit").body
            #expect(form.contains(#"value="\#(world.priority.id!.uuidString)" checked"#))
            #expect(form.contains("Reducing harm, archived"))
            var renamed = Self.proposal(world, title: "Fewer falls, renamed")
            renamed["version"] = "1"
            let kept = try await lead.post(path, form: renamed)
            #expect(kept.status == .seeOther)
            let project = try #require(try await Project.query(on: app.db).with(\.$priorities).first())
            #expect(project.title == "Fewer falls, renamed" && project.priorities.map(\.id) == [world.priority.id])
        }
    }

    @Test("two people editing one proposal at once: the second is told what the first saved and keeps their text")
    func concurrentEdits() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .member, at: world.ward)
            try await fixtures.signIn("analyst@test.example", role: .qiTeam, at: world.ward)
            let (lead, analyst) = (TestBrowser(app: app), TestBrowser(app: app))
            _ = try await lead.signIn("lead@test.example")
            _ = try await analyst.signIn("analyst@test.example")
            let path = try #require(try await lead.post("/projects", form: Self.proposal(world)).location)
            func version(_ page: TestBrowser.Page) throws -> String { try TestBrowser.hiddenValue("version", in: page) }
            // Both open the form on version 1.
            let leadStarts = try version(try await lead.get(path + "/edit"))
            let analystStarts = try version(try await analyst.get(path + "/edit"))
            #expect(leadStarts == "1" && analystStarts == "1")

            var leads = Self.proposal(world, title: "Fewer falls at night")
            leads["version"] = leadStarts
            #expect(try await lead.post(path, form: leads).status == .seeOther)

            var analysts = Self.proposal(world, title: "No falls on Willow Ward")
            analysts["problem"] = "Nine falls a month."
            analysts["version"] = analystStarts
            let refused = try await analyst.post(path, form: analysts)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("Lead saved this project at"))
            // Beside the field itself, not only in the summary at the top.
            let titleError = try #require(refused.body.firstMatch(of: #/id="field-title-error"[^>]*>(.*?)</p>/#))
            #expect(titleError.1.contains("Title, as Lead saved it: “Fewer falls at night”"))
            #expect(refused.body.contains("The problem, as Lead saved it: “Eleven falls a month"))
            #expect(!refused.body.contains("What matters, and to whom?, as Lead saved it"), "only what differs")
            #expect(refused.body.contains(#"value="No falls on Willow Ward""#), "the analyst's text is kept")
            #expect(refused.body.contains("Nine falls a month."))
            let project = try #require(try await Project.query(on: app.db).first())
            #expect(project.title == "Fewer falls at night" && project.version == 2)

            // Saving again, on the version now shown, keeps the analyst's text knowingly.
            analysts["version"] = try version(refused)
            #expect(analysts["version"] == "2")
            #expect(try await analyst.post(path, form: analysts).status == .seeOther)
            let saved = try #require(try await Project.find(project.requireID(), on: app.db))
            #expect(saved.title == "No falls on Willow Ward" && saved.version == 3)

            // The API: a change sent with an old version is refused with 409.
            struct Change: Encodable {
                let title = "From the API", unit_id: String, what_matters = "x", problem = "y"
                let aim_what = "Reduce falls", aim_how_much = "by 30%", aim_by_when = "2030-03-31", version = 1
            }
            let api = try await lead.json(.PUT, "/api/v1" + path, encoding: Change(unit_id: world.ward.id!.uuidString))
            #expect(api.status == .conflict)
            #expect(api.body.contains("it is now at version 3"))
        }
    }

    @Test(
        "text naming a page cache's stand-in for the anti-forgery token is shown as typed, never as the viewer's token")
    func standInNotReflected() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            try await Fixtures(app: app).signIn("lead@test.example", role: .member, at: world.ward)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            // All an attacker can know is another cache's stand-in (another installation's, or one
            // read from the source): each cache makes its own, and none is ever sent.
            let known = ResultCache().csrfStandIn
            #expect(known != app.resultCache.csrfStandIn)
            let title = "Falls \(known) on nights"
            let path = try #require(try await lead.post("/projects", form: Self.proposal(world, title: title)).location)
            let page = try await lead.get(path).body
            let token = try #require(TestBrowser.metaCSRF(in: page))
            #expect(page.contains(title))
            #expect(!page.contains("Falls \(token)"))
        }
    }

    @Test("a project page drawn once for many viewers gives each their own token and only the forms they may use")
    func pageDrawnOnce() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .member, at: world.ward)
            try await fixtures.signIn("outsider@test.example", role: .member, at: world.other)
            try await fixtures.signIn("colleague@test.example", role: .member, at: world.other)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let path = try #require(try await lead.post("/projects", form: Self.proposal(world)).location)
            func tokens(in html: String) -> Set<String> {
                Set(
                    html.components(separatedBy: #"name="_csrf" value=""#).dropFirst().compactMap {
                        $0.split(separator: "\"").first.map(String.init)
                    })
            }
            var pages: [String: String] = [:]
            for email in ["lead@test.example", "outsider@test.example", "colleague@test.example"] {
                let browser = TestBrowser(app: app)
                _ = try await browser.signIn(email)
                let page = try await browser.get(path).body
                let token = try #require(TestBrowser.metaCSRF(in: page))
                #expect(tokens(in: page) == [token], "\(email)'s forms carry \(email)'s own token")
                #expect(!page.contains(app.resultCache.csrfStandIn))
                pages[email] = page
            }
            #expect(pages["lead@test.example"]?.contains("Add to team") == true)
            #expect(pages["outsider@test.example"]?.contains("Add to team") == false, "not the lead's copy")
            #expect(pages["outsider@test.example"]?.contains("Colleague") == false, "the frame names its own viewer")
            #expect(pages["colleague@test.example"]?.contains(#"class="viewer-name">Colleague<"#) == true)
        }
    }

    @Test("a new team member is found by name: one match joins, several are offered, none says what to do")
    func findTeamMember() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .member, at: world.ward)
            let amara = try await fixtures.person("Amara Okafor", kind: .serviceUser, unit: world.ward)
            let ama = try await fixtures.person("Ama Mensah", unit: world.other)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let projectPath = try #require(try await lead.post("/projects", form: Self.proposal(world)).location)
            let form = ["role": "Expert by experience", "involvement": "full_partner"]

            let nobody = try await lead.post(projectPath + "/team", form: form.merging(["person": "Zebedee"]) { $1 })
            #expect(nobody.status == .unprocessableEntity)
            #expect(nobody.body.contains("No one on the People list matches “Zebedee”."))
            #expect(nobody.body.contains(#"value="Expert by experience""#), "what was typed is kept")

            // "Ama" is in both names: the page offers the two to choose from, with what tells them apart.
            let several = try await lead.post(projectPath + "/team", form: form.merging(["person": "ama"]) { $1 })
            #expect(several.status == .unprocessableEntity)
            #expect(several.body.contains("2 people match “ama”. Choose who you mean."))
            #expect(
                several.body.contains(
                    #"name="person_id" value="\#(amara.id!.uuidString)"/> Amara Okafor — Service user, Trust › Adult Mental Health › Willow Ward"#
                ))
            #expect(several.body.contains(#"name="person_id" value="\#(ama.id!.uuidString)"/> Ama Mensah — Staff, "#))
            #expect(several.body.contains(#"value="ama""#), "the search stays, to refine")
            let chosen = try await lead.post(
                projectPath + "/team", form: form.merging(["person_id": amara.id!.uuidString]) { $1 })
            #expect(chosen.status == .seeOther)

            // Part of a name is confirmed before anyone joins; a whole name joins at once.
            let part = try await lead.post(projectPath + "/team", form: form.merging(["person": "mensah"]) { $1 })
            #expect(part.status == .unprocessableEntity)
            #expect(part.body.contains("1 person matches “mensah”. Choose who you mean."))
            let whole = try await lead.post(projectPath + "/team", form: form.merging(["person": "ama mensah"]) { $1 })
            #expect(whole.status == .seeOther)
            // Someone already on the team is not offered again.
            let again = try await lead.post(projectPath + "/team", form: form.merging(["person": "ama"]) { $1 })
            #expect(again.body.contains("Everyone who matches “ama” is already on the team."))
            let team = try await TeamMember.query(on: app.db).all().map(\.$person.id)
            #expect(Set(team).isSuperset(of: [amara.id!, ama.id!]))
        }
    }

    @Test(
        "a lead invites a service user not on the People list: they join the team at once, and their record waits for approval by those who manage people"
    )
    func inviteServiceUser() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .member, at: world.ward)
            try await fixtures.signIn("manager@test.example", role: .qiTeam, at: world.ward)
            try await fixtures.signIn("elsewhere@test.example", role: .qiTeam, at: world.other)
            try await fixtures.signIn("admin@test.example", role: .admin, at: world.ward)
            _ = try await fixtures.person("Known Carer", kind: .carer, unit: world.ward, email: "known@example.org")
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let projectPath = try #require(try await lead.post("/projects", form: Self.proposal(world)).location)
            let invite = projectPath + "/team/invite"
            let form = [
                "full_name": "Rosa Lindqvist", "kind": "service_user", "email": "", "role": "Expert by experience",
                "involvement": "full_partner",
            ]
            // Staff are added by those who manage people; a known address is added from the list.
            let staff = try await lead.post(invite, form: form.merging(["kind": "staff"]) { $1 })
            #expect(staff.status == .unprocessableEntity)
            #expect(staff.body.contains("Only a service user or a carer can be invited here."))
            #expect(staff.body.contains(#"value="Rosa Lindqvist""#), "what was typed is kept")
            #expect(staff.body.contains(#"action="\#(projectPath)/team/invite#invite-member-errors""#))
            let known = try await lead.post(invite, form: form.merging(["email": "Known@Example.org"]) { $1 })
            #expect(known.body.contains("Known Carer already has this email address."))
            #expect(try await Person.query(on: app.db).filter(\.$fullName == "Rosa Lindqvist").count() == 0)

            let invited = try await lead.post(invite, form: form.merging(["email": "rosa@example.org"]) { $1 })
            #expect(invited.target == projectPath + "#notice")
            let rosa = try #require(try await Person.query(on: app.db).filter(\.$fullName == "Rosa Lindqvist").first())
            #expect(rosa.kind == .serviceUser && rosa.$unit.id == world.ward.id && rosa.awaitsApproval)
            let member = try #require(try await TeamMember.query(on: app.db).filter(\.$person.$id == rosa.id!).first())
            #expect(member.involvement == .fullPartner && member.role == "Expert by experience")
            let page = try await lead.get(projectPath)
            // Done far down the page, said at its top: the notice takes the focus and links back.
            #expect(
                page.body.contains(
                    #"<div class="notice" id="notice" role="status" tabindex="-1">Rosa Lindqvist joined the team."#))
            #expect(page.body.contains(##"<a href="#team">Back to where you were</a></div>"##))
            #expect(page.body.contains(">Rosa Lindqvist</a><span class=\"tag muted\">Awaiting approval</span>"))
            #expect(!(try await lead.get("/")).body.contains("wait for you to approve"), "not the lead's to approve")
            #expect(try await lead.post("/people/\(rosa.id!)/approve").status == .forbidden)

            // Who manages the ward's people sees it on their home page, and approves.
            let manager = TestBrowser(app: app)
            _ = try await manager.signIn("manager@test.example")
            #expect(
                try await manager.get("/").body.contains(
                    "Rosa Lindqvist, invited onto a project team, waits for you to approve their record."))
            let elsewhere = TestBrowser(app: app)
            _ = try await elsewhere.signIn("elsewhere@test.example")
            #expect(!(try await elsewhere.get("/")).body.contains("Rosa Lindqvist"), "another directorate's")
            let waiting = try await manager.get("/people?awaiting=yes").body
            #expect(waiting.contains(">Rosa Lindqvist</a>") && !waiting.contains("Known Carer"))
            let person = try await manager.get("/people/\(rosa.id!)").body
            #expect(person.contains("Lead invited Rosa Lindqvist onto a project team on "))
            #expect(person.contains("Approve the record"))
            // Until it is approved, the record is a name on a team: no sign-in, no roles.
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("admin@test.example")
            let signIn = try await admin.post("/people/\(rosa.id!)/sign-in")
            #expect(signIn.status == .badRequest)
            #expect(signIn.body.contains("Approve Rosa Lindqvist’s record before issuing a sign-in."))
            let role = try await admin.post(
                "/people/\(rosa.id!)/roles", form: ["role": "viewer", "unit_id": world.ward.id!.uuidString])
            #expect(role.body.contains("Approve Rosa Lindqvist’s record before granting roles."))
            #expect(try await RoleGrant.query(on: app.db).filter(\.$person.$id == rosa.id!).count() == 0)
            let approved = try await manager.post("/people/\(rosa.id!)/approve")
            #expect(approved.status == .seeOther)
            let saved = try #require(try await Person.find(rosa.id, on: app.db))
            #expect(!saved.awaitsApproval && saved.approvedAt != nil)
            let trail = try await AuditEntry.query(on: app.db).filter(\.$subjectID == rosa.id!).sort(\.$occurredAt)
                .all()
            #expect(trail.map(\.action) == ["create", "update"])
            #expect(trail.last?.before["awaiting_approval"] == "yes" && trail.last?.after["awaiting_approval"] == nil)
            #expect(!(try await manager.get("/")).body.contains("waits for you to approve"))
            #expect(!(try await lead.get(projectPath)).body.contains("Awaiting approval"))

            // Turning an invitation down is archiving the record, which takes them off the team too.
            _ = try await lead.post(invite, form: form.merging(["full_name": "Tom Reyes", "kind": "carer"]) { $1 })
            let tom = try #require(try await Person.query(on: app.db).filter(\.$fullName == "Tom Reyes").first())
            #expect(try await manager.post("/people/\(tom.id!)/archive").status == .seeOther)
            #expect(try await TeamMember.query(on: app.db).filter(\.$person.$id == tom.id!).count() == 0)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "team_member")
                    .filter(\.$action == "remove").count() == 1)
            #expect(!(try await lead.get(projectPath)).body.contains("\(tom.id!.uuidString)\">Tom Reyes</a></td>"))
        }
    }

    /// The cases found by walking the demo: an email that silently picked the staff member, a
    /// service user and a staff member of one name, and a name so common the list was refused.
    @Test("the team picker tells namesakes apart, never guesses from part of an email, and lists the first of many")
    func teamPicker() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            // Of the trust's QI team, who may search people by part of their email.
            try await fixtures.signIn("lead@test.example", role: .qiTeam, at: world.trust)
            let staff = try await fixtures.person("Ben Hughes", unit: world.other, email: "ben.hughes@test.example")
            let serviceUser = try await fixtures.person("Ben Hughes", kind: .serviceUser, unit: world.ward)
            for number in 1...25 {
                _ = try await fixtures.person("Pat Number \(number)", unit: world.ward)
            }
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let projectPath = try #require(try await lead.post("/projects", form: Self.proposal(world)).location)
            let form = ["role": "Expert by experience", "involvement": "full_partner"]

            let email = try await lead.post(projectPath + "/team", form: form.merging(["person": "ben.hughes"]) { $1 })
            #expect(email.status == .unprocessableEntity, "part of an email picks nobody without asking")
            #expect(email.body.contains("Ben Hughes — Staff, Trust › Forensic"))
            let namesakes = try await lead.post(
                projectPath + "/team", form: form.merging(["person": "Ben Hughes"]) { $1 })
            #expect(namesakes.body.contains("2 people match “Ben Hughes”. Choose who you mean."))
            #expect(namesakes.body.contains(#"value="\#(staff.id!.uuidString)"/> Ben Hughes — Staff, "#))
            #expect(namesakes.body.contains(#"value="\#(serviceUser.id!.uuidString)"/> Ben Hughes — Service user, "#))

            let many = try await lead.post(projectPath + "/team", form: form.merging(["person": "pat"]) { $1 })
            #expect(many.body.contains("25 people match “pat”. Choose who you mean. The first 20 are listed"))
            #expect(many.body.components(separatedBy: #"type="radio" name="person_id""#).count - 1 == 20)

            // As the lead types: the same list, from the picker's address; a unit's name finds its people.
            let typed = try await lead.get(projectPath + "/team/choices?person=willow")
            #expect(typed.status == .ok)
            #expect(typed.body.hasPrefix(#"<fieldset id="add-member-field-person_id""#))
            #expect(typed.body.contains(#"value="\#(serviceUser.id!.uuidString)""#))
            #expect(!typed.body.contains(#"value="\#(staff.id!.uuidString)""#))
            #expect(try await lead.get(projectPath + "/team/choices?person=b").body.contains("at least two letters"))
            let chosen = try await lead.post(
                projectPath + "/team", form: form.merging(["person_id": serviceUser.id!.uuidString]) { $1 })
            #expect(chosen.status == .seeOther)
            #expect(try await TeamMember.query(on: app.db).filter(\.$person.$id == serviceUser.id!).count() == 1)
        }
    }

    @Test("an update moves the score and stage, and the score history is drawn")
    func progressUpdates() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            try await Fixtures(app: app).signIn("lead@test.example", role: .member, at: world.ward)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("lead@test.example")
            let path = try #require(try await browser.post("/projects", form: Self.proposal(world)).location)
            let project = try #require(try await Project.query(on: app.db).first())
            project.status = .active
            try await project.save(on: app.db)

            let bad = try await browser.post(
                path + "/updates",
                form: ["update_date": "2026-01-05", "score": "3.7", "did": "", "learned": "x", "next_steps": "y"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Choose a progress score from 0.5 to 5.0."))
            #expect(bad.body.contains("Enter what the team did."))

            for (date, score) in [("2026-01-05", "2.0"), ("2026-02-02", "3.5")] {
                let posted = try await browser.post(
                    path + "/updates",
                    form: [
                        "update_date": date, "score": score, "stage": "test", "did": "Tested a night-time check",
                        "learned": "Falls fell",
                        "next_steps": "Spread to Cedar Ward", "sponsor_ask": "Agree overtime for the night checks",
                    ])
                #expect(posted.status == .seeOther)
            }
            let updated = try #require(try await Project.find(project.id, on: app.db))
            #expect(updated.progressScore == 3.5)
            #expect(updated.stage == .test)
            let page = try await browser.get(path)
            #expect(page.body.contains("3.5 — Improvement"))
            #expect(page.body.contains("progress-chart"))
            #expect(
                page.body.contains("2 updates, from 2.0 on 5 Jan 2026 to 3.5 on 2 Feb 2026."),
                "dates in words, as the table beside it")
            #expect(page.body.contains("Agree overtime for the night checks"))
        }
    }

    @Test("similar projects are found by their words, best first")
    func similarity() {
        let falls = UUID()
        let meds = UUID()
        let night = UUID()
        let index = SimilarProjects([
            .init(id: falls, text: "Fewer falls on Willow Ward. Patients fall at night."),
            .init(id: meds, text: "Safer medicines reconciliation on admission"),
            .init(id: night, text: "Night-time observations and falls prevention on Cedar Ward"),
        ])
        let matches = index.matches(for: "Reducing falls at night on our ward")
        #expect(matches.map(\.id).prefix(2) == [falls, night])
        #expect(!matches.map(\.id).contains(meds))
        #expect(index.matches(for: "falls", excluding: falls).map(\.id) == [night])
        #expect(SimilarProjects.terms("Falling patients' FALLS") == ["fall", "patient", "fall"])
    }
}

@Suite("Closing projects and the demo portfolio")
struct ProjectClosureTests {
    @Test("a completed project records whether its aim was achieved, what was learned and how gains are sustained")
    func complete() async throws {
        try await withOpenQI { app in
            let world = try await ProjectTests.world(app)
            try await Fixtures(app: app).signIn("lead@test.example", role: .member, at: world.ward)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("lead@test.example")
            let path = try #require(try await browser.post("/projects", form: ProjectTests.proposal(world)).location)
            let draftClose = try await browser.post(path + "/close", form: ["outcome": "stopped", "learning": "x"])
            #expect(draftClose.status == .badRequest, "a draft cannot be closed")
            #expect(draftClose.body.contains("Only an active project can be closed"))
            let project = try #require(try await Project.query(on: app.db).first())
            project.status = .active
            try await project.save(on: app.db)

            let missing = try await browser.post(
                path + "/close", form: ["outcome": "completed", "aim_achieved": "yes", "learning": "Night checks work"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.contains("Say how the gains will be sustained"))
            let closed = try await browser.post(
                path + "/close",
                form: [
                    "outcome": "completed", "aim_achieved": "partly", "learning": "Night checks work",
                    "sustain_plan": "The ward manager owns the checks",
                ])
            #expect(closed.status == .seeOther)
            let done = try #require(try await Project.find(project.id, on: app.db))
            #expect(done.status == .completed)
            #expect(done.aimAchieved == .partly)
            #expect(done.closedAt != nil)
            let page = try await browser.get(path)
            #expect(page.body.contains("Aim achieved: </strong>Partly"))
            #expect(page.body.contains("The ward manager owns the checks"))
            #expect(!page.body.contains("Close the project"))
        }
    }

    @Test("a stopped project keeps its learning: failure is learning too")
    func stop() async throws {
        try await withOpenQI { app in
            let world = try await ProjectTests.world(app)
            try await Fixtures(app: app).signIn("lead@test.example", role: .member, at: world.ward)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("lead@test.example")
            let path = try #require(try await browser.post("/projects", form: ProjectTests.proposal(world)).location)
            let project = try #require(try await Project.query(on: app.db).first())
            project.status = .active
            try await project.save(on: app.db)
            let empty = try await browser.post(path + "/close", form: ["outcome": "stopped", "learning": ""])
            #expect(empty.body.contains("Enter what the team learned."))
            _ = try await browser.post(
                path + "/close", form: ["outcome": "stopped", "learning": "The rota could not support it"])
            let stopped = try #require(try await Project.find(project.id, on: app.db))
            #expect(stopped.status == .stopped)
            #expect(stopped.aimAchieved == nil)
            #expect(stopped.learning == "The rota could not support it")
        }
    }

    @Test("the demo portfolio has projects at every status, teams with service users, and measures that signal")
    func demoPortfolio() async throws {
        try await withOpenQI(demo: true) { app in
            let projects = try await Project.query(on: app.db).filter(\.$programme.$id == nil).all()
            #expect((250...300).contains(projects.count))
            // And the two programmes: violence reduction spread to at least 20 wards, 15 teams for access.
            let programmes = try await Programme.query(on: app.db).with(\.$measures).sort(\.$name).all()
            #expect(programmes.map(\.name) == ["Access", "Violence reduction"])
            #expect(programmes.map(\.stage) == [.evaluate, .deliver])
            for programme in programmes {
                let teams = try await Project.query(on: app.db).filter(\.$programme.$id == programme.id!).all()
                #expect(teams.count >= (programme.name == "Access" ? 15 : 20), "\(programme.name)")
                let joined = Set(teams.compactMap(\.approvedAt).map(CalendarDay.text))
                #expect(programme.name == "Access" ? joined.count == 1 : joined.count > 4, "spreading in waves")
                let counted = try await Measure.query(on: app.db).filter(\.$project.$id ~~ teams.compactMap(\.id))
                    .all()
                #expect(counted.count == teams.count * programme.measures.count, "every team counts every measure")
                #expect(Set(counted.compactMap(\.$standard.id)) == Set(programme.measures.compactMap(\.id)))
            }
            for status in ProjectStatus.allCases where status != .inReview && status != .approved {
                #expect(projects.contains { $0.status == status }, "some \(status)")
            }
            #expect(try await TeamMember.query(on: app.db).filter(\.$involvement == .fullPartner).count() > 50)
            #expect(try await ForumDecision.query(on: app.db).filter(\.$decision == .approve).count() > 100)
            let measures = try await Measure.query(on: app.db).limit(30).all()
            var improving = 0
            for measure in measures {
                let result = try await MeasureSeries.load(measure, on: app.db).result
                if result.points.contains(where: { $0.pointClass == .improvement }) { improving += 1 }
            }
            #expect(
                improving >= 10,
                "most demo measures show the improvement their team made: \(improving) of \(measures.count)")
            // Running projects have driver diagrams; those that tested have a ramp ending in "adopt",
            // marked on their outcome measure's chart, and the successful ones tell their story.
            let adopted = try #require(
                try await PDSACycle.query(on: app.db).filter(\.$decision == .adopt).with(\.$project).first())
            let diagram = try await DriverDiagram.load(for: adopted.project, on: app.db)
            #expect(diagram.primaries.count == 2 && diagram.secondaries.count == 3 && diagram.ideas.count == 3)
            let ramp = try await PDSACycle.query(on: app.db).filter(\.$changeIdea.$id == adopted.$changeIdea.id)
                .sort(\.$number).all()
            #expect(ramp.map(\.decision) == [.adapt, .adapt, .adopt])
            let watched = try #require(
                try await PDSAWatchedMeasure.query(on: app.db).filter(\.$cycle.$id == adopted.requireID()).first())
            let outcome = try #require(try await Measure.find(watched.$measure.id, on: app.db))
            #expect(outcome.kind == .outcome)
            // Each running project watches a family of measures: outcomes, how reliably each change
            // idea is done, and a balancing measure. The adopted idea's reliability rises through its ramp.
            let family = try await Measure.query(on: app.db).filter(\.$project.$id == adopted.$project.id).all()
            #expect(family.count == 6 && Set(family.map(\.kind)) == Set(MeasureKind.allCases))
            let adoptedIdea = try #require(try await ChangeIdea.find(adopted.$changeIdea.id, on: app.db))
            let reliability = try #require(family.first { $0.name.contains(adoptedIdea.title) })
            #expect(reliability.kind == .process && reliability.chart == .p)
            let rising = try await MeasureSeries.load(reliability, on: app.db).result
            #expect(rising.points.contains { $0.pointClass == .improvement })
            let flags = try await MeasureSeries.load(outcome, on: app.db).annotations.map(\.text)
            #expect(flags.count == 3 && flags.allSatisfy { $0.hasPrefix("PDSA ") })
            let story = try #require(try await Story.query(on: app.db).first())
            #expect(StoryMarkdown.chartIDs(in: story.body).count == 1)
            // The member's ward has an active project they lead.
            let member = try #require(
                try await Account.query(on: app.db).filter(\.$email == "member@example.org").first())
            #expect(projects.contains { $0.$proposer.id == member.$person.id && $0.status == .active })
        }
    }
}
