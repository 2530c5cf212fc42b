import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Quality control: teams record their huddles, agree actions with an owner and a due day, and pass
/// what they cannot fix to a unit above, whose leads answer and close it.
@Suite("Huddles and escalations")
struct HuddleTests {
    struct World {
        let units: TestWorld
        let nurse: Person
        let chair: Person
        let member: TestBrowser
        let chairBrowser: TestBrowser
    }

    static let today = AppClock.today

    /// A nurse of Willow Ward (a member there), its directorate's forum chair, and a member of
    /// Oak Ward in the other directorate; the first two signed in.
    static func world(_ app: Application) async throws -> World {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        let nurse = try await fixtures.signIn("nurse@test.example", role: .member, at: units.willow)
        let chair = try await fixtures.signIn("chair@test.example", role: .forumChair, at: units.directorate)
        _ = try await fixtures.signIn("outsider@test.example", role: .member, at: units.oak)
        _ = try await fixtures.person("Robin Day", unit: units.willow)
        let member = TestBrowser(app: app)
        #expect(try await member.signIn("nurse@test.example").status == .seeOther)
        let chairBrowser = TestBrowser(app: app)
        #expect(try await chairBrowser.signIn("chair@test.example").status == .seeOther)
        return World(units: units, nurse: nurse, chair: chair, member: member, chairBrowser: chairBrowser)
    }

    /// The huddle form as a nurse fills it in: two issues, the first with an action, the second
    /// escalated to the directorate.
    static func form(_ world: World, changing changes: [String: String] = [:]) throws -> [String: String] {
        [
            "held_on": today.adding(days: -1).text, "kind": "safety", "attendees": "Ana, Ben, agency nurse",
            "issue1_description": "Bed 4 call bell broken", "issue1_action": "Report to estates",
            "issue1_owner_id": try world.nurse.requireID().uuidString, "issue1_action_due": today.adding(days: 2).text,
            "issue2_description": "Night staffing short three shifts a week",
            "issue2_escalate_to": try world.units.directorate.requireID().uuidString,
            "issue2_escalation_due": today.adding(days: 7).text,
        ].merging(changes) { $1 }
    }

