import Foundation

/// Where each of the viewer's roles does its work: for every unit they hold a role for, the pages
/// that role uses there (a board member's report, an analyst's measures and uploads, a chair's
/// forum, a coach's load), so nobody starts from the whole organisation's lists.
struct MyPlace: Sendable, Equatable {
    /// "Viewer for Trust › Adult Mental Health"
    let heading: String
    let links: [PageContext.Link]
}

enum MyPlaces {
    static func of(_ policy: Policy) -> [MyPlace] {
        var places: [MyPlace] = []
        if policy.viewer.isAdministrator {
            places.append(
                MyPlace(
                    heading: "Installation administrator",
                    links: [
                        .init(label: "Units", url: SiteURL.units(.index).relativeURL()),
                        .init(label: "People", url: SiteURL.people(.index).relativeURL()),
                        .init(label: "Audit log", url: SiteURL.audit.relativeURL()),
                        .init(label: "API tokens", url: SiteURL.apiTokens(.index).relativeURL()),
                    ]))
        }
        let grants = policy.viewer.grants.sorted {
            ($0.role, policy.tree.path(of: $0.unitID)) < ($1.role, policy.tree.path(of: $1.unitID))
        }
        for grant in grants where policy.tree.nodes[grant.unitID].map({ !$0.isArchived }) == true {
            let unit = Parameter<UUID>.value(grant.unitID)
            let links: [(String, SiteURL)] =
                switch grant.role {
                case .viewer: [("Board report", .units(.boardReport(unit))), ("Measures", .units(.measures(unit)))]
                case .qiTeam:
                    [
                        ("Measures", .units(.measures(unit))), ("Early warning", .units(.earlyWarning(unit))),
                        ("Upload data", .units(.dataUpload(unit))), ("Board report", .units(.boardReport(unit))),
                    ]
                case .admin:
                    [
                        ("Unit", .units(.show(unit))), ("Measures", .units(.measures(unit))),
                        ("Portfolio", .units(.portfolio(unit))), ("Audit log", .audit),
                    ]
                case .forumChair:
                    [
                        ("Forum", .forums(.show(.value(policy.tree.forumUnit(for: grant.unitID))))),
                        ("Portfolio", .units(.portfolio(unit))),
                    ]
                case .coach: [("Coaching load", .units(.coaches(unit))), ("Portfolio", .units(.portfolio(unit)))]
                case .improvementAdvisor:
                    [
                        ("Programmes", .programmes(.index)), ("Portfolio", .units(.portfolio(unit))),
                        ("QI coaches", .capability(.coaches)),
                    ]
                case .capabilityLead: [("Courses", .courses(.index)), ("People", .people(.index))]
                case .executive:
                    [
                        ("WalkRounds", .walkRounds(.index)), ("Board report", .units(.boardReport(unit))),
                    ]
                case .sponsor: [("Portfolio", .units(.portfolio(unit))), ("Measures", .units(.measures(unit)))]
                case .member: [("Unit", .units(.show(unit))), ("Measures", .units(.measures(unit)))]
                }
            places.append(
                MyPlace(
                    heading: "\(grant.role.label) for \(policy.tree.path(of: grant.unitID))",
                    links: links.map { .init(label: $0.0, url: $0.1.relativeURL()) }))
        }
        return places
    }
}
