import FleetLedgerCLI
import FleetServe
import FleetTestSupport
import Foundation
import Testing

/// `/v1/events/stream`: Server-Sent Events with the log's sequence numbers as ids, resuming
/// after `Last-Event-ID` and following new events as they are appended.
@Suite struct EventStreamTests {
    /// The stream's events as (id, data) pairs.
    static func events(in body: String) -> [(id: Int64, data: String)] {
        body.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard let id = lines.first(where: { $0.hasPrefix("id: ") }).flatMap({ Int64($0.dropFirst(4)) }),
                  let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
            return (id, String(data.dropFirst(6)))
        }
    }

    @Test func resumesAfterLastEventID() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let cli = await fleetledger(["events", "--after-seq", "100", "--limit", "3", "--db", store])
        try await serving(store) { server in
            let reply = try await server.get("/v1/events/stream?limit=3", headers: ["Last-Event-ID": "100"])
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/event-stream")
            let events = Self.events(in: reply.body)
            #expect(events.map(\.id) == [101, 102, 103])
            #expect(events.map { $0.data + "\n" }.joined() == cli.stdout)
            // The same from the parameter, for clients that cannot set the header (EventSource).
            let again = try await server.get("/v1/events/stream?lastEventId=100&limit=3")
            #expect(again.body == reply.body)
            // Both at once: the header wins, as a browser's EventSource reconnecting to the same URL sends it.
            let both = try await server.get("/v1/events/stream?lastEventId=99&limit=3", headers: ["Last-Event-ID": "100"])
            #expect(both.body == reply.body)
            #expect(try await server.get("/v1/events/stream?limit=0").error?.target == "limit")
            // An id past the head is another store's: refused, not waited on forever.
            let past = try await server.get("/v1/events/stream?limit=1", headers: ["Last-Event-ID": "243"])
            #expect(past.status == 400)
            #expect(past.error?.message.contains("past this log's head, 242") == true)
            #expect(try await server.get("/v1/events/stream?limit=1&lastEventId=1", headers: ["Accept": "text/csv"]).status == 406)
            // Only one stream's events.
            let one = try await server.get("/v1/events/stream?lastEventId=0&limit=2&stream=vmss/vmss-api/2")
            #expect(Self.events(in: one.body).allSatisfy { $0.data.contains("\"stream\":\"vmss/vmss-api/2\"") })
        }
    }

    @Test func anIdleStreamSendsKeepAlives() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store, { $0.streamKeepAlive = .milliseconds(100); $0.streamPollInterval = .milliseconds(20) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            // No event comes: the stream sends its head, then comments (waited for as long as a slow machine needs).
            let received = await client.readAll(until: ": keep-alive\n\n", seconds: 60)
            #expect(received.hasPrefix("HTTP/1.1 200"))
            #expect(received.contains(": keep-alive\n\n"))
            #expect(!received.contains("data: "))
        }
    }

    @Test func withoutLastEventIDItFollowsFromTheHead() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        let head = Int64(try #require(await fleetledger(["events", "--db", store, "--format", "ndjson"]).stdout.split(separator: "\n").count))
        let line = folder.write("drain.ndjson", """
            {"type":"DrainModeChanged","at":"2024-04-15T05:20:00Z","data":{"hostPool":"hp-finance","sessionHost":"sh-finance-1","allowNewSession":false}}

            """)
        try await serving(store) { server in
            async let streamed = server.get("/v1/events/stream?limit=1")
            // Append once the stream is open (the server counts its open streams).
            var open = false
            for _ in 0..<1_000 where !open {
                open = try await server.get("/metrics").body.contains("fleetledger_http_event_streams 1")
                if !open { try await Task.sleep(for: .milliseconds(20)) }
            }
            try #require(open)
            #expect(await fleetledger(["append", line, "--db", store]).exitCode == 0)
            let events = Self.events(in: try await streamed.body)
            #expect(events.map(\.id) == [head + 1])
            #expect(events.first?.data.contains("\"type\":\"DrainModeChanged\"") == true)
        }
    }
}
