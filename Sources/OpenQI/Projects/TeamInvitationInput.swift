import Foundation
import Vapor

/// A service user or carer a lead invites onto the team who is not yet on the People list: their
/// record is made now and awaits the approval of someone who manages the unit's people.
struct TeamInvitationInput: Content, Sendable {
    var full_name: String?
    var kind: String?
    var email: String?
    var role: String?
    var involvement: String?

    var formValues: [String: String] {
        [
            "full_name": full_name ?? "", "kind": kind ?? "", "email": email ?? "", "role": role ?? "",
            "involvement": involvement ?? "",
        ]
    }

    /// Who may be invited this way: staff and partners are added by those who manage people.
    static let kinds: [PersonKind] = [.serviceUser, .carer]

    struct Valid: Sendable {
        let fullName: String
        let kind: PersonKind
        let email: String?
        let role: String
        let involvement: ServiceUserInvolvement
    }

    func validate() throws -> Valid {
        var validator = Validator()
        let name = validator.requiredText(full_name, field: "full_name", label: "their full name", maxLength: 120)
        let kind = validator.choice(
            kind, field: "kind", label: "whether they are a service user or a carer",
            as: PersonKind.self)
        if let kind, !Self.kinds.contains(kind) {
            validator.fail(
                "kind",
                "Only a service user or a carer can be invited here. Ask someone who manages people to add staff and partners."
            )
        }
        let email = validator.email(email, field: "email", required: false)
        let role = validator.requiredText(role, field: "role", label: "their role on the team", maxLength: 80)
        let involvement = validator.choice(
            involvement, field: "involvement", label: "the involvement", as: ServiceUserInvolvement.self)
        return try validator.check(name, kind, role, involvement) { name, kind, role, involvement in
            Valid(fullName: name, kind: kind, email: email, role: role, involvement: involvement)
        }
    }
}
