import Foundation
import Vapor

/// The rules for passwords and for locking a sign-in after repeated failures.
enum PasswordRules {
    static let minimumLength = 10
    /// Failed attempts in a row that lock a sign-in, and for how long.
    static let attemptsBeforeLockOut = 5
    static let lockOutDuration: TimeInterval = 15 * 60

    /// Checks a new password and its confirmation; field names match the change-password form.
    static func validate(new: String, confirmation: String, email: String, into validator: inout Validator) {
        if new.count < minimumLength {
            validator.fail("new_password", "Choose a password of at least \(minimumLength) characters.")
        } else if new.lowercased() == email.lowercased() {
            validator.fail("new_password", "Choose a password that is not your email address.")
        }
        if new != confirmation {
            validator.fail("confirm_password", "The two new passwords do not match. Type the same password twice.")
        }
    }

    /// A random one-time password, easy to read aloud: four groups of four letters and digits
    /// without look-alikes (no 0/O, 1/l/I).
    static func makeOneTimePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return (0..<4).map { _ in String((0..<4).map { _ in alphabet.randomElement()! }) }.joined(separator: "-")
    }
}

/// Why a sign-in failed, in words that do not reveal whether the email exists.
enum SignInError: Error, Equatable {
    case incorrect
    case lockedOut(until: Date)
    case throttled(until: Date)

    var message: String {
        switch self {
        case .incorrect:
            "The email or password is not right. Check them and try again."
        case .lockedOut(let until):
            "This sign-in is locked for 15 minutes after \(PasswordRules.attemptsBeforeLockOut) failed attempts "
                + "(until \(CalendarDay.time(until)) UTC). Try again then, or ask an administrator to issue a new password."
        case .throttled(let until):
            "Too many sign-ins have failed from your network in the last 15 minutes. "
                + "Try again after \(CalendarDay.time(until)) UTC."
        }
    }
}
