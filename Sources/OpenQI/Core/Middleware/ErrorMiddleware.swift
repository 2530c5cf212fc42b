import Fluent
import Foundation
import Vapor

/// Turns every error into a response a person can act on: a `Problem` for the API (and `/health`),
/// a page otherwise. Unexpected errors are logged in full and shown without internals.
struct OpenQIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, to: request)
        }
    }

    private func response(for error: any Error, to request: Request) async -> Response {
        let status: HTTPResponseStatus
        let reason: String?
        switch error {
        case let failure as ValidationFailure:
            if request.isAPI { return Problem.invalid(failure.errors).response }
            status = .unprocessableEntity
            reason = failure.reason
        case let abort as any AbortError where abort.status == .payloadTooLarge:
            status = abort.status
            let limit = UploadLimit.described(UploadLimit.of(request))
            reason =
                UploadLimit.isUpload(request)
                ? "This is more than the \(limit) OpenQI takes at once, so nothing was saved. Split the file into parts (a year at a time, say) and send each."
                : "This is more than the \(limit) OpenQI takes in one request, so nothing was saved. Shorten the text, or send it in parts."
        case is DecodingError where request.isAPI:
            return Problem.invalid([FieldError(field: "body", message: Self.sendTheObject)]).response
        case let abort as any AbortError where abort.status == .unprocessableEntity && request.isAPI:
            // A body that is empty or not the object the endpoint takes: answered like any other
            // invalid input, so a client reads one shape of error.
            let reason = abort.reason == abort.status.reasonPhrase ? nil : abort.reason
            return Problem.invalid([FieldError(field: "body", message: reason ?? Self.sendTheObject)]).response
        case let abort as any AbortError:
            status = abort.status
            reason = abort.reason
        case let database as any DatabaseError where database.isConstraintFailure:
            request.logger.notice("constraint failure", metadata: ["error": "\(String(reflecting: database))"])
            status = .conflict
            reason =
                "This conflicts with a record that already exists (for example the same name or email). Change it and try again."
        case _ where request.headers.contentType?.type == "multipart":
            // The multipart reader's errors are its own private type: a body it could not read
            // is a broken upload, not a fault of OpenQI's.
            request.logger.notice("unreadable upload", metadata: ["error": "\(String(reflecting: error))"])
            if request.isAPI {
                return Problem.invalid([
                    FieldError(field: "body", message: "The upload could not be read. Send it again, whole.")
                ]).response
            }
            status = .unprocessableEntity
            reason =
                "The upload could not be read: it was cut short or is not a file upload. Choose the file and send it again."
        default:
            request.logger.report(error: error)
            status = .internalServerError
            reason = nil
        }
        if request.isAPI || request.url.path == SiteURL.health.relativeURL() {
            return Problem(status: status, detail: reason).response
        }
        if status == .unauthorized {
            return request.redirect(to: SiteURL.signIn.relativeURL())
        }
        let context = (try? await request.pageContext()) ?? .signedOut(csrfToken: request.csrfToken)
        return ErrorPage.View(context: context, model: .init(status: status, reason: reason)).response(status: status)
    }

    private static let sendTheObject =
        "Send a JSON object with the fields this endpoint takes, as /api/v1/openapi.json describes."
}
