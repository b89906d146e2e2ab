import Dispatch
import FleetEvents
import FleetProjection
import FleetSQLite

/// Where a store's read-model checkpoints and log segments fall.
struct ReadModelLayout: Sendable {
    /// Events between two checkpoints: an as-of query folds at most this many events after one,
    /// and each checkpoint encodes every entity changed since the last, so closer checkpoints slow
    /// a rebuild (Tools/Benchmark/HISTORY.md, "Earlier single runs").
    var checkpointInterval: Int64 = 131_072
    /// Positions per log segment (see `LogSegments`).
    var segmentSize: Int64 = 4_096
}

/// Writes a pass's states to the read models in the open transaction, and keeps a checkpoint of
/// them every `checkpointInterval` events, for as-of queries.
///
/// A checkpoint at seq S holds, for every entity folded by an event in (S - interval, S], its
/// state as of S. An entity's state as of S is therefore its row at the greatest checkpoint at
/// or before S. Append and rebuild write checkpoints here, at the same positions, so a rebuilt
/// store holds exactly the rows an appended one does.
///
/// A checkpoint's states are encoded on another thread while the pass folds on, and written at
/// the next checkpoint or flush, whichever comes first: encoded where they were taken, they held
/// up the thread that bounds a rebuild or an append while the decoding thread waited for rows
/// (Tools/Benchmark/HISTORY.md, item 25). Nothing reads the read models in between: the pass
/// holds every entity it changed, and a transaction's flush writes the checkpoint before its own
/// states.
///
/// A rebuild (`rebuilding`) starts from empty read models and flushes once, at its end: each
/// checkpoint then holds exactly the states the pass changed since the one before, so they are
/// inserted as they are, and the current states are inserted once, at the end, rather than
/// upserted at every checkpoint and copied back out of the table: the same rows for less work
/// (Tools/Benchmark/HISTORY.md, item 25).
final class ReadModelWriter {
    private let database: Database
    let pass: ProjectionPass
    let layout: ReadModelLayout
    private let rebuilding: Bool
    private var interval: Int64 { layout.checkpointInterval }
    /// The checkpoint taken and not yet written: its position, and its states being encoded.
    private var pending: (checkpoint: Int64, states: StateEncoding)?

    init(database: Database, pass: ProjectionPass, layout: ReadModelLayout, rebuilding: Bool = false) {
        self.database = database
        self.pass = pass
        self.layout = layout
        self.rebuilding = rebuilding
    }

    /// Called after each event: at every multiple of the interval, writes a checkpoint.
    func didFold(seq: Int64) throws {
        guard seq % interval == 0 else { return }
        try writePendingCheckpoint()
        pending = (seq, StateEncoding(pass.takeChangedStates()))
    }

    /// Writes every changed state (a pending checkpoint first), and moves each projector's
    /// checkpoint to the last event seen.
    func flush() throws {
        try writePendingCheckpoint()
        // Every state the rebuild folded, once: it wrote none before (see the type's comment).
        // Encoded on both cores: the rebuild's decoding thread has ended by now, and encoding
        // every state on this thread alone would leave the other core idle
        // (Tools/Benchmark/HISTORY.md, item 29).
        let changes = rebuilding ? try StateEncoding.encodeOnBothCores(pass.pendingStates(foldedAfter: 0)) : try pass.takeChanges()
        try write(changes, foldedThrough: pass.lastSeq)
    }

    /// Writes the pending checkpoint's states to the read models, then copies into the
    /// checkpoint every state folded since the one before.
    private func writePendingCheckpoint() throws {
        guard let (seq, states) = pending else { return }
        pending = nil
        if rebuilding {
            let insert = try database.cachedStatement(
                "INSERT INTO checkpoint_states (projector, entity, checkpoint, state) VALUES (?, ?, ?, ?)")
            try run(insert, for: try states.wait(), position: seq)
            return
        }
        try write(try states.wait(), foldedThrough: seq)
        let copy = try database.cachedStatement("""
            INSERT INTO checkpoint_states (projector, entity, checkpoint, state)
            SELECT projector, entity, ?1, state FROM entity_states WHERE seq > ?1 - ?2
            """)
        try copy.bind(seq, at: 1)
        try copy.bind(interval, at: 2)
        try copy.run()
    }

    private func write(_ changes: [StateChange], foldedThrough lastSeq: Int64?) throws {
        let upsert = try database.cachedStatement("""
            INSERT INTO entity_states (projector, entity, seq, state) VALUES (?, ?, ?, ?)
            ON CONFLICT (projector, entity) DO UPDATE SET seq = excluded.seq, state = excluded.state
            """)
        try run(upsert, for: changes)
        guard let lastSeq else { return }
        let checkpoint = try database.cachedStatement("""
            INSERT INTO projection_checkpoints (projector, seq) VALUES (?, ?)
            ON CONFLICT (projector) DO UPDATE SET seq = excluded.seq
            """)
        for name in pass.projectorNames {
            try checkpoint.bind(name, at: 1)
            try checkpoint.bind(lastSeq, at: 2)
            try checkpoint.run()
        }
    }
}

