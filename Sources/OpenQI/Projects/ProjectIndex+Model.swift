import Fluent
import Foundation
import SQLKit
import Vapor

enum ProjectIndex {
    /// The viewer's own part in a project: what "my projects" means.
    enum Involvement: String, Sendable, Equatable, CaseIterable {
        case any, team, coach, sponsor

        var label: String {
            switch self {
            case .any: "Mine"
            case .team: "On my team"
            case .coach: "I coach"
            case .sponsor: "I sponsor"
            }
        }

        var described: String {
            switch self {
            case .any: "you lead, are on, coach or sponsor"
            case .team: "you lead or are on"
            case .coach: "you coach"
            case .sponsor: "you sponsor"
            }
        }
    }

    /// The portfolio dashboard's narrower lists: each figure there links to the projects behind it.
    struct Focus: Sendable, Equatable {
        /// Only the viewer's own projects, in this part.
        var mine: Involvement?
        var stage: ImprovementStage?
        var priorityID: UUID?
        /// Projects serving no strategic priority and no box of an annual plan.
        var withoutPriority = false
        var coachID: UUID?
        var aimAchieved: AimAchieved?
        var fullPartners = false
        /// Active projects without an update for six weeks.
        var stalled = false
        /// Active projects with no data on any measure for eight weeks.
        var staleData = false
        /// Completed projects whose gains are slipping (`SlippingGains`).
        var gainsSlipping = false
        var score: ProgressScore?
        /// Approved by a forum during the month.
        var approvedIn: CalendarMonth?
        /// Active at the end of the month (the portfolio's run chart of active projects).
        var activeIn: CalendarMonth?
        /// Completed during the month.
        var completedIn: CalendarMonth?

        var isEmpty: Bool { self == Focus() }

        var queryItems: [(String, String)] {
            var items: [(String, String)] = []
            if let mine { items.append(("mine", mine.rawValue)) }
            if let stage { items.append(("stage", stage.rawValue)) }
            if let priorityID { items.append(("priority", priorityID.uuidString)) }
            if withoutPriority { items.append(("priority", "none")) }
            if let coachID { items.append(("coach", coachID.uuidString)) }
            if let aimAchieved { items.append(("aim_achieved", aimAchieved.rawValue)) }
            if fullPartners { items.append(("full_partners", "yes")) }
            if stalled { items.append(("stalled", "yes")) }
            if staleData { items.append(("stale_data", "yes")) }
            if gainsSlipping { items.append(("gains", "slipping")) }
            if let score { items.append(("score", score.text)) }
            if let approvedIn { items.append(("approved_in", approvedIn.text)) }
            if let activeIn { items.append(("active_in", activeIn.text)) }
            if let completedIn { items.append(("completed_in", completedIn.text)) }
            return items
        }
    }

    struct Model: Sendable, Equatable {
        var query: String
        var status: ProjectStatus?
        var unitID: UUID?
        var focus = Focus()
        /// The focus in words: "stage Test (PDSA cycles); no update for six weeks".
        var focusDescription: String?
        var rows: [ProjectRow]
        var total: Int
        var unitOptions: [FormField.Option]
        /// Which page of `limit` rows this is, from 1.
        var page = 1
        var order = Order.recent
    }

    /// How the list is ordered, in the database so every page follows it.
    enum Order: String, Sendable, Equatable, CaseIterable {
        case recent, title, score

        var label: String {
            switch self {
            case .recent: "Recently changed"
            case .title: "Title"
            case .score: "Progress score"
            }
        }
    }
}

extension ProjectIndex.Model {
    var pageCount: Int { max(1, (total + Self.limit - 1) / Self.limit) }

    /// This list with another page, "mine" or order, keeping every other choice.
    func link(page: Int? = nil, mine: ProjectIndex.Involvement?? = .none, order: ProjectIndex.Order? = nil)
        -> String
    {
        var focus = self.focus
        if case .some(let chosen) = mine { focus.mine = chosen }
        var items: [(String, String)] = []
        if !query.isEmpty { items.append(("q", query)) }
        if let status { items.append(("status", status.rawValue)) }
        if let unitID { items.append(("unit", unitID.uuidString)) }
        items += focus.queryItems
        let order = order ?? self.order
        if order != .recent { items.append(("order", order.rawValue)) }
        // Another "mine" or order starts at the first page.
        let page = page ?? (mine == nil && order == self.order ? self.page : 1)
        if page > 1 { items.append(("page", String(page))) }
        return SiteURL.projects(.index).relativeURL(query: items)
    }
}

extension ProjectIndex.Model {
    static let limit = 50
    /// Pages past this are refused as the last page: nobody reads half a million projects in fifties.
    static let lastPage = 10_000

