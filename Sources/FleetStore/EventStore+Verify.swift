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
    public func verifyLog(expectedHead: (seq: Int64, hash: String)?) throws -> VerificationReport {
        try database.transaction(.deferred) { try verifySnapshot(expectedHead: expectedHead) }
    }

    private func verifySnapshot(expectedHead: (seq: Int64, hash: String)?) throws -> VerificationReport {
        var report = VerificationReport()
        var hashAtExpectedHead: String?
        let integrity = try database.scalarText("PRAGMA quick_check") ?? "no answer"
        if integrity != "ok" { report.problems.append("SQLite's integrity check failed: \(integrity).") }

        struct StreamState { var version: Int64; var lastAt: Timestamp }
        var streams: [Int64: StreamState] = [:]
        // The chain runs over full hashes; rows keep their start, commits the whole of their last one.
        var previousHash = StoredEvent.genesisHash
        // False from an altered event until the chain can be picked up again from a full stored
        // hash, so that one altered event is reported once, not for every event after it.
        var inStep = true
        var expectedSeq: Int64 = 1
        // Read alongside the events, in seq order, so memory stays flat however many commits there are.
        let anchors = try CommitAnchors(database)
        let rows = try database.makeStatement("""
            SELECT e.seq, s.key, e.version, e.type, e.at, \(CommitRecords.recordedAtSQL), e.event_id, e.data, e.hash, e.stream_id
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
            var hash = storedHash
            do {
                let event = try storedEvent(from: rows)
                hash = StoredEvent.chainedHash(previous: previousHash, line: event.canonicalLineBytes)
                if inStep && !CommitRecords.storedHash(storedHash, matches: hash) {
                    report.problems.append("seq \(seq) was altered: its stored hash does not match its content and the hash before it.")
                    inStep = false
                }
            } catch {
                report.problems.append("seq \(seq) was altered: its stored data cannot be read (\(error)).")
                inStep = false
            }
            if storedHash.count == StoredEvent.genesisHash.count { (hash, inStep) = (storedHash, true) }
            if let anchor = try anchors.hash(at: seq) {
                if inStep && anchor != hash {
                    report.problems.append("The commit that ends at seq \(seq) holds a hash that does not match the log: the log was rewritten up to it.")
                }
                (hash, inStep) = (anchor, true)
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
            if seq == expectedHead?.seq { hashAtExpectedHead = hash.hexString }
            previousHash = hash
            expectedSeq = seq + 1
            report.headSeq = seq
        }
        if let beyond = try anchors.first(after: report.headSeq) {
            report.problems.append("A commit record ends at seq \(beyond), after the log's last event (seq \(report.headSeq)): events were cut from its end.")
        } else if report.headSeq > 0, !anchors.anchoredLast, try !headKeepsFullHash(report.headSeq) {
            report.problems.append("The log's last event, seq \(report.headSeq), has no commit record holding its full hash: no event can be chained after it.")
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
                        "commits_are_append_only_update", "commits_are_append_only_delete"] {
            let present = try database.scalarInt64(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = '\(trigger)'") == 1
            if !present { report.problems.append("The append-only trigger \(trigger) is missing from the store.") }
        }
        return report
    }

    /// Whether the event at `seq` keeps its whole hash in its row (appended before migration 0008).
    private func headKeepsFullHash(_ seq: Int64) throws -> Bool {
        let row = try database.cachedStatement("SELECT length(hash) FROM events WHERE seq = ?")
        defer { row.reset() }
        try row.bind(seq, at: 1)
        return try row.step() && row.int64(0) == Int64(StoredEvent.genesisHash.count)
    }

    /// Checks that the id index (its runs and the recent ids) holds exactly the log's producer ids,
    /// each once, with its event's seq: a missing id would let a retry append twice, an extra one
    /// would skip an event.
    private func verifyEventIDs() throws -> [String] {
        var problems: [String] = []
        // The runs' ids are packed in blocks: they are unpacked into a temporary table (checking
        // each block and each run's filter on the way), so that the checks against the log stay SQL.
        try database.execute("""
            DROP TABLE IF EXISTS temp.verified_run_ids;
            CREATE TEMP TABLE verified_run_ids (run INTEGER NOT NULL, event_id BLOB NOT NULL, seq INTEGER NOT NULL);
            INSERT INTO temp.verified_run_ids SELECT run, event_id, seq FROM event_id_run_entries;
            """)
        defer { try? database.execute("DROP TABLE IF EXISTS temp.verified_run_ids") }
        problems += try unpackRunBlocks()
        let entries = "SELECT event_id, seq FROM temp.verified_run_ids UNION ALL SELECT event_id, seq FROM recent_event_ids"
        // Entries whose seq holds no event, or an event with another id: found through the seq, the events' key.
        let extra = try database.scalarInt64("""
            SELECT count(*) FROM (\(entries)) i LEFT JOIN events e ON e.seq = i.seq WHERE e.event_id IS NOT i.event_id
            """) ?? 0
        let counts = try database.makeStatement("SELECT count(DISTINCT seq), (SELECT count(*) FROM events WHERE event_id IS NOT NULL) FROM (\(entries))")
        _ = try counts.step()
        let (held, logged) = (counts.int64(0), counts.int64(1))
        if held - extra < logged {
            let missing = try database.makeStatement("""
                SELECT seq FROM events WHERE event_id IS NOT NULL
                EXCEPT SELECT i.seq FROM (\(entries)) i JOIN events e ON e.seq = i.seq AND e.event_id = i.event_id
                ORDER BY 1 LIMIT 1
                """)
            if try missing.step() {
                problems.append("seq \(missing.int64(0)) has an id that the id index does not hold with it: a retry of that event would be appended again.")
            }
        }
        if extra > 0 {
            problems.append("The id index holds \(extra) id\(extra == 1 ? "" : "s") that no event has: new events with \(extra == 1 ? "it" : "them") would be skipped as duplicates.")
        }
        let runs = try database.makeStatement("""
            SELECT r.run FROM event_id_runs r WHERE r.ids != (SELECT count(*) FROM temp.verified_run_ids e WHERE e.run = r.run)
            OR EXISTS (SELECT 1 FROM temp.verified_run_ids e WHERE e.run = r.run AND e.event_id IN (SELECT event_id FROM recent_event_ids))
            ORDER BY r.run LIMIT 1
            """)
        if try runs.step() {
            problems.append("The id index's run \(runs.int64(0)) does not hold the ids it says it does.")
        }
        return problems
    }

    /// Copies every run's ids from their blocks into `temp.verified_run_ids`; the problems of blocks
    /// that cannot be read, or are out of order, and of filters without one of their run's ids
    /// (such a filter would let a retry of that event append again).
    private func unpackRunBlocks() throws -> [String] {
        var problems: [String] = []
        var filters: [Int64: BloomFilter?] = [:]
        let runs = try database.makeStatement("SELECT run, filter FROM event_id_runs WHERE filter IS NOT NULL")
        while try runs.step() { filters[runs.int64(0)] = BloomFilter(bytes: runs.blob(1)) }
        for (run, filter) in filters.sorted(by: { $0.key < $1.key }) where filter == nil {
            problems.append("The id index's run \(run) has a damaged filter.")
        }
        var reported: Set<Int64> = []
        func check(_ id: EventID, seq: Int64, inRun run: Int64) {
            if case let filter?? = filters[run], !filter.mayContain(id), reported.insert(run).inserted {
                problems.append("The id index's run \(run) has a filter without the id of seq \(seq): a retry of that event would be appended again.")
            }
        }
        // Runs written before migration 0009 that the store has not rewritten yet.
        let rows = try database.makeStatement("SELECT run, event_id, seq FROM event_id_run_entries WHERE length(event_id) = 16")
        while try rows.step() { check(EventID(bytes: rows.blob(1)), seq: rows.int64(2), inRun: rows.int64(0)) }
        let insert = try database.makeStatement("INSERT INTO temp.verified_run_ids (run, event_id, seq) VALUES (?, ?, ?)")
        let blocks = try database.makeStatement("SELECT run, first_id, entries FROM event_id_blocks ORDER BY run, first_id")
        var previous: (run: Int64, id: EventID)?
        while try blocks.step() {
            let run = blocks.int64(0)
            guard let entries = blocks.withBlobBytes(2, IDBlock.decode), let first = entries.first,
                  blocks.blob(1) == first.id.bytes, zip(entries, entries.dropFirst()).allSatisfy({ $0.id < $1.id }),
                  previous.map({ $0.run != run || $0.id < first.id }) ?? true else {
                if reported.insert(run).inserted { problems.append("The id index's run \(run) has a damaged block.") }
                continue
            }
            previous = (run, entries[entries.count - 1].id)
            for entry in entries {
                check(entry.id, seq: entry.seq, inRun: run)
                try insert.bind(run, at: 1)
                try insert.bind(entry.id.bytes, at: 2)
                try insert.bind(entry.seq, at: 3)
                try insert.run()
            }
        }
        return problems
    }
}
