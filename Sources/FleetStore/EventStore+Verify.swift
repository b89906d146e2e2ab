import FleetEvents
import FleetSQLite

/// What `verify` found: how much it checked, the head of the chain, and every problem, first first.
public struct VerificationReport: Sendable, Equatable {
    public var eventsChecked: Int = 0
    public var streamsChecked: Int = 0
    /// The last event's position and hash: record them elsewhere to detect a truncated or rewritten log later.
    public var headSeq: Int64 = 0
    public var headHash: String = StoredEvent.genesisHash.hexString
    /// Each problem as one sentence, in log order; empty when the store verified.
    public var problems: [String] = []

    public var isValid: Bool { problems.isEmpty }
}

extension EventStore {
    /// Checks the log (SQLite's own integrity, the append-only triggers, a gap-free `seq`, each
    /// event's chained hash, each stream's versions and time order, the stream heads), then that
    /// every read model, checkpoint and segment range equals a fresh replay of the log.
    /// With `expectedHead` (a head recorded earlier, `seq` and hex `hash`), the chain must also pass
    /// through it: a log cut from its end or rewritten with a fresh chain fails there.
    ///
    /// It reads one snapshot of the store, so writers appending meanwhile never make it fail.
    public func verifyLog(expectedHead: (seq: Int64, hash: String)? = nil) throws -> VerificationReport {
        try database.transaction(.deferred) { try verifySnapshot(expectedHead: expectedHead) }
    }

    private func verifySnapshot(expectedHead: (seq: Int64, hash: String)?) throws -> VerificationReport {
        var report = VerificationReport()
        var hashAtExpectedHead: String?
        let integrity = try database.scalarText("PRAGMA quick_check") ?? "no answer"
        if integrity != "ok" { report.problems.append("SQLite's integrity check failed: \(integrity).") }

        struct StreamState { var version: Int64; var lastAt: Timestamp }
        var streams: [Int64: StreamState] = [:]
        var previousHash = StoredEvent.genesisHash
        var expectedSeq: Int64 = 1
        let rows = try database.makeStatement("""
            SELECT e.seq, s.key, e.version, e.type, e.at, e.recorded_at, e.event_id, e.data, e.hash, e.stream_id
            FROM events e LEFT JOIN streams s ON s.id = e.stream_id ORDER BY e.seq
            """)
        while try rows.step() {
            let seq = rows.int64(0), stream = rows.text(1), version = rows.int64(2)
            let at = Timestamp(nanoseconds: rows.int64(4)), streamID = rows.int64(9), storedHash = rows.blob(8)
            report.eventsChecked += 1
            if seq != expectedSeq {
                let missing = expectedSeq == seq - 1 ? "seq \(expectedSeq) is" : "seq \(expectedSeq) to \(seq - 1) are"
                report.problems.append("\(missing) missing from the log: the events after seq \(expectedSeq - 1) continue at seq \(seq).")
            }
            do {
                let event = try storedEvent(from: rows)
                let expectedHash = StoredEvent.chainedHash(previous: previousHash, line: event.canonicalLineBytes)
                if expectedHash != storedHash {
                    report.problems.append("seq \(seq) was altered: its stored hash does not match its content and the hash before it.")
                }
            } catch {
                report.problems.append("seq \(seq) was altered: its stored data cannot be read (\(error)).")
            }
            let previous = streams[streamID]
            let expectedVersion = (previous?.version ?? 0) + 1
            if version != expectedVersion {
                report.problems.append("seq \(seq) has version \(version) of stream \"\(stream)\", where version \(expectedVersion) was due.")
            }
            if let previous, at < previous.lastAt {
                report.problems.append("seq \(seq) goes back in time on stream \"\(stream)\" (\(at.rfc3339) after \(previous.lastAt.rfc3339)).")
            }
            streams[streamID] = StreamState(version: version, lastAt: max(at, previous?.lastAt ?? at))
            if seq == expectedHead?.seq { hashAtExpectedHead = storedHash.hexString }
            // Continue from the stored hash so one altered event is reported once, not for every event after it.
            previousHash = storedHash
            expectedSeq = seq + 1
            report.headSeq = seq
        }
        report.headHash = previousHash.hexString
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
        report.problems += try verifyEventIDs()

        let heads = try database.makeStatement("SELECT id, key, version, last_at FROM streams ORDER BY id")
        while try heads.step() {
            report.streamsChecked += 1
            let id = heads.int64(0), key = heads.text(1), version = heads.int64(2)
            let logged = streams[id]
            if (logged?.version ?? 0) != version {
                report.problems.append("The head of stream \"\(key)\" says version \(version), but the log holds \(logged?.version ?? 0) events for it.")
            } else if let logged, logged.lastAt.nanoseconds != heads.int64(3) {
                report.problems.append("The head of stream \"\(key)\" says its last event was at \(Timestamp(nanoseconds: heads.int64(3)).rfc3339), but the log says \(logged.lastAt.rfc3339).")
            }
        }

        do {
            report.problems += try verifyProjections()
        } catch {
            report.problems.append("The read models could not be checked, because the log cannot be replayed: \(error)")
        }

        // Store-wide findings come last, so the first problem names an event or stream when one is at fault.
        for trigger in ["events_are_append_only_update", "events_are_append_only_delete",
                        "event_ids_are_append_only_update", "event_ids_are_append_only_delete"] {
            let present = try database.scalarInt64(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = '\(trigger)'") == 1
            if !present { report.problems.append("The append-only trigger \(trigger) is missing from the store.") }
        }
        return report
    }

    /// Checks that the two id tables together hold exactly the log's producer ids, each with its
    /// event's seq: a missing id would let a retry append twice, an extra one would skip an event.
    private func verifyEventIDs() throws -> [String] {
        var problems: [String] = []
        let missing = try database.makeStatement("""
            SELECT e.seq FROM events e WHERE e.event_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM event_ids i WHERE i.event_id = e.event_id AND i.seq = e.seq)
            AND NOT EXISTS (SELECT 1 FROM recent_event_ids r WHERE r.event_id = e.event_id AND r.seq = e.seq)
            ORDER BY e.seq LIMIT 1
            """)
        if try missing.step() {
            problems.append("seq \(missing.int64(0)) has an id that the id index does not hold with it: a retry of that event would be appended again.")
        }
        let counts = try database.makeStatement("""
            SELECT (SELECT count(*) FROM event_ids) + (SELECT count(*) FROM recent_event_ids),
                   (SELECT count(*) FROM events WHERE event_id IS NOT NULL)
            """)
        if try counts.step(), counts.int64(0) > counts.int64(1) {
            let extra = counts.int64(0) - counts.int64(1)
            problems.append("The id index holds \(extra) id\(extra == 1 ? "" : "s") that no event has: new events with \(extra == 1 ? "it" : "them") would be skipped as duplicates.")
        }
        return problems
    }
}
