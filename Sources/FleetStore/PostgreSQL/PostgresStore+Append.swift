import FleetEvents
import FleetProjection
import NIOCore
import PostgresNIO

extension PostgresStore {
    @discardableResult
    public func append(from sources: [InputSource], options: AppendOptions) throws -> AppendSummary {
        try requireWritable("append")
        var run = try AppendRun(sources: sources, options: options, storeLocation: location)
        var batch: PostgresBatch?
        let pipeline = DecodePipeline(sources: sources, catalog: schema.catalog)
        defer { pipeline.finish() }
        do {
            while let chunk = try pipeline.next() {
                // What the chunk's events need from the store, asked once for the chunk: round trips
                // per event would bound a writer by the network's latency.
                do { try batch?.prefetch(chunk[...]) } catch { throw run.failure(error, at: run.lastLine) }
                for index in chunk.indices {
                    switch chunk[index] {
                    case .rejected(let error, let location):
                        throw run.refusal("\(error)", at: location)
                    case .event(let event, _, let location):
                        try run.check(event, at: location)
                        let outcome: AppendOutcome
                        do {
                            if batch == nil {
                                batch = try beginBatch(recordedAt: options.recordedAt ?? Clock.wall())
                                try batch?.prefetch(chunk[index...])
                            }
                            outcome = try batch!.append(event, skippingOlder: options.skipsOlderThanStream)
                        } catch {
                            throw run.failure(error, at: location)
                        }
                        if run.count(outcome, at: location), let open = batch.take() {
                            do { try commit(open) } catch { throw run.failure(error, at: location) }
                            run.committed()
                        }
                    }
                }
                do { try batch?.flush() } catch { throw run.failure(error, at: run.lastLine) }
                pipeline.recycle(chunk)
            }
            if options.rollsBack, batch != nil {
                batch = nil
                rollBack()
            } else if let open = batch.take() {
                do { try commit(open) } catch { throw run.failure(error, at: run.lastLine) }
            }
        } catch {
            if batch != nil { rollBack() }
            throw error
        }
        return run.summary
    }

    /// Opens a write transaction holding the chain's head, and a batch for it.
    func beginBatch(recordedAt: Timestamp) throws -> PostgresBatch {
        // Read committed whatever the server's default: a batch that waited for the head must see the commit it waited for.
        try session.begin("ISOLATION LEVEL READ COMMITTED")
        do {
            guard let head = try session.query("SELECT seq, hash FROM log_head FOR UPDATE").first else {
                throw StoreError("the store at \(location) has no log_head row; it was not made by fleetledger.")
            }
            let (seq, hash) = try head.decode((Int64, ByteBuffer).self)
            return try PostgresBatch(
                session: session, recordedAt: recordedAt, headSeq: seq, headHash: Array(hash.readableBytesView),
                nextStreamID: (try session.scalarInt64("SELECT coalesce(max(id), 0) + 1 FROM streams")) ?? 1,
                pass: try projectionPass(headSeq: seq), projectorNames: schema.projectors.map(\.name))
        } catch {
            rollBack()
            throw error
        }
    }

    /// Writes the batch's rows, heads and read models, and commits.
    func commit(_ batch: PostgresBatch) throws {
        do {
            try batch.finish()
        } catch {
            rollBack()
            throw error
        }
        do {
            try session.commit()
        } catch {
            rollBack()
            // The server may have committed before the answer was lost.
            throw StoreError("the answer to COMMIT from PostgreSQL at \(location) was lost (\(error)), so the last batch may or may not "
                + "have been committed; run the same input again: events with ids are skipped when stored, events without would be stored twice")
        }
        if let checkpoint = batch.pass.lastSeq { warmProjections = (batch.pass, checkpoint) }
    }

    func rollBack() {
        warmProjections = nil
        session.rollBack()
    }

    /// The warm pass while the log ends where this connection's last batch left it, else a fresh
    /// one reading the read models from the store.
    private func projectionPass(headSeq: Int64) throws -> ProjectionPass {
        // The head, read under its lock: any batch committed since, by any writer, moved it.
        if let warm = warmProjections, warm.checkpoint == headSeq { return warm.pass }
        warmProjections = nil
        return ProjectionPass(projectors: schema.projectors, source: PostgresStates(session: session, preloading: true))
    }

