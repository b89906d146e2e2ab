@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import FleetTestSupport
import Testing

@Suite("Reading the log")
struct EventQueryTests {
    static func fixture() throws -> StoreFixture {
        let fixture = try StoreFixture()
        try fixture.append([
            heartbeat("a", second: 1),
            eventLine("LoadBalancerConfigured", #""loadBalancer":"lb-web""#, at: "2024-04-15T17:16:02Z"),
            eventLine("BackendAddressAdded", #""loadBalancer":"lb-web","backendPool":"p","ipAddress":"10.0.0.4""#, at: "2024-04-15T17:16:03Z"),
            heartbeat("b", second: 4),
            heartbeat("a", second: 5),
        ])
        return fixture
    }

    func seqs(_ query: EventQuery) throws -> [Int64] {
        try Self.fixture().store.allEvents(matching: query).map(\.seq)
    }

    @Test("filters by exact stream and by stream prefix")
    func streams() throws {
        #expect(try seqs(EventQuery(stream: "sessionhost/hp/a")) == [1, 5])
        #expect(try seqs(EventQuery(stream: "lb/lb-web*")) == [2, 3])
        #expect(try seqs(EventQuery(stream: "lb/lb-web/*")) == [3])
        #expect(try seqs(EventQuery(stream: "lb/lb")) == [])
    }

    @Test("filters by type, time, position and count")
    func otherFilters() throws {
        #expect(try seqs(EventQuery(types: ["AgentHeartbeatReceived"])) == [1, 4, 5])
        #expect(try seqs(EventQuery(types: ["LoadBalancerConfigured", "BackendAddressAdded"])) == [2, 3])
        #expect(try seqs(EventQuery(since: Timestamp(rfc3339: "2024-04-15T17:16:03Z"))) == [3, 4, 5])
        #expect(try seqs(EventQuery(until: Timestamp(rfc3339: "2024-04-15T17:16:03Z"))) == [1, 2, 3])
        #expect(try seqs(EventQuery(afterSeq: 3)) == [4, 5])
        #expect(try seqs(EventQuery(afterSeq: 1, limit: 2)) == [2, 3])
    }

    @Test("an unknown type name is an error, not an empty answer")
    func unknownType() throws {
        let error = try #require(throws: StoreError.self) { try seqs(EventQuery(types: ["Heartbeat"])) }
        #expect(error.message.contains("--type Heartbeat is not a known event type"))
    }
}

@Suite("Reading input lines")
struct LineReaderTests {
    @Test("reads a file larger than one chunk with lines split across chunk edges, and a last line without a newline")
    func largeFile() throws {
        let directory = TemporaryDirectory()
        let fixture = try StoreFixture()
        let count = 30_000  // about 3 MiB, three reads of one MiB
        let lines = (0..<count).map { n in
            eventLine("AgentHeartbeatReceived", #""hostPool":"hp","sessionHost":"sh-\#(n % 50)""#, at: "2024-04-15T17:16:07Z")
        }
        let path = directory.write("big.ndjson", lines.joined(separator: "\n"))
        let summary = try fixture.store.append(from: [.file(path: path)])
        #expect(summary.appended == count)
        #expect(summary.lines == count)
    }

    @Test("a line of the longest length allowed (1 MiB) is read whole; one byte more is refused, naming the line and the limit")
    func longLine() throws {
        let directory = TemporaryDirectory()
        let fixture = try StoreFixture()
        let empty = eventLine("AgentUpgradeFailed", #""hostPool":"hp","sessionHost":"sh","message":"""#)
        let message = String(repeating: "x", count: LineReader.maxLineBytes - empty.utf8.count)
        let line = eventLine("AgentUpgradeFailed", #""hostPool":"hp","sessionHost":"sh","message":"\#(message)""#)
        #expect(line.utf8.count == LineReader.maxLineBytes)
        let path = directory.write("long.ndjson", heartbeat() + "\n" + line + "\r\n")
        #expect(try fixture.store.append(from: [.file(path: path)]).appended == 2)
        #expect(try fixture.store.allEvents().last?.data == #"{"hostPool":"hp","message":"\#(message)","sessionHost":"sh"}"#)

        let longer = directory.write("longer.ndjson", heartbeat(second: 1) + "\n" + line.replacingOccurrences(of: "\"x", with: "\"xx") + "\n")
        let error = try #require(throws: AppendError.self) { try fixture.store.append(from: [.file(path: longer)]) }
        #expect(error.description == "\(longer) line 2: is longer than 1,048,576 bytes (1 MiB), the longest line FleetLedger reads; nothing was appended.")
        #expect(try fixture.store.eventCount() == 2)
    }

    @Test("a missing file is reported by name")
    func missingFile() throws {
        let fixture = try StoreFixture()
        let error = try #require(throws: StoreError.self) { try fixture.store.append(from: [.file(path: "/nonexistent/x.ndjson")]) }
        #expect(error.message == "cannot read /nonexistent/x.ndjson: No such file or directory.")
    }
}

@Suite("CSV")
struct CSVTests {
    @Test("quotes fields with commas, quotes and line breaks, as RFC 4180 says")
    func quoting() {
        #expect(CSV.record(["a", "b,c", "say \"hi\"", "two\nlines", ""]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n")
    }
}
