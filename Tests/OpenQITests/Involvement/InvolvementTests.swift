import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Involvement analytics (issue 22): completed projects by the highest involvement of a service
/// user or carer on the team, against whether the aim was achieved in full.
@Suite("Service users' involvement against aims achieved")
struct InvolvementTests {
    @Test(
        "the relative likelihood with a full partner and its 95% interval agree with a calculation by hand, overall, by part and by year"
    )
    func byHand() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let world = try await TestWorld.make(app)
            let lead = try await fixtures.person("Lead", unit: world.willow)
            let serviceUser = try await fixtures.person("Sam User", kind: .serviceUser, unit: world.willow)
            let carer = try await fixtures.person("Cara Carer", kind: .carer, unit: world.oak)
            let staff = try await fixtures.person("Stan Staff", unit: world.willow)
            let year2025 = CalendarDay(parsing: "2025-06-30", as: .iso)!.date
            let year2026 = CalendarDay(parsing: "2026-06-30", as: .iso)!.date
            var number = 0
            /// A completed project at `unit`, closed on `closed`, with these team members and result.
            func project(
                _ unit: Unit, _ aim: AimAchieved?, closed: Date, team: [(Person, ServiceUserInvolvement)],
                status: ProjectStatus = .completed
            ) async throws {
                number += 1
                let project = try await fixtures.approvedProject(
                    "Project \(number)", unit: unit, lead: lead, approvedAt: closed.addingTimeInterval(-200 * 86_400),
                    completedAt: closed)
                project.status = status
                project.aimAchieved = aim
                try await project.save(on: app.db)
                for (person, involvement) in team {
                    try await TeamMember(
                        projectID: project.requireID(), personID: person.requireID(), role: "Member", isLead: false,
                        involvement: involvement
                    ).create(on: app.db)
                }
            }
            // With a full partner: 3 of 4 achieved (one on Oak, in the other directorate, in 2025).
            try await project(world.willow, .yes, closed: year2026, team: [(serviceUser, .fullPartner)])
            try await project(
                world.willow, .yes, closed: year2026, team: [(serviceUser, .fullPartner), (carer, .occasional)])
            try await project(world.cedar, .partly, closed: year2026, team: [(carer, .fullPartner)])
            try await project(world.oak, .yes, closed: year2025, team: [(carer, .fullPartner)])
            // Occasionally: 1 of 2.
            try await project(world.willow, .yes, closed: year2026, team: [(serviceUser, .occasional)])
            try await project(world.oak, .no, closed: year2025, team: [(carer, .occasional)])
            // None: 1 of 4, one of them with staff marked (wrongly) as a full partner, which does not count.
            try await project(world.willow, .yes, closed: year2026, team: [(staff, .fullPartner)])
            try await project(world.willow, .no, closed: year2026, team: [])
            try await project(world.cedar, .no, closed: year2025, team: [(serviceUser, .none)])
            try await project(world.oak, .partly, closed: year2025, team: [])
            // Not counted: no result recorded, or not completed.
            try await project(world.willow, nil, closed: year2026, team: [(serviceUser, .fullPartner)])
            try await project(
                world.willow, .yes, closed: year2026, team: [(serviceUser, .fullPartner)], status: .stopped)

            let policy = try await fixtures.administratorPolicy()
            let analysis = try await InvolvementAnalysis.query(
                unitID: world.trust.requireID(), tree: policy.tree, on: app.db)
            #expect(analysis.overall.byInvolvement[.fullPartner] == .init(completed: 4, achieved: 3))
            #expect(analysis.overall.byInvolvement[.occasional] == .init(completed: 2, achieved: 1))
            #expect(analysis.overall.byInvolvement[.none] == .init(completed: 4, achieved: 1))
            // By hand: (3/4) ÷ (2/6) = 2.25; SE of ln RR = √(1/3 − 1/4 + 1/2 − 1/6) = √(5/12).
            let estimate = try #require(analysis.overall.estimate)
            let error = (5.0 / 12).squareRoot()
            #expect(abs(estimate.ratio - 2.25) < 1e-12)
            #expect(abs(estimate.lower - exp(log(2.25) - 1.96 * error)) < 1e-12)
            #expect(abs(estimate.upper - exp(log(2.25) + 1.96 * error)) < 1e-12)
            #expect(abs(estimate.lower - 0.6349) < 1e-4 && abs(estimate.upper - 7.973) < 1e-3)

            // Adult Mental Health: full 2 of 3, others 2 of 4; Forensic: full 1 of 1, others 0 of 2.
            #expect(analysis.byPart.map(\.label) == ["Adult Mental Health", "Forensic Services"])
            let adult = analysis.byPart[0]
            #expect(adult.full == .init(completed: 3, achieved: 2) && adult.others == .init(completed: 4, achieved: 2))
            #expect(abs((adult.estimate?.ratio ?? 0) - (2.0 / 3) / (2.0 / 4)) < 1e-12)
            #expect(analysis.byPart[1].estimate == nil, "none achieved without a partner: no ratio")
            #expect(analysis.byYear.map(\.label) == ["2026", "2025"])
            #expect(analysis.byYear[0].full == .init(completed: 3, achieved: 2))
            #expect(analysis.byYear[0].others == .init(completed: 3, achieved: 2))

            // The portfolio's share of active projects with a full partner counts by the same rule:
            // a service user or carer, not staff marked so.
            try await project(world.willow, nil, closed: year2026, team: [(staff, .fullPartner)], status: .active)
            try await project(world.willow, nil, closed: year2026, team: [(carer, .fullPartner)], status: .active)
            let portfolio = try await PortfolioPage.Model.compute(
                unitID: world.trust.requireID(), tree: policy.tree, on: app.db, now: Date())
            #expect(portfolio.fullPartners.count == 1)
            #expect(try await fixtures.projectsListed(at: portfolio.fullPartners.url, policy: policy) == 1)

