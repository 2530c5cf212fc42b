import Foundation

/// The starts of the breadcrumb trails that many pages share, so every page about a unit, a
/// project or a person links back the same way.
extension [PageContext.Link] {
    /// Units › the unit (when there is one yet).
    static func unit(_ id: UUID?, named name: String?) -> Self {
        trail("Units", to: .units(.index), then: name, at: id.map { .units(.show(.value($0))) })
    }

    /// Projects › the project (when there is one yet).
    static func project(_ id: UUID?, named title: String?) -> Self {
        trail("Projects", to: .projects(.index), then: title, at: id.map { .projects(.show(.value($0))) })
    }

    /// People › the person (when there is one yet).
    static func person(_ id: UUID?, named name: String?) -> Self {
        trail("People", to: .people(.index), then: name, at: id.map { .people(.show(.value($0))) })
    }

    private static func trail(_ label: String, to index: SiteURL, then name: String?, at page: SiteURL?) -> Self {
        let start = PageContext.Link(label: label, url: index.relativeURL())
        guard let name, let page else { return [start] }
        return [start, .init(label: name, url: page.relativeURL())]
    }
}
