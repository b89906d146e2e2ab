import ArgumentParser
import Dispatch
import FleetEvents
import FleetServe
import Foundation
import Synchronization

extension ListenAddress: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the store over HTTP, read-only: a JSON API, Prometheus metrics and a live event stream.",
        discussion: """
            Routes (docs/serve.md; the OpenAPI document at /openapi.json): /v1/hostPools, \
            /v1/hostPools/{pool}/sessionHosts[/{host}], /v1/hostPools/{pool}/route, /v1/hostPools/{pool}/update, \
            /v1/loadBalancers, /v1/loadBalancers/{lb}/rules/{rule}/health, /v1/scaleSets, \
            /v1/scaleSets/{scaleSet}/instances, /v1/history, /v1/stats, /v1/reports/availability, \
            /v1/reports/timeline, /v1/events/stream (Server-Sent Events), /metrics (Prometheus), /healthz, \
            /openapi.json (the API's OpenAPI document). \
            Query parameters are the commands' options in camelCase (asOf=2024-04-15T03:10:00Z, staleAfter=15m); \
            JSON by default, CSV with Accept: text/csv. Each request reads one snapshot of the store while \
            append, import or collect write to it. Listening on anything but loopback needs --token-file: \
            every request but /healthz must then carry Authorization: Bearer TOKEN. SIGTERM or Ctrl-C lets \
            the requests in flight finish, ends event streams, and exits 0.

            Example: fleetledger serve --db fleet.sqlite --listen 127.0.0.1:9464
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Address and port to listen on, as 127.0.0.1:9464, [::1]:9464 or 0.0.0.0:9464 (any but loopback needs --token-file; port 0 picks a free one).",
                               valueName: "host:port"))
    var listen = ListenAddress(host: "127.0.0.1", port: 9464)

    @Option(help: ArgumentHelp("A file holding the bearer token (one word, at least 16 characters) every request but /healthz must carry; needed off loopback.", valueName: "file"),
            completion: .file())
    var tokenFile: String?

    @Option(help: ArgumentHelp("Threads answering queries, each with its own connection to the store (1 to 64).", valueName: "N"))
    var workers = 4

    @Option(parsing: .unconditional, help: ArgumentHelp("Answer 503 to a query not answered this long after it came (90s, 2m; default: 60s).", valueName: "duration"),
            transform: CommandLineDuration.parse)
    var requestTimeout = TimeSpan(seconds: 60)

    @Option(parsing: .unconditional, help: ArgumentHelp("Close a connection that sends no request (or half of one) for this long (default: 30s).", valueName: "duration"),
            transform: CommandLineDuration.parse)
    var idleTimeout = TimeSpan(seconds: 30)

    @Option(help: ArgumentHelp("Connections served at once; more wait to be accepted.", valueName: "N"))
    var maxConnections = 512

    func validate() throws {
        if let refusal = listen.refusalWithoutToken, tokenFile == nil { throw ValidationError(refusal) }
        if let tokenFile { _ = try TokenFile.read(tokenFile) }
        if !(1...64).contains(workers) { throw ValidationError("--workers must be from 1 to 64.") }
        if maxConnections < 1 { throw ValidationError("--max-connections must be 1 or more.") }
    }

    func run() throws {
        var settings = ServerSettings(listen: listen, storePath: store.resolvedPath, token: try tokenFile.map(TokenFile.read))
        if let warning = tokenFile.flatMap(TokenFile.exposure(of:)) { Console.current.error(warning) }
        settings.workers = workers
        settings.requestTimeout = .nanoseconds(requestTimeout.nanoseconds)
        settings.idleTimeout = .nanoseconds(idleTimeout.nanoseconds)
        settings.maxConnections = maxConnections
        let server: FleetServer
        do { server = try FleetServer(settings: settings, routes: APIRoutes.all) } catch let refusal as FleetServer.Refusal {
            throw StoreError(refusal.description)
        }
        let console = Console.current
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let path = try store.location().description, listen = listen
        // The main thread waits here; the server runs on Swift's and NIO's own threads.
        Task {
            let result = await Result(catching: {
                try await server.run { port in
                    console.error("serving \(path) on http://\(ListenAddress(host: listen.host, port: port)) (Ctrl-C to stop)")
                }
            })
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0 }?.get()
        console.error("stopped.")
    }
}

/// `serve --token-file`: the bearer token in a file.
package enum TokenFile {
    /// A shorter token can be guessed; `openssl rand -hex 32` makes a good one.
    static let shortest = 16

    /// The token in `path`, without the line break editors add; an empty, short or several-word
    /// token is refused.
    package static func read(_ path: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? error.localizedDescription
            throw ValidationError("--token-file \(path) cannot be read: \(reason)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ValidationError("--token-file \(path) is empty; put the bearer token in it (openssl rand -hex 32 makes one).") }
        guard !token.contains(where: { $0.isWhitespace }) else {
            throw ValidationError("--token-file \(path) holds more than one word; a bearer token is one.")
        }
        guard token.count >= shortest else {
            throw ValidationError("--token-file \(path) holds a token of \(token.count) characters; give one of at least \(shortest) (openssl rand -hex 32 makes one).")
        }
        return token
    }

    /// A warning when others than the file's owner may read the token.
    package static func exposure(of path: String) -> String? {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 else { return nil }
        return "warning: --token-file \(path) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it."
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
