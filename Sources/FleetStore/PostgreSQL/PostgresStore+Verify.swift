import FleetEvents
import FleetProjection
import NIOCore
import PostgresNIO

extension PostgresStore {
    /// The same checks as the SQLite store's `verifyLog`, in one snapshot: positions without a gap,
    /// every event's hash against its content and the one before, versions and times per stream,
    /// the chain's head, the streams' heads, the append-only triggers, and every read model
    /// against a replay. Ids are unique by the table's own constraint.
    public func verifyLog(expectedHead: (seq: Int64, hash: String)?) throws -> VerificationReport {
        try withSnapshot { try verifySnapshot(expectedHead: expectedHead) }
    }

    private func verifySnapshot(expectedHead: (seq: Int64, hash: String)?) throws -> VerificationReport {
        var report = VerificationReport()
        var hashAtExpectedHead: String?
        struct StreamState { var version: Int64; var lastAt: Timestamp }
        var streams: [Int64: StreamState] = [:]
        var previousHash = StoredEvent.genesisHash
        var expectedSeq: Int64 = 1
        var keys: [Int64: String] = [:]
        for row in try session.query("SELECT id, key FROM streams") {
            let (id, key) = try row.decode((Int64, String).self)
            keys[id] = key
        }
        var after: Int64 = 0
        while true {
            let page = Int64(Self.pageSize)
            let rows = try session.query("""
                SELECT seq, stream_id, version, type, at, recorded_at, event_id, data, hash FROM events WHERE seq > \(after) ORDER BY seq LIMIT \(page)
                """)
            for row in rows {
                let (seq, streamID, version, code, atNanoseconds, recordedAt, id, data, storedHash) =
                    try row.decode((Int64, Int64, Int64, Int32, Int64, Int64, ByteBuffer?, ByteBuffer, ByteBuffer).self)
                let at = Timestamp(nanoseconds: atNanoseconds), stream = keys[streamID] ?? ""
                let stored = Array(storedHash.readableBytesView)
                report.eventsChecked += 1
                if seq != expectedSeq {
                    let missing = expectedSeq == seq - 1 ? "seq \(expectedSeq) is" : "seq \(expectedSeq) to \(seq - 1) are"
                    report.problems.append("\(missing) missing from the log: the events after seq \(expectedSeq - 1) continue at seq \(seq).")
                }
                var hash = stored
                do {
                    let event = try StoredEvent(schema: schema, seq: seq, stream: stream, version: version, code: Int64(code), at: atNanoseconds,
                                                recordedAt: recordedAt, eventID: id.map { EventID(bytes: Array($0.readableBytesView)) },
                                                data: Array(data.readableBytesView), hash: stored)
                    hash = StoredEvent.chainedHash(previous: previousHash, line: event.canonicalLineBytes)
                    if hash != stored {
                        report.problems.append("seq \(seq) was altered: its stored hash does not match its content and the hash before it.")
                    }
                } catch {
                    report.problems.append("seq \(seq) was altered: its stored data cannot be read (\(error)).")
                }
                // The next event chains from the stored hash, so one altered event is reported once.
                hash = stored
                let previous = streams[streamID]
                let expectedVersion = (previous?.version ?? 0) + 1
                if version != expectedVersion {
                    report.problems.append("seq \(seq) has version \(version) of stream \"\(stream)\", where version \(expectedVersion) was due.")
                }
                if let previous, at < previous.lastAt {
                    report.problems.append("seq \(seq) goes back in time on stream \"\(stream)\" (\(at.rfc3339) after \(previous.lastAt.rfc3339)).")
                }
                streams[streamID] = StreamState(version: version, lastAt: max(at, previous?.lastAt ?? at))
                if seq == expectedHead?.seq { hashAtExpectedHead = hash.hexString }
                previousHash = hash
                expectedSeq = seq + 1
                report.headSeq = seq
                after = seq
            }
            if rows.count < Self.pageSize { break }
        }
        report.headHash = previousHash.hexString
        if let head = try session.query("SELECT seq, hash FROM log_head").first {
            let (seq, hash) = try head.decode((Int64, ByteBuffer).self)
            if seq != report.headSeq || Array(hash.readableBytesView) != previousHash {
                report.problems.append("The chain's head row says seq \(seq) with hash \(Array(hash.readableBytesView).hexString), "
                    + "but the log ends at seq \(report.headSeq) with hash \(report.headHash): events were cut from its end or the head was rewritten.")
            }
        } else {
            report.problems.append("The store has no chain head row (log_head).")
        }
        if let expectedHead {
            if let found = hashAtExpectedHead {
                if found != expectedHead.hash.lowercased() {
                    report.problems.append("seq \(expectedHead.seq) has hash \(found), not the recorded head \(expectedHead.hash.lowercased()): "
                        + "the log was rewritten at or before seq \(expectedHead.seq).")
                }
            } else {
                report.problems.append("the log ends at seq \(report.headSeq), before the recorded head seq \(expectedHead.seq): "
                    + "events were cut from its end.")
            }
        }
        for row in try session.query("SELECT id, key, version, last_at FROM streams ORDER BY id") {
            let (id, key, version, lastAt) = try row.decode((Int64, String, Int64, Int64).self)
            report.streamsChecked += 1
            let logged = streams[id]
            if (logged?.version ?? 0) != version {
                report.problems.append("The head of stream \"\(key)\" says version \(version), but the log holds \(logged?.version ?? 0) events for it.")
            } else if let logged, logged.lastAt.nanoseconds != lastAt {
                report.problems.append("The head of stream \"\(key)\" says its last event was at \(Timestamp(nanoseconds: lastAt).rfc3339), but the log says \(logged.lastAt.rfc3339).")
            }
        }
        do {
            report.problems += try verifyProjections(lastSeq: report.headSeq)
        } catch {
            report.problems.append("The read models could not be checked, because the log cannot be replayed: \(error)")
        }
        for trigger in ["events_are_append_only", "events_are_never_truncated"] {
            let present = try session.scalarInt64("SELECT count(*) FROM pg_trigger WHERE tgname = \(trigger) AND NOT tgisinternal") == 1
            if !present { report.problems.append("The append-only trigger \(trigger) is missing from the store.") }
        }
        return report
    }

