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

    @Test("ids are merged from the recent table into the big one, and duplicates are found in both")
    func merge() throws {
        let fixture = try Self.fixture()
        let lines = (1...5).map { heartbeat(second: $0, id: uuid($0)) }
        try fixture.append(lines, commitEvery: 1)
        #expect(try count("event_ids", fixture) == 4)
        #expect(try count("recent_event_ids", fixture) == 1)
        let again = try fixture.append(lines)
        #expect(again.appended == 0 && again.duplicates == 5)
        let mixed = try fixture.append([heartbeat(second: 6, id: uuid(1)), heartbeat(second: 6, id: uuid(5)), heartbeat(second: 6, id: uuid(6))])
        #expect(mixed.appended == 1 && mixed.duplicates == 2)
        #expect(try fixture.store.verifyLog().problems == [])
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
        #expect(try fixture.store.verifyLog().problems.contains("The id index holds 1 id that no event has: new events with it would be skipped as duplicates."))
    }

    @Test("merged ids cannot be updated or deleted")
    func appendOnly() throws {
        let fixture = try Self.fixture()
        try fixture.append((1...2).map { heartbeat(second: $0, id: uuid($0)) })
        let database = try Database(path: fixture.path)
        #expect(throws: SQLiteError.self) { try database.execute("DELETE FROM event_ids") }
        #expect(throws: SQLiteError.self) { try database.execute("UPDATE event_ids SET seq = 7") }
    }
}
