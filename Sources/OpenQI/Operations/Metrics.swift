import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
import Prometheus
import Vapor

/// Prometheus metrics. Vapor reports every request through swift-metrics (`http_requests_total`,
/// `http_request_duration_seconds`, …); this registry collects them for `/metrics`.
public enum OpenQIMetrics {
    public static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped = NIOLockedValueBox(false)

    /// Makes swift-metrics report into `registry`. A process may bootstrap swift-metrics once,
    /// so this is idempotent (tests configure many applications in one process).
    public static func bootstrap() {
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}

enum OperationsController {
    /// `/health`: 200 when the database answers, 503 otherwise, for load balancers and monitoring.
    @Sendable static func health(req: Request) async throws -> Response {
        let status: HTTPResponseStatus
        let body: [String: String]
        do {
            _ = try await Unit.query(on: req.db).count()
            status = .ok
            body = ["status": "ok", "database": "ok"]
        } catch {
            req.logger.error("health check: database did not answer", metadata: ["error": "\(error)"])
            status = .serviceUnavailable
            body = ["status": "unavailable", "database": "not answering"]
        }
        return try await body.encodeResponse(status: status, for: req)
    }

    /// `/metrics`: the Prometheus text exposition format, for a scraper that sends the configured
    /// bearer token. Without a token configured there is no such page.
    @Sendable static func metrics(req: Request) async throws -> Response {
        guard let token = req.application.openQIConfiguration.metricsToken else { throw Abort(.notFound) }
        guard let sent = req.headers.bearerAuthorization?.token, Array(sent.utf8).secureCompare(to: Array(token.utf8))
        else {
            // Answered here rather than thrown: a thrown 401 sends a browser to the sign-in page,
            // and no sign-in opens this page.
            return Response(
                status: .unauthorized, headers: ["WWW-Authenticate": "Bearer"],
                body: .init(string: "Send the metrics token set in OPENQI_METRICS_TOKEN as a bearer token.\n"))
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: OpenQIMetrics.registry.emitToString()))
    }
}
