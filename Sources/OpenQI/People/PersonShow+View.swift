import Foundation
import Plot

extension PersonShow {
    final class View: ModelPage<Model> {

        override func pageTitle() -> String { model.fullName }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "People", url: SiteURL.people(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(
                        .text(model.fullName), .span(.class("tag"), .text(model.kind.label)),
                        .if(model.isArchived, .span(.class("tag muted"), .text("Archived")))),
                    .if(model.canEdit, actions())
                ),
                .unwrap(model.invitation) { invitation in
                    .div(
                        .class("awaiting-approval"),
                        .h2(.text("Awaiting approval")),
                        .p(
                            .text(
                                "\(invitation.invitedBy) invited \(model.fullName) onto a project team"
                                    + (invitation.date.map { " on \(CalendarDay.label($0))" } ?? "")
                                    + ". Someone who manages the people of \(model.unitPath ?? "their unit") checks the record and approves it."
                            )),
                        .if(
                            model.canEdit,
                            .group(
                                .postButton(
                                    "Approve the record", to: SiteURL.people(.approve(.value(model.id))).relativeURL(),
                                    csrfToken: context.csrfToken, style: "button"),
                                .p(.class("hint"), .text("To turn the invitation down, archive the record."))))
                    )
                },
                .unwrap(model.oneTimePassword) { password in
                    .div(
                        .class("one-time-password"), .attribute(named: "role", value: "status"),
                        .h2(.text("One-time password")),
                        .p(
                            .text(
                                "Give this password to \(model.fullName) in person or by phone. It is shown only now; they must change it when they first sign in."
                            )),
                        .p(.code(.id("one-time-password"), .text(password)))
                    )
                },
                .dl(
                    .class("details"),
                    .dt(.text("Unit")),
                    .dd(
                        model.unitID.map { id in
                            .a(.href(SiteURL.units(.show(.value(id))).relativeURL()), .text(model.unitPath ?? ""))
                        } ?? .text("None")),
                    .unwrap(model.contact) { contact in
                        .group(.dt(.text("Email")), .dd(.text(contact.email ?? "None")))
                    },
                    .dt(.text("Role or job")), .dd(.text(model.jobTitle ?? "None")),
                    .unwrap(model.startedOn) { .group(.dt(.text("Started")), .dd(.text($0.label))) },
                    .if(
                        model.coachingCapacity != nil || model.grants.contains { $0.role == .coach },
                        .group(
                            .dt(.text("Coaches at once")),
                            .dd(
                                .text(
                                    model.coachingCapacity.map { $0 == 1 ? "1 project" : "\($0) projects" }
                                        ?? "\(Person.usualCoachingCapacity) projects (the usual)")))
                    ),
                    .unwrap(model.contact) { contact in
                        .group(.dt(.text("Sign-in")), .dd(signInStatus(contact.signIn)))
                    }
                ),
                .unwrap(issueLabel) { label in
                    .postButton(
                        label, to: SiteURL.people(.issueSignIn(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken)
                },
                .section(
                    .h2(.text("QI roles")),
                    model.grants.isEmpty
                        ? .p(.class("empty"), .text("No roles granted."))
                        : .scrollingTable(
                            .thead(
                                .tr(
                                    .th(.text("Role")), .th(.text("For")),
                                    .th(.span(.class("visually-hidden"), .text("Actions"))))),
                            .tbody(
                                .forEach(model.grants) { grant in
                                    .tr(
                                        .td(.text(grant.role.label)),
                                        .td(
                                            .a(
                                                .href(SiteURL.units(.show(.value(grant.unitID))).relativeURL()),
                                                .text(grant.unitPath))),
                                        .td(
                                            .if(
                                                grant.canRevoke,
                                                .postButton(
                                                    "Revoke",
                                                    to: SiteURL.people(
                                                        .revokeRole(person: .value(model.id), grant: .value(grant.id))
                                                    ).relativeURL(),
                                                    csrfToken: context.csrfToken
                                                )))
                                    )
                                })
                        ),
                    .if(!model.grantableUnits.isEmpty, grantForm())
                ),
                .section(
                    .h2(.text("Projects")),
                    model.projects.isEmpty
                        ? .p(.class("empty"), .text("Not on a project team, nor a coach or sponsor."))
                        : .personProjects(model.projects, partHeading: "Their part")),
                .section(.h2(.text("Learning")), .personLearning(model.learning))
            )
        }

        /// What issuing does here: a one-time password, or, where sign-in is only through the
        /// identity provider, allowing it (once; there is no password to renew).
        private var issueLabel: String? {
            guard model.canIssueSignIn else { return nil }
            let hasSignIn = model.contact?.signIn != nil
            if model.singleSignOnOnly != nil { return hasSignIn ? nil : "Allow single sign-on" }
            return hasSignIn ? "Issue a new one-time password" : "Issue a sign-in"
        }

        private func signInStatus(_ signIn: PersonShow.SignInStatus?) -> Node<HTML.BodyContext> {
            guard let signIn else { return .text("No sign-in") }
            var parts = ["Signs in as \(signIn.email)"]
            if let last = signIn.lastSignInAt {
                parts.append("last signed in \(CalendarDay.moment(last))")
            }
            if let provider = model.singleSignOnOnly {
                parts.append("through \(provider)")
            } else if signIn.mustChangePassword {
                parts.append("has a one-time password")
            }
            if let locked = signIn.lockedUntil, locked > AppClock.now {
                parts.append("locked until \(CalendarDay.time(locked))")
            }
            return .text(parts.joined(separator: "; "))
        }

        private func actions() -> Node<HTML.BodyContext> {
            .div(
                .class("actions"),
                .a(
                    .class("button secondary"), .href(SiteURL.people(.edit(.value(model.id))).relativeURL()),
                    .text("Edit")),
                model.isArchived
                    ? .postButton(
                        "Restore", to: SiteURL.people(.restore(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken)
                    : .postButton(
                        "Archive", to: SiteURL.people(.archive(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken)
            )
        }

        private func grantForm() -> Node<HTML.BodyContext> {
            FormView(
                action: SiteURL.people(.grantRole(.value(model.id))).relativeURL(),
                csrfToken: context.csrfToken,
                state: model.grantForm,
                fields: [
                    FormField(
                        name: "role", label: "Role",
                        control: .select(every: Role.self, none: "Choose…"),
                        isRequired: true
                    ),
                    FormField(
                        name: "unit_id", label: "For", control: .select(model.grantableUnits),
                        hint: "The role applies to this unit and every unit below it.", isRequired: true
                    ),
                ],
                submitLabel: "Grant role", anchor: "grant-role"
            ).disclosed("Grant a role")
        }
    }
}
