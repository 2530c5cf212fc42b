import Foundation
import Vapor

/// Serves the stylesheet and scripts in `Public/`, and only those: the files are listed once at
/// start, so every other request goes by without touching the file system (where a path longer
/// than a file name may be failed with an error rather than not found).
struct PublicFilesMiddleware: AsyncMiddleware {
    private let files: FileMiddleware
    private let paths: Set<String>

    init(directory: URL) {
        files = FileMiddleware(publicDirectory: directory.path + "/")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        paths = Set(names.map { "/" + $0 })
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD, paths.contains(request.url.path) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
