import Charts
import Fluent
import Foundation
import Plot
import SPC
import SQLKit
import Vapor

/// Wards × their safety and staffing indicators, each cell coloured by the latest point's special
/// cause status, so a ward with unusual patterns on several indicators stands out before a serious
/// incident. Read from the measures' cached summaries.
enum EarlyWarningPage {
    struct Cell: Sendable, Equatable {
        let measureID: UUID
        let variation: VariationIcon?
        let latestValue: Double?
        let latestPeriod: Date?
        /// More than two periods have gone by without data: the colour is old news.
        let isStale: Bool
    }

    struct Ward: Sendable, Equatable {
        let id: UUID
        let name: String
        let cells: [String: Cell]
        /// The ward's latest huddle, and its escalations still open: what the team is doing about
        /// what the colours show.
        var lastHuddle: CalendarDay? = nil
        var openEscalations = 0
        var concerns: Int { cells.values.filter { $0.variation?.isConcern == true }.count }
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        /// The indicators most wards report, in the order most wards have them; at most eight.
        /// Names that differ only in case or spacing are one indicator.
        var indicators: [String]
        /// Wards with the most concerns first.
        var wards: [Ward]
    }

    static let maximumIndicators = 8

    /// The name an indicator is known by across wards: "Falls per 1,000 bed days" and
    /// "falls per 1,000  bed days " are the same indicator.
    static func indicatorKey(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    /// What a measure is across units: the standard measure it is made from, where there is one
    /// (a ward may call its copy "Violence on Cedar"), else its name. Lower case, so a key read
    /// back from a link is itself.
    static func indicatorKey(of measure: Measure) -> String {
        measure.$standard.id.map { "standard:" + $0.uuidString.lowercased() } ?? indicatorKey(measure.name)
    }

    /// The indicators' labels, told apart where a standard measure and wards' own measures of the
    /// same name stand side by side (while wards change over to the standard).
    static func distinct(_ labelled: [(key: String, label: String)]) -> [String] {
        labelled.map { key, label in
            let shared = labelled.filter { $0.label == label }.count > 1
            return shared && !key.hasPrefix("standard:") ? label + " (own definition)" : label
        }
    }

    /// The names of the standard measures `measures` are made from, by their indicator keys.
    static func standardNames(of measures: [Measure], on db: any Database) async throws -> [String: String] {
        let ids = Set(measures.compactMap(\.$standard.id))
        guard !ids.isEmpty else { return [:] }
        return Dictionary(
            uniqueKeysWithValues: try await StandardMeasure.query(on: db).filter(\.$id ~~ Array(ids)).all().compactMap {
                standard in standard.id.map { ("standard:" + $0.uuidString.lowercased(), standard.name) }
            })
    }
}

extension EarlyWarningPage.Model {
    static func query(unitID: UUID, policy: Policy, on db: any Database, now: Date = AppClock.now) async throws -> Self
    {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw NotFound("unit")
        }
        let wardIDs = tree.subtree(of: unitID).filter {
            tree.nodes[$0]?.kind == .ward && tree.nodes[$0]?.isArchived == false
        }
        let measures =
            wardIDs.isEmpty
            ? []
            : try await Measure.query(on: db).filter(\.$unit.$id ~~ Array(wardIDs)).filter(\.$project.$id == nil)
                .filter(\.$archivedAt == nil)
                .join(MeasureSummary.self, on: \Measure.$id == \MeasureSummary.$measure.$id, method: .left).all()
        // How many wards report each indicator, and the name most of them give it.
        var wardsReporting: [String: Set<UUID>] = [:]
        var spellings: [String: [String]] = [:]
        for measure in measures {
            let key = EarlyWarningPage.indicatorKey(of: measure)
            wardsReporting[key, default: []].insert(measure.$unit.id)
            spellings[key, default: []].append(measure.name)
        }
        let chosen = wardsReporting.map { (key: $0.key, wards: $0.value.count) }
            .sorted { ($1.wards, $0.key) < ($0.wards, $1.key) }
            .prefix(EarlyWarningPage.maximumIndicators).map(\.key)
        let standards = try await EarlyWarningPage.standardNames(of: measures, on: db)
        let indicators = EarlyWarningPage.distinct(
            chosen.map { key in (key, standards[key] ?? spellings[key]?.sorted().mostCommon ?? key) })
        var cells: [UUID: [String: EarlyWarningPage.Cell]] = [:]
        for measure in measures {
            guard let column = chosen.firstIndex(of: EarlyWarningPage.indicatorKey(of: measure)) else { continue }
            let summary = try? measure.joined(MeasureSummary.self)
            let latest = summary?.latestPeriod
            // A ward with two measures of one name shows the one with the newer data.
            if let shown = cells[measure.$unit.id]?[indicators[column]],
                (shown.latestPeriod ?? .distantPast) >= (latest ?? .distantPast)
            {
                continue
            }
            cells[measure.$unit.id, default: [:]][indicators[column]] = .init(
                measureID: try measure.requireID(),
                variation: summary.flatMap { $0.points > 0 ? $0.variationIcon : nil },
                latestValue: summary?.latestValue, latestPeriod: latest,
                isStale: latest != nil
                    && MeasureFreshness(
                        name: measure.name, frequency: measure.frequency, latestPeriod: latest, createdAt: nil
                    ).isOverdue(on: now))
        }
        let control = try await EarlyWarningPage.huddles(of: wardIDs, on: db)
        let wards = wardIDs.compactMap { id -> EarlyWarningPage.Ward? in
            guard tree.nodes[id] != nil else { return nil }
            return .init(
                id: id, name: tree.path(of: id, below: unitID), cells: cells[id] ?? [:],
                lastHuddle: control.last[id], openEscalations: control.open[id] ?? 0)
        }.sorted { ($1.concerns, $0.name) < ($0.concerns, $1.name) }
        return .init(unitID: unitID, unitPath: tree.path(of: unitID), indicators: indicators, wards: wards)
    }
}

