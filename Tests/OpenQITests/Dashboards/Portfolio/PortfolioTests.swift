import Fluent
import Foundation
import SPC
import Testing
import Vapor

@testable import OpenQI
@testable import OpenQIDemo

@Suite("Portfolio dashboard")
struct PortfolioTests {
    /// The figures' links, with the count each shows: `<a href="…"><strong>12</strong>…` or a table cell.
    static func figures(in html: String) -> [(url: String, count: Int)] {
        let pattern = #/<a href="(/projects\?[^"]+)">(?:<strong>)?(\d+)</#
        return html.matches(of: pattern).compactMap { match in
            Int(match.2).map { (String(match.1).replacingOccurrences(of: "&amp;", with: "&"), $0) }
        }
    }

    @Test("every figure of the trust's portfolio links to a list of exactly that many projects")
    func figuresMatchTheirLists() async throws {
        try await withOpenQI(demo: true) { app in
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@example.org", password: DemoOrganisation.password)
            let trust = try #require(
                try await Unit.query(on: app.db).filter(\.$parent.$id == nil)
                    .filter(\.$kind == .organisation).first())
            let page = try await browser.get("/units/\(trust.id!.uuidString)/portfolio")
            #expect(page.status == .ok)
            #expect(page.body.contains("Active projects"))
            #expect(page.body.contains("class=\"spc-chart\""), "counts over time are run charts")
            var figures = Self.figures(in: page.body)
            #expect(figures.count > 25)
            // The full-partner share links to the projects it counts: "<strong>57%</strong>of active
            // projects (12 of 21)".
            let share = try #require(
                page.body.firstMatch(
                    of:
                        #/<a href="(/projects\?[^"]+full_partners=yes)"><strong>\d+%</strong>of active projects \((\d+) of (\d+)\)/#
                ))
            figures.append((String(share.1).replacingOccurrences(of: "&amp;", with: "&"), Int(share.2)!))
            #expect(Int(share.3) == (try await Project.query(on: app.db).filter(\.$status == .active).count()))
            #expect(
                figures.contains { $0.url.contains("active_in=") }
                    && figures.contains { $0.url.contains("completed_in=") })
            #expect(figures.contains { $0.url.contains("priority=none") })
            let total = try await Project.query(on: app.db).count()
            #expect(figures.first?.count == total)
            for figure in figures where figure.count <= ProjectIndex.Model.limit {
                let list = try await browser.get(figure.url)
                let shown =
                    list.body.components(separatedBy: "<tbody>").last?.components(separatedBy: "<tr>").count
                    ?? 1
                #expect(
                    list.body.contains(figure.count == 1 ? "1 project<" : "\(figure.count) projects<"),
                    "\(figure.url) should list \(figure.count) projects")
                #expect(figure.count == 0 || shown - 1 == figure.count, "\(figure.url)")
            }
            // A focused list says what it shows and offers the way back.
            let stalled = try #require(figures.first { $0.url.contains("stalled=yes") })
            let list = try await browser.get(stalled.url)
            #expect(list.body.contains("Showing projects active with no update for six weeks."))
        }
    }
}

extension PortfolioTests {
    @Test("stalled: six weeks from the latest update or the approval; eight weeks of data, each point its whole period")
    func stalledProjects() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let directorate = try await fixtures.unit("Community", kind: .directorate, parent: trust)
            let ward = try await fixtures.unit("Willow", kind: .ward, parent: directorate)
            let elsewhere = try await fixtures.unit("Elsewhere", kind: .directorate, parent: trust)
            let lead = try await fixtures.person("Lead", unit: ward)
            let now = try #require(CalendarDay.date("2026-06-15"))
            func ago(weeks: Double) -> Date { now.addingTimeInterval(-weeks * 7 * 86_400) }
            func project(_ title: String, approved: Double, updated: Double? = nil, unit: Unit? = nil) async throws
                -> Project
            {
                try await fixtures.approvedProject(
                    title, unit: unit ?? ward, lead: lead, approvedAt: ago(weeks: approved),
                    lastUpdateAt: updated.map { ago(weeks: $0) })
            }
            // (title, stalled for updates, stalled for data)
            var expected: [String: (updates: Bool, data: Bool)] = [:]

            try await project("Approved ten weeks ago, nothing since", approved: 10)
            expected["Approved ten weeks ago, nothing since"] = (true, true)
            try await project("Approved three weeks ago", approved: 3)
            expected["Approved three weeks ago"] = (false, false)
            // The project was edited yesterday, which is not progress.
            let edited = try await project("Edited, not updated", approved: 20, updated: 7)
            edited.title = "Edited, not updated"
            try await edited.update(on: app.db)
            try await fixtures.measure(
                "Weekly, ten weeks old", project: edited, unit: ward, periods: [ago(weeks: 12), ago(weeks: 10)])
            // An archived measure with fresh data does not keep the project fresh.
            try await fixtures.measure(
                "Archived", project: edited, unit: ward, periods: [ago(weeks: 1)], archived: true)
            expected["Edited, not updated"] = (true, true)

