import Charts
import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("PDSA cycles")
struct PDSACycleTests {
    /// A project with a measure holding 20 weeks of data and a change idea on its diagram.
    static func readyToTest(_ app: Application, _ browser: TestBrowser) async throws -> (
        path: String, project: Project, measure: Measure, idea: ChangeIdea
    ) {
        let (path, project) = try await MeasureTests.project(app, browser)
        let measurePath = try #require(
            try await browser.post(path + "/measures", form: MeasureTests.measureForm).location)
        let twenty = MeasureTests.weeks.split(separator: "\n").prefix(20).joined(separator: "\n")
        _ = try await browser.post(measurePath + "/data", form: ["data": twenty])
        let driver = try await DriverDiagramTests.addDriver(
            browser, app, project: path, level: .primary, text: "Safe mobility")
        let idea = try await DriverDiagramTests.addIdea(
            browser, app, project: path, title: "Falls huddle at handover", drivers: [driver])
        return (path, project, try #require(try await Measure.query(on: app.db).first()), idea)
    }

    static func plan(_ idea: ChangeIdea, watching measure: Measure?, start: String = "2026-05-25") -> [(String, String)]
    {
        [
            ("change_idea_id", idea.id!.uuidString), ("objective", "Test the huddle on one night shift"),
            ("question", "Can the night team run it in five minutes?"), ("prediction", "Yes, and falls will drop"),
            ("who", "Night nurse in charge"), ("what", "A five-minute falls huddle at handover"),
            ("where", "Willow Ward"), ("planned_start", start), ("planned_end", ""),
        ] + (measure.map { [("measure_ids[]", $0.id!.uuidString)] } ?? [])
    }

    /// Posts one of a cycle's forms as its page would: with the version the page carries.
    static func step(_ browser: TestBrowser, _ cyclePath: String, _ step: String, _ fields: [(String, String)])
        async throws -> TestBrowser.Page
    {
        let page = try await browser.get(step == "plan" ? cyclePath + "/plan" : cyclePath)
        let version = try TestBrowser.hiddenValue("version", in: page)
        return try await browser.post(cyclePath + "/" + step, fields: fields + [("version", version)])
    }

