import Charts
import Fluent
import Foundation
import Plot
import SPC
import Vapor

/// A programme's dashboard: every team's stage, progress score and latest data on each standard
/// measure with its Making Data Count icons; the teams on one chosen measure as small multiples on
/// one y-axis, and all of them together as one chart; and the teams that have stalled.
enum ProgrammeDashboard {
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
        /// Teams on the chosen measure with no data yet, left out of the charts.
        var withoutData: [String]
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
                .unwrap(model.aggregateSVG) { .div(.class("driver-diagram"), .raw($0)) },
                .unwrap(model.smallMultiplesSVG) { .div(.class("driver-diagram"), .raw($0)) },
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
    static func query(id: UUID, measure asked: UUID?, policy: Policy, on db: any Database, now: Date = AppClock.now)
        async throws -> Self
    {
        guard let programme = try await Programme.query(on: db).filter(\.$id == id).with(\.$measures).first() else {
            throw NotFound("programme")
        }
        let standards = programme.measures.sorted { $0.name < $1.name }
        let projects = try await Project.query(on: db).filter(\.$programme.$id == id)
            .filter(\.$status ~~ ProgrammeShow.Model.joined).sort(\.$title).all()
        let teamIDs = try projects.map { try $0.requireID() }
        let measures = try await Measure.query(on: db).filter(\.$project.$id ~~ teamIDs)
            .filter(\.$standard.$id ~~ standards.compactMap(\.id)).filter(\.$archivedAt == nil).all()
        let summaries = Dictionary(
            try await MeasureSummary.query(on: db).filter(\.$measure.$id ~~ measures.compactMap(\.id)).all()
                .map { ($0.$measure.id, $0) }
        ) { first, _ in first }
        // A team with two measures made from one standard shows the one it made first.
        var byTeam: [UUID: [UUID: Measure]] = [:]
        for measure in measures.sorted(by: { ($0.createdAt ?? now) < ($1.createdAt ?? now) }) {
            guard let team = measure.$project.id, let standard = measure.$standard.id else { continue }
            if byTeam[team]?[standard] == nil { byTeam[team, default: [:]][standard] = measure }
        }
        let teams = try projects.map { project in
            let teamID = try project.requireID()
            let cells: [ProgrammeDashboard.Cell?] = standards.map { standard in
                guard let measure = byTeam[teamID]?[standard.id!], let measureID = measure.id else { return nil }
                let summary = summaries[measureID]
                return .init(
                    measureID: measureID, latest: summary?.latestValue.map { Describe.plain($0) },
                    variation: summary.flatMap { $0.points > 0 ? $0.variationIcon : nil },
                    assurance: summary?.assuranceIcon)
            }
            return ProgrammeDashboard.Team(
                row: ProjectRow(project, id: teamID, tree: policy.tree), cells: cells,
                stalled: stalled(
                    project, measures: Array((byTeam[teamID] ?? [:]).values), summaries: summaries, now: now))
        }
        let chosen = standards.first { $0.id == asked } ?? standards.first
        var model = Self(
            id: id, name: programme.name,
            measures: standards.map { .init(value: $0.id!.uuidString, label: $0.name) }, chosen: chosen?.id,
            chosenName: chosen?.name, teams: teams, aggregateSVG: nil, smallMultiplesSVG: nil, withoutData: [])
        guard let chosen, let chosenID = chosen.id else { return model }
        let charted = projects.compactMap { project in byTeam[project.id!]?[chosenID].map { (project, $0) } }
        let series = try await DataPoint.series(of: charted.compactMap(\.1.id), on: db)
        // A small chart is titled by its team's unit (a project's title is too long for it), and
        // by the unit above where two share a name.
        let tree = policy.tree
        let unitNames = charted.map { tree.nodes[$0.0.$unit.id]?.name ?? $0.0.title }
        func shortTitle(_ project: Project) -> String {
            let node = tree.nodes[project.$unit.id]
            guard let name = node?.name else { return project.title }
            guard unitNames.filter({ $0 == name }).count > 1, let parent = node?.parentID.flatMap({ tree.nodes[$0] })
            else { return name }
            return "\(name), \(parent.name)"
        }
        var perTeam: [(title: String, result: SPCResult)] = []
        for (project, measure) in charted {
            let periods = series[measure.id!] ?? []
            guard !periods.isEmpty else {
                model.withoutData.append(project.title)
                continue
            }
            let team = MeasureSeries(
                measureID: measure.id!, name: measure.name, options: measure.options, periods: periods,
                annotations: [], phaseBreaks: [])
            perTeam.append((shortTitle(project), team.shownResult))
        }
        if !perTeam.isEmpty {
            model.smallMultiplesSVG = SmallMultiples(charts: perTeam, columns: 3, sharedScale: true).svg()
        }
        let pooled = charted.flatMap { series[$0.1.id!] ?? [] }
        if !pooled.isEmpty {
            // Pooled counts over pooled denominators keep the standard's chart; the teams' mean is
            // no longer a count of events, so it is drawn as an XmR chart (or a run chart, as the standard is).
            var options = Measure.options(
                chartType: chosen.chartType, rules: chosen.rules, direction: chosen.direction, target: chosen.target,
                multiply: chosen.multiply)
            if ![.p, .pp, .u, .up, .run].contains(options.chart) { options.chart = .i }
            let aggregate = MeasureSeries(
                measureID: chosenID, name: chosen.name, options: options,
                periods: Self.aggregate(pooled, frequency: chosen.frequency, chart: options.chart),
                annotations: [], phaseBreaks: [])
            let isRatio = [.p, .pp, .u, .up].contains(options.chart)
            model.aggregateSVG = aggregate.chart(
                title: "\(chosen.name), all teams together",
                subtitle: isRatio ? "Every team’s counts over every team’s denominators" : "The teams’ mean",
                idPrefix: "programme-all"
            ).svg()
        }
        return model
    }

