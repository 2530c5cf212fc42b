import Fluent
import Foundation
import NIOCore
import Vapor

/// Clears what nobody will use again: uploads nobody imported or cancelled within their lifetime
/// (each holds a whole file), sessions past their expiry, and sign-in counts whose window has
/// closed. The server runs it on a schedule (`HousekeepingSchedule`), so an abandoned upload is not
/// kept until someone happens to upload another.
enum Housekeeping {
    static func run(on db: any Database, now: Date) async throws {
        try await DataUpload.clearExpired(on: db, now: now)
        try await AccountSession.clearExpired(on: db, now: now)
        try await SignInAttempts.clearClosedWindows(on: db, now: now)
    }
}

/// Runs `Housekeeping` every `interval` while the application runs, first one `interval` after it
/// boots. Each instance of OpenQI runs its own: the deletes are idempotent, so two instances
/// sharing a database only repeat work that finds nothing.
struct HousekeepingSchedule: LifecycleHandler {
    var interval: TimeAmount = .hours(1)

    /// Every schedule's task, so that shutting down stops them all.
    private struct TasksKey: StorageKey { typealias Value = [RepeatedTask] }

    func didBoot(_ app: Application) throws {
        let logger = app.logger
        let eventLoop = app.eventLoopGroup.next()
        let task = eventLoop.scheduleRepeatedAsyncTask(initialDelay: interval, delay: interval) { _ in
            eventLoop.makeFutureWithTask {
                do {
                    try await Housekeeping.run(on: app.db, now: app.clock.now())
                } catch {
                    // A failed round is tried again at the next; the server carries on.
                    logger.report(error: error)
                }
            }
        }
        app.storage[TasksKey.self] = (app.storage[TasksKey.self] ?? []) + [task]
    }

    /// Stops the schedule, waiting for a round under way to finish before the database closes.
    func shutdownAsync(_ app: Application) async {
        for task in app.storage[TasksKey.self] ?? [] {
            let stopped = app.eventLoopGroup.next().makePromise(of: Void.self)
            task.cancel(promise: stopped)
            try? await stopped.futureResult.get()
        }
        app.storage[TasksKey.self] = []
    }
}
