import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Executive WalkRounds: an executive schedules a visit to a team, records what the team said to the
/// four questions and what to follow up; the team and the executive close the follow-ups; the
/// coverage page shows who has not been visited in a year.
@Suite("Executive WalkRounds")
struct WalkRoundTests {
    struct World {
        let units: TestWorld
        let executive: Person
        let owner: Person
        let browser: TestBrowser
    }

    static let today = AppClock.today

    /// An executive of the trust, signed in; another executive; a ward nurse who owns follow-ups
    /// (no role at all); a member of Oak Ward.
    static func world(_ app: Application) async throws -> World {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        let executive = try await fixtures.signIn("exec@test.example", role: .executive, at: units.trust)
        _ = try await fixtures.signIn("other.exec@test.example", role: .executive, at: units.trust)
        let owner = try await fixtures.signIn("owner@test.example", at: units.willow)
        _ = try await fixtures.signIn("outsider@test.example", role: .member, at: units.oak)
        let browser = TestBrowser(app: app)
        #expect(try await browser.signIn("exec@test.example").status == .seeOther)
        return World(units: units, executive: executive, owner: owner, browser: browser)
    }

    static func answers(changing changes: [String: String] = [:]) -> [String: String] {
        [
            "held_on": today.text, "proud_of": "Every patient's leave kept going",
            "improving": "Fewer falls at night", "in_the_way": "Two vacant posts", "self_care": "Protected breaks",
        ].merging(changes) { $1 }
    }

    /// Schedules a visit to Willow Ward next week as the signed-in executive; its address.
    static func schedule(_ world: World) async throws -> String {
        let saved = try await world.browser.post(
            "/walkrounds",
            form: [
                "unit_id": try world.units.willow.requireID().uuidString,
                "executive_id": try world.executive.requireID().uuidString,
                "planned_on": today.adding(days: 7).text,
            ])
        #expect(saved.status == .seeOther, "\(saved.body.prefix(500))")
        return try #require(saved.location)
    }

