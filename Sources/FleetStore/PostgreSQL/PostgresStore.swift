import FleetEvents
import FleetProjection
import PostgresNIO

/// A FleetLedger store on a PostgreSQL server: the same log, chain and read models as `EventStore`
/// keeps in an SQLite file, for a ledger that writers on several machines append to at once and
/// that survives the loss of one (replication, backups and managed servers come with PostgreSQL).
///
/// Writers take the chain's head row (`log_head`) for their whole batch, so batches commit one
/// after another, each taking the next positions: `seq` is gap-free in commit order, and a reader
/// following by `seq` never skips an event that commits later with a smaller one.
public final class PostgresStore: LedgerStore {
    package let schema: StoreSchema
    let session: PostgresSession
    /// Whether the server accepts writes (false on a standby in recovery).
    let writable: Bool
    /// The read models' states as this connection's last committed batch left them, and the
    /// checkpoint they reflect, so the next batch need not read them again while no other writer
    /// has committed since.
    var warmProjections: (pass: ProjectionPass, checkpoint: Int64)?
    /// How long a writer waits for another's batch to commit before it gives up with a sentence.
    static let lockTimeoutSeconds = 60
    /// Events per page when reading the log: each page is one round trip, and one page in memory.
    static let pageSize = 10_000

    /// Connects to the store at `address`, bringing its schema up to date and its read models
    /// level with its log (on a primary; a standby is only read).
    ///
    /// Without `creating`, a database that holds no store is refused rather than given one, so a
    /// command that only reads never leaves an empty store behind a mistyped URL.
    package init(address: PostgresAddress, schema: StoreSchema, creating: Bool = true, durability: StoreDurability = .normal) throws {
        self.schema = schema
        session = try PostgresSession(address: address)
        writable = try session.scalarInt64("SELECT CASE WHEN pg_is_in_recovery() THEN 0 ELSE 1 END") == 1
        // normal keeps the server's own setting (on unless its administrator chose otherwise); full insists.
        if durability == .full { try session.configure("SET synchronous_commit = on") }
        // A writer waits its turn for the chain's head, but not for ever behind a batch left open.
        try session.configure("SET lock_timeout = '\(Self.lockTimeoutSeconds)s'")
        try PostgresMigrator.migrate(session, writable: writable, creating: creating)
        if writable { try catchUpProjections() }
    }

    /// Connects to read only: no migration, no catch-up, every transaction read-only; a store
    /// that would need either is refused.
    package init(readingOnly address: PostgresAddress, schema: StoreSchema) throws {
        self.schema = schema
        session = try PostgresSession(address: address)
        writable = false
        try session.configure("SET default_transaction_read_only = on")
        try PostgresMigrator.migrate(session, writable: false, creating: false)
        let current = try withSnapshot { try foldedThrough() >= lastSeq() }
        guard current else {
            throw StoreError("the store at \(address) needs a read-model catch-up before it can be read; "
                + "run any write command against the primary once (fleetledger rebuild).")
        }
    }

    package var location: String { session.address.description }
    package var engineName: String { "PostgreSQL" }

    public func eventCount() throws -> Int {
        Int(try session.scalarInt64("SELECT count(*) FROM events") ?? 0)
    }

    public func lastSeq() throws -> Int64 {
        try session.scalarInt64("SELECT seq FROM log_head") ?? 0
    }

    /// One snapshot for every read inside: a repeatable-read, read-only transaction.
    package func withSnapshot<T>(_ body: () throws -> T) throws -> T {
        try session.transaction("ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body() }
    }

    /// Refuses a write on a standby, before anything is read.
    func requireWritable(_ what: String) throws {
        guard writable else {
            throw StoreError("the PostgreSQL server at \(session.address.host):\(session.address.port) is a read-only standby, "
                + "so it cannot \(what); run the commands that write against the primary.")
        }
    }

    /// A consistent copy of a PostgreSQL store is PostgreSQL's own tools' work.
    public func backup(to path: String) throws -> BackupSummary {
        let url = session.address.urlForTools
        throw StoreError("backup writes an SQLite file and the store at \(location) is on PostgreSQL: back it up with "
            + "pg_dump (pg_dump -Fc -f fleetledger.dump '\(url)'), or copy it to an SQLite file with fleetledger copy --db '\(url)' --to \(path).")
    }
}
