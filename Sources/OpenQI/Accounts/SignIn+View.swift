import Charts
import Foundation
import Plot

enum SignIn {
    struct Model: Sendable, Equatable {
        var form: FormState
        /// Listed on a demo instance only: one sign-in per role, all with the password `demo`.
        var demoSignIns: [DemoSignIn]
        /// The installation's identity provider, when single sign-on is set up.
        var singleSignOn: Provider? = nil
        /// Whether an OpenQI password may be used here.
        var passwordSignIn = true
    }

    struct Provider: Sendable, Equatable {
        var name: String
    }

    final class View: ModelPage<Model> {

        override func pageTitle() -> String { "Sign in" }

        override func content() -> Node<HTML.BodyContext> {
            .div(
                .class("narrow"),
                .h1(.text("Sign in to OpenQI")),
                .errorSummary(model.form.errors),
                .unwrap(model.singleSignOn) { provider in
                    .div(
                        .id("field-sign-in"), .class("single-sign-on"),
                        .a(
                            .class("button"), .href(singleSignOnLink().markupEscaped),
                            .text("Sign in with \(provider.name)")),
                        .if(model.passwordSignIn, .p(.text("Or sign in with your OpenQI email and password.")))
                    )
                },
                .if(model.passwordSignIn, passwordForm()),
                // Demo passwords are no use where passwords are off.
                .if(model.passwordSignIn && !model.demoSignIns.isEmpty, demoList())
            )
        }

        /// The provider's sign-in, carrying where to go afterwards.
        private func singleSignOnLink() -> String {
            let next = model.form["next"]
            return SiteURL.singleSignOn.relativeURL(query: next.isEmpty ? [] : [("next", next)])
        }

        private func passwordForm() -> Node<HTML.BodyContext> {
            .postForm(
                action: SiteURL.signIn.relativeURL(), csrfToken: context.csrfToken,
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
            )
        }

        private func demoList() -> Node<HTML.BodyContext> {
            .section(
                .class("demo-sign-ins"),
                .h2(.text("Demo sign-ins")),
                .p(.text("This is a demo organisation. Every demo sign-in has the password “demo”.")),
                .scrollingTable(
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
