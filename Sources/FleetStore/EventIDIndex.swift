import FleetEvents
import FleetSQLite

/// The producers' ids, for idempotent retries (an id already stored anywhere in the log makes an
/// event a no-op), kept so that the cost per append stays flat as the log grows.
///
/// Random ids inserted into one big B-tree dirty most of its pages at every commit, and merging
/// them into it in batches rewrites all of it per batch: either way the cost per event grows with
/// the log (measured: 1.7x at 3M events). So the index is log-structured, as LSM stores are:
/// - new ids go to `recent_event_ids`, a small table whose pages stay hot;
/// - every `mergeThreshold` ids it becomes a sorted, immutable *run* of level 0, written at the end
///   of `event_id_run_entries` (keyed by run, then id), so no older page is touched;
/// - when a level holds `fanout` runs they are merged into one run of the next level, so each id
///   is rewritten once per level, a handful of times over the life of a store;
/// - each run has a Bloom filter, kept in memory, so a new id (nearly every one) is looked up only
///   in the few runs whose filter says "maybe", about 1% of them.
/// Everything is written in the append's transaction, so a crash or a refused batch leaves the
/// index exactly as the committed log needs it; `verify` checks it against the log.
final class EventIDIndex {
    /// One immutable run of ids.
    struct Run: Sendable, Equatable {
        var id: Int64
        var level: Int
        var count: Int
        var filter: BloomFilter
    }

    /// Runs of one level merged into one of the next.
    static let fanout = 8

    private let database: Database
    private let mergeThreshold: Int
    /// The committed runs plus those this transaction made; handed back to the store on commit.
    private(set) var runs: [Run]
    private var recentIDs: Int

    /// The index as the store holds it, reusing the filters of `cached` runs (runs never change,
    /// and a run's number is never reused) so that a transaction reads only filters it has not seen.
    init(database: Database, mergeThreshold: Int, cached: [Run]) throws {
        self.database = database
        self.mergeThreshold = mergeThreshold
        recentIDs = Int(try database.scalarInt64("SELECT count(*) FROM recent_event_ids") ?? 0)
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
    func record(_ id: EventID, seq: Int64) throws -> Bool {
        for run in runs where run.filter.mayContain(id.bytes) {
            let select = try database.cachedStatement("SELECT 1 FROM event_id_run_entries WHERE run = ? AND event_id = ?")
            defer { select.reset() }
            try select.bind(run.id, at: 1)
            try select.bind(id.bytes, at: 2)
            if try select.step() { return false }
        }
        let recent = try database.cachedStatement("INSERT INTO recent_event_ids (event_id, seq) VALUES (?, ?)")
        try recent.bind(id.bytes, at: 1)
        try recent.bind(seq, at: 2)
        do {
            try recent.run()
        } catch let error as SQLiteError where error.extendedCode == SQLiteError.Code.primaryKeyConstraint {
            // The id is among the recent ones.
            return false
        }
        recentIDs += 1
        return true
    }

    /// Turns the recent ids into a run once there are enough of them, then merges any full level.
    func mergeIfFull() throws {
        guard recentIDs >= mergeThreshold else { return }
        // The recent table is keyed by id, so the run is written in key order.
        try addRun(level: 0, count: recentIDs, from: "SELECT ?, event_id, seq FROM recent_event_ids")
        try database.execute("DELETE FROM recent_event_ids")
        recentIDs = 0
        while let level = Dictionary(grouping: runs, by: \.level).filter({ $0.value.count >= Self.fanout }).keys.min() {
            let merged = runs.filter { $0.level == level }
            let list = merged.map { String($0.id) }.joined(separator: ",")
            try addRun(level: level + 1, count: merged.reduce(0) { $0 + $1.count },
                       from: "SELECT ?, event_id, seq FROM event_id_run_entries WHERE run IN (\(list)) ORDER BY event_id")
            // Each run is a range of the table's keys, so this frees whole pages.
            try database.execute("DELETE FROM event_id_run_entries WHERE run IN (\(list)); DELETE FROM event_id_runs WHERE run IN (\(list))")
            runs.removeAll { $0.level == level }
        }
    }

    /// Writes a run of `level` from `select` (which yields the run's number, then ids and seqs), with its filter.
    private func addRun(level: Int, count: Int, from select: String) throws {
        // Never a number a committed run had: the largest only grows, as a merge adds its run first.
        let id = (runs.map(\.id).max() ?? 0) + 1
        let insert = try database.makeStatement("INSERT INTO event_id_run_entries (run, event_id, seq) " + select)
        try insert.bind(id, at: 1)
        try insert.run()
        let filter = try Self.filter(ofRun: id, count: count, database: database)
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

    /// The filter of a stored run, built from its ids (for a new run, or one migrated without one).
    private static func filter(ofRun run: Int64, count: Int, database: Database) throws -> BloomFilter {
        var filter = BloomFilter(capacity: count)
        let ids = try database.makeStatement("SELECT event_id FROM event_id_run_entries WHERE run = ?")
        try ids.bind(run, at: 1)
        while try ids.step() { filter.insert(ids.blob(0)) }
        return filter
    }
}
