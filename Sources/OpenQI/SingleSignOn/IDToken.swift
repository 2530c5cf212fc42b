import Foundation
import JWTKit

/// The claims of an OpenID Connect ID token that OpenQI reads. jwt-kit checks the signature against
/// the provider's published keys; `check` then applies OpenID Connect Core §3.1.3.7 with OpenQI's
/// clock, so tests can move time.
struct IDToken: JWTPayload, Equatable {
    var issuer: String
    var audience: [String]
    var authorizedParty: String?
    var expires: Date
    var issuedAt: Date
    var nonce: String?
    /// Every claim whose value is a string or a boolean, so the claim matched on is configurable.
    var strings: [String: String]
    var booleans: [String: Bool]

    /// How far the provider's clock may be from ours.
    static let leeway: TimeInterval = 120

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(
        issuer: String, audience: [String], authorizedParty: String? = nil, expires: Date, issuedAt: Date,
        nonce: String?, strings: [String: String] = [:], booleans: [String: Bool] = [:]
    ) {
        self.issuer = issuer
        self.audience = audience
        self.authorizedParty = authorizedParty
        self.expires = expires
        self.issuedAt = issuedAt
        self.nonce = nonce
        self.strings = strings
        self.booleans = booleans
    }

    init(from decoder: any Decoder) throws {
        let claims = try decoder.container(keyedBy: Key.self)
        issuer = try claims.decode(String.self, forKey: Key("iss"))
        // `aud` is one string or a list of them (RFC 7519 §4.1.3).
        if let one = try? claims.decode(String.self, forKey: Key("aud")) {
            audience = [one]
        } else {
            audience = try claims.decode([String].self, forKey: Key("aud"))
        }
        authorizedParty = try claims.decodeIfPresent(String.self, forKey: Key("azp"))
        expires = Date(timeIntervalSince1970: try claims.decode(Double.self, forKey: Key("exp")))
        issuedAt = Date(timeIntervalSince1970: try claims.decode(Double.self, forKey: Key("iat")))
        nonce = try claims.decodeIfPresent(String.self, forKey: Key("nonce"))
        var strings: [String: String] = [:]
        var booleans: [String: Bool] = [:]
        for key in claims.allKeys {
            if let text = try? claims.decode(String.self, forKey: key) {
                strings[key.stringValue] = text
            } else if let flag = try? claims.decode(Bool.self, forKey: key) {
                booleans[key.stringValue] = flag
            }
        }
        self.strings = strings
        self.booleans = booleans
    }

    func encode(to encoder: any Encoder) throws {
        var claims = encoder.container(keyedBy: Key.self)
        for (name, text) in strings { try claims.encode(text, forKey: Key(name)) }
        for (name, flag) in booleans { try claims.encode(flag, forKey: Key(name)) }
        try claims.encode(issuer, forKey: Key("iss"))
        try claims.encode(audience, forKey: Key("aud"))
        try claims.encodeIfPresent(authorizedParty, forKey: Key("azp"))
        try claims.encode(expires.timeIntervalSince1970.rounded(), forKey: Key("exp"))
        try claims.encode(issuedAt.timeIntervalSince1970.rounded(), forKey: Key("iat"))
        try claims.encodeIfPresent(nonce, forKey: Key("nonce"))
    }

    /// Time and audience are checked in `check`, against OpenQI's clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The checks a relying party makes on a signed token before trusting it.
    func check(issuer expectedIssuer: String, clientID: String, nonce expectedNonce: String, now: Date)
        throws(SingleSignOnError)
    {
        guard issuer == expectedIssuer else { throw .tokenRefused("it names another issuer (\(issuer))") }
        guard audience.contains(clientID) else { throw .tokenRefused("it was issued to another application") }
        // With several audiences the token must say it was issued to us (§3.1.3.7, items 4 and 5).
        if audience.count > 1 || authorizedParty != nil {
            guard authorizedParty == clientID else { throw .tokenRefused("it was issued to another application") }
        }
        guard expires.addingTimeInterval(Self.leeway) > now else { throw .tokenRefused("it has expired") }
        guard issuedAt.addingTimeInterval(-Self.leeway) <= now else {
            throw .tokenRefused("it was issued in the future")
        }
        guard let nonce, !nonce.isEmpty, nonce == expectedNonce else {
            throw .tokenRefused("it does not belong to this sign-in")
        }
    }

    /// The provider's stable name for the person (`sub`), which OpenQI links to their account.
    var subject: String? { strings["sub"].flatMap { $0.isEmpty || $0.utf8.count > 255 ? nil : $0 } }

    /// The address to match a person by, from the configured claim; nil if absent or not verified.
    func email(claim: String) -> String? {
        // A provider that says an address is not verified may let anyone type it.
        if claim == "email", booleans["email_verified"] == false || strings["email_verified"] == "false" { return nil }
        guard let value = strings[claim]?.trimmingCharacters(in: .whitespaces), value.contains("@") else { return nil }
        return value
    }
}
