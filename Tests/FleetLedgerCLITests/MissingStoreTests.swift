import FleetTestSupport
import Foundation
import Testing

/// A mistyped `--db` must not answer from a new, empty store: only the commands that write may
/// create one.
@Suite("A missing store is refused by every command that only reads or checks")
struct MissingStoreTests {
    let directory = TemporaryDirectory()

    @Test("each reading command exits 1 naming the path, and leaves no file", arguments: [
        ["verify"], ["stats"], ["events"], ["rebuild"], ["hosts"], ["host", "sh-1", "--pool", "hp"], ["route", "--pool", "hp"],
        ["pools"], ["update", "status", "--pool", "hp"], ["lb", "list"], ["lb", "health", "--lb", "lb", "--rule", "r"],
        ["vmss", "list"], ["vmss", "health", "--scale-set", "s"], ["history", "--pool", "hp", "--host", "sh-1"],
        ["report", "availability", "--pool", "hp", "--since", "2024-04-15T00:00:00Z", "--until", "2024-04-16T00:00:00Z"],
    ])
    func refused(command: [String]) {
        let path = directory.path("typo.sqlite")
        let result = fleetledger(command + ["--db", path])
        #expect(result.exitCode == 1)
        #expect(result.stderr == "Error: there is no store at \(path); give --db (or $FLEETLEDGER_DB) the path of an existing store, "
            + "or create one with fleetledger append, import, collect, copy or demo.\n")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a writing command creates the store")
    func writerCreates() {
        let path = directory.path("new.sqlite")
        #expect(fleetledger("append", "--db", path, directory.write("four.ndjson", fourEvents)).exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(fleetledger("verify", "--db", path).exitCode == 0)
    }

    @Test("backup names a missing source, and a target whose folder is missing, not the other")
    func backup() {
        let source = directory.path("store.sqlite")
        let target = directory.path("no-such-folder/copy.sqlite")
        #expect(fleetledger("backup", directory.path("copy.sqlite"), "--db", source).stderr.contains("there is no store at \(source)"))
        _ = fleetledger("append", "--db", source, directory.write("four.ndjson", fourEvents))
        let missingFolder = fleetledger("backup", target, "--db", source)
        #expect(missingFolder.exitCode == 1)
        #expect(missingFolder.stderr == "Error: cannot write the backup \(target): its folder \(directory.path("no-such-folder")) does not exist; "
            + "create it first or choose another path.\n")
    }
}