    /// The last position every projector has folded (0 when one never has).
    func foldedThrough() throws -> Int64 {
        var folded: [String: Int64] = [:]
        for row in try session.query("SELECT projector, seq FROM projection_checkpoints") {
            let (projector, seq) = try row.decode((String, Int64).self)
            folded[projector] = seq
        }
        return schema.projectors.map { folded[$0.name] ?? 0 }.min() ?? .max
    }

    /// Folds what the read models have not seen (a projector new to the store): a rebuild.
    func catchUpProjections() throws {
        let lastSeq = try self.lastSeq()
        guard lastSeq > 0, try foldedThrough() < lastSeq else { return }
        try rebuild()
    }
}

/// One open write transaction on a PostgreSQL store: the same checks, chain and folds as the
/// SQLite store's `LogWriter`, with the rows sent a chunk at a time (`flush`).
final class PostgresBatch {
    private struct StreamHead {
        var id: Int64
        var version: Int64
        var lastAt: Timestamp?
        var changed = false
        var isNew = false
    }

    private let session: PostgresSession
    private let recordedAt: Timestamp
    private let recordedAtText: [UInt8]
    private var nextSeq: Int64
    private let firstSeq: Int64
    private var previousHash: ChainHash
    private var nextStreamID: Int64
    private var heads: [String: StreamHead] = [:]
    /// Producers' ids the store already held when the chunk was prefetched, and those this batch appended.
    private var storedIDs: Set<EventID> = []
    private var batchIDs: Set<EventID> = []
    let pass: ProjectionPass
    private let projectorNames: [String]
    private var line: [UInt8] = []
    private var rows = Rows()

    /// The rows of `events` waiting to be sent, column by column, for one `INSERT … SELECT unnest(…)`.
    private struct Rows {
        var seq: [Int64] = [], stream: [Int64] = [], version: [Int64] = [], type: [Int32] = [], at: [Int64] = []
        var id: [ByteBuffer] = [], data: [ByteBuffer] = [], hash: [ByteBuffer] = []
        var newStreamIDs: [Int64] = [], newStreamKeys: [String] = []
    }

    init(session: PostgresSession, recordedAt: Timestamp, headSeq: Int64, headHash: [UInt8], nextStreamID: Int64, pass: ProjectionPass, projectorNames: [String]) throws {
        guard headHash.count == 32 else { throw StoreError("the store at \(session.address) holds a chain head that is not 32 bytes.") }
        self.session = session
        self.recordedAt = Timestamp(nanoseconds: recordedAt.nanoseconds / 1_000_000 * 1_000_000)
        recordedAtText = CanonicalLine.recordedAtText(self.recordedAt)
        nextSeq = headSeq + 1
        firstSeq = nextSeq
        previousHash = ChainHash(headHash)
        self.nextStreamID = nextStreamID
        self.pass = pass
        self.projectorNames = projectorNames
    }

    /// Reads, in two queries, which of the events' ids the store holds and the heads of their streams.
    func prefetch(_ lines: ArraySlice<DecodedLine>) throws {
        var ids: [ByteBuffer] = [], keys: Set<String> = []
        for case .event(let event, _, _) in lines {
            if let id = event.id, !batchIDs.contains(id), !storedIDs.contains(id) { ids.append(ByteBuffer(bytes: id.byteArray)) }
            if heads[event.streamKey.rawValue] == nil { keys.insert(event.streamKey.rawValue) }
        }
        if !ids.isEmpty {
            for row in try session.query("SELECT event_id FROM events WHERE event_id = ANY(\(ids))") {
                storedIDs.insert(EventID(bytes: Array(try row.decode(ByteBuffer.self).readableBytesView)))
            }
        }
        if !keys.isEmpty {
            for row in try session.query("SELECT id, key, version, last_at FROM streams WHERE key = ANY(\(Array(keys)))") {
                let (id, key, version, lastAt) = try row.decode((Int64, String, Int64, Int64).self)
                heads[key] = StreamHead(id: id, version: version, lastAt: Timestamp(nanoseconds: lastAt))
            }
        }
    }

