import FleetCollect
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A fake Azure Resource Manager on 127.0.0.1: each path answers from a script of replies (the
/// last one repeats), and every request is recorded. It serves Azure's published examples.
final class FakeResourceManager: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String] = [:]
        var body: String = ""
    }

    struct Recorded: Sendable {
        var method: String
        /// Path and query, as sent.
        var target: String
        var authorization: String?
    }

    private let scripts = Mutex<[String: [Reply]]>([:])
    private let log = Mutex<[Recorded]>([])

    /// Answers requests whose path (without the query) is `path` with `replies`, in turn.
    func on(_ path: String, _ replies: Reply...) {
        scripts.withLock { $0[path] = replies }
    }

    var requests: [Recorded] { log.withLock { $0 } }

    func count(_ path: String) -> Int { requests.count { $0.target.hasPrefix(path + "?") || $0.target == path } }

    private func reply(method: String, target: String, authorization: String?) -> Reply {
        log.withLock { $0.append(Recorded(method: method, target: target, authorization: authorization)) }
        let path = String(target.split(separator: "?", maxSplits: 1).first ?? "")
        return scripts.withLock { scripts in
            guard var replies = scripts[path], !replies.isEmpty else {
                return Reply(status: 404, body: #"{"error":{"code":"ResourceNotFound","message":"no script for \#(path)"}}"#)
            }
            let next = replies.count > 1 ? replies.removeFirst() : replies[0]
            scripts[path] = replies
            return next
        }
    }

    /// Shutting the server down at a test's end is no error worth a line.
    private static var quiet: Logger {
        var logger = Logger(label: "fake-resource-manager")
        logger.logLevel = .critical
        return logger
    }

    /// Runs `body` with the server listening on a free port of 127.0.0.1, given as its base URL.
    func serving<Value>(_ body: (URL) async throws -> Value) async throws -> Value {
        let port = Mutex<Int?>(nil)
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                let reply = self.reply(method: request.method.rawValue, target: request.uri.description,
                                       authorization: request.headers[.authorization])
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                for (name, value) in reply.headers { if let field = HTTPField.Name(name) { headers[field] = value } }
                return Response(status: .init(code: reply.status), headers: headers,
                                body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
            },
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: Self.quiet
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var bound: Int?
            for _ in 0..<500 where bound == nil {
                try await Task.sleep(nanoseconds: 10_000_000)
                bound = port.withLock { $0 }
            }
            guard let bound else { throw CancellationError() }
            let value = try await body(URL(string: "http://127.0.0.1:\(bound)")!)
            group.cancelAll()
            return value
        }
    }
}

/// A clock for tests: waiting advances it at once, and every wait is recorded.
final class TestClock: CollectClock {
    private let state = Mutex<(now: Date, waits: [Double])>((Date(timeIntervalSince1970: 1_768_046_400), []))

    var waits: [Double] { state.withLock { $0.waits } }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(seconds: Double) async throws {
        state.withLock { $0.now += seconds; $0.waits.append(seconds) }
    }
}

/// A port on 127.0.0.1 that takes connections into its backlog and never answers: a request to it
/// times out.
final class SilentListener {
    let port: Int
    private let socket: Int32

    init() throws {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 8) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw CancellationError()
        }
        socket = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }
}
