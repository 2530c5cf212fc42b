import Foundation
import Vapor

/// `POST /api/v1/measures/data`: points for many measures, named by key, as JSON or CSV, from a
/// data warehouse with an API token or from a signed-in person. Checked row by row like an upload;
/// all of them are loaded or, if any row is bad, none.
enum MeasureDataAPIController {
    struct Batch: Content {
        var points: [BulkDataImport.Point]?
    }

    struct Outcome: Content, Equatable {
        let points: Int
        let measures: Int
        let added: Int
        let changed: Int
        let unchanged: Int
    }

    @Sendable static func load(req: Request) async throws -> Response {
        let writer = try await DataWriter.resolve(req)
        let file: BulkDataImport
        if req.headers.contentType?.subType == "csv" {
            file = .csv(req.body.string ?? "")
        } else if (req.body.data?.readableBytes ?? 0) == 0 {
            // Nothing sent is answered like an empty batch, with the same rejection.
            file = .points([])
        } else {
            file = .points(try req.content.decode(Batch.self).points ?? [])
        }
        let targets = try await BulkDataImport.targets(keys: file.keys, in: writer.units, on: req.db)
        let checked = file.checked(against: targets, scope: writer.scope)
        guard checked.errors.isEmpty else {
            let count = checked.errors.count
            return Problem.invalid(
                checked.errors.map { FieldError(field: "data", message: $0.message, row: $0.line) },
                detail: "Nothing was imported: \(count) row\(count == 1 ? " needs" : "s need") fixing."
            ).response
        }
        let load = try await DataLoad.plan(checked.rows, measures: targets.values, on: req.db)
        do {
            try await load.apply(by: writer.actor, on: req.db)
        } catch {
            // Not the sender's mistake, and nothing of it was kept: say both, so a warehouse retries.
            req.logger.error("A data load through the API failed; nothing was kept: \(String(reflecting: error))")
            throw Abort(
                .internalServerError,
                reason:
                    "Nothing was loaded: the database stopped the load part-way, so none of it was kept. Send the batch again."
            )
        }
        let total = load.total
        return try await Outcome(
            points: checked.pointCount, measures: checked.rows.count, added: total.added, changed: total.changed,
            unchanged: total.unchanged
        ).encodeResponse(for: req)
    }

    /// The OpenAPI 3.1 description of every `/api/v1` route, read once from the bundle.
    @Sendable static func openAPI(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: OpenAPIDocument.data))
    }
}

/// The API's OpenAPI document, kept beside the code it describes; `OpenAPITests` checks that it
/// lists every `/api/v1` route.
enum OpenAPIDocument {
    static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { fatalError("openapi.json is missing from the OpenQI bundle") }
        return data
    }()
}