    @Test("a huddle is recorded with its issues, action and escalation, and the unit above sees what awaits it")
    func recordAndEscalate() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let willow = try world.units.willow.requireID()
            let directorate = try world.units.directorate.requireID()
            #expect(try await world.member.get("/units/\(willow)/huddles/new").status == .ok)
            let saved = try await world.member.post("/units/\(willow)/huddles", form: try Self.form(world))
            #expect(saved.status == .seeOther, "\(saved.body.prefix(600))")
            #expect(saved.location?.hasPrefix("/huddles/") == true)
            let huddle = try #require(try await Huddle.query(on: app.db).with(\.$issues).first())
            #expect(huddle.kind == .safety && huddle.$unit.id == willow && huddle.issues.count == 2)
            let bell = try #require(huddle.issues.first { $0.position == 1 })
            #expect(bell.action == "Report to estates" && bell.$owner.id == world.nurse.id)
            let escalation = try #require(try await Escalation.query(on: app.db).first())
            #expect(escalation.$fromUnit.id == willow && escalation.$toUnit.id == directorate && escalation.isOpen)
            let shown = try await world.member.get(saved.location!)
            #expect(shown.body.contains("Night staffing short three shifts a week"))
            #expect(shown.body.contains("Escalated to Adult Mental Health"))
            // The directorate's page lists it awaiting its answer; the chair's home says so.
            let above = try await world.chairBrowser.get("/units/\(directorate)/huddles")
            #expect(above.body.contains("Open escalations sent here"))
            #expect(above.body.contains("Night staffing short three shifts a week"))
            let home = try await world.chairBrowser.get("/")
            #expect(home.body.contains("1 escalation to Trust › Adult Mental Health awaits a response."))
            // The nurse's own action shows on the ward's page with a button to close it.
            let ward = try await world.member.get("/units/\(willow)/huddles")
            #expect(ward.body.contains("Report to estates") && ward.body.contains("Mark done"))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "huddle").all()
            #expect(audit.count == 1 && audit.first?.unitID == willow)
        }
    }

    @Test(
        "a huddle in the future, an escalation to a unit not above, an action with no owner or an owner from elsewhere: refused with the reason, nothing saved",
        arguments: [
            ("held_on", "future", "is still to come"),
            ("issue2_escalate_to", "cedar", "An issue is escalated to a unit above Willow Ward"),
            ("issue2_escalate_to", "oak", "An issue is escalated to a unit above Willow Ward"),
            ("issue1_owner_id", "", "Issue 1: Choose who owns the action."),
            ("issue1_owner_id", "outsider", "Choose the action’s owner from the people of Willow Ward"),
            ("issue1_description", "", "Issue 1: Enter what the issue is."),
            ("issue2_action_due", "today", "Issue 2: Say what the action is, or clear its owner and due day."),
            ("issue2_escalation_due", "before", "Issue 2: An escalation falls due on or after the huddle"),
        ])
    func refusals(field: String, value: String, message: String) async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let outsider = try #require(try await Person.query(on: app.db).filter(\.$fullName == "Outsider").first())
            let typed: String =
                switch value {
                case "future": Self.today.adding(days: 1).text
                case "cedar": try world.units.cedar.requireID().uuidString
                case "oak": try world.units.oak.requireID().uuidString
                case "outsider": try outsider.requireID().uuidString
                case "today": Self.today.text
                case "before": Self.today.adding(days: -5).text
                default: value
                }
            let page = try await world.member.post(
                "/units/\(try world.units.willow.requireID())/huddles",
                form: try Self.form(world, changing: [field: typed]))
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains(message), "\(field): \(page.body.prefix(200))")
            // What was typed is still there.
            #expect(page.body.contains("Night staffing short three shifts a week"))
            #expect(try await Huddle.query(on: app.db).count() == 0)
            #expect(try await Escalation.query(on: app.db).count() == 0)
        }
    }

    @Test("only the receiving unit's leads answer an escalation; closing it ends it, and a closed one takes no answer")
    func answerAndClose() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            _ = try await world.member.post(
                "/units/\(try world.units.willow.requireID())/huddles", form: try Self.form(world))
            let escalation = try #require(try await Escalation.query(on: app.db).first())
            let id = try escalation.requireID()
            // The team that raised it may not answer it; nor may a member elsewhere.
            #expect(
                try await world.member.post("/escalations/\(id)/respond", form: ["response": "Done"]).status
                    == .forbidden)
            let outsider = TestBrowser(app: app)
            _ = try await outsider.signIn("outsider@test.example")
            #expect(
                try await outsider.post("/escalations/\(id)/respond", form: ["response": "Done"]).status == .forbidden)
            // An empty answer is refused on the page, which keeps its form.
            let empty = try await world.chairBrowser.post("/escalations/\(id)/respond", form: ["response": " "])
            #expect(empty.status == .unprocessableEntity && empty.body.contains("Enter the response."))
            // An answer that keeps it open, then one that closes it.
            let answered = try await world.chairBrowser.post(
                "/escalations/\(id)/respond", form: ["response": "Bank shifts agreed for March."])
            #expect(answered.status == .seeOther)
            #expect(try await Escalation.find(id, on: app.db)?.isOpen == true)
            let closed = try await world.chairBrowser.post(
                "/escalations/\(id)/respond",
                fields: [("response", "Two nurses recruited; rota full from April."), ("close[]", "yes")])
            #expect(closed.status == .seeOther)
            let stored = try #require(try await Escalation.find(id, on: app.db))
            #expect(!stored.isOpen && stored.response == "Two nurses recruited; rota full from April.")
            #expect(stored.$respondedBy.id == world.chair.id)
            // Closed: another answer is refused, as a notice, and changes nothing.
            let late = try await world.chairBrowser.post("/escalations/\(id)/respond", form: ["response": "More"])
            #expect(late.status == .seeOther)
            #expect(
                try await Escalation.find(id, on: app.db)?.response == "Two nurses recruited; rota full from April.")
            let after = try await world.chairBrowser.get(late.location!)
            #expect(after.body.contains("takes no more answers"))
            #expect(!after.body.contains("Save the response"))
            // The team's page no longer lists it open; the open list is empty, the closed one has it.
            #expect(try await world.member.get("/escalations").body.contains("No escalation matches."))
            #expect(try await world.member.get("/escalations?status=closed").body.contains("Night staffing"))
        }
    }

    @Test(
        "an owner with no role closes their action and returns to the unit's page; another directorate's chair may not answer; closing keeps the answer; closed ones list the latest first"
    )
    func ownersChairsAndOrder() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            let robin = try await fixtures.signIn("robin@test.example", at: world.units.willow)
            _ = try await fixtures.signIn(
                "other.chair@test.example", role: .forumChair, at: world.units.otherDirectorate)
            let willow = try world.units.willow.requireID()
            var form = try Self.form(world, changing: ["issue1_owner_id": try robin.requireID().uuidString])
            #expect(try await world.member.post("/units/\(willow)/huddles", form: form).status == .seeOther)
            let issue = try #require(try await HuddleIssue.query(on: app.db).filter(\.$position == 1).first())
            let owner = TestBrowser(app: app)
            _ = try await owner.signIn("robin@test.example")
            let done = try await owner.post(
                "/huddles/\(issue.$huddle.id)/issues/\(try issue.requireID())/done", form: ["back": willow.uuidString])
            #expect(done.status == .seeOther && done.target == "/units/\(willow)/huddles#notice")
            #expect(try await HuddleIssue.find(issue.id, on: app.db)?.actionDoneOn != nil)
            // The other directorate's chair is no lead of this one.
            let escalation = try #require(try await Escalation.query(on: app.db).first())
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other.chair@test.example")
            let path = "/escalations/\(try escalation.requireID())/respond"
            #expect(try await other.post(path, form: ["response": "Not ours"]).status == .forbidden)
            // Answered, then closed without a new word: the answer stands.
            _ = try await world.chairBrowser.post(path, form: ["response": "Bank shifts agreed."])
            #expect(try await !world.chairBrowser.get("/").body.contains("awaits a response"))
            let closing = try await world.chairBrowser.post(path, fields: [("response", ""), ("close[]", "yes")])
            #expect(closing.status == .seeOther)
            let closed = try #require(try await Escalation.find(escalation.id, on: app.db))
            #expect(!closed.isOpen && closed.response == "Bank shifts agreed.")
            // A second escalation closed later lists first among the closed.
            form["issue2_description"] = "Second escalation"
            _ = try await world.member.post("/units/\(willow)/huddles", form: form)
            let second = try #require(try await Escalation.query(on: app.db).filter(\.$closedAt == nil).first())
            _ = try await world.chairBrowser.post(
                "/escalations/\(try second.requireID())/respond", fields: [("response", "Done."), ("close[]", "yes")])
            let list = try await world.member.get("/escalations?status=closed").body
            let first = try #require(list.range(of: "Second escalation")).lowerBound
            #expect(first < (try #require(list.range(of: "Night staffing")).lowerBound))
            #expect(list.contains("2 escalations."))
        }
    }

    @Test(
        "an action's owner marks it done; anyone from another team may not; overdue actions and past-due escalations stand out"
    )
    func actionsAndDueDays() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let willow = try world.units.willow.requireID()
            // Held three weeks ago, the action due two weeks ago, the escalation due last week.
            let form = try Self.form(
                world,
                changing: [
                    "held_on": Self.today.adding(days: -21).text,
                    "issue1_action_due": Self.today.adding(days: -14).text,
                    "issue2_escalation_due": Self.today.adding(days: -7).text,
                ])
            #expect(try await world.member.post("/units/\(willow)/huddles", form: form).status == .seeOther)
            let page = try await world.member.get("/units/\(willow)/huddles")
            #expect(page.body.contains("Overdue") && page.body.contains("Past due"))
            let api = try await world.member.get("/api/v1/escalations?status=open")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let listed = try decoder.decode([EscalationDTO].self, from: Data(api.body.utf8))
            #expect(listed.count == 1 && listed[0].past_due && listed[0].status == "open")
            let home = try await world.member.get("/")
            #expect(
                home.body.contains("1 action you took on at Willow Ward’s huddles is due")
            )
            let issue = try #require(try await HuddleIssue.query(on: app.db).filter(\.$position == 1).first())
            let done = "/huddles/\(issue.$huddle.id)/issues/\(try issue.requireID())/done"
            let outsider = TestBrowser(app: app)
            _ = try await outsider.signIn("outsider@test.example")
            #expect(try await outsider.post(done).status == .forbidden)
            // The page is kept for everyone, but each viewer is offered only what they may do.
            let theirs = try await outsider.get("/units/\(willow)/huddles").body
            #expect(theirs.contains("Report to estates") && !theirs.contains("Mark done</button>"))
            #expect(!theirs.contains("Record a huddle"))
            #expect(try await world.member.get("/units/\(willow)/huddles").body.contains("Mark done</button>"))
            #expect(try await world.member.post(done).status == .seeOther)
            #expect(try await HuddleIssue.find(issue.id, on: app.db)?.actionDoneOn == Self.today.date)
            // Again: a notice says it was done already, and the day stays.
            let again = try await world.member.post(done)
            #expect(again.status == .seeOther)
            #expect(try await world.member.get(again.location!).body.contains("was marked done on"))
            #expect(try await !world.member.get("/units/\(willow)/huddles").body.contains("Overdue"))
        }
    }

    @Test(
        "Add another issue gives the form a fifth row, keeping what was typed and saving nothing; the fifth is recorded"
    )
    func anotherRow() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let path = "/units/\(try world.units.willow.requireID())/huddles"
            var form = try Self.form(world, changing: ["rows": "4", "more": "1"])
            let more = try await world.member.post(path, form: form)
            #expect(more.status == .ok)
            #expect(more.body.contains("Issue 5") && !more.body.contains("Issue 6"))
            #expect(more.body.contains("Night staffing short three shifts a week"))
            #expect(try await Huddle.query(on: app.db).count() == 0)
            // A forged row count is bounded at twenty, where no row is added: the huddle is recorded.
            let forged = try await world.member.post(path, form: form.merging(["rows": "100000"]) { $1 })
            #expect(forged.status == .seeOther)
            form["more"] = nil
            form["rows"] = "5"
            form["issue5_description"] = "Fridge temperature not logged"
            #expect(try await world.member.post(path, form: form).status == .seeOther)
            let issues = try await HuddleIssue.query(on: app.db).all().map(\.description)
            #expect(issues.contains("Fridge temperature not logged") && issues.count == 5)
        }
    }

    @Test("the API records a huddle and lists open escalations; it refuses an escalation sideways, naming the field")
    func api() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            struct Body: Encodable {
                let unit_id: String
                let held_on: String
                let kind: String
                let attendees: String
                let issues: [[String: String]]
            }
            let willow = try world.units.willow.requireID().uuidString
            let good = Body(
                unit_id: willow, held_on: Self.today.text, kind: "quality", attendees: "Day team",
                issues: [
                    ["description": "Menus not in easy read"],
                    [
                        "description": "No interpreter out of hours",
                        "escalate_to": try world.units.trust.requireID().uuidString,
                        "escalation_due": Self.today.adding(days: 14).text,
                    ],
                ])
            let created = try await world.member.json(.POST, "/api/v1/huddles", encoding: good)
            #expect(created.status == .created, "\(created.body)")
            let dto = try JSONDecoder().decode(HuddleDTO.self, from: Data(created.body.utf8))
            #expect(dto.kind == .quality && dto.issues.count == 2 && dto.issues[1].escalation_id != nil)
            let open = try await world.member.get(
                "/api/v1/escalations?status=open&unit=\(try world.units.trust.requireID())")
            #expect(open.body.contains("No interpreter out of hours"))
            let sideways = Body(
                unit_id: willow, held_on: Self.today.text, kind: "safety", attendees: "Night team",
                issues: [
                    [
                        "description": "Ligature point", "escalate_to": try world.units.cedar.requireID().uuidString,
                        "escalation_due": Self.today.text,
                    ]
                ])
            let refused = try await world.member.json(.POST, "/api/v1/huddles", encoding: sideways)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("issues[0].escalate_to"))
            let many = Body(
                unit_id: willow, held_on: Self.today.text, kind: "safety", attendees: "Night team",
                issues: Array(repeating: ["description": "Again"], count: 21))
            let tooMany = try await world.member.json(.POST, "/api/v1/huddles", encoding: many)
            #expect(tooMany.status == .unprocessableEntity && tooMany.body.contains("at most 20 issues"))
            let outsider = TestBrowser(app: app)
            _ = try await outsider.signIn("outsider@test.example")
            #expect(try await outsider.json(.POST, "/api/v1/huddles", encoding: good).status == .forbidden)
            #expect(try await Huddle.query(on: app.db).count() == 1)
        }
    }

    @Test("the early-warning grid links each ward to its huddles and counts its open escalations")
    func earlyWarningLinks() async throws {
        try await withOpenQI { app in
            let world = try await Self.world(app)
            let fixtures = Fixtures(app: app)
            for ward in [world.units.willow, world.units.cedar] {
                try await fixtures.measure(
                    "Falls", unit: ward, periods: (0..<12).map { Self.today.adding(days: -7 * $0).date })
            }
            let willow = try world.units.willow.requireID()
            #expect(
                try await world.member.post("/units/\(willow)/huddles", form: try Self.form(world)).status == .seeOther)
            let grid = try await world.member.get("/units/\(try world.units.directorate.requireID())/early-warning")
            #expect(grid.body.contains("href=\"/units/\(willow)/huddles\""))
            #expect(grid.body.contains("Last huddle \(Self.today.adding(days: -1).shortDayAndMonth)"))
            #expect(grid.body.contains("1 open escalation"))
            #expect(grid.body.contains("No huddle yet"))
        }
    }
}
