import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Annual plans")
struct AnnualPlanTests {
    struct World {
        let units: TestWorld
        /// The directorate's QI team, who draw its plans.
        let planner: TestBrowser
    }

    static func world(_ app: Application) async throws -> World {
        let units = try await TestWorld.make(app)
        try await Fixtures(app: app).signIn("qi@test.example", role: .qiTeam, at: units.directorate)
        let planner = TestBrowser(app: app)
        _ = try await planner.signIn("qi@test.example")
        return World(units: units, planner: planner)
    }

    static func draw(
        _ unit: Unit, year: String, aim: String = "Fewer people harmed and shorter waits", parent: UUID? = nil,
        as browser: TestBrowser
    ) async throws -> TestBrowser.Page {
        var form = ["unit_id": unit.id!.uuidString, "year": year, "aim": aim]
        if let parent { form["parent_id"] = parent.uuidString }
        return try await browser.post("/plans", form: form)
    }

    @Test(
        "a directorate's QI team draws one plan a year, under a plan for the same year of a unit above; mistakes are named and nothing is saved"
    )
    func drawing() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let units = world.units
            // The trust's own plan, drawn by someone who plans for the whole trust.
            let trustPlan = AnnualPlan(unitID: units.trust.id!, year: 2026, aim: "Safer care everywhere")
            try await trustPlan.create(on: app.db)
            let older = AnnualPlan(unitID: units.trust.id!, year: 2025, aim: "Last year")
            try await older.create(on: app.db)

            let form = try await world.planner.get("/plans/new")
            #expect(form.status == .ok && form.body.contains("Adult Mental Health"))
            #expect(!form.body.contains(">Forensic Services<"), "only units the viewer plans for are offered")

