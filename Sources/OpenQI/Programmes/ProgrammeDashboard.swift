import Charts
import Fluent
import Foundation
import Plot
import SPC
import SQLKit
import Vapor

/// A programme's dashboard: every team's stage, progress score and latest data on each standard
/// measure with its Making Data Count icons; the teams on one chosen measure as small multiples on
/// one y-axis, and all of them together as one chart; the spread matrix of its change ideas; and
/// the teams that have stalled.
enum ProgrammeDashboard {
    /// Small multiples drawn a page at a time: four rows of three. (Of 200 teams' weekly charts,
    /// 24 a page still made the page 700 kB, too much to serve 50 readers at once in 100 ms.)
    static let teamsPerPage = 12

    /// The pages `teams` charts fill, one at least.
    static func pages(teams: Int) -> Int { max(1, (teams + teamsPerPage - 1) / teamsPerPage) }

    struct Cell: Sendable, Equatable {
        let measureID: UUID
        /// The latest plotted value, as the chart shows it.
        let latest: String?
        let variation: VariationIcon?
        let assurance: AssuranceIcon?
    }

    struct Team: Sendable, Equatable {
        let row: ProjectRow
        /// One per standard measure, in the order of `Model.measures`; nil where the team has none.
        let cells: [Cell?]
        /// Why it has stalled, in words, if it has.
        let stalled: String?
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var name: String
        var measures: [FormField.Option]
        /// The standard measure the charts show.
        var chosen: UUID?
        var chosenName: String?
        var teams: [Team]
        /// Every team together on the chosen measure: counts over denominators for a rate or a
        /// proportion, the teams' mean otherwise.
        var aggregateSVG: String?
        var smallMultiplesSVG: String?
        /// The page of teams the small multiples show, from 1, and how many pages there are.
        var page = 1
        var pages = 1
        /// The teams on this page, counted from 1, of `charted` with data.
        var shownTeams: ClosedRange<Int>?
        var chartedTeams = 0
        /// Teams on the chosen measure with no data yet, left out of the charts.
        var withoutData: [String]
        /// How far each team has got with each of the programme's change ideas.
        var spread: SpreadMatrix
        /// The teams on the chosen measure's funnel over its latest periods, for a rate or a
        /// proportion.
        var comparison: FunnelComparison?
        /// Why the chosen measure has no funnel, when it is neither.
        var noFunnel: String?
        var unitOfMeasure: String?
        /// "weeks", "months": what a period of the chosen measure is.
        var periodName: String?
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Dashboard — \(model.name)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Programmes", url: SiteURL.programmes(.index).relativeURL()),
                .init(label: model.name, url: SiteURL.programmes(.show(.value(model.id))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            let stalled = model.teams.filter { $0.stalled != nil }
            return .group(
                .h1(.text("Dashboard"), .span(.class("tag"), .text(model.name))),
                .raw(MDCIcons.symbols),
                .ul(
                    .class("figures"),
                    .li(.strong(.text(String(model.teams.count))), .text(" teams")),
                    .li(
                        .strong(.text(String(model.teams.filter { $0.row.status == .active }.count))),
                        .text(" active")),
                    .li(.strong(.text(String(stalled.count))), .text(" stalled"))),
                teamTable(),
                chartsSection(),
                .section(
                    .id("funnel"),
                    .h2(
                        .text(
                            "The teams compared over the latest \(FunnelComparison.defaultPeriods) \(model.periodName ?? "periods")"
                        )),
                    .unwrap(model.noFunnel) { .p(.class("hint"), .text($0)) },
                    .unwrap(model.comparison) {
                        .funnelComparison(
                            $0, measure: model.chosenName, unitOfMeasure: model.unitOfMeasure, entity: "Team")
                    }),
                .section(
                    .id("spread"),
                    .h2(.text("Spread of the change ideas")),
                    .p(
                        .class("hint"),
                        .text(
                            "How far each team has got with each change idea of the programme’s driver diagram, from the PDSA cycles of the team’s ideas that adapt it."
                        )),
                    .spreadMatrix(
                        model.spread,
                        diagramURL: SiteURL.programmes(.diagram(.value(model.id), .show)).relativeURL())),
                .section(
                    .id("stalled"),
                    .h2(.text("Stalled teams")),
                    stalled.isEmpty
                        ? .p(.class("empty"), .text("None: every active team has updated and counted lately."))
                        : .ul(
                            .forEach(stalled) { team in
                                .li(.a(.href(team.row.url), .text(team.row.title)), .text(" — \(team.stalled ?? "")"))
                            }))
            )
        }

        private func teamTable() -> Node<HTML.BodyContext> {
            .section(
                .id("teams"),
                .h2(.text("Teams")),
                model.teams.isEmpty
                    ? .p(.class("empty"), .text("No team has joined yet."))
                    : .scrollingTable(
                        .caption(
                            .class("visually-hidden"),
                            .text("Each team’s stage, progress score and latest data on each standard measure")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Team")), .th(.scope("col"), .text("Stage")),
                                .th(.scope("col"), .class("number"), .text("Score")),
                                .forEach(model.measures) { .th(.scope("col"), .text($0.label)) },
                                .th(.scope("col"), .text("Stalled")))),
                        .tbody(
                            .forEach(model.teams) { team in
                                .tr(
                                    .th(
                                        .scope("row"), .a(.href(team.row.url), .text(team.row.title)),
                                        .span(.class("path"), .text(team.row.unitPath))),
                                    .td(.text(team.row.stage?.label ?? team.row.status.label)),
                                    .td(.class("number"), .text(team.row.score?.text ?? "")),
                                    .forEach(team.cells) { cell in
                                        .td(
                                            .unwrap(
                                                cell,
                                                { cell in
                                                    .group(
                                                        .a(
                                                            .href(
                                                                SiteURL.measures(.show(.value(cell.measureID)))
                                                                    .relativeURL()),
                                                            .text(cell.latest ?? "No data")),
                                                        .raw(
                                                            cell.variation.map { MDCIcons.variationReference($0) } ?? ""
                                                        ),
                                                        .raw(
                                                            cell.assurance.map { MDCIcons.assuranceReference($0) } ?? ""
                                                        ))
                                                }, else: .text("Not counted")))
                                    },
                                    .td(.text(team.stalled ?? "")))
                            }))
            )
        }

