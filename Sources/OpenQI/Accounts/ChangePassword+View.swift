import Foundation
import Plot

enum ChangePassword {
    struct Model: Sendable, Equatable {
        var form: FormState
        /// Signed in with a one-time password that must be replaced before anything else.
        var isFirstSignIn: Bool
    }

    final class View: ModelPage<Model> {

        override func pageTitle() -> String { "Change your password" }

        override func content() -> Node<HTML.BodyContext> {
            .div(
                .class("narrow"),
                .h1(.text("Change your password")),
                .if(
                    model.isFirstSignIn,
                    .p(
                        .class("lead"),
                        .text("You signed in with a one-time password. Choose your own password to continue."))),
                FormView(
                    action: SiteURL.changePassword.relativeURL(), csrfToken: context.csrfToken, state: model.form,
                    fields: [
                        FormField(
                            name: "current_password", label: "Current password", control: .password, isRequired: true,
                            autocomplete: "current-password"),
                        FormField(
                            name: "new_password", label: "New password", control: .password,
                            hint:
                                "At least \(PasswordRules.minimumLength) characters. A few unrelated words make a strong password.",
                            isRequired: true, autocomplete: "new-password"
                        ),
                        FormField(
                            name: "confirm_password", label: "Type the new password again", control: .password,
                            isRequired: true, autocomplete: "new-password"),
                    ],
                    submitLabel: "Change password"
                ).node
            )
        }
    }
}
