import Fluent
import Foundation
import SPC
import Vapor

/// Every measure of a unit and the units below it, each in one row from its cached summary:
/// sparkline, latest value, Making Data Count icons and target.
enum MeasureSummaryPage {
    enum Sort: String, CaseIterable, Sendable {
        case name, variation, assurance, latest

        var label: String {
            switch self {
            case .name: "Name"
            case .variation: "Variation (concerns first)"
            case .assurance: "Assurance (failing first)"
            case .latest: "Latest data (oldest first)"
            }
        }
    }

    struct Filter: Sendable, Equatable {
        var search = ""
        var kind: MeasureKind?
        var concernOnly = false
        var failingOnly = false
        var sort = Sort.name
    }

    struct Row: Sendable, Equatable {
        let id: UUID
        let name: String
        let kind: MeasureKind
        let owner: PageContext.Link
        let recent: [Double?]
        let latestClass: PointClass
        let latestValue: Double?
        let latestPeriod: Date?
        let variation: VariationIcon?
        let assurance: AssuranceIcon?
        let target: Double?
        let unitOfMeasure: String?
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        var filter: Filter
        /// How many measures the unit has before filtering, and how many show a concern or fail their target.
        var total: Int
        var concerns: Int
        var failing: Int
        var rows: [Row]
        var canAdd: Bool
    }
}

extension MeasureSummaryPage.Filter {
    init(query: URLQueryContainer) {
        search = (query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        kind = query[String.self, at: "kind"].flatMap(MeasureKind.init(rawValue:))
        concernOnly = query[String.self, at: "concern"] == "yes"
        failingOnly = query[String.self, at: "failing"] == "yes"
        sort = query[String.self, at: "sort"].flatMap(MeasureSummaryPage.Sort.init(rawValue:)) ?? .name
    }

    /// The query string that reproduces this filter, for links that change one part of it.
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if !search.isEmpty { items.append(("q", search)) }
        if let kind { items.append(("kind", kind.rawValue)) }
        if concernOnly { items.append(("concern", "yes")) }
        if failingOnly { items.append(("failing", "yes")) }
        if sort != .name { items.append(("sort", sort.rawValue)) }
        return items
    }
}

extension MeasureSummaryPage.Model {
    static func query(unitID: UUID, filter: MeasureSummaryPage.Filter, policy: Policy, on db: any Database)
        async throws -> Self
    {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw Abort(.notFound, reason: "There is no unit with this address. It may have been mistyped.")
        }
        // One query: the measures joined to their summaries; charts are not recomputed here.
        let measures = try await Measure.query(on: db)
            .filter(\.$unit.$id ~~ Array(tree.subtree(of: unitID)))
            .filter(\.$archivedAt == nil)
            .join(MeasureSummary.self, on: \Measure.$id == \MeasureSummary.$measure.$id, method: .left)
            .all()
        let projectIDs = Set(measures.compactMap { $0.$project.id })
        var projectTitles: [UUID: String] = [:]
        if !projectIDs.isEmpty {
            for project in try await Project.query(on: db).filter(\.$id ~~ Array(projectIDs)).field(\.$id)
                .field(\.$title).all()
            {
                if let id = project.id { projectTitles[id] = project.title }
            }
        }
        var rows: [MeasureSummaryPage.Row] = []
        rows.reserveCapacity(measures.count)
        for measure in measures {
            let summary = try? measure.joined(MeasureSummary.self)
            let owner: PageContext.Link =
                if let projectID = measure.$project.id {
                    .init(
                        label: projectTitles[projectID] ?? "Project",
                        url: SiteURL.projects(.show(.value(projectID))).relativeURL())
                } else {
                    .init(
                        label: tree.path(of: measure.$unit.id, below: unitID),
                        url: SiteURL.units(.show(.value(measure.$unit.id))).relativeURL())
                }
            rows.append(
                .init(
                    id: try measure.requireID(), name: measure.name, kind: measure.kind, owner: owner,
                    recent: summary?.recentValues ?? [], latestClass: summary?.latestPointClass ?? .common,
                    latestValue: summary?.latestValue, latestPeriod: summary?.latestPeriod,
                    variation: summary.flatMap { $0.points > 0 ? $0.variationIcon : nil },
                    assurance: summary?.assuranceIcon, target: measure.target, unitOfMeasure: measure.unitOfMeasure))
        }
        let concerns = rows.filter { $0.variation?.isConcern == true }.count
        let failing = rows.filter { $0.assurance == .fail }.count
        let total = rows.count
        rows = rows.filter { row in
            (filter.kind == nil || row.kind == filter.kind)
                && (!filter.concernOnly || row.variation?.isConcern == true)
                && (!filter.failingOnly || row.assurance == .fail)
                && (filter.search.isEmpty || row.name.localizedCaseInsensitiveContains(filter.search)
                    || row.owner.label.localizedCaseInsensitiveContains(filter.search))
        }
        rows.sort(by: filter.sort.areInOrder)
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID), filter: filter, total: total, concerns: concerns,
            failing: failing, rows: rows, canAdd: policy.allows(.manageUnitMeasures(unitID)))
    }
}

extension MeasureSummaryPage.Sort {
    /// Each order puts what needs attention first, then sorts by name.
    func areInOrder(_ a: MeasureSummaryPage.Row, _ b: MeasureSummaryPage.Row) -> Bool {
        let name = { a.name.localizedStandardCompare(b.name) == .orderedAscending }
        switch self {
        case .name:
            return name()
        case .variation:
            let (ra, rb) = (a.variation?.attentionRank ?? 9, b.variation?.attentionRank ?? 9)
            return ra != rb ? ra < rb : name()
        case .assurance:
            let (ra, rb) = (a.assurance?.attentionRank ?? 9, b.assurance?.attentionRank ?? 9)
            return ra != rb ? ra < rb : name()
        case .latest:
            let (da, db) = (a.latestPeriod ?? .distantPast, b.latestPeriod ?? .distantPast)
            return da != db ? da < db : name()
        }
    }
}

extension VariationIcon {
    var isConcern: Bool { self == .concernHigh || self == .concernLow }

    /// Concerns first, then improvements, then other special causes, then common cause.
    var attentionRank: Int {
        switch self {
        case .concernHigh, .concernLow: 0
        case .improvementHigh, .improvementLow: 1
        case .neutralHigh, .neutralLow: 2
        case .commonCause: 3
        }
    }
}

extension AssuranceIcon {
    var attentionRank: Int {
        switch self {
        case .fail: 0
        case .hitAndMiss: 1
        case .pass: 2
        }
    }
}
