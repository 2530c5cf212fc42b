import Vapor

/// The one answer for an address that names no record: 404, "There is no project with this
/// address. It may have been mistyped." Pages show it on the error page, the API as a problem.
struct NotFound: AbortError {
    /// What the address should have named, in the users' words: "project", "PDSA cycle".
    let record: String

    init(_ record: String) { self.record = record }

    var status: HTTPResponseStatus { .notFound }
    var reason: String { "There is no \(record) with this address. It may have been mistyped." }
}
