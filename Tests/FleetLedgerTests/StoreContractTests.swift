@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import FleetTestSupport
import Testing

/// The store's contract, the same test bodies on every engine (`StoreEngine.underTest`): what
/// the domains, the commands and the server rely on, whichever engine keeps the log.
@Suite("store contract, on SQLite and PostgreSQL")
struct StoreContractTests {
    @Test("positions run 1, 2, 3... across batches, versions count per stream, and a batch shares one recording time",
          arguments: StoreEngine.underTest)
    func positionsAndVersions(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append([heartbeat("sh-0", second: 1), heartbeat("sh-1", second: 1), heartbeat("sh-0", second: 2)])
        let second = try fixture.append([heartbeat("sh-1", second: 3), heartbeat("sh-2", second: 3)])
        #expect(second.lastSeq == 5)
        let events = try fixture.events()
        #expect(events.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(events.map(\.version) == [1, 1, 2, 2, 1])
        #expect(events.map(\.stream) == ["sessionhost/hp/sh-0", "sessionhost/hp/sh-1", "sessionhost/hp/sh-0", "sessionhost/hp/sh-1", "sessionhost/hp/sh-2"])
        #expect(Set(events.prefix(3).map(\.recordedAt)).count == 1)
        #expect(try fixture.store.lastSeq() == 5)
        #expect(try fixture.store.eventCount() == 5)
    }

    @Test("an id already stored, in an earlier batch or the same one, is skipped and counted, never stored twice",
          arguments: StoreEngine.underTest)
    func idempotentIDs(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append([heartbeat(second: 1, id: uuid(1)), heartbeat(second: 2, id: uuid(2))])
        let retry = try fixture.append([heartbeat(second: 1, id: uuid(1)), heartbeat(second: 3, id: uuid(3)), heartbeat(second: 4, id: uuid(3))])
        #expect(retry.appended == 1)
        #expect(retry.duplicates == 2)
        #expect(try fixture.events().compactMap(\.id) == [uuid(1), uuid(2), uuid(3)])
        // A new connection knows them too.
        let again = try fixture.reopen().append(from: [.bytes(name: "again", Array(heartbeat(second: 5, id: uuid(2)).utf8))])
        #expect(again.duplicates == 1 && again.appended == 0)
    }

