import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A number that grows with every change to the organisation's records: bumped in the transaction
/// of every audited change (`recordAudit`, `AuditEntry.record`), so that anything computed from
/// the records at revision R is still true while the revision is R.
///
/// It lives in the database, so several instances behind a load balancer agree on it. On
/// PostgreSQL the one row serialises audited writes for the moment it takes to commit them; on
/// SQLite writes are serialised anyway.
package enum OrganisationRevision {
    package static let schema = "organisation_revision"

    static func current(on db: any Database) async throws -> Int {
        try await db.sql.select().column("revision").from(schema).first()?.decode(column: "revision", as: Int.self)
            ?? 0
    }

    /// Call in the transaction that makes the change.
    static func bump(on db: any Database) async throws {
        try await db.sql.update(schema)
            .set("revision", to: SQLBinaryExpression(SQLIdentifier("revision"), .add, SQLLiteral.numeric("1")))
            .run()
    }
}

struct CreateOrganisationRevision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationRevision.schema).field("revision", .int, .required).create()
        try await database.sql.insert(into: OrganisationRevision.schema).columns("revision").values(0).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrganisationRevision.schema).delete()
    }
}

/// Results that are costly to compute and the same for everyone who may see them — the unit
/// tree, a portfolio's figures, a chart's SVG — kept in memory while the organisation's revision
/// stays the same. A request reads the revision once (`Request.cachedResults`); anything
/// computed after that read is stored under it, so a change committed meanwhile makes the next
/// request compute again rather than trust it.
final class ResultCache: Sendable {
    private struct Entry {
        let revision: Int
        let value: any Sendable
    }

    private struct Computation {
        let revision: Int
        let task: Task<any Sendable, any Error>
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Results being computed: a page fifty people open at once is computed once, not fifty times.
        var computing: [String: Computation] = [:]
    }

    private enum Next {
        case found(any Sendable)
        case wait(Task<any Sendable, any Error>, owner: Bool)
    }

    /// Past this many results the cache starts again: a bound on memory, not a policy.
    static let capacity = 5_000

    private let state = NIOLockedValueBox(State())

    func value<Value: Sendable>(
        _ key: String, revision: Int, compute: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let next = state.withLockedValue { state -> Next in
            if let entry = state.entries[key], entry.revision == revision { return .found(entry.value) }
            if let running = state.computing[key], running.revision == revision {
                return .wait(running.task, owner: false)
            }
            let task = Task<any Sendable, any Error> { try await compute() }
            state.computing[key] = Computation(revision: revision, task: task)
            return .wait(task, owner: true)
        }
        let value: any Sendable
        switch next {
        case .found(let found):
            value = found
        case .wait(let task, let owner):
            do {
                value = try await task.value
            } catch {
                if owner { state.withLockedValue { _ = $0.computing.removeValue(forKey: key) } }
                throw error
            }
            if owner {
                state.withLockedValue { state in
                    state.computing[key] = nil
                    if state.entries.count >= Self.capacity { state.entries.removeAll(keepingCapacity: true) }
                    // Keep the newer of two results computed at different revisions.
                    if let existing = state.entries[key], existing.revision > revision { return }
                    state.entries[key] = Entry(revision: revision, value: value)
                }
            }
        }
        guard let typed = value as? Value else { return try await compute() }
        return typed
    }

    func removeAll() { state.withLockedValue { $0 = State() } }
}

extension Application {
    private struct ResultCacheKey: StorageKey { typealias Value = ResultCache }

    /// Made by `configure`, before the application serves anything.
    var resultCache: ResultCache {
        get { storage[ResultCacheKey.self]! }
        set { storage[ResultCacheKey.self] = newValue }
    }
}

/// The cache as a page's query sees it: results at one revision, or none at all (where there is
/// no request: the command line, tests of a query).
struct CachedResults: Sendable {
    let cache: ResultCache?
    let revision: Int

    static let none = CachedResults(cache: nil, revision: 0)

    func value<Value: Sendable>(_ key: String, compute: @escaping @Sendable () async throws -> Value) async throws
        -> Value
    {
        guard let cache else { return try await compute() }
        return try await cache.value(key, revision: revision, compute: compute)
    }
}

extension Request {
    private struct CachedResultsKey: StorageKey { typealias Value = CachedResults }

    /// Sets the revision this request's results are checked against, when it was read with
    /// something else (the session).
    func useRevision(_ revision: Int) {
        storage[CachedResultsKey.self] = CachedResults(cache: application.resultCache, revision: revision)
    }

    /// The cache at the organisation's revision as this request first read it.
    func cachedResults() async throws -> CachedResults {
        if let results = storage[CachedResultsKey.self] { return results }
        let results = CachedResults(
            cache: application.resultCache, revision: try await OrganisationRevision.current(on: db))
        storage[CachedResultsKey.self] = results
        return results
    }
}
