import Fluent
import NIOCore

extension Database {
    /// Fluent's transaction, run with the caller's clock. Every transaction in OpenQI comes through
    /// here (this declaration shadows Fluent's of the same signature): Fluent runs the closure in a
    /// task of its own, started on the connection's event loop, where the caller's `AppClock.current`
    /// would be lost and "now" inside a change would be the system's rather than a test's.
    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let clock = AppClock.current
        return try await transaction { (db: any Database) -> EventLoopFuture<T> in
            db.eventLoop.makeFutureWithTask { try await AppClock.$current.withValue(clock) { try await closure(db) } }
        }.get()
    }
}
