import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Two people edit the same record at once: the second save is refused with what the first saved
/// and their own text kept, and saving again from there is a knowing choice. Projects, measures and
/// board reports have their own tests; these are the other records people edit in a form.
@Suite("Concurrent edits of every editable record")
struct ConcurrentEditTests {
    /// One kind of record: where its form is, what each person types, and what is saved.
    struct Case: Sendable, CustomTestStringConvertible {
        let record: String
        /// The page the form is on, and the form's action.
        let page: @Sendable (World) -> String
        let action: @Sendable (World) -> String
        /// The form as each person fills it in: `typed` is the text that tells them apart.
        let form: @Sendable (World, _ typed: String) -> [(String, String)]
        /// The saved text, read back from the database.
        let saved: @Sendable (World, any Database) async throws -> String?
        var testDescription: String { record }
    }

    struct World: Sendable {
        let unit: UUID
        let directorate: UUID
        let person: UUID
        let project: UUID
        let story: UUID
        let planned: UUID
        let running: UUID
        let idea: UUID
        let driver: UUID
    }

    static let cases: [Case] = [
        Case(
            record: "unit", page: { "/units/\($0.unit)/edit" }, action: { "/units/\($0.unit)" },
            form: { w, typed in [("name", typed), ("kind", "ward"), ("parent_id", w.directorate.uuidString)] },
            saved: { w, db in try await Unit.find(w.unit, on: db)?.name }),
        Case(
            record: "person’s record", page: { "/people/\($0.person)/edit" }, action: { "/people/\($0.person)" },
            form: { w, typed in [("full_name", typed), ("kind", "staff"), ("unit_id", w.unit.uuidString)] },
            saved: { w, db in try await Person.find(w.person, on: db)?.fullName }),
        Case(
            record: "story", page: { "/stories/\($0.story)/edit" }, action: { "/stories/\($0.story)" },
            form: { _, typed in [("title", "Our story"), ("body", typed)] },
            saved: { w, db in try await Story.find(w.story, on: db)?.body }),
        Case(
            record: "PDSA cycle", page: { "/cycles/\($0.planned)/plan" }, action: { "/cycles/\($0.planned)/plan" },
            form: { _, typed in
                [
                    ("objective", typed), ("question", "Will it?"), ("prediction", "Yes"), ("who", "Us"),
                    ("what", "Checks"), ("where", "Ward"), ("planned_start", "2026-05-04"),
                ]
            },
            saved: { w, db in try await PDSACycle.find(w.planned, on: db)?.objective }),
        Case(
            record: "PDSA cycle", page: { "/cycles/\($0.running)" }, action: { "/cycles/\($0.running)/record" },
            form: { _, typed in [("do_notes", typed), ("study_notes", "Fewer falls")] },
            saved: { w, db in try await PDSACycle.find(w.running, on: db)?.doNotes }),
        Case(
            record: "driver", page: { "/projects/\($0.project)/driver-diagram" },
            action: { "/projects/\($0.project)/drivers/\($0.driver)" }, form: { _, typed in [("text", typed)] },
            saved: { w, db in try await Driver.find(w.driver, on: db)?.text }),
        Case(
            record: "change idea", page: { "/projects/\($0.project)/driver-diagram" },
            action: { "/projects/\($0.project)/change-ideas/\($0.idea)" },
            form: { w, typed in [("title", typed), ("driver_ids[]", w.driver.uuidString)] },
            saved: { w, db in try await ChangeIdea.find(w.idea, on: db)?.title }),
    ]

    @Test(
        "the second save is refused with what the first saved, keeps its text, and may then be saved knowingly",
        arguments: cases)
    func secondSaveIsRefused(_ edit: Case) async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let (first, second) = (TestBrowser(app: app), TestBrowser(app: app))
            _ = try await first.signIn("first@test.example")
            _ = try await second.signIn("second@test.example")
            let action = edit.action(world)
            // Both open the form, so both begin from the same version.
            let firstVersion = try Self.version(of: action, in: try await first.get(edit.page(world)))
            let secondVersion = try Self.version(of: action, in: try await second.get(edit.page(world)))
            #expect(firstVersion == secondVersion)

            let saved = try await first.post(
                action, fields: edit.form(world, "Typed by the first") + [("version", firstVersion)])
            #expect(saved.status == .seeOther, "\(saved.body.prefix(400))")
            #expect(try await edit.saved(world, app.db) == "Typed by the first")