            let monthly = try await project("Monthly, April's point", approved: 50, updated: 5)
            try await fixtures.measure(
                "Monthly", project: monthly, unit: ward, frequency: .monthly,
                periods: [CalendarDay.date("2026-03-01")!, CalendarDay.date("2026-04-01")!])
            expected["Monthly, April's point"] = (false, false)
            let february = try await project("Monthly, February's point", approved: 50, updated: 2)
            try await fixtures.measure(
                "Monthly", project: february, unit: ward, frequency: .monthly,
                periods: [CalendarDay.date("2026-02-01")!]
            )
            expected["Monthly, February's point"] = (false, true)
            let quarterly = try await project("Quarterly, first quarter", approved: 50, updated: 2)
            try await fixtures.measure(
                "Quarterly", project: quarterly, unit: ward, frequency: .quarterly,
                periods: [CalendarDay.date("2026-01-01")!])
            expected["Quarterly, first quarter"] = (false, false)
            let newMeasure = try await project("A measure defined this month", approved: 50, updated: 1)
            try await fixtures.measure("Defined just now, no data yet", project: newMeasure, unit: ward)
            expected["A measure defined this month"] = (false, false)
            // Outside the directorate: counted for the trust only.
            try await project("Elsewhere, stalled", approved: 30, unit: elsewhere)

