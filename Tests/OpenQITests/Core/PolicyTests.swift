import Foundation
import Testing

@testable import OpenQI

@Suite("Policy")
struct PolicyTests {
    let trust = UUID(), directorate = UUID(), ward = UUID(), otherDirectorate = UUID()

    var tree: UnitTree {
        UnitTree([
            .init(id: trust, parentID: nil, name: "Trust", kind: .organisation, isArchived: false),
            .init(id: directorate, parentID: trust, name: "Community", kind: .directorate, isArchived: false),
            .init(id: ward, parentID: directorate, name: "Ward 7", kind: .ward, isArchived: false),
            .init(id: otherDirectorate, parentID: trust, name: "Forensic", kind: .directorate, isArchived: false),
        ])
    }

    func policy(_ grants: [RoleGrant.Scope], administrator: Bool = false) -> Policy {
        Policy(
            viewer: Viewer(
                accountID: UUID(), personID: UUID(), name: "Test", email: "t@test.example",
                isAdministrator: administrator,
                mustChangePassword: false, sessionID: UUID(), csrfToken: "t", grants: Set(grants)
            ),
            tree: tree
        )
    }

    @Test("roles are inherited down the tree, not up or sideways")
    func inheritance() {
        let admin = policy([.init(unitID: directorate, role: .admin)])
        #expect(admin.allows(.manageUnit(directorate)))
        #expect(admin.allows(.manageUnit(ward)))
        #expect(!admin.allows(.manageUnit(trust)))
        #expect(!admin.allows(.manageUnit(otherDirectorate)))
        #expect(admin.roles(at: ward) == [.admin])
    }

    @Test("the QI team manages people but not units or roles")
    func qiTeam() {
        let qi = policy([.init(unitID: trust, role: .qiTeam)])
        #expect(qi.allows(.managePeople(in: ward)))
        #expect(!qi.allows(.manageUnit(ward)))
        #expect(!qi.allows(.grantRoles(at: ward)))
        #expect(!qi.allows(.viewAuditLog))
        #expect(!qi.allows(.managePeople(in: nil)))
    }

    @Test("unit administrators see only their part of the audit log; installation administrators see all")
    func auditScope() {
        #expect(policy([.init(unitID: directorate, role: .admin)]).auditScope == [directorate, ward])
        #expect(policy([], administrator: true).auditScope == nil)
        #expect(policy([], administrator: true).allows(.createTopLevelUnit))
        #expect(!policy([.init(unitID: trust, role: .admin)]).allows(.createTopLevelUnit))
    }

    @Test("the tree gives paths, subtrees and an outline, and survives a loop")
    func unitTree() {
        #expect(tree.path(of: ward) == "Trust › Community › Ward 7")
        #expect(tree.subtree(of: directorate) == [directorate, ward])
        #expect(tree.outline().map(\.depth) == [0, 1, 2, 1])
        let a = UUID()
        let b = UUID()
        let loop = UnitTree([
            .init(id: a, parentID: b, name: "A", kind: .team, isArchived: false),
            .init(id: b, parentID: a, name: "B", kind: .team, isArchived: false),
        ])
        #expect(loop.selfAndAncestors(of: a) == [a, b])
    }
}
