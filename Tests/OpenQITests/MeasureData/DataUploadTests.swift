import Fluent
import Foundation
import SPC
import SQLKit
import Testing
import Vapor

@testable import OpenQI

/// Uploading a CSV for many measures, and the token API a data warehouse uses, on both databases.
@Suite("Data in bulk", .serialized)
struct DataUploadTests {
    struct World {
        let trust: Unit
        let directorate: Unit
        let willow: Unit
        let cedar: Unit
        let elsewhere: Unit
    }

    /// A directorate with two wards (each with keyed falls and harm-free measures), a ward of another
    /// directorate with one, and a QI analyst at the directorate, signed in.
    static func world(_ app: Application, _ browser: TestBrowser) async throws -> World {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        let (trust, directorate, willow, cedar, elsewhere) = (
            units.trust, units.directorate, units.willow, units.cedar, units.oak
        )
        try await fixtures.signIn("analyst@test.example", role: .qiTeam, at: directorate)
        try await fixtures.signIn("admin@test.example", administrator: true)
        for (unit, name) in [(willow, "willow"), (cedar, "cedar"), (elsewhere, "oak")] {
            try await measure(app, unit: unit, key: "\(name).falls", chart: .i)
            try await measure(app, unit: unit, key: "\(name).harm-free", chart: .p)
        }
        _ = try await browser.signIn("analyst@test.example")
        return World(trust: trust, directorate: directorate, willow: willow, cedar: cedar, elsewhere: elsewhere)
    }

    @discardableResult
    static func measure(_ app: Application, unit: Unit, key: String, chart: ChartType) async throws -> Measure {
        let measure = Measure()
        measure.$unit.id = try unit.requireID()
        measure.key = key
        measure.name = chart == .p ? "Harm-free care" : "Falls"
        measure.kind = .outcome
        measure.definition = "From the ward's records."
        measure.frequency = .weekly
        measure.chartType = chart.rawValue
        measure.rules = RuleSet.mdc.rawValue
        measure.direction = chart == .p ? "up" : "down"
        measure.multiply = chart == .p ? 100 : 1
        try await measure.create(on: app.db)
        try await measure.refreshSummary(on: app.db)
        return measure
    }

    /// 30 weeks of both measures of both wards: 120 rows.
    static let directorateCSV: String = {
        let start = CalendarDay.date("2026-01-05")!
        var lines = ["measure,period,value,denominator,note"]
        for ward in ["willow", "cedar"] {
            for week in 0..<30 {
                let day = CalendarDay.text(start.addingTimeInterval(Double(week) * 7 * 86_400))
                lines.append("\(ward).falls,\(day),\(3 + week % 3),,")
                lines.append(
                    "\(ward).harm-free,\(day),\(90 + week % 5),100,\(week == 10 ? "\"new checklist, ward-wide\"" : "")")
            }
        }
        return lines.joined(separator: "\n")
    }()

    static func points(_ app: Application) async throws -> Int { try await app.storedDataPoints().count }

    @Test("an upload is checked first, imported on request, and importing it again changes nothing")
    func uploadThenImport() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            let unitPath = "/units/\(world.directorate.id!.uuidString)"
            #expect(try await browser.get(unitPath + "/data-upload").body.contains("cedar.falls,2026-03-02"))

            let uploaded = try await browser.upload(
                unitPath + "/data-upload", filename: "amh-weekly.csv", content: Self.directorateCSV)
            let checkPath = try #require(uploaded.location)
            let check = try await browser.get(checkPath)
            #expect(check.status == .ok)
            #expect(check.body.contains("amh-weekly.csv: 120 rows for 4 measures"))
            #expect(check.body.contains("Importing adds 120 periods, changes 0 and leaves 0"))
            #expect(try await Self.points(app) == 0, "checking saves nothing")

