import Charts
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
            let saved = try await analyst.saveReport(
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
            // At the top, every measure in one row: its latest point, its icons in words, its target,
            // and a link down to its chart.
            let anchor = "wsm-\(r.lowercased())"
            let glance = try #require(report.body.range(of: "<h2>At a glance</h2>"))
            let firstAim = try #require(report.body.range(of: "<h2>Population health</h2>"))
            #expect(glance.lowerBound < firstAim.lowerBound)
            #expect(
                report.body.contains(
                    ##"<tr><th scope="row"><a href="#\##(anchor)">Falls</a></th><td>Population health</td><td class="number">9<span class="hint"> 1 Dec 2025</span></td>"##
                ))
            #expect(report.body.contains("</svg> Common cause</td>"))
            #expect(report.body.contains(#"<td class="number">None</td></tr>"#))
            #expect(report.body.contains(#"<div class="report-measure" id="\#(anchor)">"#))

            // Another month has its own narrative but the same choice of measures.
            // A month far ahead has no report: refused, not drawn (nor kept) empty.
            let future = try await analyst.get("/units/\(trust.uuidString)/board-report?month=2199-12")
            #expect(future.status == .unprocessableEntity)
            #expect(future.body.contains("December 2199 is too far ahead to have a board report."))
            let october = try await analyst.get("/units/\(trust.uuidString)/board-report?month=2026-10")
            #expect(october.body.contains("No narrative written for this month."))

            let file = try await analyst.get("/units/\(trust.uuidString)/board-report.html?month=2026-11")
            #expect(file.headers.first(name: .contentDisposition)?.contains("board-report-2026-11.html") == true)
            #expect(file.body.contains("<style>") && !file.body.contains("href=\"/app.css\""), "styles inlined")
            #expect(!file.body.contains("Sign out") && !file.body.contains("<form"), "nothing that needs the server")
            #expect(file.body.contains("@media print"), "prints from the saved file too")
            #expect(
                file.body.contains(
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"\(PageContext.standalonePolicy)\">"),
                "the saved file, opened away from OpenQI's headers, carries its own policy")
            #expect(!report.body.contains("http-equiv=\"Content-Security-Policy\""), "pages have the header instead")
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

    @Test("the demo's board report reads as an analyst wrote it: each narrative its own, saying what its chart shows")
    func demoNarratives() async throws {
        try await withOpenQI(demo: true) { app in
            let report = try #require(
                try await BoardReport.query(on: app.db).sort(\.$month, .descending).first())
            let measures = try await Measure.query(on: app.db).filter(
                \.$id ~~ report.narratives.keys.compactMap { UUID(uuidString: $0) }
            )
            .all()
            #expect(measures.count == 6)
            #expect(Set(report.narratives.values).count == 6, "no two measures say the same")
            for measure in measures {
                let text = try #require(report.narratives[measure.id!.uuidString])
                let result = try await MeasureSeries.load(measure, on: app.db).result
                #expect(text.contains(Describe.variation(result.variation)), "\(measure.name): \(text)")
                #expect(text.hasPrefix("Latest figure, for "))
            }
        }
    }

    @Test("two analysts writing one month's report at once: the second is told what the first saved and keeps theirs")
    func concurrentEdits() async throws {
        try await withOpenQI { app in
            let world = try await DataUploadTests.world(app, TestBrowser(app: app))
            let trust = try #require(world.trust.id).uuidString
            let readmissions = try await DataUploadTests.measure(
                app, unit: world.trust, key: "trust.readmissions", chart: .i)
            let r = try readmissions.requireID().uuidString
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("first@test.example", role: .qiTeam, at: world.trust)
            try await fixtures.signIn("second@test.example", role: .qiTeam, at: world.trust)
            let (first, second) = (TestBrowser(app: app), TestBrowser(app: app))
            _ = try await first.signIn("first@test.example")
            _ = try await second.signIn("second@test.example")
            func version(_ page: TestBrowser.Page) throws -> String { try TestBrowser.hiddenValue("version", in: page) }
            let edit = "/units/\(trust)/board-report/edit?month=2026-11"
            // Both open the month while it has no report: version 0.
            let (firstStarts, secondStarts) = (
                try version(try await first.get(edit)), try version(try await second.get(edit))
            )
            #expect(firstStarts == "0" && secondStarts == "0")
            func form(_ narrative: String, story: String, version: String) -> [String: String] {
                [
                    "month": "2026-11", "aim-\(r)": "population_health", "narrative-\(r)": narrative,
                    "patient_story_title": "", "patient_story": story, "version": version,
                ]
            }
            let saved = try await first.post(
                "/units/\(trust)/board-report", form: form("Stable.", story: "Kind staff.", version: firstStarts))
            #expect(saved.status == .seeOther)

            let refused = try await second.post(
                "/units/\(trust)/board-report", form: form("Improving.", story: "Kind staff.", version: secondStarts))
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("First saved this board report at"))
            #expect(refused.body.contains("What Falls shows, as First saved it: “Stable.”"))
            #expect(!refused.body.contains("The patient story, as First saved it"), "only what differs")
            #expect(refused.body.contains("Improving."), "the second analyst's text is kept")
            let report = try #require(try await BoardReport.query(on: app.db).first())
            #expect(report.narratives[r] == "Stable." && report.version == 1)

            // Again, from the version now shown: saved, knowingly over the first.
            let again = try await second.post(
                "/units/\(trust)/board-report",
                form: form("Improving.", story: "Kind staff.", version: try version(refused)))
            #expect(again.status == .seeOther)
            let now = try #require(try await BoardReport.query(on: app.db).first())
            #expect(now.narratives[r] == "Improving." && now.version == 2)
            // And a save from the old version is refused again.
            let stale = try await first.post(
                "/units/\(trust)/board-report", form: form("Stable again.", story: "Kind staff.", version: "1"))
            #expect(stale.status == .conflict)
        }
    }

    @Test(
        "analysts saving a month's first report at the same moment: one is saved, the others are told, none sees an error page"
    )
    func sameMomentFirstSaves() async throws {
        try await withOpenQI { app in
            let world = try await DataUploadTests.world(app, TestBrowser(app: app))
            let trust = try #require(world.trust.id).uuidString
            let readmissions = try await DataUploadTests.measure(
                app, unit: world.trust, key: "trust.readmissions", chart: .i)
            let r = try readmissions.requireID().uuidString
            let analysts = 6
            var browsers: [TestBrowser] = []
            for n in 0..<analysts {
                try await Fixtures(app: app).signIn("analyst\(n)@test.example", role: .qiTeam, at: world.trust)
                let browser = TestBrowser(app: app)
                _ = try await browser.signIn("analyst\(n)@test.example")
                _ = try await browser.get("/units/\(trust)/board-report/edit?month=2026-11")
                browsers.append(browser)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (n, browser) in browsers.enumerated() {
                    group.addTask {
                        try await browser.post(
                            "/units/\(trust)/board-report",
                            form: [
                                "month": "2026-11", "aim-\(r)": "population_health", "narrative-\(r)": "Analyst \(n).",
                                "patient_story_title": "", "patient_story": "", "version": "0",
                            ]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == analysts - 1, "\(statuses)")
            #expect(try await BoardReport.query(on: app.db).count() == 1)

            // The narrowest gap, made certain on PostgreSQL: another analyst's first save is written
            // but not yet committed when this one looks for the month's report, finds none, and
            // inserts; the unique index holds it until the other commits, then refuses it.
            guard TestDatabase.isPostgres else { return }
            let late = browsers[0]
            _ = try await late.get("/units/\(trust)/board-report/edit?month=2026-12")
            let answer = try await app.db.transaction { db in
                db.eventLoop.makeFutureWithTask {
                    try await BoardReport(
                        unitID: world.trust.requireID(), month: CalendarMonth(year: 2026, month: 12).start
                    )
                    .create(on: db)
                    let posted = Task {
                        try await late.post(
                            "/units/\(trust)/board-report",
                            form: [
                                "month": "2026-12", "aim-\(r)": "population_health", "narrative-\(r)": "Late.",
                                "patient_story_title": "", "patient_story": "", "version": "0",
                            ])
                    }
                    try await Task.sleep(for: .milliseconds(500))
                    return posted
                }
            }.get().value
            #expect(answer.status == .conflict)
            #expect(answer.body.contains("Late."), "what they typed is kept")
        }
    }

    @Test("each month's report keeps its own measures and data to its month's end; mistakes keep what was typed")
    func monthsStayAsTheyWere() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let ward = try await fixtures.unit("Willow", kind: .ward, parent: trust)
            let partner = try await fixtures.unit("Borough council", kind: .organisation)
            let months = (1...12).map { CalendarDay.date(String(format: "2026-%02d-01", $0))! }
            let readmissions = try await fixtures.measure(
                "Readmissions", unit: trust, frequency: .monthly, periods: months)
            let costs = try await fixtures.measure(
                "Cost per bed day", unit: trust, frequency: .monthly, periods: months)
            try await fixtures.signIn("analyst@test.example", role: .qiTeam, at: trust)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("analyst@test.example")
            let lead = try await fixtures.person("Lead", unit: ward)
            func story(_ title: String, in unit: Unit) async throws -> Story {
                let project = try await fixtures.approvedProject(title, unit: unit, lead: lead, approvedAt: months[2])
                let story = Story()
                story.$project.id = try project.requireID()
                story.title = title
                story.body = "We tried it.\n\n![The ward at night](https://example.org/ward.jpg)"
                story.isPublishable = true
                story.$author.id = try lead.requireID()
                try await story.create(on: app.db)
                return story
            }
            let ours = try await story("Fewer falls on Willow", in: ward)
            let theirs = try await story("The council's own work", in: partner)
            let base = "/units/\(trust.id!.uuidString)/board-report"
            let (r, c) = (readmissions.id!.uuidString, costs.id!.uuidString)

            // A story from outside the trust, an aim that is not one, and a title too long: each is
            // explained, and everything typed is still there.
            var form = [
                "month": "2026-11", "aim-\(r)": "population_health", "aim-\(c)": "wealth",
                "narrative-\(r)": "Stable.\n\nStill stable, line one\nand line two.",
                "patient_story_title": String(repeating: "t", count: 161), "patient_story": "What mattered to me.",
                "improvement_story": theirs.id!.uuidString,
            ]
            let refused = try await browser.saveReport(base, form: form)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.contains("Choose a story from the list: this one is not a story of a project in Trust."))
            #expect(refused.body.contains("Choose an aim from the list, or “Not on the report”."))
            #expect(refused.body.contains("160 characters or fewer"))
            #expect(refused.body.contains("Still stable, line one\nand line two."), "the narrative typed is kept")
            #expect(refused.body.contains("What mattered to me."))
            form["improvement_story"] = UUID().uuidString
            #expect(
                try await browser.saveReport(base, form: form).status == .unprocessableEntity, "no such story: no 500")
            #expect(try await BoardReport.query(on: app.db).count() == 0, "nothing saved")

            form["aim-\(c)"] = ""
            form["patient_story_title"] = "What mattered"
            form["improvement_story"] = ours.id!.uuidString
            #expect(try await browser.saveReport(base, form: form).location == base + "?month=2026-11")
            let november = try await browser.get(base + "?month=2026-11")
            #expect(november.body.contains("<p>Stable.</p><p>Still stable, line one<br/>and line two.</p>"))
            #expect(november.body.contains("<th scope=\"row\">1 Nov 2026</th>"), "periods in words")
            #expect(!november.body.contains("<th scope=\"row\">1 Dec 2026</th>"), "December is after November’s report")
            #expect(!november.body.contains("Cost per bed day"))

            // December shows costs instead; November is still as it was.
            _ = try await browser.saveReport(
                base, form: ["month": "2026-12", "aim-\(r)": "", "aim-\(c)": "value", "narrative-\(c)": "Falling."])
            let december = try await browser.get(base + "?month=2026-12")
            #expect(december.body.contains("Cost per bed day") && december.body.contains("<h2>Value</h2>"))
            #expect(!december.body.contains(">Readmissions<"))
            let again = try await browser.get(base + "?month=2026-11")
            #expect(again.body.contains(">Readmissions<") && !again.body.contains("Cost per bed day"))
            #expect(again.body.contains("Reports written (2)"))
            #expect(again.body.contains("?month=2026-12\">December 2026</a>"))
            // January, not yet written, starts from December's choice.
            let january = try await browser.get(base + "/edit?month=2027-01")
            #expect(january.body.contains("<option value=\"value\" selected"))

            // Saving what is there changes nothing and records nothing; a change records the words.
            let audits = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "board_report").count()
            let unchanged = try await browser.saveReport(
                base, form: ["month": "2026-12", "aim-\(r)": "", "aim-\(c)": "value", "narrative-\(c)": "Falling."])
            #expect(try await browser.get(try #require(unchanged.location)).body.contains("Nothing had changed"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "board_report").count() == audits)
            _ = try await browser.saveReport(
                base,
                form: [
                    "month": "2026-12", "aim-\(r)": "", "aim-\(c)": "value", "narrative-\(c)": "Falling for a year.",
                ])
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "board_report").sort(
                    \.$occurredAt, .descending
                )
                .first())
            #expect(entry.after["narrative \(c)"] == "Falling for a year.")
            #expect(entry.before["narrative \(c)"] == "Falling.")

            // The saved file shows the story's picture as its caption: it could not load away from OpenQI.
            let file = try await browser.get("/units/\(trust.id!.uuidString)/board-report.html?month=2026-11")
            #expect(file.body.contains("[Picture: The ward at night]"))
            #expect(!file.body.contains("src=\"http"))
            #expect(november.body.contains("<img src=\"https://example.org/ward.jpg\""), "on screen the picture shows")

            // Readmissions is archived; November's report still shows it, and saving November
            // again (the measure no longer on the form) keeps it there.
            let archived = try #require(try await Measure.find(readmissions.id, on: app.db))
            archived.archivedAt = Date()
            try await archived.update(on: app.db)
            _ = try await browser.saveReport(
                base,
                form: [
                    "month": "2026-11", "aim-\(c)": "", "patient_story_title": "What mattered, again",
                    "patient_story": "What mattered to me.",
                ])
            let kept = try await browser.get(base + "?month=2026-11")
            #expect(kept.body.contains(">Readmissions<"))
            #expect(kept.body.contains("Still stable, line one"))
            #expect(kept.body.contains("What mattered, again"))

            // A month that is not one is explained, not replaced by this month.
            let bad = try await browser.get(base + "?month=2026-13")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("“2026-13” is not a month. Name it by year and month, like 2026-11."))
            // A save that does not say which version it began from could overwrite unseen: refused.
            let unversioned = try await browser.post(base, form: ["month": "2026-11", "aim-\(c)": ""])
            #expect(unversioned.status == .unprocessableEntity)
            #expect(unversioned.body.contains("Say which version of the board report this change began from"))
            let badSave = try await browser.saveReport(base, form: ["month": "November"])
            #expect(badSave.status == .unprocessableEntity)
        }
    }

    @Test("the headline counts the month's projects, each figure the length of the list it links to")
    func headline() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let lead = try await fixtures.person("Lead", unit: trust)
            let now = try #require(CalendarDay.date("2026-12-15"))
            for (title, approved, completed) in [
                ("Approved in October, still going", "2026-10-05", nil),
                ("Approved in November", "2026-11-20", nil),
                ("Approved in June, completed in November", "2026-06-01", "2026-11-10"),
                ("Approved in June, completed in December", "2026-06-01", "2026-12-02"),
            ] as [(String, String, String?)] {
                try await fixtures.approvedProject(
                    title, unit: trust, lead: lead, approvedAt: CalendarDay.date(approved)!,
                    completedAt: completed.flatMap(CalendarDay.date))
            }
            let policy = try await fixtures.administratorPolicy()
            let november = try #require(CalendarMonth("2026-11"))
            let figures = try await BoardReportPage.Model.headline(
                unitID: trust.requireID(), month: november, tree: policy.tree, on: app.db, now: now)
            #expect(figures.map(\.count) == [1, 3, 1])
            #expect(figures[1].label == "projects active at the end of November 2026")
            // One of a thing is said as one: "1 project approved", "3 projects active".
            #expect(figures[0].countedLabel == "project approved by a forum in November 2026")
            #expect(figures[1].countedLabel == figures[1].label)
            for figure in figures {
                #expect(
                    try await fixtures.projectsListed(at: figure.url, policy: policy, now: now) == figure.count,
                    "\(figure.label)")
            }
        }
    }

    @Test("units are compared over the same latest periods; one measured differently is left out, saying why")
    func compareOverOneWindow() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let weeks = (0..<12).map { CalendarDay.date("2026-01-05")!.addingTimeInterval(Double($0) * 7 * 86_400) }
            var measures: [String: Measure] = [:]
            for (ward, name, chart, upTo) in [
                ("Ash", "Falls", ChartType.u, 12), ("Beech", "Falls", .u, 12), ("Cedar", "falls ", .u, 12),
                ("Damson", "Falls", .u, 6), ("Elm", "Falls", .i, 12),
            ] {
                let unit = try await fixtures.unit(ward, kind: .ward, parent: trust)
                measures[ward] = try await fixtures.measure(
                    name, unit: unit, chart: chart, periods: Array(weeks.prefix(upTo)))
            }
            // Cedar's last week had no bed days recorded: it adds nothing to the rate.
            let cedar = try measures["Cedar"]!.requireID()
            try await app.db.sql.raw(
                "UPDATE data_points SET denominator = 0, value = 9 WHERE measure_id = \(bind: cedar) AND period = \(bind: weeks[11])"
            ).run()
            let model = try await CompareUnitsPage.Model.query(
                unitID: trust.requireID(), name: "FALLS", periods: 4, policy: try await fixtures.administratorPolicy(),
                on: app.db)
            #expect(model.chosenName == "Falls")
            #expect(model.comparison.window == weeks[8]...weeks[11], "the last four weeks any ward has, for every ward")
            #expect(model.leftOut == ["Elm (individuals (xmr) chart, weekly)"])
            let rows = Dictionary(uniqueKeysWithValues: model.comparison.rows.map { ($0.unitName, $0) })
            #expect(rows["Damson"]?.position == .noData, "its data stopped before the window")
            #expect(model.comparison.rows.last?.unitName == "Damson")
            #expect(rows["Ash"]?.size == 40, "four weeks of 10 bed days")
            #expect(rows["Cedar"]?.size == 30 && rows["Cedar"]?.count == 3, "the week without bed days is left out")
            #expect(rows["Ash"]?.count == 6, "values 0, 1, 2 and 3 in the four weeks")

            // A ward dating its weeks on Sundays shares the window with the Monday wards, and a
            // week dated in the future does not move the window.
            let fig = try await fixtures.unit("Fig", kind: .ward, parent: trust)
            try await fixtures.measure(
                "Falls", unit: fig, chart: .u,
                periods: weeks.map { $0.addingTimeInterval(-86_400) } + [CalendarDay.date("2030-01-06")!])
            let again = try await CompareUnitsPage.Model.query(
                unitID: trust.requireID(), name: "Falls", periods: 4, policy: try await fixtures.administratorPolicy(),
                on: app.db)
            #expect(again.comparison.window == weeks[8].addingTimeInterval(-86_400)...weeks[11])
            #expect(
                again.comparison.rows.first { $0.unitName == "Fig" }?.size == 40,
                "four Sundays, the future week left out")
            #expect(again.comparison.rows.first { $0.unitName == "Ash" }?.size == 40)
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
            let page = try await browser.get("/units/\(trust.id!.uuidString)/compare?measure=violent%20INCIDENTS")
            #expect(page.status == .ok)
            #expect(page.body.contains("class=\"chart funnel\""))
            let table = try #require(page.body.range(of: "safety-table")).upperBound
            let rest = page.body[table...]
            let ward6 = try #require(rest.range(of: "Ward 6"))
            let ward1 = try #require(rest.range(of: "Ward 1"))
            #expect(ward6.lowerBound < ward1.lowerBound, "beyond the limits first")
            #expect(rest.contains("Higher than expected: a concern (beyond 99.8%)"), "more violence is worse")
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

extension TestBrowser {
    /// Saves a board report form as its page would: with the version the month's edit page carries.
    func saveReport(_ path: String, form: [String: String]) async throws -> Page {
        try await post(path, editing: path + "/edit?month=" + (form["month"] ?? ""), form: form)
    }
}
