import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// One page per unit for the whole quality system: each figure is the count of the list it links to.
@Suite("A unit's quality page")
struct UnitQualityTests {
    @Test("planning, control, assurance and improvement each count what their lists show, and the API says the same")
    func figuresAgreeWithTheirLists() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let world = try await TestWorld.make(app)
            let nurse = try await fixtures.signIn("nurse@test.example", role: .member, at: world.willow)
            let executive = try await fixtures.signIn("exec@test.example", role: .executive, at: world.trust)
            let today = AppClock.today
            // A plan for the directorate only: the ward works to it.
            let plan = AnnualPlan(unitID: try world.directorate.requireID(), year: today.month.year, aim: "Safer wards")
            try await plan.create(on: app.db)
            // A huddle on Willow Ward escalating one issue to the directorate, past due.
            let choices = try await HuddleChoices.query(
                unitID: try world.willow.requireID(), tree: try await UnitTree.load(on: app.db), on: app.db)
            let draft = HuddleDraft(
                heldOn: today.adding(days: -10), kind: .safety, attendees: "Day team",
                issues: [
                    .init(
                        description: "Night staffing", action: nil,
                        escalation: .init(toUnitID: try world.directorate.requireID(), due: today.adding(days: -3))),
                    .init(
                        description: "Call bell",
                        action: .init(text: "Fix it", ownerID: try nurse.requireID(), due: today.adding(days: -1)),
                        escalation: nil),
                ])
            _ = try await Huddle.record(
                draft, at: choices.unitID, unitName: choices.unitName, recordedBy: try nurse.requireID(),
                by: .commandLine, on: app.db)
            // A WalkRound to Willow Ward, held, with an open follow-up.
            let visit = WalkRound()
            (visit.$unit.id, visit.$executive.id) = (try world.willow.requireID(), try executive.requireID())
            (visit.plannedOn, visit.heldOn) = (today.adding(days: -20).date, today.adding(days: -20).date)
            try await visit.create(on: app.db)
            let followUp = WalkRoundAction()
            (followUp.$walkRound.id, followUp.position, followUp.action) = (try visit.requireID(), 1, "Fix the lift")
            (followUp.$owner.id, followUp.dueOn) = (try executive.requireID(), today.adding(days: 5).date)
            try await followUp.create(on: app.db)
            _ = try await fixtures.approvedProject(
                "Fewer falls", unit: world.willow, lead: nurse, approvedAt: today.adding(days: -30).date)

            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("nurse@test.example")
            let directorate = try world.directorate.requireID()
            let api = try await browser.get("/api/v1/units/\(directorate)/quality")
            #expect(api.status == .ok, "\(api.body.prefix(300))")
            let figures = try JSONDecoder().decode(UnitQualityDTO.self, from: Data(api.body.utf8))
            func count(_ part: String, _ label: String) -> Int? {
                figures.parts.first { $0.part == part }?.figures.first { $0.label.hasPrefix(label) }?.count
            }
            #expect(figures.plan?.id == plan.id && figures.plan?.inherited == false)
            #expect(count("control", "open escalations sent here") == 1)
            #expect(count("control", "huddles this month") == (draft.heldOn.month == today.month ? 1 : 0))
            #expect(count("control", "huddle actions overdue") == 1)
            #expect(count("assurance", "WalkRounds in the last 12 months") == 1)
            #expect(count("assurance", "of 2 teams not visited") == 1)  // Cedar Ward
            #expect(count("assurance", "WalkRound follow-ups open") == 1)
            #expect(count("improvement", "active projects") == 1)
            // Each figure links to the list it counts.
            let escalations = try #require(
                figures.parts.first { $0.part == "control" }?.figures.first {
                    $0.label.hasPrefix("open escalations sent")
                })
            #expect(escalations.url == "/units/\(directorate)/huddles#awaiting")
            let listed = try await browser.get("/units/\(directorate)/huddles").body
            #expect(listed.contains("Night staffing"))
            // The ward has no plan of its own: it works to the directorate's.
            let ward = try await browser.get("/units/\(try world.willow.requireID())/quality")
            #expect(ward.status == .ok)
            #expect(ward.body.contains("No plan of its own: it works to"))
            #expect(ward.body.contains("The last WalkRound here: Exec to"))
        }
    }
}
