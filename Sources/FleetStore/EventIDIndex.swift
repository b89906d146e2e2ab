import FleetEvents
import FleetSQLite

/// The producers' ids, for idempotent retries (an id already stored anywhere in the log makes an
/// event a no-op), kept so that the cost per append stays flat as the log grows.
///
/// Random ids inserted into one big B-tree dirty most of its pages at every commit, and merging
/// them into it in batches rewrites all of it per batch, so either way the cost per event grows
/// with the log (Tools/Benchmark/HISTORY.md, items 7 and 11). The index is log-structured instead,
/// as LSM stores are:
/// - new ids are kept in memory, and at the end of the transaction written, in key order, to
///   `recent_event_ids`, a small table of the ids not yet in a run;
/// - every `mergeThreshold` ids the recent ones become a sorted, immutable *run* of level 0, written
///   in blocks of 128 ids at the end of `event_id_blocks` (keyed by run, then first id), so no
///   older page is touched (see `IDBlock`);
/// - when a level holds `fanout` runs they are merged into one run of the next level, so each id
///   is rewritten once per level, a handful of times over the life of a store;
/// - each run has a Bloom filter, kept in memory, so a new id (nearly every one) is looked up only
///   in the few runs whose filter says "maybe" (see `BloomFilter` for how few).
/// Everything is written in the append's transaction, so a crash or a refused batch leaves the
/// index exactly as the committed log needs it; `verify` checks it against the log.
struct EventIDIndex {
    /// One immutable run of ids.
    struct Run: Sendable, Equatable {
        var id: Int64
        var level: Int
        var count: Int
        var filter: BloomFilter
    }

    /// The ids of `recent_event_ids` as a committed batch left them, for the next batch of the same
    /// connection, and the log position they are true at.
    struct RecentIDs: Sendable {
        var ids: [EventID: Int64]
        var lastSeq: Int64
    }

    /// Runs of one level merged into one of the next.
    static let fanout = 8

    private let database: Database
    private let mergeThreshold: Int
    /// The committed runs plus those this transaction made; handed back to the store on commit.
    private(set) var runs: [Run]
    /// The ids not yet in a run that are known in memory: this batch's new ones, plus every stored
    /// one once `storedRecentLoaded`. Looking an id up here costs no SQL, where inserting each into
    /// the recent table as it came cost an insert of a random key per event
    /// (Tools/Benchmark/HISTORY.md, item 19).
    private var recent: [EventID: Int64]
    /// The new ids, not yet written to `recent_event_ids` nor to a run.
    private var unsaved: [EventID] = []
    /// Rows in `recent_event_ids`.
    private var storedRecent: Int
    /// Whether `recent` holds every row of `recent_event_ids`, so the table need not be asked.
    private var storedRecentLoaded: Bool
    /// Lookups asked of the table so far; past a share of its rows, reading it whole is cheaper.
    private var tableLookups = 0

    /// The index as the store holds it, reusing the filters of `cached` runs (runs never change,
    /// and a run's number is never reused) so that a transaction reads only filters it has not seen,
    /// and `warm` recent ids when they are still the table's.
    init(database: Database, mergeThreshold: Int, cached: [Run], warm: RecentIDs? = nil) throws {
        self.database = database
        self.mergeThreshold = mergeThreshold
        storedRecent = Int(try database.scalarInt64("SELECT count(*) FROM recent_event_ids") ?? 0)
        let lastSeq = try database.scalarInt64("SELECT max(seq) FROM events") ?? 0
        if let warm, warm.lastSeq == lastSeq, warm.ids.count == storedRecent {
            recent = warm.ids
            storedRecentLoaded = true
        } else {
            recent = [:]
            storedRecentLoaded = storedRecent == 0
        }
        try Self.moveEntriesIntoBlocks(database)
        let known = Dictionary(uniqueKeysWithValues: cached.map { ($0.id, $0) })
        var runs: [Run] = []
        let rows = try database.makeStatement("SELECT run, level, ids, filter IS NULL FROM event_id_runs ORDER BY run")
        while try rows.step() {
            let id = rows.int64(0), level = Int(rows.int64(1)), count = Int(rows.int64(2))
            if let run = known[id], run.level == level, run.count == count {
                runs.append(run)
            } else if rows.int64(3) == 1 {
                // A run without a filter is the one migration 0006 made of the ids stored before it.
                runs.append(try Self.completeMigratedRun(id, count: count, mergeThreshold: mergeThreshold, database: database))
            } else {
                let select = try database.makeStatement("SELECT filter FROM event_id_runs WHERE run = ?")
                try select.bind(id, at: 1)
                guard try select.step(), let filter = BloomFilter(bytes: select.blob(0)) else {
                    throw StoreError("the id index's run \(id) has a damaged filter; run 'fleetledger verify'.")
                }
                runs.append(Run(id: id, level: level, count: count, filter: filter))
            }
        }
        self.runs = runs
    }

    /// Records `id` as the id of the event at `seq`; false when the id is stored already.
    mutating func record(_ id: EventID, seq: Int64) throws -> Bool {
        if storedRecentLoaded {
            // Nearly every id is new: put in at once, one look-up of the table rather than two (a
            // search, then an insert), and taken out again in the rare case a run holds it.
            if let stored = recent.updateValue(seq, forKey: id) {
                recent[id] = stored
                return false
            }
            if try isInRun(id) {
                recent[id] = nil
                return false
            }
        } else {
            if try recent[id] != nil || isInRun(id) { return false }
            tableLookups += 1
            if tableLookups * 8 >= storedRecent {
                try loadStoredRecent()
                if recent[id] != nil { return false }
            } else {
                let select = try database.cachedStatement("SELECT 1 FROM recent_event_ids WHERE event_id = ?")
                defer { select.reset() }
                try id.withBytes { try select.bind($0, at: 1) }
                if try select.step() { return false }
            }
            recent[id] = seq
        }
        unsaved.append(id)
        return true
    }

