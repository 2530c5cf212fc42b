import Fluent
import Foundation
import Plot
import Vapor

/// The API tokens an administrator looks after: issue one for a unit (its secret shown once),
/// see when each was last used, revoke one.
enum APITokenPage {
    struct Row: Sendable, Equatable {
        let id: UUID
        let name: String
        let unitPath: String
        let hint: String
        let issuedBy: String
        let issuedAt: Date?
        let lastUsedAt: Date?
        let revokedAt: Date?
        let expiresAt: Date
        let isExpired: Bool
        /// False once whoever issued it no longer administers its unit: it is refused then.
        let issuerStillAdministers: Bool
    }

    struct Model: Sendable, Equatable {
        var tokens: [Row]
        /// The units the viewer may issue tokens for, as select options.
        var units: [FormField.Option]
        var form: FormState
        /// The secret of the token just issued: shown this once.
        var newSecret: String?
    }
}

extension APITokenPage.Model {
    static func query(policy: Policy, form: FormState = FormState(), newSecret: String? = nil, on db: any Database)
        async throws -> Self
    {
        let tree = policy.tree
        let tokens = try await APIToken.query(on: db).with(\.$issuedBy).sort(\.$createdAt, .descending).all()
            .filter { policy.allows(.manageUnit($0.$unit.id)) }
        let working = try await APIToken.working(tokens, in: tree, on: db)
        return .init(
            tokens: try tokens.map {
                .init(
                    id: try $0.requireID(), name: $0.name, unitPath: tree.path(of: $0.$unit.id), hint: $0.hint,
                    issuedBy: $0.issuedBy.fullName, issuedAt: $0.createdAt, lastUsedAt: $0.lastUsedAt,
                    revokedAt: $0.revokedAt, expiresAt: $0.expiresAt, isExpired: $0.isExpired,
                    issuerStillAdministers: working.contains(try $0.requireID()))
            },
            units: tree.outline().filter { policy.allows(.manageUnit($0.node.id)) }.map {
                .init(value: $0.node.id.uuidString, label: tree.path(of: $0.node.id))
            },
            form: form, newSecret: newSecret)
    }
}

extension APITokenPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "API tokens" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "API tokens",
                    lead:
                        "A token lets a data warehouse send measure data to POST /api/v1/measures/data, for the measures of one unit and everything below it. See /api/v1/openapi.json for the format."
                ),
                .unwrap(model.newSecret) { secret in
                    .div(
                        .class("new-token"), .attribute(named: "role", value: "status"),
                        .h2(.text("Copy the token now")),
                        .p(.text("This is the only time it is shown. Store it where the warehouse keeps its secrets.")),
                        .code(.id("new-token"), .text(secret)))
                },
                model.tokens.isEmpty
                    ? .p(.class("empty"), .text("No tokens have been issued yet."))
                    : .scrollingTable(
                        .class("data-table"),
                        .thead(
                            .tr(
                                .th(.text("Name")), .th(.text("Unit")), .th(.text("Starts")), .th(.text("Issued")),
                                .th(.text("Last used")), .th(.text("Expires")), .th(.text("Status")))),
                        .tbody(.forEach(model.tokens) { row($0) })),
                .h2(.text("Issue a token")),
                FormView(
                    action: SiteURL.apiTokens(.issue).relativeURL(), csrfToken: context.csrfToken, state: model.form,
                    fields: [
                        FormField(
                            name: "name", label: "Name",
                            hint: "What uses it, for example: Data warehouse nightly load.",
                            isRequired: true),
                        FormField(
                            name: "unit", label: "Unit",
                            control: .select([.init(value: "", label: "Choose…")] + model.units),
                            hint: "The token may load data for this unit’s measures and those of every unit below it.",
                            isRequired: true),
                        FormField(
                            name: "expires_in_days", label: "Works for",
                            control: .select(every: APIToken.Lifetime.self),
                            hint:
                                "After this the token is refused, and the warehouse needs a new one. The shorter, the safer.",
                            isRequired: true),
                    ],
                    submitLabel: "Issue token", anchor: "issue-token"
                ).node
            )
        }

        private func row(_ token: Row) -> Node<HTML.TableContext> {
            .tr(
                .td(.text(token.name)), .td(.text(token.unitPath)), .td(.code(.text(token.hint + "…"))),
                .td(.text("\(token.issuedAt.map(Self.day) ?? "") by \(token.issuedBy)")),
                .td(.text(token.lastUsedAt.map(Self.day) ?? "Never")),
                .td(.text(Self.day(token.expiresAt))),
                .td(
                    token.revokedAt.map { .text("Revoked \(Self.day($0))") }
                        ?? (token.isExpired ? .text("Expired") : nil)
                        ?? .group(
                            .if(
                                !token.issuerStillAdministers,
                                .p(
                                    .class("error-message"),
                                    .text(
                                        "Stopped: \(token.issuedBy) no longer administers this unit. "
                                            + "Revoke it and issue a new one."))),
                            .postButton(
                                "Revoke", to: SiteURL.apiTokens(.revoke(.value(token.id))).relativeURL(),
                                csrfToken: context.csrfToken)))
            )
        }

        static func day(_ date: Date) -> String { CalendarDay(containing: date).shortLabel }
    }
}

