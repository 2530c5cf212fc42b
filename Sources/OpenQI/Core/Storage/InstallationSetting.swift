import Fluent
import Foundation

/// Facts about this installation kept in the database, such as whether it holds the demo organisation.
final class InstallationSetting: Model, @unchecked Sendable {
    static let schema = "installation_settings"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String

    init() {}

    init(key: String, value: String) {
        self.id = key
        self.value = value
    }

    static let demoKey = "demo"

    /// A demo installation lists its demo sign-ins on the sign-in page; a real one never does.
    static func isDemo(on db: any Database) async throws -> Bool {
        try await find(demoKey, on: db)?.value == "true"
    }
}

struct CreateInstallationSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InstallationSetting.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InstallationSetting.schema).delete()
    }
}