    @Test("plan, start (marking the watched chart), do, study, act; the next cycle continues the ramp")
    func wholeCycle() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _, measure, idea) = try await Self.readyToTest(app, browser)
            let form = try await browser.get(path + "/cycles/new?idea=\(idea.id!.uuidString)")
            #expect(form.body.contains("<option value=\"\(idea.id!.uuidString)\" selected=\"selected\">"))
            let planned = try await browser.post(path + "/cycles", fields: Self.plan(idea, watching: measure))
            let cyclePath = try #require(planned.location)
            let cycle = try #require(try await PDSACycle.query(on: app.db).first())
            #expect(cycle.number == 1 && cycle.status == .planned)

            let started = try await Self.step(
                browser, cyclePath, "start", [("started_on", "2026-05-11"), ("annotate[]", "yes")])
            #expect(started.status == .seeOther)
            let annotation = try #require(try await MeasureAnnotation.query(on: app.db).first())
            #expect(annotation.text == "PDSA 1 started: Falls huddle at handover")
            #expect(CalendarDay.text(annotation.period) == "2026-05-11")
            let chart = try await browser.get("/measures/\(measure.id!.uuidString)")
            #expect(chart.body.contains("PDSA 1 started: Falls huddle at handover"))

            let early = try await Self.step(browser, cyclePath, "act", [("decision", "adopt"), ("act_notes", "Go")])
            #expect(early.status == .unprocessableEntity)
            #expect(early.body.contains("Record what the data showed (Study) before deciding."))
            _ = try await Self.step(
                browser, cyclePath, "record",
                [
                    ("do_notes", "Ran on 3 nights; took 7 minutes"), ("study_notes", "Two falls, fewer than usual"),
                ])
            let acted = try await Self.step(
                browser, cyclePath, "act", [("decision", "adapt"), ("act_notes", "Shorten it and try on days")])
            #expect(acted.status == .seeOther)
            let done = try #require(try await PDSACycle.find(cycle.id, on: app.db))
            #expect(done.status == .complete && done.decision == .adapt)
            #expect(done.doNotes == "Ran on 3 nights; took 7 minutes")

            // The next cycle on the ramp starts from this one's plan.
            let next = try await browser.get(path + "/cycles/new?after=\(cycle.id!.uuidString)")
            #expect(next.body.contains("Night nurse in charge"))
            _ = try await browser.post(
                path + "/cycles", fields: Self.plan(idea, watching: measure, start: "2026-06-08"))
            let second = try #require(try await PDSACycle.query(on: app.db).filter(\.$number == 2).first())
            let page = try await browser.get("/cycles/\(second.id!.uuidString)")
            #expect(page.body.contains("PDSA 1 (Adapt)"))
            #expect(page.body.contains("aria-current=\"page\">PDSA 2 (planned)"))
            let projectPage = try await browser.get(path)
            #expect(projectPage.body.contains("PDSA 1 · Adapt"))
            #expect(projectPage.body.contains("PDSA 2 · Planned"))
        }
    }

    @Test("a plan needs every part and this project's idea and measures; each step comes in its order")
    func validationAndOrder() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _, measure, idea) = try await Self.readyToTest(app, browser)
            var bad = Self.plan(idea, watching: measure).filter { $0.0 != "prediction" }
            bad = bad.map { $0.0 == "planned_end" ? ("planned_end", "2026-05-01") : $0 }
            bad.append(("measure_ids[]", UUID().uuidString))
            let page = try await browser.post(path + "/cycles", fields: bad)
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("Enter what you predict will happen."))
            #expect(page.body.contains("The end date must be on or after the start date."))
            #expect(page.body.contains("Choose measures of this project to watch."))
            #expect(page.body.contains("Test the huddle on one night shift"), "what was typed is kept")
            #expect(try await PDSACycle.query(on: app.db).count() == 0)

            let cyclePath = try #require(
                try await browser.post(path + "/cycles", fields: Self.plan(idea, watching: nil)).location)
            let record = try await Self.step(browser, cyclePath, "record", [("do_notes", "Too soon")])
            #expect(record.body.contains("Start the cycle first."))
            _ = try await Self.step(browser, cyclePath, "start", [("started_on", "2026-05-25")])
            #expect(try await MeasureAnnotation.query(on: app.db).count() == 0, "not asked to mark the charts")
            let again = try await Self.step(browser, cyclePath, "start", [("started_on", "2026-05-26")])
            #expect(again.body.contains("This cycle has already started."))
            let replan = try await Self.step(browser, cyclePath, "plan", Self.plan(idea, watching: nil))
            #expect(replan.body.contains("This cycle has started, so its plan is kept as it was."))

            // A tested idea keeps its learning: it cannot be removed.
            let remove = try await browser.post(path + "/change-ideas/\(idea.id!.uuidString)/remove")
            #expect(remove.status == .unprocessableEntity)
            #expect(remove.body.contains("has 1 PDSA cycle; removing it would lose what they learned."))
        }
    }

    @Test(
        "closing a project ends its unfinished cycles without a decision, saying so (its day in the organisation's order, written inside the closing's transaction), so none shows as running"
    )
    func closingEndsCycles() async throws {
        try await withOpenQI(dateOrder: .monthDayYear) { app in
            let browser = TestBrowser(app: app)
            let (path, project, measure, idea) = try await Self.readyToTest(app, browser)
            project.status = .active
            try await project.save(on: app.db)
            let running = try #require(
                try await browser.post(path + "/cycles", fields: Self.plan(idea, watching: measure)).location)
            _ = try await Self.step(browser, running, "start", [("started_on", "2026-05-25")])
            _ = try await browser.post(path + "/cycles", fields: Self.plan(idea, watching: nil, start: "2026-06-08"))
            let page = try await browser.get(path)
            #expect(
                page.body.contains(
                    "PDSA 1, PDSA 2 are not finished: closing ends them without a decision. To keep what they taught, record Study and Act first."
                ))

            let closed = try await browser.post(
                path + "/close", form: ["outcome": "stopped", "learning": "The rota could not support it"])
            #expect(closed.status == .seeOther)
            let cycles = try await PDSACycle.query(on: app.db).sort(\.$number).all()
            #expect(cycles.allSatisfy { $0.status == .complete && $0.decision == nil && $0.completedOn != nil })
            let today = DateOrder.$current.withValue(.monthDayYear) { AppClock.today.label }
            #expect(
                cycles.map(\.actNotes) == [
                    "Ended unfinished: the project was stopped on \(today).",
                    "Ended before it started: the project was stopped on \(today).",
                ])
            // Each is in the project's trail, with the project's closing.
            let trail = try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "pdsa_cycle").all()
            #expect(trail.filter { $0.after["status"] == "complete" && $0.before["status"] != "complete" }.count == 2)

            let cycle = try await browser.get(running)
            #expect(cycle.body.contains("No decision: the cycle ended with its project."))
            #expect(cycle.body.contains("Ended unfinished: the project was stopped on \(today)."))
            #expect(cycle.body.contains("PDSA 2 (ended)"))
            #expect(!cycle.body.contains("Record the decision"))
            #expect(try await Project.find(project.id, on: app.db)?.status == .stopped)
            // A page drawn before the closing cannot plan a cycle after it.
            let late = try await browser.post(path + "/cycles", fields: Self.plan(idea, watching: nil))
            #expect(late.status == .unprocessableEntity)
            #expect(late.body.contains("is stopped: PDSA cycles are planned and run while a project is under way."))
            #expect(try await PDSACycle.query(on: app.db).count() == 2)
        }
    }
}
