import FleetSQLite
import FleetTestSupport
import Testing

@Suite("fleetledger append")
struct AppendCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    @Test("appending the same four events twice stores four")
    func idempotent() {
        let file = directory.write("four.ndjson", fourEvents)
        let first = fleetledger("append", "--db", db, file)
        #expect(first.exitCode == 0)
        #expect(first.stdout == "appended 4 events, skipped 0 duplicates\n")
        let second = fleetledger("append", "--db", db, file)
        #expect(second.stdout == "appended 0 events, skipped 4 duplicates\n")
        #expect(fleetledger("events", "--db", db).stdout.split(separator: "\n").count == 4)
    }

    @Test("a file with a bad line 4 exits 1, names line 4, and stores nothing")
    func badLine() {
        let file = directory.write("bad.ndjson", fourEvents.replacingOccurrences(of: "TcpTimeout", with: "Timeout"))
        let result = fleetledger("append", "--db", db, file)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("\(file) line 4: field \"data.outcome\" is \"Timeout\""))
        #expect(result.stderr.contains("nothing was appended"))
        #expect(result.stdout.isEmpty)
        #expect(fleetledger("events", "--db", db).stdout.isEmpty)
    }

    @Test("--commit-every keeps the batches before a bad line and says so")
    func commitEvery() {
        let file = directory.write("bad.ndjson", fourEvents.replacingOccurrences(of: "TcpTimeout", with: "Timeout"))
        let result = fleetledger("append", "--db", db, "--commit-every", "1", file)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("the first 3 input lines (through \(file) line 3) were committed"))
        #expect(fleetledger("events", "--db", db).stdout.split(separator: "\n").count == 3)
    }

    @Test("several files are one atomic input, in order")
    func severalFiles() {
        let lines = fourEvents.split(separator: "\n")
        let first = directory.write("1.ndjson", String(lines[0]))
        let second = directory.write("2.ndjson", lines[1...].joined(separator: "\n"))
        #expect(fleetledger("append", "--db", db, first, second).stdout == "appended 4 events, skipped 0 duplicates\n")
    }

    @Test("bad usage exits 64", arguments: [
        ["append", "--commit-every", "0"],
        ["append", "/nonexistent/file.ndjson"],
        ["import", "--commit-every", "0"],
        ["import", "/nonexistent/rows.json"],
        ["events", "--format", "xml"],
        ["events", "--since", "yesterday"],
        ["events", "--type", "ProbeResult"],
        ["nonsense"],
    ])
    func usage(arguments: [String]) {
        let result = fleetledger(arguments + ["--db", db])
        #expect(result.exitCode == 64)
        #expect(!result.stderr.isEmpty)
    }

    @Test("--durability full opens the store with synchronous FULL")
    func durability() throws {
        let file = directory.write("four.ndjson", fourEvents)
        #expect(fleetledger("append", "--db", db, "--durability", "full", file).exitCode == 0)
        #expect(fleetledger("append", "--db", db, "--durability", "sometimes", file).exitCode == 64)
    }
}
