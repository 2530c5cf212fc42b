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

    public init(database: DatabaseLocation, secureCookies: Bool = false, sessionIdleTimeout: TimeInterval = 8 * 3600) {
        self.database = database
        self.secureCookies = secureCookies
        self.sessionIdleTimeout = sessionIdleTimeout
    }

    /// Reads `OPENQI_SECURE_COOKIES` (true/1/yes) for the cookie setting.
    public static func secureCookiesFromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        ["1", "true", "yes"].contains(environment["OPENQI_SECURE_COOKIES"]?.lowercased() ?? "")
    }
}
