import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Strategy: aim, objectives and priorities")
struct StrategyTests {
    /// The trust's QI team, signed in: they set the strategy.
    private static func strategist(_ app: Application, world: TestWorld) async throws -> TestBrowser {
        try await Fixtures(app: app).signIn("qi@test.example", role: .qiTeam, at: world.trust)
        let browser = TestBrowser(app: app)
        #expect(try await browser.signIn("qi@test.example").status == .seeOther)
        return browser
    }

    @Test("the trust's QI team adds an objective and a priority, audited; the strategy counts the projects serving it")
    func addFromForms() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)

            let added = try await browser.post(
                "/strategy/objectives",
                form: ["name": " Improved experience of care ", "description": "Care people want"])
            #expect(added.status == .seeOther)
            let objective = try #require(try await StrategicObjective.query(on: app.db).first())
            #expect(objective.name == "Improved experience of care")
            #expect(added.target == "/strategy#notice")
            let strategy = try await browser.get("/strategy").body
            #expect(strategy.contains("“Improved experience of care” was added"))
            // The notice leads back to the objective just added.
            #expect(
                strategy.contains(
                    ##"<a href="#objective-\##(try objective.requireID().uuidString)">Back to where you were</a>"##))

            let priorityAdded = try await browser.post(
                "/strategy/priorities",
                form: ["name": "Timely access to care", "objective_id": try objective.requireID().uuidString])
            #expect(priorityAdded.status == .seeOther)
            let priority = try #require(try await Priority.query(on: app.db).first())
            #expect(priority.$objective.id == objective.id)

            // Two active projects and one completed serve it; one active project serves nothing.
            let fixtures = Fixtures(app: app)
            let lead = try await fixtures.person("Lead", unit: world.willow)
            for (title, completed) in [("A", false), ("B", false), ("C", true)] {
                let project = try await fixtures.approvedProject(
                    title, unit: world.willow, lead: lead, approvedAt: AppClock.now,
                    completedAt: completed ? AppClock.now : nil)
                try await project.$priorities.attach(priority, on: app.db)
            }
            try await fixtures.approvedProject("D", unit: world.willow, lead: lead, approvedAt: AppClock.now)

            let page = try await browser.get("/strategy")
            #expect(page.status == .ok)
            let row = try #require(
                page.body.firstRange(of: "Timely access to care</a>").map { page.body[$0.lowerBound...] })
            #expect(row.contains(#"status=active">2</a></td><td class="number">"#))
            #expect(row.contains(#"status=completed">1</a></td>"#))
            #expect(page.body.contains("1 active project serves no priority or plan"))
            // The diagram draws the aim, the objective and the priority linked to it.
            #expect(page.body.contains("Strategic objectives</text>"))
            #expect(page.body.contains(#"data-from="\#(try objective.requireID().uuidString)""#))
            #expect(page.body.contains("No aim set yet"))

            let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "create").all()
            #expect(Set(entries.map(\.subjectKind)).isSuperset(of: ["objective", "priority"]))
            let filed = try #require(entries.first { $0.subjectKind == "priority" })
            #expect(filed.after["objective"] == objective.id?.uuidString)
            // The audit log says which objective, by name, to the trust's administrators, who set the
            // strategy too; a directorate's administrator does not see it.
            try await fixtures.signIn("trust-admin@test.example", role: .admin, at: world.trust)
            let trustAdmin = TestBrowser(app: app)
            _ = try await trustAdmin.signIn("trust-admin@test.example")
            let trail = try await trustAdmin.get("/audit").body
            #expect(trail.contains("Timely access to care</a>"))
            #expect(trail.contains("Improved experience of care"))
            try await fixtures.signIn("director@test.example", role: .admin, at: world.directorate)
            let director = TestBrowser(app: app)
            _ = try await director.signIn("director@test.example")
            #expect(try await !director.get("/audit").body.contains("Timely access to care"))
        }
    }

    @Test("only the organisation's administrators and QI team set the strategy; everyone reads it")
    func whoMay() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("director@test.example", role: .admin, at: world.directorate)
            let director = TestBrowser(app: app)
            _ = try await director.signIn("director@test.example")
            #expect(try await director.get("/strategy").status == .ok)
            #expect(try await !director.get("/strategy").body.contains("Add an objective"))
            #expect(try await director.post("/strategy/objectives", form: ["name": "Ours"]).status == .forbidden)
            #expect(try await director.json(.POST, "/api/v1/priorities", ["name": "Ours"]).status == .forbidden)
            #expect(try await StrategicObjective.query(on: app.db).count() == 0)

            let strategist = try await Self.strategist(app, world: world)
            #expect(try await strategist.get("/strategy").body.contains("Add an objective"))
        }
    }

    @Test("mistakes are named beside their fields and what was typed is kept")
    func mistakes() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            let objective = StrategicObjective(name: "Improved value")
            try await objective.create(on: app.db)
            let archived = StrategicObjective(name: "Old objective")
            archived.archivedAt = AppClock.now
            try await archived.create(on: app.db)
            let old = Priority(name: "Reducing waste", objectiveID: objective.id)
            old.archivedAt = AppClock.now
            try await old.create(on: app.db)

            let empty = try await browser.post("/strategy/priorities", form: ["name": " ", "description": "Kept text"])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.contains("Enter a name."))
            #expect(empty.body.contains("Choose the strategic objective it serves."))
            #expect(empty.body.contains("Kept text"))

            let again = try await browser.post(
                "/strategy/priorities", form: ["name": "reducing WASTE", "objective_id": objective.id!.uuidString])
            #expect(
                again.body.contains(
                    "There is already a priority called “Reducing waste” (archived: restore it rather than adding it again)."
                ))

            let underArchived = try await browser.post(
                "/strategy/priorities", form: ["name": "New", "objective_id": archived.id!.uuidString])
            #expect(underArchived.body.contains("“Old objective” is archived."))

            let unknown = try await browser.post(
                "/strategy/priorities", form: ["name": "New", "objective_id": UUID().uuidString])
            #expect(unknown.body.contains("There is no strategic objective with this identifier."))

            let longName = try await browser.post(
                "/strategy/objectives", form: ["name": String(repeating: "x", count: 121)])
            #expect(longName.body.contains("120 characters or fewer"))
            #expect(try await Priority.query(on: app.db).count() == 1)
            #expect(try await StrategicObjective.query(on: app.db).count() == 2)
        }
    }

    @Test(
        "an archived priority stays on its projects but is no longer offered; archiving and restoring keep the tree whole"
    )
    func archiving() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            let objective = StrategicObjective(name: "Improved experience of care")
            try await objective.create(on: app.db)
            let priority = Priority(name: "Timely access to care", objectiveID: objective.id)
            try await priority.create(on: app.db)
            let fixtures = Fixtures(app: app)
            let project = try await fixtures.approvedProject(
                "Waits", unit: world.willow, lead: try await fixtures.person("Lead", unit: world.willow),
                approvedAt: AppClock.now)
            try await project.$priorities.attach(priority, on: app.db)

            let refused = try await browser.post("/strategy/objectives/\(objective.id!)/archive")
            #expect(try await browser.get(try #require(refused.location)).body.contains("still has 1 priority in use"))
            #expect(try await StrategicObjective.find(objective.id, on: app.db)?.isArchived == false)

            let archived = try await browser.post("/strategy/priorities/\(priority.id!)/archive")
            #expect(try await browser.get(try #require(archived.location)).body.contains("projects serving it keep it"))
            #expect(try await Priority.find(priority.id, on: app.db)?.isArchived == true)
            #expect(
                try await project.$priorities.get(reload: true, on: app.db).map(\.name) == ["Timely access to care"])
            let form = try await browser.get("/projects/new")
            #expect(!form.body.contains("Timely access to care"))

            _ = try await browser.post("/strategy/objectives/\(objective.id!)/archive")
            #expect(try await StrategicObjective.find(objective.id, on: app.db)?.isArchived == true)
            let notRestored = try await browser.post("/strategy/priorities/\(priority.id!)/restore")
            #expect(
                try await browser.get(try #require(notRestored.location)).body.contains(
                    "which is archived. Restore the objective"))
            #expect(try await Priority.find(priority.id, on: app.db)?.isArchived == true)

            _ = try await browser.post("/strategy/objectives/\(objective.id!)/restore")
            _ = try await browser.post("/strategy/priorities/\(priority.id!)/restore")
            #expect(try await Priority.find(priority.id, on: app.db)?.isArchived == false)
            let actions = try await AuditEntry.query(on: app.db).sort(\.$occurredAt).all().map {
                "\($0.subjectKind) \($0.action)"
            }
            #expect(
                actions == [
                    "priority archive", "objective archive", "objective restore", "priority restore",
                ])
        }
    }

    @Test("renaming keeps the projects; an edit that began before another is refused with both texts")
    func editing() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            let objective = StrategicObjective(name: "Improved value")
            try await objective.create(on: app.db)
            let other = StrategicObjective(name: "Improved staff experience")
            try await other.create(on: app.db)
            let priority = Priority(name: "Agency", objectiveID: objective.id)
            try await priority.create(on: app.db)

            let edit = try await browser.get("/strategy/priorities/\(priority.id!)/edit")
            #expect(edit.body.contains(#"value="Agency""#))
            let saved = try await browser.post(
                "/strategy/priorities/\(priority.id!)",
                form: ["name": "Reducing agency staffing", "objective_id": other.id!.uuidString, "version": "1"])
            #expect(saved.status == .seeOther)
            let stored = try #require(try await Priority.find(priority.id, on: app.db))
            #expect(stored.name == "Reducing agency staffing")
            #expect(stored.$objective.id == other.id)
            #expect(stored.version == 2)

            let stale = try await browser.post(
                "/strategy/priorities/\(priority.id!)",
                form: ["name": "Agency spend", "objective_id": objective.id!.uuidString, "version": "1"])
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("Agency spend"))
            #expect(stale.body.contains("Reducing agency staffing"))
            #expect(try await Priority.find(priority.id, on: app.db)?.name == "Reducing agency staffing")
        }
    }

    @Test("the aim is set, changed and taken away, audited")
    func aim() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            _ = try await browser.post("/strategy/aim", form: ["aim": "The best quality of life for all we serve"])
            #expect(try await browser.get("/strategy").body.contains("The best quality of life for all we serve"))
            _ = try await browser.post("/strategy/aim", form: ["aim": "Better lives"])
            let tooLong = try await browser.post("/strategy/aim", form: ["aim": String(repeating: "a", count: 301)])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(try await StrategyAim.load(on: app.db).text == "Better lives")
            _ = try await browser.post("/strategy/aim", form: ["aim": ""])
            #expect(try await StrategyAim.load(on: app.db).text == nil)
            let entries = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "strategy")
                .sort(\.$occurredAt).all()
            #expect(
                entries.map { $0.after["aim"] ?? "" } == [
                    "The best quality of life for all we serve", "Better lives", "",
                ])
            #expect(entries[1].before["aim"] == "The best quality of life for all we serve")
        }
    }

    @Test("the API adds, reads and changes priorities with the pages' rules, and returns the strategy")
    func api() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            let objective = StrategicObjective(name: "Improved experience of care")
            try await objective.create(on: app.db)
            let unfiled = Priority(name: "Made long ago")
            try await unfiled.create(on: app.db)

            let invalid = try await browser.json(.POST, "/api/v1/priorities", ["name": ""])
            #expect(invalid.status == .unprocessableEntity)
            let problem = try JSONDecoder().decode(Problem.self, from: Data(invalid.body.utf8))
            #expect((problem.errors ?? []).map(\.field).sorted() == ["name", "objective_id"])

            let created = try await browser.json(
                .POST, "/api/v1/priorities",
                ["name": "Timely access to care", "objective_id": objective.id!.uuidString, "description": "Waits"])
            #expect(created.status == .created)
            let dto = try JSONDecoder().decode(PriorityDTO.self, from: Data(created.body.utf8))
            #expect(dto.objective_id == objective.id && dto.version == 1 && !dto.archived)

            let archived = try await browser.json(
                .PUT, "/api/v1/priorities/\(dto.id)",
                encoding: PriorityInput(
                    name: "Timely access", objective_id: objective.id!.uuidString, archived: true, version: 1))
            #expect(archived.status == .ok)
            let changed = try JSONDecoder().decode(PriorityDTO.self, from: Data(archived.body.utf8))
            #expect(changed.name == "Timely access" && changed.archived && changed.version == 2)

            let stale = try await browser.json(
                .PUT, "/api/v1/priorities/\(dto.id)",
                encoding: PriorityInput(name: "Other", objective_id: objective.id!.uuidString, version: 1))
            #expect(stale.status == .conflict)
            // Restored on the page, its version moves on: a PUT begun before cannot quietly archive it again.
            _ = try await browser.post("/strategy/priorities/\(dto.id)/restore")
            let undo = try await browser.json(
                .PUT, "/api/v1/priorities/\(dto.id)",
                encoding: PriorityInput(
                    name: "Timely access", objective_id: objective.id!.uuidString, archived: true, version: 2))
            #expect(undo.status == .conflict)
            #expect(try await Priority.find(dto.id, on: app.db)?.isArchived == false)
            _ = try await browser.post("/strategy/priorities/\(dto.id)/archive")
            let noVersion = try await browser.json(
                .PUT, "/api/v1/priorities/\(dto.id)", ["name": "Other", "objective_id": objective.id!.uuidString])
            #expect(noVersion.status == .unprocessableEntity)
            #expect(try await browser.json(.GET, "/api/v1/priorities/\(UUID())").status == .notFound)

            // Objectives too: added, read, and archived only once nothing in use sits under them.
            let added = try await browser.json(.POST, "/api/v1/objectives", ["name": "Improved value"])
            #expect(added.status == .created)
            let value = try JSONDecoder().decode(ObjectiveDTO.self, from: Data(added.body.utf8))
            #expect(value.version == 1 && value.priorities.isEmpty && value.measure_ids.isEmpty)
            let inUse = try await browser.json(
                .POST, "/api/v1/priorities", ["name": "Agency", "objective_id": value.id.uuidString])
            let agency = try JSONDecoder().decode(PriorityDTO.self, from: Data(inUse.body.utf8))
            let refusedArchive = try await browser.json(
                .PUT, "/api/v1/objectives/\(value.id)",
                encoding: ObjectiveInput(name: "Improved value", archived: true, version: 1))
            #expect(refusedArchive.status == .unprocessableEntity)
            #expect(refusedArchive.body.contains("still has 1 priority in use"))
            #expect(try await StrategicObjective.find(value.id, on: app.db)?.isArchived == false)
            let read = try JSONDecoder().decode(
                ObjectiveDTO.self,
                from: Data(try await browser.json(.GET, "/api/v1/objectives/\(value.id)").body.utf8))
            #expect(read.priorities.map(\.id) == [agency.id] && read.version == 1)
            _ = try await browser.post("/strategy/priorities/\(agency.id)/archive")
            let archivedObjective = try await browser.json(
                .PUT, "/api/v1/objectives/\(value.id)",
                encoding: ObjectiveInput(name: "Improved value", archived: true, version: 1))
            #expect(archivedObjective.status == .ok)
            #expect(try JSONDecoder().decode(ObjectiveDTO.self, from: Data(archivedObjective.body.utf8)).archived)

            let strategy = try JSONDecoder().decode(
                StrategyDTO.self, from: Data(try await browser.json(.GET, "/api/v1/strategy").body.utf8))
            #expect(strategy.objectives.map(\.name) == ["Improved experience of care", "Improved value"])
            #expect(strategy.objectives[0].priorities.map(\.name) == ["Timely access"])
            #expect(strategy.unfiled_priorities.map(\.name) == ["Made long ago"])
            #expect(strategy.aim == nil)
        }
    }

    @Test("an objective is tracked by the organisation's own measures, and the strategy shows how they move")
    func trackedByMeasures() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            let fixtures = Fixtures(app: app)
            let months = (1...12).map { CalendarDay.date(String(format: "2025-%02d-01", $0))! }
            let readmissions = try await fixtures.measure(
                "Emergency readmissions", unit: world.trust, frequency: .monthly, periods: months)
            let wardFalls = try await fixtures.measure("Falls on Willow", unit: world.willow, periods: months)

            let offered = try await browser.get("/strategy/objectives/new")
            #expect(offered.body.contains("Emergency readmissions"))
            #expect(!offered.body.contains("Falls on Willow"), "a ward's measure is not the organisation's")

            let refused = try await browser.post(
                "/strategy/objectives",
                fields: [("name", "Improved outcomes"), ("measure_ids[]", wardFalls.id!.uuidString)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Choose measures from the list"))
            #expect(try await StrategicObjective.query(on: app.db).count() == 0)

            let added = try await browser.post(
                "/strategy/objectives",
                fields: [("name", "Improved outcomes"), ("measure_ids[]", readmissions.id!.uuidString)])
            #expect(added.status == .seeOther)
            let objective = try #require(try await StrategicObjective.query(on: app.db).with(\.$measures).first())
            #expect(objective.measures.map(\.name) == ["Emergency readmissions"])
            let created = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "objective").first())
            #expect(created.after["measures"] == readmissions.id!.uuidString)

            let page = try await browser.get("/strategy").body
            #expect(page.contains("Whole System Measures tracking “Improved outcomes”"))
            #expect(page.contains(#"href="/measures/\#(readmissions.id!.uuidString)">Emergency readmissions</a>"#))
            #expect(page.contains(#"viewBox="0 0 1200 280""#), "the trend is drawn as a sparkline")
            #expect(page.contains("#mdc-variation-"), "the variation icon is drawn from the page's symbols")

            let edit = try await browser.get("/strategy/objectives/\(objective.id!)/edit").body
            #expect(edit.contains(#"value="\#(readmissions.id!.uuidString)" checked"#))
            _ = try await browser.post(
                "/strategy/objectives/\(objective.id!)", form: ["name": "Improved outcomes", "version": "1"])
            #expect(try await ObjectiveMeasure.query(on: app.db).count() == 0)
            let updated = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "objective")
                    .filter(\.$action == "update").first())
            #expect(updated.before["measures"] == readmissions.id!.uuidString && updated.after["measures"] == "")

            let strategy = try JSONDecoder().decode(
                StrategyDTO.self, from: Data(try await browser.json(.GET, "/api/v1/strategy").body.utf8))
            #expect(strategy.objectives.first?.measure_ids == [])

            // Tracked by a measure later archived (so no longer offered), the objective's form after
            // an edit conflict still shows it, ticked: saving again keeps it.
            _ = try await browser.post(
                "/strategy/objectives/\(objective.id!)",
                fields: [
                    ("name", "Improved outcomes"), ("measure_ids[]", readmissions.id!.uuidString), ("version", "2"),
                ])
            readmissions.archivedAt = AppClock.now
            try await readmissions.save(on: app.db)
            let conflict = try await browser.post(
                "/strategy/objectives/\(objective.id!)",
                fields: [
                    ("name", "Better outcomes"), ("measure_ids[]", readmissions.id!.uuidString), ("version", "2"),
                ])
            #expect(conflict.status == .conflict)
            #expect(conflict.body.contains(#"value="\#(readmissions.id!.uuidString)" checked"#))
        }
    }
}
