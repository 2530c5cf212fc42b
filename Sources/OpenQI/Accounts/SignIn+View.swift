import Charts
import Foundation
import Plot

enum SignIn {
    struct Model: Sendable, Equatable {
        var form: FormState
        /// Listed on a demo instance only: one sign-in per role, all with the password `demo`.
        var demoSignIns: [DemoSignIn]
    }

    final class View: ModelPage<Model> {

        override func pageTitle() -> String { "Sign in" }

        override func content() -> Node<HTML.BodyContext> {
            .div(
                .class("narrow"),
                .h1(.text("Sign in to OpenQI")),
                .postForm(
                    action: SiteURL.signIn.relativeURL(), csrfToken: context.csrfToken,
                    .errorSummary(model.form.errors),
                    .input(
                        .type(.hidden), .name("next"),
                        .attribute(named: "value", value: model.form["next"].markupEscaped)),
                    .formField(
                        FormField(
                            name: "email", label: "Email", control: .email, isRequired: true, autocomplete: "username"),
                        state: model.form
                    ),
                    .formField(
                        FormField(
                            name: "password", label: "Password", control: .password, isRequired: true,
                            autocomplete: "current-password"),
                        state: model.form
                    ),
                    .div(.class("form-actions"), .button(.type(.submit), .class("button"), .text("Sign in")))
                ),
                .if(!model.demoSignIns.isEmpty, demoList())
            )
        }

        private func demoList() -> Node<HTML.BodyContext> {
            .section(
                .class("demo-sign-ins"),
                .h2(.text("Demo sign-ins")),
                .p(.text("This is a demo organisation. Every demo sign-in has the password “demo”.")),
                .table(
                    .thead(.tr(.th(.text("Role")), .th(.text("Email")))),
                    .tbody(
                        .forEach(model.demoSignIns) { demo in
                            .tr(.td(.text(demo.role)), .td(.code(.text(demo.email))))
                        })
                )
            )
        }
    }
}

/// A demo account shown on the sign-in page of a demo instance.
package struct DemoSignIn: Codable, Sendable, Equatable {
    let role: String
    let email: String

    package init(role: String, email: String) {
        self.role = role
        self.email = email
    }
}
