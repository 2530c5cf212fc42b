import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Units")
struct UnitTests {
    @Test("adding a unit from the form saves it, shows a notice and records the audit entry")
    func createFromForm() async throws {
        try await withOpenQI { app in
            let admin = try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")

            let created = try await browser.post(
                "/units", form: ["name": "  East Trust ", "kind": "organisation", "description": "Our trust"])
            let unit = try #require(try await Unit.query(on: app.db).first())
            #expect(unit.name == "East Trust")
            #expect(created.location == "/units/\(try unit.requireID().uuidString)")
            let page = try await browser.get(try #require(created.location))
            #expect(page.body.contains("“East Trust” was added."))

            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "unit").first())
            #expect(entry.action == "create")
            #expect(entry.actorName == admin.fullName)
            #expect(entry.after["name"] == "East Trust")
            #expect(entry.after["description"] == "Our trust")
            #expect(entry.before.isEmpty)
        }
    }

    @Test("a form with mistakes re-renders with each message beside its field and the input kept")
    func validationMessages() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            try await fixtures.unit("Ward 7", kind: .ward, parent: trust)
            try await fixtures.signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")

            let empty = try await browser.post("/units", form: ["name": "", "kind": ""])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.contains("There is a problem"))
            #expect(empty.body.contains(#"id="field-name-error""#))
            #expect(empty.body.contains("Enter a name."))
            #expect(empty.body.contains("Choose the kind of unit."))

            let orphan = try await browser.post("/units", form: ["name": "Ward 9", "kind": "ward"])
            #expect(orphan.body.contains("Choose the unit this ward belongs to."))
            #expect(orphan.body.contains(#"value="Ward 9""#), "the name typed is kept")

            let duplicate = try await browser.post(
                "/units", form: ["name": "ward 7", "kind": "ward", "parent_id": try trust.requireID().uuidString])
            #expect(duplicate.body.contains("There is already a unit called “Ward 7” in Trust."))

            let tooLong = try await browser.post(
                "/units", form: ["name": String(repeating: "x", count: 121), "kind": "organisation"])
            #expect(tooLong.body.contains("120 characters or fewer"))
            #expect(try await Unit.query(on: app.db).count() == 2)
        }
    }

    @Test("the API answers invalid input with 422 and a message per field")
    func apiValidation() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")
            let page = try await browser.json(.POST, "/api/v1/units", ["name": "", "kind": "castle"])
            #expect(page.status == .unprocessableEntity)
            let body = try JSONDecoder().decode(Problem.self, from: Data(page.body.utf8))
            #expect((body.errors ?? []).map(\.field).sorted() == ["kind", "name"])
            #expect(
                (body.errors ?? []).first { $0.field == "kind" }?.message.contains(
                    "“castle” is not a valid choice for the kind of unit") == true)
        }
    }

    @Test("a unit cannot be moved below itself, and one with units in use below it cannot be archived")
    func treeRules() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let directorate = try await fixtures.unit("Adult Mental Health", kind: .directorate, parent: trust)
            let ward = try await fixtures.unit("Ward 7", kind: .ward, parent: directorate)
            try await fixtures.signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")

            let loop = try await browser.post(
                "/units/\(try directorate.requireID())",
                form: [
                    "name": "Adult Mental Health", "kind": "directorate", "parent_id": try ward.requireID().uuidString,
                    "version": "1",
                ])
            #expect(loop.status == .unprocessableEntity)
            #expect(loop.body.contains("cannot sit below itself"))

            let archive = try await browser.post("/units/\(try directorate.requireID())/archive")
            let shown = try await browser.get(try #require(archive.location))
            #expect(shown.body.contains("still has 1 unit in use below it"))
            #expect(try await Unit.find(directorate.id, on: app.db)?.isArchived == false)

            _ = try await browser.post("/units/\(try ward.requireID())/archive")
            #expect(try await Unit.find(ward.id, on: app.db)?.isArchived == true)
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "archive").first())
            #expect(entry.before["archived"] == "no")
            #expect(entry.after["archived"] == "yes")
        }
    }

    @Test("what a person typed is shown as text, never run as markup")
    func escaping() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")
            let script = "<script>alert(1)</script>"
            let created = try await browser.post("/units", form: ["name": script, "kind": "organisation"])
            let page = try await browser.get(try #require(created.location))
            #expect(!page.body.contains(script))
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

            // In an attribute (the edit form's value) a quote cannot end the attribute early.
            let quoted = #""><script>alert(2)</script>"#
            let failed = try await browser.post("/units", form: ["name": quoted, "kind": "ward"])
            #expect(failed.status == .unprocessableEntity)
            #expect(!failed.body.contains("<script>alert(2)"))
            #expect(failed.body.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"))
        }
    }

    @Test("the unit list searches names and shows archived units only when asked")
    func indexSearch() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            try await fixtures.unit("Rosewood Ward", kind: .ward, parent: trust)
            let closed = try await fixtures.unit("Bevan Ward", kind: .ward, parent: trust)
            closed.archivedAt = Date()
            try await closed.save(on: app.db)
            try await fixtures.signIn("viewer@test.example", role: .viewer, at: trust)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("viewer@test.example")

            let search = try await browser.get("/units?q=rose")
            #expect(search.body.contains("Rosewood Ward"))
            #expect(!search.body.contains(">Trust</a>"))
            #expect(!(try await browser.get("/units")).body.contains("Bevan Ward"))
            #expect(try await browser.get("/units?archived=1").body.contains("Bevan Ward"))
        }
    }
}