        /// Which teams the small multiples show, and the way to the others.
        private func pager() -> Node<HTML.BodyContext> {
            guard let shown = model.shownTeams, model.pages > 1 else { return .empty }
            func link(_ page: Int, _ label: String, rel: String) -> Node<HTML.BodyContext> {
                var query = [("page", String(page))]
                if let chosen = model.chosen { query.insert(("measure", chosen.uuidString), at: 0) }
                return .a(
                    .href(SiteURL.programmes(.dashboard(.value(model.id))).relativeURL(query: query) + "#charts"),
                    .attribute(named: "rel", value: rel), .text(label))
            }
            return .element(
                named: "nav",
                nodes: [
                    .class("pager"), .attribute(named: "aria-label", value: "Pages of teams"),
                    .p(
                        .text("Teams \(shown.lowerBound)–\(shown.upperBound) of \(model.chartedTeams). "),
                        .if(model.page > 1, link(model.page - 1, "Previous teams", rel: "prev")),
                        .if(model.page > 1 && model.page < model.pages, .text(" · ")),
                        .if(model.page < model.pages, link(model.page + 1, "Next teams", rel: "next"))),
                ])
        }

        private func chartsSection() -> Node<HTML.BodyContext> {
            .section(
                .id("charts"),
                .h2(.text(model.chosenName.map { "\($0), team by team" } ?? "Charts")),
                .if(
                    model.measures.count > 1,
                    .getForm(
                        action: SiteURL.programmes(.dashboard(.value(model.id))).relativeURL() + "#charts",
                        class: "filters",
                        .formField(
                            FormField(name: "measure", label: "Standard measure", control: .select(model.measures)),
                            state: FormState(values: ["measure": model.chosen?.uuidString ?? ""])),
                        .button(.type(.submit), .class("button secondary"), .text("Show")))),
                .unwrap(model.aggregateSVG) { .chart($0) },
                .unwrap(model.smallMultiplesSVG) { .chart($0, kind: "driver-diagram") },
                pager(),
                .if(
                    !model.withoutData.isEmpty,
                    .p(
                        .class("hint"),
                        .text("No data yet, so not drawn: \(model.withoutData.joined(separator: ", ")).")))
            )
        }
    }
}

