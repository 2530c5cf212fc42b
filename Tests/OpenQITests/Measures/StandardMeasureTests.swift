import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Standard measures")
struct StandardMeasureTests {
    static func form(_ name: String, definition: String = "Incidents of violence per 1,000 occupied bed days.")
        -> [String: String]
    {
        [
            "name": name, "kind": "outcome", "definition": definition, "unit_of_measure": "per 1,000 bed days",
            "frequency": "monthly", "chart_type": "u", "rules": "mdc", "direction": "down", "target": "",
            "multiply": "1000",
        ]
    }

    private static func strategist(_ app: Application, world: TestWorld) async throws -> TestBrowser {
        try await Fixtures(app: app).signIn("qi@test.example", role: .qiTeam, at: world.trust)
        let browser = TestBrowser(app: app)
        _ = try await browser.signIn("qi@test.example")
        return browser
    }

    @Test("the trust's QI team defines a standard measure, audited; a change moves its version on")
    func defineAndChange() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            let added = try await browser.post("/standard-measures", form: Self.form("Violent incidents"))
            #expect(added.status == .seeOther)
            let standard = try #require(try await StandardMeasure.query(on: app.db).first())
            #expect(standard.chartType == "u" && standard.multiply == 1000 && standard.version == 1)
            let page = try await browser.get(try #require(added.location)).body
            #expect(page.contains("Version 1") && page.contains("Making Data Count (NHS)"))
            #expect(page.contains("No measure is made from it yet."))

            var changed = Self.form("Violent incidents", definition: "Incidents of violence or aggression.")
            changed["version"] = "1"
            let saved = try await browser.post("/standard-measures/\(standard.id!)", form: changed)
            #expect(saved.status == .seeOther)
            #expect(try await browser.get(try #require(saved.location)).body.contains("The definition is at version 2"))
            let savedStandard = try #require(try await StandardMeasure.find(standard.id, on: app.db))
            #expect(savedStandard.version == 2 && savedStandard.definitionVersion == 2)
            // A new name alone is no new definition: measures made from it copy everything but the name.
            var renamed = Self.form("Violence", definition: "Incidents of violence or aggression.")
            renamed["version"] = "2"
            _ = try await browser.post("/standard-measures/\(standard.id!)", form: renamed)
            let renamedStandard = try #require(try await StandardMeasure.find(standard.id, on: app.db))
            #expect(renamedStandard.version == 3 && renamedStandard.definitionVersion == 2)

            // A change begun from version 1 is refused, what was typed kept beside what was saved.
            var stale = Self.form("Violence", definition: "Something else")
            stale["version"] = "1"
            let conflict = try await browser.post("/standard-measures/\(standard.id!)", form: stale)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.contains("Something else") && conflict.body.contains("violence or aggression"))

