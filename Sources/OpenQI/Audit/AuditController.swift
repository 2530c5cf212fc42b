import Fluent
import Foundation
import Vapor

enum AuditController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.viewAuditLog)
        let values = ["person", "unit", "from", "to"].reduce(into: [String: String]()) { values, key in
            values[key] = req.query[String.self, at: key] ?? ""
        }
        var validator = Validator()
        let filter = AuditLog.Filter(
            personID: validator.identifier(values["person"], field: "person", label: "person", required: false),
            unitID: validator.identifier(values["unit"], field: "unit", label: "unit", required: false),
            from: day(values["from"], field: "from", label: "start date", validator: &validator),
            to: day(values["to"], field: "to", label: "end date", validator: &validator)
        )
        let form = FormState(values: values, errors: validator.errors)
        let model = try await AuditLog.Model.query(filter: filter, form: form, policy: policy, on: req.db)
        return AuditLog.View(context: try await req.pageContext(), model: model).response()
    }

    /// A calendar day typed as yyyy-mm-dd, as a date input sends it.
    private static func day(_ text: String?, field: String, label: String, validator: inout Validator) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) else {
            validator.fail(field, "Enter the \(label) as a date, like 2026-03-31.")
            return nil
        }
        return date
    }
}
