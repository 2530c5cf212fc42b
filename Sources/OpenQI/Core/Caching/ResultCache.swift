import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A number that grows with every change to the organisation's records: bumped at the end of
/// every transaction (`Database.transaction`, the one way OpenQI writes), so that anything computed
/// from the records at revision R is still true while the revision is R. Caching depends on this
/// and on nothing else: auditing a change does not move it.
///
/// It lives in the database, so several instances behind a load balancer agree on it. On
/// PostgreSQL the one row serialises writes for the moment it takes to commit them; on SQLite
/// writes are serialised anyway.
enum OrganisationRevision {
    static let schema = "organisation_revision"

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

/// What a kept result is. Each kind of result has a key type of its own, whose fields name every
/// input the result depends on besides the records' revision: ids, the day, what the viewer may do.
/// Two requests share a result only when their keys are equal, so a key type that leaves out an
/// input the result depends on is the only way to serve one viewer's result to another; and a key
/// never holds free text, which would let a client fill the cache with variants of one search.
protocol ResultKey: Hashable, Sendable {}

/// How much memory a kept result holds, roughly, for the cache's bound. Results that do not say
/// are measured by walking them (`ResultCache.estimatedBytes`).
protocol ResultCost {
    var approximateBytes: Int { get }
}

extension String: ResultCost {
    var approximateBytes: Int { utf8.count }
}

/// Results that are costly to compute and the same for everyone who may see them — the unit
/// tree, a portfolio's figures, a chart's SVG — kept in memory while the organisation's revision
/// stays the same. A request reads the revision once (`Request.cachedResults`); anything
/// computed after that read is stored under it, so a change committed meanwhile makes the next
/// request compute again rather than trust it. Results of older revisions are dropped as soon as
/// one of a newer revision is kept, and the whole is bounded in bytes.
final class ResultCache: Sendable {
    private struct Entry {
        let revision: Int
        let value: any Sendable
        let bytes: Int
    }

    private struct Computation {
        let revision: Int
        let task: Task<any Sendable, any Error>
    }

    /// A key of any kind. Every `ResultKey` is `Sendable`; `AnyHashable` cannot say so.
    private struct AnyKey: Hashable, @unchecked Sendable {
        let base: AnyHashable
    }

    private struct State {
        var entries: [AnyKey: Entry] = [:]
        /// Results being computed: a page fifty people open at once is computed once, not fifty times.
        var computing: [AnyKey: Computation] = [:]
        /// The newest revision anything is kept at; older entries are never read again.
        var revision = 0
        var bytes = 0
    }

    private enum Next {
        case found(any Sendable)
        case wait(Task<any Sendable, any Error>, owner: Bool)
    }

    /// What the cache may hold: past this it starts again. A bound on memory, not a policy.
    let capacityInBytes: Int

    /// The size of a result that does not say it, found by walking it once when it is kept: its
    /// text by its bytes, anything else by a small fixed size. A page model's charts and tables
    /// then count for what they hold, so the bound holds whatever kind of result is kept.
    static func estimatedBytes(of value: Any, depth: Int = 0) -> Int {
        if let cost = value as? any ResultCost { return cost.approximateBytes }
        if let text = value as? String { return text.utf8.count + 16 }
        // Values of a fixed small size, without walking their parts.
        if value is UUID || value is Date || value is Double || value is Int || value is Bool { return 16 }
        // Deep enough for any page model; a reference that leads back round stops here too.
        guard depth < 16 else { return 64 }
        let children = Mirror(reflecting: value).children
        return children.reduce(16) { $0 + estimatedBytes(of: $1.value, depth: depth + 1) }
    }

    private let state = NIOLockedValueBox(State())

    /// Stands in for the viewer's anti-forgery token in pages drawn once for many viewers, and is
    /// replaced on the way out (`Request.page(drawnOnceAs:)`). Random for each cache and never
    /// sent, so nobody can write it into a title for a viewer's token to replace.
    let csrfStandIn = "openqi-csrf-" + SecureToken.make()

    init(capacityInBytes: Int = 256 * 1024 * 1024) {
        self.capacityInBytes = capacityInBytes
    }

    /// How many results are kept, and the bytes they hold: for tests and metrics.
    var usage: (entries: Int, bytes: Int) { state.withLockedValue { ($0.entries.count, $0.bytes) } }

    func value<Value: Sendable>(
        _ key: some ResultKey, revision: Int, compute: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let key = AnyKey(base: AnyHashable(key))
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
                let bytes = Self.estimatedBytes(of: value)
                state.withLockedValue { state in
                    state.computing[key] = nil
                    // A result of an older revision than one already kept is of no use to anyone.
                    guard revision >= state.revision, bytes <= capacityInBytes else { return }
                    if revision > state.revision {
                        state.entries.removeAll(keepingCapacity: true)
                        state.bytes = 0
                        state.revision = revision
                    }
                    if state.bytes + bytes > capacityInBytes {
                        state.entries.removeAll(keepingCapacity: true)
                        state.bytes = 0
                    }
                    if let replaced = state.entries.updateValue(
                        Entry(revision: revision, value: value, bytes: bytes), forKey: key)
                    {
                        state.bytes -= replaced.bytes
                    }
                    state.bytes += bytes
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

    func value<Value: Sendable>(_ key: some ResultKey, compute: @escaping @Sendable () async throws -> Value)
        async throws -> Value
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