    @Test("a refused line rolls its whole batch back: nothing half-written, the read models untouched",
          arguments: StoreEngine.underTest)
    func refusedBatchWritesNothing(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append([heartbeat("sh-0", second: 1)])
        let before = try fixture.store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json)
        let refusal = try #require(throws: AppendError.self) {
            try fixture.append([heartbeat("sh-1", second: 2), heartbeat("sh-0", second: 3, expectedVersion: 5)])
        }
        #expect(refusal.description.contains(#"input.ndjson line 2: field "expectedVersion" is 5, but stream "sessionhost/hp/sh-0" is at version 1"#))
        #expect(refusal.description.contains("nothing was appended"))
        #expect(try fixture.store.lastSeq() == 1)
        #expect(try fixture.store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json) == before)
        // The next batch starts where the log ends.
        #expect(try fixture.append([heartbeat("sh-1", second: 4)]).lastSeq == 2)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a stream never goes back in time: refused, or skipped and counted when asked", arguments: StoreEngine.underTest)
    func olderThanStream(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append([heartbeat(second: 5)])
        let refusal = try #require(throws: AppendError.self) { try fixture.append([heartbeat(second: 4)]) }
        #expect(refusal.reason.contains("older than the last event of stream"))
        let skipped = try fixture.append([heartbeat(second: 4, id: uuid(9)), heartbeat(second: 6)], skippingOlder: true)
        #expect(skipped.olderThanStream == 1 && skipped.appended == 1)
        // The skipped event's id was not taken: it can still arrive later in time.
        #expect(try fixture.append([heartbeat(second: 7, id: uuid(9))]).appended == 1)
    }

    @Test("with commits every N lines, a failure keeps the committed lines, and a retry lands exactly the rest",
          arguments: StoreEngine.underTest)
    func commitEveryAndRetry(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        let lines = (0..<10).map { heartbeat("sh-\($0 % 3)", second: 10 + $0, id: uuid($0)) }
        var broken = lines
        broken[7] = heartbeat("sh-1", second: 1, id: uuid(7))
        let refusal = try #require(throws: AppendError.self) { try fixture.append(broken, commitEvery: 3) }
        #expect(refusal.committedLines == 6)
        #expect(try fixture.store.eventCount() == 6)
        let retry = try fixture.append(lines, commitEvery: 3)
        #expect(retry.appended == 4 && retry.duplicates == 6)
        #expect(try fixture.events().map(\.seq) == Array(1...10))
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a dry run says what it would do and leaves the store as it was", arguments: StoreEngine.underTest)
    func dryRun(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append([heartbeat(second: 1, id: uuid(1))])
        let dry = try fixture.append([heartbeat(second: 1, id: uuid(1)), heartbeat(second: 2)], rollsBack: true)
        #expect(dry.appended == 1 && dry.duplicates == 1)
        #expect(try fixture.store.eventCount() == 1)
        #expect(try fixture.append([heartbeat(second: 3)]).lastSeq == 2)
    }

    @Test("verify passes an intact log and names its head; --expect-head catches a rewritten or cut log",
          arguments: StoreEngine.underTest)
    func verifyAndExpectedHead(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append((0..<5).map { heartbeat("sh-\($0)", second: $0) })
        let report = try fixture.store.verifyLog()
        #expect(report.isValid, "\(report.problems)")
        #expect(report.headSeq == 5 && report.eventsChecked == 5 && report.streamsChecked == 5)
        let head = report.headHash
        #expect(head.count == 64)
        try fixture.append([heartbeat("sh-9", second: 9)])
        #expect(try fixture.store.verifyLog(expectedHead: (5, head)).problems == [])
        let rewritten = try fixture.store.verifyLog(expectedHead: (5, String(repeating: "ab", count: 32)))
        #expect(rewritten.problems.first?.contains("not the recorded head") == true)
        let cut = try fixture.store.verifyLog(expectedHead: (7, head))
        #expect(cut.problems.first?.contains("before the recorded head seq 7") == true)
    }

    @Test("rebuild reproduces every read model, and verify finds them equal to a replay", arguments: StoreEngine.underTest)
    func rebuildReproduces(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append(DemoScenario.lines)
        let answers = { try contractAnswers(fixture.store) }
        let before = try answers()
        let summary = try fixture.store.rebuild()
        #expect(summary.events == DemoScenario.lines.count)
        #expect(try answers() == before)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("two connections writing in turn keep one chain and read models that match a replay", arguments: StoreEngine.underTest)
    func twoConnections(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        let other = try fixture.reopen()
        for second in 0..<6 {
            let store = second % 2 == 0 ? fixture.store : other
            try store.append(from: [.bytes(name: "turn", Array(heartbeat("sh-\(second % 3)", second: second).utf8))])
        }
        #expect(try fixture.events().map(\.seq) == Array(1...6))
        #expect(try fixture.store.verifyLog().problems == [])
        #expect(try fixture.store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json)
            == other.hostsReport(pool: nil, status: nil, asOf: nil, format: .json))
    }

    @Test("events are selected by stream, prefix, type, time, position and limit", arguments: StoreEngine.underTest)
    func eventSelection(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append(DemoScenario.lines)
        func seqs(_ query: EventQuery) throws -> [Int64] { try fixture.events(query).map(\.seq) }
        let all = try fixture.events()
        #expect(all.count == DemoScenario.lines.count)
        let host = "sessionhost/hp-finance/sh-finance-2"
        #expect(try seqs(EventQuery(stream: host)) == all.filter { $0.stream == host }.map(\.seq))
        #expect(try seqs(EventQuery(stream: "lb/*")) == all.filter { $0.stream.hasPrefix("lb/") }.map(\.seq))
        #expect(try seqs(EventQuery(types: ["DrainModeChanged"])) == all.filter { $0.type == "DrainModeChanged" }.map(\.seq))
        let middle = all[all.count / 2].at
        #expect(try seqs(EventQuery(since: middle)) == all.filter { $0.at >= middle }.map(\.seq))
        #expect(try seqs(EventQuery(until: middle)) == all.filter { $0.at <= middle }.map(\.seq))
        #expect(try seqs(EventQuery(afterSeq: 200, limit: 5)) == [201, 202, 203, 204, 205])
        #expect(throws: StoreError.self) { try fixture.events(EventQuery(types: ["NoSuchType"])) }
    }

    @Test("statistics count events, streams and entities the same way", arguments: StoreEngine.underTest)
    func statistics(engine: StoreEngine) throws {
        let fixture = try engine.makeStore()
        try fixture.append(DemoScenario.lines)
        let stats = try fixture.store.statistics()
        #expect(stats.events == DemoScenario.lines.count)
        #expect(stats.streamsByKind == ["hostpool": 1, "lb": 11, "sessionhost": 10, "vmss": 4])
        #expect(stats.entitiesByProjector["session-hosts"] == 10)
        #expect(stats.fileBytes > 0)
        #expect(try fixture.store.newestEventTime() == stats.last)
        #expect(try fixture.store.newestEventTimeByStreamKind().keys.sorted() == ["hostpool", "lb", "sessionhost", "vmss"])
    }
}

/// Answers of every domain, now and as of a time, as a script would read them.
func contractAnswers(_ store: any LedgerStore) throws -> [String] {
    let asOf = Timestamp(rfc3339: "2024-04-15T03:30:00Z")!
    return [
        try store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json),
        try store.hostsReport(pool: nil, status: nil, asOf: asOf, format: .json),
        try store.updateStatusReport(pool: "hp-finance", asOf: nil, format: .json),
        try store.loadBalancerListReport(asOf: nil, format: .json),
        try store.scaleSetHealthReport(scaleSet: "vmss-api", asOf: nil, format: .json),
        try store.historyReport(.host(pool: "hp-finance", host: "sh-finance-2"), since: nil, until: nil, changesOnly: true, format: .csv),
    ]
}

extension DemoScenario {
    /// The demo's events as NDJSON lines.
    static var lines: [String] { String(decoding: ndjson, as: UTF8.self).split(separator: "\n").map(String.init) }
}
