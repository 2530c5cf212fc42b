import Fluent
import Foundation

extension InstallationSetting {
    static let demoSignInsKey = "demo_sign_ins"

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
