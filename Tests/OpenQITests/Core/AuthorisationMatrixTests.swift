import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Every role × a few routes, each with the status its success answers. `RouteMatrixTests` covers
/// every route of the route table.
@Suite("Authorisation matrix")
struct AuthorisationMatrixTests {
    /// Who is asking: roles are granted at the directorate "Adult Mental Health", except for the
    /// administrator of another directorate, who should reach nothing of this one's.
    enum Who: String, CaseIterable, CustomStringConvertible, Sendable {
        case signedOut, installationAdmin, admin, qiTeam, forumChair, sponsor, coach, member, viewer, executive
        case unrelatedAdmin
        var description: String { rawValue }
        var role: Role? {
            switch self {
            case .signedOut, .installationAdmin: nil
            case .admin, .unrelatedAdmin: .admin
            case .qiTeam: .qiTeam
            case .forumChair: .forumChair
            case .sponsor: .sponsor
            case .coach: .coach
            case .member: .member
            case .viewer: .viewer
            case .executive: .executive
            }
        }
    }

    /// The organisation every case runs against.
    struct World {
        let trust: Unit, directorate: Unit, ward: Unit, otherDirectorate: Unit, person: Person
    }

    struct Route: CustomStringConvertible, Sendable {
        let description: String
        let request: @Sendable (TestBrowser, World) async throws -> TestBrowser.Page
        /// Who gets the success status; everyone else signed in gets 403, the signed-out get the sign-in page (or 401 for the API).
        let allowed: Set<String>
        let success: HTTPStatus
        var isAPI: Bool { description.contains("/api/") }
    }

    static let readers = Set(Who.allCases.filter { $0 != .signedOut }.map(\.rawValue))
    static let unitAdmins: Set<String> = [Who.installationAdmin.rawValue, Who.admin.rawValue]
    static let peopleManagers: Set<String> = [Who.installationAdmin.rawValue, Who.admin.rawValue, Who.qiTeam.rawValue]

    static let routes: [Route] = [
        Route(description: "GET /", request: { b, _ in try await b.get("/") }, allowed: readers, success: .ok),
        Route(
            description: "GET /units", request: { b, _ in try await b.get("/units") }, allowed: readers, success: .ok),
        Route(
            description: "GET /units/:ward", request: { b, w in try await b.get("/units/\(w.ward.id!)") },
            allowed: readers, success: .ok),
        Route(
            description: "GET /units/new below the directorate",
            request: { b, w in try await b.get("/units/new?parent_id=\(w.directorate.id!)") }, allowed: unitAdmins,
            success: .ok),
        Route(
            description: "POST /units below the directorate",
            request: { b, w in
                try await b.post(
                    "/units",
                    form: [
                        "name": "Ward \(UUID().uuidString.prefix(6))", "kind": "ward",
                        "parent_id": w.directorate.id!.uuidString,
                    ])
            }, allowed: unitAdmins, success: .seeOther),
        Route(
            description: "POST /units at the top level",
            request: { b, _ in
                try await b.post(
                    "/units", form: ["name": "Trust \(UUID().uuidString.prefix(6))", "kind": "organisation"])
            }, allowed: [Who.installationAdmin.rawValue], success: .seeOther),
        Route(
            description: "GET /units/:ward/edit", request: { b, w in try await b.get("/units/\(w.ward.id!)/edit") },
            allowed: unitAdmins, success: .ok),
        Route(
            description: "POST /units/:ward (update)",
            request: { b, w in
                try await b.post(
                    "/units/\(w.ward.id!)", editing: "/units/\(w.ward.id!)/edit",
                    form: [
                        "name": "Ward 7", "kind": "ward", "parent_id": w.directorate.id!.uuidString,
                        "description": "Updated",
                    ])
            }, allowed: unitAdmins, success: .seeOther),
        Route(
            description: "POST /units/:other-directorate/archive",
            request: { b, w in try await b.post("/units/\(w.otherDirectorate.id!)/archive") },
            // The other directorate is the unrelated administrator's own.
            allowed: [Who.installationAdmin.rawValue, Who.unrelatedAdmin.rawValue], success: .seeOther),
        Route(
            description: "GET /people", request: { b, _ in try await b.get("/people") }, allowed: readers, success: .ok),
        Route(
            description: "GET /people/:person", request: { b, w in try await b.get("/people/\(w.person.id!)") },
            allowed: readers, success: .ok),
        Route(
            description: "GET /people/new in the ward",
            request: { b, w in try await b.get("/people/new?unit_id=\(w.ward.id!)") }, allowed: peopleManagers,
            success: .ok),
        Route(
            description: "POST /people in the ward",
            request: { b, w in
                try await b.post(
                    "/people", form: ["full_name": "New Person", "kind": "carer", "unit_id": w.ward.id!.uuidString])
            }, allowed: peopleManagers, success: .seeOther),
        Route(
            description: "GET /people/:person/edit",
            request: { b, w in try await b.get("/people/\(w.person.id!)/edit") }, allowed: peopleManagers, success: .ok),
        Route(
            description: "POST /people/:person/roles",
            request: { b, w in
                try await b.post(
                    "/people/\(w.person.id!)/roles", form: ["role": "coach", "unit_id": w.ward.id!.uuidString])
            }, allowed: unitAdmins, success: .seeOther),
        Route(
            description: "POST /people/:person/sign-in",
            request: { b, w in try await b.post("/people/\(w.person.id!)/sign-in") }, allowed: unitAdmins, success: .ok),
        Route(
            // Every administrator has an audit log, of their own units only (`RouteMatrixTests.ownPartOnly`).
            description: "GET /audit", request: { b, _ in try await b.get("/audit") },
            allowed: unitAdmins.union([Who.unrelatedAdmin.rawValue]), success: .ok),
        Route(
            description: "GET /api/v1/units", request: { b, _ in try await b.json(.GET, "/api/v1/units") },
            allowed: readers, success: .ok),
        Route(
            description: "GET /api/v1/people", request: { b, _ in try await b.json(.GET, "/api/v1/people") },
            allowed: readers, success: .ok),
        Route(
            description: "POST /api/v1/units below the directorate",
            request: { b, w in
                try await b.json(
                    .POST, "/api/v1/units",
                    [
                        "name": "Team \(UUID().uuidString.prefix(6))", "kind": "team",
                        "parent_id": w.directorate.id!.uuidString,
                    ])
            }, allowed: unitAdmins, success: .created),
        Route(
            description: "PUT /api/v1/people/:person",
            request: { b, w in
                try await b.put(
                    "/api/v1/people/\(w.person.id!)",
                    fields: ["full_name": "Renamed", "kind": "staff", "unit_id": w.ward.id!.uuidString])
            }, allowed: peopleManagers, success: .ok),
    ]

