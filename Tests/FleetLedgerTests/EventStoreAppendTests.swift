@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetSQLite
@testable import FleetStore
import Testing

@Suite("Appending to the log")
struct EventStoreAppendTests {
    @Test("seq is gap-free from 1 and version counts per stream")
    func positions() throws {
        let fixture = try StoreFixture()
        try fixture.append([heartbeat("a", second: 1), heartbeat("b", second: 2), heartbeat("a", second: 3)])
        let events = try fixture.store.allEvents()
        #expect(events.map(\.seq) == [1, 2, 3])
        #expect(events.map(\.stream) == ["sessionhost/hp/a", "sessionhost/hp/b", "sessionhost/hp/a"])
        #expect(events.map(\.version) == [1, 1, 2])
        try fixture.append([heartbeat("b", second: 4)])
        let last = try #require(try fixture.store.allEvents().last)
        #expect(last.seq == 4 && last.version == 2)
    }

    @Test("the same three events appended twice with ids are stored once")
    func idempotentIDs() throws {
        let fixture = try StoreFixture()
        let lines = [heartbeat(second: 1, id: uuid(1)), heartbeat(second: 2, id: uuid(2)), heartbeat(second: 3, id: uuid(3))]
        let first = try fixture.append(lines)
        let second = try fixture.append(lines)
        #expect(first.appended == 3 && first.duplicates == 0)
        #expect(second.appended == 0 && second.duplicates == 3)
        #expect(try fixture.store.eventCount() == 3)
    }

    @Test("a duplicate id within one input is skipped, not an error")
    func duplicateWithinInput() throws {
        let fixture = try StoreFixture()
        let summary = try fixture.append([heartbeat(second: 1, id: uuid(1)), heartbeat(second: 2, id: uuid(1))])
        #expect(summary.appended == 1 && summary.duplicates == 1)
    }

    @Test("a retried event whose expectedVersion is now stale is still skipped by its id")
    func retryWithExpectedVersion() throws {
        let fixture = try StoreFixture()
        let line = heartbeat(second: 1, id: uuid(9), expectedVersion: 0)
        try fixture.append([line])
        #expect(try fixture.append([line]).duplicates == 1)
    }

    @Test("expectedVersion must match the stream's version before the event")
    func expectedVersion() throws {
        let fixture = try StoreFixture()
        try fixture.append([heartbeat(second: 1, expectedVersion: 0), heartbeat(second: 2, expectedVersion: 1)])
        let error = try #require(throws: AppendError.self) { try fixture.append([heartbeat(second: 3, expectedVersion: 1)]) }
        #expect(error.description == #"input.ndjson line 1: field "expectedVersion" is 1, but stream "sessionhost/hp/sh-0" is at version 2; nothing was appended."#)
        #expect(throws: AppendError.self) { try fixture.append([heartbeat("new", second: 3, expectedVersion: 1)]) }
        try fixture.append([heartbeat("new", second: 3, expectedVersion: 0)])
    }

    @Test("within a stream, at may repeat but never go back; other streams are independent")
    func timeOrder() throws {
        let fixture = try StoreFixture()
        try fixture.append([heartbeat("a", second: 5), heartbeat("a", second: 5), heartbeat("b", second: 1)])
        let error = try #require(throws: AppendError.self) { try fixture.append([heartbeat("a", second: 4)]) }
        #expect(error.reason.contains("older than the last event of stream \"sessionhost/hp/a\" (2024-04-15T17:16:05Z)"))
        #expect(try fixture.store.eventCount() == 3)
    }

    @Test("a bad third line leaves nothing, and the error names line 3")
    func atomicity() throws {
        let fixture = try StoreFixture()
        let lines = [heartbeat(second: 1), heartbeat(second: 2), #"{"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:03Z","data":{"hostPool":"hp"}}"#]
        let error = try #require(throws: AppendError.self) { try fixture.append(lines) }
        #expect(error.location == "input.ndjson line 3")
        #expect(error.description.hasSuffix("nothing was appended."))
        #expect(try fixture.store.eventCount() == 0)
        #expect(try fixture.store.database.scalarInt64("SELECT count(*) FROM streams") == 0)
    }

    @Test("with commitEvery, the batches before a bad line stay and the error says which lines")
    func commitEvery() throws {
        let fixture = try StoreFixture()
        let lines = (1...4).map { heartbeat(second: $0) } + ["{not json"] + [heartbeat(second: 6)]
        let error = try #require(throws: AppendError.self) { try fixture.append(lines, commitEvery: 2) }
        #expect(error.location == "input.ndjson line 5")
        #expect(error.committedLines == 4)
        #expect(error.description.hasSuffix("the first 4 input lines (through input.ndjson line 4) were committed, and nothing after them was appended."))
        #expect(try fixture.store.eventCount() == 4)
        // The stream head was committed with its batch: appending resumes from version 4.
        try fixture.append([heartbeat(second: 7, expectedVersion: 4)])
    }

    @Test("blank lines and CRLF line ends are accepted; line numbers still count them")
    func blankLines() throws {
        let fixture = try StoreFixture()
        let input = heartbeat(second: 1) + "\r\n\r\n  \n" + heartbeat(second: 2) + "\r\n{oops}\n"
        let error = try #require(throws: AppendError.self) {
            try fixture.store.append(from: [.bytes(name: "x", Array(input.utf8))])
        }
        #expect(error.location == "x line 5")
    }

