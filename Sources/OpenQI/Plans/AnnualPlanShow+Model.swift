import Fluent
import Foundation
import Vapor

/// An annual plan's page: its aim and diagram, and for each box of the diagram the projects,
/// programmes and measures serving it (the measures as their charts stand), counted.
enum AnnualPlanShow {
    /// A project or programme linked to a box.
    struct Work: Sendable, Equatable {
        let linkID: UUID
        let name: String
        let url: String
        /// For a project, its status; for a programme, its stage.
        let state: String
    }

    struct Box: Sendable, Equatable {
        let box: PlanBox
        let kind: String
        let text: String
        let projects: [Work]
        let programmes: [Work]
        let measures: [MeasureTrend]
        /// Each linked measure's link, to remove it.
        let measureLinks: [UUID: UUID]
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var title: String
        var unitPath: String
        var yearLabel: String
        var aim: String
        var parent: PageContext.Link?
        var below: [PageContext.Link]
        var svg: String
        var boxes: [Box]
        var canManage: Bool
        /// What the link form offers: the diagram's boxes, and the unit's work and the programmes.
        var boxOptions: [FormField.Option]
        var workOptions: [FormField.Option]
        var linkForm = FormState()
        /// Why a removal was refused.
        var problem: String?

        /// Projects serving the plan's boxes, each counted once, as `/strategy` counts them.
        var projects: Int { Set(boxes.flatMap { $0.projects.map(\.url) }).count }
        var programmes: Int { Set(boxes.flatMap { $0.programmes.map(\.url) }).count }
        var measures: Int { Set(boxes.flatMap { $0.measures.map(\.id) }).count }
    }
}

extension AnnualPlanShow.Model {
    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard
            let plan = try await AnnualPlan.query(on: db).filter(\.$id == id).with(\.$unit).with(\.$parent).first()
        else { throw NotFound("plan") }
        let diagram = try await DriverDiagram.load(for: .plan(plan), on: db)
        let links = try await PlanLink.query(on: db).filter(\.$plan.$id == id).with(\.$project).with(\.$programme)
            .with(\.$measure).all()
        let measures = try await MeasureTrend.load(
            Array(
                Dictionary(links.compactMap { link in link.measure.map { ($0.id, $0) } }) { first, _ in first }.values
                    .filter { $0.id != nil }),
            on: db)
        let below = try await AnnualPlan.query(on: db).filter(\.$parent.$id == id).with(\.$unit).all()
        let units = policy.tree

        let choices = try await AnnualPlanShow.LinkChoices.query(for: plan, diagram: diagram, tree: units, on: db)
        let rows = choices.boxes.map { box, kind, text in
            let linked = links.filter { $0.box == box }
            return AnnualPlanShow.Box(
                box: box, kind: kind, text: text,
                projects: linked.compactMap { link in
                    guard let project = link.project, let linkID = link.id, let projectID = project.id else {
                        return nil
                    }
                    return .init(
                        linkID: linkID, name: project.title,
                        url: SiteURL.projects(.show(.value(projectID))).relativeURL(), state: project.status.label)
                }.sorted { $0.name < $1.name },
                programmes: linked.compactMap { link in
                    guard let programme = link.programme, let linkID = link.id, let programmeID = programme.id
                    else { return nil }
                    return .init(
                        linkID: linkID, name: programme.name,
                        url: SiteURL.programmes(.show(.value(programmeID))).relativeURL(), state: programme.stage.label)
                }.sorted { $0.name < $1.name },
                measures: measures.filter { measure in linked.contains { $0.$measure.id == measure.id } },
                measureLinks: Dictionary(
                    linked.compactMap { link in link.$measure.id.flatMap { m in link.id.map { (m, $0) } } }
                ) { first, _ in first })
        }
        return .init(
            id: id, title: plan.title, unitPath: units.path(of: plan.$unit.id), yearLabel: plan.yearLabel,
            aim: plan.aim,
            parent: try await parentLink(plan.parent, on: db),
            below: try below.map {
                .init(label: $0.title, url: SiteURL.plans(.show(.value(try $0.requireID()))).relativeURL())
            }.sorted { $0.label < $1.label },
            svg: diagram.chart(idPrefix: "plan-diagram").svg(), boxes: rows,
            canManage: policy.allows(.managePlans(in: plan.$unit.id)),
            boxOptions: choices.boxOptions, workOptions: choices.work)
    }

    private static func parentLink(_ parent: AnnualPlan?, on db: any Database) async throws -> PageContext.Link? {
        guard let parent else { return nil }
        try await parent.$unit.load(on: db)
        return .init(label: parent.title, url: SiteURL.plans(.show(.value(try parent.requireID()))).relativeURL())
    }

}

extension AnnualPlanShow {
    /// What the link form offers, and names: the boxes of the plan's diagram, and the work that
    /// may serve them. Read on its own to link or unlink, without drawing the plan's page.
    struct LinkChoices: Sendable {
        /// Each box, what kind it is, and its text, in the diagram's order.
        let boxes: [(box: PlanBox, kind: String, text: String)]
        let work: [FormField.Option]

        var boxOptions: [FormField.Option] {
            boxes.map { .init(value: $0.box.value, label: "\($0.text) (\($0.kind.lowercased()))") }
        }

        func name(of box: PlanBox) -> String { boxes.first { $0.box == box }?.text ?? "the box" }

        /// The work's name as the form offers it, without its kind.
        func name(of work: PlanWork) -> String {
            guard let label = self.work.first(where: { $0.value == work.value })?.label else { return "The work" }
            return label.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
                ?? label
        }

        static func query(for plan: AnnualPlan, diagram: DriverDiagram, tree: UnitTree, on db: any Database)
            async throws -> Self
        {
            let boxes: [(box: PlanBox, kind: String, text: String)] =
                diagram.primaries.map { (.driver($0.id), "Primary driver", $0.text) }
                + diagram.secondaries.map { (.driver($0.id), "Secondary driver", $0.text) }
                + diagram.ideas.map { (.idea($0.id), "Change idea", $0.title) }
            return .init(boxes: boxes, work: try await workOptions(for: plan, tree: tree, on: db))
        }

        /// What may serve a plan's box: the projects and measures of the plan's unit and the units
        /// below it, and every programme (a trust's programmes serve its directorates' plans).
        private static func workOptions(for plan: AnnualPlan, tree: UnitTree, on db: any Database) async throws
            -> [FormField.Option]
        {
            let units = Array(tree.subtree(of: plan.$unit.id))
            let projects = try await Project.query(on: db).filter(\.$unit.$id ~~ units)
                .filter(\.$status ~~ [.approved, .active, .completed]).sort(\.$title).all()
            let programmes = try await Programme.query(on: db).sort(\.$name).all()
            let measures = try await Measure.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$project.$id == nil)
                .filter(\.$archivedAt == nil).sort(\.$name).all()
            return projects.compactMap { p in
                p.id.map { .init(value: PlanWork.project($0).value, label: "Project: \(p.title)") }
            }
                + programmes.compactMap { p in
                    p.id.map { .init(value: PlanWork.programme($0).value, label: "Programme: \(p.name)") }
                }
                + measures.compactMap { m in
                    m.id.map {
                        .init(
                            value: PlanWork.measure($0).value,
                            label: "Measure: \(m.name) (\(tree.nodes[m.$unit.id]?.name ?? "unit"))")
                    }
                }
        }
    }
}