    /// Appends `event`, or skips it as a duplicate of a stored `id`; the same rules as `LogWriter.append`.
    func append(_ event: IncomingEvent, skippingOlder: Bool) throws -> AppendOutcome {
        if let id = event.id {
            if storedIDs.contains(id) || batchIDs.contains(id) { return .duplicate }
        }
        let key = event.streamKey.rawValue
        var stream = heads[key] ?? newStream(key)
        if let expected = event.expectedVersion, expected != stream.version {
            throw InputError.versionMismatch(expected: expected, stream: event.streamKey, version: stream.version)
        }
        if let lastAt = stream.lastAt, event.at < lastAt {
            if skippingOlder { return .olderThanStream }
            throw InputError.olderThanStream(event.at, stream: event.streamKey, lastAt: lastAt)
        }
        if stream.isNew, stream.version == 0 {
            rows.newStreamIDs.append(stream.id)
            rows.newStreamKeys.append(key)
        }
        stream.version += 1
        stream.lastAt = event.at
        stream.changed = true
        heads[key] = stream
        if let id = event.id { batchIDs.insert(id) }

        let seq = nextSeq
        line.removeAll(keepingCapacity: true)
        event.canonicalLine.write(seq: seq, version: stream.version, recordedAt: recordedAtText, to: &line)
        let hash = previousHash.chained(line: line)
        rows.seq.append(seq)
        rows.stream.append(stream.id)
        rows.version.append(stream.version)
        rows.type.append(Int32(event.type.code))
        rows.at.append(event.at.nanoseconds)
        rows.id.append(event.id.map { ByteBuffer(bytes: $0.byteArray) } ?? ByteBuffer())
        rows.data.append(ByteBuffer(bytes: event.payloadBytes))
        rows.hash.append(ByteBuffer(bytes: hash.bytes))
        if pass.folds(code: event.type.code) {
            try pass.apply(ProjectedEvent(seq: seq, at: event.at, stream: event.streamKey, data: event.payload, type: event.type), checking: true)
        } else {
            pass.skip(seq: seq)
        }
        nextSeq += 1
        previousHash = hash
        return .appended(seq: seq)
    }

    private func newStream(_ key: String) -> StreamHead {
        defer { nextStreamID += 1 }
        return StreamHead(id: nextStreamID, version: 0, lastAt: nil, isNew: true)
    }

    /// Sends the rows waiting: the new streams, then the events.
    func flush() throws {
        if !rows.newStreamIDs.isEmpty {
            try session.query("""
                INSERT INTO streams (id, key, version, last_at) SELECT unnest(\(rows.newStreamIDs)), unnest(\(rows.newStreamKeys)), 0, 0
                """)
        }
        if !rows.seq.isEmpty {
            let recorded = recordedAt.nanoseconds
            try session.query("""
                INSERT INTO events (seq, stream_id, version, type, at, recorded_at, event_id, data, hash)
                SELECT seq, stream, version, type, at, \(recorded), NULLIF(id, ''::bytea), data, hash
                FROM unnest(\(rows.seq), \(rows.stream), \(rows.version), \(rows.type), \(rows.at), \(rows.id), \(rows.data), \(rows.hash))
                    AS r(seq, stream, version, type, at, id, data, hash)
                """)
        }
        rows = Rows()
    }

    /// Sends what is left, the changed heads, the chain's new head and the read models; called
    /// once, before the transaction commits.
    func finish() throws {
        try flush()
        let changed = heads.values.filter(\.changed)
        if !changed.isEmpty {
            let ids = changed.map(\.id), versions = changed.map(\.version), lastAts = changed.map { $0.lastAt?.nanoseconds ?? 0 }
            try session.query("""
                UPDATE streams s SET version = h.version, last_at = h.last_at
                FROM unnest(\(ids), \(versions), \(lastAts)) AS h(id, version, last_at) WHERE s.id = h.id
                """)
        }
        if nextSeq > firstSeq {
            let seq = nextSeq - 1, hash = ByteBuffer(bytes: previousHash.bytes)
            try session.query("UPDATE log_head SET seq = \(seq), hash = \(hash)")
        }
        let changes = try pass.takeChanges()
        if !changes.isEmpty {
            let projectors = changes.map(\.projector), entities = changes.map(\.entity.rawValue)
            let seqs = changes.map(\.seq), states = changes.map(\.state)
            try session.query("""
                INSERT INTO entity_states (projector, entity, seq, state)
                SELECT * FROM unnest(\(projectors), \(entities), \(seqs), \(states))
                ON CONFLICT (projector, entity) DO UPDATE SET seq = excluded.seq, state = excluded.state
                """)
        }
        if let folded = pass.lastSeq {
            let names = projectorNames
            try session.query("""
                INSERT INTO projection_checkpoints (projector, seq) SELECT unnest(\(names)), \(folded)
                ON CONFLICT (projector) DO UPDATE SET seq = excluded.seq
                """)
        }
    }
}

extension EventID {
    /// The id's 16 bytes, as the log stores them.
    var byteArray: [UInt8] { withBytes { span in span.indices.map { span[$0] } } }
}
