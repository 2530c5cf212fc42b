import Fluent
import Foundation

/// Facts about this installation kept in the database, such as whether it holds the demo organisation.
package final class InstallationSetting: Model, @unchecked Sendable {
    package static let schema = "installation_settings"

    @ID(custom: "key", generatedBy: .user) package var id: String?
    @Field(key: "value") package var value: String

    package init() {}

    package init(key: String, value: String) {
        self.id = key
        self.value = value
    }

    package static let demoKey = "demo"
    package static let demoSignInsKey = "demo_sign_ins"

    /// A demo installation lists its demo sign-ins on the sign-in page; a real one never does.
    package static func isDemo(on db: any Database) async throws -> Bool {
        try await find(demoKey, on: db)?.value == "true"
    }

    /// The sign-ins the sign-in page lists: those the demo loader recorded, on a demo installation only.
    package static func demoSignIns(on db: any Database) async throws -> [DemoSignIn] {
        guard try await isDemo(on: db), let json = try await find(demoSignInsKey, on: db)?.value else { return [] }
        return (try? JSONDecoder().decode([DemoSignIn].self, from: Data(json.utf8))) ?? []
    }

    /// Marks the installation as a demo whose sign-in page lists `signIns`.
    package static func markDemo(signIns: [DemoSignIn], on db: any Database) async throws {
        let json = String(decoding: try JSONEncoder().encode(signIns), as: UTF8.self)
        try await InstallationSetting(key: demoKey, value: "true").create(on: db)
        try await InstallationSetting(key: demoSignInsKey, value: json).create(on: db)
    }
}

struct CreateInstallationSettings: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(InstallationSetting.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(InstallationSetting.schema).delete()
    }
}
