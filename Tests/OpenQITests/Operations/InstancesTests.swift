import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Two OpenQI instances on one database, as behind a load balancer: each has its own caches, and
/// they start together.
@Suite("Several instances on one database", .serialized)
struct InstancesTests {
    @Test("two instances starting together on an empty database migrate it once, and each sees the other's changes")
    func twoInstances() async throws {
        let (location, cleanUp) = try await Self.emptyDatabase()
        var apps: [Application] = []
        do {
            for _ in 0..<2 { apps.append(try await configuredApplication(OpenQIConfiguration(database: location))) }
            let (first, second) = (apps[0], apps[1])
            async let one: Void = first.prepareDatabase()
            async let two: Void = second.prepareDatabase()
            _ = try await (one, two)
            let ran = try await first.db.query(MigrationLog.self).count()
            #expect(ran == OpenQIMigrations.all.count, "each migration ran once")

            let world = try await TestWorld.make(first)
            try await Fixtures(app: first).signIn("admin@test.example", administrator: true)
            let (onFirst, onSecond) = (TestBrowser(app: first), TestBrowser(app: second))
            _ = try await onFirst.signIn("admin@test.example")
            _ = try await onSecond.signIn("admin@test.example")
            let path = "/units/\(try world.willow.requireID())"
            // Drawn and kept by the second instance; then renamed through the first.
            #expect(try await onSecond.get("/units").body.contains("Willow Ward"))
            let renamed = try await onFirst.post(
                path,
                form: [
                    "name": "Willow Ward (renamed)", "kind": "ward",
                    "parent_id": try world.directorate.requireID().uuidString, "version": "1",
                ])
            #expect(renamed.status == .seeOther)
            #expect(try await onSecond.get("/units").body.contains("Willow Ward (renamed)"))
            #expect(try await onSecond.get(path).body.contains("Willow Ward (renamed)"))
        } catch {
            for app in apps { try? await app.asyncShutdown() }
            try? await cleanUp()
            throw error
        }
        for app in apps { try await app.asyncShutdown() }
        try await cleanUp()
    }

    /// A database with no tables at all: on PostgreSQL a new one on the test server, else an SQLite file.
    static func emptyDatabase() async throws -> (DatabaseLocation, @Sendable () async throws -> Void) {
        if let url = TestDatabase.postgresURL {
            let name = TestDatabase.uniqueName()
            try await PostgresAdmin(url: url).run("CREATE DATABASE \(name)")
            return (
                .postgres(url: TestDatabase.url(url, database: name)),
                { try await TestDatabase.drop(name, on: url) }
            )
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "openqi-two-\(UUID().uuidString).sqlite"
        )
        .path
        return (.sqliteFile(path: path), { TestDatabase.removeSQLite(at: path) })
    }
}
