import ArgumentParser
import OpenQI

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage sign-ins from the command line.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an administrator's sign-in and print a one-time password.",
            discussion: """
                Use this to create the first administrator of a new installation, or to let an
                administrator back in. The password must be changed at first sign-in. Other people
                get their sign-ins in the web app (People → a person → Issue a sign-in).
                """
        )

        @OptionGroup var database: DatabaseOptions

        @ArgumentParser.Flag(help: "Make the sign-in an installation administrator (required).")
        var admin = false

        @ArgumentParser.Option(help: "The person's full name (default: from the email).")
        var name: String?

        @ArgumentParser.Argument(help: "The email address to sign in with.")
        var email: String

        func run() async throws {
            guard admin else {
                throw ValidationError(
                    "From the command line, create administrators with --admin. Create other sign-ins in the web app.")
            }
            let password = try await withApplication(database) { app in
                try await app.createAdministrator(email: email, name: name)
            }
            print("One-time password for \(email.lowercased()): \(password)")
            print("It must be changed at first sign-in.")
        }
    }
}
