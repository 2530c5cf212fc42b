import Fluent
import Foundation
import SPC
import Testing
import Vapor

@testable import OpenQI

/// The board quality report and comparing units, on both databases.
@Suite("The board quality report and comparing units", .serialized)
struct BoardReportTests {
    @Test("the analyst chooses the board's measures under the Triple Aim, writes the month, and it exports as one file")
    func boardReport() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let world = try await DataUploadTests.world(app, browser)
            let trust = try #require(world.trust.id)
            let readmissions = try await DataUploadTests.measure(
                app, unit: world.trust, key: "trust.readmissions", chart: .i)
            let costs = try await DataUploadTests.measure(app, unit: world.trust, key: "trust.cost", chart: .i)
            let csv =
                "measure,period,value\n"
                + (1...12).map { "trust.readmissions,2025-\(String(format: "%02d", $0))-01,\(9 + $0 % 3)" }
                .joined(separator: "\n")
            try await Fixtures(app: app).signIn("board-analyst@test.example", role: .qiTeam, at: world.trust)
            let analyst = TestBrowser(app: app)
            _ = try await analyst.signIn("board-analyst@test.example")
            let upload = try #require(
                try await analyst.upload("/units/\(trust.uuidString)/data-upload", filename: "wsm.csv", content: csv)
                    .location)
            _ = try await analyst.post(upload + "/apply")

            let empty = try await analyst.get("/units/\(trust.uuidString)/board-report?month=2026-11")
            #expect(empty.body.contains("No Whole System Measures are chosen"))
            #expect(empty.body.contains("November 2026"))

            let edit = try await analyst.get("/units/\(trust.uuidString)/board-report/edit?month=2026-11")
            #expect(edit.status == .ok)
            let r = readmissions.id!.uuidString
            let saved = try await analyst.post(
                "/units/\(trust.uuidString)/board-report",
                form: [
                    "month": "2026-11", "aim-\(r)": "population_health",
                    "narrative-\(r)": "Readmissions are stable: common cause variation.",
                    "aim-\(costs.id!.uuidString)": "", "patient_story_title": "What mattered to me",
                    "patient_story": "They asked <b>what mattered</b> to me.",
                ])
            #expect(saved.location == "/units/\(trust.uuidString)/board-report?month=2026-11")
            let report = try await analyst.get(try #require(saved.location))
            #expect(report.body.contains("<h2>Population health</h2>"))
            #expect(!report.body.contains("<h2>Value</h2>"), "only aims with measures appear")
            #expect(report.body.contains("Readmissions are stable: common cause variation."))
            #expect(report.body.contains("<svg"), "the measure's SPC chart")
            #expect(report.body.contains("&lt;b&gt;what mattered&lt;/b&gt;"), "the story is shown as text, not HTML")
            #expect(report.body.contains("Improvement portfolio"))
            #expect(try await Measure.find(readmissions.id, on: app.db)?.tripleAim == .populationHealth)

            // Another month has its own narrative but the same choice of measures.
            let october = try await analyst.get("/units/\(trust.uuidString)/board-report?month=2026-10")
            #expect(october.body.contains("No narrative written for this month."))

            let file = try await analyst.get("/units/\(trust.uuidString)/board-report.html?month=2026-11")
            #expect(file.headers.first(name: .contentDisposition)?.contains("board-report-2026-11.html") == true)
            #expect(file.body.contains("<style>") && !file.body.contains("href=\"/app.css\""), "styles inlined")
            #expect(!file.body.contains("Sign out") && !file.body.contains("<form"), "nothing that needs the server")
            #expect(file.body.contains("@media print"), "prints from the saved file too")
            #expect(file.body.contains("Readmissions are stable"))

            // A ward nurse reads the report but cannot write it.
            try await Fixtures(app: app).signIn("nurse@test.example", role: .member, at: world.willow)
            let nurse = TestBrowser(app: app)
            _ = try await nurse.signIn("nurse@test.example")
            #expect(try await nurse.get("/units/\(trust.uuidString)/board-report").status == .ok)
            #expect(try await nurse.get("/units/\(trust.uuidString)/board-report/edit").status == .forbidden)
            #expect(
                try await nurse.post("/units/\(trust.uuidString)/board-report", form: ["month": "2026-11"]).status
                    == .forbidden)
        }
    }

    @Test("units sharing a rate are compared on a funnel and a safety table with limits for their size")
    func compareUnits() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            try await fixtures.signIn("analyst@test.example", role: .qiTeam, at: trust)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("analyst@test.example")
            // Five wards of the same size at 20 per 1,000 bed days, and one at 40: overall 23.3, and
            // a ward of this size has 3σ limits of about 23.3 ± 10.8.
            var rows = ["measure,period,value,denominator"]
            for ward in 1...6 {
                let unit = try await fixtures.unit("Ward \(ward)", kind: .ward, parent: trust)
                let measure = try await DataUploadTests.measure(app, unit: unit, key: "w\(ward).violence", chart: .u)
                measure.name = "Violent incidents"
                measure.multiply = 1000
                try await measure.save(on: app.db)
                for week in 0..<12 {
                    rows.append("w\(ward).violence,2026-0\(1 + week / 4)-0\(1 + week % 4),\(ward == 6 ? 6 : 3),150")
                }
            }
            let upload = try #require(
                try await browser.upload(
                    "/units/\(trust.id!.uuidString)/data-upload", filename: "v.csv",
                    content: rows.joined(separator: "\n")
                ).location)
            _ = try await browser.post(upload + "/apply")
            let page = try await browser.get("/units/\(trust.id!.uuidString)/compare?measure=Violent%20incidents")
            #expect(page.status == .ok)
            #expect(page.body.contains("class=\"chart funnel\""))
            let table = try #require(page.body.range(of: "safety-table")).upperBound
            let rest = page.body[table...]
            let ward6 = try #require(rest.range(of: "Ward 6"))
            let ward1 = try #require(rest.range(of: "Ward 1"))
            #expect(ward6.lowerBound < ward1.lowerBound, "highest rate first")
            #expect(rest.contains("Higher than expected (beyond 3σ)"))
            #expect(rest.components(separatedBy: "Within the limits").count - 1 == 5)
            #expect(rest.contains("overall 23.3"), "Σ events / Σ bed days × 1,000 over all wards")

            // A count without a denominator cannot go on a funnel, and the page says why.
            for ward in 1...3 {
                let unit = try #require(try await Unit.query(on: app.db).filter(\.$name == "Ward \(ward)").first())
                try await DataUploadTests.measure(app, unit: unit, key: "w\(ward).falls", chart: .i)
            }
            let falls = try await browser.get("/units/\(trust.id!.uuidString)/compare?measure=Falls")
            #expect(falls.body.contains("A funnel plot compares counts against a denominator"))
        }
    }
}
