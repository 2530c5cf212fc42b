import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1
import Vapor

/// The installation's OpenID Connect provider: its discovery document and signing keys, fetched
/// when first needed and kept for an hour, and the code-for-token exchange. One per application,
/// shared by every request. Requests that need a fetch at the same moment share one; when the
/// provider cannot be reached, the last good document and keys serve until it can.
actor OpenIDProvider {
    struct Discovery: Decodable, Sendable {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var jwks_uri: String
        var token_endpoint_auth_methods_supported: [String]?
    }

    let settings: SingleSignOnSettings
    private let client: HTTPClient
    private let discovery = Kept<Discovery>()
    private let keys = Kept<JWTKeyCollection>()

    /// Providers rotate keys; an unknown key is fetched again, but not more often than this.
    static let keyRefreshInterval: TimeInterval = 60
    static let documentLifetime: TimeInterval = 3600
    /// A discovery document, key set or token answer is a few kilobytes.
    static let largestAnswer = 256 * 1024

    /// A client of its own: a provider that stops answering part-way through must not hold a
    /// sign-in for longer than this, and a redirect is not followed to another host.
    static func makeClient(on group: any EventLoopGroup) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10)))
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: group, configuration: configuration)
    }

    init(settings: SingleSignOnSettings, client: HTTPClient) {
        self.settings = settings
        self.client = client
    }

    /// The discovery document, which must name the configured issuer exactly (Discovery §4.3).
    func document(now: Date) async throws(SingleSignOnError) -> Discovery {
        if let document = discovery.value(fetchedWithin: Self.documentLifetime, of: now) { return document }
        return try await shared(discovery, now: now) { try await self.fetchDocument() }
    }

    private func fetchDocument() async throws -> Discovery {
        let issuer = settings.issuer.absoluteString
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let document = try await fetch(Discovery.self, from: base + "/.well-known/openid-configuration")
        guard document.issuer == issuer else {
            throw SingleSignOnError.providerUnreachable(
                detail: "the discovery document names the issuer \(document.issuer), not \(issuer) (OPENQI_OIDC_ISSUER)"
            )
        }
        return document
    }

    /// What the provider publishes (its discovery document, its keys), as last fetched, and the
    /// fetch under way. Only the provider touches it, within its own isolation.
    private final class Kept<Value: Sendable> {
        var last: (value: Value, fetchedAt: Date)?
        var fetch: Task<Value, any Error>?

        func value(fetchedWithin lifetime: TimeInterval, of now: Date) -> Value? {
            last.flatMap { now.timeIntervalSince($0.fetchedAt) < lifetime ? $0.value : nil }
        }
    }

    /// Fetches `kept` afresh, sharing a fetch already under way; when it fails, the last good value serves.
    private func shared<Value: Sendable>(
        _ kept: Kept<Value>, now: Date, load: @escaping @Sendable () async throws -> Value
    ) async throws(SingleSignOnError) -> Value {
        let task = kept.fetch ?? Task { try await load() }
        kept.fetch = task
        do {
            let value = try await task.value
            kept.fetch = nil
            kept.last = (value, now)
            return value
        } catch {
            kept.fetch = nil
            if let last = kept.last { return last.value }
            throw Self.failure(error)
        }
    }

    private static func failure(_ error: any Error) -> SingleSignOnError {
        error as? SingleSignOnError ?? .providerUnreachable(detail: "\(error)")
    }

    /// Exchanges the code for tokens (RFC 6749 §4.1.3 with PKCE) and checks the ID token.
    func signIn(code: String, attempt: SingleSignOnAttempt, now: Date) async throws(SingleSignOnError) -> IDToken {
        let document = try await document(now: now)
        var form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", settings.callbackURL),
            ("code_verifier", attempt.codeVerifier), ("client_id", settings.clientID),
        ]
        var headers = HTTPHeaders([
            ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
        ])
        // client_secret_basic is the default (OpenID Connect Discovery §3); some providers take only the form.
        let methods = document.token_endpoint_auth_methods_supported ?? ["client_secret_basic"]
        if methods.contains("client_secret_basic") {
            // Form-encoded before joining (RFC 6749 §2.3.1), as the body is (Appendix B).
            let pair = "\(SiteURL.percentEncoded(settings.clientID)):\(SiteURL.percentEncoded(settings.clientSecret))"
            headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
        } else {
            form.append(("client_secret", settings.clientSecret))
        }
        let body = form.map { "\($0.0)=\(SiteURL.percentEncoded($0.1))" }.joined(separator: "&")
        struct TokenAnswer: Decodable { var id_token: String? }
        let answer = try await fetch(
            TokenAnswer.self, from: document.token_endpoint, method: .POST, headers: headers, body: body)
        guard let idToken = answer.id_token else {
            throw .providerUnreachable(detail: "the token endpoint answered without an id_token")
        }
        let token = try await verify(idToken, now: now)
        try token.check(issuer: document.issuer, clientID: settings.clientID, nonce: attempt.nonce, now: now)
        return token
    }

    /// The signature, against the provider's published keys; fetched again once, at most once a
    /// minute, if it does not match (the provider may have rotated its keys).
    private func verify(_ idToken: String, now: Date) async throws(SingleSignOnError) -> IDToken {
        for attempt in 0..<2 {
            let collection = try await keyCollection(now: now, refresh: attempt == 1)
            do {
                return try await collection.verify(idToken, as: IDToken.self)
            } catch  where attempt == 0 {
                // Perhaps signed with a key published since we last looked.
                continue
            } catch {
                throw .tokenRefused("its signature does not match \(settings.issuer.host ?? "the provider")'s keys")
            }
        }
        throw .tokenRefused("it was signed with a key the provider does not publish")
    }

    private func keyCollection(now: Date, refresh: Bool) async throws(SingleSignOnError) -> JWTKeyCollection {
        let lifetime = refresh ? Self.keyRefreshInterval : Self.documentLifetime
        if let collection = keys.value(fetchedWithin: lifetime, of: now) { return collection }
        let document = try await document(now: now)
        return try await shared(keys, now: now) { try await self.fetchKeys(from: document.jwks_uri) }
    }

    /// The key set, each key read on its own: one of a kind jwt-kit does not know (an encryption
    /// key, a new algorithm) is no reason to refuse the others.
    private func fetchKeys(from address: String) async throws -> JWTKeyCollection {
        struct AnyKey: Decodable {
            let key: JWK?
            init(from decoder: any Decoder) throws { key = try? JWK(from: decoder) }
        }
        struct KeySet: Decodable { let keys: [AnyKey] }
        let set = try await fetch(KeySet.self, from: address)
        let collection = JWTKeyCollection()
        var added = 0
        for key in set.keys.compactMap(\.key) where (try? await collection.add(jwk: key)) != nil { added += 1 }
        guard added > 0 else {
            throw SingleSignOnError.providerUnreachable(
                detail: "none of the \(set.keys.count) keys at \(address) could be read")
        }
        return collection
    }

    private func fetch<Answer: Decodable>(
        _: Answer.Type, from address: String, method: HTTPMethod = .GET, headers: HTTPHeaders = [:], body: String? = nil
    ) async throws(SingleSignOnError) -> Answer {
        do {
            var request = HTTPClientRequest(url: address)
            request.method = method
            request.headers = headers
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            let response = try await client.execute(request, timeout: .seconds(15))
            let bytes = try await response.body.collect(upTo: Self.largestAnswer)
            guard response.status == .ok else {
                throw SingleSignOnError.providerUnreachable(
                    detail: "\(address) answered \(response.status.code): \(String(buffer: bytes).prefix(300))")
            }
            return try JSONDecoder().decode(Answer.self, from: Data(buffer: bytes))
        } catch let error as SingleSignOnError {
            throw error
        } catch {
            throw .providerUnreachable(detail: "\(address): \(error)")
        }
    }

}
