import Foundation
import Vapor

/// The one shape of every error the API answers: RFC 9457 problem details, as
/// `application/problem+json`. `type` is `about:blank`, so `title` is the status's own phrase;
/// `detail` says what happened in words a person can act on; a 422 lists each thing to fix in
/// `errors`, by field (`name`, `body`) or by row of a batch of data (`row`).
///
///     {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
///      "detail": "Enter a name.", "errors": [{"field": "name", "message": "Enter a name."}]}
struct Problem: Codable, Sendable, Equatable {
    var type = "about:blank"
    let title: String
    let status: UInt
    let detail: String
    var errors: [FieldError]? = nil

    static let contentType = HTTPMediaType(type: "application", subType: "problem+json")

    init(status: HTTPResponseStatus, detail: String?, errors: [FieldError]? = nil) {
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail ?? status.reasonPhrase
        self.errors = errors
    }

    /// Input that cannot be used as it is: each message with its field or row.
    static func invalid(_ errors: [FieldError], detail: String? = nil) -> Problem {
        Problem(
            status: .unprocessableEntity, detail: detail ?? errors.map(\.message).joined(separator: " "),
            errors: errors)
    }

    var response: Response {
        var headers = HTTPHeaders()
        headers.contentType = Self.contentType
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(self)) ?? Data(#"{"status":500}"#.utf8)
        return Response(
            status: HTTPResponseStatus(statusCode: Int(status)), headers: headers, body: .init(data: data))
    }
}
