import FleetEvents
import Foundation
import PostgresNIO

extension Migration {
    /// The PostgreSQL store's migrations built into this binary (`Migrations/postgres/`), in order.
    static let embeddedPostgres: [Migration] = embeddedPostgresMigrations.map { file in
        guard let migration = Migration(fileName: file.fileName, sql: file.text) else {
            preconditionFailure("migration file postgres/\(file.fileName) is not named NNNN_name.sql")
        }
        return migration
    }

    /// The migration's statements, which end with ";" at a line's end (the extended protocol
    /// that binds parameters takes one statement at a time).
    var statements: [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { statement in !statement.split(separator: "\n").allSatisfy { $0.hasPrefix("--") || $0.isEmpty } }
    }
}

/// Brings a PostgreSQL store's schema up to date, as `Migrator` does an SQLite file's: missing
/// migrations applied in order in one transaction, under an advisory lock so processes opening a
/// new store together apply them once; a store with migrations this binary does not know refused.
enum PostgresMigrator {
    /// Any constant, the same in every FleetLedger process: the lock the migrations are applied under.
    private static let lockKey: Int64 = 0x466C_6565_744C_6467

    static func migrate(_ session: PostgresSession, writable: Bool, creating: Bool, migrations: [Migration] = Migration.embeddedPostgres) throws {
        let missing = try pending(session, migrations)
        if missing.isEmpty { return }
        if !creating, missing.count == migrations.count {
            throw StoreError("there is no FleetLedger store in the database at \(session.address); name an existing one in --db "
                + "(or $FLEETLEDGER_DB), or create one there with fleetledger append, import or demo.")
        }
        guard writable else {
            throw StoreError("the store at \(session.address) needs schema migrations that a read-only connection cannot apply; "
                + "open it once with a write command against the primary.")
        }
        try session.transaction {
            try session.query("SELECT pg_advisory_xact_lock(\(lockKey))")
            try session.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            for migration in try pending(session, migrations) {
                for statement in migration.statements { try session.execute(statement) }
                let version = migration.version, name = migration.name, checksum = migration.checksum
                try session.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (\(version), \(name), \(checksum))")
            }
        }
    }

    /// The migrations not yet applied, after checking the applied ones against this binary's.
    private static func pending(_ session: PostgresSession, _ migrations: [Migration]) throws -> [Migration] {
        let hasLedger = try session.scalarInt64("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'") == 1
        guard hasLedger else {
            let tables = try session.scalarInt64("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()") ?? 0
            if tables > 0 {
                throw StoreError("the database at \(session.address) is not a FleetLedger store (its schema has \(tables) table\(tables == 1 ? "" : "s") and no "
                    + "schema_migrations); nothing was changed, so name another database in the URL.")
            }
            return migrations
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        let latest = migrations.last?.version ?? 0
        var applied: Set<Int> = []
        for row in try session.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version") {
            let (version, name, checksum) = try row.decode((Int32, String, String).self)
            guard let migration = known[Int(version)] else {
                throw StoreError(
                    "the store at \(session.address) was written by a newer FleetLedger: it has PostgreSQL schema migration \(version) (\(name)), "
                        + "and this binary knows migrations up to \(latest); upgrade fleetledger to open it.")
            }
            guard migration.checksum == checksum else {
                throw StoreError(
                    "PostgreSQL schema migration \(version) (\(name)) was changed after the store at \(session.address) applied it: "
                        + "its checksum differs, and shipped migrations must never be edited; add a new migration instead.")
            }
            applied.insert(Int(version))
        }
        return migrations.filter { !applied.contains($0.version) }
    }
}
