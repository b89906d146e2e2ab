@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import FleetSQLite
import Testing

@Suite("Verification")
struct VerificationTests {
    /// A store holding five heartbeats, and a raw connection to tamper with it.
    static func tamperable() throws -> (StoreFixture, Database) {
        let fixture = try StoreFixture()
        try fixture.append((1...5).map { heartbeat(second: $0) })
        let database = try Database(path: fixture.path)
        try database.execute("DROP TRIGGER events_are_append_only_update; DROP TRIGGER events_are_append_only_delete")
        return (fixture, database)
    }

    @Test("an untouched store verifies, reporting its head")
    func intact() throws {
        let fixture = try StoreFixture()
        try fixture.append((1...5).map { heartbeat(second: $0) })
        let report = try fixture.store.verifyLog()
        #expect(report.isValid)
        #expect(report.eventsChecked == 5)
        #expect(report.headSeq == 5)
        let head = try #require(try Database(path: fixture.path).makeStatement("SELECT head_hash FROM commits WHERE last_seq = 5"))
        #expect(try head.step())
        #expect(report.headHash == head.blob(0).hexString)
        #expect(report.headHash.hasPrefix(try fixture.store.allEvents().last!.hash.hexString))
    }

    @Test("an empty store verifies")
    func empty() throws {
        #expect(try StoreFixture().store.verifyLog().isValid)
    }

    @Test("an edited payload is named by its seq, first")
    func alteredPayload() throws {
        let fixture = try StoreFixture()
        let check = #""hostPool":"hp","sessionHost":"sh","healthCheckName":"DomainJoinedCheck","healthCheckResult":"#
        try fixture.append([
            eventLine("HealthCheckCompleted", check + #""HealthCheckSucceeded""#, at: "2024-04-15T17:16:01Z"),
            eventLine("HealthCheckCompleted", check + #""HealthCheckFailed""#, at: "2024-04-15T17:16:02Z"),
            eventLine("HealthCheckCompleted", check + #""HealthCheckSucceeded""#, at: "2024-04-15T17:16:03Z"),
        ])
        let database = try Database(path: fixture.path)
        try database.execute("DROP TRIGGER events_are_append_only_update")
        // A failed check rewritten as a success: the payload still decodes, but no longer hashes.
        try database.execute("UPDATE events SET data = (SELECT data FROM events WHERE seq = 1) WHERE seq = 2")
        let report = try fixture.store.verifyLog()
        #expect(report.problems.first == "seq 2 was altered: its stored hash does not match its content and the hash before it.")
        #expect(report.problems.filter { $0.contains("altered") }.count == 1)
        #expect(report.problems.contains("The append-only trigger events_are_append_only_update is missing from the store."))
    }

    @Test("an edited time, type or version is caught by the hash", arguments: [
        "UPDATE events SET at = at + 1 WHERE seq = 2",
        "UPDATE events SET type = 3 WHERE seq = 2",
        "UPDATE events SET recorded_at = 1 WHERE seq = 2",
        "UPDATE events SET event_id = zeroblob(16) WHERE seq = 2",
    ])
    func alteredColumns(sql: String) throws {
        let (fixture, database) = try Self.tamperable()
        try database.execute(sql)
        #expect(try fixture.store.verifyLog().problems.first?.hasPrefix("seq 2 was altered") == true)
    }

    @Test("an event rewritten with fresh hashes up to its commit's end is caught at the commit's record")
    func rewrittenUpToCommit() throws {
        let (fixture, database) = try Self.tamperable()
        try database.execute("UPDATE events SET at = at + 1 WHERE seq = 4")
        // Recompute the stored hashes of seq 4 and 5 as a forger would; the commit's full hash stays.
        let events = try fixture.store.allEvents()
        var previous = StoredEvent.genesisHash
        for event in events {
            previous = StoredEvent.chainedHash(previous: previous, line: event.canonicalLineBytes)
            let update = try database.makeStatement("UPDATE events SET hash = ? WHERE seq = ?")
            try update.bind(Array(previous.prefix(CommitRecords.storedHashBytes)), at: 1)
            try update.bind(event.seq, at: 2)
            try update.run()
        }
        #expect(try fixture.store.verifyLog().problems.first == "The commit that ends at seq 5 holds a hash that does not match the log: the log was rewritten up to it.")
    }

    @Test("events cut from the end leave their commit's record behind, and verify says so")
    func cutAfterCommit() throws {
        let (fixture, database) = try Self.tamperable()
        try database.execute("DELETE FROM events WHERE seq = 5")
        #expect(try fixture.store.verifyLog().problems.contains("A commit record ends at seq 5, after the log's last event (seq 4): events were cut from its end."))
    }

    @Test("a log whose last commit record is gone: verify names it, and append refuses to chain blindly")
    func lostCommitRecord() throws {
        let (fixture, database) = try Self.tamperable()
        try database.execute("DROP TRIGGER commits_are_append_only_delete; DELETE FROM commits")
        let report = try fixture.store.verifyLog()
        #expect(report.problems.contains("The log's last event, seq 5, has no commit record holding its full hash: no event can be chained after it."))
        #expect(report.problems.contains("The append-only trigger commits_are_append_only_delete is missing from the store."))
        let error = try #require(throws: (any Error).self) { try fixture.append([heartbeat(second: 9)]) }
        #expect("\(error)".contains("seq 5, has no commit record holding its full hash"))
    }

    @Test("stored data that no longer decodes is named as altered")
    func undecodablePayload() throws {
        let (fixture, database) = try Self.tamperable()
        try database.execute("UPDATE events SET data = x'07FF' WHERE seq = 4")
        #expect(try fixture.store.verifyLog().problems.first?.hasPrefix("seq 4 was altered: its stored data cannot be read") == true)
    }

    @Test("a deleted event is named as missing")
    func missingEvent() throws {
        let (fixture, database) = try Self.tamperable()
        try database.execute("DELETE FROM events WHERE seq = 2")
        let problems = try fixture.store.verifyLog().problems
        #expect(problems.first == "seq 2 is missing from the log: the events after seq 1 continue at seq 3.")
        #expect(problems.contains { $0.contains("seq 3 was altered") })
    }

    @Test("a rewritten stream head is caught")
    func streamHead() throws {
        let (fixture, database) = try Self.tamperable()
        try database.execute("UPDATE streams SET version = 9")
        #expect(try fixture.store.verifyLog().problems.first == #"The head of stream "sessionhost/hp/sh-0" says version 9, but the log holds 5 events for it."#)
    }
}
