import Fluent
import Foundation
import OpenQI

/// The demo's annual plans for this year: the trust's, and under it one per directorate, each a
/// driver diagram whose boxes link to some of the directorate's projects and ward indicators and to
/// the trust's programmes. Most projects stay linked to no plan box, as in a real first year.
enum DemoPlans {
    static func load(_ organisation: DemoOrganisation, on db: any Database, now: Date = AppClock.now) async throws {
        guard let trust = organisation.units.first(where: { $0.kind == .organisation && $0.parentID == nil }) else {
            return
        }
        // A plan runs with the financial year, from April.
        let today = CalendarDay(containing: now).month
        let year = today.month >= 4 ? today.year : today.year - 1
        let children = Dictionary(grouping: organisation.units, by: \.parentID)
        func subtree(_ id: UUID) -> [UUID] { [id] + (children[id] ?? []).flatMap { subtree($0.id) } }
        let programmes = try await Programme.query(on: db).sort(\.$name).all()
        let violence = programmes.first { $0.name == "Violence reduction" }
        let access = programmes.first { $0.name == "Access" }

        let trustPlan = AnnualPlan(
            unitID: trust.id, year: year,
            aim: "Safer wards and timely care this year: the strategy’s first two priorities delivered at scale")
        try await trustPlan.create(on: db)
        let trustDrivers = try await diagram(
            for: .plan(trustPlan.id!), primaries: ["Safer inpatient care", "Timely access to care"], secondaries: [],
            ideas: [], on: db)
        var links: [PlanLink] = []
        if let violence {
            links.append(PlanLink(planID: trustPlan.id!, box: .driver(trustDrivers[0]), work: .programme(violence.id!)))
        }
        if let access {
            links.append(PlanLink(planID: trustPlan.id!, box: .driver(trustDrivers[1]), work: .programme(access.id!)))
        }

        for directorate in organisation.units.filter({ $0.kind == .directorate }) {
            let units = subtree(directorate.id)
            let plan = AnnualPlan(
                unitID: directorate.id, year: year,
                aim: "\(directorate.name): fewer people harmed in our care and shorter waits by March \(year + 1)",
                parentID: trustPlan.id)
            try await plan.create(on: db)
            let boxes = try await diagram(
                for: .plan(plan.id!), primaries: ["Safer care", "Timely access"],
                secondaries: [
                    ("Fewer falls and less violence on our wards", 0), ("Shorter waits for a first appointment", 1),
                ],
                ideas: [("Safety huddles on every ward", 2), ("Daily triage of new referrals", 3)], on: db)
            let projects = try await Project.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$status == .active)
                .sort(\.$title).range(..<4).all()
            for (index, project) in projects.enumerated() {
                links.append(
                    PlanLink(planID: plan.id!, box: .driver(boxes[2 + index % 2]), work: .project(project.id!)))
            }
            let indicators = try await Measure.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$project.$id == nil)
                .sort(\.$name).range(..<2).all()
            for (index, measure) in indicators.enumerated() {
                links.append(PlanLink(planID: plan.id!, box: .driver(boxes[index % 2]), work: .measure(measure.id!)))
            }
            if let violence {
                links.append(PlanLink(planID: plan.id!, box: .driver(boxes[2]), work: .programme(violence.id!)))
            }
            if let access {
                links.append(PlanLink(planID: plan.id!, box: .driver(boxes[3]), work: .programme(access.id!)))
            }
        }
        for batch in links.chunked(into: 500) { try await Array(batch).create(on: db) }
    }

    /// Draws a diagram: its primaries, its secondaries (each moving the primary of that index) and
    /// change ideas (each acting on the driver of that index, counting primaries first). Answers
    /// the drivers' ids, primaries first.
    private static func diagram(
        for owner: DiagramOwner.Key, primaries: [String], secondaries: [(String, Int)], ideas: [(String, Int)],
        on db: any Database
    ) async throws -> [UUID] {
        var drivers: [Driver] = []
        for (index, text) in primaries.enumerated() {
            let driver = Driver(owner: owner, level: .primary, text: text, position: index)
            try await driver.create(on: db)
            drivers.append(driver)
        }
        for (index, (text, primary)) in secondaries.enumerated() {
            let driver = Driver(owner: owner, level: .secondary, text: text, position: primaries.count + index)
            try await driver.create(on: db)
            try await driver.$primaries.attach(drivers[primary], on: db)
            drivers.append(driver)
        }
        for (index, (title, driver)) in ideas.enumerated() {
            let idea = ChangeIdea(owner: owner, title: title, summary: nil, position: index)
            try await idea.create(on: db)
            try await idea.$drivers.attach(drivers[driver], on: db)
        }
        return drivers.compactMap(\.id)
    }
}