            let stalledUpdates = Set(
                try await PortfolioScope.everything.projectIDs(where: [Stalled.awaitingUpdateSQL(now: now)], on: app.db)
            )
            let stalledData = Set(
                try await PortfolioScope.everything.projectIDs(where: [Stalled.withoutDataSQL(now: now)], on: app.db))
            for project in try await Project.query(on: app.db).filter(\.$unit.$id == ward.requireID()).all() {
                let want = try #require(expected[project.title], "\(project.title)")
                #expect(stalledUpdates.contains(project.id!) == want.updates, "no update: \(project.title)")
                #expect(
                    Stalled.awaitsUpdate(project, now: now) == want.updates, "no update, in Swift: \(project.title)")
                #expect(stalledData.contains(project.id!) == want.data, "no data: \(project.title)")
            }

            // The directorate's portfolio counts its own, and each figure's list shows the same projects.
            let policy = try await fixtures.administratorPolicy()
            for (unit, extra) in [(directorate, 0), (trust, 1)] {
                let model = try await PortfolioPage.Model.compute(
                    unitID: unit.requireID(), tree: policy.tree, on: app.db, now: now)
                #expect(model.stalledUpdates.count == expected.values.filter(\.updates).count + extra)
                #expect(model.stalledData.count == expected.values.filter(\.data).count + extra)
                for (figure, focus) in [
                    (model.stalledUpdates, ProjectIndex.Focus(stalled: true)),
                    (model.stalledData, ProjectIndex.Focus(staleData: true)),
                ] {
                    let list = try await ProjectIndex.Model.query(
                        search: nil, status: nil, unitID: unit.requireID(), focus: focus, policy: policy, on: app.db,
                        now: now)
                    #expect(list.total == figure.count, "\(figure.label) of \(unit.name)")
                }
            }
        }
    }

    @Test("coach load counts every project a coach supports, against their own capacity, and lists coaches with room")
    func coachLoad() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let community = try await fixtures.unit("Community", kind: .directorate, parent: trust)
            let forensic = try await fixtures.unit("Forensic", kind: .directorate, parent: trust)
            let lead = try await fixtures.person("Lead", unit: community)
            let busy = try await fixtures.person("Busy Coach", unit: community)
            busy.coachingCapacity = 1
            try await busy.update(on: app.db)
            let steady = try await fixtures.person("Steady Coach", unit: community)
            let idle = try await fixtures.person("Idle Coach", unit: community)
            try await RoleGrant(personID: idle.requireID(), unitID: community.requireID(), role: .coach).create(
                on: app.db)
            for (unit, coach) in [(community, busy), (forensic, busy), (community, steady), (forensic, steady)] {
                try await fixtures.approvedProject(
                    "Coached by \(coach.fullName) in \(unit.name)", unit: unit, lead: lead, approvedAt: Date(),
                    coach: coach)
            }
            let policy = try await fixtures.administratorPolicy()
            let model = try await PortfolioPage.Model.compute(
                unitID: community.requireID(), tree: policy.tree, on: app.db, now: Date())
            #expect(model.coaches.map(\.name) == ["Busy Coach", "Steady Coach", "Idle Coach"])
            let busyLoad = try #require(model.coaches.first)
            #expect(busyLoad.here.count == 1 && busyLoad.inAll.count == 2 && busyLoad.capacity == 1)
            #expect(busyLoad.isOverCapacity)
            let steadyLoad = model.coaches[1]
            #expect(steadyLoad.inAll.count == 2 && steadyLoad.capacity == Person.usualCoachingCapacity)
            #expect(!steadyLoad.isOverCapacity && steadyLoad.spare == 0)
            #expect(model.coaches[2].inAll.count == 0 && model.coaches[2].spare == Person.usualCoachingCapacity)
            // The coach over capacity is told so at home, with the list; the one at capacity is not.
            func tasks(of person: Person) async throws -> [MyTask] {
                let viewer = Viewer(
                    accountID: UUID(), personID: try person.requireID(), name: person.fullName,
                    email: "coach@test.example",
                    isAdministrator: false, mustChangePassword: false, sessionID: UUID(), csrfToken: "t", grants: [])
                return try await MyTasks.query(policy: Policy(viewer: viewer, tree: policy.tree), on: app.db)
            }
            let told = try await tasks(of: busy)
            #expect(
                told.map(\.text)
                    == [
                        "You coach 2 active projects, more than the 1 you have room for: ask your QI team to share them out."
                    ])
            #expect(try await fixtures.projectsListed(at: try #require(told.first).url, policy: policy) == 2)
            #expect(try await tasks(of: steady).isEmpty)
            // Each number is the length of the list it links to.
            for load in model.coaches {
                for figure in [load.here, load.inAll] {
                    #expect(
                        try await fixtures.projectsListed(at: figure.url, policy: policy) == figure.count,
                        "\(load.name) \(figure.label)")
                }
            }
        }
    }

    @Test("the months of the run charts count projects active at each month's end and completed in it")
    func monthsOverTime() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let lead = try await fixtures.person("Lead", unit: trust)
            let now = try #require(CalendarDay.date("2026-06-15"))
            try await fixtures.approvedProject(
                "Approved in January, completed in March", unit: trust, lead: lead,
                approvedAt: CalendarDay.date("2026-01-10")!, completedAt: CalendarDay.date("2026-03-05"))
            try await fixtures.approvedProject(
                "Approved in February, still going", unit: trust, lead: lead,
                approvedAt: CalendarDay.date("2026-02-20")!
            )
            let policy = try await fixtures.administratorPolicy()
            let model = try await PortfolioPage.Model.compute(
                unitID: trust.requireID(), tree: policy.tree, on: app.db, now: now)
            let active = Dictionary(uniqueKeysWithValues: model.activeMonths.map { ($0.label, $0.count) })
            #expect(active["2025-12"] == 0 && active["2026-01"] == 1 && active["2026-02"] == 2)
            #expect(active["2026-03"] == 1 && active["2026-06"] == 1)
            let completed = Dictionary(uniqueKeysWithValues: model.completionMonths.map { ($0.label, $0.count) })
            #expect(completed["2026-02"] == 0 && completed["2026-03"] == 1 && completed["2026-04"] == 0)
            #expect(model.completionMonths.last?.label == "2026-05", "June is not over yet")
            #expect(model.activeMonths.count == PortfolioPage.months)
            for month in model.activeMonths.suffix(8) + model.completionMonths.suffix(8) {
                #expect(
                    try await fixtures.projectsListed(at: month.url, policy: policy, now: now) == month.count,
                    "\(month.url)")
            }
        }
    }

    @Test("a project's measures move with it to another unit")
    func measuresFollowTheirProject() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let willow = try await fixtures.unit("Willow", kind: .ward, parent: trust)
            let cedar = try await fixtures.unit("Cedar", kind: .ward, parent: trust)
            let lead = try await fixtures.person("Lead", unit: willow)
            let project = try await fixtures.approvedProject("Falls", unit: willow, lead: lead, approvedAt: Date())
            let measure = try await fixtures.measure("Falls", project: project, unit: willow, periods: [Date()])
            let input = ProjectInput(
                title: "Falls", unit_id: try cedar.requireID().uuidString, what_matters: project.whatMatters,
                problem: project.problem, aim_what: "Reduce falls", aim_how_much: "by 30%",
                aim_by_when: CalendarDay.text(Date().addingTimeInterval(200 * 86_400)), priority_ids: nil,
                partner_organisations: nil)
            let draft = try input.validate(
                in: try await UnitTree.load(on: app.db), priorities: PriorityChoices([]),
                programmes: ProgrammeOffer([], kept: nil))
            try await project.update(with: draft, expecting: project.version, by: .commandLine, on: app.db)
            let moved = try #require(try await Measure.find(measure.requireID(), on: app.db))
            #expect(moved.$unit.id == cedar.id)
        }
    }
}

