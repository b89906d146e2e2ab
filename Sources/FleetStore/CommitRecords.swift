import FleetEvents
import FleetSQLite

/// The commit records of migration 0008: one row per committed transaction with its events'
/// `recordedAt` and the full chain hash of its last event, so that the events themselves keep
/// neither (their `recorded_at` is 0 and their `hash` its first `storedHashBytes` bytes).
/// Events appended before that migration keep both, and everything here reads either form.
enum CommitRecords {
    /// How much of each event's chain hash its row keeps: enough for `verify` to name the event
    /// that no longer matches; the chain runs over the full hashes, anchored at every commit.
    static let storedHashBytes = 8

    /// Whether `stored`, an event's stored hash in either form, is the start of (or all of) `full`.
    static func storedHash(_ stored: [UInt8], matches full: [UInt8]) -> Bool {
        guard stored.count == full.count || stored.count == storedHashBytes else { return false }
        return stored.elementsEqual(full.prefix(stored.count))
    }

    /// The `recordedAt` of the row `e` of `events`, in SQL: its own column, or, when that is 0 (every
    /// event appended since migration 0008), that of the commit that appended it.
    static let recordedAtSQL = """
        CASE e.recorded_at WHEN 0 THEN (SELECT c.recorded_at FROM commits c WHERE c.last_seq >= e.seq ORDER BY c.last_seq LIMIT 1)
        ELSE e.recorded_at END
        """

    /// The log's last event and its full chain hash, which the next event chains from: from the
    /// event's row when it keeps the whole hash, otherwise from its commit's row. Nil for an empty log.
    static func chainHead(in database: Database) throws -> (seq: Int64, hash: [UInt8])? {
        let head = try database.cachedStatement("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        defer { head.reset() }
        guard try head.step() else { return nil }
        let seq = head.int64(0), stored = head.blob(1)
        if stored.count == StoredEvent.genesisHash.count { return (seq, stored) }
        let anchor = try database.cachedStatement("SELECT head_hash FROM commits WHERE last_seq = ?")
        defer { anchor.reset() }
        try anchor.bind(seq, at: 1)
        guard try anchor.step() else {
            throw StoreError("The log's last event, seq \(seq), has no commit record holding its full hash, so no event can be chained after it; run `fleetledger verify`.")
        }
        let full = anchor.blob(0)
        guard full.count == StoredEvent.genesisHash.count else {
            throw StoreError("The commit record of seq \(seq) holds a hash of \(full.count) bytes, not \(StoredEvent.genesisHash.count), so no event can be chained after it; run `fleetledger verify`.")
        }
        return (seq, full)
    }

    /// Records a transaction that appended events up to `lastSeq`; called before it commits.
    static func record(lastSeq: Int64, recordedAt: Timestamp, headHash: [UInt8], in database: Database) throws {
        let insert = try database.cachedStatement("INSERT INTO commits (last_seq, recorded_at, head_hash) VALUES (?, ?, ?)")
        try insert.bind(lastSeq, at: 1)
        try insert.bind(recordedAt.nanoseconds, at: 2)
        try insert.bind(headHash, at: 3)
        try insert.run()
    }
}

/// The commits' records in seq order, read as the events are: the full chain hash each commit
/// recorded for its last event.
final class CommitAnchors {
    private let rows: Statement
    private var next: (seq: Int64, hash: [UInt8])?
    /// Whether the last seq asked about had a record.
    private(set) var anchoredLast = false

    init(_ database: Database) throws {
        rows = try database.makeStatement("SELECT last_seq, head_hash FROM commits ORDER BY last_seq")
        try advance()
    }

    private func advance() throws {
        next = try rows.step() ? (rows.int64(0), rows.blob(1)) : nil
    }

    /// The hash recorded for `seq`, if a commit ended there; asked in increasing `seq` order.
    func hash(at seq: Int64) throws -> [UInt8]? {
        // Records of seqs the log no longer holds are passed over: the gap is reported by itself.
        while let record = next, record.seq < seq { try advance() }
        anchoredLast = next?.seq == seq
        guard let record = next, record.seq == seq else { return nil }
        try advance()
        return record.hash
    }

    /// The first record after `seq`, the log's last event: events were cut after it.
    func first(after seq: Int64) throws -> Int64? {
        while let record = next, record.seq <= seq { try advance() }
        return next?.seq
    }
}