            let entries = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "standard_measure")
                .sort(\.$occurredAt).all()
            #expect(entries.map(\.action) == ["create", "update", "update"])
            #expect(entries[1].after["definition"] == "Incidents of violence or aggression.")
            #expect(entries[1].before["definition_version"] == "1" && entries[1].after["definition_version"] == "2")
            // The trust's administrators read the trail.
            try await Fixtures(app: app).signIn("trust-admin@test.example", role: .admin, at: world.trust)
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("trust-admin@test.example")
            #expect(try await admin.get("/audit").body.contains("Violence</a>"))
        }
    }

    @Test(
        "mistakes are named beside their fields, a name is used once, and only the organisation's QI team and administrators define them"
    )
    func refusals() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            _ = try await browser.post("/standard-measures", form: Self.form("Violent incidents"))
            let again = try await browser.post(
                "/standard-measures", form: Self.form("violent INCIDENTS", definition: ""))
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.contains("There is already a standard measure called “Violent incidents”"))
            #expect(again.body.contains("Enter the operational definition"))
            #expect(again.body.contains(#"value="violent INCIDENTS""#), "what was typed is kept")
            #expect(!again.body.contains("Key for bulk data"), "a standard measure has no key of its own")

            try await Fixtures(app: app).signIn("director@test.example", role: .admin, at: world.directorate)
            let director = TestBrowser(app: app)
            _ = try await director.signIn("director@test.example")
            #expect(try await director.get("/standard-measures").status == .ok)
            #expect(try await !director.get("/standard-measures").body.contains("Add a standard measure"))
            #expect(try await director.post("/standard-measures", form: Self.form("Ours")).status == .forbidden)
            #expect(try await StandardMeasure.query(on: app.db).count() == 1)
        }
    }

    @Test("archiving takes a standard measure out of use and restoring brings it back, audited")
    func archiving() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            let added = try await browser.post("/standard-measures", form: Self.form("Restraint"))
            let standard = try #require(try await StandardMeasure.query(on: app.db).first())
            _ = try await browser.post("/standard-measures/\(standard.id!)/archive")
            #expect(try await StandardMeasure.find(standard.id, on: app.db)?.isArchived == true)
            #expect(try await browser.get(try #require(added.location)).body.contains("Archived"))
            _ = try await browser.post("/standard-measures/\(standard.id!)/restore")
            let restored = try #require(try await StandardMeasure.find(standard.id, on: app.db))
            #expect(!restored.isArchived && restored.version == 3, "each moves the record's version on")
            #expect(restored.definitionVersion == 1, "but not the definition's: no measure is told of a change")
        }
    }

    @Test(
        "a measure made from a standard takes its definition and keeps it; a change to the standard shows on it until its team takes it"
    )
    func measuresFollowTheirStandard() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            _ = try await browser.post("/standard-measures", form: Self.form("Violent incidents"))
            let standard = try #require(try await StandardMeasure.query(on: app.db).first())
            let fixtures = Fixtures(app: app)
            let project = try await fixtures.approvedProject(
                "Safer Willow", unit: world.willow, lead: try await fixtures.person("Lead", unit: world.willow),
                approvedAt: AppClock.now)
            let newPage = "/projects/\(project.id!)/measures/new"

            let offered = try await browser.get(newPage).body
            #expect(offered.contains(#"href="\#(newPage)?standard=\#(standard.id!.uuidString)">Violent incidents</a>"#))
            let chosen = try await browser.get(newPage + "?standard=\(standard.id!)").body
            #expect(chosen.contains("Made from the standard measure"))
            #expect(chosen.contains(#"name="standard_id" value="\#(standard.id!.uuidString)""#))

            // Whatever else the form sends, the definition is the standard's.
            let added = try await browser.post(
                "/projects/\(project.id!)/measures",
                form: [
                    "name": "Violence on Willow", "standard_id": standard.id!.uuidString, "chart_type": "run",
                    "definition": "Our own idea",
                ])
            #expect(added.status == .seeOther)
            let measure = try #require(
                try await Measure.query(on: app.db).filter(\.$name == "Violence on Willow").first())
            #expect(
                measure.chartType == "u" && measure.multiply == 1000 && measure.definition.hasPrefix("Incidents of"))
            #expect(measure.$standard.id == standard.id && measure.standardVersion == 1)

            let renamed = try await browser.post(
                "/measures/\(measure.id!)",
                form: ["name": "Violence, Willow", "chart_type": "run", "definition": "Drifted", "version": "1"])
            #expect(renamed.status == .seeOther)
            let kept = try #require(try await Measure.find(measure.id, on: app.db))
            #expect(
                kept.name == "Violence, Willow" && kept.chartType == "u" && kept.definition.hasPrefix("Incidents of"))

            var changed = Self.form("Violent incidents", definition: "Incidents of violence or aggression.")
            changed["version"] = "1"
            _ = try await browser.post("/standard-measures/\(standard.id!)", form: changed)
            let behind = try await browser.get("/measures/\(measure.id!)").body
            #expect(behind.contains("is at version 2; this measure follows version 1"))
            #expect(behind.contains("Taking it changes the operational definition."))
            #expect(behind.contains("Take version 2"))
            #expect(try await browser.get("/standard-measures/\(standard.id!)").body.contains("not yet this one"))

            // A page showing an older version of the standard takes nothing.
            let outdated = try await browser.post(
                "/measures/\(measure.id!)/standard", form: ["standard_version": "1", "version": "2"])
            #expect(try await browser.get(try #require(outdated.location)).body.contains("changed again since"))
            #expect(try await Measure.find(measure.id, on: app.db)?.standardVersion == 1)

            let taken = try await browser.post(
                "/measures/\(measure.id!)/standard", form: ["standard_version": "2", "version": "2"])
            #expect(try await browser.get(try #require(taken.location)).body.contains("now follows version 2"))
            let following = try #require(try await Measure.find(measure.id, on: app.db))
            #expect(following.definition == "Incidents of violence or aggression." && following.standardVersion == 2)
            #expect(following.name == "Violence, Willow", "the team's name for it stays")
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectID == measure.id!).sort(
                    \.$occurredAt, .descending
                )
                .first())
            #expect(entry.before["standard_version"] == "1" && entry.after["standard_version"] == "2")
            let again = try await browser.post(
                "/measures/\(measure.id!)/standard", form: ["standard_version": "2", "version": "3"])
            #expect(try await browser.get(try #require(again.location)).body.contains("already follows version 2"))
            #expect(try await Measure.find(measure.id, on: app.db)?.version == 3, "taking nothing changes nothing")

            // An archived standard makes no new measures: the form says so and keeps the name typed.
            _ = try await browser.post("/standard-measures/\(standard.id!)/archive")
            let refused = try await browser.post(
                "/projects/\(project.id!)/measures",
                form: ["name": "Violence again", "standard_id": standard.id!.uuidString])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("is archived or gone") && refused.body.contains(#"value="Violence again""#))
        }
    }

    @Test("early warning and comparing units match wards' measures by their standard, whatever each ward calls them")
    func matchedByStandard() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let browser = try await Self.strategist(app, world: world)
            _ = try await browser.post("/standard-measures", form: Self.form("Violent incidents"))
            let standard = try #require(try await StandardMeasure.query(on: app.db).first())
            let fixtures = Fixtures(app: app)
            let weeks = (0..<12).map { CalendarDay.date("2026-01-05")!.addingTimeInterval(Double($0) * 7 * 86_400) }
            for (ward, name) in [
                (world.willow, "Violence on Willow"), (world.cedar, "Cedar violence"), (world.oak, "Oak: violence"),
            ] {
                let measure = try await fixtures.measure(name, unit: ward, chart: .u, periods: weeks)
                measure.$standard.id = standard.id
                measure.standardVersion = 1
                try await measure.save(on: app.db)
            }
            // A ward still counting its own way, under the standard's name, is told apart.
            try await fixtures.measure("Violent incidents", unit: world.cedar, periods: weeks)
            let warning = try await browser.get("/units/\(world.trust.id!)/early-warning").body
            #expect(warning.contains(#"<th scope="col">Violent incidents</th>"#))
            #expect(warning.contains(#"<th scope="col">Violent incidents (own definition)</th>"#))
            #expect(!warning.contains("Cedar violence"), "one column for the standard, named after it")

            let compare = try await browser.get("/units/\(world.trust.id!)/compare").body
            let key = "standard:" + standard.id!.uuidString.lowercased()
            #expect(compare.contains(#"value="\#(key)""#) && compare.contains(">Violent incidents</option>"))
            let named = try await browser.get("/units/\(world.trust.id!)/compare?measure=Violent%20incidents").body
            #expect(!named.contains("No measure called"), "a link may name the standard measure")
        }
    }
}
