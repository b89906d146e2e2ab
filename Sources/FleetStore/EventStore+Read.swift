import FleetEvents
import FleetSQLite

/// Which events `EventStore.events(matching:)` returns. Every filter is optional.
public struct EventQuery: Sendable, Equatable {
    /// An exact stream key, or a prefix ending in `*` (`lb/lb-web/*`).
    public var stream: String?
    /// Event type names; empty means every type.
    public var types: [String] = []
    /// Only events with `at` at or after this time.
    public var since: Timestamp?
    /// Only events with `at` at or before this time.
    public var until: Timestamp?
    /// Only events after this position.
    public var afterSeq: Int64 = 0
    public var limit: Int?

    public init(stream: String? = nil, types: [String] = [], since: Timestamp? = nil, until: Timestamp? = nil,
                afterSeq: Int64 = 0, limit: Int? = nil) {
        self.stream = stream
        self.types = types
        self.since = since
        self.until = until
        self.afterSeq = afterSeq
        self.limit = limit
    }

}

extension EventStore {
    /// Calls `body` with each event matching `query`, in log order, without holding them all in memory.
    public func events(matching query: EventQuery, _ body: (StoredEvent) throws -> Void) throws {
        // Refuse type names the store does not know, so a typo is not an empty answer.
        for name in query.types where schema.catalog[name: name] == nil {
            throw StoreError("--type \(name) is not a known event type\(didYouMean(name, among: schema.catalog.names))")
        }
        // With a stream named, the stream index is sought once per chunk of the log.
        var sql = query.stream == nil ? "" : StreamIndex.chunksCTE(afterSeqParameter: "?1") + "\n"
        sql += """
            SELECT e.seq, s.key, e.version, e.type, e.at, \(CommitRecords.recordedAtSQL), e.event_id, e.data, e.hash
            FROM events e JOIN streams s ON s.id = e.stream_id
            WHERE e.seq > ?1
            """
        if let stream = query.stream {
            sql += stream.hasSuffix("*") ? " AND substr(s.key, 1, length(?2)) = ?2" : " AND s.key = ?2"
            sql += " AND \(StreamIndex.chunk(of: "e.seq")) IN chunks"
        }
        if !query.types.isEmpty {
            let codes = query.types.compactMap { schema.catalog[name: $0]?.code }
            sql += " AND e.type IN (\(codes.map(String.init).joined(separator: ",")))"
        }
        if query.since != nil { sql += " AND e.at >= ?3" }
        if query.until != nil { sql += " AND e.at <= ?4" }
        sql += " ORDER BY e.seq"
        if query.limit != nil { sql += " LIMIT ?5" }

        let statement = try database.makeStatement(sql)
        try statement.bind(query.afterSeq, at: 1)
        if let stream = query.stream {
            try statement.bind(stream.hasSuffix("*") ? String(stream.dropLast()) : stream, at: 2)
        }
        if let since = query.since { try statement.bind(since.nanoseconds, at: 3) }
        if let until = query.until { try statement.bind(until.nanoseconds, at: 4) }
        if let limit = query.limit { try statement.bind(Int64(limit), at: 5) }
        while try statement.step() {
            try body(try storedEvent(from: statement))
        }
    }

    /// Every event matching `query`, in log order.
    public func allEvents(matching query: EventQuery = EventQuery()) throws -> [StoredEvent] {
        var events: [StoredEvent] = []
        try self.events(matching: query) { events.append($0) }
        return events
    }

    /// Reads the columns `seq, key, version, type, at, recorded_at, event_id, data, hash`.
    func storedEvent(from row: Statement) throws -> StoredEvent {
        try row.withBlob(7) { data in
            try StoredEvent(schema: schema, seq: row.int64(0), stream: row.text(1), version: row.int64(2), code: row.int64(3),
                            at: row.int64(4), recordedAt: row.int64(5), eventID: row.isNull(6) ? nil : EventID(bytes: row.blob(6)),
                            data: data, hash: row.blob(8))
        }
    }
}

extension StoredEvent {
    /// An event from a row whose data is held in an array (the PostgreSQL engine's rows).
    init(schema: StoreSchema, seq: Int64, stream: String, version: Int64, code: Int64, at: Int64, recordedAt: Int64,
         eventID: EventID?, data: [UInt8], hash: [UInt8]) throws {
        self = try data.withUnsafeBytes {
            try StoredEvent(schema: schema, seq: seq, stream: stream, version: version, code: code, at: at, recordedAt: recordedAt,
                            eventID: eventID, data: $0, hash: hash)
        }
    }

    /// An event from a row of either engine's log: its data in the store's compact form, its
    /// type by code, its times in nanoseconds.
    init(schema: StoreSchema, seq: Int64, stream: String, version: Int64, code: Int64, at: Int64, recordedAt: Int64,
         eventID: EventID?, data: UnsafeRawBufferPointer, hash: [UInt8]) throws {
        guard let type = schema.catalog[code: code] else {
            throw StoreError("seq \(seq) has event type code \(code), which this binary does not know.")
        }
        let members = try PayloadCodec.decode(type: type, stream: StreamKey(rawValue: stream), bytes: data)
        var writer = JSONWriter()
        writer.write(.object(members))
        self.init(seq: seq, stream: stream, version: version, type: type.name, at: Timestamp(nanoseconds: at),
                  recordedAt: Timestamp(nanoseconds: recordedAt), eventID: eventID, data: writer.text, hash: hash)
    }
}
