import CFleetSQLite

/// SQLite's SQLITE_TRANSIENT: tells SQLite to copy a bound buffer before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A compiled SQL statement: bind parameters (1-based), step through rows, read columns (0-based).
///
/// Statements are owned by their `Database`; one from `cachedStatement` must not be kept past the
/// next request for the same SQL.
public final class Statement {
    @usableFromInline let handle: OpaquePointer
    private let database: OpaquePointer
    /// The statement's SQL text, kept for error messages.
    public let sql: String
    private var finalized = false

    init(handle: OpaquePointer, database: OpaquePointer, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit { finalize() }

    func finalize() {
        guard !finalized else { return }
        finalized = true
        sqlite3_finalize(handle)
    }

    /// Makes the statement ready to run again, with no parameters bound.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Binding

    public func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ value: Int, at index: Int32) throws {
        try bind(Int64(value), at: index)
    }

    public func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    public func bind(_ value: String, at index: Int32) throws {
        var value = value
        try value.withUTF8 { utf8 in
            try check(sqlite3_bind_text(handle, index, utf8.baseAddress, Int32(utf8.count), transient))
        }
    }

    public func bind(_ bytes: [UInt8], at index: Int32) throws {
        try bind(bytes[...], at: index)
    }

    public func bind(_ bytes: ArraySlice<UInt8>, at index: Int32) throws {
        try bytes.withUnsafeBytes { try bind($0, at: index) }
    }

    /// Binds a copy of `bytes` as a blob.
    public func bind(_ bytes: Span<UInt8>, at index: Int32) throws {
        try bytes.withUnsafeBytes { try bind($0, at: index) }
    }

    /// Binds a blob the caller holds only for the call (SQLite copies it).
    public func bind(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        try bindBlob(bytes, at: index, destructor: transient)
    }

    /// Binds `bytes` without copying them while `body` runs, then resets the statement and unbinds
    /// them, so SQLite never holds the pointer past the span's life: for a hot insert's blobs, whose
    /// copies were a malloc and a free each. `body` runs the statement (`run()`).
    public func withBlobBound(_ bytes: Span<UInt8>, at index: Int32, _ body: () throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            try bindBlob(raw, at: index, destructor: nil)
            defer {
                sqlite3_reset(handle)
                sqlite3_bind_null(handle, index)
            }
            try body()
        }
    }

    private func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32, destructor: sqlite3_destructor_type?) throws {
        // A zero-length blob must still be a blob, not NULL: SQLite needs a non-nil pointer.
        try check(sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), destructor))
    }

    public func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    public func bind(_ value: Int64?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    public func bind(_ value: String?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    public func bind(_ value: [UInt8]?, at index: Int32) throws {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    // MARK: Running

    /// Advances to the next row: true when a row is ready to read, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let error = SQLiteError(handle: database, code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to completion, ignoring any rows, then resets it.
    public func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    // MARK: Reading columns

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    @inlinable
    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func double(_ column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    public func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Calls `body` with the column's bytes without copying them; valid only inside `body`.
    ///
    /// Inlinable, so that it is specialized where it is called: called generically from another
    /// module, each call asked the runtime for its result type's metadata twice, and a rebuild
    /// reads every event's data through it (Tools/Benchmark/HISTORY.md, item 27).
    @inlinable
    public func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(handle, column))
        let pointer = sqlite3_column_blob(handle, column)
        return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count))
    }

    /// Calls `body` with the column's bytes in place, as a span valid only inside `body`: the safe
    /// form for code outside this file.
    @inlinable
    public func withBlobBytes<T>(_ column: Int32, _ body: (Span<UInt8>) throws -> T) rethrows -> T {
        try withBlob(column) { raw in try body(raw.bindMemory(to: UInt8.self).span) }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw SQLiteError(handle: database, code: code, sql: sql) }
    }
}
