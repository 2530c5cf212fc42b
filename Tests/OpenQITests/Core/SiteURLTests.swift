import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("SiteURL")
struct SiteURLTests {
    let id = UUID(uuidString: "6F1B4C3E-0000-4000-8000-000000000001")!

    @Test("links and route patterns come from the same cases")
    func pathsAndPatterns() {
        #expect(SiteURL.home.relativeURL() == "/")
        #expect(SiteURL.units(.show(.value(id))).relativeURL() == "/units/\(id.uuidString)")
        #expect(SiteURL.units(.show(.key)).pathComponents.map(\.description) == ["units", ":unitID"])
        #expect(
            SiteURL.people(.revokeRole(person: .value(id), grant: .value(id))).relativeURL()
                == "/people/\(id)/roles/\(id)/revoke")
        #expect(
            SiteURL.people(.revokeRole(person: .key, grant: .key)).pathComponents.map(\.description) == [
                "people", ":personID", "roles", ":grantID", "revoke",
            ])
        #expect(SiteURL.api(.unit(.key)).pathComponents.map(\.description) == ["api", "v1", "units", ":unitID"])
        #expect(SiteURL.people(.index).relativeURL(query: [("q", "a b&c=d+e\"")]) == "/people?q=a%20b%26c%3Dd%2Be%22")
    }
}
