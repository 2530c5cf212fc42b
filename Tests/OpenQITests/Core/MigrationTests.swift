import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import OpenQI
@testable import OpenQIDemo

@Suite("Migrations")
struct MigrationTests {
    @Test("every migration runs up, reverts cleanly and runs up again")
    func upDownUp() async throws {
        try await withOpenQI { app in
            let tables = [
                "units", "people", "role_grants", "accounts", "account_sessions", "audit_entries",
                "installation_settings",
            ]
            #expect(try await existingTables(app).isSuperset(of: tables))
            try await Fixtures(app: app).unit("Trust", kind: .organisation)

            try await app.autoRevert()
            #expect(try await existingTables(app).isDisjoint(with: tables))

            try await app.autoMigrate()
            #expect(try await existingTables(app).isSuperset(of: tables))
            #expect(try await Unit.query(on: app.db).count() == 0)
        }
    }

    @Test(
        "upgrading to diagrams that programmes and plans own keeps every project's boxes and links, and the database's rules still hold"
    )
    func diagramOwnersUpgrade() async throws {
        try await withOpenQI { app in
            let db = app.db
            let sql = db.sql
            // Back to before: a box belongs to a project, which it must name.
            try await CreateAnnualPlans().revert(on: db)
            try await AddDiagramOwners().revert(on: db)
            let fixtures = Fixtures(app: app)
            let unit = try await fixtures.unit("Trust", kind: .organisation)
            let lead = try await fixtures.person("Lee Lead", unit: unit)
            let project = try await fixtures.approvedProject(
                "Fewer falls", unit: unit, lead: lead, approvedAt: AppClock.now)
            let (primary, secondary, idea) = (UUID(), UUID(), UUID())
            try await sql.raw(
                """
                INSERT INTO drivers (id, project_id, level, text, position, version) VALUES \
                (\(bind: primary), \(bind: project.id!), 'primary', 'Safe mobility', 0, 1), \
                (\(bind: secondary), \(bind: project.id!), 'secondary', 'Walking aids', 1, 3)
                """
            ).run()
            try await sql.raw(
                "INSERT INTO driver_links (id, primary_id, secondary_id) VALUES (\(bind: UUID()), \(bind: primary), \(bind: secondary))"
            ).run()
            try await sql.raw(
                "INSERT INTO change_ideas (id, project_id, title, position, version) VALUES (\(bind: idea), \(bind: project.id!), 'Huddle', 0, 2)"
            ).run()
            try await sql.raw(
                "INSERT INTO change_idea_drivers (id, change_idea_id, driver_id) VALUES (\(bind: UUID()), \(bind: idea), \(bind: secondary))"
            ).run()
            await #expect(throws: (any Error).self, "a box must name its project before") {
                try await sql.raw(
                    "INSERT INTO drivers (id, project_id, level, text, position, version) VALUES (\(bind: UUID()), NULL, 'primary', 'x', 2, 1)"
                ).run()
            }

            try await AddDiagramOwners().prepare(on: db)
            try await CreateAnnualPlans().prepare(on: db)

            let diagram = try await DriverDiagram.load(for: project, on: db)
            #expect(diagram.drivers.map(\.text) == ["Safe mobility", "Walking aids"])
            #expect(diagram.driver(secondary)?.primaryIDs == [primary] && diagram.driver(secondary)?.version == 3)
            #expect(diagram.ideas.map(\.title) == ["Huddle"] && diagram.ideas[0].driverIDs == [secondary])
            // A programme's box names no project; one naming nothing that exists is still refused.
            let programme = Programme(name: "Violence reduction", unitID: unit.id!)
            try await programme.create(on: db)
            try await Driver(owner: .programme(programme.id!), level: .primary, text: "Calm wards", position: 0)
                .create(on: db)
            await #expect(throws: (any Error).self) {
                try await Driver(owner: .project(UUID()), level: .primary, text: "Nobody's", position: 0).create(on: db)
            }
            // Removing the project still removes its boxes and their links.
            try await project.delete(on: db)
            #expect(try await Driver.query(on: db).filter(\.$project.$id != nil).count() == 0)
            #expect(try await ChangeIdea.query(on: db).count() == 0)
            #expect(try await DriverLink.query(on: db).count() == 0)
            #expect(try await ChangeIdeaDriver.query(on: db).count() == 0)
            #expect(try await Driver.query(on: db).count() == 1, "the programme's own box stays")
        }
    }

    private func existingTables(_ app: Application) async throws -> Set<String> {
        let sql = try #require(app.db as? any SQLDatabase)
        struct Row: Decodable { let name: String }
        let rows: [Row] =
            if TestDatabase.isPostgres {
                try await sql.raw(
                    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
                ).all(decoding: Row.self)
            } else {
                try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all(decoding: Row.self)
            }
        return Set(rows.map(\.name))
    }
}

