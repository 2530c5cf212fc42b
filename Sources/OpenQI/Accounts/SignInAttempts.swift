import Fluent
import Foundation
import SQLKit
import Vapor

/// Counts sign-in attempts per email and client address, in the database so that every instance
/// of OpenQI sees the same counts.
///
/// - An attempt is counted *before* its password is checked, in one atomic statement, so a burst
///   of parallel guesses gets no more checks than the limit.
/// - Five failures lock that email for that client address only: a stranger cannot lock a person
///   out of their own browser. One address trying many emails, and many addresses trying one
///   email, meet limits of their own.
/// - Emails are counted whether or not an account has them, so an unknown email is answered
///   exactly as a known one.
enum SignInAttempts {
    static let schema = "sign_in_attempts"
    /// The window over which failures count, and so the longest a lock lasts.
    static let window: TimeInterval = PasswordRules.lockOutDuration
    /// Failures of one email from one address that lock it there.
    static let perEmailAndClient = PasswordRules.attemptsBeforeLockOut
    /// Failures from one address, over all emails, that stop it trying any.
    static let perClient = 30
    /// Failures of one email, over all addresses, that lock it everywhere (a spread-out attack).
    static let perEmail = 100
    /// The longest email counted; a longer one is cut, not stored whole.
    static let longestEmail = 320

    enum Outcome: Equatable {
        /// Check the password; `failures` attempts of this email here in the window, this one included.
        case check(failures: Int)
        case locked(until: Date)
        case throttled(until: Date)
    }

    /// Counts an attempt to sign in as `email` from `client` and says whether to check its password.
    static func begin(email: String, client: String, on db: any Database) async throws -> Outcome {
        let sql = db.sql
        let date = AppClock.now
        let now = Int(date.timeIntervalSince1970)
        let email = String(email.prefix(longestEmail))
        // Old windows go first, so the table holds only the last quarter of an hour.
        try await clearClosedWindows(on: db, now: date)
        struct Counted: Decodable {
            let failures: Int
            let window_started: Int
        }
        let counted = try await sql.raw(
            """
            INSERT INTO \(ident: schema) (email, client, failures, window_started)
            VALUES (\(bind: email), \(bind: client), 1, \(bind: now))
            ON CONFLICT (email, client) DO UPDATE SET failures = \(ident: schema).failures + 1
            RETURNING failures, window_started
            """
        ).first(decoding: Counted.self)
        guard let counted else { throw Abort(.internalServerError, reason: "The sign-in attempt was not counted.") }
        let lockEnds = Date(timeIntervalSince1970: TimeInterval(counted.window_started) + window)
        if counted.failures > perEmailAndClient { return .locked(until: lockEnds) }

        // Both totals in one statement over the rows of this address or this email.
        struct Totals: Decodable {
            let from_client: Int
            let for_email: Int
        }
        let totals = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(CASE WHEN client = \(bind: client) THEN failures ELSE 0 END), 0) AS BIGINT)
            AS from_client, CAST(COALESCE(SUM(CASE WHEN email = \(bind: email) THEN failures ELSE 0 END), 0) AS BIGINT)
            AS for_email FROM \(ident: schema) WHERE client = \(bind: client) OR email = \(bind: email)
            """
        ).first(decoding: Totals.self)
        if let totals, totals.from_client > perClient {
            return .throttled(until: AppClock.now.addingTimeInterval(window))
        }
        if let totals, totals.for_email > perEmail { return .locked(until: AppClock.now.addingTimeInterval(window)) }
        return .check(failures: counted.failures)
    }

    /// Deletes the counts whose window has closed.
    static func clearClosedWindows(on db: any Database, now: Date) async throws {
        let windowOpened = Int(now.timeIntervalSince1970) - Int(window)
        try await db.sql.raw("DELETE FROM \(ident: schema) WHERE window_started < \(bind: windowOpened)").run()
    }

    /// The password was right: this address's count for the email starts again.
    static func succeeded(email: String, client: String, on db: any Database) async throws {
        try await db.sql.delete(from: schema)
            .where("email", .equal, String(email.prefix(longestEmail))).where("client", .equal, client).run()
    }

    /// A new sign-in was issued: every count for the email starts again.
    static func clear(email: String, on db: any Database) async throws {
        try await db.sql.delete(from: schema).where("email", .equal, String(email.prefix(longestEmail))).run()
    }

    /// Until when the email is locked from some address, for the person's page; nil when it is not.
    static func lockedUntil(email: String, on db: any Database) async throws -> Date? {
        struct Latest: Decodable { let started: Int? }
        let windowOpened = Int(AppClock.now.timeIntervalSince1970) - Int(window)
        let latest = try await db.sql.raw(
            """
            SELECT MAX(window_started) AS started FROM \(ident: schema)
            WHERE email = \(bind: String(email.prefix(longestEmail))) AND failures >= \(bind: perEmailAndClient)
            AND window_started >= \(bind: windowOpened)
            """
        ).first(decoding: Latest.self)?.started
        return latest.map { Date(timeIntervalSince1970: TimeInterval($0) + window) }
    }
}

extension Request {
    /// The address the request came from: the last entry of the header a trusted reverse proxy
    /// sets, when the installation names one, or else the connection's peer.
    var clientAddress: String {
        if let header = application.openQIConfiguration.clientAddressHeader,
            let last = headers.first(name: header)?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
            !last.isEmpty
        {
            return String(last.prefix(64))
        }
        return peerAddress?.ipAddress ?? remoteAddress?.ipAddress ?? "unknown"
    }
}

struct CreateSignInAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInAttempts.schema)
            .field("email", .string, .required)
            .field("client", .string, .required)
            .field("failures", .int, .required)
            .field("window_started", .int64, .required)
            .unique(on: "email", "client")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignInAttempts.schema).delete()
    }
}