extension ProgrammeDashboard.Model {
    static func query(
        id: UUID, measure asked: UUID?, page: Int = 1, policy: Policy, on db: any Database, now: Date = AppClock.now
    ) async throws -> Self {
        guard let programme = try await Programme.query(on: db).filter(\.$id == id).with(\.$measures).first() else {
            throw NotFound("programme")
        }
        let standards = programme.measures.compactMap { standard in standard.id.map { (id: $0, standard: standard) } }
            .sorted { $0.standard.name < $1.standard.name }
        let projects = try await Project.query(on: db).filter(\.$programme.$id == id)
            .filter(\.$status ~~ ProgrammeShow.Model.joined).sort(\.$title).all()
            .compactMap { project in project.id.map { (id: $0, project: project) } }
        let measures = try await Measure.query(on: db).filter(\.$project.$id ~~ projects.map(\.id))
            .filter(\.$standard.$id ~~ standards.map(\.id)).filter(\.$archivedAt == nil).all()
        let summaries = Dictionary(
            try await MeasureSummary.query(on: db).filter(\.$measure.$id ~~ measures.compactMap(\.id)).all()
                .map { ($0.$measure.id, $0) }
        ) { first, _ in first }
        // A team with two measures made from one standard shows the one it made first.
        var byTeam: [UUID: [UUID: (id: UUID, measure: Measure)]] = [:]
        for measure in measures.sorted(by: { ($0.createdAt ?? now) < ($1.createdAt ?? now) }) {
            guard let team = measure.$project.id, let standard = measure.$standard.id, let measureID = measure.id
            else { continue }
            if byTeam[team]?[standard] == nil { byTeam[team, default: [:]][standard] = (measureID, measure) }
        }
        let stalled = try await Self.stalled(in: id, now: now, on: db)
        let teams = projects.map { team in
            let cells: [ProgrammeDashboard.Cell?] = standards.map { standard in
                guard let (measureID, _) = byTeam[team.id]?[standard.id] else { return nil }
                let summary = summaries[measureID]
                return .init(
                    measureID: measureID, latest: summary?.latestValue.map { Describe.plain($0) },
                    variation: summary.flatMap { $0.points > 0 ? $0.variationIcon : nil },
                    assurance: summary?.assuranceIcon)
            }
            return ProgrammeDashboard.Team(
                row: ProjectRow(team.project, id: team.id, tree: policy.tree), cells: cells, stalled: stalled[team.id])
        }
        let chosen = standards.first { $0.id == asked } ?? standards.first
        var model = Self(
            id: id, name: programme.name,
            measures: standards.map { .init(value: $0.id.uuidString, label: $0.standard.name) }, chosen: chosen?.id,
            chosenName: chosen?.standard.name, teams: teams, aggregateSVG: nil, smallMultiplesSVG: nil,
            withoutData: [], spread: try await SpreadMatrix.query(programme: id, teams: teams.map(\.row), on: db))
        guard let (chosenID, standard) = chosen else { return model }
        let charted = projects.compactMap { team in byTeam[team.id]?[chosenID].map { (team.project, $0.id, $0.measure) }
        }
        let measureIDs = charted.map(\.1)
        let series = try await DataPoint.series(of: measureIDs, on: db)
        // Each team's own chart, as its page draws it: with its phases.
        let breaks = Dictionary(
            grouping: try await PhaseBreak.query(on: db).filter(\.$measure.$id ~~ measureIDs).sort(\.$period).all(),
            by: \.$measure.id)
        // A small chart is titled by its team's unit (a project's title is too long for it), and
        // by the unit above where two share a name.
        let tree = policy.tree
        let nameCounts = Dictionary(
            charted.map { (tree.nodes[$0.0.$unit.id]?.name ?? $0.0.title, 1) }, uniquingKeysWith: +)
        func shortTitle(_ project: Project) -> String {
            let node = tree.nodes[project.$unit.id]
            guard let name = node?.name else { return project.title }
            guard nameCounts[name, default: 0] > 1, let parent = node?.parentID.flatMap({ tree.nodes[$0] })
            else { return name }
            return "\(name), \(parent.name)"
        }
        var perTeam: [(title: String, result: SPCResult)] = []
        var pooled: [[MeasureSeries.Period]] = []
        for (project, measureID, measure) in charted {
            let periods = series[measureID] ?? []
            guard !periods.isEmpty else {
                model.withoutData.append(project.title)
                continue
            }
            pooled.append(periods)
            let team = MeasureSeries(
                measureID: measureID, name: measure.name, options: measure.options, periods: periods,
                annotations: [], phaseBreaks: (breaks[measureID] ?? []).map { ($0.period, $0.label) })
            perTeam.append((shortTitle(project), team.shownResult))
        }
        let options = Measure.options(
            chartType: standard.chartType, rules: standard.rules, direction: standard.direction,
            target: standard.target, multiply: standard.multiply)
        model.unitOfMeasure = standard.unitOfMeasure
        model.periodName = standard.frequency.periodsName
        let kind: Funnel.Kind? =
            switch options.chart {
            case .p, .pp: .proportion
            case .u, .up: .rate
            default: nil
            }
        if let kind {
            model.comparison = FunnelComparison.compare(
                charted.map { project, measureID, _ in
                    .init(
                        group: project.id ?? measureID, name: shortTitle(project), measureID: measureID,
                        periods: series[measureID] ?? [])
                },
                on: .init(
                    name: standard.name, kind: kind, multiply: standard.multiply, frequency: standard.frequency,
                    direction: options.direction, unitOfMeasure: standard.unitOfMeasure),
                periods: FunnelComparison.defaultPeriods, now: now, idPrefix: "programme-funnel")
        } else {
            model.noFunnel =
                "A funnel plot compares counts against a denominator (a p or u chart); “\(standard.name)” is a \(Describe.chartName(options.chart).lowercased()), so the teams are compared on the charts above."
        }
        guard !perTeam.isEmpty else { return model }
        // A page of teams at a time, all on the y range of every team: 200 charts of every week
        // made a page of several megabytes.
        model.chartedTeams = perTeam.count
        model.pages = ProgrammeDashboard.pages(teams: perTeam.count)
        model.page = min(max(page, 1), model.pages)
        let first = (model.page - 1) * ProgrammeDashboard.teamsPerPage
        let shown = perTeam[first..<min(first + ProgrammeDashboard.teamsPerPage, perTeam.count)]
        model.shownTeams = (first + 1)...(first + shown.count)
        model.smallMultiplesSVG = SmallMultiples(
            charts: Array(shown), columns: 3, sharedScale: true,
            yDomain: SmallMultiples.sharedDomain(perTeam.map(\.result))
        ).svg()
        let (periods, pooledOptions, subtitle) = Self.aggregate(pooled, frequency: standard.frequency, options: options)
        model.aggregateSVG = MeasureSeries(
            measureID: chosenID, name: standard.name, options: pooledOptions, periods: periods, annotations: [],
            phaseBreaks: []
        ).chart(title: "\(standard.name), all teams together", subtitle: subtitle, idPrefix: "programme-all").svg()
        return model
    }