@Suite("Operations")
struct OperationsTests {
    static let metricsToken = String(repeating: "m", count: 40)

    @Test("/health reports the database, /metrics speaks Prometheus to its scraper only, and the API wants a session")
    func operations() async throws {
        try await withOpenQI(metricsToken: Self.metricsToken) { app in
            let browser = TestBrowser(app: app)
            let health = try await browser.get("/health")
            #expect(health.status == .ok)
            #expect(health.body.contains(#""database":"ok""#))

            try await browser.get("/units")
            let scraper = TestBrowser(app: app, headers: ["Authorization": "Bearer \(Self.metricsToken)"])
            let metrics = try await scraper.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
            #expect(metrics.body.contains("http_requests_total"))
            // Not for anyone else: signed out, a wrong token, or an installation administrator's session.
            #expect(try await browser.get("/metrics").status == .unauthorized)
            let guesser = TestBrowser(app: app, headers: ["Authorization": "Bearer \(Self.metricsToken.dropLast())x"])
            #expect(try await guesser.get("/metrics").status == .unauthorized)
            try await Fixtures(app: app).signIn("root@test.example", administrator: true)
            let administrator = TestBrowser(app: app)
            _ = try await administrator.signIn("root@test.example")
            #expect(try await administrator.get("/metrics").status == .unauthorized)

            let api = try await browser.get("/api/v1/people")
            #expect(api.status == .unauthorized)
            #expect(api.headers.contentType == Problem.contentType)
            #expect(try await browser.get("/api/v1/nothing-here").status == .unauthorized)
        }
    }

    @Test("without OPENQI_METRICS_TOKEN there is no /metrics, and a short token is refused at start")
    func metricsOffByDefault() async throws {
        try await withOpenQI { app in
            let metrics = try await TestBrowser(app: app).get("/metrics")
            #expect(metrics.status == .notFound)
        }
        #expect(try OpenQIConfiguration.metricsTokenFromEnvironment([:]) == nil)
        #expect(try OpenQIConfiguration.metricsTokenFromEnvironment(["OPENQI_METRICS_TOKEN": ""]) == nil)
        #expect(throws: ConfigurationError.self) {
            try OpenQIConfiguration.metricsTokenFromEnvironment(["OPENQI_METRICS_TOKEN": "secret"])
        }
        #expect(
            try OpenQIConfiguration.metricsTokenFromEnvironment(["OPENQI_METRICS_TOKEN": Self.metricsToken])
                == Self.metricsToken)
    }

    @Test(
        "OPENQI_PG_CONNECTIONS sets the PostgreSQL connections a core holds, and a value out of range is refused at start"
    )
    func postgresConnections() throws {
        #expect(
            try OpenQIConfiguration.postgresConnectionsPerCoreFromEnvironment([:])
                == OpenQIConfiguration.defaultPostgresConnectionsPerCore)
        #expect(try OpenQIConfiguration.postgresConnectionsPerCoreFromEnvironment(["OPENQI_PG_CONNECTIONS": "8"]) == 8)
        for wrong in ["0", "33", "-1", "four", "99999999999999999999"] {
            #expect(throws: ConfigurationError.self) {
                try OpenQIConfiguration.postgresConnectionsPerCoreFromEnvironment(["OPENQI_PG_CONNECTIONS": wrong])
            }
        }
    }

    @Test("the demo is never loaded into a database with sign-ins or units of its own")
    func demoRefusedOnRealData() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("root@trust.example", administrator: true)
            await #expect(throws: DemoRefused.self) { try await app.loadDemoOrganisation(size: .small) }
            #expect(try await Account.query(on: app.db).count() == 1, "no demo sign-in was added")
            #expect(try await !InstallationSetting.isDemo(on: app.db))
        }
        try await withOpenQI { app in
            try await Fixtures(app: app).unit("Trust", kind: .organisation)
            let refusal = await #expect(throws: DemoRefused.self) { try await app.loadDemoOrganisation(size: .small) }
            #expect(refusal?.description.contains("Run without --demo") == true)
            #expect(try await Unit.query(on: app.db).count() == 1)
        }
    }

    @Test("the demo organisation has the promised shape and its sign-ins work with the password demo")
    func demo() async throws {
        // The database starts from a copy of one the demo was loaded into, once per run, and
        // that first load, into an empty database, had to answer true (`TestApp.swift`).
        try await withOpenQI(demo: true) { app in
            #expect(try await InstallationSetting.isDemo(on: app.db))
            #expect(try await app.loadDemoOrganisation(size: .small) == false, "a second load changes nothing")
            #expect(try await Unit.query(on: app.db).filter(\.$kind == .directorate).count() == 6)
            #expect(try await Unit.query(on: app.db).filter(\.$kind == .partner).count() == 2)
            let frontline = try await Unit.query(on: app.db).filter(\.$kind ~~ [.ward, .team, .service]).count()
            #expect((55...65).contains(frontline))
            let people = try await Person.query(on: app.db).count()
            #expect((500...520).contains(people))
            for kind in PersonKind.allCases {
                #expect(try await Person.query(on: app.db).filter(\.$kind == kind).count() > 0, "some \(kind)")
            }
            let browser = TestBrowser(app: app)
            let signIn = try await browser.get("/sign-in")
            for demo in DemoOrganisation.signIns { #expect(signIn.body.contains(demo.email)) }
            #expect(try await browser.signIn("admin@example.org", password: "demo").location == "/")
            #expect(try await browser.get("/units").body.contains("East Riverside NHS Foundation Trust"))
        }
    }

    @Test("a real installation never lists demo sign-ins")
    func notDemo() async throws {
        try await withOpenQI { app in
            let page = try await TestBrowser(app: app).get("/sign-in")
            #expect(!page.body.contains("Demo sign-ins"))
            #expect(!page.body.contains("admin@example.org"))
        }
    }
}

