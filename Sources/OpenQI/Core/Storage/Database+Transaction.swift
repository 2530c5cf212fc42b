import Charts
import Fluent
import NIOCore

extension Database {
    /// A change to the organisation's records: Fluent's transaction, which also moves the
    /// organisation's revision on (`OrganisationRevision`), so results kept from before the change
    /// are not served after it. Every write of OpenQI's is one of these: this declaration shadows
    /// Fluent's of the same signature.
    ///
    /// The closure runs with the caller's clock and date order: Fluent runs it in a task of its own,
    /// started on the connection's event loop, where the caller's `AppClock.current` would be lost
    /// ("now" inside a change would be the system's rather than a test's), and with it
    /// `DateOrder.current` (a notice written inside would read its dates in the default order).
    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let clock = AppClock.current
        let order = DateOrder.current
        return try await transaction { (db: any Database) -> EventLoopFuture<T> in
            db.eventLoop.makeFutureWithTask {
                try await AppClock.$current.withValue(clock) {
                    try await DateOrder.$current.withValue(order) {
                        let result = try await closure(db)
                        try await OrganisationRevision.bump(on: db)
                        return result
                    }
                }
            }
        }.get()
    }
}
