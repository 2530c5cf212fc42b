import ArgumentParser
import Foundation
import Testing

@testable import OpenQI
@testable import openqi

@Suite("Command line")
struct CommandLineTests {
    @Test("serve takes the demo flag, a database file, an address and a port")
    func serve() throws {
        let command = try #require(
            try OpenQICommand.parseAsRoot([
                "serve", "--demo", "--db", "/tmp/x.sqlite", "--hostname", "0.0.0.0", "--port", "9000",
            ]) as? ServeCommand)
        #expect(command.demo)
        #expect(command.hostname == "0.0.0.0")
        #expect(command.port == 9000)
        #expect(command.database.sqlitePath == "/tmp/x.sqlite")
    }

    @Test("the database is the --db file unless DATABASE_URL names PostgreSQL")
    func databaseLocation() {
        #expect(
            DatabaseLocation.fromEnvironment(sqlitePath: "a.sqlite", environment: [:]) == .sqliteFile(path: "a.sqlite"))
        #expect(
            DatabaseLocation.fromEnvironment(sqlitePath: nil, environment: [:]) == .sqliteFile(path: "openqi.sqlite"))
        #expect(
            DatabaseLocation.fromEnvironment(sqlitePath: nil, environment: ["OPENQI_DB": "b.sqlite"])
                == .sqliteFile(path: "b.sqlite"))
        let url = "postgres://u:p@127.0.0.1:5432/openqi"
        #expect(
            DatabaseLocation.fromEnvironment(sqlitePath: "a.sqlite", environment: ["DATABASE_URL": url])
                == .postgres(url: url))
        #expect(DatabaseLocation.postgres(url: url).displayName == "PostgreSQL", "no password in logs")
    }

    @Test("demo sizes are small and large, and nothing else")
    func demoSize() throws {
        let command = try #require(try OpenQICommand.parseAsRoot(["demo", "--size", "large"]) as? DemoCommand)
        #expect(command.size == .large)
        #expect(throws: (any Error).self) { try OpenQICommand.parseAsRoot(["demo", "--size", "huge"]) }
    }

    @Test("commands that could lose data or create the wrong sign-in refuse, saying what to add")
    func refusals() async throws {
        let revert = try #require(try OpenQICommand.parseAsRoot(["migrate", "--revert"]) as? MigrateCommand)
        await #expect(throws: ValidationError.self) { try await revert.run() }
        let user = try #require(
            try OpenQICommand.parseAsRoot(["user", "create", "someone@test.example"]) as? UserCommand.Create)
        do {
            try await user.run()
            Issue.record("user create without --admin should refuse")
        } catch let error as ValidationError {
            #expect(error.message.contains("--admin"))
        }
    }

    @Test("backup, restore and check work from the command line, and restore refuses a database with tables")
    func backupCommands() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openqi-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (source, backup, target) = (
            folder.appendingPathComponent("a.sqlite").path, folder.appendingPathComponent("a.backup").path,
            folder.appendingPathComponent("b.sqlite").path
        )
        func run(_ arguments: [String]) async throws {
            let command = try OpenQICommand.parseAsRoot(arguments)
            guard let command = command as? any AsyncParsableCommand else { throw ValidationError("not async") }
            var runnable = command
            try await runnable.run()
        }
        try await run(["migrate", "--db", source])
        try await run(["backup", "--db", source, "--to", backup])
        #expect(FileManager.default.fileExists(atPath: backup))
        try await run(["restore", "--db", target, backup])
        try await run(["check", "--db", target])
        do {
            try await run(["restore", "--db", target, backup])
            Issue.record("a restore over a database with tables should refuse")
        } catch let failure as DatabaseBackup.Failure {
            #expect(failure.description.contains("Restore into an empty database"))
        }
    }

    @Test("every command has help")
    func help() {
        let required: [String: [String]] = ["user create": ["x@y.z"], "backup": ["--to", "f"], "restore": ["f"]]
        for name in ["serve", "migrate", "demo", "user create", "backup", "restore", "check"] {
            let arguments = name.split(separator: " ").map(String.init) + (required[name] ?? [])
            let help = OpenQICommand.helpMessage(for: type(of: try! OpenQICommand.parseAsRoot(arguments)))
            #expect(help.contains("USAGE"), "\(name)")
        }
    }
}
