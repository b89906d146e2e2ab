import FleetLedgerCLI
import FleetServe
import FleetTestSupport
import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the server answered one request.
struct Reply {
    var status: Int
    var headers: [String: String]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// The body as Azure's error shape: code, message and target, with nothing else in it.
    var error: (code: String, message: String, target: String?)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], object.count == 1,
              let inner = object["error"] as? [String: Any], let code = inner["code"] as? String, let message = inner["message"] as? String,
              Set(inner.keys).isSubset(of: ["code", "message", "target"]) else { return nil }
        return (code, message, inner["target"] as? String)
    }
}

/// A server running on a free port of 127.0.0.1 (or the address the settings give), and a
/// client that speaks to it over real HTTP (Foundation's URLSession: libcurl on Linux).
struct Served {
    let port: Int
    let session: URLSession

    var base: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String, headers: [String: String] = [:], method: String = "GET", timeout: TimeInterval = 60) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for case let (name as String, value as String) in http.allHeaderFields { fields[name] = value }
        return Reply(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }
}

/// A demo store in a fresh folder: the night `fleetledger demo` records.
func demoStore(in folder: TemporaryDirectory) async -> String {
    let path = folder.path("demo.sqlite")
    let result = await fleetledger(["demo", "--db", path])
    precondition(result.exitCode == 0, result.stderr)
    return path
}

/// Runs `body` on a thread of its own: the servers under test answer on Swift's cooperative
/// threads (two on a 2-core machine), which a test's synchronous work must not hold.
func offThePool<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// Runs `body` against a server on `store`, with the command line's routes unless `routes` are
/// given, and stops the server after it.
func serving<Value>(_ store: String, routes: [APIRoute] = APIRoutes.all, _ configure: (inout ServerSettings) -> Void = { _ in },
                    _ body: (Served) async throws -> Value) async throws -> Value {
    var settings = ServerSettings(listen: ListenAddress(host: "127.0.0.1", port: 0), storePath: store)
    configure(&settings)
    let server = try FleetServer(settings: settings, routes: routes)
    let (ports, announce) = AsyncStream.makeStream(of: Int.self)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { announce.finish() }
            try await server.run(shutdownSignals: [], logger: quiet) { announce.yield($0) }
        }
        var listening = ports.makeAsyncIterator()
        guard let bound = await listening.next() else {
            // The server ended before it listened: its error, thrown.
            try await group.next()
            throw CancellationError()
        }
        let configuration = URLSessionConfiguration.ephemeral
        let session = URLSession(configuration: configuration)
        defer { session.invalidateAndCancel() }
        let value = try await body(Served(port: bound, session: session))
        group.cancelAll()
        return value
    }
}

/// What one in-process run of `fleetledger` printed.
struct CLIResult: Sendable {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}

/// Runs `fleetledger` in-process and returns what it printed.
func fleetledger(_ arguments: [String]) -> CLIResult {
    let console = Console.capturing()
    let code = FleetLedgerCommand.run(arguments, console: console)
    return CLIResult(exitCode: code, stdout: console.standardOutput, stderr: console.standardError)
}

/// The same, off Swift's cooperative threads, for async tests.
func fleetledger(_ arguments: [String]) async -> CLIResult {
    await offThePool { fleetledger(arguments) }
}

/// A test stopping its server is no error worth a line.
let quiet: Logger = {
    var logger = Logger(label: "fleetledger-serve-tests")
    logger.logLevel = .critical
    return logger
}()
