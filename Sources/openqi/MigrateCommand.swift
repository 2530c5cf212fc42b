import ArgumentParser
import OpenQI

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database schema up to date (serve does this too)."
    )

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Flag(help: "Undo every migration instead, deleting all OpenQI tables and their data.")
    var revert = false

    @ArgumentParser.Flag(help: "Confirm --revert.")
    var yes = false

    func run() async throws {
        if revert && !yes {
            throw ValidationError("--revert deletes every OpenQI table and all their data. Add --yes to confirm.")
        }
        try await withApplication(database) { app in
            if revert {
                try await app.autoRevert()
                print("Reverted every migration.")
            } else {
                print("The database is up to date.")
            }
        }
    }
}
