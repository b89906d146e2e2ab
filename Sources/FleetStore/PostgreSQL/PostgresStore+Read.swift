import FleetEvents
import FleetProjection
import NIOCore
import PostgresNIO

extension PostgresStore {
    /// One row of the log as a replay reads it.
    struct LogRow {
        var seq: Int64
        var streamID: Int64
        var code: Int64
        var at: Timestamp
        var data: [UInt8]
    }

    /// Calls `body` with the log's rows after `after`, in seq order, page by page in one
    /// snapshot; only rows with `at` at or before `notAfter`, and of `streamIDs`, when given.
    func forEachRow(after: Int64 = 0, notAfter: Timestamp? = nil, streamIDs: [Int64]? = nil, _ body: (LogRow) throws -> Void) throws {
        try withSnapshot {
            var last = after
            while true {
                var binds = PostgresBindings()
                binds.append(last)
                binds.append(Int64(Self.pageSize))
                var sql = "SELECT seq, stream_id, type, at, data FROM events WHERE seq > $1"
                if let notAfter {
                    binds.append(notAfter.nanoseconds)
                    sql += " AND at <= $\(binds.count)"
                }
                if let streamIDs {
                    binds.append(streamIDs)
                    sql += " AND stream_id = ANY($\(binds.count))"
                }
                let rows = try session.query(PostgresQuery(unsafeSQL: sql + " ORDER BY seq LIMIT $2", binds: binds))
                for row in rows {
                    let (seq, stream, code, at, data) = try row.decode((Int64, Int64, Int32, Int64, ByteBuffer).self)
                    try body(LogRow(seq: seq, streamID: stream, code: Int64(code), at: Timestamp(nanoseconds: at), data: Array(data.readableBytesView)))
                    last = seq
                }
                if rows.count < Self.pageSize { return }
            }
        }
    }

    /// Every stream of the log, by id.
    func storedStreams() throws -> StoredStreams {
        var streams = StoredStreams()
        for row in try session.query("SELECT id, key FROM streams ORDER BY id") {
            let (id, key) = try row.decode((Int64, String).self)
            streams.add(StoredStream(StreamKey(rawValue: key)), id: id)
        }
        return streams
    }

    /// Folds the log's events after `after` (at or before `notAfter` when given) into `pass`, in
    /// log order; `each` follows every event fed. Returns how many were fed.
    @discardableResult
    func replay(into pass: ProjectionPass, after: Int64 = 0, notAfter: Timestamp? = nil,
                each: (_ seq: Int64, _ at: Timestamp) throws -> Void = { _, _ in }) throws -> Int {
        try withSnapshot {
            let streams = try storedStreams()
            let keys = StreamKeyInterner()
            var locations: [Int] = []
            var count = 0
            try forEachRow(after: after, notAfter: notAfter) { row in
                count += 1
                if pass.folds(code: row.code), let type = schema.catalog[code: row.code] {
                    guard let stream = streams[row.streamID] else { throw StoreError("seq \(row.seq) names stream \(row.streamID), which the log lacks.") }
                    let data = try EventStore.decodePayload(seq: row.seq, type: type, stream: stream, data: row.data, keys: keys, locations: &locations)
                    try pass.apply(ProjectedEvent(seq: row.seq, at: row.at, stream: stream.key, data: data, type: type))
                } else {
                    pass.skip(seq: row.seq)
                }
                try each(row.seq, row.at)
            }
            return count
        }
    }

    /// Now: the stored read models, read as the pass needs them. As of a time: a fold of every
    /// event at or before it, from the start of the log (this engine keeps no checkpoints yet).
    package func projections(asOf: Timestamp?, reading: [AnyProjector]?) throws -> ProjectionReader {
        let projectors = reading.map(schema.projectors(reading:)) ?? schema.projectors
        guard let asOf else { return ProjectionPass(projectors: projectors, source: PostgresStates(session: session, preloading: false)) }
        let pass = ProjectionPass(projectors: projectors, source: nil)
        try replay(into: pass, notAfter: asOf)
        return pass
    }

