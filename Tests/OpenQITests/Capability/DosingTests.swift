import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("The dosing plan and capability figures")
struct DosingTests {
    static let actor = CohortTests.actor

    /// Completes `people` on a one-session cohort of `course` held `daysAgo` days ago.
    static func complete(
        _ people: [Person], _ course: Course, _ name: String, daysAgo: Int, on db: any Database
    ) async throws {
        let cohort = try await CohortTests.oneSession(
            name, of: course, on: AppClock.today.adding(days: -daysAgo), capacity: 50, open: false, db: db)
        var marks: [UUID: Attendance] = [:]
        for person in people {
            marks[try await cohort.enrol(person, bringing: nil, course: course, by: actor, on: db).requireID()] =
                .attended
        }
        let session = try #require(
            try await CohortSession.query(on: db).filter(\.$cohort.$id == cohort.requireID()).first())
        let now = try await CohortTests.fresh(cohort, on: db)
        try await now.takeRegister(
            of: session, marks: marks, course: course, today: AppClock.today, expecting: now.version, by: actor,
            on: db)
    }

    static func started(_ person: Person, daysAgo: Int, on db: any Database) async throws {
        person.startedOn = AppClock.today.adding(days: -daysAgo).date
        try await person.save(on: db)
    }

    @Test(
        "the capability lead sets a year's plan; the page counts each group against it, the gap closing by one as someone completes, and lists new starters past three months without the introduction"
    )
    func planAndGap() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .capabilityLead, at: world.trust)
            let amara = try await fixtures.person("Amara Okafor", unit: world.willow)
            let ben = try await fixtures.person("Ben Adams", unit: world.willow)
            let cleo = try await fixtures.person("Cleo Grant", unit: world.cedar)
            let dan = try await fixtures.person("Dan Oak", unit: world.oak)
            _ = try await fixtures.person("Sam User", kind: .serviceUser, unit: world.willow)
            try await Self.started(amara, daysAgo: 800, on: db)
            try await Self.started(ben, daysAgo: 150, on: db)
            try await Self.started(cleo, daysAgo: 30, on: db)
            try await Self.started(dan, daysAgo: 700, on: db)
            let pocket = try await CohortTests.pocketQI(on: db)
            try await Self.complete([amara], pocket, "Spring", daysAgo: 40, on: db)

            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let year = AppClock.today.year
            let form = try await lead.get("/capability/plan?year=\(year)")
            #expect(form.status == .ok)
            #expect(form.body.contains("Staff whose unit is here (not partner organisations’ people): 5 now"))
            // A form that does not say which plan it was opened with saves nothing.
            let unread = try await lead.post(
                "/capability/plan",
                form: ["unit_id": world.trust.id!.uuidString, "year": String(year), "need_all_staff_introductory": "4"])
            #expect(unread.status == .unprocessableEntity)
            #expect(unread.body.contains("This form does not say which plan it was opened with"))
            #expect(try await DosingTarget.query(on: db).count() == 0)
            let read = try TestBrowser.hiddenValue("plan_read", in: form)
            #expect(read == "none", "a plan with no numbers yet is a plan too")
            let saved = try await lead.post(
                "/capability/plan",
                form: [
                    "unit_id": world.trust.id!.uuidString, "year": String(year), "need_all_staff_introductory": "4",
                    "need_service_users_and_carers_service_users": "", "plan_read": read,
                ])
            #expect(saved.status == .seeOther)
            let plan = try await DosingPlan.load(unitID: world.trust.id!, year: year, on: db)
            #expect(plan.needs == [.init(group: .allStaff, level: .introductory): 4], "an empty box sets no target")

            func allStaffRow() async throws -> String {
                let page = try await lead.get("/capability").body
                return try #require(page.components(separatedBy: "<th scope=\"row\">All staff").dropFirst().first)
                    .components(separatedBy: "</tr>")[0]
            }
            // The lead, Amara, Ben, Cleo and Dan are staff; only Amara has had the introduction.
            let before = try await allStaffRow()
            #expect(
                before.contains(
                    #"<td class="number">5</td><td class="number">1</td><td class="number">4</td><td class="number">3</td>"#
                ), "\(before)")
            var page = try await lead.get("/capability").body
            #expect(page.contains("Ben Adams"), "started five months ago, not introduced")
            #expect(!page.contains("Cleo Grant"), "started a month ago: still within three months")
            #expect(!page.contains("Dan Oak"), "started two years ago: no longer a new starter")
            #expect(page.contains("1 person started in the last year, more than 3 months ago"))

            try await Self.complete([ben], pocket, "Summer", daysAgo: 2, on: db)
            let after = try await allStaffRow()
            #expect(
                after.contains(
                    #"<td class="number">5</td><td class="number">2</td><td class="number">4</td><td class="number">2</td>"#
                ), "the gap closes by one: \(after)")
            page = try await lead.get("/capability").body
            #expect(!page.contains("Ben Adams"))

            // A directorate's page counts its own people only; the plan is the trust's.
            let directorate = try await lead.get("/capability?unit=\(world.directorate.id!)").body
            let row = try #require(directorate.components(separatedBy: "<th scope=\"row\">All staff").dropFirst().first)
                .components(separatedBy: "</tr>")[0]
            #expect(
                row.contains(#"<td class="number">3</td><td class="number">2</td><td class="number">Not planned</td>"#),
                "\(row)")
            #expect(!directorate.contains("Dan Oak"))

            // Each unit's page has its own lines, and the way to the whole page.
            let ward = try await lead.get("/units/\(world.willow.id!)").body
            #expect(ward.contains("All staff, introductory: 2 of 2"))
            #expect(ward.contains("/capability?unit=\(world.willow.id!)"))

            // The same figures as a spreadsheet and through the API.
            let csv = try await lead.get("/capability/export?year=\(year)")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.contains("\(year),\"All staff\",\"Introductory\",5,2,4,2\n"))
            #expect(
                csv.body.contains("\(year),\"QI coaches\",\"Coach\",0,0,,\n"), "no target: needed and gap left empty")
            struct Figures: Decodable {
                struct Line: Decodable {
                    let group: String
                    let level: String
                    let people: Int
                    let have: Int
                    let needed: Int?
                    let gap: Int?
                }
                let lines: [Line]
                let new_starters_without_introduction: Int
            }
            let api = try JSONDecoder().decode(
                Figures.self, from: Data(try await lead.get("/api/v1/capability?unit=\(world.trust.id!)").body.utf8))
            let staffLine = try #require(api.lines.first { $0.group == "all_staff" && $0.level == "introductory" })
            #expect([staffLine.people, staffLine.have, staffLine.needed, staffLine.gap] == [5, 2, 4, 2])
            #expect(api.new_starters_without_introduction == 0)

            // The change is in the trail.
            let entry = try #require(
                try await AuditEntry.query(on: db).filter(\.$subjectKind == "dosing plan").first())
            #expect(entry.after["All staff, Introductory"] == "4")
            // The same plan saved again changes nothing, so records nothing.
            let same = try await lead.post(
                "/capability/plan",
                form: [
                    "unit_id": world.trust.id!.uuidString, "year": String(year), "need_all_staff_introductory": "4",
                    "plan_read": "all_staff.introductory=4",
                ])
            #expect(same.status == .seeOther)
            #expect(try await AuditEntry.query(on: db).filter(\.$subjectKind == "dosing plan").count() == 1)
        }
    }

    @Test(
        "two leads changing one plan: the second is shown what the first saved beside each number that differs, keeps theirs, and may then save it knowingly"
    )
    func planConflict() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("one@test.example", role: .capabilityLead, at: world.trust)
            try await fixtures.signIn("two@test.example", role: .capabilityLead, at: world.trust)
            let one = TestBrowser(app: app)
            _ = try await one.signIn("one@test.example")
            let two = TestBrowser(app: app)
            _ = try await two.signIn("two@test.example")
            let path = "/capability/plan?unit=\(world.trust.id!)&year=2027"
            func read(_ page: TestBrowser.Page) throws -> String {
                let marker = #"name="plan_read" value=""#
                let rest = try #require(page.body.components(separatedBy: marker).dropFirst().first)
                return String(rest.prefix { $0 != "\"" })
            }
            let readOne = try read(try await one.get(path))
            let readTwo = try read(try await two.get(path))
            let form = ["unit_id": world.trust.id!.uuidString, "year": "2027"]
            let first = try await one.post(
                "/capability/plan",
                form: form.merging(["need_all_staff_introductory": "400", "plan_read": readOne]) { $1 })
            #expect(first.status == .seeOther)

            let mine = form.merging([
                "need_all_staff_introductory": "350", "need_coaches_coach": "12", "plan_read": readTwo,
            ]) { $1 }
            let refused = try await two.post("/capability/plan", form: mine)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("Someone saved this plan after you opened it, with 400 here."))
            #expect(refused.body.contains("Someone saved this plan after you opened it, with no number here."))
            #expect(refused.body.contains(#"value="350""#), "what was typed is kept")
            let plan = try await DosingPlan.load(unitID: world.trust.id!, year: 2027, on: app.db)
            #expect(plan.needs[.init(group: .allStaff, level: .introductory)] == 400)

            // Saving again, from the plan now shown, keeps theirs.
            let again = try await two.post(
                "/capability/plan", form: mine.merging(["plan_read": try read(refused)]) { $1 })
            #expect(again.status == .seeOther)
            let saved = try await DosingPlan.load(unitID: world.trust.id!, year: 2027, on: app.db)
            #expect(saved.needs[.init(group: .allStaff, level: .introductory)] == 350)
            #expect(saved.needs[.init(group: .coaches, level: .coach)] == 12)
        }
    }

    @Test(
        "a plan with a number that is not one, a year out of range or no unit is refused, naming what to fix and keeping what was typed"
    )
    func badPlans() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            try await Fixtures(app: app).signIn("lead@test.example", role: .capabilityLead, at: world.trust)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let wrong = try await lead.post(
                "/capability/plan",
                form: [
                    "unit_id": world.trust.id!.uuidString, "year": "2026", "need_all_staff_introductory": "ten",
                    "need_coaches_coach": "-1", "need_board_board": "7",
                ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.contains("Enter how many of “All staff” need the introductory level as a whole number"))
            #expect(wrong.body.contains("“-1” is not one"))
            #expect(wrong.body.contains(#"value="7""#), "what was typed is kept")
            let year = try await lead.post(
                "/capability/plan", form: ["unit_id": world.trust.id!.uuidString, "year": "1999"])
            #expect(year.status == .unprocessableEntity)
            #expect(year.body.contains("Enter the year as a whole number from 2000 to 2100"))
            let unit = try await lead.post("/capability/plan", form: ["unit_id": UUID().uuidString, "year": "2026"])
            #expect(unit.status == .unprocessableEntity)
            #expect(try await DosingTarget.query(on: app.db).count() == 0, "nothing saved")
            let farOff = try await lead.get("/capability?year=99999")
            #expect(farOff.status == .unprocessableEntity && farOff.body.contains("is not a year of the plan"))
            #expect(try await lead.get("/capability?unit=\(UUID())").status != .ok)
        }
    }

    @Test(
        "the share of practitioner and coach completions by partner organisations' people, and completions by year and level"
    )
    func partnerShare() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let partner = try await fixtures.unit("Bart’s Health", kind: .partner)
            let amara = try await fixtures.person("Amara Okafor", unit: world.willow)
            let ben = try await fixtures.person("Ben Adams", unit: world.cedar)
            let pat = try await fixtures.person("Pat Partner", kind: .partner, unit: partner)
            let ilp = try await Course.create(
                CourseDraft(
                    name: "Improvement Leaders’ Programme", level: .practitioner, audience: "Leads", sessionCount: 1,
                    sessionMinutes: 420, sessionsToComplete: 1, requiresApprovedProject: false),
                by: Self.actor, on: db)
            // Today: a day before could fall in last month, or last year.
            try await Self.complete([amara, ben, pat], ilp, "Wave 1", daysAgo: 0, on: db)
            // A role held at a unit since archived is no role: Ben's coaching there is not counted.
            let closed = try await fixtures.unit("Closed Ward", kind: .ward, parent: world.directorate)
            closed.archivedAt = AppClock.now
            try await closed.save(on: db)
            try await RoleGrant(personID: amara.id!, unitID: world.willow.id!, role: .coach).create(on: db)
            try await RoleGrant(personID: ben.id!, unitID: closed.id!, role: .coach).create(on: db)
            let tree = try await UnitTree.load(on: db)
            let today = AppClock.today
            let figures = try await DosingFigures.query(
                unitID: world.trust.id!, year: today.year, tree: tree, today: today, on: db)
            #expect(figures.lines.first { $0.group == .coaches }?.members == 1)
            #expect(figures.practitionerAndCoachCompletions == 3)
            #expect(figures.partnerCompletions == 1)
            #expect(figures.byYear.first { $0.year == today.year }?.byLevel[.practitioner] == 3)
            // The annual review's "who completed what": the course, its level, and the partners' part.
            #expect(
                figures.byCourse == [
                    .init(
                        course: "Improvement Leaders’ Programme", level: .practitioner, completions: 3, fromPartners: 1)
                ])
            #expect(figures.byMonth.last?.count == 3 && figures.byMonth.count == 24)
            #expect(
                figures.lines.first { $0.group == .allStaff }?.members == 2,
                "a partner's people are not the trust's staff")
            let directorate = try await DosingFigures.query(
                unitID: world.directorate.id!, year: today.year, tree: tree, today: today, on: db)
            #expect(directorate.practitionerAndCoachCompletions == 2 && directorate.partnerCompletions == 0)
            #expect(directorate.byCourse.map(\.completions) == [2])

            // Last year counted the staff it had: not someone who started this year.
            let newcomer = try await fixtures.person("Nell New", unit: world.willow)
            try await Self.started(newcomer, daysAgo: 0, on: db)
            let lastYear = try await DosingFigures.query(
                unitID: world.trust.id!, year: today.year - 1, tree: tree, today: today, on: db)
            #expect(lastYear.lines.first { $0.group == .allStaff }?.members == 2)
            let thisYear = try await DosingFigures.query(
                unitID: world.trust.id!, year: today.year, tree: tree, today: today, on: db)
            #expect(thisYear.lines.first { $0.group == .allStaff }?.members == 3)
        }
    }

    @Test("a person's start day is kept from their form or the API, and one still to come is refused")
    func startDay() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("admin@test.example", role: .admin, at: world.directorate)
            let nurse = try await fixtures.person("Nia Nurse", unit: world.willow)
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("admin@test.example")
            let fields = ["full_name": "Nia Nurse", "kind": "staff", "unit_id": world.willow.id!.uuidString]
            let ahead = try await admin.put(
                "/api/v1/people/\(nurse.id!)",
                fields: fields.merging(["started_on": AppClock.today.adding(days: 2).text]) { $1 })
            #expect(ahead.status == .unprocessableEntity && ahead.body.contains("started_on"))
            let started = AppClock.today.adding(days: -100)
            let saved = try await admin.put(
                "/api/v1/people/\(nurse.id!)", fields: fields.merging(["started_on": started.text]) { $1 })
            #expect(saved.status == .ok && saved.body.contains("\"started_on\":\"\(started.text)\""))
            #expect(try await Person.find(nurse.id, on: app.db)?.startedOn == started.date)
            #expect(try await admin.get("/people/\(nurse.id!)/edit").body.contains("value=\"\(started.text)\""))
            #expect(
                try await admin.get("/people/\(nurse.id!)").body.contains("<dt>Started</dt><dd>\(started.label)</dd>"))
        }
    }
}
