import Fluent
import Foundation
import SPC
import Testing
import Vapor

@testable import OpenQI

@Suite("Unit measures and the measures summary")
struct MeasureSummaryTests {
    /// A directorate with two wards; a QI team member at the directorate, signed in.
    static func world(_ app: Application, _ browser: TestBrowser) async throws -> (
        directorate: Unit, willow: Unit, cedar: Unit
    ) {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        let (directorate, willow, cedar) = (units.directorate, units.willow, units.cedar)
        try await fixtures.signIn("analyst@test.example", role: .qiTeam, at: directorate)
        _ = try await browser.signIn("analyst@test.example")
        return (directorate, willow, cedar)
    }

    static func indicator(_ name: String, direction: String = "down", target: String = "") -> [String: String] {
        [
            "name": name, "kind": "outcome", "definition": "Counted from the incident system each week",
            "unit_of_measure": "a week", "frequency": "weekly", "chart_type": "i", "rules": "mdc",
            "direction": direction, "target": target,
        ]
    }

    /// 20 steady weeks then 10 weeks at `after`.
    static func weeks(_ before: Double, _ after: Double) -> String {
        let start = CalendarDay.date("2026-01-05")!
        let wobble: [Double] = [0, 1, -1, 0, 1, 0, -1, 1, 0, 0, -1, 1, 0, 1, 0, -1, 1, 0, -1, 0]
        return (0..<30).map { week in
            let value = week < 20 ? before + wobble[week] : after + wobble[week - 20]
            return "\(CalendarDay.text(start.addingTimeInterval(Double(week) * 7 * 24 * 3600)))\t\(value)"
        }.joined(separator: "\n")
    }

    @Test("a unit's QI team defines ward indicators; others cannot")
    func unitMeasures() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (_, willow, _) = try await Self.world(app, browser)
            let path = "/units/\(willow.id!.uuidString)/measures"
            #expect(try await browser.get(path + "/new").status == .ok)
            let created = try await browser.post(path, form: Self.indicator("Falls"))
            let measurePath = try #require(created.location)
            let measure = try #require(try await Measure.query(on: app.db).first())
            #expect(measure.$project.id == nil && measure.$unit.id == willow.id)
            #expect(try await browser.get(measurePath).body.contains("Willow Ward"))
            #expect(try await MeasureSummary.query(on: app.db).count() == 1, "a summary row from the start")