    package func replay(
        _ selection: StreamSelection, reading: [AnyProjector], notAfter: Timestamp?,
        each: (ProjectedEvent, ProjectionReader) throws -> Void
    ) throws {
        try withSnapshot {
            let pass = ProjectionPass(projectors: schema.projectors(reading: reading), source: nil)
            var selected: [Int64: StoredStream] = [:]
            for row in try session.query("SELECT id, key FROM streams WHERE key = ANY(\(selection.keys.map(\.rawValue)))") {
                let (id, key) = try row.decode((Int64, String).self)
                selected[id] = StoredStream(StreamKey(rawValue: key))
            }
            for range in selection.ranges {
                let prefix = range.prefix, upper = range.upperBound
                for row in try session.query("SELECT id, key FROM streams WHERE key >= \(prefix) AND key < \(upper)") {
                    let (id, key) = try row.decode((Int64, String).self)
                    selected[id] = StoredStream(StreamKey(rawValue: key))
                }
            }
            guard !selected.isEmpty else { return }
            let keys = StreamKeyInterner()
            var locations: [Int] = []
            try forEachRow(notAfter: notAfter, streamIDs: Array(selected.keys)) { row in
                guard pass.folds(code: row.code), let type = schema.catalog[code: row.code], let stream = selected[row.streamID] else { return }
                let data = try EventStore.decodePayload(seq: row.seq, type: type, stream: stream, data: row.data, keys: keys, locations: &locations)
                let event = ProjectedEvent(seq: row.seq, at: row.at, stream: stream.key, data: data, type: type)
                try pass.apply(event)
                try each(event, pass)
            }
        }
    }

    public func events(matching query: EventQuery, _ body: (StoredEvent) throws -> Void) throws {
        for name in query.types where schema.catalog[name: name] == nil {
            throw StoreError("--type \(name) is not a known event type\(didYouMean(name, among: schema.catalog.names))")
        }
        try withSnapshot {
            var after = query.afterSeq
            var left = query.limit ?? .max
            while left > 0 {
                var binds = PostgresBindings()
                binds.append(after)
                binds.append(Int64(min(left, Self.pageSize)))
                var sql = """
                    SELECT e.seq, s.key, e.version, e.type, e.at, e.recorded_at, e.event_id, e.data, e.hash
                    FROM events e JOIN streams s ON s.id = e.stream_id WHERE e.seq > $1
                    """
                if let stream = query.stream {
                    binds.append(stream.hasSuffix("*") ? String(stream.dropLast()) : stream)
                    sql += stream.hasSuffix("*") ? " AND starts_with(s.key, $\(binds.count))" : " AND s.key = $\(binds.count)"
                }
                if !query.types.isEmpty {
                    binds.append(query.types.compactMap { schema.catalog[name: $0].map { Int32($0.code) } })
                    sql += " AND e.type = ANY($\(binds.count))"
                }
                if let since = query.since {
                    binds.append(since.nanoseconds)
                    sql += " AND e.at >= $\(binds.count)"
                }
                if let until = query.until {
                    binds.append(until.nanoseconds)
                    sql += " AND e.at <= $\(binds.count)"
                }
                let rows = try session.query(PostgresQuery(unsafeSQL: sql + " ORDER BY e.seq LIMIT $2", binds: binds))
                for row in rows {
                    let (seq, key, version, code, at, recordedAt, id, data, hash) =
                        try row.decode((Int64, String, Int64, Int32, Int64, Int64, ByteBuffer?, ByteBuffer, ByteBuffer).self)
                    let event = try StoredEvent(schema: schema, seq: seq, stream: key, version: version, code: Int64(code), at: at, recordedAt: recordedAt,
                                                eventID: id.map { EventID(bytes: Array($0.readableBytesView)) }, data: Array(data.readableBytesView),
                                                hash: Array(hash.readableBytesView))
                    try body(event)
                    after = seq
                }
                left -= rows.count
                if rows.count < Self.pageSize { return }
            }
        }
    }

    package func newestEventTime() throws -> Timestamp? {
        try session.scalarInt64("SELECT max(last_at) FROM streams").map(Timestamp.init(nanoseconds:))
    }

    package func newestEventTimes(of keys: [StreamKey], notAfter: Timestamp?) throws -> [StreamKey: Timestamp] {
        var times: [StreamKey: Timestamp] = [:]
        let names = keys.map(\.rawValue), limit = notAfter?.nanoseconds ?? .max
        // `at` never goes back within a stream, so its newest event up to a time is its last one at or before it.
        let rows = try session.query("""
            SELECT s.key, (SELECT e.at FROM events e WHERE e.stream_id = s.id AND e.at <= \(limit) ORDER BY e.version DESC LIMIT 1)
            FROM streams s WHERE s.key = ANY(\(names))
            """)
        for row in rows {
            let (key, at) = try row.decode((String, Int64?).self)
            if let at { times[StreamKey(rawValue: key)] = Timestamp(nanoseconds: at) }
        }
        return times
    }

