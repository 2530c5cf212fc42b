import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Coaches' supervision")
struct SupervisionTests {
    @Test(
        "an improvement advisor records a coach's monthly supervision with the projects talked through; coaches not supervised in two months come first; a project not the coach's, a day to come or a coach out of reach is refused"
    )
    func supervision() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let advisorPerson = try await fixtures.signIn(
                "advisor@test.example", role: .improvementAdvisor, at: world.directorate)
            // The advisor coaches too: their own supervision is someone else's to record.
            try await RoleGrant(personID: advisorPerson.id!, unitID: world.cedar.id!, role: .coach).create(on: db)
            let coach = try await fixtures.signIn("coach@test.example", role: .coach, at: world.willow)
            let far = try await fixtures.signIn("far@test.example", role: .coach, at: world.oak)
            try await fixtures.signIn("member@test.example", role: .member, at: world.willow)
            let lead = try await fixtures.person("Lou Lead", unit: world.willow)
            let falls = try await fixtures.approvedProject(
                "Fewer falls", unit: world.willow, lead: lead, approvedAt: AppClock.now, coach: coach)
            let other = try await fixtures.approvedProject(
                "Someone else's", unit: world.oak, lead: lead, approvedAt: AppClock.now, coach: far)

            let advisor = TestBrowser(app: app)
            _ = try await advisor.signIn("advisor@test.example")
            var list = try await advisor.get("/capability/coaches").body
            #expect(list.contains("3 of 3 coaches have not been supervised in the last 2 months"))
            #expect(!list.contains("/capability/coaches/\(advisorPerson.id!)/supervision"), "not one's own")
            #expect(
                try await advisor.get("/capability/coaches/\(advisorPerson.id!)/supervision").status == .forbidden)
            #expect(list.contains("/capability/coaches/\(coach.id!)/supervision"))
            #expect(!list.contains("/capability/coaches/\(far.id!)/supervision"), "Oak's coach is out of reach")

            let path = "/capability/coaches/\(coach.id!)/supervision"
            let form = try await advisor.get(path)
            #expect(form.body.contains("Fewer falls") && !form.body.contains("Someone else"))
            let wrong = try await advisor.post(
                path,
                form: [
                    "held_on": AppClock.today.adding(days: 3).text, "project_ids[]": other.id!.uuidString,
                    "notes": "Kept",
                ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(
                wrong.body.contains("is still to come") && wrong.body.contains("is not one of this coach’s projects"))
            #expect(wrong.body.contains(">Kept</textarea>"), "the notes typed are kept")
            let day = AppClock.today.adding(days: -3)
            let saved = try await advisor.post(
                path,
                form: ["held_on": day.text, "project_ids[]": falls.id!.uuidString, "notes": "Run chart reviewed"])
            #expect(saved.status == .seeOther)
            let record = try #require(try await Supervision.query(on: db).with(\.$projects).first())
            #expect(record.projects.map(\.title) == ["Fewer falls"] && record.notes == "Run chart reviewed")
            #expect(try await advisor.get(path).body.contains("Run chart reviewed"))
            list = try await advisor.get("/capability/coaches").body
            #expect(list.contains("2 of 3 coaches have not been supervised"))
            #expect(list.contains(day.label))
            let trail = try #require(try await AuditEntry.query(on: db).filter(\.$subjectKind == "supervision").first())
            #expect(trail.subjectName == "Supervision of Coach")

            #expect(try await advisor.get("/capability/coaches/\(far.id!)/supervision").status == .forbidden)
            #expect(try await advisor.get("/capability/coaches/\(lead.id!)/supervision").status == .notFound)
            let member = TestBrowser(app: app)
            _ = try await member.signIn("member@test.example")
            #expect(try await member.get("/capability/coaches").status == .ok)
            #expect(try await member.get(path).status == .forbidden)
            #expect(try await member.post(path, form: ["held_on": day.text]).status == .forbidden)
            #expect(try await Supervision.query(on: db).count() == 1)
        }
    }
}
