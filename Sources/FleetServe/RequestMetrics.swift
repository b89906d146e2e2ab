import Prometheus

/// The server's own metrics: requests per route and status, and how long they took.
///
/// Routes are labelled by their template (`/v1/hostPools/{pool}/sessionHosts`), never by the path
/// asked for, so the series stay as few as the routes.
final class RequestMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                              .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
                                              .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
    private let streams: Gauge

    init() {
        streams = registry.makeGauge(descriptor: metric("fleetledger_http_event_streams", "Event streams (/v1/events/stream) open now."))
    }

    func record(route: String, status: Int, duration: Duration?) {
        registry.makeCounter(descriptor: metric("fleetledger_http_requests_total", "HTTP requests answered, per route template and status code."),
                             labels: [("route", route), ("code", String(status))])
            .increment()
        guard let duration else { return }
        registry.makeDurationHistogram(
            descriptor: metric("fleetledger_http_request_duration_seconds",
                               "Time from a request's arrival to its response's last byte, per route template (event streams left out)."),
            labels: [("route", route)], buckets: Self.buckets)
            .record(duration)
    }

    func streamOpened() { streams.increment() }
    func streamClosed() { streams.decrement() }
}