    package func newestEventTimeByStreamKind() throws -> [String: Timestamp] {
        var times: [String: Timestamp] = [:]
        for row in try session.query("SELECT split_part(key, '/', 1), max(last_at) FROM streams GROUP BY 1") {
            let (kind, at) = try row.decode((String, Int64).self)
            times[kind] = Timestamp(nanoseconds: at)
        }
        return times
    }

    package func statistics() throws -> StoreStatistics {
        try withSnapshot {
            var types: [StoreStatistics.TypeCount] = []
            for row in try session.query("SELECT type, count(*), min(at), max(at) FROM events GROUP BY type ORDER BY type") {
                let (code, count, first, last) = try row.decode((Int32, Int64, Int64, Int64).self)
                guard let type = schema.catalog[code: Int64(code)] else { continue }
                types.append(.init(type: type, events: Int(count), first: Timestamp(nanoseconds: first), last: Timestamp(nanoseconds: last)))
            }
            var streams: [String: Int] = [:]
            for row in try session.query("SELECT split_part(key, '/', 1), count(*) FROM streams GROUP BY 1") {
                let (kind, count) = try row.decode((String, Int64).self)
                streams[kind] = Int(count)
            }
            var entities: [String: Int] = [:]
            for row in try session.query("SELECT projector, count(*) FROM entity_states GROUP BY projector") {
                let (projector, count) = try row.decode((String, Int64).self)
                entities[projector] = Int(count)
            }
            return StoreStatistics(
                events: types.reduce(0) { $0 + $1.events }, first: types.map(\.first).min(), last: types.map(\.last).max(),
                types: types, streamsByKind: streams, entitiesByProjector: entities, fileBytes: try sizeInBytes(), walBytes: 0)
        }
    }

    /// The database's size on the server.
    package func sizeInBytes() throws -> Int64 {
        try session.scalarInt64("SELECT pg_database_size(current_database())") ?? 0
    }
}

/// A PostgreSQL store's current read models as a pass's source: read entity by entity as a query
/// asks (`preloading` false), or each projector's whole table at its first use, for a writer's
/// batch, which meets many entities and would otherwise pay a round trip for each.
final class PostgresStates: StateSource {
    private let session: PostgresSession
    private let preloading: Bool
    private var loaded: [String: [StreamKey: StoredState]] = [:]

    init(session: PostgresSession, preloading: Bool) {
        self.session = session
        self.preloading = preloading
    }

    func storedState(projector: String, entity: StreamKey) throws -> StoredState? {
        if preloading { return try all(of: projector)[entity] }
        let key = entity.rawValue
        guard let row = try session.query("SELECT seq, state FROM entity_states WHERE projector = \(projector) AND entity = \(key)").first else { return nil }
        let (seq, state) = try row.decode((Int64, String).self)
        return StoredState(seq: seq, state: state)
    }

    func storedStates(projector: String, in range: StreamKeyRange) throws -> [(key: StreamKey, stored: StoredState)] {
        if preloading {
            return try all(of: projector).filter { range.contains($0.key) }.sorted { Array($0.key.rawValue.utf8).lexicographicallyPrecedes($1.key.rawValue.utf8) }
                .map { ($0.key, $0.value) }
        }
        let prefix = range.prefix, upper = range.upperBound
        return try session.query("""
            SELECT entity, seq, state FROM entity_states WHERE projector = \(projector) AND entity >= \(prefix) AND entity < \(upper) ORDER BY entity
            """).map { row in
            let (entity, seq, state) = try row.decode((String, Int64, String).self)
            return (StreamKey(rawValue: entity), StoredState(seq: seq, state: state))
        }
    }

    private func all(of projector: String) throws -> [StreamKey: StoredState] {
        if let states = loaded[projector] { return states }
        var states: [StreamKey: StoredState] = [:]
        for row in try session.query("SELECT entity, seq, state FROM entity_states WHERE projector = \(projector)") {
            let (entity, seq, state) = try row.decode((String, Int64, String).self)
            states[StreamKey(rawValue: entity)] = StoredState(seq: seq, state: state)
        }
        loaded[projector] = states
        return states
    }
}
