import FleetEvents
import Crypto
import FleetSQLite

/// One numbered schema change from `Migrations/NNNN_name.sql`.
struct Migration: Sendable {
    var version: Int
    var name: String
    var sql: String

    /// SHA-256 of the SQL text, hex: recorded when applied, compared on every open.
    var checksum: String { SHA256.hash(data: Array(sql.utf8)).hexString }

    /// Every migration built into this binary, in order.
    static let embedded: [Migration] = embeddedMigrations.map { file in
        guard let migration = Migration(fileName: file.fileName, sql: file.text) else {
            preconditionFailure("migration file \(file.fileName) is not named NNNN_name.sql")
        }
        return migration
    }

    init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads `0001_event_log.sql` as version 1, named `event_log`.
    init?(fileName: String, sql: String) {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
            return nil
        }
        self.init(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
    }
}

/// Brings a store's schema up to date: applies missing migrations in order, in one transaction,
/// and refuses a store whose applied migrations this binary does not recognise.
enum Migrator {
    static let createLedger = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL,
            checksum   TEXT    NOT NULL,
            applied_at TEXT    NOT NULL
        ) STRICT
        """

    /// Applies what is missing; returns the versions applied now.
    @discardableResult
    static func migrate(_ database: Database, migrations: [Migration] = Migration.embedded, now: () throws -> Timestamp = Clock.wall) throws -> [Int] {
        // Most opens find nothing to do: check that without taking the write lock.
        if try pending(database, migrations).isEmpty { return [] }
        return try database.transaction(.immediate) {
            try database.execute(createLedger)
            let toApply = try pending(database, migrations)
            for migration in toApply {
                try database.execute(migration.sql)
                let record = try database.cachedStatement(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)")
                try record.bind(Int64(migration.version), at: 1)
                try record.bind(migration.name, at: 2)
                try record.bind(migration.checksum, at: 3)
                try record.bind(try now().rfc3339, at: 4)
                try record.run()
            }
            return toApply.map(\.version)
        }
    }

    /// Whether the store has every migration this binary carries (and none it does not know).
    static func isCurrent(_ database: Database, migrations: [Migration] = Migration.embedded) throws -> Bool {
        try pending(database, migrations).isEmpty
    }

    /// The migrations not yet applied, after checking the applied ones against this binary's.
    private static func pending(_ database: Database, _ migrations: [Migration]) throws -> [Migration] {
        let hasLedger = try database.scalarInt64(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'") == 1
        guard hasLedger else {
            // Never write FleetLedger's tables into someone else's database.
            let tables = try database.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'") ?? 0
            if tables > 0 {
                throw StoreError("\(database.path) is an SQLite database but not a FleetLedger store (it has \(tables) tables and no "
                    + "schema_migrations); nothing was changed, so choose another --db or move the file away.")
            }
            return migrations
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        let latest = migrations.last?.version ?? 0
        var applied: Set<Int> = []
        let rows = try database.makeStatement("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
        while try rows.step() {
            let version = Int(rows.int64(0))
            let name = rows.text(1)
            guard let migration = known[version] else {
                throw StoreError(
                    "the store \(database.path) was written by a newer FleetLedger: it has schema migration \(version) (\(name)), "
                        + "and this binary knows migrations up to \(latest); upgrade fleetledger to open it.")
            }
            guard migration.checksum == rows.text(2) else {
                throw StoreError(
                    "schema migration \(version) (\(name)) was changed after this store applied it: its checksum "
                        + "differs, and shipped migrations must never be edited; add a new migration instead.")
            }
            applied.insert(version)
        }
        return migrations.filter { !applied.contains($0.version) }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal digits, two per byte.
    package var hexString: String {
        var text = ""
        for byte in self {
            let digits = String(byte, radix: 16)
            text += digits.count == 1 ? "0" + digits : digits
        }
        return text
    }
}

extension SHA256.Digest {
    var hexString: String { Array(self).hexString }
}
