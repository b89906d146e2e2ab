import FleetSQLite

extension ProjectedEvent {
    /// Decodes a stored event's data back into its typed payload.
    static func decode(seq: Int64, version: Int64, type: EventType, at: Timestamp, stream: String, data: UnsafeRawBufferPointer) throws -> ProjectedEvent {
        let members = try PayloadCodec.decode(type: type, stream: stream, bytes: data)
        let payload: EventPayload
        do {
            payload = try EventPayload(type: type, data: members)
        } catch {
            throw StoreError("seq \(seq) holds data this binary cannot read: \(error).")
        }
        return ProjectedEvent(seq: seq, version: version, at: at, payload: payload)
    }
}

/// What `rebuild` did.
public struct RebuildSummary: Sendable, Equatable {
    public var events: Int
    public var readModels: Int
    public var entities: Int
}

extension EventStore {
    /// Feeds every stored event after `afterSeq` to `pass`, in log order.
    func replay(into pass: ProjectionPass, afterSeq: Int64 = 0) throws -> Int {
        let keys = try streamKeys()
        let rows = try database.makeStatement(
            "SELECT seq, version, type, at, data, stream_id FROM events WHERE seq > ? ORDER BY seq")
        try rows.bind(afterSeq, at: 1)
        var count = 0
        while try rows.step() {
            count += 1
            let seq = rows.int64(0)
            guard let type = EventType(code: rows.int64(2)), ProjectionPass.needs(type) else {
                pass.skip(seq: seq)
                continue
            }
            let streamID = rows.int64(5)
            let event = try rows.withBlob(4) {
                try ProjectedEvent.decode(
                    seq: seq, version: rows.int64(1), type: type, at: Timestamp(nanoseconds: rows.int64(3)),
                    stream: keys[streamID] ?? "", data: $0)
            }
            try pass.apply(event, type: type, streamID: streamID)
        }
        return count
    }

    /// Folds the events a projector has not seen yet: after a migration adds a read model to a
    /// store that already holds events, or if a checkpoint was left behind.
    func catchUpProjections() throws {
        let lastSeq = try self.lastSeq()
        guard lastSeq > 0 else { return }
        let behind = try Projectors.all.contains { try checkpoint(of: $0.name) < lastSeq }
        guard behind else { return }
        _ = try database.transaction(.immediate) {
            // Projectors share one pass, so they start from the oldest checkpoint; a rebuild is
            // the simple way to bring them all to the same, fully replayed state.
            try rebuildInTransaction()
        }
    }

    func checkpoint(of projector: String) throws -> Int64 {
        let select = try database.cachedStatement("SELECT seq FROM projection_checkpoints WHERE projector = ?")
        defer { select.reset() }
        try select.bind(projector, at: 1)
        return try select.step() ? select.int64(0) : 0
    }

    /// Drops every read model and snapshot and folds the whole log again, in one transaction.
    @discardableResult
    public func rebuild() throws -> RebuildSummary {
        try database.transaction(.immediate) { try rebuildInTransaction() }
    }

    private func rebuildInTransaction() throws -> RebuildSummary {
        forgetWarmProjections()
        try database.execute("DELETE FROM projections; DELETE FROM projection_snapshots; DELETE FROM projection_checkpoints")
        let pass = ProjectionPass(database: database)
        let events = try replay(into: pass)
        try pass.flush()
        let entities = Int(try database.scalarInt64("SELECT count(*) FROM projections") ?? 0)
        return RebuildSummary(events: events, readModels: Projectors.all.count, entities: entities)
    }

