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
            from: validator.day(values["from"], field: "from", label: "the start date", required: false),
            to: validator.day(values["to"], field: "to", label: "the end date", required: false)
        )
        let form = FormState(values: values, errors: validator.errors)
        let model = try await AuditLog.Model.query(filter: filter, form: form, policy: policy, on: req.db)
        return AuditLog.View(context: try await req.pageContext(), model: model).response()
    }
}
