import CFleetSQLite

/// One open connection to an SQLite database file.
///
/// The connection owns its raw handle and every statement it has prepared, and closes them in
/// `deinit`. It is meant for one thread at a time (SQLite is opened with `NOMUTEX`); open one
/// connection per process or task that needs the store.
public final class Database {
    /// How hard SQLite works to keep a committed transaction across a power loss.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous=NORMAL` in WAL mode: a crash of the process never loses a commit; a power
        /// loss or OS crash may roll back the last transactions committed before it, never corrupt.
        case normal
        /// `synchronous=FULL`: every commit is on stable storage before `COMMIT` returns.
        case full
    }

    let handle: OpaquePointer
    /// The file this connection opened (`:memory:` for an in-memory database).
    public let path: String
    private var statementCache: [String: Statement] = [:]

    /// Opens (creating if needed) the database at `path`, in WAL mode with the given durability.
    ///
    /// - Parameters:
    ///   - busyTimeoutMilliseconds: how long a writer waits for another process's lock.
    ///   - pageSizeForNewFile: the page size of a database created by this call; an existing
    ///     file keeps its own, since SQLite cannot change it once the file is in WAL mode.
    public init(
        path: String,
        durability: Durability = .normal,
        busyTimeoutMilliseconds: Int32 = 5_000,
        readOnly: Bool = false,
        pageSizeForNewFile: Int? = nil
    ) throws {
        _ = Self.libraryConfigured
        var raw: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &raw, flags, nil)
        guard code == SQLITE_OK, let raw else {
            let error = SQLiteError(handle: raw, code: code, sql: nil, path: path)
            sqlite3_close_v2(raw)
            throw error
        }
        handle = raw
        self.path = path
        sqlite3_extended_result_codes(raw, 1)
        sqlite3_busy_timeout(raw, busyTimeoutMilliseconds)
        if let pageSizeForNewFile, !readOnly, try scalarInt64("PRAGMA page_count") == 0 {
            try execute("PRAGMA page_size=\(pageSizeForNewFile)")
        }
        if !readOnly {
            // WAL lets readers run while one writer appends, and makes NORMAL safe against app crashes.
            try execute("PRAGMA journal_mode=WAL")
        }
        try execute("PRAGMA synchronous=\(durability == .full ? "FULL" : "NORMAL")")
        // 64 MiB of page cache (SQLite's default is 2 MiB): appends land all over the stream and id
        // indexes, and a store of millions of events otherwise rereads index pages from the OS.
        try execute("PRAGMA cache_size=-65536")
    }

    /// The process-wide settings SQLite takes only before its first connection opens, applied once
    /// (a static's initializer runs once, thread-safely).
    private static let libraryConfigured: Void = {
        _ = fleet_sqlite3_disable_memory_statistics()
    }()

    deinit {
        for statement in statementCache.values { statement.finalize() }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no parameters and return no rows of interest.
    public func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError(handle: handle, code: code, sql: sql) }
    }

    /// A prepared statement for `sql`, compiled once per connection and reused afterwards.
    ///
    /// The statement is reset and its bindings cleared before it is handed out.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            return statement
        }
        let statement = try makeStatement(sql)
        statementCache[sql] = statement
        return statement
    }

    /// A prepared statement owned by the caller, for SQL that runs once.
    public func makeStatement(_ sql: String) throws -> Statement {
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard code == SQLITE_OK, let raw else { throw SQLiteError(handle: handle, code: code, sql: sql) }
        return Statement(handle: raw, database: handle, sql: sql)
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// False while a transaction is open on this connection.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// The value of the first column of the first row of `sql`, if any.
    public func scalarInt64(_ sql: String) throws -> Int64? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }

    /// The text of the first column of the first row of `sql`, if any.
    public func scalarText(_ sql: String) throws -> String? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.text(0)
    }

    /// The SQLite library's version, for diagnostics.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
