import Fluent
import Foundation
import SPC
import Testing
import Vapor

@testable import OpenQI

@Suite("Measures and data")
struct MeasureTests {
    /// A signed-in team lead with an active project; returns the project's path.
    static func project(_ app: Application, _ browser: TestBrowser) async throws -> (path: String, project: Project) {
        let world = try await ProjectTests.world(app)
        try await Fixtures(app: app).signIn("lead@test.example", role: .member, at: world.ward)
        _ = try await browser.signIn("lead@test.example")
        let path = try #require(try await browser.post("/projects", form: ProjectTests.proposal(world)).location)
        return (path, try #require(try await Project.query(on: app.db).first()))
    }

    static let measureForm = [
        "name": "Falls per week", "kind": "outcome", "definition": "Falls recorded on Datix, Monday to Sunday",
        "unit_of_measure": "falls", "frequency": "weekly", "chart_type": "i", "rules": "mdc", "direction": "down",
        "target": "2",
    ]

    /// 20 weeks around 8 falls, then 10 weeks around 3: a shift a chart must see.
    static var weeks: String {
        let values = [8, 9, 7, 8, 10, 8, 7, 9, 8, 8, 7, 9, 8, 10, 8, 9, 7, 8, 9, 8, 4, 3, 3, 2, 4, 3, 2, 3, 3, 2]
        let start = CalendarDay.date("2026-01-05")!
        return values.enumerated().map { index, value in
            "\(CalendarDay.text(start.addingTimeInterval(Double(index) * 7 * 24 * 3600)))\t\(value)"
        }.joined(separator: "\n")
    }

    @Test("a measure is defined with an operational definition; mistakes are explained")
    func define() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            var bad = Self.measureForm
            bad["definition"] = ""
            bad["chart_type"] = "pie"
            bad["target"] = "two"
            let page = try await browser.post(path + "/measures", form: bad)
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("Enter the operational definition"))
            #expect(page.body.contains("“pie” is not a valid choice for the chart type"))
            #expect(page.body.contains("Enter the target (or leave it empty if there is none) as a number from"))
            #expect(page.body.contains("“two” is not one."))
            let created = try await browser.post(path + "/measures", form: Self.measureForm)
            #expect(created.status == .seeOther)
            let measure = try #require(try await Measure.query(on: app.db).first())
            #expect(
                measure.chart == .i && measure.ruleSet == .mdc && measure.improvement == .down && measure.target == 2)
        }
    }

    @Test("a count charted on XmR is drawn with no limit below zero; a series that goes below zero keeps its limits")
    func limitsFlooredAtZero() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            let counts = [0, 1, 0, 2, 0, 5, 1, 0, 3, 0, 1, 0]
            func paste(_ values: [Int]) -> String {
                values.enumerated().map { index, value in
                    "\(CalendarDay.text(CalendarDay.date("2026-01-05")!.addingTimeInterval(Double(index) * 7 * 86400)))\t\(value)"
                }.joined(separator: "\n")
            }
            var form = Self.measureForm
            form["target"] = ""
            let falls = try #require(try await browser.post(path + "/measures", form: form).location)
            _ = try await browser.post(falls + "/data", form: ["data": paste(counts)])
            #expect(try await browser.get(falls).body.contains("with limits from 0 to "))
            // The CSV gives the limits the chart draws.
            let csv = try await browser.get(falls + "/data.csv").body
            let lowerLimits = csv.split(separator: "\n").dropFirst().compactMap {
                Double($0.split(separator: ",", omittingEmptySubsequences: false)[5])
            }
            #expect(lowerLimits.count == counts.count && lowerLimits.allSatisfy { $0 == 0 })
            form["name"] = "Change in weight"
            let change = try #require(try await browser.post(path + "/measures", form: form).location)
            _ = try await browser.post(change + "/data", form: ["data": paste(counts.map { $0 - 1 })])
            #expect(try await browser.get(change).body.contains("with limits from -"))
        }
    }

    @Test(
        "a value recorded against the wrong period is removed from the data table, its chart redrawn, and the trail keeps what it was"
    )
    func removeValue() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            let measurePath = try #require(try await browser.post(path + "/measures", form: Self.measureForm).location)
            _ = try await browser.post(measurePath + "/data", form: ["data": Self.weeks])
            let page = try await browser.get(measurePath)
            #expect(page.body.contains(#"action="\#(measurePath)/data/2026-01-12/remove""#))
            #expect(page.body.contains("Remove<span class=\"visually-hidden\"> the value for 12 Jan 2026</span>"))

            let removed = try await browser.post(measurePath + "/data/2026-01-12/remove")
            #expect(removed.target == measurePath + "#notice")
            #expect(try await app.storedDataPoints().count == 29)
            #expect(try await browser.get(measurePath).body.contains("The value for 12 January 2026 was removed."))
            let summary = try #require(try await MeasureSummary.query(on: app.db).first())
            #expect(summary.points == 29, "the summary is of the series as it now stands")
            let trail = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "measure").all()
            #expect(trail.contains { $0.before["value"] == "12 January 2026: 9" && $0.after.isEmpty })

            // Again: nothing to remove, said plainly; a period that is not a date is not found.
            let again = try await browser.post(measurePath + "/data/2026-01-12/remove")
            #expect(
                try await browser.get(try #require(again.location)).body.contains(
                    "There is no value for 12 January 2026 to remove"))
            #expect(try await browser.post(measurePath + "/data/not-a-day/remove").status == .notFound)
            // Only those who edit the measure remove its values.
            try await Fixtures(app: app).signIn(
                "reader@test.example", role: .viewer, at: try #require(try await Unit.query(on: app.db).first()))
            let reader = TestBrowser(app: app)
            _ = try await reader.signIn("reader@test.example")
            #expect(try await reader.post(measurePath + "/data/2026-01-19/remove").status == .forbidden)
            #expect(try await app.storedDataPoints().count == 29)
        }
    }

    @Test("pasted data are checked first; a bad row stops the whole import; good data import once, idempotently")
    func pasteAndImport() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            let measurePath = try #require(try await browser.post(path + "/measures", form: Self.measureForm).location)

            let bad = try await browser.post(
                measurePath + "/data/check",
                form: [
                    "data":
                        "period\tvalue\n2026-01-05\t8\n2026-01-12\tlots\n2026-01-05\t9\n31/02/2026\t3\n2062-01-05\t4"
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Nothing was imported: 4 rows need fixing"))
            #expect(
                bad.body.contains(
                    "Row 6: 5 January 2062 is in the future. A period’s value is recorded once the period has begun: check the date."
                ))
            #expect(bad.body.contains("Row 3: “lots” is not a number in the value column."))
            #expect(bad.body.contains("Row 4: the period 2026-01-05 is already on row 2."))
            #expect(bad.body.contains("Row 5: “31/02/2026” is not a date."))
            #expect(try await app.storedDataPoints().count == 0)

            let preview = try await browser.post(measurePath + "/data/check", form: ["data": Self.weeks])
            #expect(preview.body.contains("30 new periods and 0 changed. Nothing is saved until you confirm."))
            #expect(try await app.storedDataPoints().count == 0)

            let imported = try await browser.post(measurePath + "/data", form: ["data": Self.weeks])
            #expect(
                try await browser.get(try #require(imported.location)).body.contains(
                    "Imported 30 new periods and changed 0."))
            #expect(try await app.storedDataPoints().count == 30)
            let again = try await browser.post(measurePath + "/data", form: ["data": Self.weeks])
            #expect(
                try await browser.get(try #require(again.location)).body.contains(
                    "Imported 0 new periods and changed 0."))
            #expect(try await app.storedDataPoints().count == 30)
            // The second import changed nothing, so it leaves nothing in the audit trail either.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "measure_data").count() == 1)
        }
    }

    @Test("the chart shows the signal after the change, with its annotation and a new phase, and exports")
    func chart() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            let measurePath = try #require(try await browser.post(path + "/measures", form: Self.measureForm).location)
            _ = try await browser.post(measurePath + "/data", form: ["data": Self.weeks])
            _ = try await browser.post(
                measurePath + "/annotations", form: ["period": "2026-05-25", "text": "PDSA 1: night checks"])
            let page = try await browser.get(measurePath)
            #expect(page.body.contains("PDSA 1: night checks"))
            #expect(page.body.contains("Special cause improvement"), "fewer falls, and lower is better")
            #expect(page.body.contains("class=\"point improvement\""))
            // The data table names the rules in words, not the JSON's codes.
            #expect(page.body.contains("Special cause improvement: part of a run on one side of the mean"))
            #expect(!page.body.contains("(shift") && !page.body.contains("two_of_three"))

            let id = String(measurePath.split(separator: "/").last!)
            let api = try await browser.json(.GET, "/api/v1/measures/\(id)/chart")
            #expect(api.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
            #expect(json["chart"] as? String == "i")
            #expect((json["points"] as? [[String: Any]])?.count == 30)
            #expect(json["variation"] as? String == "improvement_low")
            let annotations = try #require(json["annotations"] as? [[String: String]])
            #expect(annotations == [["x": "2026-05-25", "text": "PDSA 1: night checks"]])

            let phase = try await browser.post(
                measurePath + "/phases", form: ["period": "2026-05-25", "label": "After night checks"])
            #expect(phase.status == .seeOther)
            let phased = try await browser.json(.GET, "/api/v1/measures/\(id)/chart")
            let phases = try #require(
                (try JSONSerialization.jsonObject(with: Data(phased.body.utf8)) as? [String: Any])?["phases"]
                    as? [[String: Any]])
            #expect(phases.count == 2)
            #expect(phases.last?["label"] as? String == "After night checks")

            let svg = try await browser.get(measurePath + "/chart.svg")
            #expect(svg.headers.contentType?.subType == "svg+xml")
            #expect(svg.body.hasPrefix("<svg"))
            let csv = try await browser.get(measurePath + "/data.csv")
            #expect(csv.body.hasPrefix("period,value,denominator,plotted,cl,lcl,ucl,class,note\n2026-01-05,8.0,"))
            #expect(csv.body.split(separator: "\n").count == 31)
        }
    }

    @Test("the grid takes values by period; blank rows are left alone, a bad value saves nothing, notes survive")
    func grid() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            let measurePath = try #require(try await browser.post(path + "/measures", form: Self.measureForm).location)
            let empty = try await browser.get(measurePath)
            #expect(empty.body.components(separatedBy: "name=\"period[]\"").count - 1 == 12)

            let rows: [(String, String)] = [
                ("period[]", "2026-01-05"), ("value[]", "8"), ("period[]", "2026-01-12"), ("value[]", "lots"),
                ("period[]", "2026-01-19"), ("value[]", ""),
            ]
            let bad = try await browser.post(measurePath + "/data/grid", fields: rows)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Row 2: “lots” is not a number in the value column."))
            #expect(bad.body.contains("value=\"lots\""), "what was typed is kept")
            #expect(try await app.storedDataPoints().count == 0)

            _ = try await browser.post(
                measurePath + "/data", form: ["data": "2026-01-05\t7\t\tcounted twice, corrected"])
            // The grid as drawn after the paste: each row carries what it showed as recorded.
            func grid(_ first: String, shown: String) -> [(String, String)] {
                [
                    ("period[]", "2026-01-05"), ("shown[]", shown), ("value[]", first), ("period[]", "2026-01-12"),
                    ("shown[]", ""), ("value[]", "6"), ("period[]", "2026-01-19"), ("shown[]", ""), ("value[]", " "),
                ]
            }
            let saved = try await browser.post(measurePath + "/data/grid", fields: grid("8", shown: "7"))
            #expect(saved.status == .seeOther)
            #expect(
                try await browser.get(try #require(saved.location)).body.contains("Saved 1 new period and changed 1."))
            let points = try await app.storedDataPoints()
            #expect(points.map(\.value) == [8, 6])
            #expect(points.first?.note == "counted twice, corrected")

            // A grid drawn before that save still shows 7: saving it would put 7 back unseen, so it
            // comes back with its own values kept and what was saved named; then it saves knowingly.
            let stale = try await browser.post(measurePath + "/data/grid", fields: grid("7", shown: "7"))
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("2026-01-05: Someone saved 8 after you opened this page."))
            #expect(try await app.storedDataPoints().map(\.value) == [8, 6], "nothing was saved")
            #expect(stale.body.contains(#"name="shown[]" value="8""#), "the grid now knows what is saved")
            let knowingly = try await browser.post(measurePath + "/data/grid", fields: grid("7", shown: "8"))
            #expect(knowingly.status == .seeOther)
            #expect(try await app.storedDataPoints().map(\.value) == [7, 6])

            // A mistake sends the grid back with what each row showed, not as a conflict once fixed.
            var typo = grid("9", shown: "7")
            typo[5] = ("value[]", "lots")
            let mistaken = try await browser.post(measurePath + "/data/grid", fields: typo)
            #expect(mistaken.status == .unprocessableEntity)
            #expect(mistaken.body.contains(#"name="shown[]" value="7""#))
            let fixed = try await browser.post(measurePath + "/data/grid", fields: grid("9", shown: "7"))
            #expect(fixed.status == .seeOther, "no one else saved anything: no conflict")

            // Two grids drawn at once and saved at the same moment: one is saved, the other told.
            let other = TestBrowser(app: app)
            _ = try await other.signIn("lead@test.example")
            async let one = browser.post(measurePath + "/data/grid", fields: grid("10", shown: "9"))
            async let two = other.post(measurePath + "/data/grid", fields: grid("11", shown: "9"))
            let statuses = [try await one.status, try await two.status]
            #expect(statuses.sorted { $0.code < $1.code } == [.seeOther, .conflict], "\(statuses)")
            let page = try await browser.get(measurePath)
            #expect(page.body.contains("value=\"2026-01-26\""), "the next week is offered")
        }
    }

    @Test(
        "a definition is changed from its page; two people changing it at once: the second is shown what the first saved and keeps theirs"
    )
    func changeDefinition() async throws {
        try await withOpenQI { app in
            let lead = TestBrowser(app: app)
            let (path, project) = try await Self.project(app, lead)
            let measurePath = try #require(try await lead.post(path + "/measures", form: Self.measureForm).location)
            _ = try await lead.post(measurePath + "/data", form: ["data": Self.weeks])
            try await Fixtures(app: app).signIn(
                "analyst@test.example", role: .qiTeam, at: project.$unit.get(on: app.db))
            let coach = TestBrowser(app: app)
            _ = try await coach.signIn("analyst@test.example")

            let shown = try await lead.get(measurePath)
            #expect(shown.body.contains("Change the definition"))
            let leadForm = try await lead.get(measurePath + "/edit")
            #expect(leadForm.status == .ok)
            #expect(leadForm.body.contains("Change “Falls per week”"))
            #expect(try TestBrowser.hiddenValue("version", in: leadForm) == "1")
            #expect(leadForm.body.contains(#"value="2""#), "the target as typed, not 2.0")
            let coachForm = try await coach.get(measurePath + "/edit")
            #expect(try TestBrowser.hiddenValue("version", in: coachForm) == "1")

            // A mistake is explained and nothing is saved.
            var bad = Self.measureForm
            bad["definition"] = ""
            bad["version"] = "1"
            let refused = try await lead.post(measurePath, form: bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Enter the operational definition"))

            var leadEdit = Self.measureForm
            leadEdit["definition"] = "Falls recorded on Datix, including those without harm, Monday to Sunday"
            leadEdit["chart_type"] = "c"
            leadEdit["version"] = "1"
            let saved = try await lead.post(measurePath, form: leadEdit)
            #expect(saved.status == .seeOther && saved.location == measurePath)
            let measure = try #require(try await Measure.query(on: app.db).first())
            #expect(measure.chart == .c && measure.version == 2 && measure.definition.contains("without harm"))
            // The chart is drawn as the new definition says, at once.
            #expect(try await lead.get(measurePath).body.contains("C chart"))

            var coachEdit = Self.measureForm
            coachEdit["name"] = "Inpatient falls per week"
            coachEdit["version"] = "1"
            let conflict = try await coach.post(measurePath, form: coachEdit)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.contains("Lead saved this measure at"))
            #expect(conflict.body.contains("The operational definition, as Lead saved it"))
            #expect(conflict.body.contains("Inpatient falls per week"), "the coach's text is kept")
            #expect(try TestBrowser.hiddenValue("version", in: conflict) == "2")
            #expect(try await Measure.query(on: app.db).first()?.name == "Falls per week")

            // Saved again from the version now shown: knowingly over the lead's.
            coachEdit["version"] = "2"
            #expect(try await coach.post(measurePath, form: coachEdit).status == .seeOther)
            let now = try #require(try await Measure.query(on: app.db).first())
            #expect(now.name == "Inpatient falls per week" && now.version == 3 && now.chart == .i)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "measure")
                .filter(\.$action == "update").count()
            #expect(audit == 2)

            // Someone outside the team may read it but not change it.
            try await Fixtures(app: app).signIn("other@test.example")
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other@test.example")
            #expect(!(try await other.get(measurePath)).body.contains("Change the definition"))
            #expect(try await other.get(measurePath + "/edit").status == .forbidden)
            coachEdit["name"] = "Hijacked"
            #expect(try await other.post(measurePath, form: coachEdit).status == .forbidden)
        }
    }

    @Test("in the demo, saving the grid with one value changed changes exactly that one period")
    func gridSaveOnDemoData() async throws {
        try await withOpenQI(demo: true) { app in
            let measure = try #require(
                try await Measure.query(on: app.db).filter(\.$project.$id != nil).filter(\.$chartType == "i").first())
            let path = "/measures/\(try measure.requireID())"
            let before = try await DataPoint.series(of: [measure.requireID()], on: app.db)[measure.requireID()] ?? []
            #expect(!before.isEmpty)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@example.org", password: "demo")
            // Every field of the grid as the page fills it, as a browser would send them back.
            let page = try await browser.get(path).body
            var fields: [(String, String)] = []
            for tag in page.components(separatedBy: "<input").dropFirst() {
                let tag = String(tag.prefix { $0 != ">" })
                func attribute(_ name: String) -> String? {
                    guard let start = tag.range(of: " \(name)=\"") else { return nil }
                    return String(tag[start.upperBound...].prefix { $0 != "\"" })
                }
                guard let name = attribute("name"), ["period[]", "shown[]", "value[]", "denominator[]"].contains(name)
                else {
                    continue
                }
                fields.append((name, attribute("value") ?? ""))
            }
            let filled = fields.indices.filter { fields[$0].0 == "value[]" && !fields[$0].1.isEmpty }
            #expect(filled.count >= 2, "the grid shows the measure's recent values")
            let changed = try #require(filled.last)
            let period = fields[changed - 2].1
            fields[changed].1 = "123"
            let saved = try await browser.post(path + "/data/grid", fields: fields)
            #expect(saved.status == .seeOther)
            #expect(try await browser.get(path).body.contains("Saved 0 new periods and changed 1."))
            let after = try await DataPoint.series(of: [measure.requireID()], on: app.db)[measure.requireID()] ?? []
            #expect(after.count == before.count, "no period was added")
            let differing = zip(before, after).filter { $0 != $1 }
            #expect(differing.count == 1)
            #expect(differing.first.map { CalendarDay(containing: $0.1.period).text } == period)
        }
    }

    @Test("stored periods with a time of day become their day; a day already saved at midnight keeps that point")
    func normaliseStoredPeriods() async throws {
        try await withOpenQI { app in
            guard !TestDatabase.isPostgres else { return }  // DATE columns there never held a time.
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            _ = try await browser.post(path + "/measures", form: Self.measureForm)
            let id = try #require(try await Measure.query(on: app.db).first()?.id)
            let monday = CalendarDay.date("2026-01-05")!.timeIntervalSince1970
            // As the demo and older saves left them: a timed point beside a midnight one (day 1),
            // two timed ones (day 2, the later wins), a timed one alone (day 3).
            for (offset, value) in [
                (36_000.5, 1.0), (0, 2), (86_400 + 3_600.25, 3), (86_400 + 50_000.5, 4), (172_800 + 7.5, 5),
            ] {
                try await app.db.sql.raw(
                    "INSERT INTO data_points (measure_id, period, value) VALUES (\(bind: id), \(unsafeRaw: String(monday + offset)), \(bind: value))"
                ).run()
            }
            try await app.db.sql.raw(
                "INSERT INTO phase_breaks (id, measure_id, period, label) VALUES (\(bind: UUID()), \(bind: id), \(unsafeRaw: String(monday + 60.5)), 'New form')"
            ).run()
            try await NormalisePeriodsToDays().prepare(on: app.db)
            let points = try await DataPoint.series(of: [id], on: app.db)[id] ?? []
            #expect(
                points.map { CalendarDay(containing: $0.period).text } == ["2026-01-05", "2026-01-06", "2026-01-07"])
            #expect(points.map(\.value) == [2, 4, 5])
            struct Raw: Decodable { let period: Double }
            let raw = try await app.db.sql.raw(
                "SELECT period FROM data_points UNION ALL SELECT period FROM phase_breaks"
            )
            .all(decoding: Raw.self)
            #expect(raw.allSatisfy { $0.period.truncatingRemainder(dividingBy: 86_400) == 0 }, "\(raw)")
            // Saving the first day again changes it, adding nothing.
            let saved = try await browser.post(
                "/measures/\(id)/data/grid", fields: [("period[]", "2026-01-05"), ("shown[]", "2"), ("value[]", "9")])
            #expect(
                try await browser.get(try #require(saved.location)).body.contains("Saved 0 new periods and changed 1."))
            #expect((try await DataPoint.series(of: [id], on: app.db)[id] ?? []).count == 3)
        }
    }

    @Test("an annotation or a phase put on the wrong date is removed, audited with what it said; others cannot")
    func removeChartNotes() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            let measurePath = try #require(try await browser.post(path + "/measures", form: Self.measureForm).location)
            _ = try await browser.post(measurePath + "/data", form: ["data": Self.weeks])
            _ = try await browser.post(
                measurePath + "/annotations", form: ["period": "2026-03-02", "text": "PDSA 2 started"])
            _ = try await browser.post(measurePath + "/phases", form: ["period": "2026-05-25", "label": "New rota"])
            let page = try await browser.get(measurePath)
            #expect(page.body.contains("Notes and phases on the chart"))
            let annotation = try #require(try await MeasureAnnotation.query(on: app.db).first())
            let phase = try #require(try await PhaseBreak.query(on: app.db).first())
            let measure = try #require(try await Measure.query(on: app.db).first())

            // Someone outside the team sees them but cannot remove them.
            try await Fixtures(app: app).signIn("other@test.example")
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other@test.example")
            #expect(!(try await other.get(measurePath)).body.contains(">Remove<"))
            #expect(
                try await other.post(measurePath + "/annotations/\(annotation.id!)/remove").status == .forbidden)

            let removed = try await browser.post(measurePath + "/annotations/\(annotation.id!)/remove")
            #expect(removed.location == measurePath)
            #expect(try await browser.get(measurePath).body.contains("The annotation “PDSA 2 started” was removed."))
            #expect(try await MeasureAnnotation.query(on: app.db).count() == 0)
            let phaseGone = try await browser.post(measurePath + "/phases/\(phase.id!)/remove")
            #expect(phaseGone.status == .seeOther)
            #expect(try await PhaseBreak.query(on: app.db).count() == 0)
            // Again, or another measure's: nothing there.
            #expect(try await browser.post(measurePath + "/phases/\(phase.id!)/remove").status == .notFound)

            let trail = try await AuditEntry.query(on: app.db).filter(\.$subjectID == measure.id!)
                .sort(\.$occurredAt).all()
            #expect(trail.contains { $0.after["annotation"] == "2 March 2026: PDSA 2 started" })
            #expect(trail.contains { $0.before["annotation"] == "2 March 2026: PDSA 2 started" && $0.after.isEmpty })
            #expect(trail.contains { $0.before["phase"] == "25 May 2026: New rota" })
        }
    }

    @Test("no id is used twice on a project's page or a measure's, as their editor sees them")
    func uniqueIDs() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _) = try await Self.project(app, browser)
            let measurePath = try #require(try await browser.post(path + "/measures", form: Self.measureForm).location)
            _ = try await browser.post(measurePath + "/data", form: ["data": Self.weeks])
            for page in [path, measurePath] {
                let ids = try await browser.get(page).body.matches(of: /\sid="([^"]+)"/).map { String($0.output.1) }
                let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
                #expect(ids.count > 5 && repeated.isEmpty, "\(page) repeats \(repeated)")
            }
        }
    }

    @Test("the grid offers periods up to today's and none after it")
    func gridStopsToday() {
        let today = CalendarDay.date("2026-12-02")!  // a Wednesday
        let weeks = ["2026-11-16", "2026-11-23"].map {
            MeasureSeries.Period(period: CalendarDay.date($0)!, value: 3, denominator: nil, note: nil)
        }
        let rows = MeasureShow.Model.grid(weeks, frequency: .weekly, today: today).map(\.period)
        #expect(rows == ["2026-11-16", "2026-11-23", "2026-11-30"])
        let months = MeasureShow.Model.grid([], frequency: .monthly, today: today).map(\.period)
        // With no data yet, periods start where teams count them from: the first of the month, a Monday.
        #expect(months.count == 12 && months.first == "2026-01-01" && months.last == "2026-12-01", "\(months)")
        let mondays = MeasureShow.Model.grid([], frequency: .weekly, today: today).map(\.period)
        #expect(mondays.last == "2026-11-30" && mondays.first == "2026-09-14", "\(mondays)")
        let quarters = MeasureShow.Model.grid([], frequency: .quarterly, today: today).map(\.period)
        #expect(quarters.last == "2026-10-01", "\(quarters)")
    }

    @Test("only the project's team changes its measures")
    func rights() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, project) = try await Self.project(app, browser)
            let measurePath = try #require(try await browser.post(path + "/measures", form: Self.measureForm).location)
            try await Fixtures(app: app).signIn("other@test.example")
            let other = TestBrowser(app: app)
            _ = try await other.signIn("other@test.example")
            #expect(try await other.get(measurePath).status == .ok)
            #expect(try await other.post(measurePath + "/data", form: ["data": Self.weeks]).status == .forbidden)
            #expect(try await other.get("/projects/\(project.id!)/measures/new").status == .forbidden)
        }
    }

    @Test(
        "the importer reads tabs, commas and semicolons, UK and ISO dates, an optional header, and checks denominators")
    func parsing() {
        let tabs = DataImport(text: "Week\tFalls\n2026-01-05\t3\n2026-01-12\t4\n", chart: .run)
        #expect(tabs.errors.isEmpty)
        #expect(tabs.rows.map(\.value) == [3, 4])
        let uk = DataImport(text: "05/01/2026,30,100\n2026-02,40,120,new form", chart: .p)
        #expect(uk.rows.map { CalendarDay.text($0.period) } == ["2026-01-05", "2026-02-01"])
        #expect(uk.rows.last?.note == "new form")
        let semicolons = DataImport(text: "2026-01-05;3", chart: .c)
        #expect(semicolons.rows.count == 1)
        let p = DataImport(text: "2026-01-05,30\n2026-01-12,130,100\n2026-01-19,3,-1", chart: .p)
        #expect(
            p.errors.map(\.message) == [
                "Row 1: a p chart needs a denominator in the third column.",
                "Row 2: the value 130 is more than its denominator 100; a proportion cannot exceed 1.",
                "Row 3: the denominator -1 is negative. Use 0 or more.",
            ])
        #expect(DataImport(text: "\n\n", chart: .run).errors.first?.message.contains("no rows to import") == true)
    }
}
