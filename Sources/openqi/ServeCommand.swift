import ArgumentParser
import Foundation
import OpenQI
import OpenQIDemo
import Vapor

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the OpenQI web app (migrating the database first).",
        discussion:
            "With --demo, an empty database is first filled with a realistic demo organisation whose sign-ins are listed on the sign-in page."
    )

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Flag(help: "Fill an empty database with the demo organisation first.")
    var demo = false

    @ArgumentParser.Option(help: "The address to listen on (default: $OPENQI_HOSTNAME or 127.0.0.1).")
    var hostname: String?

    @ArgumentParser.Option(help: "The port to listen on (default: $OPENQI_PORT or 8080).")
    var port: Int?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let hostname = hostname ?? environment["OPENQI_HOSTNAME"] ?? "127.0.0.1"
        let port = port ?? environment["OPENQI_PORT"].flatMap(Int.init) ?? 8080
        let app = try await database.makeApplication(arguments: [
            "openqi", "serve", "--hostname", hostname, "--port", "\(port)",
        ])
        do {
            if demo {
                if try await app.loadDemoOrganisation(size: .small) {
                    app.logger.notice(
                        "Filled the database with the demo organisation. Sign in as admin@example.org with the password demo."
                    )
                } else {
                    app.logger.notice("The database already holds the demo organisation.")
                }
            }
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
