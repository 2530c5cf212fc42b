import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Clears what nobody will use again: uploads nobody imported or cancelled within their lifetime
/// (each holds a whole file), sessions past their expiry, and sign-in counts whose window has
/// closed. The server runs it on a schedule (`HousekeepingSchedule`), so an abandoned upload is not
/// kept until someone happens to upload another.
enum Housekeeping {
    static func run(on db: any Database, now: Date) async throws {
        try await DataUpload.clearExpired(on: db, now: now)
        try await AttendanceUpload.clearExpired(on: db, now: now)
        try await AccountSession.clearExpired(on: db, now: now)
        try await SingleSignOnAttempt.clearExpired(on: db, now: now)
        try await SignInAttempts.clearClosedWindows(on: db, now: now)
    }
}

/// Runs `Housekeeping` every `interval` while the application runs, first one `interval` after it
/// boots. Each instance of OpenQI runs its own: the deletes are idempotent, so two instances
/// sharing a database only repeat work that finds nothing.
struct HousekeepingSchedule: LifecycleHandler {
    var interval: TimeAmount = .hours(1)

    /// A running schedule: its repeated task, and the round under way, if any. NIO's cancellation
    /// of a repeated task does not wait for an asynchronous round to end, so shutting down awaits
    /// that round itself before the databases close.
    private final class Running: Sendable {
        let task: RepeatedTask
        let round: NIOLockedValueBox<EventLoopFuture<Void>?>

        init(task: RepeatedTask, round: NIOLockedValueBox<EventLoopFuture<Void>?>) {
            self.task = task
            self.round = round
        }
    }

    /// Every schedule's, so that shutting down stops them all.
    private struct RunningKey: StorageKey { typealias Value = [Running] }

    func didBoot(_ app: Application) throws {
        let logger = app.logger
        let eventLoop = app.eventLoopGroup.next()
        let round = NIOLockedValueBox<EventLoopFuture<Void>?>(nil)
        let task = eventLoop.scheduleRepeatedAsyncTask(initialDelay: interval, delay: interval) { _ in
            let future = eventLoop.makeFutureWithTask {
                do {
                    try await Housekeeping.run(on: app.db, now: app.clock.now())
                } catch {
                    // A failed round is tried again at the next; the server carries on.
                    logger.report(error: error)
                }
            }
            round.withLockedValue { $0 = future }
            return future
        }
        app.storage[RunningKey.self] = (app.storage[RunningKey.self] ?? []) + [Running(task: task, round: round)]
    }

    /// Stops the schedule, waiting for a round under way to finish before the database closes.
    func shutdownAsync(_ app: Application) async {
        for running in app.storage[RunningKey.self] ?? [] {
            let stopped = app.eventLoopGroup.next().makePromise(of: Void.self)
            running.task.cancel(promise: stopped)
            try? await stopped.futureResult.get()
            // No round starts after the cancellation; one already started is waited for.
            try? await running.round.withLockedValue { $0 }?.get()
        }
        app.storage[RunningKey.self] = []
    }
}