    /// Projects in a unit and everything below it, by status, searched by title and aim, a page at a time.
    static func query(
        search: String?, status: ProjectStatus?, unitID: UUID?, focus: ProjectIndex.Focus = .init(), page: Int = 1,
        order: ProjectIndex.Order = .recent,
        policy: Policy, on db: any Database, now: Date = AppClock.now
    ) async throws -> Self {
        let page = min(max(page, 1), lastPage)
        let search = search?.trimmingCharacters(in: .whitespaces) ?? ""
        var query = Project.query(on: db)
        if !search.isEmpty {
            query = query.containing(search, inAnyOf: \.$title, \.$aimWhat, \.$problem)
        }
        if let status { query = query.filter(\.$status == status) }
        if let unitID { query = query.filter(\.$unit.$id ~~ Array(policy.tree.subtree(of: unitID))) }
        var described: [String] = []
        if let mine = focus.mine {
            let me = policy.viewer.personID
            let onTeam = SQLQueryString(
                "\(ident: Project.schema).\(ident: "id") IN (SELECT \(ident: "project_id") FROM \(ident: TeamMember.schema) WHERE \(ident: "person_id") = \(bind: me))"
            )
            switch mine {
            case .team: query = query.filter(.sql(embed: onTeam))
            case .coach: query = query.filter(\.$coach.$id == me)
            case .sponsor: query = query.filter(\.$sponsor.$id == me)
            case .any:
                query = query.group(.or) {
                    $0.filter(.sql(embed: onTeam)).filter(\.$coach.$id == me).filter(\.$sponsor.$id == me)
                }
            }
            described.append("that \(mine.described)")
        }
        if let stage = focus.stage {
            query = query.filter(\.$stage == stage)
            described.append("stage \(stage.label)")
        }
        if let coachID = focus.coachID {
            query = query.filter(\.$coach.$id == coachID)
            described.append("coached by \(try await Person.find(coachID, on: db)?.fullName ?? "an unknown person")")
        }
        if let aim = focus.aimAchieved {
            query = query.filter(\.$aimAchieved == aim)
            described.append("aim achieved: \(aim.label.lowercased())")
        }
        // The portfolio's conditions, in the same SQL that counted them there.
        var conditions: [SQLQueryString] = []
        if focus.stalled {
            conditions.append(Stalled.awaitingUpdateSQL(now: now))
            described.append("active with no update for six weeks")
        }
        if focus.staleData {
            conditions.append(Stalled.withoutDataSQL(now: now))
            described.append("active with no data for eight weeks")
        }
        if focus.gainsSlipping {
            conditions.append(SlippingGains.projectCondition())
            described.append("completed, with gains slipping")
        }
        if let month = focus.approvedIn {
            conditions.append(ProjectScope.approved(in: month))
            described.append("approved in \(month.label)")
        }
        if let month = focus.activeIn {
            conditions.append(ProjectScope.activeAtEnd(of: month, now: now))
            described.append("active at the end of \(month.label)")
        }
        if let month = focus.completedIn {
            conditions.append(ProjectScope.completed(in: month))
            described.append("completed in \(month.label)")
        }
        if focus.fullPartners {
            conditions.append(ProjectScope.withFullPartner)
            described.append("with a service user or carer as a full partner")
        }
        if focus.withoutPriority {
            conditions.append(ProjectPriority.noneServedSQL)
            described.append("serving no strategic priority or annual plan")
        }
        if !conditions.isEmpty {
            // A subquery rather than a list of ids: the whole trust's active projects are thousands.
            let scope = unitID.map { PortfolioScope(unitID: $0, tree: policy.tree) } ?? .everything
            query = query.filter(
                .sql(embed: "\(ident: Project.schema).\(ident: "id") IN (\(scope.projectIDs(where: conditions)))"))
        }
        if let score = focus.score {
            query = query.filter(\.$progressScore == score.rawValue)
            described.append("at progress score \(score.text)")
        }
        if let priorityID = focus.priorityID {
            let ids = try await ProjectPriority.query(on: db).filter(\.$priority.$id == priorityID).all().map(
                \.$project.id)
            query = query.filter(\.$id ~~ ids)
            described.append("serving “\(try await Priority.find(priorityID, on: db)?.name ?? "an unknown priority")”")
        }
        let total = try await query.count()
        switch order {
        case .recent: query = query.sort(\.$updatedAt, .descending)
        case .title: query = query.sort(\.$title)
        case .score:
            // Projects with no score yet last, on both databases (they order NULL differently).
            query = query.sort(.custom(SQLRaw(#""projects"."progress_score" IS NULL"#)))
                .sort(\.$progressScore, .descending).sort(\.$title)
        }
        let projects = try await query.sort(\.$id).offset((page - 1) * limit).limit(limit).all()
        return .init(
            query: search, status: status, unitID: unitID, focus: focus,
            focusDescription: described.isEmpty ? nil : described.joined(separator: "; "),
            rows: projects.compactMap { project in project.id.map { ProjectRow(project, id: $0, tree: policy.tree) } },
            total: total, unitOptions: policy.tree.parentOptions(), page: page, order: order
        )
    }
}

extension ProjectIndex.Focus {
    init(query: URLQueryContainer) {
        mine = query[String.self, at: "mine"].flatMap(ProjectIndex.Involvement.init(rawValue:))
        stage = query[String.self, at: "stage"].flatMap(ImprovementStage.init(rawValue:))
        priorityID = query[String.self, at: "priority"].flatMap(UUID.init(uuidString:))
        withoutPriority = query[String.self, at: "priority"] == "none"
        coachID = query[String.self, at: "coach"].flatMap(UUID.init(uuidString:))
        aimAchieved = query[String.self, at: "aim_achieved"].flatMap(AimAchieved.init(rawValue:))
        fullPartners = query[String.self, at: "full_partners"] == "yes"
        stalled = query[String.self, at: "stalled"] == "yes"
        staleData = query[String.self, at: "stale_data"] == "yes"
        gainsSlipping = query[String.self, at: "gains"] == "slipping"
        score = query[String.self, at: "score"].flatMap(Double.init).flatMap(ProgressScore.init(rawValue:))
        approvedIn = query[String.self, at: "approved_in"].flatMap(CalendarMonth.init)
        activeIn = query[String.self, at: "active_in"].flatMap(CalendarMonth.init)
        completedIn = query[String.self, at: "completed_in"].flatMap(CalendarMonth.init)
    }
}