    /// Every team's series as one: each period the week (Monday), month or quarter it falls in,
    /// whatever day each team dates it, and each team counted once in it. Where the data have
    /// denominators, the teams' counts over their denominators, drawn as a P′ or U′ chart (Laney
    /// 2002): the spread between many teams is real and a plain p or u chart would call almost
    /// every point special; otherwise the mean of the teams' values, as an XmR chart (a run chart
    /// when the standard is one). Says in words what it plots.
    static func aggregate(_ teams: [[MeasureSeries.Period]], frequency: DataFrequency, options: SPCOptions)
        -> (periods: [MeasureSeries.Period], options: SPCOptions, subtitle: String)
    {
        func bucket(_ date: Date) -> Date {
            let day = CalendarDay(containing: date)
            switch frequency {
            case .daily: return day.date
            case .weekly: return day.adding(days: -day.weekday).date
            case .monthly: return day.month.start
            case .quarterly:
                let month = day.month
                return CalendarMonth(year: month.year, month: (month.month - 1) / 3 * 3 + 1).start
            }
        }
        let isRatio =
            [.p, .pp, .u, .up].contains(options.chart) || teams.joined().contains { $0.denominator != nil }
        var pooledOptions = options
        // Each team once a period: its values there summed (with their denominators) for a ratio,
        // averaged otherwise.
        var perPeriod: [Date: [(value: Double, denominator: Double)]] = [:]
        for periods in teams {
            for (period, values) in Dictionary(grouping: periods, by: { bucket($0.period) }) {
                if isRatio {
                    // A count with no denominator says nothing of a rate: it is left out.
                    let counted = values.filter { ($0.denominator ?? 0) > 0 }
                    guard !counted.isEmpty else { continue }
                    perPeriod[period, default: []].append(
                        (counted.reduce(0) { $0 + $1.value }, counted.reduce(0) { $0 + ($1.denominator ?? 0) }))
                } else {
                    perPeriod[period, default: []].append(
                        (values.reduce(0) { $0 + $1.value } / Double(values.count), 1))
                }
            }
        }
        let periods = perPeriod.map { period, teams in
            isRatio
                ? MeasureSeries.Period(
                    period: period, value: teams.reduce(0) { $0 + $1.value },
                    denominator: teams.reduce(0) { $0 + $1.denominator }, note: nil)
                : MeasureSeries.Period(
                    period: period, value: teams.reduce(0) { $0 + $1.value } / Double(teams.count), denominator: nil,
                    note: nil)
        }.sorted { $0.period < $1.period }
        if isRatio {
            pooledOptions.chart =
                [.p, .pp].contains(options.chart) ? .pp : [.u, .up].contains(options.chart) ? .up : .run
            return (periods, pooledOptions, "Every team’s counts over every team’s denominators")
        }
        pooledOptions.chart = options.chart == .run ? .run : .i
        return (periods, pooledOptions, "The mean of the teams’ values")
    }