extension ReadModelWriter {
    /// Runs `statement` once per change, bound to its projector, entity, position (the change's
    /// own seq, or a checkpoint's `position`) and state.
    fileprivate func run(_ statement: Statement, for changes: [StateChange], position: Int64? = nil) throws {
        for change in changes {
            try statement.bind(change.projector, at: 1)
            try statement.bind(change.entity.rawValue, at: 2)
            try statement.bind(position ?? change.seq, at: 3)
            try statement.bind(change.state, at: 4)
            try statement.run()
        }
    }
}

/// States being encoded on another thread: a checkpoint's, or half of a rebuild's final states.
final class StateEncoding: @unchecked Sendable {
    // Written once on the encoding thread before `done` is signalled, read after waiting for it.
    private var result: Result<[StateChange], any Error> = .success([])
    private let done = DispatchSemaphore(value: 0)

    init(_ states: [PendingStateChange]) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = Result { try states.map { try $0.encoded() } }
            done.signal()
        }
    }

    /// `states` encoded, every other one on another thread: the rows at even positions, then
    /// those at odd ones. Alternate, not in halves, since states of one projector lie together
    /// and differ in size from the others' by a hundredfold (a session host's and a probe's).
    static func encodeOnBothCores(_ states: [PendingStateChange]) throws -> [StateChange] {
        let odd = StateEncoding(stride(from: 1, to: states.count, by: 2).map { states[$0] })
        let even = try stride(from: 0, to: states.count, by: 2).map { try states[$0].encoded() }
        return even + (try odd.wait())
    }

    func wait() throws -> [StateChange] {
        done.wait()
        return try result.get()
    }
}

/// The store's current read models, as a pass's source.
final class CurrentStates: StateSource {
    private let database: Database

    init(database: Database) { self.database = database }

    func storedState(projector: String, entity: StreamKey) throws -> StoredState? {
        let select = try database.cachedStatement("SELECT seq, state FROM entity_states WHERE projector = ? AND entity = ?")
        defer { select.reset() }
        try select.bind(projector, at: 1)
        try select.bind(entity.rawValue, at: 2)
        return try select.step() ? StoredState(seq: select.int64(0), state: select.text(1)) : nil
    }

    func storedStates(projector: String, in range: StreamKeyRange) throws -> [(key: StreamKey, stored: StoredState)] {
        let select = try database.cachedStatement(
            "SELECT entity, seq, state FROM entity_states WHERE projector = ? AND entity >= ? AND entity < ?")
        defer { select.reset() }
        try select.bind(projector, at: 1)
        try select.bind(range.prefix, at: 2)
        try select.bind(range.upperBound, at: 3)
        var rows: [(StreamKey, StoredState)] = []
        while try select.step() {
            rows.append((StreamKey(rawValue: select.text(0)), StoredState(seq: select.int64(1), state: select.text(2))))
        }
        return rows
    }
}

/// The read models as they stood at one checkpoint, as the source of an as-of replay.
final class CheckpointStates: StateSource {
    private let database: Database
    private let checkpoint: Int64

    init(database: Database, checkpoint: Int64) {
        self.database = database
        self.checkpoint = checkpoint
    }

    func storedState(projector: String, entity: StreamKey) throws -> StoredState? {
        let select = try database.cachedStatement("""
            SELECT checkpoint, state FROM checkpoint_states
            WHERE projector = ? AND entity = ? AND checkpoint <= ? ORDER BY checkpoint DESC LIMIT 1
            """)
        defer { select.reset() }
        try select.bind(projector, at: 1)
        try select.bind(entity.rawValue, at: 2)
        try select.bind(checkpoint, at: 3)
        return try select.step() ? StoredState(seq: select.int64(0), state: select.text(1)) : nil
    }

    func storedStates(projector: String, in range: StreamKeyRange) throws -> [(key: StreamKey, stored: StoredState)] {
        // Each entity's latest checkpoint found in the index alone, then only those rows read:
        // asked of each row in the range with a correlated max(), SQLite read the row of every
        // checkpoint of every entity before testing it (Tools/Benchmark/HISTORY.md, item 32).
        let select = try database.cachedStatement("""
            SELECT latest.entity, latest.checkpoint, c.state FROM (
                SELECT entity, max(checkpoint) AS checkpoint FROM checkpoint_states
                WHERE projector = ?1 AND entity >= ?2 AND entity < ?3 AND checkpoint <= ?4
                GROUP BY entity
            ) AS latest
            JOIN checkpoint_states c ON c.checkpoint = latest.checkpoint AND c.projector = ?1 AND c.entity = latest.entity
            ORDER BY latest.entity
            """)
        defer { select.reset() }
        try select.bind(projector, at: 1)
        try select.bind(range.prefix, at: 2)
        try select.bind(range.upperBound, at: 3)
        try select.bind(checkpoint, at: 4)
        var rows: [(StreamKey, StoredState)] = []
        while try select.step() {
            rows.append((StreamKey(rawValue: select.text(0)), StoredState(seq: select.int64(1), state: select.text(2))))
        }
        return rows
    }
}