            try await Fixtures(app: app).signIn("nurse@test.example", role: .member, at: willow)
            let nurse = TestBrowser(app: app)
            _ = try await nurse.signIn("nurse@test.example")
            #expect(try await nurse.post(path, form: Self.indicator("Mine")).status == .forbidden)
            #expect(try await nurse.post(measurePath + "/data", form: ["data": "2026-01-05\t3"]).status == .forbidden)
            #expect(try await nurse.get(path).status == .ok, "everyone reads the summary")
        }
    }

    @Test("the summary lists every measure below the unit from its cached chart, filters concerns and failing targets")
    func summary() async throws {
        try await withOpenQI { app in
            // The weekly data run to 27 July: by December they are overdue.
            app.clock = .fixed(CalendarDay.date("2026-12-07")!)
            let browser = TestBrowser(app: app)
            let (directorate, willow, cedar) = try await Self.world(app, browser)
            func add(_ unit: Unit, _ form: [String: String], data: String) async throws -> String {
                let path = try #require(
                    try await browser.post("/units/\(unit.id!.uuidString)/measures", form: form).location)
                _ = try await browser.post(path + "/data", form: ["data": data])
                return path
            }
            // Willow's falls rise (a concern, lower is better); Cedar's fall (an improvement).
            _ = try await add(willow, Self.indicator("Falls"), data: Self.weeks(3, 9))
            _ = try await add(cedar, Self.indicator("Falls"), data: Self.weeks(9, 3))
            // Shifts filled: steady around 90 against a target of 98: always failing.
            _ = try await add(
                cedar, Self.indicator("Shifts filled as planned", direction: "up", target: "98"),
                data: Self.weeks(90, 90))

            let willowFalls = try #require(
                try await MeasureSummary.query(on: app.db).join(
                    Measure.self, on: \MeasureSummary.$measure.$id == \Measure.$id
                )
                .filter(Measure.self, \.$unit.$id == willow.id!).first())
            #expect(willowFalls.variationIcon == .concernHigh)
            #expect(willowFalls.points == 30 && willowFalls.recentValues.count == MeasureSummary.recentCount)
            #expect(willowFalls.latestValue == 9)

            let path = "/units/\(directorate.id!.uuidString)/measures"
            let all = try await browser.get(path)
            #expect(all.status == .ok)
            #expect(all.body.components(separatedBy: "<tr").count - 2 == 3, "three rows and the header")
            #expect(all.body.contains("<strong>1</strong>special cause concern"))
            #expect(all.body.contains("<strong>1</strong>failing their target"))
            #expect(
                all.body.components(separatedBy: #"<strong class="overdue">data overdue</strong>"#).count - 1 == 3,
                "each of the three rows says its data are overdue")

            #expect(all.body.contains("id=\"mdc-variation-concern_high\""), "the icons are defined once on the page")
            #expect(all.body.contains("<use href=\"#mdc-variation-concern_high\"/>"), "Willow's row shows the concern")
            let concerns = try await browser.get(path + "?concern=yes")
            #expect(concerns.body.components(separatedBy: "<tr").count - 2 == 1)
            #expect(concerns.body.contains(">Willow Ward</a>"), "owners are named below the unit viewed")
            #expect(!concerns.body.contains("Cedar Ward</a>"))
            let failing = try await browser.get(path + "?failing=yes")
            #expect(failing.body.contains("Shifts filled as planned"))
            #expect(failing.body.components(separatedBy: "<tr").count - 2 == 1)
            let sorted = try await browser.get(path + "?sort=variation")
            let first = try #require(sorted.body.range(of: "Willow Ward</a>"))
            let second = try #require(sorted.body.range(of: "Cedar Ward</a>"))
            #expect(first.lowerBound < second.lowerBound, "the concern comes first")

            // Only the ward's own measures on the ward's summary.
            let ward = try await browser.get("/units/\(cedar.id!.uuidString)/measures")
            #expect(ward.body.components(separatedBy: "<tr").count - 2 == 2)

            // A phase break recomputes the summary: after the break, the new level is common cause.
            let willowPath = "/measures/\(willowFalls.$measure.id.uuidString)"
            _ = try await browser.post(willowPath + "/phases", form: ["period": "2026-05-25", "label": "New level"])
            let after = try #require(try await MeasureSummary.find(willowFalls.id, on: app.db))
            #expect(after.variationIcon == .commonCause)
        }
    }

    static func row(
        _ name: String, owner: String, variation: VariationIcon?, assurance: AssuranceIcon?, latest: String,
        overdue: Bool = false
    ) -> MeasureSummaryPage.Row {
        .init(
            id: UUID(), name: name, kind: .outcome, owner: .init(label: owner, url: "/units/x"), recent: [1, 2],
            latestClass: .common, latestValue: 2, latestPeriod: CalendarDay.date(latest), variation: variation,
            assurance: assurance, target: nil, unitOfMeasure: nil, isOverdue: overdue)
    }

    @Test(
        "by default what needs attention comes first: concerns failing their target, concerns, failing targets, data overdue, hit and miss"
    )
    func orderOfNeed() {
        let rows = [
            Self.row("Falls", owner: "Willow", variation: .commonCause, assurance: .pass, latest: "2026-05-04"),
            Self.row(
                "Weights", owner: "Ash", variation: .commonCause, assurance: .pass, latest: "2026-01-05", overdue: true),
            Self.row(
                "Restraint", owner: "Ash", variation: .improvementLow, assurance: .hitAndMiss, latest: "2026-05-11"),
            Self.row("Shifts", owner: "Cedar", variation: .commonCause, assurance: .fail, latest: "2026-05-11"),
            Self.row("Bank shifts", owner: "Willow", variation: .concernLow, assurance: nil, latest: "2026-04-06"),
            Self.row("Assaults", owner: "Cedar", variation: .concernHigh, assurance: .fail, latest: "2026-03-02"),
        ]
        #expect(MeasureSummaryPage.Filter().sort == .need)
        #expect(
            MeasureSummaryPage.Sort.need.sorted(rows).map(\.name)
                == ["Assaults", "Bank shifts", "Shifts", "Weights", "Restraint", "Falls"])
    }

    @Test(
        "the summary comes a hundred rows a page, the order and filters kept from page to page; a page number out of range is refused"
    )
    func paging() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (directorate, willow, _) = try await Self.world(app, browser)
            for number in 1...130 {
                let measure = Measure()
                measure.$unit.id = willow.id!
                measure.name = String(format: "Indicator %03d", number)
                measure.kind = .process
                measure.definition = "Counted"
                measure.frequency = .weekly
                measure.chartType = "i"
                measure.rules = "mdc"
                measure.direction = "up"
                measure.multiply = 1
                try await measure.create(on: app.db)
            }
            let path = "/units/\(directorate.id!.uuidString)/measures"
            let first = try await browser.get(path + "?sort=name")
            #expect(first.body.components(separatedBy: "<tr").count - 2 == 100)
            #expect(first.body.contains("130 measures, page 1 of 2"))
            #expect(first.body.contains(#"<a rel="next" href="\#(path)?sort=name&amp;page=2">Next page →</a>"#))
            let second = try await browser.get(path + "?sort=name&page=2")
            #expect(second.body.components(separatedBy: "<tr").count - 2 == 30)
            #expect(second.body.contains("Indicator 101") && !second.body.contains("Indicator 100<"))
            #expect(second.body.contains(#"<a rel="prev" href="\#(path)?sort=name">← Previous page</a>"#))
            // Past the last page: the last page. Not a number, or absurd: refused, not a crash.
            #expect(try await browser.get(path + "?page=7").body.contains("130 measures, page 2 of 2"))
            for page in ["99999999999999999999", "\(Int.max)", "0", "two"] {
                #expect(try await browser.get(path + "?page=\(page)").status == .unprocessableEntity, "\(page)")
            }
            // A new measure with no data is not overdue for six weeks; by default the order is by need.
            #expect(!first.body.contains("data overdue"))
            #expect(try await browser.get(path).body.contains("In order of need"))
        }
    }

    @Test("every sortable column sorts both ways, ties by name, and the headers say which way")
    func sorting() {
        let rows = [
            Self.row("Falls", owner: "Willow", variation: .commonCause, assurance: .pass, latest: "2026-05-04"),
            Self.row("Assaults", owner: "Cedar", variation: .concernHigh, assurance: .fail, latest: "2026-03-02"),
            Self.row(
                "Restraint", owner: "Ash", variation: .improvementLow, assurance: .hitAndMiss, latest: "2026-05-11"),
            Self.row("Bank shifts", owner: "Willow", variation: .concernLow, assurance: nil, latest: "2026-04-06"),
        ]
        func names(_ sort: MeasureSummaryPage.Sort, _ descending: Bool = false) -> [String] {
            sort.sorted(rows, descending: descending).map(\.name)
        }
        #expect(names(.name) == ["Assaults", "Bank shifts", "Falls", "Restraint"])
        #expect(names(.name, true) == ["Restraint", "Falls", "Bank shifts", "Assaults"])
        #expect(names(.owner) == ["Restraint", "Assaults", "Bank shifts", "Falls"])
        #expect(names(.owner, true) == ["Bank shifts", "Falls", "Assaults", "Restraint"], "ties stay A to Z")
        #expect(names(.variation) == ["Assaults", "Bank shifts", "Restraint", "Falls"], "concerns first")
        #expect(names(.variation, true) == ["Falls", "Restraint", "Assaults", "Bank shifts"])
        #expect(names(.assurance) == ["Assaults", "Restraint", "Falls", "Bank shifts"], "failing first, none last")
        #expect(names(.latest) == ["Assaults", "Bank shifts", "Falls", "Restraint"], "stalest first")
        #expect(names(.latest, true) == ["Restraint", "Falls", "Bank shifts", "Assaults"])

        let unitID = UUID()
        var filter = MeasureSummaryPage.Filter()
        filter.concernOnly = true
        filter.sort = .variation
        let html = MeasureSummaryPage.View(
            context: .signedOut(csrfToken: "t"),
            model: .init(
                unitID: unitID, unitPath: "Trust", filter: filter, total: 4, concerns: 2, failing: 1, matching: 4,
                rows: MeasureSummaryPage.Sort.variation.sorted(rows), canAdd: false)
        ).render()
        let base = "/units/\(unitID.uuidString)/measures?concern=yes"
        #expect(html.contains(#"<th scope="col" aria-sort="ascending"><a href="\#(base)&sort=variation&order=desc""#))
        #expect(html.contains(#"<th scope="col"><a href="\#(base)&sort=owner""#))
        #expect(html.contains(#"<input type="hidden" name="sort" value="variation""#), "filtering keeps the order")
    }
}
