import CFleetSQLite

/// A failure reported by SQLite: its result code, its own message, and the SQL that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (for example 2067 for SQLITE_CONSTRAINT_UNIQUE).
    public let extendedCode: Int32
    /// SQLite's own explanation (`sqlite3_errmsg`).
    public let message: String
    /// The statement being prepared or run, when there was one.
    public let sql: String?
    /// The database file, when SQLite knows it.
    public let path: String?
    /// The operating system's error number behind an I/O error (`ENOSPC`, `EFBIG`), when there was one.
    public var systemErrno: Int32 = 0

    /// The primary result code (for example 19 for SQLITE_CONSTRAINT).
    public var code: Int32 { extendedCode & 0xFF }

    /// SQLite's result codes that callers act on, by name. (Swift does not import SQLite's
    /// extended-code macros, so those are spelled as sqlite3.h defines them.)
    public enum Code {
        /// A PRIMARY KEY would hold a value twice (extended code `SQLITE_CONSTRAINT_PRIMARYKEY`).
        public static let primaryKeyConstraint = SQLITE_CONSTRAINT | (6 << 8)
        /// A UNIQUE index would hold a value twice (extended code `SQLITE_CONSTRAINT_UNIQUE`).
        public static let uniqueConstraint = SQLITE_CONSTRAINT | (8 << 8)
        /// Another connection holds the lock the statement needs.
        public static let busy = SQLITE_BUSY
        /// A table is locked by another statement of a shared cache.
        public static let locked = SQLITE_LOCKED
        /// The file is not a database.
        public static let notADatabase = SQLITE_NOTADB
        /// The database (or its folder) cannot be written.
        public static let readOnly = SQLITE_READONLY
        /// The disk is full, or a file-size limit was reached.
        public static let full = SQLITE_FULL
        /// The file (or its folder) cannot be opened or created.
        public static let cannotOpen = SQLITE_CANTOPEN
        /// The file is damaged.
        public static let corrupt = SQLITE_CORRUPT
        /// An operating-system I/O error.
        public static let ioError = SQLITE_IOERR
        /// A write the operating system cut short (extended code `SQLITE_IOERR_WRITE`): a full disk or a size limit.
        public static let ioErrorWrite = SQLITE_IOERR | (3 << 8)
    }

    public init(extendedCode: Int32, message: String, sql: String? = nil, path: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
        self.path = path
    }

    init(handle: OpaquePointer?, code: Int32, sql: String?, path: String? = nil) {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
        let file = path ?? handle.flatMap { sqlite3_db_filename($0, "main") }.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        self.init(extendedCode: extended, message: message, sql: sql, path: file)
        systemErrno = handle.map { sqlite3_system_errno($0) } ?? 0
    }

    public var description: String {
        let name = String(cString: sqlite3_errstr(extendedCode))
        var text = "SQLite error \(extendedCode) (\(name)): \(message)"
        if let sql { text += " (while running: \(sql.trimmingWhitespace()))" }
        return text
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
