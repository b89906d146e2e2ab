import FleetSQLite
import FleetTestSupport
import Testing

@Suite("fleetledger append")
struct AppendCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    @Test("appending the same three events twice stores three")
    func idempotent() {
        let file = directory.write("three.ndjson", threeEvents)
        let first = fleetledger("append", "--db", db, file)
        #expect(first.exitCode == 0)
        #expect(first.stdout == "appended 3 events, skipped 0 duplicates\n")
        let second = fleetledger("append", "--db", db, file)
        #expect(second.stdout == "appended 0 events, skipped 3 duplicates\n")
        #expect(fleetledger("events", "--db", db).stdout.split(separator: "\n").count == 3)
    }

    @Test("a file with a bad line 3 exits 1, names line 3, and stores nothing")
    func badLine() {
        let file = directory.write("bad.ndjson", threeEvents.replacingOccurrences(of: "TcpTimeout", with: "Timeout"))
        let result = fleetledger("append", "--db", db, file)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("\(file) line 3: field \"data.outcome\" is \"Timeout\""))
        #expect(result.stderr.contains("nothing was appended"))
        #expect(result.stdout.isEmpty)
        #expect(fleetledger("events", "--db", db).stdout.isEmpty)
    }

    @Test("--commit-every keeps the batches before a bad line and says so")
    func commitEvery() {
        let file = directory.write("bad.ndjson", threeEvents.replacingOccurrences(of: "TcpTimeout", with: "Timeout"))
        let result = fleetledger("append", "--db", db, "--commit-every", "1", file)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("the first 2 input lines (through \(file) line 2) were committed"))
        #expect(fleetledger("events", "--db", db).stdout.split(separator: "\n").count == 2)
    }

    @Test("several files are one atomic input, in order")
    func severalFiles() {
        let lines = threeEvents.split(separator: "\n")
        let first = directory.write("1.ndjson", String(lines[0]))
        let second = directory.write("2.ndjson", lines[1...].joined(separator: "\n"))
        #expect(fleetledger("append", "--db", db, first, second).stdout == "appended 3 events, skipped 0 duplicates\n")
    }

    @Test("bad usage exits 64", arguments: [
        ["append", "--commit-every", "0"],
        ["append", "/nonexistent/file.ndjson"],
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
        let file = directory.write("three.ndjson", threeEvents)
        #expect(fleetledger("append", "--db", db, "--durability", "full", file).exitCode == 0)
        #expect(fleetledger("append", "--db", db, "--durability", "sometimes", file).exitCode == 64)
    }
}