    /// The teams that have stalled, and why, by the portfolio's rule (`Stalled`): no update for
    /// six weeks, or no recent data on any of their measures.
    static func stalled(in programmeID: UUID, now: Date, on db: any Database) async throws -> [UUID: String] {
        struct Row: Decodable {
            let id: UUID
            let quiet: Bool
        }
        let rows = try await db.sql.raw(
            """
            SELECT p.id AS id, \(Stalled.awaitingUpdateSQL(now: now)) AS quiet FROM projects p
            WHERE p.programme_id = \(bind: programmeID)
            AND (\(Stalled.awaitingUpdateSQL(now: now)) OR \(Stalled.withoutDataSQL(now: now)))
            """
        ).all(decoding: Row.self)
        return Dictionary(
            uniqueKeysWithValues: rows.map { ($0.id, $0.quiet ? "No update for six weeks" : "No data for eight weeks") }
        )
    }
}

enum ProgrammeDashboardController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let id = try req.idParameter("programmeID")
        let db = req.db
        let outline = try await req.cachedResults().value(ProgrammeDashboard.Outline.Key(programme: id)) {
            try await ProgrammeDashboard.Outline.query(programme: id, on: db)
        }
        // Kept under one of the programme's own standard measures, never under whatever was asked.
        let asked = req.query[String.self, at: "measure"].flatMap(UUID.init(uuidString:))
        let measure = asked.flatMap { outline.measures.contains($0) ? $0 : nil }
        // The same for everyone who may read it; whether a team has stalled moves on by the day.
        // A page of the small multiples, bounded by the pages the programme's teams could fill, so
        // that pages past the last are not each drawn and kept.
        let page = min(max(req.query[Int.self, at: "page"] ?? 1, 1), ProgrammeDashboard.pages(teams: outline.teams))
        let key = ProgrammeDashboard.PageKey(programme: id, measure: measure, page: page, day: AppClock.today)
        return try await req.page(drawnOnceAs: key) { context in
            ProgrammeDashboard.View(
                context: context,
                model: try await ProgrammeDashboard.Model.query(
                    id: id, measure: measure, page: page, policy: policy, on: db))
        }
    }
}

extension ProgrammeDashboard {
    /// What a request needs to name the page it asks for: the teams that joined (for the last
    /// page) and the standard measures (for the one chosen). Kept per revision, so that a page
    /// already drawn costs the session's query and nothing more.
    struct Outline: Sendable {
        struct Key: ResultKey { let programme: UUID }

        let teams: Int
        let measures: Set<UUID>

        /// Throws NotFound for a programme there is not, so that no outline is kept for an address
        /// nobody can use.
        static func query(programme id: UUID, on db: any Database) async throws -> Outline {
            guard try await Programme.query(on: db).filter(\.$id == id).count() > 0 else { throw NotFound("programme") }
            let teams = try await Project.query(on: db).filter(\.$programme.$id == id)
                .filter(\.$status ~~ ProgrammeShow.Model.joined).count()
            let measures = try await ProgrammeMeasure.query(on: db).filter(\.$programme.$id == id).all()
            return Outline(teams: teams, measures: Set(measures.map(\.$standard.id)))
        }
    }
}

extension ProgrammeDashboard {
    struct PageKey: ResultKey {
        let programme: UUID
        let measure: UUID?
        let page: Int
        let day: CalendarDay
    }
}
