import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Projects API")
struct ProjectAPITests {
    static func object(_ page: TestBrowser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
    }

    @Test("propose and change a project as JSON; bad input answers 422 with a message per field")
    func createAndUpdate() async throws {
        try await withOpenQI { app in
            let world = try await ProjectTests.world(app)
            try await Fixtures(app: app).signIn("lead@test.example", role: .member, at: world.ward)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("lead@test.example")
            var body = ProjectTests.proposal(world)
            body["priority_ids[]"] = nil
            body["partner_organisations"] = "Tower Hamlets Council; Mind in Tower Hamlets"
            let created = try await browser.json(.POST, "/api/v1/projects", body)
            #expect(created.status == .created)
            let project = try Self.object(created)
            #expect(project["status"] as? String == "draft")
            #expect(project["partner_organisations"] as? String == "Tower Hamlets Council; Mind in Tower Hamlets")
            #expect((project["aim"] as? [String: Any])?["how_much"] as? String == "by 30%")
            #expect((project["team"] as? [[String: Any]])?.first?["is_lead"] as? Bool == true)
            let id = try #require(project["id"] as? String)

            body["aim_how_much"] = "a lot"
            body["title"] = ""
            let bad = try await browser.json(.PUT, "/api/v1/projects/\(id)", body)
            #expect(bad.status == .unprocessableEntity)
            let errors = try #require(try Self.object(bad)["errors"] as? [[String: String]])
            #expect(errors.contains { $0["field"] == "title" && $0["message"] == "Enter a title." })
            #expect(errors.contains { $0["field"] == "aim_how_much" && $0["message"]?.contains("number") == true })

            body["aim_how_much"] = "by 40%"
            body["title"] = "Fewer falls at night"
            // A change that does not say which version it began from could overwrite unseen: refused.
            let unversioned = try await browser.json(.PUT, "/api/v1/projects/\(id)", body)
            #expect(unversioned.status == .unprocessableEntity)
            let missing = try #require(try Self.object(unversioned)["errors"] as? [[String: String]])
            #expect(missing.map { $0["field"] } == ["version"])
            let updated = try await browser.json(
                .PUT, "/api/v1/projects/\(id)", encoding: TestBrowser.VersionedEdit(fields: body, version: 1))
            #expect(updated.status == .ok)
            #expect(try Self.object(updated)["title"] as? String == "Fewer falls at night")

            // Priorities go by id: the API lists them, a project shows which it serves, and what a
            // GET returns can be sent back with a PUT without losing them.
            let listed = try await browser.json(.GET, "/api/v1/priorities")
            let priorities = try #require(
                try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [[String: Any]])
            #expect(priorities.map { $0["id"] as? String } == [world.priority.id!.uuidString])
            let prioritised = try await browser.json(
                .PUT, "/api/v1/projects/\(id)",
                encoding: TestBrowser.VersionedEdit(
                    fields: body, version: 2, priority_ids: [world.priority.id!.uuidString]))
            #expect(prioritised.status == .ok)
            // The answer names them by id too.
            let roundTrip = try Self.object(prioritised)
            #expect(roundTrip["priority_ids"] as? [String] == [world.priority.id!.uuidString])
            let shown = try Self.object(try await browser.json(.GET, "/api/v1/projects/\(id)"))
            #expect(shown["priority_ids"] as? [String] == [world.priority.id!.uuidString])
            #expect((shown["priorities"] as? [String])?.count == 1)

            try await Fixtures(app: app).signIn("other@test.example", role: .member, at: world.other)
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other@test.example")
            #expect(try await other.json(.PUT, "/api/v1/projects/\(id)", body).status == .forbidden)
        }
    }

    @Test("lists by unit (with the units below it) and status, and shows the whole project")
    func listAndShow() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _, measure, idea) = try await PDSACycleTests.readyToTest(app, browser)
            _ = try await browser.post(path + "/cycles", fields: PDSACycleTests.plan(idea, watching: measure))
            let project = try #require(try await Project.query(on: app.db).first())
            let directorate = try #require(
                try await Unit.query(on: app.db).filter(\.$name == "Adult Mental Health").first())
            let forensic = try #require(try await Unit.query(on: app.db).filter(\.$name == "Forensic Services").first())

            let listed = try await browser.json(.GET, "/api/v1/projects?unit=\(directorate.id!.uuidString)")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.utf8)) as? [[String: Any]])
            #expect(list.map { $0["title"] as? String } == ["Fewer falls on Willow Ward"])
            #expect(list.first?["unit_path"] as? String == "Trust › Adult Mental Health › Willow Ward")
            let none = try await browser.json(.GET, "/api/v1/projects?unit=\(forensic.id!.uuidString)")
            #expect(none.body == "[]")
            #expect(try await browser.json(.GET, "/api/v1/projects?status=active").body == "[]")
            let badStatus = try await browser.json(.GET, "/api/v1/projects?status=happy")
            #expect(badStatus.status == .unprocessableEntity)
            #expect(badStatus.body.contains("“happy” is not a status."))
            // Every list checks its filters the same way, rather than ignoring one that names nothing.
            for path in [
                "/api/v1/projects?unit=nowhere", "/api/v1/units?parent=nowhere", "/api/v1/people?unit=nowhere",
            ] {
                let bad = try await browser.json(.GET, path)
                #expect(bad.status == .unprocessableEntity, "\(path)")
                #expect(bad.body.contains("“nowhere” is not a unit of this organisation."), "\(path)")
            }
            for (path, message) in [
                ("/api/v1/people?page=two", "“two” is not a page number."),
                ("/api/v1/people?page=0", "“0” is not a page number."),
                ("/api/v1/units?archived=maybe", "“maybe” is not true or false."),
            ] {
                let bad = try await browser.json(.GET, path)
                #expect(bad.status == .unprocessableEntity && bad.body.contains(message), "\(path)")
            }
            #expect(try await browser.json(.GET, "/api/v1/units?archived=true").status == .ok)
            // A body that is not the object an endpoint takes is invalid input like any other.
            for body in ["", "[]", "null", "\"a ward\""] {
                let sent = try await browser.request(
                    .POST, "/api/v1/units",
                    headers: [
                        "Content-Type": "application/json",
                        "X-CSRF-Token": try #require(try await browser.currentToken()),
                    ],
                    body: body)
                #expect(sent.status == .unprocessableEntity, "\(body)")
                #expect(sent.body.contains(#""field":"body""#), "\(body)")
            }
            let badKind = try await browser.json(.GET, "/api/v1/people?kind=robot")
            #expect(badKind.status == .unprocessableEntity && badKind.body.contains("“robot” is not a kind of person."))

            let shown = try Self.object(try await browser.json(.GET, "/api/v1/projects/\(project.id!.uuidString)"))
            let diagram = try #require(shown["driver_diagram"] as? [String: Any])
            #expect((diagram["drivers"] as? [[String: Any]])?.first?["text"] as? String == "Safe mobility")
            #expect(
                (diagram["change_ideas"] as? [[String: Any]])?.first?["title"] as? String == "Falls huddle at handover")
            let cycles = try #require(shown["pdsa_cycles"] as? [[String: Any]])
            #expect(cycles.first?["number"] as? Int == 1)
            #expect(cycles.first?["measure_ids"] as? [String] == [measure.id!.uuidString])
            let measures = try #require(shown["measures"] as? [[String: Any]])
            #expect(measures.first?["chart_url"] as? String == "/api/v1/measures/\(measure.id!.uuidString)/chart")
        }
    }

    @Test("drivers, change ideas and cycles are added as JSON with the same checks as the forms")
    func buildByAPI() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, project) = try await MeasureTests.project(app, browser)
            let base = "/api/v1/projects/\(project.id!.uuidString)"
            let primary = try await browser.json(
                .POST, base + "/drivers", ["level": "primary", "text": "Safe mobility"])
            #expect(primary.status == .created)
            let primaryID = try #require(try Self.object(primary)["id"] as? String)
            let orphan = try await browser.json(.POST, base + "/drivers", ["level": "secondary", "text": "Aids"])
            #expect(orphan.status == .unprocessableEntity)
            #expect(orphan.body.contains("primary_ids"))
            struct IdeaBody: Encodable {
                let title: String
                let driver_ids: [String]
            }
            let idea = try await browser.json(
                .POST, base + "/change-ideas", encoding: IdeaBody(title: "Huddle", driver_ids: [primaryID]))
            #expect(idea.status == .created)
            let ideaID = try #require(try Self.object(idea)["id"] as? String)
            let cycle = try await browser.json(
                .POST, base + "/cycles",
                [
                    "change_idea_id": ideaID, "objective": "Try it", "question": "Does it work?",
                    "prediction": "Yes", "who": "Nurse", "what": "Huddle", "where": "Ward",
                    "planned_start": "2026-06-01",
                ])
            #expect(cycle.status == .created)
            #expect(try Self.object(cycle)["status"] as? String == "planned")
            let badCycle = try await browser.json(.POST, base + "/cycles", ["change_idea_id": ideaID])
            #expect(badCycle.status == .unprocessableEntity)
            #expect(badCycle.body.contains("\"field\":\"objective\""))
            _ = path
        }
    }
}
