import Fluent
import Foundation

/// A project the viewer has a part in, as the home page lists it: their part, where it stands,
/// and how fresh its data are.
struct MyProject: Sendable, Equatable {
    let title: String
    let url: String
    /// "Lead", "Team member", "Coach", "Sponsor", joined where they have several.
    let part: String
    let status: ProjectStatus
    let score: ProgressScore?
    /// The latest period with data on any of its measures, or nil when none has data.
    let latestData: String?
}

enum MyProjects {
    /// Projects ended this long ago drop off the home page (they stay on /projects?mine=any).
    static let closedShownFor: TimeInterval = 90 * 86_400

    static func query(policy: Policy, on db: any Database, now: Date = AppClock.now) async throws -> [MyProject] {
        let me = policy.viewer.personID
        let memberships = try await TeamMember.query(on: db).filter(\.$person.$id == me).all()
        let onTeam = Set(memberships.map(\.$project.id))
        let leads = Set(memberships.filter(\.isLead).map(\.$project.id))
        let projects = try await Project.query(on: db).group(.or) {
            $0.filter(\.$id ~~ Array(onTeam)).filter(\.$coach.$id == me).filter(\.$sponsor.$id == me)
        }.all().filter { project in
            project.closedAt.map { now.timeIntervalSince($0) < closedShownFor } ?? true
        }
        let ids = projects.compactMap(\.id)
        let measures = try await Measure.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$archivedAt == nil).all()
        let latest = try await DataPoint.latestPeriods(of: measures.compactMap(\.id), on: db)
        var newest: [UUID: Date] = [:]
        for measure in measures {
            guard let projectID = measure.$project.id, let id = measure.id, let period = latest[id] else { continue }
            newest[projectID] = max(newest[projectID] ?? period, period)
        }
        return projects.compactMap { project -> MyProject? in
            guard let id = project.id else { return nil }
            var parts: [String] = []
            if leads.contains(id) { parts.append("Lead") } else if onTeam.contains(id) { parts.append("Team member") }
            if project.$coach.id == me { parts.append("Coach") }
            if project.$sponsor.id == me { parts.append("Sponsor") }
            return MyProject(
                title: project.title, url: SiteURL.projects(.show(.value(id))).relativeURL(),
                part: parts.joined(separator: ", "), status: project.status, score: project.score,
                latestData: newest[id].map(CalendarDay.text))
        }
        // Work in hand first, then by title.
        .sorted { ($0.status.isClosed ? 1 : 0, $0.title) < ($1.status.isClosed ? 1 : 0, $1.title) }
    }
}
