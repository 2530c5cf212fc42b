import Fluent
import Foundation
import SPC
import SQLKit
import Vapor

/// Every measure of a unit and the units below it, each in one row from its cached summary:
/// sparkline, latest value, Making Data Count icons and target.
package enum MeasureSummaryPage {
    /// The orders of the table: by need (the default: what needs attention first), or by one of its
    /// columns. Each column sorts first in the order that puts what needs attention on top (concerns,
    /// failing targets, the stalest data); `descending` turns it round.
    enum Sort: String, CaseIterable, Sendable {
        case need, name, owner, latest, variation, assurance
    }

    /// Rows a page: enough to scan, few enough to draw quickly on a phone.
    static let pageSize = 100

    package struct Filter: Sendable, Equatable {
        var search = ""
        var kind: MeasureKind?
        var concernOnly = false
        var failingOnly = false
        var sort = Sort.need
        var descending = false
        /// Which page of `pageSize` rows, from 1.
        var page = 1

        /// The filter as a query string, with `sort`, its direction and the page as given (a new
        /// order starts at the first page).
        func queryItems(sort: Sort, descending: Bool, page: Int = 1) -> [(String, String)] {
            var items: [(String, String)] = []
            if !search.isEmpty { items.append(("q", search)) }
            if let kind { items.append(("kind", kind.rawValue)) }
            if concernOnly { items.append(("concern", "yes")) }
            if failingOnly { items.append(("failing", "yes")) }
            if sort != .need { items.append(("sort", sort.rawValue)) }
            if descending { items.append(("order", "desc")) }
            if page > 1 { items.append(("page", String(page))) }
            return items
        }
    }

    package struct Row: Sendable, Equatable {
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
        /// Two periods gone by without data, or none six weeks after the measure was defined.
        let isOverdue: Bool
    }

    package struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        var filter: Filter
        /// How many measures the unit has before filtering, and how many show a concern or fail their target.
        var total: Int
        var concerns: Int
        var failing: Int
        /// How many measures the filter matches, over every page.
        var matching: Int
        /// This page's rows.
        package var rows: [Row]
        var canAdd: Bool
    }
}

extension MeasureSummaryPage.Filter {
    package init(query: URLQueryContainer, page: Int = 1) {
        self.page = page
        search = (query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        kind = query[String.self, at: "kind"].flatMap(MeasureKind.init(rawValue:))
        concernOnly = query[String.self, at: "concern"] == "yes"
        failingOnly = query[String.self, at: "failing"] == "yes"
        sort = query[String.self, at: "sort"].flatMap(MeasureSummaryPage.Sort.init(rawValue:)) ?? .need
        descending = query[String.self, at: "order"] == "desc"
    }
}

extension MeasureSummaryPage.Model {
    package static func query(
        unitID: UUID, filter: MeasureSummaryPage.Filter, policy: Policy, on db: any Database, now: Date = AppClock.now
    ) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw NotFound("unit")
        }
        let measures = try await SummaryRow.load(units: Array(tree.subtree(of: unitID)), on: db)
        let projectIDs = Set(measures.compactMap(\.project_id))
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
            let owner: PageContext.Link =
                if let projectID = measure.project_id {
                    .init(
                        label: projectTitles[projectID] ?? "Project",
                        url: SiteURL.projects(.show(.value(projectID))).relativeURL())
                } else {
                    .init(
                        label: tree.path(of: measure.unit_id, below: unitID),
                        url: SiteURL.units(.show(.value(measure.unit_id))).relativeURL())
                }
            rows.append(
                .init(
                    id: measure.id, name: measure.name, kind: MeasureKind(rawValue: measure.kind) ?? .outcome,
                    owner: owner, recent: MeasureSummary.values(measure.recent ?? ""),
                    latestClass: measure.latest_class.flatMap(PointClass.init(rawValue:)) ?? .common,
                    latestValue: measure.latest_value, latestPeriod: measure.latest_period,
                    variation: (measure.points ?? 0) > 0
                        ? measure.variation.flatMap(VariationIcon.init(rawValue:)) : nil,
                    assurance: measure.assurance.flatMap(AssuranceIcon.init(rawValue:)), target: measure.target,
                    unitOfMeasure: measure.unit_of_measure,
                    isOverdue: MeasureFreshness(
                        name: measure.name, frequency: DataFrequency(rawValue: measure.frequency) ?? .monthly,
                        latestPeriod: measure.latest_period, createdAt: measure.created_at
                    ).isOverdue(on: now)))
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
        rows = filter.sort.sorted(rows, descending: filter.descending)
        let pageSize = MeasureSummaryPage.pageSize
        var filter = filter
        filter.page = min(filter.page, max(1, (rows.count + pageSize - 1) / pageSize))
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID), filter: filter, total: total, concerns: concerns,
            failing: failing, matching: rows.count,
            rows: Array(rows.dropFirst((filter.page - 1) * pageSize).prefix(pageSize)),
            canAdd: policy.allows(.manageUnitMeasures(unitID)))
    }
}

