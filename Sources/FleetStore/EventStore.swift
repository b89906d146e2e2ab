import FleetEvents
import FleetProjection
import FleetSQLite

/// A FleetLedger store on SQLite: one file holding the append-only event log and the read models
/// its projectors fold from it (the embedded engine; `PostgresStore` is the other).
///
/// Opening a store creates the file if needed, brings its schema up to date, and catches its
/// read models up with the log.
public final class EventStore: LedgerStore {
    let database: Database
    package let schema: StoreSchema
    /// The read models' states from this connection's last committed batch, and the checkpoint
    /// they reflect, so the next batch need not read and decode them again.
    private var warmProjections: (pass: ProjectionPass, checkpoint: Int64)?
    /// The id index's runs as this connection's last committed batch left them, so the next batch
    /// need not read their filters again.
    private var warmIDRuns: [EventIDIndex.Run] = []
    /// The id index's recent ids as this connection's last committed batch left them, so the next
    /// batch need not look them up in their table.
    private var warmRecentIDs: EventIDIndex.RecentIDs?
    /// How many producer ids wait in `recent_event_ids` before they become a run of the id index
    /// (Tools/Benchmark/HISTORY.md, items 7 and 11).
    var idMergeThreshold = 65_536
    /// Where read-model checkpoints and log segments fall. Fixed for a store's life: only tests
    /// change it, on a new store, to reach several checkpoints with tens of events.
    var layout = ReadModelLayout()

    /// Opens the store at `path` (created with its migrations applied on first use).
    package init(path: String, schema: StoreSchema, durability: StoreDurability = .normal) throws {
        self.schema = schema
        // 16 KiB pages cut the pages an append dirties in the stream and id indexes, whose entries
        // land all over them (Tools/Benchmark/HISTORY.md, item 5).
        database = try Database(path: path, durability: durability.sqlite, pageSizeForNewFile: 16_384)
        // Checkpoint the WAL about every 40 MiB rather than SQLite's default 4 MiB: each
        // checkpoint syncs the disk twice, and a large batch would otherwise checkpoint every commit.
        try database.execute("PRAGMA wal_autocheckpoint=2500")
        try Migrator.migrate(database)
        try catchUpProjections()
    }

    /// Opens the store at `path` to read it only, for a question that must never write (shell
    /// completion): no migration, no read-model catch-up, a read-only connection, and a short
    /// wait for a writer's lock. A store that needs a migration or a catch-up is refused; the next
    /// command that opens it normally brings it up to date.
    package init(readingOnly path: String, schema: StoreSchema) throws {
        self.schema = schema
        database = try Database(path: path, busyTimeoutMilliseconds: 200, readOnly: true)
        // One snapshot: a writer committing between the two reads must not make a current store look behind.
        let current = try database.transaction(.deferred) { try Migrator.isCurrent(database) && foldedThrough() >= lastSeq() }
        guard current else {
            throw StoreError("the store \(path) needs a migration or a read-model catch-up before it can be read.")
        }
    }

    package var location: String { database.path }
    package var engineName: String { "SQLite" }

    /// The number of events in the log.
    public func eventCount() throws -> Int {
        Int(try database.scalarInt64("SELECT count(*) FROM events") ?? 0)
    }

    /// Copies the WAL into the database file and empties it, so the file's size is the store's.
    public func checkpointWAL() throws {
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// The position of the last event, 0 for an empty log.
    public func lastSeq() throws -> Int64 {
        try database.scalarInt64("SELECT max(seq) FROM events") ?? 0
    }

    /// The SQLite library's version, for diagnostics.
    public static var sqliteVersion: String { Database.libraryVersion }

    /// Opens a write transaction and a writer for it. End it with `commit(_:)` or `rollBack()`.
    func beginBatch(recordedAt: Timestamp) throws -> LogWriter {
        try database.begin(.immediate)
        do {
            return try LogWriter(database: database, recordedAt: recordedAt,
                                 readModels: ReadModelWriter(database: database, pass: try projectionPass(), layout: layout),
                                 idIndex: EventIDIndex(database: database, mergeThreshold: idMergeThreshold, cached: warmIDRuns,
                                                      warm: takeWarmRecentIDs()))
        } catch {
            rollBack()
            throw error
        }
    }

    /// Writes the batch's stream heads and read models, and commits.
    func commit(_ writer: consuming LogWriter) throws {
        do {
            try writer.finish()
            try database.commit()
        } catch {
            rollBack()
            throw error
        }
        if let checkpoint = writer.readModels.pass.lastSeq {
            warmProjections = (writer.readModels.pass, checkpoint)
        }
        warmIDRuns = writer.idIndex.runs
        warmRecentIDs = writer.idIndex.recentForNextBatch(lastSeq: writer.lastSeq)
    }

    /// The warm recent ids, handed over (not shared) so the batch's additions do not copy them.
    private func takeWarmRecentIDs() -> EventIDIndex.RecentIDs? {
        defer { warmRecentIDs = nil }
        return warmRecentIDs
    }

    /// Abandons the open batch: nothing it appended remains.
    func rollBack() {
        warmProjections = nil
        database.rollBack()
    }

    /// The warm pass when the store's read models are still where this connection left them
    /// (no other writer has committed since), else a fresh one that reads them from the store.
    private func projectionPass() throws -> ProjectionPass {
        guard let warm = warmProjections, try foldedThrough() == warm.checkpoint else {
            warmProjections = nil
            return ProjectionPass(projectors: schema.projectors, source: CurrentStates(database: database))
        }
        return warm.pass
    }

    /// Forgets the warm read-model states, after the read models were rewritten wholesale.
    func forgetWarmProjections() {
        warmProjections = nil
    }
}