enum APITokenController {
    struct IssueInput: Content {
        var name: String?
        var unit: String?
        var expires_in_days: String?
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.issueAPITokens)
        let model = try await APITokenPage.Model.query(policy: policy, on: req.db)
        return APITokenPage.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func issue(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.issueAPITokens)
        let input = try req.content.decode(IssueInput.self)
        let typed = FormState(values: [
            "name": input.name ?? "", "unit": input.unit ?? "", "expires_in_days": input.expires_in_days ?? "",
        ])
        return try await req.saveForm(typed: typed) {
            var validator = Validator()
            let name = validator.requiredText(input.name, field: "name", label: "a name for the token", maxLength: 120)
            let unitID = validator.identifier(input.unit, field: "unit", label: "unit", required: true)
            if let unitID, policy.tree.nodes[unitID] == nil || !policy.allows(.manageUnit(unitID)) {
                validator.fail("unit", "Choose a unit you administer.")
            }
            let lifetime = validator.choice(
                input.expires_in_days ?? APIToken.Lifetime.year.rawValue, field: "expires_in_days",
                label: "how long the token works", as: APIToken.Lifetime.self)
            try validator.check()
            let (token, secret) = APIToken.issue(
                name: name, unitID: unitID!, by: policy.viewer.personID, lifetime: lifetime!)
            try await token.saveAudited(.create, by: policy.viewer.actor, on: req.db)
            let model = try await APITokenPage.Model.query(policy: policy, newSecret: secret, on: req.db)
            let response = APITokenPage.View(context: try await req.pageContext(), model: model).response()
            // The secret is shown this once: no browser or proxy may keep a copy of the page.
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } redraw: { form in
            let model = try await APITokenPage.Model.query(policy: policy, form: form, on: req.db)
            return APITokenPage.View(context: try await req.pageContext(), model: model)
                .response()
        }
    }

    @Sendable static func revoke(req: Request) async throws -> Response {
        let policy = try await req.policy()
        guard let token = try await APIToken.find(try req.idParameter("tokenID"), on: req.db) else {
            throw NotFound("API token")
        }
        try policy.require(.manageUnit(token.$unit.id))
        if token.revokedAt == nil {
            let before = token.auditFields
            token.revokedAt = AppClock.now
            try await token.saveAudited(.update, by: policy.viewer.actor, before: before, on: req.db)
        }
        return req.redirect(
            to: SiteURL.apiTokens(.index).relativeURL(),
            notice: "The token “\(token.name)” was revoked. Anything still using it is now refused.")
    }
}