extension EarlyWarningPage {
    /// Each ward's latest huddle day and how many of its escalations are open, counted by the database.
    static func huddles(of wardIDs: Set<UUID>, on db: any Database) async throws -> (
        last: [UUID: CalendarDay], open: [UUID: Int]
    ) {
        guard !wardIDs.isEmpty else { return ([:], [:]) }
        let ids = Array(wardIDs)
        let last = try await db.sql.select().column("unit_id").column(
            SQLFunction("MAX", args: SQLColumn("held_on")), as: "latest"
        )
        .from(Huddle.schema).where("unit_id", .in, ids).groupBy("unit_id").all()
        .map { (try $0.decode(column: "unit_id", as: UUID.self), try $0.decode(column: "latest", as: Date.self)) }
        let open = try await db.sql.select().column("from_unit_id").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "open"
        )
        .from(Escalation.schema).where("from_unit_id", .in, ids).where("closed_at", .is, SQLLiteral.null)
        .groupBy("from_unit_id").all()
        .map { (try $0.decode(column: "from_unit_id", as: UUID.self), try $0.decode(column: "open", as: Int.self)) }
        return (
            Dictionary(last.map { ($0.0, CalendarDay(containing: $0.1)) }) { first, _ in first },
            Dictionary(open) { first, _ in first }
        )
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Ward early warning — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath)
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "Ward early warning",
                    lead:
                        "Each ward’s safety and staffing indicators, with the latest value and its Making Data Count icon: orange is special cause concern, blue special cause improvement, purple a special cause where neither direction is better, grey common cause. Wards with the most concerns come first; a ward with concerns on two or more indicators is marked at the left. A dashed cell has had no data for more than two periods."
                ),
                .raw(MDCIcons.symbols),
                model.wards.isEmpty || model.indicators.isEmpty
                    ? .p(.class("empty"), .text("No ward below this unit has indicators yet."))
                    : .scrollingTable(
                        .class("early-warning"),
                        .caption(.text("\(model.wards.count) wards")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Ward")), .th(.scope("col"), .text("Concerns")),
                                .forEach(model.indicators) { .th(.scope("col"), .text($0)) },
                                .th(.scope("col"), .text("Huddles and escalations")))
                        ),
                        .tbody(.forEach(model.wards) { row($0) })
                    )
            )
        }

        private func row(_ ward: Ward) -> Node<HTML.TableContext> {
            .tr(
                .class(ward.concerns >= 2 ? "stands-out" : ""),
                .th(
                    .scope("row"),
                    .a(.href(SiteURL.units(.measures(.value(ward.id))).relativeURL()), .text(ward.name))),
                .td(.class("number"), .text("\(ward.concerns)")),
                .forEach(model.indicators) { indicator -> Node<HTML.TableRowContext> in
                    guard let cell = ward.cells[indicator] else { return .td(.class("no-data"), .text("—")) }
                    let state = cell.variation.map(Self.state) ?? "no-data"
                    let since = cell.latestPeriod.map { CalendarDay(containing: $0).shortDayAndMonth }
                    return .td(
                        .class("cell \(state)\(cell.isStale ? " stale" : "")"),
                        .a(
                            .href(SiteURL.measures(.show(.value(cell.measureID))).relativeURL()),
                            .text(cell.latestValue.map { Describe.plain($0) } ?? "—"),
                            .raw(cell.variation.map { MDCIcons.variationReference($0, size: 20) } ?? ""),
                            .if(
                                cell.isStale,
                                .span(.class("hint"), .text(" no data since \(since ?? "")")))
                        ))
                },
                .td(
                    .a(
                        .href(SiteURL.units(.huddles(.value(ward.id))).relativeURL()),
                        .text(ward.lastHuddle.map { "Last huddle \($0.shortDayAndMonth)" } ?? "No huddle yet"),
                        .span(.class("visually-hidden"), .text(" on \(ward.name)"))),
                    .if(
                        ward.openEscalations > 0,
                        .span(
                            .class("tag warn"),
                            .text(
                                "\(ward.openEscalations) open \(ward.openEscalations == 1 ? "escalation" : "escalations")"
                            ))))
            )
        }

        static func state(_ icon: VariationIcon) -> String {
            switch icon {
            case .concernHigh, .concernLow: "concern"
            case .improvementHigh, .improvementLow: "improvement"
            case .neutralHigh, .neutralLow: "neutral"
            case .commonCause: "common-cause"
            }
        }
    }
}

/// The early-warning page of a unit.
enum EarlyWarningController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let unitID = try req.idParameter("unitID")
        let db = req.db
        // Every ward's indicators: the same for everyone, drawn once per revision of the records.
        // Whether a cell is stale moves on by itself, so a kept page serves its day only.
        let key = EarlyWarningPage.PageKey(unit: unitID, day: AppClock.today)
        return try await req.page(drawnOnceAs: key) { context in
            EarlyWarningPage.View(
                context: context, model: try await EarlyWarningPage.Model.query(unitID: unitID, policy: policy, on: db))
        }
    }
}

extension EarlyWarningPage {
    /// Every ward's indicators below a unit, the same for everyone; staleness moves on by the day.
    struct PageKey: ResultKey {
        let unit: UUID
        let day: CalendarDay
    }
}