    @Test("each role gets what it may and nothing else", arguments: routes)
    func matrix(route: Route) async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let units = try await TestWorld.make(app)
            let (trust, directorate, ward, other) = (
                units.trust, units.directorate, units.willow, units.otherDirectorate
            )
            let person = try await fixtures.person("Pat Doe", unit: ward, email: "pat@test.example")
            let world = World(
                trust: trust, directorate: directorate, ward: ward, otherDirectorate: other, person: person)

            for who in Who.allCases {
                let browser = TestBrowser(app: app)
                if who != .signedOut {
                    let email = "\(who.rawValue.lowercased())@test.example"
                    try await fixtures.signIn(
                        email, role: who.role,
                        at: who.role == nil ? nil : who == .unrelatedAdmin ? other : directorate,
                        administrator: who == .installationAdmin)
                    #expect(try await browser.signIn(email).status == .seeOther)
                }
                let page = try await route.request(browser, world)
                // Start each viewer from the same roles, so a grant made by one does not clash with the next.
                try await RoleGrant.query(on: app.db).filter(\.$person.$id == person.id!).delete()
                if route.allowed.contains(who.rawValue) {
                    #expect(page.status == route.success, "\(who) should be allowed: \(page.status)")
                } else if who == .signedOut {
                    if route.isAPI {
                        #expect(page.status == .unauthorized, "signed out API: \(page.status)")
                        #expect(page.headers.contentType == Problem.contentType && page.body.contains("\"detail\""))
                    } else if route.description.hasPrefix("GET") {
                        #expect(page.status == .seeOther)
                        #expect(page.location?.hasPrefix("/sign-in") == true)
                    } else {
                        // A signed-out POST has no session token, so it fails the anti-forgery check first.
                        #expect([.forbidden, .seeOther].contains(page.status), "signed out POST: \(page.status)")
                    }
                } else {
                    #expect(page.status == .forbidden, "\(who) should be refused: \(page.status)")
                }
            }
        }
    }
}