    @Test("an executive schedules a visit, records the four answers and a follow-up, and the owner closes it")
    func scheduleRecordFollowUp() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            #expect(try await world.browser.get("/walkrounds/new").body.contains("Willow Ward"))
            let visit = try await Self.schedule(world)
            #expect(try await world.browser.get(visit).body.contains("plans to visit on"))
            let recorded = try await world.browser.post(
                visit + "/record",
                form: Self.answers(changing: [
                    "action1": "Chase the lift repair", "action1_owner_id": try world.owner.requireID().uuidString,
                    "action1_due_on": Self.today.adding(days: 14).text,
                ]))
            #expect(recorded.status == .seeOther, "\(recorded.body.prefix(600))")
            let stored = try #require(try await WalkRound.query(on: app.db).with(\.$actions).first())
            #expect(stored.heldOn == Self.today.date && stored.inTheWay == "Two vacant posts")
            #expect(stored.actions.count == 1 && stored.actions[0].$owner.id == world.owner.id)
            let page = try await world.browser.get(visit).body
            #expect(page.contains("What gets in the way of doing its best?") && page.contains("Two vacant posts"))
            // Recorded once: a second record changes nothing.
            let again = try await world.browser.post(
                visit + "/record", form: Self.answers(changing: ["proud_of": "Else"]))
            #expect(again.status == .seeOther)
            #expect(try await WalkRound.find(stored.id, on: app.db)?.proudOf == "Every patient's leave kept going")
            // The owner, with no role, closes it; a member of another ward may not.
            let done = "\(visit)/follow-ups/\(try stored.actions[0].requireID())/done"
            let outsider = TestBrowser(app: app)
            _ = try await outsider.signIn("outsider@test.example")
            #expect(try await outsider.post(done).status == .forbidden)
            let owner = TestBrowser(app: app)
            _ = try await owner.signIn("owner@test.example")
            #expect(try await owner.post(done).status == .seeOther)
            #expect(try await WalkRoundAction.find(stored.actions[0].id, on: app.db)?.doneOn == Self.today.date)
            let audit = try await AuditEntry.query(on: app.db).filter(
                \.$subjectKind ~~ ["walk_round", "walk_round_action"]
            )
            .count()
            #expect(audit == 3)
        }
    }

    @Test(
        "a visit to a directorate, by someone who is not an executive, a record in the future, an unanswered question or a follow-up without an owner: refused, nothing saved",
        arguments: ["directorate", "not an executive", "future", "unanswered", "no owner"])
    func refusals(_ case: String) async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            if ["directorate", "not an executive"].contains(`case`) {
                let page = try await world.browser.post(
                    "/walkrounds",
                    form: [
                        "unit_id": try (`case` == "directorate" ? world.units.directorate : world.units.willow)
                            .requireID().uuidString,
                        "executive_id": try (`case` == "directorate" ? world.executive : world.owner).requireID()
                            .uuidString,
                        "planned_on": Self.today.text,
                    ])
                #expect(page.status == .unprocessableEntity)
                #expect(
                    page.body.contains(`case` == "directorate" ? "Choose the team to visit" : "Choose the executive"))
                #expect(try await WalkRound.query(on: app.db).count() == 0)
                return
            }
            let visit = try await Self.schedule(world)
            let form: [String: String] =
                switch `case` {
                case "future": Self.answers(changing: ["held_on": Self.today.adding(days: 1).text])
                case "unanswered": Self.answers(changing: ["self_care": " "])
                default: Self.answers(changing: ["action1": "Chase the lift", "action1_due_on": Self.today.text])
                }
            let page = try await world.browser.post(visit + "/record", form: form)
            #expect(page.status == .unprocessableEntity)
            let message =
                switch `case` {
                case "future": "is still to come"
                case "unanswered": "Enter what the team said to “How is it taking care of itself?”"
                default: "Choose who owns the follow-up."
                }
            #expect(page.body.contains(message), "\(`case`)")
            #expect(page.body.contains("Two vacant posts"))
            #expect(try await WalkRound.query(on: app.db).filter(\.$heldOn != nil).count() == 0)
            #expect(try await WalkRoundAction.query(on: app.db).count() == 0)
        }
    }

    @Test(
        "another executive may not record someone else's visit nor book it; the team's own administrator may not record it; a ward member may not schedule one"
    )
    func whoMay() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            _ = try await fixtures.signIn("ward.admin@test.example", role: .admin, at: world.units.willow)
            let colleague = try #require(
                try await Person.query(on: app.db).filter(\.$fullName == "Other.Exec").first())
            // Booking a colleague is not the executive's to do; the ward's administrator may.
            let booking: [String: String] = [
                "unit_id": try world.units.willow.requireID().uuidString,
                "executive_id": try colleague.requireID().uuidString, "planned_on": Self.today.text,
            ]
            let refused = try await world.browser.post("/walkrounds", form: booking)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("You may schedule your own visits only"))
            let wardAdmin = TestBrowser(app: app)
            _ = try await wardAdmin.signIn("ward.admin@test.example")
            #expect(try await wardAdmin.post("/walkrounds", form: booking).status == .seeOther)
            let visit = try await Self.schedule(world)
            #expect(try await wardAdmin.post(visit + "/record", form: Self.answers()).status == .forbidden)
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other.exec@test.example")
            #expect(try await other.post(visit + "/record", form: Self.answers()).status == .forbidden)
            let member = TestBrowser(app: app)
            _ = try await member.signIn("outsider@test.example")
            #expect(try await member.get("/walkrounds/new").status == .forbidden)
            #expect(
                try await member.post(
                    "/walkrounds",
                    form: [
                        "unit_id": try world.units.oak.requireID().uuidString,
                        "executive_id": try world.executive.requireID().uuidString, "planned_on": Self.today.text,
                    ]
                ).status == .forbidden)
        }
    }

    @Test(
        "the executive moves a planned visit, then calls it off: it leaves the plan and cannot be recorded; a colleague may do neither"
    )
    func moveAndCallOff() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let visit = try await Self.schedule(world)
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other.exec@test.example")
            #expect(try await other.post(visit + "/cancel").status == .forbidden)
            #expect(
                try await other.post(visit + "/reschedule", form: ["planned_on": Self.today.text]).status
                    == .forbidden)
            let past = try await world.browser.post(
                visit + "/reschedule", form: ["planned_on": Self.today.adding(days: -2).text])
            #expect(past.status == .unprocessableEntity && past.body.contains("Move a visit to a day from today"))
            let moved = try await world.browser.post(
                visit + "/reschedule", form: ["planned_on": Self.today.adding(days: 21).text])
            #expect(moved.status == .seeOther)
            #expect(try await WalkRound.query(on: app.db).first()?.plannedOn == Self.today.adding(days: 21).date)
            #expect(try await world.browser.post(visit + "/cancel").status == .seeOther)
            let page = try await world.browser.get("/walkrounds").body
            #expect(page.contains("No WalkRound is planned."))
            let recorded = try await world.browser.post(visit + "/record", form: Self.answers())
            #expect(recorded.status == .seeOther)
            #expect(try await world.browser.get(recorded.location!).body.contains("was called off"))
            #expect(try await WalkRound.query(on: app.db).filter(\.$heldOn != nil).count() == 0)
        }
    }

    @Test("the executive role is granted at the organisation only")
    func executivesAtTheTop() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            _ = try await fixtures.signIn("root@test.example", administrator: true)
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("root@test.example")
            let grant = "/people/\(try world.owner.requireID())/roles"
            let atWard = try await admin.post(
                grant, form: ["role": "executive", "unit_id": try world.units.willow.requireID().uuidString])
            #expect(atWard.status == .unprocessableEntity)
            #expect(atWard.body.contains("Grant the executive role at the organisation"))
            let atTrust = try await admin.post(
                grant, form: ["role": "executive", "unit_id": try world.units.trust.requireID().uuidString])
            #expect(atTrust.status == .seeOther)
        }
    }

    @Test("coverage: teams not visited in a year, visits by executive and month, open follow-ups; the API lists them")
    func coverage() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let visit = try await Self.schedule(world)
            _ = try await world.browser.post(
                visit + "/record",
                form: Self.answers(changing: [
                    "action1": "Chase the lift repair", "action1_owner_id": try world.owner.requireID().uuidString,
                    "action1_due_on": Self.today.text,
                ]))
            // A visit to Cedar Ward fourteen months ago does not count as a visit in the last year.
            let old = WalkRound()
            (old.$unit.id, old.$executive.id) = (try world.units.cedar.requireID(), try world.executive.requireID())
            (old.plannedOn, old.heldOn) = (Self.today.adding(days: -420).date, Self.today.adding(days: -420).date)
            try await old.create(on: app.db)
            let page = try await world.browser.get("/walkrounds?unit=\(try world.units.directorate.requireID())").body
            #expect(page.contains("of 2 teams not visited in 12 months"))
            let unvisited = try #require(page.firstRange(of: "id=\"unvisited\"")).upperBound
            let section = page[unvisited...].prefix(while: { $0 != "§" }).split(separator: "</section>")[0]
            #expect(section.contains("Cedar Ward") && !section.contains("Willow Ward"))
            #expect(section.contains("last visited \(Self.today.adding(days: -420).label)"))
            #expect(page.contains("Chase the lift repair"))
            #expect(page.contains("<th scope=\"row\">Exec</th>"))
            let api = try await world.browser.get("/api/v1/walkrounds?unit=\(try world.units.willow.requireID())")
            let visits = try JSONDecoder().decode([WalkRoundDTO].self, from: Data(api.body.utf8))
            #expect(visits.count == 1 && visits[0].held_on == Self.today.text && visits[0].follow_ups.count == 1)
            // A team visited fourteen months ago still shows its last visit on its quality page.
            let cedar = try await world.browser.get("/units/\(try world.units.cedar.requireID())/quality").body
            #expect(
                cedar.contains(
                    "The last WalkRound here: Exec to Adult Mental Health › Cedar Ward, \(Self.today.adding(days: -420).label)."
                ))
            let executive = TestBrowser(app: app)
            _ = try await executive.signIn("exec@test.example")
            #expect(try await executive.get("/").body.contains("href=\"/walkrounds\""))
        }
    }
}
