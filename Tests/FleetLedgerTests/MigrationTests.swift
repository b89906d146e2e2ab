@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import FleetSQLite
import FleetTestSupport
import Foundation
import Testing

@Suite("Migrations")
struct MigrationTests {
    let directory = TemporaryDirectory()

    @Test("the binary carries every file of Migrations/, unchanged and in order")
    func embeddedMatchesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(embeddedMigrations.map(\.fileName) == files,
                "the binary embeds other migrations than Migrations/ holds: run `swift build` (swift test reuses the build plan, which lists the folder's files)")
        for (name, sql) in embeddedMigrations {
            #expect(sql == (try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
        }
        #expect(Migration.embedded.map(\.version) == Array(1...Migration.embedded.count))
    }

    @Test("a fresh store gets every migration, each recorded with its checksum")
    func freshStore() throws {
        let database = try Database(path: directory.path("fresh.sqlite"))
        let applied = try Migrator.migrate(database)
        #expect(applied == Migration.embedded.map(\.version))
        let statement = try database.makeStatement("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
        for migration in Migration.embedded {
            #expect(try statement.step())
            #expect(statement.int64(0) == Int64(migration.version))
            #expect(statement.text(1) == migration.name)
            #expect(statement.text(2) == migration.checksum)
            #expect(statement.text(2).count == 64)
        }
    }

    @Test("re-opening a migrated store applies nothing and keeps its events")
    func reopen() throws {
        let path = directory.path("reopen.sqlite")
        do {
            let store = try EventStore(path: path)
            try store.append(from: [.bytes(name: "x", Array(heartbeat().utf8))])
        }
        let database = try Database(path: path)
        #expect(try Migrator.migrate(database) == [])
        #expect(try EventStore(path: path).eventCount() == 1)
    }

    @Test("0005: a store whose update ids came from the log position gets them from the schedule's time on open")
    func updateIDsFromTime() throws {
        let path = directory.path("update-ids.sqlite")
        var pool = PoolEvents()
        pool.hosts(2)
        pool.schedule()
        let expected: String
        do {
            let store = try EventStore(path: path)
            try store.append(from: [.bytes(name: "x", Array(pool.lines.joined(separator: "\n").utf8))])
            expected = try #require(try UpdateQueries.update(in: try store.projections(asOf: nil), pool: "hp").id)
        }
        // As a store written before 0005 holds it: an id made from the schedule's seq, and 0005 not applied.
        do {
            let database = try Database(path: path)
            let stored = try #require(try database.scalarText("SELECT state FROM entity_states WHERE projector = 'session-host-updates'"))
            let old = stored.replacingOccurrences(of: expected, with: "08ba4807-b55e-4cc5-8000-000000000004")
            try database.execute("UPDATE entity_states SET state = '\(old)' WHERE projector = 'session-host-updates'")
            try database.execute("DELETE FROM schema_migrations WHERE version = 5")
        }
        let store = try EventStore(path: path)
        #expect(try UpdateQueries.update(in: try store.projections(asOf: nil), pool: "hp").id == expected)
        #expect(try store.verifyLog().problems.isEmpty)
    }

    @Test("pending migrations are applied in order after the ones already applied")
    func pendingMigrations() throws {
        let database = try Database(path: directory.path("pending.sqlite"))
        let first = Migration(version: 1, name: "a", sql: "CREATE TABLE a (x)")
        let second = Migration(version: 2, name: "b", sql: "ALTER TABLE a ADD COLUMN y")
        #expect(try Migrator.migrate(database, migrations: [first]) == [1])
        #expect(try Migrator.migrate(database, migrations: [first, second]) == [2])
        try database.execute("INSERT INTO a (x, y) VALUES (1, 2)")
    }

    @Test("a failing migration leaves the store as it was")
    func failingMigration() throws {
        let database = try Database(path: directory.path("failing.sqlite"))
        let broken = [Migration(version: 1, name: "a", sql: "CREATE TABLE a (x)"), Migration(version: 2, name: "b", sql: "CREATE TABLE a (x)")]
        #expect(throws: SQLiteError.self) { try Migrator.migrate(database, migrations: broken) }
        #expect(try database.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name IN ('a', 'schema_migrations')") == 0)
    }

    @Test("a migration edited after it was applied is refused")
    func editedMigration() throws {
        let database = try Database(path: directory.path("edited.sqlite"))
        try Migrator.migrate(database, migrations: [Migration(version: 1, name: "event_log", sql: "CREATE TABLE a (x)")])
        let error = try #require(throws: StoreError.self) {
            try Migrator.migrate(database, migrations: [Migration(version: 1, name: "event_log", sql: "CREATE TABLE a (x, y)")])
        }
        #expect(error.message.hasPrefix("schema migration 1 (event_log) was changed after this store applied it"))
    }

    @Test("a store written by a newer schema is refused")
    func newerStore() throws {
        let path = directory.path("newer.sqlite")
        _ = try EventStore(path: path)
        let database = try Database(path: path)
        try database.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 'x', '2030-01-01T00:00:00Z')")
        let error = try #require(throws: StoreError.self) { try EventStore(path: path) }
        #expect(error.message.contains("written by a newer FleetLedger: it has schema migration 999 (from_the_future)"))
    }

    @Test("the migrations' event_types rows and the event declarations agree on every name and code")
    func eventTypeCodes() throws {
        let store = try EventStore(path: directory.path("types.sqlite"))
        let rows = try store.database.makeStatement("SELECT code, name FROM event_types ORDER BY code")
        var stored: [Int64: String] = [:]
        while try rows.step() { stored[rows.int64(0)] = rows.text(1) }
        let declared = Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0.code, $0.rawValue) })
        for (code, name) in declared.sorted(by: { $0.key < $1.key }) where stored[code] != name {
            Issue.record("event type \(name) (code \(code)) has no event_types row in the migrations\(stored[code].map { "; code \(code) is \($0) there" } ?? ""): add one in a new migration, then run `swift build` so the binary embeds it")
        }
        for (code, name) in stored.sorted(by: { $0.key < $1.key }) where declared[code] == nil {
            Issue.record("the migrations name event type \(name) (code \(code)), which no domain declares")
        }
        #expect(stored.count == declared.count)
    }
}

@Suite("Append-only log")
struct AppendOnlyTests {
    @Test("UPDATE and DELETE on events fail in SQLite itself")
    func triggers() throws {
        let fixture = try StoreFixture()
        try fixture.append([heartbeat()])
        let database = try Database(path: fixture.path)
        let update = try #require(throws: SQLiteError.self) { try database.execute("UPDATE events SET version = 9 WHERE seq = 1") }
        #expect(update.message == "the event log is append-only: UPDATE on events is not allowed")
        let delete = try #require(throws: SQLiteError.self) { try database.execute("DELETE FROM events") }
        #expect(delete.message == "the event log is append-only: DELETE on events is not allowed")
        #expect(try fixture.store.eventCount() == 1)
    }
}
