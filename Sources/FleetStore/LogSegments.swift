import FleetEvents
import FleetSQLite

/// The time range of each block of `size` consecutive positions of the log (4,096 in a store).
///
/// Time order is kept per stream only, so an event with an early `at` may be appended long after
/// later ones. An as-of query uses the ranges to know where the events at or before its time
/// end (after the last segment whose earliest `at` is at or before it) and which checkpoint it
/// can start from (one whose every earlier event is at or before it), without an index on `at`.
struct LogSegments {
    /// One segment's index and range.
    struct Segment: Equatable {
        var index: Int64
        var earliest: Timestamp
        var latest: Timestamp
    }

    let size: Int64
    /// Every segment noted, but the one being filled.
    private var finished: [Int64: Segment] = [:]
    /// Events arrive in log order, so all but the first of a segment's notes land here.
    private var current: Segment?

    init(size: Int64) { self.size = size }

    /// Every segment noted so far, by index.
    var segments: [Int64: Segment] {
        var all = finished
        if let current { all[current.index] = current }
        return all
    }

    /// The first and last position `segment` covers.
    func positions(of segment: Segment) -> ClosedRange<Int64> { segment.index * size + 1...(segment.index + 1) * size }

    mutating func note(seq: Int64, at: Timestamp) {
        let index = (seq - 1) / size
        if current?.index == index {
            current!.earliest = min(current!.earliest, at)
            current!.latest = max(current!.latest, at)
            return
        }
        if let current { finished[current.index] = current }
        current = Segment(index: index, earliest: at, latest: at)
    }

    /// Merges this batch's ranges into the stored ones.
    mutating func write(to database: Database) throws {
        let upsert = try database.cachedStatement("""
            INSERT INTO log_segments (segment, min_at, max_at) VALUES (?, ?, ?)
            ON CONFLICT (segment) DO UPDATE SET min_at = min(min_at, excluded.min_at), max_at = max(max_at, excluded.max_at)
            """)
        for segment in segments.values {
            try upsert.bind(segment.index, at: 1)
            try upsert.bind(segment.earliest.nanoseconds, at: 2)
            try upsert.bind(segment.latest.nanoseconds, at: 3)
            try upsert.run()
        }
        finished.removeAll()
        current = nil
    }

    /// Every stored segment, in log order.
    static func load(from database: Database) throws -> [Segment] {
        let rows = try database.cachedStatement("SELECT segment, min_at, max_at FROM log_segments ORDER BY segment")
        defer { rows.reset() }
        var result: [Segment] = []
        while try rows.step() {
            result.append(Segment(index: rows.int64(0), earliest: Timestamp(nanoseconds: rows.int64(1)),
                                  latest: Timestamp(nanoseconds: rows.int64(2))))
        }
        return result
    }
}
