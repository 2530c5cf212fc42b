import FluentPostgresDriver
import Foundation
import NIOPosix
import Vapor

/// Lets one OpenQI instance at a time run migrations, so that instances started together on one
/// database (behind a load balancer, or restarted together) do not both create the same tables:
/// the second waits, then finds every migration done.
///
/// - PostgreSQL: a session-level advisory lock, on a connection of its own (not one of the pool's,
///   which the migrations themselves need).
/// - SQLite file: an exclusive `flock` on a file beside the database, taken on the thread pool.
enum MigrationLock {
    /// Any fixed number will do; this one is "openqi" in ASCII.
    static let key: Int64 = 0x6F_70_65_6E_71_69

    static func holding<Result: Sendable>(
        for location: DatabaseLocation, in app: Application, _ body: () async throws -> Result
    ) async throws -> Result {
        switch location {
        case .sqliteMemory:
            return try await body()
        case .sqliteFile(let path):
            let descriptor = open(path + "-migrate.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw Abort(.internalServerError, reason: "Could not open \(path)-migrate.lock beside the database.")
            }
            defer { close(descriptor) }
            // Interrupted waits are tried again; any other failure stops the start rather than
            // migrating without the lock.
            let locked = try await app.threadPool.runIfActive { () -> Int32 in
                var result: Int32
                repeat { result = flock(descriptor, LOCK_EX) } while result != 0 && errno == EINTR
                return result == 0 ? 0 : errno
            }
            guard locked == 0 else {
                throw Abort(
                    .internalServerError,
                    reason: "Could not lock \(path)-migrate.lock (error \(locked)): is the database on a file system "
                        + "without locks?")
            }
            defer { _ = flock(descriptor, LOCK_UN) }
            return try await body()
        case .postgres(let url):
            let connection = try await PostgresConnection.connect(
                on: app.eventLoopGroup.any(), configuration: try SQLPostgresConfiguration(url: url).coreConfiguration,
                id: 0, logger: app.logger)
            do {
                try await connection.query("SELECT pg_advisory_lock(\(key))", logger: app.logger)
                let result = try await body()
                // Closing the connection would release it too; this says so at once.
                try await connection.query("SELECT pg_advisory_unlock(\(key))", logger: app.logger)
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }
}
