import ArgumentParser
import OpenQI
import OpenQIDemo

extension DemoSize: ExpressibleByArgument {}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill an empty database with a realistic demo organisation.",
        discussion: "Every demo sign-in has the password demo, starting with admin@example.org."
    )

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Option(help: "small (about 60 teams and wards, 500 people) or large (for benchmarks).")
    var size: DemoSize = .small

    func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let loaded = try await withApplication(database) { app -> OrganisationSize? in
            try await app.loadDemoOrganisation(size: size) ? try await app.organisationSize() : nil
        }
        guard let loaded else {
            throw ValidationError(
                "The database already has units. The demo organisation goes only into an empty database: use another --db file."
            )
        }
        let seconds = (clock.now - started).components.seconds
        print("Filled the database with the \(size.rawValue) demo organisation in \(seconds) s: \(loaded).")
        print("Sign in as admin@example.org with the password demo.")
    }
}