            let imported = try await browser.post(checkPath + "/apply")
            #expect(imported.location == unitPath + "/measures")
            #expect(try await Self.points(app) == 120)
            let note = try await app.storedDataPoints().filter { $0.note != nil }.map(\.note)
            #expect(note == ["new checklist, ward-wide", "new checklist, ward-wide"])
            let summaries = try await MeasureSummary.query(on: app.db).filter(\.$points == 30).count()
            #expect(summaries == 4, "each measure's summary was refreshed with its 30 points")
            let audits = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "measure_data").count()
            #expect(audits == 4, "one audit entry per measure")
            #expect(try await DataUpload.query(on: app.db).count() == 0, "the file is forgotten once imported")
            #expect(try await browser.get(checkPath).status == .notFound)

            // The same file again: every row is already there.
            let again = try #require(
                try await browser.upload(unitPath + "/data-upload", filename: "again.csv", content: Self.directorateCSV)
                    .location)
            #expect(try await browser.get(again).body.contains("adds 0 periods, changes 0 and leaves 120"))
            _ = try await browser.post(again + "/apply")
            #expect(try await Self.points(app) == 120)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "measure_data").count() == 4)

            // A correction replaces one period and keeps the note already stored.
            let fix = "measure,period,value,denominator\ncedar.harm-free,2026-03-16,80,100"
            let fixPath = try #require(
                try await browser.upload(unitPath + "/data-upload", filename: "fix.csv", content: fix).location)
            #expect(try await browser.get(fixPath).body.contains("adds 0 periods, changes 1"))
            _ = try await browser.post(fixPath + "/apply")
            let fixed = try await app.storedDataPoints().filter { $0.value == 80 }
            #expect(fixed.count == 1 && fixed.first?.note == "new checklist, ward-wide")
        }
    }

    @Test("cancelling imports nothing and forgets the file; others cannot see or import it")
    func cancel() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            let unitPath = "/units/\(world.directorate.id!.uuidString)"
            let checkPath = try #require(
                try await browser.upload(unitPath + "/data-upload", filename: "a.csv", content: Self.directorateCSV)
                    .location)

            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("admin@test.example")
            #expect(try await admin.get(checkPath).status == .notFound, "an upload is its uploader's")
            #expect(try await admin.post(checkPath + "/apply").status == .notFound)

            let cancelled = try await browser.post(checkPath + "/cancel")
            #expect(cancelled.location == unitPath + "/measures")
            #expect(try await Self.points(app) == 0)
            #expect(try await DataUpload.query(on: app.db).count() == 0)
            #expect(try await browser.post(checkPath + "/apply").status == .notFound)
            #expect(try await Self.points(app) == 0)
        }
    }

    @Test("the server clears uploads nobody acted on within a day, expired sessions and closed sign-in counts")
    func housekeeping() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            let uploadPath = "/units/\(world.directorate.id!.uuidString)/data-upload"
            for name in ["old.csv", "new.csv"] {
                _ = try await browser.upload(uploadPath, filename: name, content: Self.directorateCSV)
            }
            let old = try #require(try await DataUpload.query(on: app.db).filter(\.$filename == "old.csv").first())
            let dayAndMore = AppClock.now.addingTimeInterval(-DataUpload.lifetime - 60)
            try await app.db.sql.update(DataUpload.schema).set("created_at", to: dayAndMore)
                .where("id", .equal, old.requireID()).run()
            let account = try #require(try await Account.query(on: app.db).first())
            try await AccountSession(
                tokenHash: "expired", accountID: account.requireID(), csrfToken: "t", now: dayAndMore,
                expiresAt: dayAndMore
            ).create(on: app.db)
            _ = try await TestBrowser(app: app).signIn("analyst@test.example", password: "wrong")
            try await app.db.sql.update(SignInAttempts.schema)
                .set("window_started", to: Int(dayAndMore.timeIntervalSince1970)).run()
            let sessions = try await AccountSession.query(on: app.db).count()

            // Nobody uploads or signs in again: only the schedule can clear them.
            let schedule = HousekeepingSchedule(interval: .milliseconds(50))
            try schedule.didBoot(app)
            // Stopping waits for a round under way, so everything it began is done afterwards.
            for _ in 0..<100 where try await DataUpload.query(on: app.db).count() > 1 {
                try await Task.sleep(for: .milliseconds(50))
            }
            await schedule.shutdownAsync(app)
            #expect(try await DataUpload.query(on: app.db).all().map(\.filename) == ["new.csv"])
            #expect(try await AccountSession.query(on: app.db).count() == sessions - 1, "only the expired one")
            #expect(try await AccountSession.query(on: app.db).filter(\.$tokenHash == "expired").count() == 0)
            #expect(
                try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all))
                    .from(SignInAttempts.schema).first(decoding: [String: Int].self)?.values.first == 0)
            #expect(try await browser.get(uploadPath).status == .ok, "the signed-in analyst still is")
        }
    }

    @Test("a file with bad rows shows every one and cannot be imported; measures outside the unit are unknown")
    func badFile() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            let unitPath = "/units/\(world.directorate.id!.uuidString)"
            let csv = """
                measure,period,value,denominator
                willow.falls,2026-01-05,3,
                oak.falls,2026-01-05,3,
                willow.harm-free,2026-01-05,90,-4
                willow.falls,2026-01-05,4,
                """
            let checkPath = try #require(
                try await browser.upload(unitPath + "/data-upload", filename: "bad.csv", content: csv).location)
            let check = try await browser.get(checkPath)
            #expect(check.status == .unprocessableEntity)
            #expect(check.body.contains("3 rows need fixing"))
            #expect(check.body.contains("Row 3: no measure in Trust › Adult Mental Health has the key “oak.falls”"))
            #expect(check.body.contains("Row 4: the denominator -4 is negative"))
            #expect(check.body.contains("Row 5: the period 2026-01-05 of “willow.falls” is already on row 2"))
            #expect(!check.body.contains("/apply"), "no import button")
            let refused = try await browser.post(checkPath + "/apply")
            #expect(refused.location == checkPath)
            #expect(try await Self.points(app) == 0)
            let report = try await browser.get(checkPath + "/report.csv")
            #expect(report.body.hasPrefix("row,message\n3,\"Row 3: no measure"))
            #expect(report.body.split(separator: "\n").count == 4, "the header and the three bad rows")

            let wrong = try #require(
                try await browser.upload(unitPath + "/data-upload", filename: "w.csv", content: "a,b\n1,2").location)
            #expect(try await browser.get(wrong).body.contains("it has no measure, period, value column"))
        }
    }

    @Test("a file over 20 MB is refused with a message saying what to do, and nothing is kept")
    func tooLarge() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            let row = "willow.falls,2026-01-05,3,\n"
            let fifty =
                "measure,period,value,denominator\n" + String(repeating: row, count: 50_000_000 / row.utf8.count)
            let page = try await browser.upload(
                "/units/\(world.directorate.id!.uuidString)/data-upload", filename: "big.csv", content: fifty)
            #expect(page.status == .payloadTooLarge)
            #expect(page.body.contains("more than the 20 MB OpenQI takes at once, so nothing was saved"))
            #expect(try await DataUpload.query(on: app.db).count() == 0)
        }
    }

    @Test("an empty upload asks for a file without losing the page")
    func emptyUpload() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            let page = try await browser.upload(
                "/units/\(world.directorate.id!.uuidString)/data-upload", filename: "empty.csv", content: "")
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("Choose a CSV file, or paste the data."))
        }
    }

    @Test("a failure part-way through a load applies nothing")
    func allOrNothing() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            _ = try await Self.world(app, browser)
            let falls = try #require(try await Measure.query(on: app.db).filter(\.$key == "willow.falls").first())
            let start = try #require(CalendarDay.date("2020-01-06"))
            let rows = (0..<1200).map {
                DataImport.Row(
                    line: $0 + 2, period: start.addingTimeInterval(Double($0) * 7 * 86_400), value: 1, denominator: nil,
                    note: nil)
            }
            // The second measure no longer exists, and sorts last: its batch fails after the first's are written.
            let gone = try #require(UUID(uuidString: "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF"))
            let load = try await DataLoad.plan(
                [try falls.requireID(): rows, gone: Array(rows.prefix(3))], measures: [try MeasureBrief(falls)],
                on: app.db)
            #expect(load.changes.count == 1203)
            await #expect(throws: (any Error).self) {
                try await load.apply(by: .commandLine, on: app.db)
            }
            #expect(try await Self.points(app) == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "measure_data").count() == 0)
        }
    }

    @Test("an upload that fails after its points are written keeps none of them, says so, and keeps the file")
    func failureAfterThePointsAreWritten() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            let unitPath = "/units/\(world.directorate.id!.uuidString)"
            let checkPath = try #require(
                try await browser.upload(unitPath + "/data-upload", filename: "amh.csv", content: Self.directorateCSV)
                    .location)
            try await Fixtures(app: app).refuseDataLoadAudits(true)
            let summariesBefore = try await MeasureSummary.query(on: app.db).all().map {
                "\($0.$measure.id) \($0.points)"
            }
            let failed = try await browser.post(checkPath + "/apply")
            #expect(failed.location == checkPath, "back to the check, not an error page")
            #expect(try await Self.points(app) == 0)
            let summariesAfter = try await MeasureSummary.query(on: app.db).all().map {
                "\($0.$measure.id) \($0.points)"
            }
            #expect(Set(summariesAfter) == Set(summariesBefore))
            #expect(try await DataUpload.query(on: app.db).count() == 1, "the file is kept to try again")
            let page = try await browser.get(checkPath)
            #expect(page.body.contains("Nothing was imported: the database stopped the import part-way"))

            // Once the database accepts it, the same file imports whole.
            try await Fixtures(app: app).refuseDataLoadAudits(false)
            _ = try await browser.post(checkPath + "/apply")
            #expect(try await Self.points(app) == 120)
        }
    }

    @Test("a measure's key is unique and written as typed, lower-cased")
    func keys() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await Self.world(app, browser)
            var form = MeasureSummaryTests.indicator("Falls")
            form["key"] = "Willow.Falls"
            let path = "/units/\(world.willow.id!.uuidString)/measures"
            let taken = try await browser.post(path, form: form)
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.body.contains("“willow.falls” is already the key of “Falls”"))
            form["key"] = "willow falls!"
            #expect(try await browser.post(path, form: form).body.contains("Use up to 80 letters, digits"))
            form["key"] = "Willow.Falls-2"
            #expect(try await browser.post(path, form: form).status == .seeOther)
            #expect(try await Measure.query(on: app.db).filter(\.$key == "willow.falls-2").count() == 1)
        }
    }
}