    /// Replays the log in memory and compares the result with every stored read model and
    /// snapshot; returns one sentence per difference.
    func verifyProjections() throws -> [String] {
        var problems: [String] = []
        let lastSeq = try self.lastSeq()
        for projector in Projectors.all {
            let checkpoint = try self.checkpoint(of: projector.name)
            if checkpoint != lastSeq {
                problems.append("Read model \(projector.name) has folded the log up to seq \(checkpoint), but the log ends at seq \(lastSeq).")
            }
        }
        let pass = ProjectionPass(database: nil)
        _ = try replay(into: pass)
        let keys = try streamKeys()
        for projector in Projectors.all {
            guard let buffer = pass.buffer(named: projector.name) else { continue }
            var expected = try buffer.encodedStates()
            let rows = try database.makeStatement("SELECT stream_id, version, state FROM projections WHERE projector = ? ORDER BY stream_id")
            try rows.bind(projector.name, at: 1)
            while try rows.step() {
                let streamID = rows.int64(0)
                let entity = keys[streamID] ?? "stream id \(streamID)"
                guard let fresh = expected.removeValue(forKey: streamID) else {
                    problems.append("Read model \(projector.name) holds a row for \(entity), which a replay of the log does not produce.")
                    continue
                }
                if fresh.version != rows.int64(1) || fresh.state != rows.text(2) {
                    problems.append("Read model \(projector.name) differs from a replay of the log for \(entity): stored \(rows.text(2)), replayed \(fresh.state).")
                }
            }
            for streamID in expected.keys.sorted() {
                problems.append("Read model \(projector.name) is missing the row for \(keys[streamID] ?? "stream id \(streamID)") that a replay of the log produces.")
            }
            var expectedSnapshots = buffer.snapshots
            let snapshots = try database.makeStatement(
                "SELECT stream_id, version, state FROM projection_snapshots WHERE projector = ? ORDER BY stream_id, version")
            try snapshots.bind(projector.name, at: 1)
            while try snapshots.step() {
                let key = SnapshotKey(streamID: snapshots.int64(0), version: snapshots.int64(1))
                let entity = keys[key.streamID] ?? "stream id \(key.streamID)"
                if expectedSnapshots.removeValue(forKey: key) != snapshots.text(2) {
                    problems.append("Read model \(projector.name) has a snapshot of \(entity) at version \(key.version) that differs from a replay of the log.")
                }
            }
            for key in expectedSnapshots.keys.sorted(by: { ($0.streamID, $0.version) < ($1.streamID, $1.version) }) {
                problems.append("Read model \(projector.name) is missing the snapshot of \(keys[key.streamID] ?? "stream id \(key.streamID)") at version \(key.version).")
            }
        }
        return problems
    }

    func streamKeys() throws -> [Int64: String] {
        var keys: [Int64: String] = [:]
        let rows = try database.makeStatement("SELECT id, key FROM streams")
        while try rows.step() { keys[rows.int64(0)] = rows.text(1) }
        return keys
    }

    /// The states of projector `P` for every stream whose key starts with `prefix`, now (from the
    /// read model) or as of a time (from the nearest snapshot, folding the events after it).
    ///
    /// Both paths end in `P.fold`: the read model is the fold of every event, the as-of answer the
    /// fold of the events with `at` up to the time.
    func states<P: Projector>(_ projector: P.Type, streamPrefix prefix: String, asOf: Timestamp?) throws -> [(stream: String, state: P.State)] {
        guard let asOf else {
            let rows = try database.makeStatement("""
                SELECT s.key, p.state FROM projections p JOIN streams s ON s.id = p.stream_id
                WHERE p.projector = ? AND s.key >= ? AND s.key < ? ORDER BY s.key
                """)
            try rows.bind(P.name, at: 1)
            try rows.bind(prefix, at: 2)
            try rows.bind(prefix + "\u{10FFFF}", at: 3)
            var result: [(String, P.State)] = []
            while try rows.step() { result.append((rows.text(0), try StateCoding.decode(P.State.self, from: rows.text(1)))) }
            return result
        }
        let streams = try database.makeStatement("SELECT id, key FROM streams WHERE key >= ? AND key < ? ORDER BY key")
        try streams.bind(prefix, at: 1)
        try streams.bind(prefix + "\u{10FFFF}", at: 2)
        var result: [(String, P.State)] = []
        while try streams.step() {
            if let state = try state(P.self, streamID: streams.int64(0), stream: streams.text(1), asOf: asOf) {
                result.append((streams.text(1), state))
            }
        }
        return result
    }

    /// One entity's state as of `asOf`: the latest snapshot at or before it, then the stream's
    /// following events up to it. Events of a stream never go back in time, so the first event
    /// after `asOf` ends the fold.
    func state<P: Projector>(_ projector: P.Type, streamID: Int64, stream: String, asOf: Timestamp) throws -> P.State? {
        let snapshot = try database.cachedStatement("""
            SELECT version, state FROM projection_snapshots
            WHERE projector = ? AND stream_id = ? AND at <= ? ORDER BY version DESC LIMIT 1
            """)
        try snapshot.bind(P.name, at: 1)
        try snapshot.bind(streamID, at: 2)
        try snapshot.bind(asOf.nanoseconds, at: 3)
        var state: P.State?
        var fromVersion: Int64 = 0
        if try snapshot.step() {
            fromVersion = snapshot.int64(0)
            state = try StateCoding.decode(P.State.self, from: snapshot.text(1))
        }
        snapshot.reset()
        let events = try database.cachedStatement(
            "SELECT seq, version, type, at, data FROM events WHERE stream_id = ? AND version > ? ORDER BY version")
        defer { events.reset() }
        try events.bind(streamID, at: 1)
        try events.bind(fromVersion, at: 2)
        while try events.step() {
            let at = Timestamp(nanoseconds: events.int64(3))
            if at > asOf { break }
            guard let type = EventType(code: events.int64(2)), P.folds(type) else { continue }
            let event = try events.withBlob(4) {
                try ProjectedEvent.decode(seq: events.int64(0), version: events.int64(1), type: type, at: at, stream: stream, data: $0)
            }
            state = P.fold(state, event)
        }
        return state
    }
}
