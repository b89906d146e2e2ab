import FleetEvents
import FleetLedger
import FleetStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// `fleetledger serve`: the store over HTTP, read-only. The JSON API (one route per query
/// command), `/metrics` for Prometheus, `/v1/events/stream` (Server-Sent Events), `/healthz`, and
/// the API's OpenAPI document at `/openapi.json`.
///
/// Every query runs on a `StoreWorkers` thread in one snapshot of the store, so a writer
/// (`append`, `import`, `collect`) may commit meanwhile and a reader sees it whole or not at all.
package struct FleetServer: Sendable {
    /// A reason the server does not start, in one sentence.
    package struct Refusal: Error, CustomStringConvertible {
        package var description: String
    }

    let settings: ServerSettings
    let routes: [APIRoute]

    /// How long SIGTERM waits for requests in flight (a client that stopped reading among them)
    /// before the server closes every connection and returns.
    static let shutdownGrace = Duration.seconds(10)

    /// Checks the settings and the store; the workers and their connections start with `run`.
    package init(settings: ServerSettings, routes: [APIRoute]) throws {
        if let refusal = settings.listen.refusalWithoutToken, settings.token == nil { throw Refusal(description: refusal) }
        let location: StoreLocation
        do { location = try StoreLocation(settings.storePath) } catch { throw Refusal(description: "\(error)") }
        if case .file(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw Refusal(description: "there is no store at \(path); give --db (or $FLEETLEDGER_DB) the path of an existing store.")
        }
        do {
            _ = try location.openReadingOnly()
        } catch {
            throw Refusal(description: "the store \(location) cannot be served: \(StoreFailure.sentence(for: error, store: location.description) ?? String(describing: error))")
        }
        self.settings = settings
        self.routes = routes
    }

    /// Serves until cancelled, or until one of `shutdownSignals` arrives: then it stops taking
    /// connections, lets the requests in flight finish (event streams end) for up to
    /// `shutdownGrace`, and returns. `onRunning` is told the port it listens on (the one chosen,
    /// for port 0).
    package func run(shutdownSignals: [UnixSignal] = [.sigterm, .sigint], logger: Logger? = nil,
                    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let serving = Serving(settings: settings, routes: routes,
                              workers: StoreWorkers(path: settings.storePath, threads: settings.workers, queueLimit: settings.queueLimit))
        defer { serving.workers.stop() }
        var quiet = Logger(label: "fleetledger-serve")
        quiet.logLevel = .error
        let app = Application(
            router: serving.makeRouter(),
            server: .http1(configuration: .init(idleTimeout: settings.idleTimeout)),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.listen.host, port: settings.listen.port), serverName: "fleetledger",
                availableConnectionsDelegate: MaximumAvailableConnections(settings.maxConnections)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.listen.port) },
            logger: logger ?? quiet
        )
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: shutdownSignals, logger: logger ?? quiet)
        group.maximumGracefulShutdownDuration = Self.shutdownGrace
        do {
            try await ServiceGroup(configuration: group).run()
        } catch let error as IOError where [EADDRINUSE, EACCES, EADDRNOTAVAIL].contains(error.errnoCode) {
            throw Refusal(description: "cannot listen on \(settings.listen): " + (
                error.errnoCode == EADDRINUSE ? "the address is in use (another server, or another fleetledger serve); give another --listen."
                    : error.errnoCode == EACCES ? "a port below 1024 needs privileges; give a port above it."
                    : "this machine has no such address; give one of its own, or 127.0.0.1."))
        }
    }
}

/// A running server's parts: its settings and routes, the store's workers, and its metrics.
struct Serving: Sendable {
    let settings: ServerSettings
    let routes: [APIRoute]
    let workers: StoreWorkers
    let metrics = RequestMetrics()
    let storeMetrics = StoreMetrics.Cache()

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsRecorder(metrics: metrics))
        router.add(middleware: ErrorResponder())
        router.add(middleware: RequestLimits())
        router.add(middleware: BearerToken(token: settings.token))
        router.get("/healthz") { _, _ in try await health() }
        router.get("/metrics") { _, _ in try await metricsPage() }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: embeddedDocuments.first?.text ?? "{}")))
        }
        router.get("/v1/events/stream") { request, _ in try await eventStream(request) }
        for route in routes {
            router.get(RouterPath(route.path)) { request, context in try await answer(route, request, context) }
        }
        return router
    }

    /// Runs `body` on a store worker, with the request time limit (or a shorter one).
    func query<Answer: Sendable>(timeout: TimeAmount? = nil, _ body: @escaping @Sendable (any LedgerStore) throws -> Answer) async throws -> Answer {
        try await workers.run(timeout: timeout ?? settings.requestTimeout, on: MultiThreadedEventLoopGroup.singleton.any(), body)
    }

    /// A load balancer's probe gives up within seconds: a server whose workers are all busy for
    /// longer says so (503) rather than keep it waiting.
    private func health() async throws -> Response {
        let head = try await query(timeout: .seconds(2)) { try $0.lastSeq() }
        return json("{\"status\":\"ok\",\"head\":\(head)}\n")
    }

    private func metricsPage() async throws -> Response {
        let now = try settings.now()
        var page = metrics.registry.emitToBuffer()
        page += try await query { [storeMetrics] in try StoreMetrics.render($0, now: now, cache: storeMetrics) }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: page)))
    }

    private func answer(_ route: APIRoute, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            guard route.parameters.contains(name) else {
                let takes = route.parameters.isEmpty ? "it takes none" : "it takes " + route.parameters.joined(separator: ", ")
                throw APIError.badParameter("\(route.path) has no query parameter \(name); \(takes).", target: name)
            }
            guard query[name] == nil else { throw APIError.badParameter("\(name) is given twice; give it once.", target: name) }
            guard !value.isEmpty || route.flags.contains(name) else { throw APIError.badParameter("\(name) is empty; give it a value.", target: name) }
            query[name] = String(value)
        }
        for name in route.required where query[name] == nil {
            throw APIError.badParameter("\(route.path) needs the query parameter \(name).", target: name)
        }
        var path: [String: String] = [:]
        for name in route.pathParameters {
            let raw = context.parameters.get(name) ?? ""
            path[name] = raw.removingPercentEncoding ?? raw
        }
        guard let representation = MediaRange.choose(route.representations, accepting: request.headers[.accept]) else {
            let offered = route.representations.map(\.rawValue).joined(separator: ", ")
            throw APIError(status: 406, code: "NotAcceptable", message: "\(route.path) answers in \(offered); the request's Accept header takes none of them.")
        }
        let call = APICall(path: path, query: query, representation: representation)
        let answer = try await self.query { try route.answer(call, $0) }
        // One URL, several representations: caches must key on Accept too.
        var headers: HTTPFields = [.contentType: representation.rawValue + "; charset=utf-8", .vary: "Accept"]
        if let note = answer.note, let name = HTTPField.Name("FleetLedger-Note") {
            // A header value is one line of visible ASCII.
            headers[name] = String(note.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? Character($0) : " " })
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
    }

    func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
