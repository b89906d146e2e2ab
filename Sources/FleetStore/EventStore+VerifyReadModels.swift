import FleetEvents
import FleetProjection
import FleetSQLite

extension EventStore {
    /// Replays the log in memory and compares the result with every stored read model,
    /// checkpoint and segment range; returns one sentence per difference.
    func verifyProjections() throws -> [String] {
        var problems: [String] = []
        let lastSeq = try self.lastSeq()
        for projector in schema.projectors {
            let checkpoint = try self.checkpoint(of: projector.name)
            if checkpoint != lastSeq {
                problems.append("Read model \(projector.name) has folded the log up to seq \(checkpoint), but the log ends at seq \(lastSeq).")
            }
        }
        let interval = layout.checkpointInterval
        let pass = ProjectionPass(projectors: schema.projectors, source: nil)
        var segments = LogSegments(size: layout.segmentSize)
        _ = try replay(into: pass) { seq, at in
            segments.note(seq: seq, at: at)
            if seq % interval == 0 {
                problems += try compare(
                    replayed: try pass.states(foldedAfter: seq - interval), where: " in its checkpoint at seq \(seq)",
                    rows: "SELECT projector, entity, state FROM checkpoint_states WHERE checkpoint = \(seq)") { $0.state }
            }
        }
        // An entity's seq says which checkpoint will hold it, so it must match as well as its state.
        problems += try compare(
            replayed: try pass.states(foldedAfter: 0), where: "",
            rows: "SELECT projector, entity, seq || ' ' || state FROM entity_states") { "\($0.seq) \($0.state)" }
        let strayCheckpoints = try database.scalarInt64(
            "SELECT count(*) FROM checkpoint_states WHERE checkpoint % \(interval) != 0 OR checkpoint > \(lastSeq)") ?? 0
        if strayCheckpoints > 0 {
            problems.append("The read models hold \(strayCheckpoints) checkpoint row\(strayCheckpoints == 1 ? "" : "s") at positions a replay of the log does not checkpoint.")
        }
        var expected = segments.segments
        for stored in try LogSegments.load(from: database) {
            if expected.removeValue(forKey: stored.index) != stored {
                let positions = segments.positions(of: stored)
                problems.append("The time range stored for log segment \(stored.index) (seq \(positions.lowerBound) to \(positions.upperBound)) differs from the log's.")
            }
        }
        for index in expected.keys.sorted() {
            problems.append("The time range of log segment \(index) is missing from the store.")
        }
        return problems
    }

    /// Compares replayed states with the rows `(projector, entity, value)` that `sql` selects.
    private func compare(replayed: [StateChange], where place: String, rows sql: String, value: (StateChange) -> String) throws -> [String] {
        var stored: [(projector: String, entity: String, value: String)] = []
        let rows = try database.makeStatement(sql + " ORDER BY projector, entity")
        while try rows.step() { stored.append((rows.text(0), rows.text(1), rows.text(2))) }
        return ReadModelComparison.problems(replayed: replayed, stored: stored, where: place, value: value)
    }
}

/// Stored read-model rows set against a replay's states, for either engine's `verify`.
enum ReadModelComparison {
    /// One sentence per difference between `replayed` and `stored` (a replayed state giving its
    /// value through `value`); `place` says where the rows are (" in its checkpoint at seq N").
    static func problems(replayed: [StateChange], stored: [(projector: String, entity: String, value: String)], where place: String,
                         value: (StateChange) -> String) -> [String] {
        var problems: [String] = []
        var expected: [String: [StreamKey: String]] = [:]
        for change in replayed { expected[change.projector, default: [:]][change.entity] = value(change) }
        for row in stored {
            let entity = StreamKey(rawValue: row.entity)
            guard let fresh = expected[row.projector]?.removeValue(forKey: entity) else {
                problems.append("Read model \(row.projector) holds a row\(place) for \(entity), which a replay of the log does not produce.")
                continue
            }
            if fresh != row.value {
                problems.append("Read model \(row.projector) differs from a replay of the log\(place) for \(entity): stored \(row.value), replayed \(fresh).")
            }
        }
        for (projector, missing) in expected.sorted(by: { $0.key < $1.key }) {
            for entity in missing.keys.sorted() {
                problems.append("Read model \(projector) is missing the row\(place) for \(entity) that a replay of the log produces.")
            }
        }
        return problems
    }
}