            let blank = try await world.planner.post("/plans", form: ["unit_id": units.directorate.id!.uuidString])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.contains("Enter the year the plan starts"))
            #expect(blank.body.contains("Enter what the unit will achieve this year."))
            let spaces = try await Self.draw(units.directorate, year: "   ", as: world.planner)
            #expect(spaces.status == .unprocessableEntity)
            #expect(spaces.body.contains("Enter the year the plan starts, like 2026 for 2026/27."))
            let outOfRange = try await Self.draw(units.directorate, year: "1999", as: world.planner)
            #expect(outOfRange.body.contains("Enter the year as a whole number from 2000 to 2100"))
            #expect(outOfRange.body.contains("Fewer people harmed and shorter waits"), "what was typed is kept")
            let wrongYear = try await Self.draw(units.directorate, year: "2026", parent: older.id, as: world.planner)
            #expect(wrongYear.body.contains("A plan sits under a plan for the same year of a unit above it"))
            let elsewhere = try await Self.draw(units.otherDirectorate, year: "2026", as: world.planner)
            #expect(elsewhere.status == .forbidden, "a unit outside the viewer's reach is refused outright")
            #expect(try await AnnualPlan.query(on: app.db).count() == 2)

            let drawn = try await Self.draw(units.directorate, year: "2026", parent: trustPlan.id, as: world.planner)
            #expect(drawn.status == .seeOther)
            let plan = try #require(
                try await AnnualPlan.query(on: app.db).filter(\.$unit.$id == units.directorate.id!).first())
            #expect(drawn.location == "/plans/\(plan.id!)/driver-diagram")
            #expect(plan.$parent.id == trustPlan.id && plan.year == 2026)
            let twice = try await Self.draw(units.directorate, year: "2026", as: world.planner)
            #expect(twice.status == .unprocessableEntity)
            #expect(twice.body.contains("Adult Mental Health already has a plan for 2026/27."))
            // A plan cannot sit under one for its own unit, or under itself.
            let underItself = try await world.planner.post(
                "/plans/\(plan.id!)",
                form: [
                    "unit_id": units.directorate.id!.uuidString, "year": "2026", "aim": "x",
                    "parent_id": plan.id!.uuidString, "version": "1",
                ])
            #expect(underItself.status == .unprocessableEntity)
            #expect(underItself.body.contains("Choose the plan above from the list, or none."))

            // A ward's plan under the directorate's: the directorate's cannot then change its year.
            #expect(
                try await Self.draw(units.willow, year: "2026", parent: plan.id, as: world.planner).status == .seeOther)
            let stranding = try await world.planner.post(
                "/plans/\(plan.id!)",
                form: [
                    "unit_id": units.directorate.id!.uuidString, "year": "2027", "aim": "Next year instead",
                    "version": "1",
                ])
            #expect(stranding.status == .unprocessableEntity)
            #expect(stranding.body.contains("“Willow Ward plan 2026/27” sits under this plan"))
            #expect(try await AnnualPlan.find(plan.id, on: app.db)?.year == 2026)
            // Nor can it move under the ward's plan: a plan never comes to sit under itself.
            let ward = try #require(
                try await AnnualPlan.query(on: app.db).filter(\.$unit.$id == units.willow.id!).first())
            let circle = try await world.planner.post(
                "/plans/\(plan.id!)",
                form: [
                    "unit_id": units.directorate.id!.uuidString, "year": "2026", "aim": "x",
                    "parent_id": ward.id!.uuidString, "version": "1",
                ])
            #expect(circle.body.contains("is not one."))

            let edited = try await world.planner.post(
                "/plans/\(plan.id!)",
                form: [
                    "unit_id": units.directorate.id!.uuidString, "year": "2026", "aim": "Half the harm by March",
                    "parent_id": trustPlan.id!.uuidString, "version": "1",
                ])
            #expect(edited.status == .seeOther)
            let stale = try await world.planner.post(
                "/plans/\(plan.id!)",
                form: [
                    "unit_id": units.directorate.id!.uuidString, "year": "2026", "aim": "Something else",
                    "version": "1",
                ])
            #expect(stale.status == .conflict && stale.body.contains("Half the harm by March"))
            #expect(try await AnnualPlan.find(plan.id, on: app.db)?.aim == "Half the harm by March")
            let audited = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "annual_plan")
                .filter(\.$subjectID == plan.id!).all()
            #expect(audited.count == 2)
            #expect(audited.allSatisfy { $0.subjectName == "Adult Mental Health plan 2026/27" })

            let page = try await world.planner.get("/plans/\(plan.id!)")
            #expect(page.body.contains("Half the harm by March") && page.body.contains("Trust plan 2026/27"))
            let parentPage = try await world.planner.get("/plans/\(trustPlan.id!)")
            #expect(parentPage.body.contains("Adult Mental Health plan 2026/27"), "the plan above lists those under it")
            #expect(!parentPage.body.contains("Edit the plan"), "the directorate's QI team does not plan for the trust")
        }
    }

    @Test(
        "a plan's boxes link to the unit's projects and measures and to programmes; /strategy counts them, and a project linked to a box no longer serves 'nothing'"
    )
    func links() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let units = world.units
            let fixtures = Fixtures(app: app)
            let lead = try await fixtures.person("Lee Lead", unit: units.willow)
            let year = AppClock.now.addingTimeInterval(-30 * 86_400)
            let falls = try await fixtures.approvedProject(
                "Fewer falls", unit: units.willow, lead: lead, approvedAt: year)
            let calm = try await fixtures.approvedProject(
                "Calmer nights", unit: units.cedar, lead: lead, approvedAt: year)
            let theirs = try await fixtures.approvedProject(
                "Forensic work", unit: units.oak, lead: lead, approvedAt: year)
            let indicator = try await fixtures.measure(
                "Falls per 1,000 bed days", unit: units.willow,
                periods: (0..<20).map { AppClock.now.addingTimeInterval(Double(-140 + 7 * $0) * 86_400) })
            let programme = Programme(name: "Violence reduction", unitID: units.trust.id!)
            try await programme.create(on: app.db)

            let strategist = TestBrowser(app: app)
            _ = try await strategist.signIn("qi@test.example")
            let before = try await strategist.get("/strategy").body
            #expect(before.contains("3 active projects serve no priority or plan"))

            #expect(try await Self.draw(units.directorate, year: "2026", as: world.planner).status == .seeOther)
            let plan = try #require(try await AnnualPlan.query(on: app.db).first())
            let base = "/plans/\(plan.id!)"
            let driver = try await world.planner.post(
                base + "/drivers", form: ["level": "primary", "text": "Safer wards"])
            #expect(driver.status == .seeOther && driver.location == base + "/driver-diagram")
            let safer = try #require(try await Driver.query(on: app.db).filter(\.$plan.$id == plan.id!).first())
            #expect(safer.$project.id == nil && safer.$programme.id == nil)
            let diagram = try await world.planner.get(base + "/driver-diagram")
            #expect(diagram.body.contains("What the unit will achieve this year"))
            #expect(diagram.body.contains(">Strategy</a>"), "under the strategy, not a project")

            func link(_ work: String) async throws -> TestBrowser.Page {
                try await world.planner.post(
                    base + "/links", form: ["box": "driver:\(safer.id!.uuidString)", "work": work])
            }
            #expect(try await link("project:\(falls.id!.uuidString)").status == .seeOther)
            #expect(
                try await world.planner.get(base).body.contains("“Fewer falls” now serves “Safer wards”."),
                "the notice names the work and the box")
            #expect(try await link("measure:\(indicator.id!.uuidString)").status == .seeOther)
            let linked = try await link("programme:\(programme.id!.uuidString)")
            #expect(linked.status == .seeOther)
            let again = try await link("project:\(falls.id!.uuidString)")
            #expect(
                again.status == .unprocessableEntity
                    && again.body.contains("“Fewer falls” already serves “Safer wards”."))
            let foreign = try await link("project:\(theirs.id!.uuidString)")
            #expect(foreign.status == .unprocessableEntity)
            #expect(foreign.body.contains("Choose a project, programme or measure from the list"))
            let nowhere = try await world.planner.post(
                base + "/links", form: ["box": "driver:\(UUID().uuidString)", "work": "project:\(calm.id!.uuidString)"])
            #expect(nowhere.body.contains("Choose a box of the plan’s diagram."))
            #expect(try await PlanLink.query(on: app.db).count() == 3)

            let page = try await world.planner.get(base)
            #expect(page.body.contains(">Fewer falls</a>") && page.body.contains(">Violence reduction</a>"))
            #expect(page.body.contains("class=\"measure-summary\""), "the measure as its chart stands")
            #expect(page.body.contains("Falls per 1,000 bed days"))
            #expect(page.body.contains("<strong>1</strong> project<"))

            let strategy = try await strategist.get("/strategy").body
            #expect(strategy.contains("2 active projects serve no priority or plan"))
            #expect(strategy.contains("Adult Mental Health plan 2026/27"))
            let unaligned = try await strategist.get("/projects?priority=none&status=active").body
            #expect(unaligned.contains("Calmer nights") && !unaligned.contains(">Fewer falls<"))

            let api = try await strategist.get("/api/v1/strategy")
            struct Strategy: Decodable {
                struct Plan: Decodable {
                    struct Link: Decodable {
                        let box_id: UUID
                        let project_id: UUID?
                        let programme_id: UUID?
                        let measure_id: UUID?
                    }
                    let year: Int
                    let links: [Link]
                    let driver_diagram: DriverDiagram
                }
                let plans: [Plan]
            }
            let json = try JSONDecoder().decode(Strategy.self, from: Data(api.body.utf8))
            #expect(json.plans.count == 1 && json.plans[0].year == 2026)
            #expect(json.plans[0].links.count == 3 && json.plans[0].links.allSatisfy { $0.box_id == safer.id })
            #expect(Set(json.plans[0].links.compactMap(\.project_id)) == [falls.id!])
            #expect(json.plans[0].driver_diagram.drivers.map(\.text) == ["Safer wards"])

            // Unlinking, and removing the box, each take the project's link away.
            let projectLink = try #require(
                try await PlanLink.query(on: app.db).filter(\.$project.$id == falls.id!).first())
            let unlinked = try await world.planner.post(base + "/links/\(projectLink.id!)/remove", form: [:])
            #expect(unlinked.status == .seeOther)
            #expect(try await world.planner.get(base).body.contains("“Fewer falls” no longer serves “Safer wards”."))
            #expect(try await PlanLink.query(on: app.db).count() == 2)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "plan_link").count() == 4,
                "three links and one removal")
            #expect(try await world.planner.post(base + "/drivers/\(safer.id!)/remove", form: [:]).status == .seeOther)
            #expect(try await PlanLink.query(on: app.db).count() == 0)
            // A project's box is not reached through the plan's address.
            let projectDriver = Driver(owner: .project(falls.id!), level: .primary, text: "Theirs", position: 0)
            try await projectDriver.create(on: app.db)
            #expect(
                try await world.planner.post(base + "/drivers/\(projectDriver.id!)/remove", form: [:]).status
                    == .notFound)
            #expect(try await Driver.find(projectDriver.id, on: app.db) != nil)
            // Someone who does not plan for the directorate reads the plan but changes nothing.
            try await fixtures.signIn("reader@test.example", at: units.willow)
            let reader = TestBrowser(app: app)
            _ = try await reader.signIn("reader@test.example")
            #expect(try await reader.get(base).status == .ok)
            #expect(
                try await reader.post(base + "/drivers", form: ["level": "primary", "text": "x"]).status == .forbidden)
            #expect(
                try await reader.post(base + "/links", form: ["box": "x", "work": "y"]).status == .forbidden)
        }
    }

    @Test(
        "every plan's diagram read together is each plan's diagram read alone: its own drivers, links and ideas, in order"
    )
    func diagramsTogether() async throws {
        try await withOpenQI { app in
            let units = try await TestWorld.make(app)
            let db = app.db
            var plans: [AnnualPlan] = []
            for (unit, name) in [(units.directorate, "Safer"), (units.otherDirectorate, "Sooner")] {
                let plan = AnnualPlan(unitID: unit.id!, year: 2026, aim: "\(name) this year")
                try await plan.create(on: db)
                var primaries: [Driver] = []
                for (position, text) in ["\(name) A", "\(name) B"].enumerated() {
                    let driver = Driver(owner: .plan(plan.id!), level: .primary, text: text, position: position)
                    try await driver.create(on: db)
                    primaries.append(driver)
                }
                let secondary = Driver(owner: .plan(plan.id!), level: .secondary, text: "\(name) under B", position: 2)
                try await secondary.create(on: db)
                try await secondary.$primaries.attach(primaries[1], on: db)
                for (position, title) in ["\(name) idea 2", "\(name) idea 1"].enumerated() {
                    let idea = ChangeIdea(owner: .plan(plan.id!), title: title, summary: nil, position: position)
                    try await idea.create(on: db)
                    try await idea.$drivers.attach(position == 0 ? secondary : primaries[0], on: db)
                }
                plans.append(plan)
            }
            var alone: [DriverDiagram] = []
            for plan in plans { alone.append(try await DriverDiagram.load(for: .plan(plan), on: db)) }
            let together = try await DriverDiagram.load(forPlans: plans, on: db)
            #expect(together == alone)
            #expect(
                together.map { $0.ideas.map(\.title) } == [
                    ["Safer idea 2", "Safer idea 1"], ["Sooner idea 2", "Sooner idea 1"],
                ])
            #expect(together[1].secondaries.first?.primaryIDs == [together[1].primaries[1].id])
        }
    }
}
