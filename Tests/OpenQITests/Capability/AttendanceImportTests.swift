import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Importing past attendance")
struct AttendanceImportTests {
    static let actor = CohortTests.actor
    static let header = "person,course,cohort,date,attendance"

    /// Pocket QI and a finished wave of the ILP (five monthly days ending a month ago), Cam holding
    /// a place on it whose first register, taken on its page, says absent; and three people: Amara
    /// and Cam with emails, Bo (from a partner organisation) without.
    struct Scene {
        let pocket: Course
        let leaders: Course
        let wave: Cohort
        let days: [CalendarDay]
        let amara: Person
        let bo: Person
        let cam: Person
        let camPlace: Enrolment
    }

    static func scene(_ app: Application) async throws -> Scene {
        let db = app.db
        let world = try await TestWorld.make(app)
        let fixtures = Fixtures(app: app)
        let pocket = try await CohortTests.pocketQI(on: db)
        let firstDay = AppClock.today.adding(months: -5)
        let (leaders, wave) = try await CohortTests.leadersProgramme(capacity: 2, firstDay: firstDay, on: db)
        let days = (0..<5).map { firstDay.adding(months: $0) }
        let amara = try await fixtures.person("Amara Okafor", unit: world.willow, email: "amara@test.example")
        let bo = try await fixtures.person("Bo Partner", unit: nil)
        let cam = try await fixtures.person("Cam Lee", unit: world.willow, email: "cam@test.example")
        let camPlace = Enrolment(
            cohortID: try wave.requireID(), personID: try cam.requireID(), unitID: world.willow.id, projectID: nil,
            status: .enrolled, enrolledAt: firstDay.date)
        try await camPlace.create(on: db)
        let first = try #require(
            try await CohortSession.query(on: db).filter(\.$cohort.$id == wave.requireID()).filter(\.$number == 1)
                .first())
        try await wave.takeRegister(
            of: first, marks: [try camPlace.requireID(): .absent], course: leaders, today: AppClock.today,
            expecting: wave.version, by: actor, on: db)
        return Scene(
            pocket: pocket, leaders: leaders, wave: try await CohortTests.fresh(wave, on: db), days: days,
            amara: amara, bo: bo, cam: cam, camPlace: camPlace)
    }

    /// Amara and Bo at a Pocket QI OpenQI has not heard of; Amara at four days of the finished wave
    /// (she had no place); Cam at all five, the first of which his register already says.
    static func history(_ scene: Scene) -> String {
        let bo = scene.bo.id!.uuidString
        var lines = [
            header,
            "amara@test.example,Pocket QI,March 2019,2019-03-12,attended",
            "\(bo),pocket qi,march 2019,12/03/2019,yes",
        ]
        for day in scene.days.prefix(4) {
            lines.append("Amara@Test.example,Improvement Leaders’ Programme,Wave 9,\(day.text),attended")
        }
        for day in scene.days {
            lines.append("cam@test.example,Improvement Leaders’ Programme,Wave 9,\(day.text),attended")
        }
        return lines.joined(separator: "\n")
    }

    static func marks(_ db: any Database) async throws -> [String] {
        try await AttendanceMark.query(on: db).with(\.$session).with(\.$enrolment).all().map {
            "\($0.enrolment.$person.id) \($0.session.heldOn) \($0.attendance.rawValue) \($0.source.rawValue)"
        }.sorted()
    }

    @Test(
        "a file makes the cohorts it names, gives places and completions, keeps what registers took, and importing it again changes nothing"
    )
    func importTwice() async throws {
        try await withOpenQI { app in
            let db = app.db
            let scene = try await Self.scene(app)
            let file = AttendanceFile(text: Self.history(scene))
            #expect(file.errors.isEmpty)

            let check = try await AttendanceImport.check(file, today: AppClock.today, on: db)
            #expect(check.errors.isEmpty)
            #expect(check.total == .init(added: 10, changed: 0, unchanged: 0, kept: 1))
            #expect(
                check.cohorts.map { "\($0.cohortName) \($0.newPlaces) \($0.people.count)" } == [
                    "Wave 9 1 2", "March 2019 2 2",
                ])
            #expect(check.cohorts.first?.cohortID == scene.wave.id)
            #expect(check.cohorts.last?.cohortID == nil)

            let outcome = try await AttendanceImport.run(
                file, filename: "history.csv", today: AppClock.today, by: Self.actor, on: db)
            #expect(outcome == .init(counts: check.total, cohortsMade: 1, placesGiven: 3, completions: 4))

            // The new cohort: one session on the day named, everyone named on it, both completed.
            let march = try #require(
                try await Cohort.query(on: db).filter(\.$name == "March 2019").with(\.$sessions).with(\.$enrolments)
                    .first())
            #expect(march.$course.id == scene.pocket.id)
            #expect(
                march.sessions.map { "\(CalendarDay(containing: $0.heldOn).text) \($0.place)" } == [
                    "2019-03-12 Not recorded"
                ])
            #expect(march.sessions.allSatisfy { $0.registerTakenAt != nil })
            #expect(Set(march.enrolments.map(\.$person.id)) == [scene.amara.id, scene.bo.id])
            #expect(march.enrolments.allSatisfy { $0.completedOn == CalendarDay.date("2019-03-12") })

            // The finished wave: Amara was given a place and completed at her fourth day; Cam's
            // first register still says absent, so he completed at his fifth.
            let places = try await Enrolment.query(on: db).filter(\.$cohort.$id == scene.wave.requireID()).all()
            let amaraPlace = try #require(places.first { $0.$person.id == scene.amara.id })
            #expect(amaraPlace.status == .enrolled)
            #expect(amaraPlace.completedOn == scene.days[3].date)
            #expect(places.first { $0.$person.id == scene.cam.id }?.completedOn == scene.days[4].date)
            let camFirst = try #require(
                try await AttendanceMark.query(on: db).filter(\.$enrolment.$id == scene.camPlace.requireID())
                    .join(CohortSession.self, on: \AttendanceMark.$session.$id == \CohortSession.$id)
                    .filter(CohortSession.self, \.$number == 1).first())
            #expect(camFirst.attendance == .absent && camFirst.source == .register)
            // The wave moved on, so a register open elsewhere is refused rather than saved over this.
            #expect(try await CohortTests.fresh(scene.wave, on: db).version == scene.wave.version + 1)
            let audited = try await AuditEntry.query(on: db).filter(\.$subjectKind == "cohort").all()
            #expect(audited.contains { $0.subjectName.hasSuffix("March 2019") && $0.action == "create" })
            #expect(audited.contains { $0.after["imported"] == "8 register lines from history.csv" })

            // Again: nothing changes.
            let marksBefore = try await Self.marks(db)
            let auditBefore = try await AuditEntry.query(on: db).count()
            let again = try await AttendanceImport.check(file, today: AppClock.today, on: db)
            #expect(again.errors.isEmpty && !again.changesSomething)
            #expect(again.total == .init(added: 0, changed: 0, unchanged: 10, kept: 1))
            let outcomeAgain = try await AttendanceImport.run(
                file, filename: "history.csv", today: AppClock.today, by: Self.actor, on: db)
            #expect(outcomeAgain.cohortsMade == 0 && outcomeAgain.placesGiven == 0)
            #expect(try await Self.marks(db) == marksBefore)
            #expect(try await AuditEntry.query(on: db).count() == auditBefore)
            #expect(try await Cohort.query(on: db).count() == 2)

            // The wave's registers, exported, import as they are.
            let export = try await RegisterExport.csv(cohortID: try scene.wave.requireID(), on: db)
            #expect(export.csv.hasPrefix(RegisterExport.header + "\n"))
            #expect(
                export.csv.contains("\"cam@test.example\",\"Cam Lee\",\"Improvement Leaders’ Programme\",\"Wave 9\",1,")
            )
            let reimported = try await AttendanceImport.check(
                AttendanceFile(text: export.csv), today: AppClock.today, on: db)
            #expect(reimported.errors.isEmpty && !reimported.changesSomething)

            // A corrected file replaces what an earlier file said, and can undo a completion.
            let corrected = Self.history(scene).replacingOccurrences(
                of: "Amara@Test.example,Improvement Leaders’ Programme,Wave 9,\(scene.days[0].text),attended",
                with: "Amara@Test.example,Improvement Leaders’ Programme,Wave 9,\(scene.days[0].text),apologies")
            let fix = try await AttendanceImport.run(
                AttendanceFile(text: corrected), filename: "fixed.csv", today: AppClock.today, by: Self.actor, on: db)
            #expect(fix.counts == .init(added: 0, changed: 1, unchanged: 9, kept: 1))
            #expect(try await Enrolment.find(amaraPlace.id, on: db)?.completedOn == nil)
        }
    }

    @Test(
        "each bad row names what to fix: an unknown person or course, a day the cohort did not meet, a session to come, a bad date or mark, a repeat, too many days for a new cohort; nothing is written"
    )
    func badRows() async throws {
        try await withOpenQI { app in
            let db = app.db
            let scene = try await Self.scene(app)
            let soon = AppClock.today.adding(days: 20)
            _ = try await CohortTests.oneSession(
                "Next month", of: scene.pocket, on: soon, capacity: 10, open: true, db: db)
            let text = [
                Self.header,
                "nobody@test.example,Pocket QI,March 2019,2019-03-12,attended",
                "amara@test.example,Knitting,Wave 1,2019-03-12,attended",
                "amara@test.example,Improvement Leaders’ Programme,Wave 9,2019-01-01,attended",
                "amara@test.example,Pocket QI,Next month,\(soon.text),attended",
                "amara@test.example,Pocket QI,March 2019,2019-03,attended",
                "amara@test.example,Pocket QI,March 2019,2019-03-12,maybe",
                "amara@test.example,Pocket QI,March 2019,2019-03-12,attended",
                "amara@test.example,Pocket QI,march 2019,2019-03-12,absent",
                "Amara Okafor,Pocket QI,March 2019,2019-03-12,attended",
                "cam@test.example,Pocket QI,Two days,2019-03-12,attended",
                "cam@test.example,Pocket QI,Two days,2019-03-13,attended",
            ].joined(separator: "\n")
            let check = try await AttendanceImport.check(AttendanceFile(text: text), today: AppClock.today, on: db)
            let messages = Dictionary(uniqueKeysWithValues: check.errors.map { ($0.line, $0.message) })
            #expect(messages[2]?.contains("nobody in OpenQI has the email nobody@test.example") == true)
            #expect(
                messages[3]?.contains(
                    "there is no course “Knitting”. The courses are: Improvement Leaders’ Programme, Pocket QI") == true
            )
            #expect(messages[4]?.contains("has no session on") == true)
            #expect(messages[5]?.contains("has not been held yet") == true)
            #expect(messages[6]?.contains("the date “2019-03” is not a day") == true)
            #expect(messages[7]?.contains("“maybe” is not attended, apologies or absent") == true)
            #expect(messages[8] == nil)
            #expect(messages[9]?.contains("repeats row 8") == true)
            #expect(messages[10]?.contains("neither an email nor an OpenQI person id") == true)
            #expect(messages[11]?.contains("Pocket QI has 1 session, but the rows for its cohort “Two days”") == true)
            #expect(messages[12] == nil)
            #expect(check.errors.count == 9)

            // A header without a column is refused whole.
            let noColumn = AttendanceFile(
                text: "person,course,date,attendance\namara@test.example,Pocket QI,2019-03-12,yes")
            #expect(
                noColumn.errors.map(\.message) == [
                    "Row 1 must name the columns person, course, cohort, date and attendance, in any order; it has no cohort. Add the header line, or rename the column."
                ])

            let marksBefore = try await Self.marks(db)
            await #expect(throws: ValidationFailure.self) {
                try await AttendanceImport.run(
                    AttendanceFile(text: text), filename: "bad.csv", today: AppClock.today, by: Self.actor, on: db)
            }
            #expect(try await Self.marks(db) == marksBefore)
            #expect(try await Cohort.query(on: db).count() == 2)
            #expect(try await Enrolment.query(on: db).count() == 1)
        }
    }

    @Test("a running cohort takes lines only for those with a place there; the others are told to enrol them first")
    func runningCohort() async throws {
        try await withOpenQI { app in
            let db = app.db
            let scene = try await Self.scene(app)
            // A wave whose first day was a month ago and whose last is months away.
            let running = try await Cohort.plan(
                CohortDraft(
                    name: "Wave 10", capacity: 5, openToSelfEnrolment: false,
                    sessions: (-1..<4).map { .init(day: AppClock.today.adding(months: $0), place: "Bow") },
                    facilitatorIDs: []),
                of: scene.leaders, by: Self.actor, on: db)
            let place = Enrolment(
                cohortID: try running.requireID(), personID: try scene.cam.requireID(), unitID: nil, projectID: nil,
                status: .enrolled, enrolledAt: AppClock.now)
            try await place.create(on: db)
            let day = AppClock.today.adding(months: -1).text
            let text = [
                Self.header,
                "cam@test.example,Improvement Leaders’ Programme,Wave 10,\(day),attended",
                "amara@test.example,Improvement Leaders’ Programme,Wave 10,\(day),attended",
            ].joined(separator: "\n")
            let check = try await AttendanceImport.check(AttendanceFile(text: text), today: AppClock.today, on: db)
            #expect(check.errors.map(\.line) == [3])
            #expect(
                check.errors.first?.message.contains(
                    "Amara Okafor has no place on Improvement Leaders’ Programme — Wave 10, which still has sessions to come"
                ) == true)
        }
    }

    @Test(
        "a person named once by email and once by id at one session is refused; an email is the person's in use, a leaver's when alone; a new cohort too short to complete is warned of"
    )
    func whoIsMeant() async throws {
        try await withOpenQI { app in
            let db = app.db
            let scene = try await Self.scene(app)
            let fixtures = Fixtures(app: app)
            // Someone who left, whose email a newcomer now has; and a leaver whose email nobody else has.
            let left = try await fixtures.person("Amara Old", unit: nil, email: "amara@test.example")
            left.archivedAt = AppClock.now
            try await left.save(on: db)
            let leaver = try await fixtures.person("Lee Leaver", unit: nil, email: "lee@test.example")
            leaver.archivedAt = AppClock.now
            try await leaver.save(on: db)
            let amaraID = try scene.amara.requireID().uuidString
            let text = [
                Self.header,
                "amara@test.example,Pocket QI,March 2019,2019-03-12,attended",
                "\(amaraID),Pocket QI,March 2019,2019-03-12,attended",
                "lee@test.example,Pocket QI,March 2019,2019-03-12,attended",
                "cam@test.example,Improvement Leaders’ Programme,Wave 1,2019-03-12,attended",
            ].joined(separator: "\n")
            let check = try await AttendanceImport.check(AttendanceFile(text: text), today: AppClock.today, on: db)
            #expect(
                check.errors.map(\.message) == [
                    "Row 3: names Amara Okafor at the same session as row 2 does (by email or by id). Keep one of them."
                ])
            let march = try #require(check.cohorts.first { $0.cohortName == "March 2019" })
            #expect(march.people == [scene.amara.id!, leaver.id!], "the newcomer, not the leaver whose email she has")
            #expect(
                check.warnings == [
                    "Improvement Leaders’ Programme — Wave 1 will have 1 session, but the course is completed at 4: nobody on it will complete it. Add the rows of its other sessions if it had them."
                ])

            // Two people in use with one email (as old records may have): neither is guessed.
            _ = try await fixtures.person("Cam Twin", unit: nil, email: "cam@test.example")
            let twins = try await AttendanceImport.check(
                AttendanceFile(text: "\(Self.header)\ncam@test.example,Pocket QI,March 2019,2019-03-12,yes"),
                today: AppClock.today, on: db)
            #expect(
                twins.errors.first?.message.contains("more than one person in OpenQI has the email cam@test.example")
                    == true)
            #expect(AttendanceFile.unguarded("'=Wave 1") == "=Wave 1" && AttendanceFile.unguarded("'Wave") == "'Wave")
        }
    }

    @Test("a cohort made from a file with fewer sessions than its course is changed from its form, its held days kept")
    func changeAnImportedCohort() async throws {
        try await withOpenQI { app in
            let db = app.db
            _ = try await Self.scene(app)
            _ = try await AttendanceImport.run(
                AttendanceFile(
                    text:
                        "\(Self.header)\namara@test.example,Improvement Leaders’ Programme,Wave 1,2019-03-12,attended"),
                filename: "one.csv", today: AppClock.today, by: Self.actor, on: db)
            let wave = try #require(try await Cohort.query(on: db).filter(\.$name == "Wave 1").first())
            try await Fixtures(app: app).signIn("lead@test.example", administrator: true)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let form = try await lead.get("/cohorts/\(try wave.requireID())/edit")
            #expect(form.status == .ok)
            #expect(form.body.contains("session_days[1]") && !form.body.contains("session_days[2]"), "its one session")
            let saved = try await lead.post(
                "/cohorts/\(try wave.requireID())",
                form: [
                    "name": "Wave 1 (2019)", "capacity": "1", "session_days[1]": "2019-03-12",
                    "session_places[1]": "Robert Dolan House",
                    "version": try TestBrowser.hiddenValue("version", in: form),
                ])
            #expect(saved.status == .seeOther)
            let changed = try await Cohort.query(on: db).filter(\.$id == wave.requireID()).with(\.$sessions).first()
            #expect(changed?.name == "Wave 1 (2019)" && changed?.sessions.first?.place == "Robert Dolan House")
        }
    }

    @Test("a cohort's export leaves out those without a place, and imports again unchanged")
    func exportWithWithdrawal() async throws {
        try await withOpenQI { app in
            let db = app.db
            let scene = try await Self.scene(app)
            // Cam withdraws after his first register: his line stays on the register, not in the export.
            scene.camPlace.status = .withdrawn
            try await scene.camPlace.save(on: db)
            let amara = Enrolment(
                cohortID: try scene.wave.requireID(), personID: try scene.amara.requireID(), unitID: nil,
                projectID: nil, status: .enrolled, enrolledAt: scene.days[0].date)
            try await amara.create(on: db)
            let one = "amara@test.example,Improvement Leaders’ Programme,Wave 9,\(scene.days[1].text),yes"
            _ = try await AttendanceImport.run(
                AttendanceFile(text: "\(Self.header)\n\(one)"), filename: "one.csv", today: AppClock.today,
                by: Self.actor, on: db)
            let export = try await RegisterExport.csv(cohortID: try scene.wave.requireID(), on: db)
            #expect(!export.csv.contains("cam@test.example"))
            #expect(export.csv.contains("amara@test.example"))
            let again = try await AttendanceImport.check(
                AttendanceFile(text: export.csv), today: AppClock.today, on: db)
            #expect(again.errors.isEmpty && !again.changesSomething)
        }
    }

    @Test(
        "through the pages: a capability lead uploads, sees the check, imports; the cohort's registers download; others' uploads are not theirs"
    )
    func throughThePages() async throws {
        try await withOpenQI { app in
            let scene = try await Self.scene(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("lead@test.example")

            let form = try await browser.get("/capability/attendance/upload")
            #expect(form.status == .ok && form.body.contains("Import past attendance"))
            let empty = try await browser.post("/capability/attendance/upload", form: ["data": "  "])
            #expect(
                empty.status == .unprocessableEntity && empty.body.contains("Choose a CSV file, or paste the rows."))

            let uploaded = try await browser.upload(
                "/capability/attendance/upload", filename: "history.csv", content: Self.history(scene))
            let checkPath = try #require(uploaded.location)
            let check = try await browser.get(checkPath)
            #expect(check.status == .ok)
            #expect(
                check.body.contains("Importing adds 10 register lines, changes 0, leaves 0 as they are and keeps 1"))
            #expect(check.body.contains("March 2019"))

            // Someone else who runs the training can neither see, import nor cancel this upload.
            try await fixtures.signIn("other@test.example", administrator: true)
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other@test.example")
            #expect(try await other.get(checkPath).status == .notFound)
            #expect(try await other.post(checkPath + "/import").status == .notFound)
            #expect(try await other.post(checkPath + "/cancel").status == .notFound)
            #expect(try await AttendanceUpload.query(on: app.db).count() == 1)

            let imported = try await browser.post(checkPath + "/import")
            #expect(imported.location == "/capability")
            #expect(try await browser.get("/capability").body.contains("1 new cohort, 3 places given, 4 completions."))
            #expect(try await browser.get(checkPath).status == .notFound)

            let csv = try await browser.get("/cohorts/\(try scene.wave.requireID())/registers.csv")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.split(separator: "\n").count == 1 + 9)

            // A bad file is shown with its rows and cannot be imported; cancelling forgets it.
            let bad = try await browser.upload(
                "/capability/attendance/upload", filename: "bad.csv",
                content: "\(Self.header)\nnobody@test.example,Pocket QI,March 2019,2019-03-12,attended")
            let badPath = try #require(bad.location)
            let badCheck = try await browser.get(badPath)
            #expect(badCheck.status == .unprocessableEntity)
            #expect(badCheck.body.contains("1 row needs fixing"))
            #expect(!badCheck.body.contains("/import\""))
            #expect(try await browser.post(badPath + "/import").location == badPath)
            #expect(try await browser.post(badPath + "/cancel").location == "/capability")
            #expect(try await AttendanceUpload.query(on: app.db).count() == 0)
        }
    }
}
