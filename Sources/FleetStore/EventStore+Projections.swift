import FleetEvents
import FleetProjection
import FleetSQLite

/// What `rebuild` did.
public struct RebuildSummary: Sendable, Equatable {
    public var events: Int
    public var readModels: Int
    public var entities: Int
}

extension EventStore {
    /// Feeds the stored events after `after` and through `through` to `pass`, in log order; only
    /// those with `at` at or before `notAfter` when it is given. `each` is called after every
    /// event fed, with its position and time. Returns how many events were fed.
    ///
    /// The rows are read here and decoded by a `ReplayPipeline` on a second thread.
    func replay(
        into pass: ProjectionPass, after: Int64 = 0, through: Int64 = .max, notAfter: Timestamp? = nil,
        each: (_ seq: Int64, _ at: Timestamp) throws -> Void = { _, _ in }
    ) throws -> Int {
        let streams = try storedStreams()
        // For a row whose stream the table lacks (the foreign key forbids it).
        let unlisted = StoredStream(StreamKey(rawValue: ""))
        // Without an end, no bound, so SQLite does not compare each row's seq with .max.
        let rows = try database.makeStatement(through == .max
            ? "SELECT seq, type, at, data, stream_id FROM events WHERE seq > ? ORDER BY seq"
            : "SELECT seq, type, at, data, stream_id FROM events WHERE seq > ? AND seq <= ? ORDER BY seq")
        try rows.bind(after, at: 1)
        if through != .max { try rows.bind(through, at: 2) }
        // The rows hold their streams unretained: the streams outlive the decoder (this defer
        // runs after the next one's).
        defer { withExtendedLifetime((streams, unlisted)) {} }
        let pipeline = ReplayPipeline()
        defer { pipeline.finish() }
        var count = 0
        func feed(_ batches: consuming [[ReplayPipeline.Decoded]]) throws {
            var batches = batches
            var failure: (any Error)?
            folding: for index in batches.indices {
                // Each decoded event is moved out of its batch and back in once folded: read in
                // place, it was still copied, a retain and a release of each of its references,
                // whose counts the decoding thread had last written
                // (Tools/Benchmark/HISTORY.md, item 27).
                batches[index].withUnsafeMutableBufferPointer { decodedBatch in
                    guard let first = decodedBatch.baseAddress else { return }
                    for position in decodedBatch.indices {
                        let slot = first + position
                        switch slot.move() {
                        case .fold(let event):
                            do {
                                try pass.apply(event)
                                try each(event.seq, event.at)
                            } catch {
                                failure = error
                            }
                            slot.initialize(to: .fold(consume event))
                        case .skip(let seq, let at):
                            slot.initialize(to: .skip(seq: seq, at: at))
                            pass.skip(seq: seq)
                            do { try each(seq, at) } catch { failure = error }
                        case .failed(let error):
                            slot.initialize(to: .failed(error))
                            failure = error
                        }
                        if failure != nil { return }
                    }
                }
                if failure != nil { break folding }
            }
            // Handed back whole, this thread's last reference, for the decoding thread to free.
            pipeline.recycle(batches)
            if let failure { throw failure }
        }
        var batch = ReplayPipeline.RawBatch.empty()
        while try rows.step() {
            let seq = rows.int64(0), code = rows.int64(1), at = Timestamp(nanoseconds: rows.int64(2))
            if let notAfter, at > notAfter { continue }
            count += 1
            let stream = streams.unretained(id: rows.int64(4)) ?? Unmanaged.passUnretained(unlisted)
            var row = ReplayPipeline.RawRow(seq: seq, at: at, stream: stream, type: nil, bytes: 0..<0)
            if pass.folds(code: code), let type = schema.catalog.unretained(code: code) {
                row.type = type
                row.bytes = rows.withBlob(3) { batch.append(data: $0) }
            }
            batch.rows.append(row)
            if batch.rows.count == ReplayPipeline.batchSize {
                try feed(pipeline.submit(batch))
                // A new batch: the decoder holds the old one's storage.
                batch = .empty()
            }
        }
        if !batch.rows.isEmpty { try feed(pipeline.submit(batch)) }
        try feed(pipeline.drain())
        return count
    }

    /// A stored event's data as its typed value. The data is located in `locations`, where each
    /// field of the type is in the compact form, whose storage a caller hands from one event to
    /// the next rather than allocate an array per event, and the keys it names are shared through
    /// `keys`.
    static func decodePayload(
        seq: Int64, type: EventDeclaration, stream: StoredStream, bytes: UnsafeRawBufferPointer, keys: StreamKeyInterner,
        locations: inout [Int]
    ) throws -> any EventData {
        do {
            return try PayloadCodec.withStoredFields(
                type: type, streamValues: stream.values, recentKeys: stream.recentKeys, bytes: bytes, locations: &locations
            ) { fields in try type.decode(stored: fields, keys: keys) }
        } catch {
            throw StoreError("seq \(seq) holds data this binary cannot read: \(error).")
        }
    }

