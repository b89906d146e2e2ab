import FleetSQLite
import FleetTestSupport
import Foundation
import Testing

@Suite("hostile input and broken stores: one sentence, exit 1, nothing stored")
struct HostileInputTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    static let envelope = #"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:00Z","data":{"hostPool":"HOSTPOOL","sessionHost":"sh-1"}}"#

    /// Each input (the bytes of a file) and the end of the sentence it is refused with.
    static let cases: [(name: String, bytes: [UInt8], refusal: String)] = [
        ("NUL in a name", Array(envelope.replacingOccurrences(of: "HOSTPOOL", with: #"hp\u0000x"#).utf8),
         #"line 1: field "data.hostPool" holds a control character (U+0000) at character 3, which no name may hold; nothing was appended."#),
        ("an escape character in a name", Array(envelope.replacingOccurrences(of: "HOSTPOOL", with: #"hp\u001b[31m"#).utf8),
         #"line 1: field "data.hostPool" holds a control character (U+001B) at character 3, which no name may hold; nothing was appended."#),
        ("an absurdly long name", Array(envelope.replacingOccurrences(of: "HOSTPOOL", with: String(repeating: "h", count: 5_000)).utf8),
         #"line 1: field "data.hostPool" is 5000 characters long; a name may have at most 1024; nothing was appended."#),
        ("invalid UTF-8", Array(envelope.utf8).map { $0 == UInt8(ascii: "H") ? 0xFF : $0 },
         "line 1: is not valid JSON: a string that is not valid UTF-8 at column 9; nothing was appended."),
        ("deep nesting", Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8),
         "line 1: is not valid JSON: nesting deeper than 64 levels at column 65; nothing was appended."),
        ("a JSON array", Array("[1, 2, 3]".utf8), "line 1: must be a JSON object, not an array; nothing was appended."),
        ("a JSON string", Array(#""hello""#.utf8), "line 1: must be a JSON object, not a string; nothing was appended."),
        ("text that is not JSON", Array("not json".utf8),
         #"line 1: is not a JSON object: each line is one event, {"type": ..., "at": ..., "data": {...}}; nothing was appended."#),
        ("data: null", Array(#"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:00Z","data":null}"#.utf8),
         #"line 1: field "data" must be an object, not null; nothing was appended."#),
        ("a time in the year 99999", Array(envelope.replacingOccurrences(of: "2024-04-15", with: "99999-04-15").utf8),
         #"line 1: field "at" is "99999-04-15T03:00:00Z", which is not an RFC 3339 time: expected '-' at character 5; nothing was appended."#),
        ("a time in the year 1", Array(envelope.replacingOccurrences(of: "2024-04-15", with: "0001-01-01").utf8),
         #"line 1: field "at" is "0001-01-01T03:00:00Z", which is not an RFC 3339 time: the year 1 is outside the range 1678 to 2261; nothing was appended."#),
        ("a number beyond a double", Array(#"{"type":"HostPoolConfigured","at":"2024-04-15T03:00:00Z","data":{"hostPool":"a","maxSessionLimit":1e400}}"#.utf8),
         "line 1: is not valid JSON: a number out of range at column 99; nothing was appended."),
        ("an integer beyond 64 bits", Array(#"{"type":"HostPoolConfigured","at":"2024-04-15T03:00:00Z","data":{"hostPool":"a","maxSessionLimit":99999999999999999999}}"#.utf8),
         #"line 1: field "data.maxSessionLimit" must be an integer, not a number; nothing was appended."#),
        ("a file that ends in the middle of a line", Array((envelope + "\n" + #"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:01Z","data":{"hostPo"#).utf8),
         "line 2: is not valid JSON: a string that is never closed at column 69 (the input ends in the middle of this line); nothing was appended."),
    ]

    @Test("each hostile line is refused with its sentence, and nothing is stored", arguments: cases.indices)
    func hostile(index: Int) throws {
        let hostile = Self.cases[index]
        let path = directory.path("input.ndjson")
        FileManager.default.createFile(atPath: path, contents: Data(hostile.bytes))
        let result = fleetledger("append", path, "--db", db)
        #expect(result.exitCode == 1, "\(hostile.name)")
        let sentence = hostile.refusal.replacingOccurrences(of: "HOSTPOOL", with: "")
        #expect(result.stderr == "Error: \(path) \(sentence)\n", "\(hostile.name)")
        #expect(fleetledger("events", "--db", db).stdout.isEmpty)
    }

    @Test("a session host's FQDN, the longest real name, is accepted")
    func fqdn() throws {
        let fqdn = (0..<4).map { _ in String(repeating: "a", count: 62) }.joined(separator: ".") + ".example"
        #expect(fqdn.count == 259)
        let line = Self.envelope.replacingOccurrences(of: "HOSTPOOL", with: "hp").replacingOccurrences(of: "sh-1", with: fqdn)
        #expect(fleetledger("append", directory.write("fqdn.ndjson", line), "--db", db).exitCode == 0)
    }

    @Test("a file that is not a store is named, with what to do; nothing is written to it")
    func notAStore() throws {
        let path = directory.write("notes.sqlite", "my notes, not a database")
        let result = fleetledger("hosts", "--db", path)
        #expect(result.exitCode == 1)
        #expect(result.stderr == "Error: \(path) is not a FleetLedger store (it is not an SQLite database); nothing was changed. Choose another --db, or move the file away.\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "my notes, not a database")
    }

    @Test("another program's SQLite database is refused, not filled with our tables")
    func foreignDatabase() throws {
        let path = directory.path("other.sqlite")
        try Database(path: path).execute("CREATE TABLE contacts (name TEXT)")
        let result = fleetledger("append", directory.write("one.ndjson", Self.envelope), "--db", path)
        #expect(result.exitCode == 1)
        #expect(result.stderr == "Error: \(path) is an SQLite database but not a FleetLedger store (it has 1 tables and no schema_migrations); nothing was changed, so choose another --db or move the file away.\n")
        #expect(try Database(path: path).scalarInt64("SELECT count(*) FROM sqlite_schema") == 1)
    }

    @Test("a missing folder is named")
    func missingFolder() {
        let path = directory.path("no/such/folder/store.sqlite")
        let result = fleetledger("append", "--db", path, directory.write("one.ndjson", fourEvents))
        #expect(result.exitCode == 1)
        #expect(result.stderr == "Error: cannot open the store \(path): the folder \(directory.path("no/such/folder")) does not exist; nothing was changed. Create it, or choose another --db.\n")
    }

    @Test("a store written by a newer FleetLedger is refused, naming the store and what to do")
    func newerStore() throws {
        _ = fleetledger("append", "--db", db, directory.write("empty.ndjson", ""))
        try Database(path: db).execute("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (99, 'from_the_future', 'x', 'now')")
        let result = fleetledger("hosts", "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasPrefix("Error: the store \(db) was written by a newer FleetLedger: it has schema migration 99 (from_the_future)"))
        #expect(result.stderr.hasSuffix("upgrade fleetledger to open it.\n"))
    }

    @Test("a stored name that append would now refuse still rebuilds and verifies: rules apply at append only")
    func storedNamesAreNotRechecked() throws {
        _ = fleetledger("append", directory.write("one.ndjson", Self.envelope.replacingOccurrences(of: "HOSTPOOL", with: "hp")), "--db", db)
        // As an older FleetLedger stored it: the key is in the stream, which append now refuses.
        try Database(path: db).execute("UPDATE streams SET key = 'sessionhost/h' || char(1) || 'p/sh-1'")
        #expect(fleetledger("rebuild", "--db", db).exitCode == 0)
        let hosts = fleetledger("hosts", "--db", db, "--format", "csv")
        #expect(hosts.stdout.contains("h\u{1}p,sh-1,Available"))
    }
}
