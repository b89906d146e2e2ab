@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import FleetSQLite
import Testing

@Suite("Producer id index")
struct EventIDIndexTests {
    /// A store that merges its recent ids after every two.
    static func fixture() throws -> StoreFixture {
        let fixture = try StoreFixture()
        fixture.store.idMergeThreshold = 2
        return fixture
    }

    func count(_ table: String, _ fixture: StoreFixture) throws -> Int64 {
        try fixture.store.database.scalarInt64("SELECT count(*) FROM \(table)") ?? -1
    }

    /// The ids the runs' blocks hold.
    func idsInBlocks(_ fixture: StoreFixture) throws -> Int {
        let blocks = try fixture.store.database.makeStatement("SELECT entries FROM event_id_blocks")
        var ids = 0
        while try blocks.step() { ids += try #require(blocks.withBlobBytes(0, IDBlock.decode)).count }
        return ids
    }

    func runs(_ fixture: StoreFixture) throws -> [String] {
        let rows = try fixture.store.database.makeStatement("SELECT level, ids FROM event_id_runs ORDER BY run")
        var runs: [String] = []
        while try rows.step() { runs.append("level \(rows.int64(0)): \(rows.int64(1)) ids") }
        return runs
    }

    @Test("recent ids become runs, and duplicates are found in the runs and among the recent ids")
    func runsOfRecentIDs() throws {
        let fixture = try Self.fixture()
        let lines = (1...5).map { heartbeat(second: $0, id: uuid($0)) }
        try fixture.append(lines, commitEvery: 1)
        #expect(try runs(fixture) == ["level 0: 2 ids", "level 0: 2 ids"])
        #expect(try count("recent_event_ids", fixture) == 1)
        let again = try fixture.append(lines)
        #expect(again.appended == 0 && again.duplicates == 5)
        let mixed = try fixture.append([heartbeat(second: 6, id: uuid(1)), heartbeat(second: 6, id: uuid(5)), heartbeat(second: 6, id: uuid(6))])
        #expect(mixed.appended == 1 && mixed.duplicates == 2)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("one long batch makes its runs as it goes, so the recent ids never outgrow a run")
    func longBatch() throws {
        let fixture = try Self.fixture()
        let lines = (1...7).map { heartbeat(second: $0, id: uuid($0)) }
        #expect(try fixture.append(lines).appended == 7)
        #expect(try runs(fixture) == ["level 0: 2 ids", "level 0: 2 ids", "level 0: 2 ids"])
        #expect(try count("recent_event_ids", fixture) == 1)
        #expect(try fixture.append(lines).duplicates == 7)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("eight runs of a level merge into one run of the next, and every id is still found, also by a fresh connection")
    func levels() throws {
        let fixture = try Self.fixture()
        let lines = (1...35).map { heartbeat(second: $0, id: uuid($0)) }
        try fixture.append(Array(lines.prefix(15)), commitEvery: 1)
        #expect(try runs(fixture) == Array(repeating: "level 0: 2 ids", count: 7))
        try fixture.append([lines[15]])
        #expect(try runs(fixture) == ["level 1: 16 ids"])
        try fixture.append(Array(lines[16...]), commitEvery: 1)
        #expect(try runs(fixture) == ["level 1: 16 ids", "level 1: 16 ids", "level 0: 2 ids"])
        #expect(try idsInBlocks(fixture) == 34)
        #expect(try count("recent_event_ids", fixture) == 1)
        #expect(try fixture.append(lines, commitEvery: 7).duplicates == 35)
        let fresh = try EventStore(path: fixture.path)
        #expect(try fresh.append(from: [.bytes(name: "retry", Array(lines.joined(separator: "\n").utf8))]).duplicates == 35)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a store whose ids were in one table (before migration 0006) keeps finding them, from a run at the level of its size")
    func migratedIDs() throws {
        let fixture = try Self.fixture()
        let lines = (1...9).map { heartbeat(second: $0, id: uuid($0)) }
        try fixture.append(lines)
        // As 0005 left a store: every id in event_ids, none in the runs.
        let database = try Database(path: fixture.path)
        try database.execute("""
            CREATE TABLE event_ids (event_id BLOB PRIMARY KEY, seq INTEGER NOT NULL) STRICT, WITHOUT ROWID;
            CREATE TRIGGER event_ids_are_append_only_update BEFORE UPDATE ON event_ids BEGIN SELECT RAISE(ABORT, 'no'); END;
            CREATE TRIGGER event_ids_are_append_only_delete BEFORE DELETE ON event_ids BEGIN SELECT RAISE(ABORT, 'no'); END;
            INSERT INTO event_ids SELECT event_id, seq FROM events WHERE event_id IS NOT NULL;
            DELETE FROM recent_event_ids;
            DROP TABLE event_id_runs; DROP TABLE event_id_run_entries; DROP TABLE event_id_blocks;
            DELETE FROM schema_migrations WHERE version IN (6, 9);
            """)
        let store = try EventStore(path: fixture.path)
        store.idMergeThreshold = 2
        #expect(try store.database.scalarInt64("SELECT count(*) FROM event_id_runs WHERE filter IS NULL") == 1)
        let retry = try store.append(from: [.bytes(name: "retry", Array(lines.joined(separator: "\n").utf8))])
        #expect(retry.duplicates == 9)
        // Runs of 2 ids merged 8 at a time hold 2, 16, 128... ids by level: 9 ids belong at level 1.
        #expect(try store.database.scalarText("SELECT level || ' ' || ids || ' ' || (filter IS NOT NULL) FROM event_id_runs") == "1 9 1")
        #expect(try store.verifyLog().problems == [])
    }

    @Test("verify names a run whose filter lost an id, and a filter that cannot be read")
    func damagedFilter() throws {
        let fixture = try Self.fixture()
        try fixture.append((1...2).map { heartbeat(second: $0, id: uuid($0)) })
        let database = try Database(path: fixture.path)
        let size = try #require(try database.scalarInt64("SELECT length(filter) FROM event_id_runs"))
        try database.execute("UPDATE event_id_runs SET filter = zeroblob(\(size))")
        #expect(try fixture.store.verifyLog().problems.first?.hasPrefix("The id index's run 1 has a filter without the id of seq ") == true)
        try database.execute("UPDATE event_id_runs SET filter = x'00'")
        #expect(try fixture.store.verifyLog().problems.first == "The id index's run 1 has a damaged filter.")
    }

    @Test("a refused batch takes its ids with it")
    func rollback() throws {
        let fixture = try Self.fixture()
        #expect(throws: AppendError.self) { try fixture.append([heartbeat(second: 1, id: uuid(1)), "{bad"]) }
        #expect(try count("recent_event_ids", fixture) == 0)
        #expect(try fixture.append([heartbeat(second: 1, id: uuid(1))]).appended == 1)
    }

    @Test("verify names an event whose id the index lost, and ids no event has")
    func verify() throws {
        let fixture = try Self.fixture()
        try fixture.append((1...3).map { heartbeat(second: $0, id: uuid($0)) }, commitEvery: 1)
        let database = try Database(path: fixture.path)
        try database.execute("DELETE FROM recent_event_ids")
        #expect(try fixture.store.verifyLog().problems.first == "seq 3 has an id that the id index does not hold with it: a retry of that event would be appended again.")
        try database.execute("INSERT INTO recent_event_ids VALUES (x'00112233445566778899aabbccddeeff', 3), (x'ffeeddccbbaa99887766554433221100', 9)")
        #expect(try fixture.store.verifyLog().problems.contains("The id index holds 2 ids that no event has: new events with them would be skipped as duplicates."))
    }

    @Test("recent ids are found from memory by the connection that wrote them, and from their table by another, before and after it reads the table whole")
    func recentIDsAcrossConnections() throws {
        let fixture = try StoreFixture()
        func input(_ ids: ClosedRange<Int>, second: Int = 1) -> [InputSource] {
            [.bytes(name: "retry", Array(ids.map { heartbeat(second: second, id: uuid($0)) }.joined(separator: "\n").utf8))]
        }
        let writer = fixture.store
        try writer.append(from: input(1...40), options: AppendOptions(commitEvery: 10))
        #expect(try writer.append(from: input(1...40)).duplicates == 40)
        // Another connection appends: the first one's ids in memory no longer are the whole table.
        let other = try EventStore(path: fixture.path)
        #expect(try other.append(from: input(41...42, second: 2)).appended == 2)
        #expect(try writer.append(from: input(41...41, second: 3)).duplicates == 1)
        // A new connection asks the table for a few ids, then reads it whole (after 42 / 8 lookups).
        let fresh = try EventStore(path: fixture.path)
        #expect(try fresh.append(from: input(7...7, second: 3)).duplicates == 1)
        let summary = try fresh.append(from: input(1...43, second: 3))
        #expect(summary.duplicates == 42 && summary.appended == 1)
        #expect(try count("recent_event_ids", fixture) == 43)
        #expect(try count("event_id_runs", fixture) == 0)
        #expect(try fixture.store.verifyLog().problems == [])
    }
}
