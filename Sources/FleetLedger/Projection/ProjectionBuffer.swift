import FleetSQLite

/// One projector's states during one pass over events: an append transaction, a rebuild, or
/// verify's replay in memory.
///
/// States are read from the store once per entity and written back once per pass, so a batch
/// costs one row write per touched entity, not one per event.
protocol ProjectionBuffer: AnyObject {
    /// Folds `event` into its entity's state.
    func apply(_ event: ProjectedEvent, streamID: Int64) throws
    /// Writes every changed state to the store (a no-op for an in-memory replay).
    func flush() throws
    /// The JSON of every state folded so far, by stream id, with the version it reflects.
    func encodedStates() throws -> [Int64: (version: Int64, state: String)]
    /// For an in-memory replay: the snapshots the store should hold, by stream id and version.
    var snapshots: [SnapshotKey: String] { get }
}

/// Identifies one snapshot row.
struct SnapshotKey: Hashable, Sendable {
    var streamID: Int64
    var version: Int64
}

final class TypedProjectionBuffer<P: Projector>: ProjectionBuffer {
    private struct Entry {
        var version: Int64
        var state: P.State
        var changed: Bool
    }

    /// Nil for an in-memory replay that neither reads nor writes the store.
    private let database: Database?
    private var entries: [Int64: Entry] = [:]
    private(set) var snapshots: [SnapshotKey: String] = [:]

    init(database: Database?) {
        self.database = database
    }

    func apply(_ event: ProjectedEvent, streamID: Int64) throws {
        let previous = try entry(for: streamID)
        let state = P.fold(previous?.state, event)
        entries[streamID] = Entry(version: event.version, state: state, changed: true)
        // Snapshot when this event crosses a multiple of the interval, so a stream gets one per
        // interval even when the projector skips the event that lands exactly on it.
        let interval = Projectors.snapshotInterval
        if event.version / interval > (previous?.version ?? 0) / interval {
            try writeSnapshot(streamID: streamID, version: event.version, at: event.at, state: state)
        }
    }

    func flush() throws {
        guard let database else { return }
        let upsert = try database.cachedStatement("""
            INSERT INTO projections (projector, stream_id, version, state) VALUES (?, ?, ?, ?)
            ON CONFLICT (projector, stream_id) DO UPDATE SET version = excluded.version, state = excluded.state
            """)
        for (streamID, entry) in entries where entry.changed {
            try upsert.bind(P.name, at: 1)
            try upsert.bind(streamID, at: 2)
            try upsert.bind(entry.version, at: 3)
            try upsert.bind(try StateCoding.encode(entry.state), at: 4)
            try upsert.run()
            entries[streamID]?.changed = false
        }
    }

    func encodedStates() throws -> [Int64: (version: Int64, state: String)] {
        try entries.mapValues { (version: $0.version, state: try StateCoding.encode($0.state)) }
    }

    private func entry(for streamID: Int64) throws -> Entry? {
        if let cached = entries[streamID] { return cached }
        guard let database else { return nil }
        let select = try database.cachedStatement("SELECT version, state FROM projections WHERE projector = ? AND stream_id = ?")
        defer { select.reset() }
        try select.bind(P.name, at: 1)
        try select.bind(streamID, at: 2)
        guard try select.step() else { return nil }
        return Entry(version: select.int64(0), state: try StateCoding.decode(P.State.self, from: select.text(1)), changed: false)
    }

    private func writeSnapshot(streamID: Int64, version: Int64, at: Timestamp, state: P.State) throws {
        let encoded = try StateCoding.encode(state)
        guard let database else {
            snapshots[SnapshotKey(streamID: streamID, version: version)] = encoded
            return
        }
        let insert = try database.cachedStatement("""
            INSERT OR REPLACE INTO projection_snapshots (projector, stream_id, version, at, state) VALUES (?, ?, ?, ?, ?)
            """)
        try insert.bind(P.name, at: 1)
        try insert.bind(streamID, at: 2)
        try insert.bind(version, at: 3)
        try insert.bind(at.nanoseconds, at: 4)
        try insert.bind(encoded, at: 5)
        try insert.run()
    }
}

/// Every projector's buffer for one pass, fed each event in log order.
final class ProjectionPass {
    private let buffers: [(projector: AnyProjector, buffer: any ProjectionBuffer)]
    private let database: Database?
    private(set) var lastSeq: Int64?

    /// A pass that reads and writes the store's read models (`database`), or replays in memory (nil).
    init(database: Database?) {
        self.database = database
        buffers = Projectors.all.map { ($0, $0.makeBuffer(database)) }
    }

    /// Whether any projector folds events of `type`: others need not be decoded for a pass.
    static func needs(_ type: EventType) -> Bool {
        Projectors.all.contains { $0.folds(type) }
    }

    func apply(_ event: ProjectedEvent, type: EventType, streamID: Int64) throws {
        for (projector, buffer) in buffers where projector.folds(type) {
            try buffer.apply(event, streamID: streamID)
        }
        lastSeq = event.seq
    }

    /// Marks an event as seen by every projector even though none folds it.
    func skip(seq: Int64) { lastSeq = seq }

    /// Writes the changed states and moves every projector's checkpoint to the last event seen.
    func flush() throws {
        guard let database else { return }
        for (_, buffer) in buffers { try buffer.flush() }
        guard let lastSeq else { return }
        let checkpoint = try database.cachedStatement("""
            INSERT INTO projection_checkpoints (projector, seq) VALUES (?, ?)
            ON CONFLICT (projector) DO UPDATE SET seq = excluded.seq
            """)
        for (projector, _) in buffers {
            try checkpoint.bind(projector.name, at: 1)
            try checkpoint.bind(lastSeq, at: 2)
            try checkpoint.run()
        }
    }

    /// The buffer of the projector named `name`.
    func buffer(named name: String) -> (any ProjectionBuffer)? {
        buffers.first { $0.projector.name == name }?.buffer
    }
}
