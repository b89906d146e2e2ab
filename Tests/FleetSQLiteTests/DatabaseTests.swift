import FleetSQLite
import FleetTestSupport
import Testing

@Suite("Database")
struct DatabaseTests {
    let directory = TemporaryDirectory()

    @Test("opens in WAL mode with the chosen synchronous level")
    func pragmas() throws {
        let normal = try Database(path: directory.path("normal.sqlite"))
        #expect(try normal.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try normal.scalarInt64("PRAGMA synchronous") == 1)
        let full = try Database(path: directory.path("full.sqlite"), durability: .full)
        #expect(try full.scalarInt64("PRAGMA synchronous") == 2)
    }

    @Test("a new file gets the requested page size; an existing file keeps its own")
    func pageSize() throws {
        let path = directory.path("pages.sqlite")
        do {
            let created = try Database(path: path, pageSizeForNewFile: 16_384)
            try created.execute("CREATE TABLE t (x)")
            #expect(try created.scalarInt64("PRAGMA page_size") == 16_384)
        }
        let reopened = try Database(path: path, pageSizeForNewFile: 1_024)
        #expect(try reopened.scalarInt64("PRAGMA page_size") == 16_384)
        #expect(try Database(path: directory.path("default.sqlite")).scalarInt64("PRAGMA page_size") == 4_096)
    }

    @Test("binds and reads back every supported type, including NULL and an empty blob")
    func bindingRoundTrip() throws {
        let database = try Database(path: directory.path("types.sqlite"))
        try database.execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT)")
        let insert = try database.cachedStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.bind(Int64.min, at: 1)
        try insert.bind(2.5, at: 2)
        try insert.bind("héllo \u{1F600}", at: 3)
        try insert.bind([UInt8](), at: 4)
        try insert.bind(String?.none, at: 5)
        try insert.run()
        let select = try database.cachedStatement("SELECT i, d, s, b, typeof(b), n FROM t")
        #expect(try select.step())
        #expect(select.int64(0) == Int64.min)
        #expect(select.double(1) == 2.5)
        #expect(select.text(2) == "héllo \u{1F600}")
        #expect(select.blob(3) == [])
        #expect(select.text(4) == "blob")
        #expect(select.isNull(5))
        #expect(try !select.step())
    }

    @Test("a blob bound in place is written while bound, then unbound: a later run sees NULL, not freed bytes")
    func blobBoundInPlace() throws {
        let database = try Database(path: directory.path("bound.sqlite"))
        try database.execute("CREATE TABLE t (b BLOB)")
        let insert = try database.cachedStatement("INSERT INTO t VALUES (?)")
        let bytes: [UInt8] = [1, 2, 3]
        try insert.withBlobBound(bytes.span, at: 1) { try insert.run() }
        let empty: [UInt8] = []
        try insert.withBlobBound(empty.span, at: 1) { try insert.run() }
        try insert.run()
        let select = try database.cachedStatement("SELECT b, typeof(b) FROM t ORDER BY rowid")
        #expect(try select.step() && select.blob(0) == [1, 2, 3])
        #expect(try select.step() && select.text(1) == "blob")
        #expect(try select.step() && select.isNull(0))
        // Bytes read in place are lent as a span for the call.
        try database.execute("DELETE FROM t WHERE b IS NULL")
        let first = try database.cachedStatement("SELECT b FROM t ORDER BY rowid LIMIT 1")
        #expect(try first.step())
        #expect(first.withBlobBytes(0) { bytes in bytes.count == 3 && bytes[0] == 1 && bytes[2] == 3 })
    }

    @Test("a cached statement is prepared once and handed out reset")
    func statementCache() throws {
        let database = try Database(path: directory.path("cache.sqlite"))
        let first = try database.cachedStatement("SELECT 1 UNION ALL SELECT 2")
        #expect(try first.step())
        let second = try database.cachedStatement("SELECT 1 UNION ALL SELECT 2")
        #expect(first === second)
        #expect(try second.step())
        #expect(second.int64(0) == 1)
    }

    @Test("an error carries SQLite's code, message and the SQL")
    func errorDetails() throws {
        let database = try Database(path: directory.path("errors.sqlite"))
        try database.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        try database.execute("INSERT INTO t VALUES (1)")
        let error = try #require(throws: SQLiteError.self) {
            try database.cachedStatement("INSERT INTO t VALUES (1)").run()
        }
        #expect(error.code == 19)  // SQLITE_CONSTRAINT
        #expect(error.extendedCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(error.message.contains("UNIQUE constraint failed"))
        #expect(error.sql == "INSERT INTO t VALUES (1)")
        #expect(error.description.contains("INSERT INTO t VALUES (1)"))

        let syntax = try #require(throws: SQLiteError.self) { try database.makeStatement("SELEC 1") }
        #expect(syntax.code == 1)
        #expect(syntax.sql == "SELEC 1")
    }

    @Test("a transaction commits on return and rolls back on throw")
    func transactions() throws {
        struct Boom: Error {}
        let database = try Database(path: directory.path("tx.sqlite"))
        try database.execute("CREATE TABLE t (x)")
        try database.transaction { try database.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: Boom.self) {
            try database.transaction {
                try database.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try database.scalarInt64("SELECT count(*) FROM t") == 1)
        #expect(database.isAutocommit)
    }

    @Test("a nested transaction is a savepoint that rolls back alone")
    func nestedTransaction() throws {
        struct Boom: Error {}
        let database = try Database(path: directory.path("nested.sqlite"))
        try database.execute("CREATE TABLE t (x)")
        try database.transaction {
            try database.execute("INSERT INTO t VALUES (1)")
            try? database.transaction {
                try database.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try database.scalarInt64("SELECT sum(x) FROM t") == 1)
    }

    @Test("a second writer waits for the busy timeout, then fails with SQLITE_BUSY")
    func busyTimeout() throws {
        let path = directory.path("busy.sqlite")
        let first = try Database(path: path)
        let second = try Database(path: path, busyTimeoutMilliseconds: 50)
        try first.execute("CREATE TABLE t (x)")
        try first.execute("BEGIN IMMEDIATE")
        let error = try #require(throws: SQLiteError.self) { try second.execute("BEGIN IMMEDIATE") }
        #expect(error.code == 5)  // SQLITE_BUSY
        try first.execute("COMMIT")
        try second.transaction { try second.execute("INSERT INTO t VALUES (1)") }
        #expect(try first.scalarInt64("SELECT count(*) FROM t") == 1)
    }
}