    /// Takes back `id`, which `record` has just recorded, for an event that was then not appended
    /// (an import skipping an event older than its stream).
    mutating func forget(_ id: EventID) {
        precondition(unsaved.last == id, "forget takes back only the id record has just recorded")
        unsaved.removeLast()
        recent[id] = nil
    }

    /// Whether one of the runs holds `id`.
    private mutating func isInRun(_ id: EventID) throws -> Bool {
        let probes = BloomFilter.Probes(id)
        // By position: `for run in runs` copied each run, a retain and a release of its filter's
        // storage per run for every new id (Tools/Benchmark/HISTORY.md, item 32).
        for index in runs.indices where runs[index].filter.mayContain(probes) {
            if try Self.seq(of: id, inRun: runs[index].id, database) != nil { return true }
        }
        return false
    }

    /// Turns the recent ids into a run once there are enough of them, then merges any full level.
    mutating func mergeIfFull() throws {
        guard storedRecent + unsaved.count >= mergeThreshold else { return }
        if !storedRecentLoaded { try loadStoredRecent() }
        var writer = try RunWriter(run: nextRunID, expected: recent.count, database: database)
        for (eventID, seq) in recent.sorted(by: { $0.key < $1.key }) { try writer.add(eventID, seq: seq) }
        try addRun(writer.run, level: 0, count: writer.count, filter: try writer.finish())
        if storedRecent > 0 { try database.execute("DELETE FROM recent_event_ids") }
        recent.removeAll(keepingCapacity: true)
        storedRecent = 0
        unsaved.removeAll(keepingCapacity: true)
        while let level = Dictionary(grouping: runs, by: \.level).filter({ $0.value.count >= Self.fanout }).keys.min() {
            let merged = runs.filter { $0.level == level }
            let run = nextRunID
            try addRun(run, level: level + 1, count: merged.reduce(0) { $0 + $1.count }, filter: try Self.merge(merged, into: run, database))
            // Each run is a range of the table's keys, so this frees whole pages.
            let list = merged.map { String($0.id) }.joined(separator: ",")
            try database.execute("DELETE FROM event_id_blocks WHERE run IN (\(list)); DELETE FROM event_id_runs WHERE run IN (\(list))")
            runs.removeAll { $0.level == level }
        }
    }

    /// Writes the new ids to `recent_event_ids`, in key order; called once, before the transaction commits.
    mutating func saveRecent() throws {
        guard !unsaved.isEmpty else { return }
        let insert = try database.cachedStatement("INSERT INTO recent_event_ids (event_id, seq) VALUES (?, ?)")
        for eventID in unsaved.sorted() {
            try insert.bind(recent[eventID]!, at: 2)
            try eventID.withBytes { id in try insert.withBlobBound(id, at: 1) { try insert.run() } }
        }
        storedRecent += unsaved.count
        unsaved.removeAll()
    }

    /// The recent ids for the next batch, once this one has committed: only when every stored one is known.
    func recentForNextBatch(lastSeq: Int64) -> RecentIDs? {
        storedRecentLoaded ? RecentIDs(ids: recent, lastSeq: lastSeq) : nil
    }

    /// Reads every row of `recent_event_ids` into `recent`.
    private mutating func loadStoredRecent() throws {
        let rows = try database.cachedStatement("SELECT event_id, seq FROM recent_event_ids")
        defer { rows.reset() }
        while try rows.step() {
            recent[try Self.storedID(rows)] = rows.int64(1)
        }
        storedRecentLoaded = true
    }

    /// The id in the row's `column`, which must be one.
    static func storedID(_ row: Statement, column: Int32 = 0) throws -> EventID {
        try row.withBlobBytes(column) { bytes in
            guard bytes.count == 16 else {
                throw StoreError("the id index holds an id of \(bytes.count) bytes, not 16; run 'fleetledger verify'.")
            }
            return EventID(bytes: bytes)
        }
    }

    /// Never a number a committed run had: the largest only grows, as a merge adds its run first.
    var nextRunID: Int64 { (runs.map(\.id).max() ?? 0) + 1 }

    /// Records a run whose entries are written.
    private mutating func addRun(_ id: Int64, level: Int, count: Int, filter: BloomFilter) throws {
        let row = try database.makeStatement("INSERT INTO event_id_runs (run, level, ids, filter) VALUES (?, ?, ?, ?)")
        try row.bind(id, at: 1)
        try row.bind(Int64(level), at: 2)
        try row.bind(Int64(count), at: 3)
        try row.bind(filter.bytes, at: 4)
        try row.run()
        runs.append(Run(id: id, level: level, count: count, filter: filter))
    }

    /// Builds and stores the filter of a run that has none, and puts it at the level its size
    /// would have reached by merges, so that it is not rewritten with the first small runs.
    private static func completeMigratedRun(_ id: Int64, count: Int, mergeThreshold: Int, database: Database) throws -> Run {
        var level = 0, capacity = mergeThreshold
        while capacity < count {
            level += 1
            capacity *= fanout
        }
        let filter = try filter(ofRun: id, count: count, database: database)
        let update = try database.makeStatement("UPDATE event_id_runs SET level = ?, filter = ? WHERE run = ?")
        try update.bind(Int64(level), at: 1)
        try update.bind(filter.bytes, at: 2)
        try update.bind(id, at: 3)
        try update.run()
        return Run(id: id, level: level, count: count, filter: filter)
    }
}
