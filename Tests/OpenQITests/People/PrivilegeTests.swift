import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Nobody acts on a person whose sign-in may do more than their own: the takeover found by probing
/// (a ward's administrator issued an installation administrator a new sign-in) and its relatives.
@Suite("Acting on people with more rights", .serialized)
struct PrivilegeTests {
    /// The ward administrator, signed in, and the people of their ward they try to act on.
    struct Scene {
        let app: Application
        let world: TestWorld
        let wardAdmin: TestBrowser
        let installationAdmin: Person
        let trustAdmin: Person
        let otherProjectLead: Person
        let plainMember: Person
    }

    static func withScene(_ body: (Scene) async throws -> Void) async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let world = try await TestWorld.make(app)
            // All four live on Willow Ward, so the ward's administrator manages their records.
            let installationAdmin = try await fixtures.signIn(
                "root@test.example", at: world.willow, administrator: true)
            let trustAdmin = try await fixtures.signIn("chief@test.example", at: world.willow)
            try await RoleGrant(personID: try trustAdmin.requireID(), unitID: try world.trust.requireID(), role: .admin)
                .create(on: app.db)
            let otherProjectLead = try await fixtures.signIn("lead@test.example", role: .viewer, at: world.willow)
            try await fixtures.approvedProject(
                "Fewer restraints on Oak", unit: world.oak, lead: otherProjectLead, approvedAt: AppClock.now)
            try await TeamMember(
                projectID: try #require(try await Project.query(on: app.db).first()?.requireID()),
                personID: try otherProjectLead.requireID(), role: "Lead", isLead: true, involvement: .none
            ).create(on: app.db)
            let plainMember = try await fixtures.signIn("member@test.example", role: .member, at: world.willow)
            try await fixtures.signIn("wardadmin@test.example", role: .admin, at: world.willow)
            let wardAdmin = TestBrowser(app: app)
            _ = try await wardAdmin.signIn("wardadmin@test.example")
            try await body(
                Scene(
                    app: app, world: world, wardAdmin: wardAdmin, installationAdmin: installationAdmin,
                    trustAdmin: trustAdmin, otherProjectLead: otherProjectLead, plainMember: plainMember))
        }
    }

    @Test("a ward administrator cannot issue a sign-in to, edit, archive or restore anyone who may do more")
    func refusedAboveOwnRights() async throws {
        try await Self.withScene { scene in
            for target in [scene.installationAdmin, scene.trustAdmin, scene.otherProjectLead] {
                let id = try target.requireID()
                let email = try #require(target.email)
                #expect(try await scene.wardAdmin.post("/people/\(id)/sign-in").status == .forbidden, "\(email)")
                #expect(try await scene.wardAdmin.get("/people/\(id)/edit").status == .forbidden, "\(email)")
                #expect(
                    try await scene.wardAdmin.post("/people/\(id)", form: ["full_name": "Taken Over", "email": email])
                        .status == .forbidden, "\(email)")
                #expect(
                    try await scene.wardAdmin.json(.PUT, "/api/v1/people/\(id)", ["full_name": "Taken Over"]).status
                        == .forbidden, "\(email)")
                #expect(try await scene.wardAdmin.post("/people/\(id)/archive").status == .forbidden, "\(email)")
                #expect(try await scene.wardAdmin.post("/people/\(id)/restore").status == .forbidden, "\(email)")

                // Their own password still works, their record is as it was, and the page offers nothing.
                let own = TestBrowser(app: scene.app)
                #expect(try await own.signIn(email).location == "/", "\(email)")
                let after = try #require(try await Person.find(id, on: scene.app.db))
                #expect(after.fullName == target.fullName && !after.isArchived)
                let page = try await scene.wardAdmin.get("/people/\(id)")
                #expect(page.status == .ok)
                #expect(!page.body.contains("/people/\(id)/sign-in"), "\(email)")
                #expect(!page.body.contains("/people/\(id)/archive"), "\(email)")
                #expect(!page.body.contains("/people/\(id)/edit"), "\(email)")
            }
        }
    }

    @Test("a ward administrator still manages the ward's own people, and nobody issues themselves a sign-in")
    func allowedWithinOwnRights() async throws {
        try await Self.withScene { scene in
            let id = try scene.plainMember.requireID()
            let page = try await scene.wardAdmin.get("/people/\(id)")
            #expect(page.body.contains("/people/\(id)/sign-in"))
            #expect(try await scene.wardAdmin.post("/people/\(id)/sign-in").status == .ok)
            #expect(try await scene.wardAdmin.post("/people/\(id)/archive").status == .seeOther)
            #expect(try await scene.wardAdmin.post("/people/\(id)/restore").status == .seeOther)

            let root = TestBrowser(app: scene.app)
            _ = try await root.signIn("root@test.example")
            let rootID = try scene.installationAdmin.requireID()
            #expect(try await root.post("/people/\(rootID)/sign-in").status == .forbidden)
            #expect(try await root.post("/people/\(try scene.trustAdmin.requireID())/sign-in").status == .ok)
        }
    }

    /// Decided: a role grant is about a unit, not the person. A ward's administrator may grant or
    /// revoke a role at the ward whoever holds it, since that changes nothing beyond the ward and
    /// does not touch the account; a grant higher up stays out of their reach.
    @Test("a ward administrator grants and revokes roles at the ward only, whoever holds them")
    func rolesWithinOwnUnits() async throws {
        try await Self.withScene { scene in
            let db = scene.app.db
            let id = try scene.trustAdmin.requireID()
            let (willow, trust) = (try scene.world.willow.requireID(), try scene.world.trust.requireID())
            let granted = try await scene.wardAdmin.post(
                "/people/\(id)/roles", form: ["role": "coach", "unit_id": willow.uuidString])
            #expect(granted.status == .seeOther)
            let grant = try #require(
                try await RoleGrant.query(on: db).filter(\.$person.$id == id).filter(\.$unit.$id == willow).first())
            #expect(try await scene.wardAdmin.post("/people/\(id)/roles/\(grant.id!)/revoke").status == .seeOther)
            #expect(try await RoleGrant.find(grant.id, on: db) == nil)

            // The trust-level role is beyond the ward: neither revoked nor granted from there, nor offered.
            let wider = try #require(
                try await RoleGrant.query(on: db).filter(\.$person.$id == id).filter(\.$unit.$id == trust).first())
            #expect(try await scene.wardAdmin.post("/people/\(id)/roles/\(wider.id!)/revoke").status == .forbidden)
            #expect(
                try await scene.wardAdmin.post(
                    "/people/\(id)/roles", form: ["role": "admin", "unit_id": trust.uuidString]
                )
                .status == .forbidden)
            #expect(try await RoleGrant.find(wider.id, on: db) != nil)
            let page = try await scene.wardAdmin.get("/people/\(id)")
            #expect(!page.body.contains("/roles/\(wider.id!)/revoke"))
            #expect(try await TestBrowser(app: scene.app).signIn("chief@test.example").location == "/")
        }
    }

    @Test("a role covers another only when it gives everything the other gives")
    func roleInclusion() {
        #expect(Role.admin.includes(.forumChair) && Role.admin.includes(.qiTeam))
        #expect(Role.qiTeam.includes(.coach) && !Role.qiTeam.includes(.forumChair) && !Role.qiTeam.includes(.admin))
        #expect(!Role.forumChair.includes(.qiTeam) && Role.forumChair.includes(.sponsor))
        #expect(!Role.viewer.includes(.qiTeam) && Role.viewer.includes(.member))
    }
}
