import Dispatch
import FleetLedgerCLI
import FleetServe
import FleetStore
import FleetTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Safe by default: loopback unless a token guards the server, and no client, slow query or
/// burst can hold the store or the other requests.
@Suite struct SafetyTests {
    @Test func offLoopbackItNeedsAToken() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let open = ServerSettings(listen: ListenAddress(host: "0.0.0.0", port: 0), storePath: store)
        #expect(throws: FleetServer.Refusal.self) { try FleetServer(settings: open, routes: []) }
        let cli = await fleetledger(["serve", "--db", store, "--listen", "0.0.0.0:9464"])
        #expect(cli.exitCode == 64)
        #expect(cli.stderr.contains("give --token-file FILE"))
    }

    @Test func aTokenGuardsEveryRouteButHealth() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        // Bound to every address; reached through 127.0.0.1.
        try await serving(store, { $0.listen = ListenAddress(host: "0.0.0.0", port: 0); $0.token = "s3cret-token" }) { server in
            for path in ["/v1/hostPools", "/metrics", "/v1/events/stream?limit=1&lastEventId=0", "/openapi.json"] {
                let none = try await server.get(path)
                #expect(none.status == 401, "\(path)")
                #expect(none.error?.code == "AuthenticationFailed")
                #expect(none.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                let wrong = try await server.get(path, headers: ["Authorization": "Bearer s3cret-tokem"])
                #expect(wrong.status == 401, "\(path)")
                let longer = try await server.get(path, headers: ["Authorization": "Bearer s3cret-token2"])
                #expect(longer.status == 401, "\(path)")
                let right = try await server.get(path, headers: ["Authorization": "Bearer s3cret-token"])
                #expect(right.status == 200, "\(path)")
                // The scheme's name is case-insensitive.
                #expect(try await server.get(path, headers: ["Authorization": "bearer s3cret-token"]).status == 200, "\(path)")
            }
            #expect(try await server.get("/healthz").status == 200)
        }
    }

    @Test func aTokenFileIsReadAsOneLongWord() throws {
        let folder = TemporaryDirectory()
        let token = "0123456789abcdef0123456789abcdef"
        #expect(try TokenFile.read(folder.write("token", token + "\n")) == token)
        for (name, text, words) in [("empty", "\n", "is empty"), ("two", "abcdefghijklmnop qrst\n", "more than one word"),
                                    ("short", "abc123\n", "a token of 6 characters; give one of at least 16")] {
            #expect { try TokenFile.read(folder.write(name, text)) } throws: { "\($0)".contains(words) }
        }
        #expect { try TokenFile.read(folder.path("missing")) } throws: { "\($0)".contains("cannot be read: ") }
        let path = folder.write("open", token)
        chmod(path, 0o644)
        #expect(TokenFile.exposure(of: path)?.contains("chmod 600") == true)
        chmod(path, 0o600)
        #expect(TokenFile.exposure(of: path) == nil)
    }

    @Test func aTakenPortIsSaidInASentence() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            let second = try FleetServer(settings: ServerSettings(listen: ListenAddress(host: "127.0.0.1", port: server.port), storePath: store), routes: [])
            await #expect { try await second.run(shutdownSignals: [], logger: quiet) } throws: {
                "\($0)" == "cannot listen on 127.0.0.1:\(server.port): the address is in use (another server, or another fleetledger serve); give another --listen."
            }
        }
    }

    @Test func stalledClientsHoldNobodyElse() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store, { $0.workers = 1; $0.idleTimeout = .seconds(1) }) { server in
            // One sends half a request and stops; one asks for a stream and a page and never reads.
            let half = try RawClient(port: server.port)
            try half.send("GET /v1/hostPools HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let reader = try RawClient(port: server.port)
            try reader.send("GET /v1/events/stream?lastEventId=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let page = try RawClient(port: server.port)
            try page.send("GET /v1/reports/timeline?since=2024-04-15T03:00:00Z&until=2024-04-15T05:00:00Z&width=20000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            for _ in 0..<20 {
                #expect(try await server.get("/v1/hostPools/hp-finance/sessionHosts").status == 200)
            }
            // The half request's connection is closed once it sat idle past the limit.
            #expect(await half.waitForClose(seconds: 60))
            withExtendedLifetime((reader, page)) {}
        }
    }

    @Test func aQueryPastTheTimeLimitIsAnswered503() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let gate = Gate()
        try await serving(store, routes: [gate.route], { $0.workers = 1; $0.requestTimeout = .milliseconds(300) }) { server in
            let reply = try await server.get("/slow")
            #expect(reply.status == 503)
            #expect(reply.header("Retry-After") == "5")
            #expect(reply.error?.code == "StoreBusy")
            #expect(reply.error?.message.contains("took longer than 0.3 s") == true)
            gate.release()
        }
    }

    @Test func aFullQueueIsAnswered503AtOnce() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let gate = Gate()
        try await serving(store, routes: [gate.route], { $0.workers = 1; $0.queueLimit = 1 }) { server in
            async let first = server.get("/slow")
            await gate.waitUntilHeld()
            // Two more: whichever comes second finds the one waiting place taken, and is refused at once.
            try await withThrowingTaskGroup(of: Reply.self) { group in
                group.addTask { try await server.get("/slow") }
                group.addTask { try await server.get("/slow") }
                let refused = try #require(try await group.next())
                #expect(refused.status == 503)
                #expect(refused.error?.code == "StoreBusy")
                #expect(refused.error?.message.contains("1 queries waiting") == true)
                gate.release()
                #expect(try await group.next()?.status == 200)
            }
            #expect(try await first.status == 200)
        }
    }

    /// Each request reads one snapshot: a batch a writer commits meanwhile is seen whole or not at all.
    @Test func readersSeeWholeBatches() async throws {
        let folder = TemporaryDirectory()
        let store = folder.path("batches.sqlite")
        func batch(_ number: Int) -> String {
            (0..<4).map { host in
                #"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:00Z","data":{"hostPool":"hp","sessionHost":"sh-\#(number)-\#(host)","agentVersion":"1.0"}}"#
            }.joined(separator: "\n") + "\n"
        }
        #expect(await fleetledger(["append", folder.write("0.ndjson", batch(0)), "--db", store]).exitCode == 0)
        let files = (1...40).map { folder.write("\($0).ndjson", batch($0)) }
        try await serving(store) { server in
            async let appended = offThePool { files.map { fleetledger(["append", $0, "--db", store]).exitCode } }
            var seen: Set<Int> = []
            // Until the last batch is seen (the writer ends there), and never more than a bounded number of reads.
            for _ in 0..<20_000 where !seen.contains(164) {
                let reply = try await server.get("/v1/hostPools/hp/sessionHosts")
                let hosts = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [Any])
                #expect(hosts.count % 4 == 0)
                seen.insert(hosts.count)
            }
            #expect(await appended.allSatisfy { $0 == 0 })
            #expect(seen.contains(164))
            #expect(try await server.get("/v1/stats").body.contains("\"events\":164"))
        }
    }

    @Test func aRequestWithABodyIsRefused() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
            let response = await client.readAll(seconds: 30)
            #expect(response.hasPrefix("HTTP/1.1 413"))
            #expect(response.contains("\"code\":\"RequestEntityTooLarge\""))
        }
    }
}