    @Test("a UTF-8 byte order mark before the first line is accepted; anywhere else it is refused")
    func byteOrderMark() throws {
        let fixture = try StoreFixture()
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let summary = try fixture.store.append(from: [.bytes(name: "bom", mark + Array((heartbeat(second: 1) + "\n").utf8))])
        #expect(summary.appended == 1)
        let error = try #require(throws: AppendError.self) {
            try fixture.store.append(from: [.bytes(name: "x", Array((heartbeat(second: 2) + "\n").utf8) + mark + Array(heartbeat(second: 3).utf8))])
        }
        #expect(error.location == "x line 2")
    }

    @Test("one transaction gives every event of a batch the same recordedAt, and the chain starts from zeros")
    func recordedAtAndChain() throws {
        let fixture = try StoreFixture()
        try fixture.append([heartbeat(second: 1), heartbeat(second: 2)])
        let events = try fixture.store.allEvents()
        #expect(events[0].recordedAt == events[1].recordedAt)
        #expect(events[0].recordedAt.nanoseconds % 1_000_000 == 0)
        let first = StoredEvent.chainedHash(previous: StoredEvent.genesisHash, line: Array(events[0].canonicalLine.utf8))
        let second = StoredEvent.chainedHash(previous: first, line: Array(events[1].canonicalLine.utf8))
        // Rows keep the start of their hash; the commit keeps its last event's whole hash and the time.
        #expect(events.map(\.hash) == [Array(first.prefix(8)), Array(second.prefix(8))])
        let commit = try Database(path: fixture.path).makeStatement("SELECT last_seq, recorded_at, head_hash FROM commits")
        #expect(try commit.step())
        #expect(commit.int64(0) == 2 && commit.int64(1) == events[1].recordedAt.nanoseconds && commit.blob(2) == second)
        #expect(try !commit.step())
    }

    @Test("each transaction records its time and head once; its events store neither, and read them back from it")
    func commitRecords() throws {
        let fixture = try StoreFixture()
        try fixture.append([heartbeat(second: 1), heartbeat(second: 2), heartbeat(second: 3)], commitEvery: 2)
        let database = try Database(path: fixture.path)
        #expect(try database.scalarInt64("SELECT count(*) FROM events WHERE recorded_at = 0 AND length(hash) = 8") == 3)
        let commits = try database.makeStatement("SELECT last_seq, recorded_at FROM commits ORDER BY last_seq")
        var times: [Int64] = []
        while try commits.step() {
            #expect(commits.int64(0) == [2, 3][times.count])
            times.append(commits.int64(1))
        }
        // The clock may not move between two commits; the rows must still name each its own.
        try database.execute("DROP TRIGGER commits_are_append_only_update; UPDATE commits SET recorded_at = recorded_at + 1000000 WHERE last_seq = 3")
        #expect(try fixture.store.allEvents().map(\.recordedAt.nanoseconds) == [times[0], times[0], times[1] + 1_000_000])
        #expect(try fixture.store.allEvents(matching: EventQuery(stream: "sessionhost/hp/sh-0")).map(\.recordedAt.nanoseconds).last == times[1] + 1_000_000)
    }

    @Test("the stored envelope keeps the producer's time normalised to UTC and its id in lower case")
    func storedEnvelope() throws {
        let fixture = try StoreFixture()
        let line = eventLine("AgentHeartbeatReceived", #""sessionHost":"sh","hostPool":"hp""#, at: "2024-04-15T19:16:07.5+02:00", id: uuid(7).uppercased())
        try fixture.append([line])
        let event = try #require(try fixture.store.allEvents().first)
        #expect(event.canonicalLine == #"{"seq":1,"stream":"sessionhost/hp/sh","version":1,"type":"AgentHeartbeatReceived","at":"2024-04-15T17:16:07.500Z","recordedAt":"\#(event.recordedAt.rfc3339)","id":"\#(uuid(7))","data":{"hostPool":"hp","sessionHost":"sh"}}"#)
    }

    @Test("an exported log appends into another store unchanged, and again as duplicates")
    func exportImport() throws {
        let source = try StoreFixture()
        try source.append([heartbeat("a", second: 1, id: uuid(1)), heartbeat("b", second: 2, id: uuid(2))])
        let exported = try source.store.allEvents().map(\.canonicalLine)
        let target = try StoreFixture()
        try target.append([heartbeat("c", second: 0)])
        #expect(try target.append(exported).appended == 2)
        #expect(try target.append(exported).duplicates == 2)
        let copied = try target.store.allEvents().dropFirst()
        #expect(copied.map(\.data) == (try source.store.allEvents().map(\.data)))
        #expect(copied.map(\.id) == [uuid(1), uuid(2)])
        #expect(copied.map(\.seq) == [2, 3])
    }
}
