import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("People and roles")
struct PeopleTests {
    @Test("a service user is added to a ward, with an audit entry, and found by search")
    func addServiceUser() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let ward = try await fixtures.unit("Ward 7", kind: .ward, parent: trust)
            try await fixtures.signIn("qi@test.example", role: .qiTeam, at: trust)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("qi@test.example")

            let created = try await browser.post(
                "/people",
                form: [
                    "full_name": "Tendai Moyo", "kind": "service_user", "unit_id": try ward.requireID().uuidString,
                    "email": "", "job_title": "Peer researcher",
                ])
            #expect(created.status == .seeOther)
            let person = try #require(try await Person.query(on: app.db).filter(\.$fullName == "Tendai Moyo").first())
            #expect(person.kind == .serviceUser)
            #expect(person.email == nil)
            #expect(person.$unit.id == ward.id)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectID == person.id).filter(\.$action == "create")
                    .count() == 1)

            let found = try await browser.get("/people?q=tendai")
            #expect(found.body.contains("Tendai Moyo"))
            #expect(found.body.contains("Trust › Ward 7"))
            let filtered = try await browser.get("/people?kind=carer")
            #expect(!filtered.body.contains("Tendai Moyo"))
        }
    }

    @Test("a person's email and sign-in are shown to them and to whoever manages their unit's people, to nobody else")
    func contactDetails() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let world = try await TestWorld.make(app)
            let pat = try await fixtures.signIn("pat.doe@test.example", role: .member, at: world.willow)
            try await fixtures.signIn("colleague@test.example", role: .member, at: world.willow)
            try await fixtures.signIn("qi@test.example", role: .qiTeam, at: world.directorate)
            // Of another directorate's QI team: manages people, but not Pat's.
            try await fixtures.signIn("other.qi@test.example", role: .qiTeam, at: world.otherDirectorate)
            let path = "/people/\(try pat.requireID())"
            for (email, sees) in [
                ("pat.doe@test.example", true), ("qi@test.example", true), ("colleague@test.example", false),
                ("other.qi@test.example", false),
            ] {
                let browser = TestBrowser(app: app)
                _ = try await browser.signIn(email)
                let page = try await browser.get(path).body
                #expect(page.contains("Pat.Doe"))
                #expect(page.contains("pat.doe@test.example") == sees, "\(email) on the page")
                #expect(page.contains("Signs in as") == sees, "\(email) on the page")
                let list = try await browser.json(.GET, "/api/v1/people").body
                #expect(list.contains("pat.doe@test.example") == sees, "\(email) listing people")
                let one = try await browser.json(.GET, "/api/v1" + path).body
                #expect(one.contains("pat.doe@test.example") == sees, "\(email) through the API")
                // Anyone finds a colleague by the whole address they know, and sees no address in the
                // list; only those who manage Pat's unit find Pat by part of it, which would otherwise
                // spell it out a letter at a time.
                let whole = try await browser.get("/people?q=Pat.Doe%40test.example").body
                #expect(whole.contains(path), "\(email) searching the whole address")
                let part = try await browser.get("/people?q=pat.doe%40test").body
                #expect(part.contains(path) == (email == "qi@test.example"), "\(email) searching part of it")
                #expect(!part.contains("pat.doe@test.example"))
            }
        }
    }

    @Test("a person's page lists the projects they are part of, with their part")
    func projectsOnPersonPage() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let world = try await TestWorld.make(app)
            let coach = try await fixtures.signIn("coach@test.example", role: .coach, at: world.directorate)
            let lead = try await fixtures.person("Lee Lead", unit: world.willow)
            try await fixtures.approvedProject(
                "Fewer falls on Willow Ward", unit: world.willow, lead: lead, approvedAt: AppClock.now, coach: coach)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("coach@test.example")
            let page = try await browser.get("/people/\(try coach.requireID())").body
            #expect(page.contains(">Fewer falls on Willow Ward</a></td><td>Coach</td>"))
            let theirs = try await browser.get("/people/\(try lead.requireID())").body
            #expect(theirs.contains("Not on a project team, nor a coach or sponsor."))
        }
    }

    @Test("people need a name, a unit in use and an email nobody else has")
    func validation() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            try await fixtures.person("Ada Lovelace", unit: trust, email: "ada@test.example")
            try await fixtures.signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")

            let page = try await browser.post(
                "/people",
                form: [
                    "full_name": "", "kind": "staff", "unit_id": try trust.requireID().uuidString,
                    "email": "ADA@test.example",
                ])
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("Enter the person’s full name."))
            #expect(page.body.contains("Ada Lovelace already has the email ada@test.example."))

            let api = try await browser.json(
                .POST, "/api/v1/people", ["full_name": "Grace", "kind": "staff", "unit_id": "nope", "email": "grace@"])
            #expect(api.status == .unprocessableEntity)
            let body = try JSONDecoder().decode(Problem.self, from: Data(api.body.utf8))
            #expect(Set((body.errors ?? []).map(\.field)) == ["unit_id", "email"])
        }
    }

    @Test("a coach's capacity is a whole number, typed in the form or sent as a JSON number, and shown on their page")
    func coachingCapacity() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            try await fixtures.signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")
            var form = [
                "full_name": "Rosa Coach", "kind": "staff", "unit_id": try trust.requireID().uuidString,
                "coaching_capacity": "two",
            ]
            let refused = try await browser.post("/people", form: form)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.contains(
                    "Enter the projects they can coach as a whole number from 0 to 50; “two” is not one."))
            #expect(refused.body.contains("value=\"two\""), "what was typed is kept")
            form["coaching_capacity"] = "3"
            #expect(try await browser.post("/people", form: form).status == .seeOther)
            let person = try #require(try await Person.query(on: app.db).filter(\.$fullName == "Rosa Coach").first())
            #expect(person.coachingCapacity == 3)
            #expect(try await browser.get("/people/\(person.requireID())").body.contains("3 projects"))

            struct Input: Encodable {
                let full_name = "Sam Coach"
                let kind = "staff"
                let unit_id: String
                let coaching_capacity = 1
            }
            let api = try await browser.json(
                .POST, "/api/v1/people", encoding: Input(unit_id: trust.requireID().uuidString))
            #expect(api.status == .created)
            #expect(api.body.contains("\"coaching_capacity\":1"))
        }
    }

    @Test("granting a role gives its rights below that unit; revoking takes them away; both are audited")
    func grantAndRevoke() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let directorate = try await fixtures.unit("Community Health", kind: .directorate, parent: trust)
            try await fixtures.signIn("admin@test.example", role: .admin, at: trust)
            let coach = try await fixtures.signIn("coach@test.example", role: .member, at: directorate)
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("admin@test.example")
            let coachBrowser = TestBrowser(app: app)
            _ = try await coachBrowser.signIn("coach@test.example")
            #expect(
                try await coachBrowser.get("/units/new?parent_id=\(try directorate.requireID())").status == .forbidden)

            let granted = try await admin.post(
                "/people/\(try coach.requireID())/roles",
                form: ["role": "admin", "unit_id": try directorate.requireID().uuidString])
            #expect(granted.status == .seeOther)
            #expect(try await coachBrowser.get("/units/new?parent_id=\(try directorate.requireID())").status == .ok)

            let again = try await admin.post(
                "/people/\(try coach.requireID())/roles",
                form: ["role": "admin", "unit_id": try directorate.requireID().uuidString])
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.contains("is already administrator for Trust › Community Health"))

            let grant = try #require(
                try await RoleGrant.query(on: app.db).filter(\.$person.$id == coach.id!).filter(\.$role == .admin)
                    .first())
            _ = try await admin.post("/people/\(try coach.requireID())/roles/\(try grant.requireID())/revoke")
            #expect(
                try await coachBrowser.get("/units/new?parent_id=\(try directorate.requireID())").status == .forbidden)
            let actions = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "role_grant").all().map(
                \.action)
            #expect(actions.sorted() == ["grant", "revoke"])
        }
    }

    @Test("an administrator issues a sign-in with a one-time password that works once changed")
    func issueSignIn() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let person = try await fixtures.person("Grace Hopper", unit: trust, email: "grace@test.example")
            try await fixtures.signIn("admin@test.example", role: .admin, at: trust)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")

            let page = try await browser.post("/people/\(try person.requireID())/sign-in")
            #expect(page.status == .ok)
            let marker = #"<code id="one-time-password">"#
            let start = try #require(page.body.range(of: marker)).upperBound
            let password = String(page.body[start...].prefix { $0 != "<" })
            #expect(password.count == 19)

            let grace = TestBrowser(app: app)
            #expect(try await grace.signIn("grace@test.example", password: password).location == "/account/password")
        }
    }
}
