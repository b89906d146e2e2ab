@testable import FleetEvents
@testable import FleetLedger
@testable import FleetSQLite
@testable import FleetStore
import Testing

/// The index that finds a stream's events is led by the log chunk (65,536 positions), so a
/// stream's events are sought chunk by chunk: these tests put one host's events in three chunks.
@Suite("the stream index: a stream's events found in every chunk of the log")
struct StreamIndexTests {
    /// Fills the log up to the start of the next chunk with rows of a stream of its own, written
    /// straight into the table: appending 65,536 events per chunk would take a unit test too long,
    /// and no query here reads the filler stream. Their hashes are whole, as rows from before
    /// migration 0008 are, so that appends chain on from the last of them.
    static func fillToNextChunk(_ fixture: StoreFixture, filler: String) throws {
        let database = try Database(path: fixture.path)
        let last = try #require(try database.scalarInt64("SELECT max(seq) FROM events"))
        let count = (StreamIndex.chunk(ofSeq: last) + 1) << StreamIndex.chunkShift - last
        try database.execute("INSERT INTO streams (key, version, last_at) VALUES ('\(filler)', \(count), 0)")
        try database.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO events (seq, stream_id, version, type, at, recorded_at, event_id, data, hash)
            SELECT \(last) + i, (SELECT id FROM streams WHERE key = '\(filler)'), i, 5, 0, 1, NULL, x'', zeroblob(32) FROM n
            """)
    }

    /// A pool whose host sh-1 fails and recovers once in each of three chunks, sh-2 staying healthy.
    static func threeChunks() throws -> (StoreFixture, [Timestamp]) {
        let fixture = try StoreFixture()
        var pool = PoolEvents()
        var times: [Timestamp] = []
        pool.hosts(2)
        for round in 0..<3 {
            if round > 0 { try fixture.append(pool.lines.suffix(2)) } else { try fixture.append(pool.lines) }
            try fillToNextChunk(fixture, filler: "filler/\(round)")
            pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed""#, after: 60)
            pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckSucceeded""#, after: 60)
            times.append(pool.now)
        }
        try fixture.append(pool.lines.suffix(2))
        return (fixture, times)
    }

    @Test("a host's events in three chunks are all read, in log order, by events --stream, exact and by prefix")
    func eventsAcrossChunks() throws {
        let (fixture, _) = try Self.threeChunks()
        let seqs = try fixture.store.allEvents(matching: EventQuery(stream: "sessionhost/hp/sh-1")).map(\.seq)
        #expect(seqs.count == 7)  // registered, then a failure and a recovery in each chunk
        #expect(seqs == seqs.sorted())
        #expect(Set(seqs.map(StreamIndex.chunk(ofSeq:))) == [0, 1, 2, 3])
        let pool = try fixture.store.allEvents(matching: EventQuery(stream: "sessionhost/hp/*")).map(\.seq)
        #expect(pool.count == 8 && Set(seqs).isSubset(of: pool))
        // Starting after a position skips the chunks before it, and the earlier events in its own.
        let later = try fixture.store.allEvents(matching: EventQuery(stream: "sessionhost/hp/sh-1", afterSeq: seqs[3])).map(\.seq)
        #expect(later == Array(seqs.suffix(3)))
    }

    @Test("a host's history folds its events from every chunk")
    func historyAcrossChunks() throws {
        let (fixture, _) = try Self.threeChunks()
        let (entries, _) = try fixture.store.history(.host(pool: "hp", host: "sh-1"), since: nil, until: nil)
        let changes = entries.filter { $0.kind == .change }.map { "\($0.from!) -> \($0.to!)" }
        #expect(changes == ["none -> Available"] + Array(repeating: ["Available -> Unavailable", "Unavailable -> Available"], count: 3).flatMap { $0 })
    }

    @Test("a stream's newest event at or before a time is found in the last chunk that has one")
    func newestEventAcrossChunks() throws {
        let (fixture, times) = try Self.threeChunks()
        let key = StreamKey(rawValue: "sessionhost/hp/sh-1")
        #expect(try fixture.store.newestEventTimes(of: [key], notAfter: nil) == [key: times[2]])
        #expect(try fixture.store.newestEventTimes(of: [key], notAfter: times[2].adding(seconds: -1)) == [key: times[2].adding(seconds: -60)])
        #expect(try fixture.store.newestEventTimes(of: [key], notAfter: times[2].adding(seconds: -61)) == [key: times[1]])
        #expect(try fixture.store.newestEventTimes(of: [key], notAfter: times[1]) == [key: times[1]])
        #expect(try fixture.store.newestEventTimes(of: [key], notAfter: times[0].adding(seconds: -61)) == [key: PoolEvents.start.adding(seconds: 2)])
        #expect(try fixture.store.newestEventTimes(of: [key], notAfter: PoolEvents.start).isEmpty)
    }

    @Test("as of a time, only the chunks up to the last log segment with an event at or before it are read")
    func chunksAsOf() throws {
        let (fixture, times) = try Self.threeChunks()
        #expect(try StreamIndex.chunks(in: fixture.store, notAfter: nil) == 0...3)
        #expect(try StreamIndex.chunks(in: fixture.store, notAfter: times[0]) == 0...1)
        #expect(try StreamIndex.chunks(in: fixture.store, notAfter: times[1]) == 0...2)
        #expect(try StreamIndex.chunks(in: fixture.store, notAfter: PoolEvents.start) == nil)
        // A history as of the second round's end folds the first two rounds and no more.
        let (entries, _) = try fixture.store.history(.host(pool: "hp", host: "sh-1"), since: nil, until: times[1])
        #expect(entries.filter { $0.kind == .change }.count == 5)
    }

    @Test("the queries that seek a stream use the chunk index, not a scan of the log")
    func queryPlans() throws {
        let fixture = try StoreFixture()
        let database = try Database(path: fixture.path)
        for sql in [StreamIndex.eventsSQL(streamIDs: [1, 2]), StreamIndex.latestAtSQL] {
            let plan = try database.makeStatement("EXPLAIN QUERY PLAN " + sql)
            var details: [String] = []
            while try plan.step() { details.append(plan.text(3)) }
            #expect(details.contains { $0.contains("USING INDEX events_by_chunk_and_stream") }, "\(details)")
        }
    }
}
