import Fluent
import Foundation
import Vapor

/// Importing past attendance: upload a file, look at its check, then import or cancel. Whoever
/// runs the training may (`manageCapability`), and only their own uploads.
enum AttendanceImportController {
    static func register(on routes: any RoutesBuilder) {
        routes.get(SiteURL.capability(.attendanceUpload).pathComponents, use: form)
        routes.upload(
            SiteURL.capability(.attendanceUpload).pathComponents, maxSize: AttendanceImportPage.maximumSize,
            use: upload)
        routes.get(SiteURL.capability(.attendanceCheck(.key)).pathComponents, use: show)
        routes.post(SiteURL.capability(.importAttendance(.key)).pathComponents, use: apply)
        routes.post(SiteURL.capability(.cancelAttendance(.key)).pathComponents, use: cancel)
    }

    struct UploadInput: Content {
        var data: String?
        var file: File?
    }

    @Sendable static func form(req: Request) async throws -> Response {
        _ = try await req.policy(granting: .manageCapability)
        let model = try await AttendanceImportPage.FormModel.query(on: req.db)
        return AttendanceImportPage.FormView(context: try await req.pageContext(), model: model).response()
    }

    /// Keeps the file and shows its check; nothing reaches a register yet.
    @Sendable static func upload(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let input = try req.content.decode(UploadInput.self)
        let file = input.file.flatMap { $0.data.readableBytes > 0 ? $0 : nil }
        let text = file.map { String(buffer: $0.data) } ?? input.data ?? ""
        guard !text.allSatisfy(\.isWhitespace) else {
            let form = FormState(errors: [FieldError(field: "file", message: "Choose a CSV file, or paste the rows.")])
            let model = try await AttendanceImportPage.FormModel.query(form: form, on: req.db)
            return AttendanceImportPage.FormView(context: try await req.pageContext(), model: model)
                .response(status: .unprocessableEntity)
        }
        let upload = AttendanceUpload(
            personID: policy.viewer.personID, filename: String((file?.filename ?? "Pasted rows").prefix(200)),
            content: text)
        try await upload.create(on: req.db)
        return req.redirect(to: SiteURL.capability(.attendanceCheck(.value(try upload.requireID()))).relativeURL())
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let upload = try await find(req)
        let model = try await AttendanceImportPage.Model.query(upload, today: AppClock.today, on: req.db)
        return AttendanceImportPage.View(context: try await req.pageContext(), model: model)
            .response(status: model.errorCount == 0 ? .ok : .unprocessableEntity)
    }

    /// Imports every row or, if any is bad, none; then forgets the file.
    @Sendable static func apply(req: Request) async throws -> Response {
        let upload = try await find(req)
        let policy = try await req.policy()
        let checkURL = SiteURL.capability(.attendanceCheck(.value(try upload.requireID()))).relativeURL()
        let outcome: AttendanceImport.Outcome
        do {
            outcome = try await AttendanceImport.run(
                AttendanceFile(text: upload.content), filename: upload.filename, today: AppClock.today,
                by: policy.viewer.actor, on: req.db)
        } catch let failure as ValidationFailure {
            return req.redirect(to: checkURL, notice: failure.errors.map(\.message).joined(separator: " "))
        } catch {
            // Not the person's mistake, and nothing of it was kept: say so, and keep the file.
            req.logger.error(
                "Importing attendance upload \(upload.id?.uuidString ?? "") failed; nothing was kept: \(String(reflecting: error))"
            )
            return req.redirect(
                to: checkURL,
                notice:
                    "Nothing was imported: the database stopped the import part-way, so none of it was kept. The file is still here: import it again, and if the same happens, tell your OpenQI administrator."
            )
        }
        try await upload.delete(on: req.db)
        return req.redirect(to: SiteURL.capability(.dashboard).relativeURL(), notice: outcome.summary)
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        let upload = try await find(req)
        try await upload.delete(on: req.db)
        return req.redirect(
            to: SiteURL.capability(.dashboard).relativeURL(),
            notice: "Nothing was imported, and the uploaded file was discarded.")
    }

    /// The upload, if the viewer made it and still runs the training.
    private static func find(_ req: Request) async throws -> AttendanceUpload {
        let policy = try await req.policy(granting: .manageCapability)
        guard let upload = try await AttendanceUpload.find(try req.idParameter("attendanceUploadID"), on: req.db),
            upload.$person.id == policy.viewer.personID
        else {
            throw UploadCheck.gone
        }
        return upload
    }
}
