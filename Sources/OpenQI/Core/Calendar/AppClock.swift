import Charts
import Foundation
import Vapor

/// The one source of "now". Nothing in OpenQI calls `Date()` but this, so a test can fix the day
/// (`app.clock = .fixed(…)`) and see what a forum agenda, a stalled project or a board report
/// looks like on it.
///
/// A request reads the application's clock through `AppClockMiddleware`, which binds it for the
/// request's task and the tasks it starts; code with no request (the command line) reads the system's.
package struct AppClock: Sendable {
    package let now: @Sendable () -> Date

    /// The system's clock.
    package static let system = AppClock { Date() }

    /// A clock stopped at `date`.
    package static func fixed(_ date: Date) -> AppClock { AppClock { date } }

    /// The clock of the work under way.
    @TaskLocal static var current: AppClock = .system

    /// Now, by the clock of the work under way.
    package static var now: Date { current.now() }

    /// Today in UTC, by the clock of the work under way.
    package static var today: CalendarDay { CalendarDay(containing: now) }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    /// The clock every request of this application reads: the system's unless a test sets another.
    package var clock: AppClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

/// Runs each request with its application's clock as `AppClock.current`, and its organisation's
/// way of writing dates as `DateOrder.current`.
struct AppClockMiddleware: AsyncMiddleware {
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await AppClock.$current.withValue(request.application.clock) {
            try await DateOrder.$current.withValue(request.application.openQIConfiguration.dateOrder) {
                try await next.respond(to: request)
            }
        }
    }
}
