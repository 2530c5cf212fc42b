import Fluent
import Foundation
import Vapor

@testable import OpenQI

/// The organisation most tests run in, built the same way everywhere:
///
///     Trust
///     ├── Adult Mental Health (directorate) ── Willow Ward, Cedar Ward
///     └── Forensic Services (directorate) ── Oak Ward
///
/// A test adds the people, projects and measures it is about.
struct TestWorld {
    let trust: Unit
    let directorate: Unit
    let willow: Unit
    let cedar: Unit
    /// Another directorate, whose people and forum are none of the first's business.
    let otherDirectorate: Unit
    let oak: Unit

    static func make(_ app: Application) async throws -> TestWorld {
        let fixtures = Fixtures(app: app)
        let trust = try await fixtures.unit("Trust", kind: .organisation)
        let directorate = try await fixtures.unit("Adult Mental Health", kind: .directorate, parent: trust)
        let willow = try await fixtures.unit("Willow Ward", kind: .ward, parent: directorate)
        let cedar = try await fixtures.unit("Cedar Ward", kind: .ward, parent: directorate)
        let other = try await fixtures.unit("Forensic Services", kind: .directorate, parent: trust)
        let oak = try await fixtures.unit("Oak Ward", kind: .ward, parent: other)
        return TestWorld(
            trust: trust, directorate: directorate, willow: willow, cedar: cedar, otherDirectorate: other, oak: oak)
    }
}
