import FleetLedger
import FleetSQLite
import FleetTestSupport
import Foundation
import Testing

/// The number of events in the store at `db` (a file or a PostgreSQL URL).
private func storedEvents(_ db: String) throws -> Int {
    try StoreLocation(db).openReadingOnly().eventCount()
}

@Suite("crashes, interruptions, concurrent writers and readers (real processes)")
struct CrashAndConcurrencyTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    @Test("kill -9 during an append leaves every committed batch and no partial one; the same file again lands exactly the rest",
          arguments: TestEngine.underTest, [(seed: 1, delay: 0.3), (seed: 2, delay: 0.9), (seed: 3, delay: 1.6)])
    func killDuringAppend(engine: TestEngine, run: (seed: Int, delay: Double)) throws {
        let (seed, delay) = run
        let db = try engine.newStore(in: directory)
        let file = directory.write("events-\(seed).ndjson", heartbeats(20_000, idPrefix: seed))
        let writer = try FleetLedgerProcess.start(["append", "--commit-every", "500", file, "--db", db])
        // Killed after its first commit, so that the kill falls among batches, not before the first.
        for _ in 0..<1_500 where ((try? storedEvents(db)) ?? 0) == 0 { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: delay / 3)
        writer.signal(SIGKILL)
        _ = writer.wait()
        let kept = try storedEvents(db)
        #expect(kept % 500 == 0 && kept > 0 && kept <= 20_000, "only whole batches of 500 survive, found \(kept)")
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
        let again = fleetledger("append", file, "--db", db)
        #expect(again.exitCode == 0)
        #expect(again.stdout == "appended \(20_000 - kept) events, skipped \(kept) duplicates\n")
        #expect(try storedEvents(db) == 20_000)
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }

    @Test("Ctrl-C during an append stops between lines and says what was committed; exit 130")
    func interrupt() throws {
        let file = directory.write("events.ndjson", heartbeats(200_000))
        let writer = try FleetLedgerProcess.start(["append", "--commit-every", "1000", file, "--db", db])
        Thread.sleep(forTimeInterval: 0.7)
        writer.signal(SIGINT)
        let result = writer.wait()
        #expect(result.exitCode == 130)
        let kept = try storedEvents(db)
        if kept == 0 {
            #expect(result.stderr.contains("interrupted before this line; nothing was appended."))
        } else {
            #expect(result.stderr.contains("interrupted before this line; the first \(kept) input lines (through \(file) line \(kept)) were committed"))
        }
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }

    @Test("four writers at once all succeed, and seq stays gap-free", arguments: TestEngine.underTest)
    func concurrentWriters(engine: TestEngine) throws {
        let db = try engine.newStore(in: directory)
        _ = fleetledger("append", "--db", db, directory.write("empty.ndjson", ""))  // create the store first, so no writer races to migrate it
        let writers = try (0..<4).map { writer in
            let file = directory.write("writer-\(writer).ndjson", heartbeats(2_000, pool: "hp-\(writer)", idPrefix: writer + 10))
            return try FleetLedgerProcess.start(["append", "--commit-every", "100", file, "--db", db])
        }
        for writer in writers {
            let result = writer.wait()
            #expect(result.exitCode == 0, "\(result.stderr)")
        }
        #expect(try storedEvents(db) == 8_000)
        let events = fleetledger("events", "--db", db, "--format", "json")
        let seqs = events.stdout.split(separator: "\n").compactMap { line in line.firstRange(of: #"{"seq":"#).map { Int(line[$0.upperBound...].prefix { $0.isNumber })! } }
        #expect(seqs == Array(1...8_000), "no gaps, no duplicates, in order")
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }

    @Test("writers racing with the same expectedVersion: exactly one wins, the others are told the stream and both versions",
          arguments: TestEngine.underTest)
    func expectedVersionRace(engine: TestEngine) throws {
        let db = try engine.newStore(in: directory)
        _ = fleetledger("append", directory.write("first.ndjson", heartbeats(1, hosts: 1)), "--db", db)
        let racers = try (0..<4).map { racer in
            let line = #"{"type":"AgentHeartbeatReceived","at":"2024-04-15T03:00:0\#(racer + 1)Z","expectedVersion":1,"data":{"hostPool":"hp","sessionHost":"sh-0"}}"#
            return try FleetLedgerProcess.start(["append", directory.write("racer-\(racer).ndjson", line), "--db", db])
        }
        let results = racers.map { $0.wait() }
        #expect(results.count { $0.exitCode == 0 } == 1)
        for loser in results where loser.exitCode != 0 {
            #expect(loser.exitCode == 1)
            #expect(loser.stderr.contains(#"field "expectedVersion" is 1, but stream "sessionhost/hp/sh-0" is at version 2; nothing was appended."#))
        }
        #expect(try storedEvents(db) == 2)
    }

    @Test("a reader during a long append sees all of it or none of it, and verify passes meanwhile")
    func readerDuringAppend() throws {
        _ = fleetledger("append", "--db", db, directory.write("empty.ndjson", ""))
        let file = directory.write("events.ndjson", heartbeats(30_000))
        let writer = try FleetLedgerProcess.start(["append", file, "--db", db])
        var seen: Set<Int> = []
        while writer.process.isRunning {
            seen.insert(try storedEvents(db))
            let verify = fleetledger("verify", "--db", db)
            #expect(verify.exitCode == 0, "\(verify.stderr)")
        }
        #expect(writer.wait().exitCode == 0)
        #expect(seen.isSubset(of: [0, 30_000]), "one transaction: \(seen.sorted())")
    }

    @Test("a backup taken while a writer appends is a consistent store of whole batches")
    func backupUnderLoad() throws {
        _ = fleetledger("append", "--db", db, directory.write("empty.ndjson", ""))
        let file = directory.write("events.ndjson", heartbeats(30_000))
        let writer = try FleetLedgerProcess.start(["append", "--commit-every", "250", file, "--db", db])
        Thread.sleep(forTimeInterval: 0.8)
        let copy = directory.path("backup.sqlite")
        let backup = fleetledger("backup", copy, "--db", db)
        #expect(backup.exitCode == 0, "\(backup.stderr)")
        #expect(writer.wait().exitCode == 0)
        let copied = try storedEvents(copy)
        #expect(copied % 250 == 0)
        #expect(backup.stdout.hasPrefix("backed up \(copied) events to \(copy)"))
        let verified = fleetledger("verify", "--db", copy)
        #expect(verified.exitCode == 0, "\(verified.stderr)")
        // The backup's head is a head of the live store too.
        let head = try #require(backup.stdout.split(separator: "\n").last?.split(separator: " ").dropFirst().first)
        #expect(head.hasPrefix("\(copied):"))
        #expect(fleetledger("verify", "--db", db, "--expect-head", String(head)).exitCode == 0 || copied == 0)
    }

    @Test("fleetledger events | head ends quietly")
    func brokenPipe() throws {
        _ = fleetledger("append", directory.write("events.ndjson", heartbeats(5_000)), "--db", db)
        let result = try FleetLedgerProcess.run([], shell: #"set -o pipefail; "$FLEETLEDGER" events --db '\#(db)' | head -1"#)
        #expect(result.stdout.hasPrefix(#"{"seq":1,"#) && result.stdout.split(separator: "\n").count == 1)
        #expect(result.stderr.isEmpty)
    }

    @Test("a full disk (a file-size limit) refuses the append with a sentence; the store stays whole")
    func fullDisk() throws {
        _ = fleetledger("append", directory.write("small.ndjson", heartbeats(100, idPrefix: 1)), "--db", db)
        let before = try storedEvents(db)
        let file = directory.write("big.ndjson", heartbeats(50_000, pool: "hp-big", idPrefix: 2))
        // 4 MiB: far less than 50,000 events need.
        let result = try FleetLedgerProcess.run([], shell: #"ulimit -f 4096; exec "$FLEETLEDGER" append '\#(file)' --db '\#(db)'"#)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("full, or a file-size limit was reached"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was appended. Free some space and run the command again."), "\(result.stderr)")
        #expect(try storedEvents(db) == before)
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }

    @Test("a store locked by another writer for longer than the busy timeout: a sentence naming the store")
    func lockedStore() throws {
        _ = fleetledger("append", "--db", db, directory.write("empty.ndjson", ""))
        let holder = try Database(path: db)
        try holder.begin(.immediate)
        defer { holder.rollBack() }
        let result = fleetledger("append", directory.write("one.ndjson", heartbeats(1)), "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("stayed locked by another writer for longer than the busy timeout (5 s)"), "\(result.stderr)")
        #expect(result.stderr.contains(db))
    }

    @Test("a read-only store: an append is refused with a sentence naming it, and nothing changes")
    func readOnlyStore() throws {
        _ = fleetledger("append", directory.write("one.ndjson", heartbeats(10)), "--db", db)
        let extra = directory.write("more.ndjson", heartbeats(1, idPrefix: 9))
        let folder = directory.url.path
        for file in [db, db + "-wal", db + "-shm", extra] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        // Root ignores permissions: run as nobody then.
        let asUser = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        let append = try FleetLedgerProcess.run([], shell: #"\#(asUser)"$FLEETLEDGER" append '\#(extra)' --db '\#(db)'"#)
        #expect(append.exitCode == 1)
        #expect(append.stderr.contains("cannot be written: the file or its folder is read-only"), "\(append.stderr)")
        #expect(append.stderr.contains(db))
        #expect(try storedEvents(db) == 10)
    }
}