            let refused = try await second.post(
                action, fields: edit.form(world, "Typed by the second") + [("version", secondVersion)])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("First saved this \(edit.record)"))
            #expect(refused.body.contains("Typed by the second"), "their own text is kept")
            #expect(refused.body.contains("“Typed by the first”"), "what the first saved is shown beside it")
            #expect(try await edit.saved(world, app.db) == "Typed by the first", "nothing of theirs was saved")

            // The form now carries the version moved on: saving again keeps their text, knowingly.
            let moved = try Self.version(of: action, in: refused)
            #expect(Int(moved)! > Int(secondVersion)!)
            let again = try await second.post(
                action, fields: edit.form(world, "Typed by the second") + [("version", moved)])
            #expect(again.status == .seeOther)
            #expect(try await edit.saved(world, app.db) == "Typed by the second")
        }
    }

    @Test("an API change of a unit or person names its version: stale is 409, missing is 422")
    func apiVersions() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("first@test.example")
            let edits: [(path: String, fields: [String: String])] = [
                (
                    "/api/v1/units/\(world.unit)",
                    ["name": "Renamed", "kind": "ward", "parent_id": "\(world.directorate)"]
                ),
                (
                    "/api/v1/people/\(world.person)",
                    ["full_name": "Renamed", "kind": "staff", "unit_id": "\(world.unit)"]
                ),
            ]
            for (path, fields) in edits {
                let missing = try await browser.json(.PUT, path, fields)
                #expect(missing.status == .unprocessableEntity, "\(path)")
                #expect(missing.body.contains(#""field":"version""#), "\(path)")
                let current = try await browser.json(.GET, path)
                #expect(current.body.contains(#""version":1"#), "\(path)")
                let saved = try await browser.json(
                    .PUT, path, encoding: TestBrowser.VersionedEdit(fields: fields, version: 1))
                #expect(saved.status == .ok && saved.body.contains(#""version":2"#), "\(path)")
                let stale = try await browser.json(
                    .PUT, path, encoding: TestBrowser.VersionedEdit(fields: fields, version: 1))
                #expect(stale.status == .conflict, "\(path)")
                #expect(stale.body.contains("it is now at version 2"), "\(path)")
            }
        }
    }

    /// The version the form posting to `action` carries on `page`.
    static func version(of action: String, in page: TestBrowser.Page) throws -> String {
        let start = try #require(page.body.range(of: #"action=""# + action), "no form for \(action)")
        let form = page.body[start.upperBound...]
        let field = try #require(form.range(of: #"<input type="hidden" name="version" value=""#))
        let rest = form[field.upperBound...]
        return String(rest[..<(rest.firstIndex(of: "\"") ?? rest.endIndex)])
    }

    static func world(_ app: Application) async throws -> World {
        let fixtures = Fixtures(app: app)
        let db = app.db
        let units = try await TestWorld.make(app)
        let lead = try await fixtures.signIn("first@test.example", at: units.willow, administrator: true)
        _ = try await fixtures.signIn("second@test.example", at: units.willow, administrator: true)
        let person = try await fixtures.person("Pat Doe", unit: units.willow, email: "pat@test.example")
        let project = try await fixtures.approvedProject(
            "Fewer falls on Willow Ward", unit: units.willow, lead: lead, approvedAt: AppClock.now)
        let projectID = try project.requireID()
        let driver = Driver(owner: .project(projectID), level: .primary, text: "Safer nights", position: 0)
        try await driver.create(on: db)
        let idea = ChangeIdea(owner: .project(projectID), title: "Night checks", summary: nil, position: 0)
        try await idea.create(on: db)
        try await idea.$drivers.attach(driver, on: db)
        var cycles: [PDSACycle] = []
        for (number, status) in [(1, PDSAStatus.planned), (2, .running)] {
            let cycle = PDSACycle()
            cycle.$project.id = projectID
            cycle.$changeIdea.id = try idea.requireID()
            (cycle.number, cycle.status) = (number, status)
            (cycle.objective, cycle.question, cycle.prediction) = ("Test", "Will it?", "Yes")
            (cycle.who, cycle.what, cycle.place, cycle.plannedStart) = ("Us", "Checks", "Ward", AppClock.now)
            cycle.startedOn = status == .running ? AppClock.now : nil
            try await cycle.create(on: db)
            cycles.append(cycle)
        }
        let story = Story()
        story.$project.id = projectID
        (story.title, story.body, story.isPublishable) = ("Our story", "Text", false)
        story.$author.id = try lead.requireID()
        try await story.create(on: db)
        return World(
            unit: try units.willow.requireID(), directorate: try units.directorate.requireID(),
            person: try person.requireID(), project: projectID, story: try story.requireID(),
            planned: try cycles[0].requireID(), running: try cycles[1].requireID(), idea: try idea.requireID(),
            driver: try driver.requireID())
    }
}
