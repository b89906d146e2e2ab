import CFleetSQLite

/// A failure reported by SQLite: its result code, its own message, and the SQL that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (for example 2067 for SQLITE_CONSTRAINT_UNIQUE).
    public let extendedCode: Int32
    /// SQLite's own explanation (`sqlite3_errmsg`).
    public let message: String
    /// The statement being prepared or run, when there was one.
    public let sql: String?

    /// The primary result code (for example 19 for SQLITE_CONSTRAINT).
    public var code: Int32 { extendedCode & 0xFF }

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    init(handle: OpaquePointer?, code: Int32, sql: String?) {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
        self.init(extendedCode: extended, message: message, sql: sql)
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
