import Fluent
import Foundation
import Plot

/// A project a person has a part in, as their home page and their person page list it: their
/// part, where it stands, and how fresh its data are.
struct PersonProject: Sendable, Equatable {
    let title: String
    let url: String
    /// "Lead", "Team member", "Coach", "Sponsor", joined where they have several.
    let part: String
    let status: ProjectStatus
    let score: ProgressScore?
    /// The latest period with data on any of its measures, or nil when none has data.
    let latestData: String?
    /// What the project is waiting for, if anything: "Update due; data overdue: Falls per week".
    var due: String? = nil
}

enum PersonProjects {
    /// Projects ended this long ago drop off the home page (they stay on /projects?mine=any).
    static let closedShownAtHomeFor: TimeInterval = 90 * 86_400

    /// The projects `me` leads, is on, coaches or sponsors; those closed longer ago than
    /// `closedWithin`, when given, left out.
    static func query(
        of me: UUID, closedWithin: TimeInterval? = nil, on db: any Database, now: Date = AppClock.now
    ) async throws -> [PersonProject] {
        let memberships = try await TeamMember.query(on: db).filter(\.$person.$id == me).all()
        let onTeam = Set(memberships.map(\.$project.id))
        let leads = Set(memberships.filter(\.isLead).map(\.$project.id))
        let all = try await Project.query(on: db).group(.or) {
            $0.filter(\.$id ~~ Array(onTeam)).filter(\.$coach.$id == me).filter(\.$sponsor.$id == me)
        }.all()
        // A completed project whose gains slip stays however long ago it closed: it wants an answer.
        let slipping = try await SlippingGains.projectIDs(
            among: all.filter { $0.status == .completed }.compactMap(\.id), on: db)
        let projects = all.filter { project in
            guard let closedWithin, let closedAt = project.closedAt, let id = project.id, !slipping.contains(id) else {
                return true
            }
            return now.timeIntervalSince(closedAt) < closedWithin
        }
        let ids = projects.compactMap(\.id)
        let measures = try await Measure.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$archivedAt == nil).all()
        let latest = try await DataPoint.latestPeriods(of: measures.compactMap(\.id), on: db)
        var newest: [UUID: Date] = [:]
        var overdue: [UUID: [String]] = [:]
        for measure in measures {
            guard let projectID = measure.$project.id, let id = measure.id else { continue }
            let freshness = MeasureFreshness(
                name: measure.name, frequency: measure.frequency, latestPeriod: latest[id],
                createdAt: measure.createdAt)
            if freshness.isOverdue(on: now) { overdue[projectID, default: []].append(measure.name) }
            guard let period = latest[id] else { continue }
            newest[projectID] = max(newest[projectID] ?? period, period)
        }
        return projects.compactMap { project -> PersonProject? in
            guard let id = project.id else { return nil }
            var parts: [String] = []
            if leads.contains(id) { parts.append("Lead") } else if onTeam.contains(id) { parts.append("Team member") }
            if project.$coach.id == me { parts.append("Coach") }
            if project.$sponsor.id == me { parts.append("Sponsor") }
            // The same rules as the forum's review and the team's tasks.
            var due: [String] = []
            if Stalled.awaitsUpdate(project, now: now) { due.append("Update due") }
            if project.status == .active, let names = overdue[id] {
                due.append("Data overdue: " + names.sorted().joined(separator: ", "))
            }
            if slipping.contains(id) { due.append("Gains slipping: say what is being done") }
            return PersonProject(
                title: project.title, url: SiteURL.projects(.show(.value(id))).relativeURL(),
                part: parts.joined(separator: ", "), status: project.status, score: project.score,
                latestData: newest[id].map { CalendarDay(containing: $0).shortLabel },
                due: due.isEmpty ? nil : due.joined(separator: "; "))
        }
        // Work in hand first, then by title.
        .sorted { ($0.status.isClosed ? 1 : 0, $0.title) < ($1.status.isClosed ? 1 : 0, $1.title) }
    }
}

extension Node where Context == HTML.BodyContext {
    /// A person's projects as a table: each with their part, its status, score and latest data.
    static func personProjects(_ projects: [PersonProject], partHeading: String) -> Node {
        .scrollingTable(
            .thead(
                .tr(
                    .th(.text("Project")), .th(.text(partHeading)), .th(.text("Status")), .th(.text("Score")),
                    .th(.text("Latest data")), .th(.text("Due")))),
            .tbody(
                .forEach(projects) { project in
                    .tr(
                        .td(.a(.href(project.url), .text(project.title))),
                        .td(.text(project.part)),
                        .td(.span(.class("status status-\(project.status.rawValue)"), .text(project.status.label))),
                        .td(.text(project.score?.text ?? "")),
                        .td(.text(project.latestData ?? "No data yet")),
                        .td(.text(project.due ?? ""))
                    )
                })
        )
    }
}
