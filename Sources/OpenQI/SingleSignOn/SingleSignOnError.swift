import Vapor

/// Why a sign-in through the identity provider did not sign anyone in, in words the person can act on.
enum SingleSignOnError: Error, Equatable {
    /// The installation has no provider set up.
    case notSetUp
    /// Discovery, the keys or the token exchange failed; the detail goes to the log, not the page.
    case providerUnreachable(detail: String)
    /// The provider answered with an error instead of a code (`access_denied` when someone cancels).
    case providerRefused(code: String, description: String?)
    /// The answer belongs to no sign-in this browser started, or one older than its lifetime.
    case unknownAttempt
    /// The ID token failed a check; the reason says which.
    case tokenRefused(String)
    /// The token carried no usable address in the configured claim.
    case noEmail(claim: String)
    /// Nobody in OpenQI has that address.
    case noAccount(email: String)
    /// Someone in OpenQI has that address, but has not been given a sign-in.
    case noSignIn(email: String)
    /// The account with that address is already linked to another person at the provider.
    case linkedToSomeoneElse(email: String)
    /// This browser's address started more sign-ins than anyone needs.
    case tooManyAttempts
    /// The person's record is archived.
    case archived
    /// Passwords are off here: only the provider signs people in.
    case passwordsOff

    /// What the log says, without addresses or the provider's free text.
    var logLabel: String {
        switch self {
        case .notSetUp: "not set up"
        case .providerUnreachable: "provider unreachable"
        case .providerRefused(let code, _): "provider refused: \(code.prefix(40))"
        case .unknownAttempt: "unknown or expired state"
        case .tokenRefused(let reason): "token refused: \(reason)"
        case .noEmail(let claim): "no address in claim \(claim)"
        case .noAccount: "no account"
        case .noSignIn: "person without a sign-in"
        case .linkedToSomeoneElse: "account linked to another subject"
        case .archived: "archived person"
        case .passwordsOff: "password refused: provider only"
        case .tooManyAttempts: "too many open sign-ins from one client"
        }
    }

    func message(provider: String) -> String {
        switch self {
        case .notSetUp:
            "Single sign-on is not set up on this installation. Sign in with your email and password."
        case .providerUnreachable:
            "OpenQI could not reach \(provider) to finish signing you in. Try again in a minute; if it keeps happening, tell your OpenQI administrator."
        case .providerRefused(let code, let description):
            code == "access_denied"
                ? "\(provider) did not sign you in (the sign-in was cancelled or refused). Try again."
                : "\(provider) did not sign you in: \(description ?? code). Try again; if it keeps happening, tell your OpenQI administrator."
        case .unknownAttempt:
            "That sign-in was started more than \(Int(SingleSignOnAttempt.lifetime / 60)) minutes ago, already used, or started in another browser. Start again."
        case .tokenRefused(let reason):
            "OpenQI could not trust the sign-in from \(provider): \(reason). Start again; if it keeps happening, tell your OpenQI administrator."
        case .noEmail(let claim):
            "\(provider) did not tell OpenQI your email address (the “\(claim)” claim). Tell your OpenQI administrator, who can change which claim is read."
        case .noAccount(let email):
            "Nobody in OpenQI has the email address \(email). Ask your QI team to add you with that address, then sign in again."
        case .noSignIn(let email):
            "You are in OpenQI as \(email), but have not been given a sign-in yet. Ask an administrator to issue you one (People, your name, Issue a sign-in), then sign in again."
        case .linkedToSomeoneElse(let email):
            "The OpenQI account \(email) already signs in as someone else at \(provider). If the address has passed to you, ask your OpenQI administrator to set you up."
        case .tooManyAttempts:
            "Too many sign-ins were started from your network in the last few minutes. Wait \(Int(SingleSignOnAttempt.lifetime / 60)) minutes, then try again."
        case .archived:
            "Your OpenQI record has been archived, so you cannot sign in. Ask your QI team if you need it again."
        case .passwordsOff:
            "This installation signs people in through \(provider) only. Use the button below."
        }
    }

    var status: HTTPResponseStatus {
        switch self {
        case .notSetUp: .notFound
        case .providerUnreachable: .badGateway
        case .providerRefused, .unknownAttempt, .tokenRefused, .noEmail: .badRequest
        case .noAccount, .noSignIn, .linkedToSomeoneElse, .archived, .passwordsOff: .forbidden
        case .tooManyAttempts: .tooManyRequests
        }
    }
}
