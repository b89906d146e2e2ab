import FleetEvents
import FleetProjection
import FleetSQLite

/// What became of one appended event.
enum AppendOutcome: Equatable, Sendable {
    case appended(seq: Int64)
    /// An event with the same `id` is already stored; nothing was written.
    case duplicate
    /// Older than its stream's last event, and skipped as the caller asked; nothing was written.
    case olderThanStream
}

/// Appends events inside one open write transaction, checking each stream's order and version.
///
/// Stream heads are read once per transaction and written back once at the end, so a batch
/// touches the `streams` table once per stream rather than once per event.
///
/// A value the append loop owns, so the compiler checks its exclusive use; noncopyable, since a
/// copy would share the statement and the read models while its sequence and hash chain forked.
struct LogWriter: ~Copyable {
    private struct StreamHead {
        var id: Int64
        var version: Int64
        var lastAt: Timestamp?
        var changed = false
    }

    private let database: Database
    private let recordedAt: Timestamp
    private var nextSeq: Int64
    /// The seq of the batch's first event, to know at its end whether it appended any.
    private let firstSeq: Int64
    private var previousHash: ChainHash
    /// The heads of the streams this batch has appended to, by the input's number for each stream.
    private var heads: [StreamHead?] = []
    /// The batch's recording time as the canonical line holds it.
    private let recordedAtText: [UInt8]
    /// The line being hashed, its storage reused from event to event.
    private var line: [UInt8] = []
    /// The producers' ids, for idempotent retries.
    private(set) var idIndex: EventIDIndex
    /// Prepared once per batch and kept: looking it up in the connection's cache hashed its SQL per event.
    private let insert: Statement
    private static let insertSQL = """
        INSERT INTO events (seq, stream_id, version, type, at, recorded_at, event_id, data, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// Read models, kept current in the same transaction as the events they fold.
    let readModels: ReadModelWriter
    /// The time range of each log segment this batch writes to.
    private var segments: LogSegments

    init(database: Database, recordedAt: Timestamp, readModels: ReadModelWriter, idIndex: EventIDIndex) throws {
        // What can throw comes first: a noncopyable value is initialized on one path only.
        let insert = try database.makeStatement(Self.insertSQL)
        let head = try CommitRecords.chainHead(in: database)
        self.insert = insert
        self.idIndex = idIndex
        self.database = database
        self.readModels = readModels
        segments = LogSegments(size: readModels.layout.segmentSize)
        // Milliseconds are plenty for bookkeeping and keep exported lines short.
        self.recordedAt = Timestamp(nanoseconds: recordedAt.nanoseconds / 1_000_000 * 1_000_000)
        recordedAtText = CanonicalLine.recordedAtText(self.recordedAt)
        line.reserveCapacity(512)
        nextSeq = (head?.seq ?? 0) + 1
        previousHash = ChainHash(head?.hash ?? StoredEvent.genesisHash)
        firstSeq = nextSeq
    }

    /// Appends `event`, or skips it as a duplicate of a stored `id`.
    ///
    /// Throws `InputError` when the event is older than its stream's last one (unless
    /// `skippingOlder`, which skips it) or its `expectedVersion` does not match; the caller's
    /// transaction then rolls back. `stream` numbers the event's stream among the input's (see
    /// `DecodedLine`).
    mutating func append(_ event: IncomingEvent, stream number: Int, skippingOlder: Bool = false) throws -> AppendOutcome {
        // Checked first, so a retried event is skipped even when its stream has moved on since.
        if let id = event.id, try !idIndex.record(id, seq: nextSeq) { return .duplicate }
        if number >= heads.count { heads.append(contentsOf: repeatElement(nil, count: number - heads.count + 1)) }
        var stream = try heads[number] ?? storedHead(of: event.streamKey.rawValue, firstAt: event.at)
        if let expected = event.expectedVersion, expected != stream.version {
            throw InputError.versionMismatch(expected: expected, stream: event.streamKey, version: stream.version)
        }
        if let lastAt = stream.lastAt, event.at < lastAt {
            if skippingOlder {
                if let id = event.id { idIndex.forget(id) }
                heads[number] = stream
                return .olderThanStream
            }
            throw InputError.olderThanStream(event.at, stream: event.streamKey, lastAt: lastAt)
        }
        stream.version += 1
        stream.lastAt = event.at

        let seq = nextSeq
        line.removeAll(keepingCapacity: true)
        event.canonicalLine.write(seq: seq, version: stream.version, recordedAt: recordedAtText, to: &line)
        let hash = previousHash.chained(line: line)

        try insert.bind(seq, at: 1)
        try insert.bind(stream.id, at: 2)
        try insert.bind(stream.version, at: 3)
        try insert.bind(event.type.code, at: 4)
        try insert.bind(event.at.nanoseconds, at: 5)
        // The time and the full hash are the commit's, in its row (migration 0008).
        try insert.bind(0, at: 6)
        // The blobs are bound in place, and the row written while they are: no copy of each.
        let payload = event.payloadBytes
        try insert.withBlobBound(payload.span, at: 8) {
            try hash.withBytes(prefix: CommitRecords.storedHashBytes) { hash in
                try insert.withBlobBound(hash, at: 9) {
                    guard let id = event.id else {
                        try insert.bindNull(at: 7)
                        return try insert.run()
                    }
                    try id.withBytes { id in try insert.withBlobBound(id, at: 7) { try insert.run() } }
                }
            }
        }
        stream.changed = true
        heads[number] = stream
        segments.note(seq: seq, at: event.at)

        let pass = readModels.pass
        if pass.folds(code: event.type.code) {
            try pass.apply(ProjectedEvent(seq: seq, at: event.at, stream: event.streamKey, data: event.payload, type: event.type), checking: true)
        } else {
            pass.skip(seq: seq)
        }
        try readModels.didFold(seq: seq)
        // Within the batch, not only at its end: a batch of a million ids would otherwise grow the
        // recent table into the big random index the runs exist to avoid.
        try idIndex.mergeIfFull()

        nextSeq += 1
        previousHash = hash
        return .appended(seq: seq)
    }

    /// The position of the batch's last event (or of the log's, when it appended none).
    var lastSeq: Int64 { nextSeq - 1 }

    /// Writes the changed stream heads; called once, before the transaction commits.
    mutating func finish() throws {
        let update = try database.cachedStatement("UPDATE streams SET version = ?, last_at = ? WHERE id = ?")
        for case let head? in heads where head.changed {
            try update.bind(head.version, at: 1)
            try update.bind(head.lastAt?.nanoseconds ?? 0, at: 2)
            try update.bind(head.id, at: 3)
            try update.run()
        }
        heads.removeAll()
        try idIndex.saveRecent()
        if nextSeq > firstSeq {
            try CommitRecords.record(lastSeq: nextSeq - 1, recordedAt: recordedAt, headHash: previousHash.bytes, in: database)
        }
        try segments.write(to: database)
        try readModels.flush()
    }

    /// The stream's head as the store holds it, registering the stream the first time it is seen.
    private mutating func storedHead(of key: String, firstAt: Timestamp) throws -> StreamHead {
        let select = try database.cachedStatement("SELECT id, version, last_at FROM streams WHERE key = ?")
        try select.bind(key, at: 1)
        if try select.step() {
            let head = StreamHead(id: select.int64(0), version: select.int64(1), lastAt: Timestamp(nanoseconds: select.int64(2)))
            select.reset()
            return head
        }
        select.reset()
        let insert = try database.cachedStatement("INSERT INTO streams (key, version, last_at) VALUES (?, 0, ?)")
        try insert.bind(key, at: 1)
        try insert.bind(firstAt.nanoseconds, at: 2)
        try insert.run()
        return StreamHead(id: database.lastInsertedRowID, version: 0, lastAt: nil)
    }
}

extension InputError {
    /// An event's `expectedVersion` that is not its stream's version, in either engine's words.
    static func versionMismatch(expected: Int64, stream: StreamKey, version: Int64) -> InputError {
        InputError(field: "expectedVersion", "is \(expected), but stream \"\(stream)\" is at version \(version)")
    }

    /// An event older than its stream's last one.
    static func olderThanStream(_ at: Timestamp, stream: StreamKey, lastAt: Timestamp) -> InputError {
        InputError(field: "at", "is \(at.rfc3339), which is older than the last event of stream \"\(stream)\" "
            + "(\(lastAt.rfc3339)); events of one stream must not go back in time")
    }
}
