import CFleetSQLite
import Foundation

/// A floor: the same NDJSON lines stored with raw SQLite C calls, one prepared INSERT per line,
/// with an integer stream id and a unique (stream, version) index, the same durability and the
/// same commit interval. The stream ids, versions and producer ids are worked out before the clock
/// starts, so a floor is SQLite's cost of storing the lines and nothing else.
///
/// The storage floor stores just that; the idempotent floor also keeps the 16-byte producer id
/// under a UNIQUE index, the least the contract's "an id already stored is a no-op" costs done
/// naively (random ids land all over the index).
final class RawFloor {
    /// Nil: each call to `store` is one transaction.
    let commitEvery: Int?
    let idempotent: Bool
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    /// The last version of each stream id so far.
    private var versions: [Int64] = []

    init(path: String, commitEvery: Int?, synchronous: String, idempotent: Bool) throws {
        self.commitEvery = commitEvery
        self.idempotent = idempotent
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchError("cannot open \(path)") }
        try exec("PRAGMA journal_mode=WAL")
        try exec("PRAGMA synchronous=\(synchronous)")
        try exec("""
            CREATE TABLE lines (seq INTEGER PRIMARY KEY, stream INTEGER NOT NULL, version INTEGER NOT NULL, line TEXT NOT NULL\(idempotent ? ", id BLOB NOT NULL" : ""));
            CREATE UNIQUE INDEX lines_by_stream ON lines (stream, version);
            """ + (idempotent ? "CREATE UNIQUE INDEX lines_by_id ON lines (id);" : ""))
        let sql = idempotent ? "INSERT INTO lines (stream, version, line, id) VALUES (?, ?, ?, ?)" : "INSERT INTO lines (stream, version, line) VALUES (?, ?, ?)"
        guard sqlite3_prepare_v2(db, sql, -1, &insert, nil) == SQLITE_OK else {
            throw BenchError("cannot prepare the floor's INSERT")
        }
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_close(db)
    }

    /// Stores every line of the workload in a fresh floor; returns the seconds it took.
    static func run(_ workload: WorkloadFile, path: String, commitEvery: Int?, synchronous: String, idempotent: Bool) throws -> Double {
        let floor = try RawFloor(path: path, commitEvery: commitEvery, synchronous: synchronous, idempotent: idempotent)
        let elapsed = try floor.store(file: workload.path, firstLine: 0, of: workload)
        try floor.checkpointWAL()
        return elapsed
    }

    /// Stores the lines of `file`, which are the workload's lines from `firstLine` on; returns the
    /// seconds it took.
    func store(file: String, firstLine: Int, of workload: WorkloadFile) throws -> Double {
        if versions.isEmpty { versions = [Int64](repeating: 0, count: Int((workload.streamOfLine.max() ?? 0) + 1)) }
        guard let input = fopen(file, "r") else { throw BenchError("cannot read \(file)") }
        defer { fclose(input) }
        let (_, elapsed) = try seconds {
            var buffer: UnsafeMutablePointer<CChar>?
            var capacity = 0
            var index = firstLine
            try exec("BEGIN")
            while true {
                let length = getline(&buffer, &capacity, input)
                if length <= 0 { break }
                let stream = workload.streamOfLine[index]
                versions[Int(stream)] += 1
                sqlite3_bind_int64(insert, 1, Int64(stream))
                sqlite3_bind_int64(insert, 2, versions[Int(stream)])
                sqlite3_bind_text(insert, 3, buffer, Int32(length - 1), nil)  // without the newline
                if idempotent {
                    var id = workload.idOfLine[index]
                    withUnsafeBytes(of: &id) { _ = sqlite3_bind_blob(insert, 4, $0.baseAddress, 16, SQLITE_TRANSIENT) }
                }
                guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchError("floor INSERT failed") }
                sqlite3_reset(insert)
                index += 1
                if let commitEvery, (index - firstLine) % commitEvery == 0 {
                    try exec("COMMIT")
                    try exec("BEGIN")
                }
            }
            try exec("COMMIT")
            free(buffer)
        }
        return elapsed
    }

    func checkpointWAL() throws { try exec("PRAGMA wal_checkpoint(TRUNCATE)") }

    private func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("floor SQL failed: \(String(cString: sqlite3_errmsg(db))) (\(sql))")
        }
    }
}

/// SQLite's "copy the bytes now" destructor, which Swift does not import as a constant.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