    /// Replays the log in memory and compares the result with the stored read models.
    private func verifyProjections(lastSeq: Int64) throws -> [String] {
        var problems: [String] = []
        var folded: [String: Int64] = [:]
        for row in try session.query("SELECT projector, seq FROM projection_checkpoints") {
            let (projector, seq) = try row.decode((String, Int64).self)
            folded[projector] = seq
        }
        for projector in schema.projectors where (folded[projector.name] ?? 0) != lastSeq {
            problems.append("Read model \(projector.name) has folded the log up to seq \(folded[projector.name] ?? 0), but the log ends at seq \(lastSeq).")
        }
        let pass = ProjectionPass(projectors: schema.projectors, source: nil)
        try replay(into: pass)
        let stored = try session.query("SELECT projector, entity, seq || ' ' || state FROM entity_states ORDER BY projector, entity").map { row in
            let (projector, entity, value) = try row.decode((String, String, String).self)
            return (projector: projector, entity: entity, value: value)
        }
        problems += ReadModelComparison.problems(replayed: try pass.states(foldedAfter: 0), stored: stored, where: "") { "\($0.seq) \($0.state)" }
        return problems
    }

    /// Drops every read model and folds the whole log again, in one transaction that holds the
    /// chain's head, so no batch commits in between.
    @discardableResult
    public func rebuild() throws -> RebuildSummary {
        try requireWritable("rebuild its read models")
        return try session.transaction("ISOLATION LEVEL READ COMMITTED") {
            try session.query("SELECT seq FROM log_head FOR UPDATE")
            warmProjections = nil
            try session.execute("DELETE FROM entity_states", "DELETE FROM projection_checkpoints")
            let pass = ProjectionPass(projectors: schema.projectors, source: nil)
            let events = try replay(into: pass)
            let changes = try pass.states(foldedAfter: 0)
            for start in stride(from: 0, to: changes.count, by: Self.pageSize) {
                let part = changes[start..<min(start + Self.pageSize, changes.count)]
                let projectors = part.map(\.projector), entities = part.map(\.entity.rawValue), seqs = part.map(\.seq), states = part.map(\.state)
                try session.query("INSERT INTO entity_states (projector, entity, seq, state) SELECT * FROM unnest(\(projectors), \(entities), \(seqs), \(states))")
            }
            let names = schema.projectors.map(\.name), folded = try lastSeq()
            try session.query("INSERT INTO projection_checkpoints (projector, seq) SELECT unnest(\(names)), \(folded)")
            return RebuildSummary(events: events, readModels: schema.projectors.count, entities: changes.count)
        }
    }
}
