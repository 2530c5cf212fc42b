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

    /// A demo installation lists its demo sign-ins on the sign-in page; a real one never does.
    package static func isDemo(on db: any Database) async throws -> Bool {
        try await find(demoKey, on: db)?.value == "true"
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