/// Holds a store worker until the test lets it go: a query that takes as long as the test says.
final class Gate: Sendable {
    private let held = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    /// Called on the worker thread (never on Swift's cooperative threads).
    func holdWorker() {
        held.signal()
        released.wait()
    }

    func waitUntilHeld() async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.held.wait()
                continuation.resume()
            }
        }
    }

    func release() {
        for _ in 0..<8 { released.signal() }
    }

    /// `/slow`: a route whose query holds its worker until the gate is released.
    var route: APIRoute {
        APIRoute(path: "/slow", parameters: []) { _, _ in
            self.holdWorker()
            return APIAnswer(body: "{}")
        }
    }
}

/// A TCP connection to the server that sends what the test says and reads nothing.
final class RawClient: Sendable {
    let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(socket) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(socket, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// Everything the server sends until it closes the connection, or sends `wanted`, or `seconds` pass.
    func readAll(until wanted: String? = nil, seconds: Int) async -> String {
        await withCheckedContinuation { continuation in
            Thread {
                let deadline = Date().addingTimeInterval(Double(seconds))
                var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
                setsockopt(self.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var received: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 4_096)
                while Date() < deadline {
                    let count = recv(self.socket, &buffer, buffer.count, 0)
                    if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { continue }
                    guard count > 0 else { break }
                    received += buffer[..<count]
                    if let wanted, String(decoding: received, as: UTF8.self).contains(wanted) { break }
                }
                continuation.resume(returning: String(decoding: received, as: UTF8.self))
            }.start()
        }
    }

    /// Whether the server closes the connection within `seconds` (read off a thread of its own).
    func waitForClose(seconds: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread {
                var timeout = timeval(tv_sec: seconds, tv_usec: 0)
                setsockopt(self.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 4_096)
                while true {
                    let count = recv(self.socket, &buffer, buffer.count, 0)
                    if count == 0 { return continuation.resume(returning: true) }
                    if count < 0 { return continuation.resume(returning: false) }
                }
            }.start()
        }
    }
}