@Suite("Making a column optional")
struct AllowNullTests {
    @Test("a required column becomes optional with every row, index and foreign key kept, and twice is harmless")
    func allowNull() async throws {
        try await withOpenQI { app in
            let sql = app.db.sql
            try await sql.raw(
                "CREATE TABLE scratch_owners (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"
            ).run()
            try await sql.raw(
                """
                CREATE TABLE scratch_boxes (id INTEGER PRIMARY KEY, \
                "owner_id" INTEGER NOT NULL REFERENCES scratch_owners (id) ON DELETE CASCADE, text TEXT NOT NULL)
                """
            ).run()
            try await sql.raw(
                "CREATE TABLE scratch_links (id INTEGER PRIMARY KEY, box_id INTEGER NOT NULL REFERENCES scratch_boxes (id))"
            ).run()
            try await sql.raw("CREATE INDEX ix_scratch_boxes_owner_id ON scratch_boxes (owner_id)").run()
            try await sql.raw("INSERT INTO scratch_owners (id, name) VALUES (1, 'Willow'), (2, 'Cedar')").run()
            try await sql.raw("INSERT INTO scratch_boxes (id, owner_id, text) VALUES (10, 1, 'a'), (11, 2, 'b')").run()
            try await sql.raw("INSERT INTO scratch_links (id, box_id) VALUES (100, 10)").run()
            await #expect(throws: (any Error).self, "required before") {
                try await sql.raw("INSERT INTO scratch_boxes (id, owner_id, text) VALUES (12, NULL, 'c')").run()
            }

            try await app.db.allowNull("owner_id", in: "scratch_boxes")
            try await app.db.allowNull("owner_id", in: "scratch_boxes")

            struct Box: Decodable, Equatable {
                let id: Int
                let owner_id: Int?
                let text: String
            }
            try await sql.raw("INSERT INTO scratch_boxes (id, owner_id, text) VALUES (12, NULL, 'c')").run()
            let boxes = try await sql.raw("SELECT id, owner_id, text FROM scratch_boxes ORDER BY id")
                .all(decoding: Box.self)
            #expect(
                boxes == [
                    .init(id: 10, owner_id: 1, text: "a"), .init(id: 11, owner_id: 2, text: "b"),
                    .init(id: 12, owner_id: nil, text: "c"),
                ])
            // Foreign keys still hold, both ways, on every connection.
            await #expect(throws: (any Error).self) {
                try await sql.raw("INSERT INTO scratch_boxes (id, owner_id, text) VALUES (13, 99, 'd')").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("INSERT INTO scratch_links (id, box_id) VALUES (101, 99)").run()
            }
            try await sql.raw("DELETE FROM scratch_links").run()
            try await sql.raw("DELETE FROM scratch_owners WHERE id = 2").run()
            let left = try await sql.raw("SELECT id, owner_id, text FROM scratch_boxes ORDER BY id")
                .all(decoding: Box.self)
            #expect(left.map(\.id) == [10, 12], "deleting an owner still deletes its boxes")
            if !TestDatabase.isPostgres {
                struct Index: Decodable { let name: String }
                let indexes = try await sql.raw(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'scratch_boxes'"
                ).all(decoding: Index.self)
                #expect(indexes.map(\.name).contains("ix_scratch_boxes_owner_id"))
            }
            for table in ["scratch_links", "scratch_boxes", "scratch_owners"] {
                try await sql.raw("DROP TABLE \(ident: table)").run()
            }
        }
    }
}