    /// `decodePayload` for data held in an array (the PostgreSQL engine's rows): the bytes lent for the call.
    static func decodePayload(
        seq: Int64, type: EventDeclaration, stream: StoredStream, data: [UInt8], keys: StreamKeyInterner, locations: inout [Int]
    ) throws -> any EventData {
        try data.withUnsafeBytes { try decodePayload(seq: seq, type: type, stream: stream, bytes: $0, keys: keys, locations: &locations) }
    }

    /// Folds the events the read models have not seen: after a migration adds or reshapes a read
    /// model in a store that already holds events, or when a projector is new to the store.
    func catchUpProjections() throws {
        let lastSeq = try self.lastSeq()
        guard lastSeq > 0, try foldedThrough() < lastSeq else { return }
        _ = try database.transaction(.immediate) {
            // The projectors share one pass, so the simple way to bring them all to the same,
            // fully replayed state is a rebuild.
            try rebuildInTransaction()
        }
    }

    /// The last position every projector of the schema has folded (0 when one never has).
    func foldedThrough() throws -> Int64 {
        try schema.projectors.map { try checkpoint(of: $0.name) }.min() ?? .max
    }

    func checkpoint(of projector: String) throws -> Int64 {
        let select = try database.cachedStatement("SELECT seq FROM projection_checkpoints WHERE projector = ?")
        defer { select.reset() }
        try select.bind(projector, at: 1)
        return try select.step() ? select.int64(0) : 0
    }

    /// Drops every read model, checkpoint and segment range, and folds the whole log again, in
    /// one transaction, through the same writer an append uses.
    @discardableResult
    public func rebuild() throws -> RebuildSummary {
        try database.transaction(.immediate) { try rebuildInTransaction() }
    }

    private func rebuildInTransaction() throws -> RebuildSummary {
        forgetWarmProjections()
        try database.execute("""
            DELETE FROM entity_states; DELETE FROM checkpoint_states; DELETE FROM projection_checkpoints;
            DELETE FROM log_segments
            """)
        let pass = ProjectionPass(projectors: schema.projectors, source: nil)
        let writer = ReadModelWriter(database: database, pass: pass, layout: layout, rebuilding: true)
        var segments = LogSegments(size: layout.segmentSize)
        let events = try replay(into: pass) { seq, at in
            segments.note(seq: seq, at: at)
            try writer.didFold(seq: seq)
        }
        try segments.write(to: database)
        try writer.flush()
        let entities = Int(try database.scalarInt64("SELECT count(*) FROM entity_states") ?? 0)
        return RebuildSummary(events: events, readModels: schema.projectors.count, entities: entities)
    }

    /// The read models now (`asOf` nil), or as of a time: the fold, in log order, of exactly the
    /// events whose `at` is at or before it.
    ///
    /// As of T, the replay starts from the latest checkpoint whose every earlier event is at or
    /// before T (its states are then the fold of events at or before T) and folds the later
    /// events at or before T, up to the end of the last log segment holding one. Either way the
    /// states come from the same fold as the stored read models.
    ///
    /// `reading` limits the answer to some projectors (and those their folds read), so an as-of
    /// replay folds only the events they need; nil means all of them.
    package func projections(asOf: Timestamp?, reading: [AnyProjector]?) throws -> ProjectionReader {
        let projectors = reading.map(schema.projectors(reading:)) ?? schema.projectors
        guard let asOf else { return ProjectionPass(projectors: projectors, source: CurrentStates(database: database)) }
        let segments = try LogSegments.load(from: database)
        guard let end = try lastSeq(holdingEventsAtOrBefore: asOf, segments: segments) else {
            return ProjectionPass(projectors: projectors, source: nil)
        }
        let lastSeq = try self.lastSeq()
        // Every event up to `settled` happened at or before `asOf`: the segments from the first
        // on whose latest event is at or before it.
        var settled: Int64 = 0
        for (position, segment) in segments.enumerated() {
            guard segment.index == Int64(position), segment.latest <= asOf else { break }
            settled = segment.index * layout.segmentSize + layout.segmentSize
        }
        let start = min(settled, lastSeq) / layout.checkpointInterval * layout.checkpointInterval
        let source = start > 0 ? CheckpointStates(database: database, checkpoint: start) : nil
        let pass = ProjectionPass(projectors: projectors, source: source)
        _ = try replay(into: pass, after: start, through: end, notAfter: asOf)
        return pass
    }

    /// The last position that can hold an event at or before `time`: the end of the last log
    /// segment whose earliest event is at or before it (nil when no event is). Replays and
    /// stream reads as of a time stop there instead of reading the rest of the log to discard it.
    func lastSeq(holdingEventsAtOrBefore time: Timestamp, segments: [LogSegments.Segment]? = nil) throws -> Int64? {
        guard let end = try (segments ?? LogSegments.load(from: database)).last(where: { $0.earliest <= time }) else { return nil }
        return min(end.index * layout.segmentSize + layout.segmentSize, try lastSeq())
    }

    /// Every stream of the log, by id.
    func storedStreams() throws -> StoredStreams {
        var streams = StoredStreams()
        let rows = try database.makeStatement("SELECT id, key FROM streams ORDER BY id")
        while try rows.step() { streams.add(StoredStream(StreamKey(rawValue: rows.text(1))), id: rows.int64(0)) }
        return streams
    }
}