@Suite("Ward early warning")
struct EarlyWarningTests {
    @Test("wards drifting the wrong way on several indicators come first, each cell linking to its chart")
    func troubledWardsStandOut() async throws {
        try await withOpenQI(demo: true) { app in
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@example.org", password: DemoOrganisation.password)
            let trust = try #require(
                try await Unit.query(on: app.db).filter(\.$parent.$id == nil).filter(\.$kind == .organisation).first())
            let page = try await browser.get("/units/\(trust.id!.uuidString)/early-warning")
            #expect(page.status == .ok)
            let body = try #require(page.body.components(separatedBy: "<tbody>").last)
            let rows = body.components(separatedBy: "<tr").dropFirst()
            #expect(rows.count == (try await Unit.query(on: app.db).filter(\.$kind == .ward).count()))
            #expect(rows.first?.hasPrefix(" class=\"stands-out\"") == true, "the most troubled ward leads")
            #expect(rows.last?.contains("stands-out") == false)
            #expect(page.body.contains("<th scope=\"col\">Shifts filled as planned</th>"))
            // A concern cell is a concern on the measure's own chart.
            let cell = try #require(body.firstMatch(of: #/class="cell concern"><a href="/measures/([0-9A-F-]{36})"/#))
            let summary = try #require(
                try await MeasureSummary.query(on: app.db).filter(\.$measure.$id == UUID(uuidString: String(cell.1))!)
                    .first())
            #expect(summary.variationIcon.isConcern)
        }
    }

    @Test("indicators are matched across wards by name whatever the spelling; stale and duplicate measures are handled")
    func indicatorsAcrossWards() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let willow = try await fixtures.unit("Willow", kind: .ward, parent: trust)
            let cedar = try await fixtures.unit("Cedar", kind: .ward, parent: trust)
            let now = try #require(CalendarDay.date("2026-06-15"))
            let weeks = (0..<30).map { now.addingTimeInterval(Double($0 - 30) * 7 * 86_400) }
            let steady = (0..<30).map { Double([3, 4, 3, 5, 4, 3][$0 % 6]) }
            // Twenty steady weeks, then ten high ones: a shift, and higher is worse.
            let rising = (0..<30).map { $0 < 20 ? Double([3, 4, 3, 5, 4][$0 % 5]) : 12 }
            let willowFalls = try await fixtures.measure("Falls", unit: willow, periods: weeks, values: rising)
            try await fixtures.measure("Restraint", unit: willow, periods: weeks, values: rising)
            try await fixtures.measure("falls ", unit: cedar, periods: weeks, values: steady)
            // Cedar's restraint stopped five weeks ago: the cell says so.
            let cedarRestraint = try await fixtures.measure(
                "Restraint", unit: cedar, periods: Array(weeks.dropLast(5)), values: Array(steady.dropLast(5)))
            // Two measures of one name on a ward: the newer data show.
            try await fixtures.measure("Restraint", unit: cedar, periods: Array(weeks.prefix(10)))

            let model = try await EarlyWarningPage.Model.query(
                unitID: trust.requireID(), policy: try await fixtures.administratorPolicy(), on: app.db, now: now)
            #expect(model.indicators == ["Falls", "Restraint"], "“falls ” is the same indicator")
            #expect(model.wards.map(\.name) == ["Willow", "Cedar"], "the ward with concerns leads")
            let willowRow = try #require(model.wards.first)
            #expect(willowRow.concerns == 2)
            // The concern is what the measure's own chart says, computed afresh from its data.
            let chart = try await MeasureSeries.load(willowFalls, on: app.db).result
            #expect(chart.variation == willowRow.cells["Falls"]?.variation)
            #expect(willowRow.cells["Falls"]?.variation?.isConcern == true)
            let cedarRow = model.wards[1]
            #expect(cedarRow.cells["Falls"]?.variation?.isConcern == false)
            #expect(cedarRow.cells["Restraint"]?.measureID == cedarRestraint.id)
            #expect(cedarRow.cells["Restraint"]?.isStale == true)
            #expect(willowRow.cells["Restraint"]?.isStale == false)

            let html = EarlyWarningPage.View(context: .signedOut(csrfToken: "t"), model: model).render()
            #expect(html.contains("<use href=\"#mdc-variation-concern_high\"/>"), "not colour alone: the icon says it")
            #expect(html.contains("no data since"))
        }
    }
}
