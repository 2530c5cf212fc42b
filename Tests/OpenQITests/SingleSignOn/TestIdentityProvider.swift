import Crypto
import Foundation
import JWTKit
import Vapor

@testable import OpenQI

/// An OpenID provider on 127.0.0.1 whose ID tokens each test writes, so that the refusals a real
/// provider never produces (another signing key, another nonce, another audience) can be sent
/// through OpenQI's real discovery, key and token code. The happy path against a real provider
/// (django-oidc-provider) is in the browser tests.
final class TestIdentityProvider: @unchecked Sendable {
    let server: Application
    let issuer: String
    let clientID = "openqi-test"
    let clientSecret = "s3cret-for-tests"
    private let signingKey: ES256PrivateKey
    private let state: Mutable

    /// What the token endpoint answers next, given the code and the challenge OpenQI sent.
    final class Mutable: @unchecked Sendable {
        private let lock = NSLock()
        private var _token: IDToken?
        private var _strangerKey = false
        private var _challenges: [String: String] = [:]
        private var _verifiersSeen: [String] = []
        private var _basicAuthorisations: [String] = []
        private var _issuer = ""

        var issuer: String {
            get { lock.withLock { _issuer } }
            set { lock.withLock { _issuer = newValue } }
        }

        func set(token: IDToken?, strangerKey: Bool) {
            lock.withLock {
                _token = token
                _strangerKey = strangerKey
            }
        }
        var next: (token: IDToken?, strangerKey: Bool) { lock.withLock { (_token, _strangerKey) } }
        func saw(verifier: String, authorisation: String) {
            lock.withLock {
                _verifiersSeen.append(verifier)
                _basicAuthorisations.append(authorisation)
            }
        }
        var verifiersSeen: [String] { lock.withLock { _verifiersSeen } }
        var authorisations: [String] { lock.withLock { _basicAuthorisations } }
    }

    static func start() async throws -> TestIdentityProvider {
        let server = try await Application.make(.testing)
        server.logger.logLevel = .warning
        server.http.server.configuration.hostname = "127.0.0.1"
        server.http.server.configuration.port = 0
        do {
            let state = Mutable()
            let signingKey = ES256PrivateKey()
            // Routes are fixed when the server starts, before its port (and so the issuer) is known.
            routes(of: server, state: state, signingKey: signingKey)
            try await server.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let port = server.http.server.shared.localAddress?.port else {
                throw TestFailure("the test identity provider has no port")
            }
            let issuer = "http://127.0.0.1:\(port)"
            state.issuer = issuer
            return TestIdentityProvider(server: server, issuer: issuer, state: state, signingKey: signingKey)
        } catch {
            try? await server.asyncShutdown()
            throw error
        }
    }

    private init(server: Application, issuer: String, state: Mutable, signingKey: ES256PrivateKey) {
        self.server = server
        self.issuer = issuer
        self.state = state
        self.signingKey = signingKey
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
    func answer(with token: IDToken?, strangerKey: Bool = false) { state.set(token: token, strangerKey: strangerKey) }

    var verifiersSeen: [String] { state.verifiersSeen }
    var authorisations: [String] { state.authorisations }

    /// A token as a real provider writes it for `email`, with the nonce OpenQI sent.
    func token(email: String, nonce: String?, audience: [String]? = nil, issuedAt: Date = AppClock.now) -> IDToken {
        IDToken(
            issuer: issuer, audience: audience ?? [clientID], expires: issuedAt.addingTimeInterval(600),
            issuedAt: issuedAt, nonce: nonce, strings: ["sub": "1", "email": email], booleans: ["email_verified": true])
    }

    private static func routes(of server: Application, state: Mutable, signingKey: ES256PrivateKey) {
        server.get(".well-known", "openid-configuration") { _ in
            let issuer = state.issuer
            return Response(
                status: .ok, headers: ["Content-Type": "application/json"],
                body: .init(
                    string: """
                        {"issuer": "\(issuer)", "authorization_endpoint": "\(issuer)/authorize",
                         "token_endpoint": "\(issuer)/token", "jwks_uri": "\(issuer)/jwks",
                         "token_endpoint_auth_methods_supported": ["client_secret_basic"]}
                        """))
        }
        server.get("jwks") { _ in
            let parameters = signingKey.publicKey.parameters!
            let key = JWK.ecdsa(.es256, identifier: "published", x: parameters.x, y: parameters.y, curve: .p256)
            let body = try JSONEncoder().encode(JWKS(keys: [key]))
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: body))
        }
        server.post("token") { req async throws -> Response in
            struct Exchange: Content {
                var code: String
                var code_verifier: String
            }
            let exchange = try req.content.decode(Exchange.self)
            state.saw(
                verifier: exchange.code_verifier, authorisation: req.headers.first(name: .authorization) ?? "")
            let next = state.next
            guard let token = next.token else { throw Abort(.badRequest) }
            let keys = JWTKeyCollection()
            await keys.add(ecdsa: next.strangerKey ? ES256PrivateKey() : signingKey, kid: "published")
            let signed = try await keys.sign(token, kid: "published")
            return Response(
                status: .ok, headers: ["Content-Type": "application/json"],
                body: .init(string: #"{"id_token": "\#(signed)", "token_type": "Bearer", "access_token": "a"}"#))
        }
    }
}