            // The page says it in words, with the counts beneath.
            let browser = TestBrowser(app: app)
            _ = try await fixtures.signIn("viewer@test.example", role: .viewer, at: world.trust)
            _ = try await browser.signIn("viewer@test.example")
            let page = try await browser.get("/units/\(world.trust.id!)/involvement").body
            #expect(
                page.contains(
                    "achieved their aim 2.25 times as often as those without one, consulted occasionally or not involved (95% confidence interval 0.63 to 7.97; 3 of 4 against 2 of 6). The interval includes 1: no clear difference yet."
                ))
            #expect(page.contains("<td>Too few to say</td>"))
            #expect(
                try await browser.get("/units/\(world.trust.id!)/portfolio").body.contains(
                    "/involvement\">what full partners add to aims achieved"))

            // The API gives the same figures, the organisation's unless a unit is named.
            let api = try await browser.get("/api/v1/involvement")
            #expect(api.status == .ok)
            let figures = try JSONDecoder().decode(InvolvementDTO.self, from: Data(api.body.utf8))
            #expect(figures.unit_id == world.trust.id)
            #expect(figures.overall.with_full_partner == .init(.init(completed: 4, achieved: 3)))
            #expect(figures.overall.without == .init(.init(completed: 6, achieved: 2)))
            #expect(figures.overall.by_involvement["occasional"] == .init(.init(completed: 2, achieved: 1)))
            #expect(abs((figures.overall.relative_likelihood?.ratio ?? 0) - 2.25) < 1e-12)
            #expect(figures.by_part.last?.relative_likelihood == nil)
            let forensic = try await browser.get("/api/v1/involvement?unit=\(world.otherDirectorate.id!)")
            #expect(
                try JSONDecoder().decode(InvolvementDTO.self, from: Data(forensic.body.utf8)).by_part.map(\.label) == [
                    "Oak Ward"
                ])
            #expect(try await browser.get("/api/v1/involvement?unit=nonsense").status == .unprocessableEntity)
        }
    }

    @Test(
        "no ratio where a group is empty or achieved nothing, nor an interval where every project achieved its aim; the unit's own projects come last"
    )
    func undefinedAndHeldDirectly() async throws {
        typealias Tally = InvolvementAnalysis.Tally
        #expect(InvolvementAnalysis.relativeLikelihood(Tally(completed: 2, achieved: 2), against: Tally()) == nil)
        #expect(
            InvolvementAnalysis.relativeLikelihood(
                Tally(completed: 2, achieved: 0), against: Tally(completed: 3, achieved: 1)) == nil)
        #expect(
            InvolvementAnalysis.relativeLikelihood(
                Tally(completed: 2, achieved: 2), against: Tally(completed: 3, achieved: 3)) == nil)
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let world = try await TestWorld.make(app)
            let lead = try await fixtures.person("Lead", unit: world.directorate)
            for unit in [world.directorate, world.willow] {
                let project = try await fixtures.approvedProject(
                    "At \(unit.name)", unit: unit, lead: lead, approvedAt: Date(timeIntervalSince1970: 1.7e9),
                    completedAt: Date(timeIntervalSince1970: 1.72e9))
                project.aimAchieved = .yes
                try await project.save(on: app.db)
            }
            let policy = try await fixtures.administratorPolicy()
            let analysis = try await InvolvementAnalysis.query(
                unitID: world.directorate.requireID(), tree: policy.tree, on: app.db)
            #expect(analysis.byPart.map(\.label) == ["Willow Ward", "Adult Mental Health (held directly)"])
        }
    }

    @Test("on the demo organisation the analysis agrees with a count made project by project")
    func demo() async throws {
        try await withOpenQI(demo: true) { app in
            let fixtures = Fixtures(app: app)
            let policy = try await fixtures.administratorPolicy()
            let trust = try #require(policy.tree.nodes.values.first { $0.parentID == nil && $0.kind == .organisation })
            let analysis = try await InvolvementAnalysis.query(unitID: trust.id, tree: policy.tree, on: app.db)
            // By hand: each completed project with a result, its team's service users and carers.
            var full = (completed: 0, achieved: 0)
            var others = (completed: 0, achieved: 0)
            let projects = try await Project.query(on: app.db).filter(\.$status == .completed)
                .with(\.$team) { $0.with(\.$person) }.all()
            for project in projects {
                guard let aim = project.aimAchieved else { continue }
                let partnered = project.team.contains {
                    $0.involvement == .fullPartner && [.serviceUser, .carer].contains($0.person.kind)
                }
                let achieved = aim == .yes ? 1 : 0
                if partnered {
                    full = (full.completed + 1, full.achieved + achieved)
                } else {
                    others = (others.completed + 1, others.achieved + achieved)
                }
            }
            #expect(analysis.overall.full == .init(completed: full.completed, achieved: full.achieved))
            #expect(analysis.overall.others == .init(completed: others.completed, achieved: others.achieved))
            let ratio =
                (Double(full.achieved) / Double(full.completed)) / (Double(others.achieved) / Double(others.completed))
            let estimate = try #require(analysis.overall.estimate)
            #expect(abs(estimate.ratio - ratio) < 1e-12)
            // The demo's teams with a full partner do better, as ELFT's did, and the interval says so.
            #expect(estimate.ratio > 1.3 && estimate.lower > 1, "\(estimate)")
        }
    }
}
