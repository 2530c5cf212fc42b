import Charts
import Foundation

/// Where OpenQI keeps its data: an embedded SQLite file by default, PostgreSQL in production.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite file (WAL mode, foreign keys on).
    case sqliteFile(path: String)
    /// A private in-memory SQLite database, for tests.
    case sqliteMemory
    /// A PostgreSQL server, from a `postgres://user:password@host:port/database` URL.
    case postgres(url: String)

    /// The database named by the environment: `DATABASE_URL` selects PostgreSQL, otherwise the
    /// SQLite file at `path` (the `--db` flag, default `openqi.sqlite`).
    public static func fromEnvironment(
        sqlitePath: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DatabaseLocation {
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return .postgres(url: url)
        }
        return .sqliteFile(path: sqlitePath ?? environment["OPENQI_DB"] ?? "openqi.sqlite")
    }

    /// A description without secrets, for logs and `/health`.
    public var displayName: String {
        switch self {
        case .sqliteFile(let path): "SQLite file \(path)"
        case .sqliteMemory: "SQLite in memory"
        case .postgres: "PostgreSQL"
        }
    }
}

/// Everything `configure` needs to know, gathered from flags and environment variables by the CLI.
public struct OpenQIConfiguration: Sendable {
    public var database: DatabaseLocation
    /// Mark session cookies `Secure`. Set when OpenQI is served over TLS (directly or behind a proxy).
    public var secureCookies: Bool
    /// How long a signed-in session lasts without use.
    public var sessionIdleTimeout: TimeInterval
    /// The header a trusted reverse proxy puts the client's address in (`X-Forwarded-For`), from
    /// `OPENQI_CLIENT_ADDRESS_HEADER`; nil trusts only the connection. Sign-in limits count by it.
    public var clientAddressHeader: String?
    /// The bearer token a Prometheus scraper sends for `/metrics`, from `OPENQI_METRICS_TOKEN`; nil
    /// turns `/metrics` off. Its route labels and counts say how the organisation uses OpenQI, which
    /// is not for anyone who can reach the server.
    public var metricsToken: String?
    /// Signing in through an OpenID Connect provider, from the `OPENQI_OIDC_*` variables; nil: passwords only.
    public var singleSignOn: SingleSignOnSettings?
    /// PostgreSQL connections each event loop (one a core) may hold, from `OPENQI_PG_CONNECTIONS`.
    public var postgresConnectionsPerCore: Int
    /// How pages and charts write dates, from `OPENQI_DATE_FORMAT`: day month year unless set.
    public var dateOrder: DateOrder

    /// Fluent's default is one a core: every signed-in request reads its session first, and under
    /// fifty connections requests queued for the two connections of a two-core server (the
    /// portfolio's p99 on PostgreSQL, 59.6 ms with one a core and 41.0 with four: docs/benchmarks.md).
    /// Each instance opens at most this times its cores: with several instances, keep the sum under
    /// PostgreSQL's `max_connections` (100 by default).
    public static let defaultPostgresConnectionsPerCore = 4
    static let postgresConnectionsPerCoreRange = 1...32

    public init(
        database: DatabaseLocation, secureCookies: Bool = false, sessionIdleTimeout: TimeInterval = 8 * 3600,
        clientAddressHeader: String? = nil, metricsToken: String? = nil, singleSignOn: SingleSignOnSettings? = nil,
        postgresConnectionsPerCore: Int = defaultPostgresConnectionsPerCore, dateOrder: DateOrder = .dayMonthYear
    ) {
        self.dateOrder = dateOrder
        self.singleSignOn = singleSignOn
        self.postgresConnectionsPerCore = postgresConnectionsPerCore
        self.database = database
        self.secureCookies = secureCookies
        self.sessionIdleTimeout = sessionIdleTimeout
        self.clientAddressHeader = clientAddressHeader
        self.metricsToken = metricsToken
    }

    /// Reads `OPENQI_METRICS_TOKEN`. One shorter than 32 characters is refused: it would be guessable.
    public static func metricsTokenFromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String? {
        guard let token = environment["OPENQI_METRICS_TOKEN"], !token.isEmpty else { return nil }
        guard token.count >= 32 else {
            throw ConfigurationError(
                "OPENQI_METRICS_TOKEN has \(token.count) characters; use at least 32 (for example `openssl rand -hex 32`)."
            )
        }
        return token
    }

    /// Reads `OPENQI_CLIENT_ADDRESS_HEADER`, the header a trusted proxy names the client in.
    public static func clientAddressHeaderFromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        environment["OPENQI_CLIENT_ADDRESS_HEADER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads `OPENQI_PG_CONNECTIONS`, the PostgreSQL connections a core may hold; refuses a value
    /// that is not a whole number from 1 to 32.
    public static func postgresConnectionsPerCoreFromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Int {
        guard let text = environment["OPENQI_PG_CONNECTIONS"], !text.isEmpty else {
            return defaultPostgresConnectionsPerCore
        }
        guard let count = Int(text), postgresConnectionsPerCoreRange.contains(count) else {
            throw ConfigurationError(
                "OPENQI_PG_CONNECTIONS is \"\(text)\"; give the PostgreSQL connections each core may hold, a whole number from \(postgresConnectionsPerCoreRange.lowerBound) to \(postgresConnectionsPerCoreRange.upperBound)."
            )
        }
        return count
    }

    /// Reads `OPENQI_DATE_FORMAT`: `day-month-year` (31 March 2026, the default), `month-day-year`
    /// (March 31, 2026) or `year-month-day` (2026-03-31).
    public static func dateOrderFromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DateOrder {
        guard let text = environment["OPENQI_DATE_FORMAT"], !text.isEmpty else { return .dayMonthYear }
        guard let order = DateOrder(rawValue: text.lowercased()) else {
            throw ConfigurationError(
                "OPENQI_DATE_FORMAT is \"\(text)\"; give one of \(DateOrder.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        return order
    }

    /// Reads `OPENQI_SECURE_COOKIES` (true/1/yes) for the cookie setting.
    public static func secureCookiesFromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        ["1", "true", "yes"].contains(environment["OPENQI_SECURE_COOKIES"]?.lowercased() ?? "")
    }
}

/// A setting the server cannot start with, and what to change.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
