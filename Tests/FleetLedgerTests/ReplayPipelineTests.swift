@testable import FleetDomains
@testable import FleetEvents
import FleetLedger
@testable import FleetProjection
@testable import FleetStore
import FleetSQLite
import Foundation
import Testing

@Suite("Replay pipeline: rows decoded on a second thread, folded in log order")
struct ReplayPipelineTests {
    /// Heartbeats of 40 hosts with a failing and a passing health check now and then, one a second:
    /// enough events for many batches in flight, and a log whose order matters (a host's status
    /// and last heartbeat are the latest event's).
    static func longLog(_ count: Int) -> [String] {
        (0..<count).map { index in
            let seconds = index
            let at = String(format: "2024-04-15T%02d:%02d:%02dZ", 10 + seconds / 3600, seconds / 60 % 60, seconds % 60)
            let host = #""hostPool":"hp","sessionHost":"sh-\#(index % 40)""#
            guard index % 7 == 0 else { return eventLine("AgentHeartbeatReceived", host, at: at) }
            let result = index % 14 == 0 ? #""healthCheckResult":"HealthCheckFailed","errorCode":1355"# : #""healthCheckResult":"HealthCheckSucceeded""#
            return eventLine("HealthCheckCompleted", host + #","healthCheckName":"DomainTrustCheck","# + result, at: at)
        }
    }

    static func readModels(_ path: String) throws -> [String] {
        let database = try Database(path: path)
        let rows = try database.makeStatement("SELECT projector, entity, seq, state FROM entity_states ORDER BY projector, entity")
        var models: [String] = []
        while try rows.step() { models.append("\(rows.text(0)) \(rows.text(1)) \(rows.int64(2)) \(rows.text(3))") }
        return models
    }

    @Test("a rebuild over many batches reproduces the read models the appends kept, row for row")
    func rebuildAcrossBatches() throws {
        let count = ReplayPipeline.batchSize * 6 + 17
        let fixture = try StoreFixture()
        try fixture.append(Self.longLog(count))
        let appended = try Self.readModels(fixture.path)
        #expect(appended.count == 40)

        let summary = try fixture.store.rebuild()
        #expect(summary.events == count)
        #expect(try Self.readModels(fixture.path) == appended)
        #expect(try fixture.store.verifyLog().isValid)
    }

    @Test("batches come back decoded in the order they went in, never more than the pipeline's depth in flight")
    func batchesInOrder() {
        let stream = StoredStream(StreamKind.sessionHost.key("hp", "sh-0"))
        let pipeline = ReplayPipeline(depth: 3)
        defer { pipeline.finish() }
        var submitted = 0, returned: [Int64] = [], batchesReturned = 0
        func take(_ batches: [[ReplayPipeline.Decoded]]) {
            batchesReturned += batches.count
            for batch in batches {
                for row in batch {
                    guard case .skip(let seq, _) = row else { Issue.record("row not passed through: \(row)"); continue }
                    returned.append(seq)
                }
            }
        }
        withExtendedLifetime(stream) {
            for index in 0..<40 {
                // Rows no projector folds pass through undecoded, one batch of index + 1 rows each.
                let rows = (0...index).map { row in
                    ReplayPipeline.RawRow(
                        seq: Int64(submitted + row + 1), at: Timestamp(nanoseconds: 0), stream: .passUnretained(stream), type: nil,
                        bytes: 0..<0)
                }
                submitted += rows.count
                take(pipeline.submit(ReplayPipeline.RawBatch(rows: rows, bytes: [])))
                let inFlight = index + 1 - batchesReturned
                #expect(inFlight < 3, "\(inFlight) batches in flight after submitting batch \(index)")
            }
            take(pipeline.drain())
        }
        #expect(returned == (1...Int64(submitted)).map { $0 })
    }

    @Test("a row that cannot be read stops a rebuild at it, naming its seq, and the read models stay as they were")
    func unreadableRow() throws {
        let count = ReplayPipeline.batchSize * 3
        let fixture = try StoreFixture()
        try fixture.append(Self.longLog(count))
        let before = try Self.readModels(fixture.path)
        let damaged = Int64(ReplayPipeline.batchSize * 2 + 5)
        let database = try Database(path: fixture.path)
        try database.execute("DROP TRIGGER events_are_append_only_update")
        // A heartbeat's data names field 99, which its type does not have.
        try database.execute("UPDATE events SET data = X'6300' WHERE seq = \(damaged)")

        let error = try #require(throws: StoreError.self) { try fixture.store.rebuild() }
        #expect(error.message.hasPrefix("seq \(damaged) holds data this binary cannot read"))
        #expect(try Self.readModels(fixture.path) == before)
    }

    @Test("a replay finds each stream by its id: dense ids, gaps and far-off ids alike")
    func streamsByID() {
        var streams = StoredStreams()
        let ids: [Int64] = [1, 2, 3, 5, 10_000, 10_001, Int64.max]
        for id in ids { streams.add(StoredStream(StreamKind.hostPool.key("hp-\(id)")), id: id) }
        for id in ids {
            #expect(streams[id]?.key == StreamKind.hostPool.key("hp-\(id)"))
            #expect(streams.unretained(id: id)?.takeUnretainedValue() === streams[id])
        }
        for missing: Int64 in [-1, 0, 4, 6, 9_999, 10_002, Int64.min] {
            #expect(streams[missing] == nil)
            #expect(streams.unretained(id: missing) == nil)
        }
    }

    @Test("the catalog finds each event type by its name and by its code, counted or not, and no type for others")
    func typesByCode() {
        let catalog = Fleet.schema.catalog
        for declaration in catalog.declarations {
            #expect(catalog[name: declaration.name] === declaration)
            #expect(catalog[name: declaration.name.lowercased()] == nil)
            #expect(catalog[code: declaration.code] === declaration)
            #expect(catalog.unretained(code: declaration.code)?.takeUnretainedValue() === declaration)
        }
        let unused = (0...(catalog.declarations.map(\.code).max() ?? 0) + 1).filter { code in !catalog.declarations.contains { $0.code == code } }
        for code in unused + [-1, .max, .min] {
            #expect(catalog[code: code] == nil)
            #expect(catalog.unretained(code: code) == nil)
        }
    }

    @Test("decoding a batch: rows no projector folds pass through, and a bad row ends the batch")
    func decodeBatch() {
        let type = AgentHeartbeatReceived.declaration
        let stream = StoredStream(StreamKind.sessionHost.key("hp", "sh-0"))
        #expect(stream.values == ["hp", "sh-0"])
        let at = Timestamp(nanoseconds: 1_000)
        // Rows hold both unretained, as a replay's do; `stream` and `type` outlive the decode.
        let rowStream = Unmanaged.passUnretained(stream), rowType = Unmanaged.passUnretained(type)
        let batch = ReplayPipeline.RawBatch(
            rows: [
                .init(seq: 1, at: at, stream: rowStream, type: rowType, bytes: 0..<0),
                .init(seq: 2, at: at, stream: rowStream, type: nil, bytes: 0..<0),
                .init(seq: 3, at: at, stream: rowStream, type: rowType, bytes: 0..<2),
                .init(seq: 4, at: at, stream: rowStream, type: rowType, bytes: 2..<2),
            ],
            bytes: [99, 0])
        let decoded = withExtendedLifetime((stream, type)) { ReplayPipeline.decode(batch, keys: StreamKeyInterner()) }
        #expect(decoded.count == 3)
        guard decoded.count == 3 else { return }
        if case .fold(let event) = decoded[0] {
            #expect(event.seq == 1)
            #expect((event.data as? AgentHeartbeatReceived)?.host == SessionHostID(hostPool: "hp", sessionHost: "sh-0"))
        } else {
            Issue.record("row 1 was not decoded: \(decoded[0])")
        }
        if case .skip(let seq, _) = decoded[1] { #expect(seq == 2) } else { Issue.record("row 2 was not skipped: \(decoded[1])") }
        if case .failed(let error) = decoded[2] {
            #expect(error.message.hasPrefix("seq 3 holds data this binary cannot read"))
        } else {
            Issue.record("row 3 did not fail: \(decoded[2])")
        }
    }

    @Test("a batch keeps each row's data where append(data:) says, past the room it made ahead and for empty data")
    func batchData() {
        var batch = ReplayPipeline.RawBatch.empty()
        let room = batch.bytes.count
        var expected: [(Range<Int>, [UInt8])] = []
        for row in 0..<(room / 4) {
            let data = (0..<UInt8(row % 11)).map { $0 &+ UInt8(truncatingIfNeeded: row) }
            expected.append((data.withUnsafeBytes { batch.append(data: $0) }, data))
        }
        #expect(batch.used > room, "the rows outgrew the room made ahead")
        #expect(expected.allSatisfy { Array(batch.bytes[$0.0]) == $0.1 })
        #expect(expected.first?.0 == 0..<0)
        #expect(zip(expected, expected.dropFirst()).allSatisfy { $0.0.upperBound == $1.0.lowerBound })
    }
}