    /// Every team's periods as one series: each period the week (Monday), month or quarter it
    /// falls in, whatever day each team dates it; counts and denominators summed for a rate or a
    /// proportion, the values' mean otherwise.
    static func aggregate(_ periods: [MeasureSeries.Period], frequency: DataFrequency, chart: ChartType)
        -> [MeasureSeries.Period]
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
        let isRatio = [.p, .pp, .u, .up].contains(chart)
        // A count with no denominator says nothing of a rate: it is left out rather than inflating it.
        let counted = isRatio ? periods.filter { ($0.denominator ?? 0) > 0 } : periods
        return Dictionary(grouping: counted) { bucket($0.period) }.map { period, values in
            if isRatio {
                return MeasureSeries.Period(
                    period: period, value: values.reduce(0) { $0 + $1.value },
                    denominator: values.reduce(0) { $0 + ($1.denominator ?? 0) }, note: nil)
            }
            return MeasureSeries.Period(
                period: period, value: values.reduce(0) { $0 + $1.value } / Double(values.count), denominator: nil,
                note: nil)
        }.sorted { $0.period < $1.period }
    }

    /// Why an active team has stalled: no update for six weeks, or no recent data on any of the
    /// programme's measures (after eight weeks to begin collecting).
    private static func stalled(
        _ project: Project, measures: [Measure], summaries: [UUID: MeasureSummary], now: Date
    ) -> String? {
        guard project.status == .active else { return nil }
        if Stalled.awaitsUpdate(project, now: now) { return "No update for six weeks" }
        let started = project.approvedAt ?? project.createdAt ?? now
        guard now.timeIntervalSince(started) >= Stalled.noDataFor else { return nil }
        // As `Stalled.withoutDataSQL`: a measure defined in the last eight weeks awaits its first point.
        let recent = measures.contains { measure in
            guard let latest = measure.id.flatMap({ summaries[$0] })?.latestPeriod else {
                return (measure.createdAt ?? now) > now.addingTimeInterval(-Stalled.noDataFor)
            }
            return latest >= Stalled.recentSince(measure.frequency, now: now)
        }
        return recent ? nil : "No data for eight weeks"
    }
}

enum ProgrammeDashboardController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let id = try req.idParameter("programmeID")
        let db = req.db
        // Kept under one of the programme's own standard measures, never under whatever was asked.
        let asked = req.query[String.self, at: "measure"].flatMap(UUID.init(uuidString:))
        var isOwn = false
        if let asked {
            isOwn =
                try await ProgrammeMeasure.query(on: db).filter(\.$programme.$id == id)
                .filter(\.$standard.$id == asked).count() > 0
        }
        let measure = isOwn ? asked : nil
        // The same for everyone who may read it; whether a team has stalled moves on by the day.
        let key = ProgrammeDashboard.PageKey(programme: id, measure: measure, day: AppClock.today)
        return try await req.page(drawnOnceAs: key) { context in
            ProgrammeDashboard.View(
                context: context,
                model: try await ProgrammeDashboard.Model.query(id: id, measure: measure, policy: policy, on: db))
        }
    }
}

extension ProgrammeDashboard {
    struct PageKey: ResultKey {
        let programme: UUID
        let measure: UUID?
        let day: CalendarDay
    }
}