/// A measure and its summary as one SQL row. Read with SQLKit rather than as Fluent models: decoding
/// thousands of joined models dominated the page's time (`openqi bench summary`).
private struct SummaryRow: Decodable {
    let id: UUID
    let name: String
    let kind: String
    let project_id: UUID?
    let unit_id: UUID
    let target: Double?
    let unit_of_measure: String?
    let frequency: String
    let created_at: Date?
    let points: Int?
    let latest_period: Date?
    let latest_value: Double?
    let latest_class: String?
    let variation: String?
    let assurance: String?
    let recent: String?

    static func load(units: [UUID], on db: any Database) async throws -> [SummaryRow] {
        guard let sql = db as? any SQLDatabase, !units.isEmpty else { return [] }
        return try await sql.select()
            .columns(
                SQLColumn("id", table: Measure.schema), SQLColumn("name", table: Measure.schema),
                SQLColumn("kind", table: Measure.schema), SQLColumn("project_id", table: Measure.schema),
                SQLColumn("unit_id", table: Measure.schema), SQLColumn("target", table: Measure.schema),
                SQLColumn("unit_of_measure", table: Measure.schema),
                SQLColumn("frequency", table: Measure.schema), SQLColumn("created_at", table: Measure.schema),
                SQLColumn("points", table: MeasureSummary.schema),
                SQLColumn("latest_period", table: MeasureSummary.schema),
                SQLColumn("latest_value", table: MeasureSummary.schema),
                SQLColumn("latest_class", table: MeasureSummary.schema),
                SQLColumn("variation", table: MeasureSummary.schema),
                SQLColumn("assurance", table: MeasureSummary.schema),
                SQLColumn("recent", table: MeasureSummary.schema)
            )
            .from(Measure.schema)
            .join(
                MeasureSummary.schema, method: SQLJoinMethod.left,
                on: SQLColumn("measure_id", table: MeasureSummary.schema), .equal,
                SQLColumn("id", table: Measure.schema)
            )
            .where(SQLColumn("unit_id", table: Measure.schema), .in, SQLBind.group(units))
            .where(SQLColumn("archived_at", table: Measure.schema), .is, SQLLiteral.null)
            .all(decoding: SummaryRow.self)
    }
}

extension MeasureSummaryPage.Sort {
    /// Sorts by this column, then by name and owner (always A to Z). The keys are computed once per
    /// row: comparing names with locale rules inside the sort cost more than the query.
    func sorted(_ rows: [MeasureSummaryPage.Row], descending: Bool = false) -> [MeasureSummaryPage.Row] {
        func fold(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
        // The owner is folded only when it is the column sorted by; as a tie-break its text will do.
        // Positions are sorted, not rows: moving thousands of rows about cost more than comparing.
        let names = rows.map { fold($0.name) }
        let owners = rows.map { self == .owner ? fold($0.owner.label) : $0.owner.label }
        let ranks = rows.map(rank)
        return rows.indices.sorted { a, b in
            if self == .owner, owners[a] != owners[b] { return (owners[a] < owners[b]) != descending }
            if ranks[a] != ranks[b] { return (ranks[a] < ranks[b]) != descending }
            if self != .name || names[a] == names[b] {
                return names[a] != names[b] ? names[a] < names[b] : owners[a] < owners[b]
            }
            return (names[a] < names[b]) != descending
        }.map { rows[$0] }
    }

    private func rank(_ row: MeasureSummaryPage.Row) -> Double {
        switch self {
        case .name, .owner: 0
        case .need: Double(row.needRank)
        case .variation: Double(row.variation?.attentionRank ?? 9)
        case .assurance: Double(row.assurance?.attentionRank ?? 9)
        case .latest: (row.latestPeriod ?? .distantPast).timeIntervalSinceReferenceDate
        }
    }
}

extension MeasureSummaryPage.Row {
    /// What needs attention first: a concern failing its target, then any concern, then a failing
    /// target, then data overdue, then a target hit and missed at random; the rest after.
    var needRank: Int {
        let concern = variation?.isConcern == true
        return switch (concern, assurance == .fail) {
        case (true, true): 0
        case (true, false): 1
        case (false, true): 2
        case (false, false): isOverdue ? 3 : assurance == .hitAndMiss ? 4 : 5
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

extension MeasureSummaryPage.Filter {
    /// No filter: every measure, by need.
    package static let everything = Self()
}

extension MeasureSummaryPage {
    /// A unit's summary as drawn for everyone who may (or may not) add measures there, with one
    /// choice of filters and order. There is none for a search: a key never holds free text.
    struct PageKey: ResultKey {
        let unit: UUID
        let kind: MeasureKind?
        let concernOnly: Bool
        let failingOnly: Bool
        let sort: Sort
        let descending: Bool
        let page: Int
        let canAdd: Bool
        /// Data fall overdue as days pass, with no change to the records.
        let day: CalendarDay

        /// Pages past this are drawn afresh: a key holds a page number only where a page can be,
        /// so numbers past the end cannot fill the cache with copies of the last page.
        static let lastKeptPage = 20

        init?(unit: UUID, filter: Filter, canAdd: Bool, day: CalendarDay = AppClock.today) {
            guard filter.search.isEmpty, filter.page <= Self.lastKeptPage else { return nil }
            page = filter.page
            self.day = day
            self.unit = unit
            kind = filter.kind
            concernOnly = filter.concernOnly
            failingOnly = filter.failingOnly
            sort = filter.sort
            descending = filter.descending
            self.canAdd = canAdd
        }
    }
}
