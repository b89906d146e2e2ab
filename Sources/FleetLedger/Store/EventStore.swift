import FleetSQLite

/// A FleetLedger store: one SQLite file holding the append-only event log.
///
/// Opening a store creates the file if needed and brings its schema up to date.
public final class EventStore {
    let database: Database

    /// Opens the store at `path` (created with its migrations applied on first use).
    public init(path: String, durability: Database.Durability = .normal) throws {
        database = try Database(path: path, durability: durability)
        try Migrator.migrate(database)
        try catchUpProjections()
    }

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

    /// Runs `body` with a writer inside one write transaction: everything it appended is committed
    /// together when `body` returns, and nothing is when it throws.
    func write<T>(_ body: (LogWriter) throws -> T) throws -> T {
        try database.transaction(.immediate) {
            let writer = try LogWriter(database: database, recordedAt: Clock.now())
            let result = try body(writer)
            try writer.finish()
            return result
        }
    }
}
