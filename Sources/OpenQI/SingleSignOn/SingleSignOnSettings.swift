import Foundation

/// How this installation signs people in through its identity provider (Microsoft Entra ID or any
/// other OpenID Connect provider), read from the environment by the CLI.
public struct SingleSignOnSettings: Sendable, Equatable {
    /// The provider's issuer, exactly as its discovery document names it.
    public var issuer: URL
    public var clientID: String
    public var clientSecret: String
    /// The ID-token claim holding the address a person is matched by: `email` for most providers;
    /// `preferred_username` or `upn` for Entra ID tenants that do not release `email`.
    public var emailClaim: String
    /// The provider's name on the sign-in button ("Sign in with NHSmail").
    public var providerName: String
    /// This site's address as browsers reach it; the provider sends people back to a path under it.
    public var publicURL: URL
    /// Whether people may still sign in with an OpenQI password as well.
    public var passwordSignIn: Bool

    public init(
        issuer: URL, clientID: String, clientSecret: String, emailClaim: String = "email",
        providerName: String = "your organisation's account", publicURL: URL, passwordSignIn: Bool = true
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.emailClaim = emailClaim
        self.providerName = providerName
        self.publicURL = publicURL
        self.passwordSignIn = passwordSignIn
    }

    /// Where the provider sends the browser back with its answer; registered with the provider.
    var callbackURL: String {
        let base =
            publicURL.absoluteString.hasSuffix("/")
            ? String(publicURL.absoluteString.dropLast()) : publicURL.absoluteString
        return base + SiteURL.singleSignOnCallback.relativeURL()
    }

    /// Reads the `OPENQI_OIDC_*` variables. None set: nil (passwords only). Some but not all, or an
    /// address that is not HTTPS (except on this machine, for tests): refused with what to set.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SingleSignOnSettings? {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        let required = [
            "OPENQI_OIDC_ISSUER", "OPENQI_OIDC_CLIENT_ID", "OPENQI_OIDC_CLIENT_SECRET", "OPENQI_PUBLIC_URL",
        ]
        let missing = required.filter { value($0) == nil }
        if missing.count == required.count {
            if value("OPENQI_PASSWORD_SIGN_IN") != nil {
                throw ConfigurationError(
                    "OPENQI_PASSWORD_SIGN_IN is set but single sign-on is not: set OPENQI_OIDC_ISSUER, OPENQI_OIDC_CLIENT_ID, OPENQI_OIDC_CLIENT_SECRET and OPENQI_PUBLIC_URL, or unset it."
                )
            }
            return nil
        }
        guard missing.isEmpty else {
            throw ConfigurationError(
                "Single sign-on needs \(missing.joined(separator: ", ")) as well as the OPENQI_OIDC_* variables already set."
            )
        }
        let issuer = try address(value("OPENQI_OIDC_ISSUER")!, named: "OPENQI_OIDC_ISSUER")
        // Entra ID's shared endpoints name no one tenant: their tokens' issuer is each person's own.
        let shared = ["common", "organizations", "consumers"]
        if issuer.host?.hasSuffix("microsoftonline.com") == true,
            let endpoint = issuer.pathComponents.first(where: shared.contains)
        {
            throw ConfigurationError(
                "OPENQI_OIDC_ISSUER is Entra ID's shared “\(endpoint)” endpoint; use your tenant's: https://login.microsoftonline.com/<tenant id>/v2.0."
            )
        }
        let publicURL = try address(value("OPENQI_PUBLIC_URL")!, named: "OPENQI_PUBLIC_URL")
        // Cookies and redirects assume OpenQI is served at the root of its host.
        guard publicURL.path.isEmpty || publicURL.path == "/" else {
            throw ConfigurationError(
                "OPENQI_PUBLIC_URL is “\(publicURL.absoluteString)”; give the site's address without a path, such as https://qi.your-trust.nhs.uk."
            )
        }
        let passwordSignIn: Bool
        switch value("OPENQI_PASSWORD_SIGN_IN")?.lowercased() {
        case nil, "on", "true", "yes", "1": passwordSignIn = true
        case "off", "false", "no", "0": passwordSignIn = false
        case let other?:
            throw ConfigurationError("OPENQI_PASSWORD_SIGN_IN is “\(other)”; use on or off.")
        }
        return SingleSignOnSettings(
            issuer: issuer, clientID: value("OPENQI_OIDC_CLIENT_ID")!,
            clientSecret: value("OPENQI_OIDC_CLIENT_SECRET")!,
            emailClaim: value("OPENQI_OIDC_EMAIL_CLAIM") ?? "email",
            providerName: value("OPENQI_OIDC_PROVIDER_NAME") ?? "your organisation's account",
            publicURL: publicURL, passwordSignIn: passwordSignIn
        )
    }

    /// An absolute HTTPS address; plain HTTP only to this machine, where a test provider runs.
    static func address(_ text: String, named name: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, url.query == nil,
            url.fragment == nil
        else {
            throw ConfigurationError(
                "\(name) is “\(text)”; give an absolute address such as https://login.example.org/tenant.")
        }
        let local = ["127.0.0.1", "localhost", "::1"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && local) else {
            throw ConfigurationError(
                "\(name) is “\(text)”; it must start with https:// (plain http only for 127.0.0.1).")
        }
        return url
    }
}
