import FleetEvents
import FleetSQLite

/// How the store finds one stream's events: the index `events_by_chunk_and_stream` (migration
/// 0007) leads with the chunk of 65,536 consecutive positions an event falls in, then the stream.
///
/// Led by the stream, the index had every commit rewrite the last page of nearly every stream, as
/// appends interleave thousands of them; led by the chunk, a commit writes only the pages of the
/// chunk being filled, however long the log. The price is on the read side: one seek per chunk,
/// small next to reading the stream's events (Tools/Benchmark/HISTORY.md, item 14).
enum StreamIndex {
    /// Positions per chunk, as a power of two: the migration's `seq >> 16`.
    static let chunkShift: Int64 = 16

    /// The index's leading expression for the `seq` column `column`, spelled as a query must
    /// spell it for SQLite to use the index.
    static func chunk(of column: String) -> String { "(\(column) >> \(chunkShift))" }

    /// The chunk `seq` falls in.
    static func chunk(ofSeq seq: Int64) -> Int64 { seq >> chunkShift }

    /// A common table expression `chunks(n)` listing every chunk from the one holding `afterSeq`
    /// (bound as `parameter`) to the log's last: `(seq >> 16) IN chunks` lets a single statement
    /// seek a stream in each.
    static func chunksCTE(afterSeqParameter parameter: String) -> String {
        """
        WITH RECURSIVE chunks(n) AS (
            SELECT \(parameter) >> \(chunkShift)
            UNION ALL SELECT n + 1 FROM chunks WHERE n < (SELECT max(seq) >> \(chunkShift) FROM events))
        """
    }

    /// The events of the streams `ids` in one chunk (parameter 1) with `at` at or before
    /// parameter 2, in log order: read chunk after chunk, rows stream out with only one chunk's
    /// worth of them sorted at a time.
    static func eventsSQL(streamIDs ids: [Int64]) -> String {
        // The ids are integers the store assigned, so they are written into the statement.
        """
        SELECT seq, type, at, data, stream_id FROM events
        WHERE \(chunk(of: "seq")) = ? AND stream_id IN (\(ids.sorted().map(String.init).joined(separator: ","))) AND at <= ?
        ORDER BY seq
        """
    }

    /// The `at` of the last event of stream `?2` in chunk `?1` with `at` at or before `?3`.
    static let latestAtSQL = """
        SELECT at FROM events WHERE \(chunk(of: "seq")) = ? AND stream_id = ? AND at <= ?
        ORDER BY seq DESC LIMIT 1
        """

    /// The chunks that can hold an event at or before `notAfter` (nil: any event), first to last;
    /// nil when none can.
    static func chunks(in store: EventStore, notAfter: Timestamp?) throws -> ClosedRange<Int64>? {
        let last: Int64?
        if let notAfter {
            last = try store.lastSeq(holdingEventsAtOrBefore: notAfter)
        } else {
            last = try store.database.scalarInt64("SELECT max(seq) FROM events")
        }
        return last.map { 0...chunk(ofSeq: $0) }
    }
}
