import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Audit log")
struct AuditLogTests {
    @Test("an update records before and after; the log filters by person, unit and date, within the viewer's units")
    func log() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            let community = try await fixtures.unit("Community", kind: .directorate, parent: trust)
            let forensic = try await fixtures.unit("Forensic", kind: .directorate, parent: trust)
            try await fixtures.signIn("root@test.example", administrator: true)
            try await fixtures.signIn("local@test.example", role: .admin, at: community)
            let root = TestBrowser(app: app)
            _ = try await root.signIn("root@test.example")

            _ = try await root.post(
                "/units/\(try community.requireID())",
                form: [
                    "name": "Community Health", "kind": "directorate", "parent_id": try trust.requireID().uuidString,
                    "version": "1",
                ])
            _ = try await root.post(
                "/units/\(try forensic.requireID())",
                form: [
                    "name": "Forensic Services", "kind": "directorate", "parent_id": try trust.requireID().uuidString,
                    "version": "1",
                ])
            let update = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectID == community.id).first())
            #expect(update.before["name"] == "Community")
            #expect(update.after["name"] == "Community Health")
            #expect(update.changedFields.map(\.field) == ["name"])

            let all = try await root.get("/audit")
            #expect(all.body.contains("Community Health"))
            #expect(all.body.contains("Forensic Services"))
            let byUnit = try await root.get("/audit?unit=\(try forensic.requireID())")
            #expect(byUnit.body.contains("<ins>Forensic Services</ins>"))
            #expect(!byUnit.body.contains("<ins>Community Health</ins>"))
            let future = try await root.get("/audit?from=2999-01-01")
            #expect(future.body.contains("No entries match"))
            let badDate = try await root.get("/audit?from=yesterday")
            #expect(badDate.body.contains("Enter the start date as a date"))

            let local = TestBrowser(app: app)
            _ = try await local.signIn("local@test.example")
            let scoped = try await local.get("/audit")
            #expect(scoped.body.contains("<ins>Community Health</ins>"))
            #expect(
                !scoped.body.contains("<ins>Forensic Services</ins>"),
                "a directorate administrator sees only their directorate")
        }
    }
}

extension AuditLogTests {
    /// Issue 18, item 9: the log showed `parent: 1924934F-… → 6A1B…` and `kind: ward → team`.
    @Test("the log names the records an id points to and labels codes, rather than showing ids and codes")
    func inWords() async throws {
        try await withOpenQI { app in
            let fixtures = Fixtures(app: app)
            let world = try await TestWorld.make(app)
            try await fixtures.signIn("root@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("root@test.example")
            let ward = try world.willow.requireID()
            let moved = try await browser.post(
                "/units/\(ward)", editing: "/units/\(ward)/edit",
                form: [
                    "name": "Willow Ward", "kind": "team",
                    "parent_id": try world.otherDirectorate.requireID().uuidString,
                ])
            #expect(moved.status == .seeOther)
            let log = try await browser.get("/audit").body
            #expect(log.contains("<del>Trust › Adult Mental Health</del> → <ins>Trust › Forensic Services</ins>"))
            #expect(log.contains("<strong>kind</strong>: <del>Ward</del> → <ins>Team</ins>"))
            #expect(!log.contains("<del>\(try world.directorate.requireID().uuidString)"))
        }
    }
}
