import Foundation
import Testing
import Vapor

@testable import OpenQI

/// The OpenAPI document and the routes agree: every `/api/v1` route the app registers is
/// described, and nothing is described that the app does not serve. (The browser suite's
/// `test_api_contract.py` checks real answers against the document.)
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("describes exactly the /api/v1 routes the app registers, method by method")
    func everyRouteDescribed() async throws {
        try await withOpenQI { app in
            let document = try #require(
                try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let described = Set(
                paths.flatMap { path, operations in
                    operations.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }
                        .map { "\($0.uppercased()) \(path)" }
                })
            let registered = Set(
                app.routes.all.compactMap { route -> String? in
                    let segments = route.path.map { component -> String in
                        switch component {
                        case .constant(let text): text
                        case .parameter(let name): "{\(name)}"
                        case .anything: "*"
                        case .catchall: "**"
                        }
                    }
                    guard segments.starts(with: ["api", "v1"]), !segments.contains("**") else { return nil }
                    return "\(route.method.rawValue) /\(segments.joined(separator: "/"))"
                })
            #expect(registered.subtracting(described).isEmpty, "routes missing from openapi.json")
            #expect(described.subtracting(registered).isEmpty, "openapi.json describes routes that do not exist")
            #expect(registered.count >= 19)
        }
    }
}
