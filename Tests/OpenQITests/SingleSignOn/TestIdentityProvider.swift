import Crypto
import Foundation
import JWTKit
import Vapor

@testable import OpenQI

/// An OpenID provider on 127.0.0.1 whose ID tokens each test writes, so that what a real provider
/// never sends (another signing key, another nonce, another audience, a rotated key, a key set
/// with a key of an unknown kind) goes through OpenQI's real discovery, key and token code. The
/// happy path against a real provider (django-oidc-provider) is in the browser tests.
final class TestIdentityProvider: @unchecked Sendable {
    let server: Application
    let issuer: String
    let clientID = "openqi-test"
    let clientSecret = "s3cret-for-tests"
    private let state: State

    /// Everything the routes read and the test changes, behind one lock.
    final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var values = Values()

        struct Values {
            var issuer = ""
            /// Published keys by kid, in order; tokens are signed with `signingKid`'s.
            var keys: [(kid: String, key: ES256PrivateKey)] = [("first", ES256PrivateKey())]
            var signingKid = "first"
            var token: IDToken?
            var strangerKey = false
            var discoveryIssuer: String?
            var verifiersSeen: [String] = []
            var authorisations: [String] = []
            var keySetFetches = 0
        }

        func with<T>(_ body: (inout Values) -> T) -> T { lock.withLock { body(&values) } }
    }

    static func start() async throws -> TestIdentityProvider {
        let server = try await Application.make(.testing)
        server.logger.logLevel = .warning
        do {
            let state = State()
            // Routes are fixed when the server starts, before its port (and so the issuer) is known.
            routes(of: server, state: state)
            try await server.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let port = server.http.server.shared.localAddress?.port else {
                throw TestFailure("the test identity provider has no port")
            }
            let issuer = "http://127.0.0.1:\(port)"
            state.with { $0.issuer = issuer }
            return TestIdentityProvider(server: server, issuer: issuer, state: state)
        } catch {
            try? await server.asyncShutdown()
            throw error
        }
    }

    private init(server: Application, issuer: String, state: State) {
        self.server = server
        self.issuer = issuer
        self.state = state
    }

    func stop() async {
        await server.server.shutdown()
        try? await server.asyncShutdown()
    }

    var settings: SingleSignOnSettings {
        SingleSignOnSettings(
            issuer: URL(string: issuer)!, clientID: clientID, clientSecret: clientSecret,
            providerName: "Test Identity", publicURL: URL(string: "http://127.0.0.1:8080")!)
    }

    /// The next token: signed with the published key unless `strangerKey`.
    func answer(with token: IDToken?, strangerKey: Bool = false) {
        state.with {
            $0.token = token
            $0.strangerKey = strangerKey
        }
    }

    /// Publishes a new key beside the old and signs with it from now on, as providers rotate keys.
    func rotateKeys() {
        state.with {
            $0.keys.append(("rotated", ES256PrivateKey()))
            $0.signingKid = "rotated"
        }
    }
    /// Makes discovery name another issuer, as a misconfigured or impostor provider would.
    func discoveryNames(issuer: String) { state.with { $0.discoveryIssuer = issuer } }

    var verifiersSeen: [String] { state.with { $0.verifiersSeen } }
    var authorisations: [String] { state.with { $0.authorisations } }
    var keySetFetches: Int { state.with { $0.keySetFetches } }

    /// A token as a real provider writes it: its subject stays with the person whatever the address.
    func token(
        email: String, nonce: String?, subject: String? = nil, audience: [String]? = nil,
        issuedAt: Date = AppClock.now
    ) -> IDToken {
        IDToken(
            issuer: issuer, audience: audience ?? [clientID], expires: issuedAt.addingTimeInterval(600),
            issuedAt: issuedAt, nonce: nonce,
            strings: [
                "sub": subject ?? "subject-of-" + email.trimmingCharacters(in: .whitespaces).lowercased(),
                "email": email,
            ],
            booleans: ["email_verified": true])
    }

    private static func routes(of server: Application, state: State) {
        server.get(".well-known", "openid-configuration") { _ in
            let (issuer, named) = state.with { ($0.issuer, $0.discoveryIssuer ?? $0.issuer) }
            return Response(
                status: .ok, headers: ["Content-Type": "application/json"],
                body: .init(
                    string: """
                        {"issuer": "\(named)", "authorization_endpoint": "\(issuer)/authorize",
                         "token_endpoint": "\(issuer)/token", "jwks_uri": "\(issuer)/jwks",
                         "token_endpoint_auth_methods_supported": ["client_secret_basic"]}
                        """))
        }
        server.get("jwks") { _ in
            let keys = state.with {
                $0.keySetFetches += 1
                return $0.keys
            }
            let published = keys.map { kid, key in
                let parameters = key.publicKey.parameters!
                return JWK.ecdsa(
                    .es256, identifier: JWKIdentifier(string: kid), x: parameters.x, y: parameters.y, curve: .p256)
            }
            var json = String(decoding: try JSONEncoder().encode(JWKS(keys: published)), as: UTF8.self)
            // A key of a kind jwt-kit does not know, as providers publish alongside: it must not stop the rest.
            json = json.replacingOccurrences(
                of: #"{"keys":["#, with: #"{"keys":[{"kty":"AKP","kid":"post-quantum","alg":"ML-DSA-65","pub":"AAAA"},"#
            )
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json))
        }
        server.post("token") { req async throws -> Response in
            struct Exchange: Content {
                var code: String
                var code_verifier: String
            }
            let exchange = try req.content.decode(Exchange.self)
            let next = state.with {
                $0.verifiersSeen.append(exchange.code_verifier)
                $0.authorisations.append(req.headers.first(name: .authorization) ?? "")
                return $0
            }
            guard let token = next.token else { throw Abort(.badRequest) }
            let signing = next.keys.first { $0.kid == next.signingKid }!.key
            let keys = JWTKeyCollection()
            await keys.add(
                ecdsa: next.strangerKey ? ES256PrivateKey() : signing, kid: JWKIdentifier(string: next.signingKid))
            let signed = try await keys.sign(token, kid: JWKIdentifier(string: next.signingKid))
            return Response(
                status: .ok, headers: ["Content-Type": "application/json"],
                body: .init(string: #"{"id_token": "\#(signed)", "token_type": "Bearer", "access_token": "a"}"#))
        }
    }
}
