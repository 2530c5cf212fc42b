import Fluent
import Foundation
import Vapor

/// Uploading a long CSV for many measures of a unit: upload, look at the check, then import or
/// cancel. Only the unit's administrators and QI team (who may enter its measures' data) may.
enum DataUploadController {
    struct UploadInput: Content {
        var data: String?
        var file: File?
    }

    @Sendable static func form(req: Request) async throws -> Response {
        let (unitID, policy) = try await req.unitForMeasures()
        let model = try await DataUploadPage.FormModel.query(unitID: unitID, policy: policy, on: req.db)
        return DataUploadPage.FormView(context: try await req.pageContext(), model: model).response()
    }

    /// Keeps the file and shows its check; nothing reaches a measure yet.
    @Sendable static func upload(req: Request) async throws -> Response {
        let (unitID, policy) = try await req.unitForMeasures()
        let input = try req.content.decode(UploadInput.self)
        let file = input.file.flatMap { $0.data.readableBytes > 0 ? $0 : nil }
        let text = file.map { String(buffer: $0.data) } ?? input.data ?? ""
        guard !text.allSatisfy(\.isWhitespace) else {
            let form = FormState(errors: [FieldError(field: "file", message: "Choose a CSV file, or paste the data.")])
            let model = try await DataUploadPage.FormModel.query(unitID: unitID, policy: policy, form: form, on: req.db)
            return DataUploadPage.FormView(context: try await req.pageContext(), model: model)
                .response(status: .unprocessableEntity)
        }
        let upload = DataUpload(
            unitID: unitID, personID: policy.viewer.personID, filename: file?.filename ?? "Pasted data", content: text)
        try await upload.create(on: req.db)
        return req.redirect(to: SiteURL.dataUploads(.show(.value(try upload.requireID()))).relativeURL())
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (upload, policy) = try await find(req)
        let checked = try await CheckedUpload.load(upload, policy: policy, on: req.db)
        let model = try await DataUploadPage.Model.query(checked, policy: policy, on: req.db)
        return DataUploadPage.View(context: try await req.pageContext(), model: model)
            .response(status: model.errorCount == 0 ? .ok : .unprocessableEntity)
    }

    /// Imports every row or, if any is bad, none; then forgets the file.
    @Sendable static func apply(req: Request) async throws -> Response {
        let (upload, policy) = try await find(req)
        let checkedUpload = try await CheckedUpload.load(upload, policy: policy, on: req.db)
        let checked = checkedUpload.checked
        guard checked.errors.isEmpty, !checked.rows.isEmpty else {
            return req.redirect(
                to: SiteURL.dataUploads(.show(.value(try upload.requireID()))).relativeURL(),
                notice: "Nothing was imported: \(checked.errors.count) rows need fixing.")
        }
        let load = try await DataLoad.plan(checked.rows, measures: checkedUpload.targets.values, on: req.db)
        do {
            try await req.db.transaction { db in
                try await load.apply(by: policy.viewer.actor, on: db)
                try await upload.delete(on: db)
            }
        } catch {
            // Not the person's mistake, and nothing of it was kept: say so, and keep the file to try again.
            let id = try upload.requireID()
            req.logger.error("Importing upload \(id) failed; nothing was kept: \(String(reflecting: error))")
            return req.redirect(
                to: SiteURL.dataUploads(.show(.value(try upload.requireID()))).relativeURL(),
                notice:
                    "Nothing was imported: the database stopped the import part-way, so none of it was kept. The file is still here: import it again, and if the same happens, tell your OpenQI administrator."
            )
        }
        let total = load.total
        return req.redirect(
            to: SiteURL.units(.measures(.value(upload.$unit.id))).relativeURL(),
            notice:
                "Imported \(checked.pointCount) points for \(checked.rows.count) measures: \(total.added) new, \(total.changed) changed, \(total.unchanged) unchanged."
        )
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        let (upload, _) = try await find(req)
        try await upload.delete(on: req.db)
        return req.redirect(
            to: SiteURL.units(.measures(.value(upload.$unit.id))).relativeURL(),
            notice: "Nothing was imported, and the uploaded file was discarded.")
    }

    /// Every bad row of an upload as CSV (row, message), for fixing the file at its source.
    @Sendable static func report(req: Request) async throws -> Response {
        let (upload, policy) = try await find(req)
        let checked = try await CheckedUpload.load(upload, policy: policy, on: req.db).checked
        var csv = "row,message\n"
        for error in checked.errors {
            csv += "\(error.line),\(CSVText.cell(error.message))\n"
        }
        return .csv(csv, filename: "upload-check.csv")
    }

    /// The upload, if the viewer made it and may still enter data for its unit.
    private static func find(_ req: Request) async throws -> (DataUpload, Policy) {
        let policy = try await req.policy()
        guard let upload = try await DataUpload.find(try req.idParameter("uploadID"), on: req.db),
            upload.$person.id == policy.viewer.personID
        else {
            throw UploadCheck.gone
        }
        try policy.require(.manageUnitMeasures(upload.$unit.id))
        return (upload, policy)
    }
}
