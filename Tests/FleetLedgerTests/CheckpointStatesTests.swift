@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetProjection
@testable import FleetSQLite
@testable import FleetStore
import Testing

@Suite("checkpoint states: stored by position (migration 0010), read by entity")
struct CheckpointStatesTests {
    /// Every checkpoint row, in one order whatever the table's key.
    func rows(_ database: Database) throws -> String? {
        try database.scalarText("""
            SELECT group_concat(row, '|') FROM (
                SELECT checkpoint || ' ' || projector || ' ' || entity || ' ' || state AS row FROM checkpoint_states ORDER BY row)
            """)
    }

    func tableSQL(_ database: Database) throws -> String? {
        try database.scalarText("SELECT sql FROM sqlite_schema WHERE name = 'checkpoint_states'")
    }

    @Test("a store whose checkpoints were keyed by entity keeps every row, and answers as of a time as before")
    func migratedRows() throws {
        let layout = ReadModelLayout(checkpointInterval: 256, segmentSize: 64)
        let fixture = try StoreFixture(schema: Fleet.schema, checkpointInterval: layout.checkpointInterval, segmentSize: layout.segmentSize)
        try fixture.append(fleetHistory(), commitEvery: 97)
        let database = fixture.store.database
        #expect(try tableSQL(database)?.contains("PRIMARY KEY (checkpoint, projector, entity)") == true)
        let asOf = Timestamp(nanoseconds: try #require(try database.scalarInt64("SELECT at FROM events WHERE seq = 300")))
        let answer = try fixture.store.hostsReport(pool: nil, status: nil, asOf: asOf, format: .json)
        let before = try #require(try rows(database))
        #expect(before.contains(" sessionhost/"))

        // As 0003 made the table and 0009 left it.
        try database.execute("""
            CREATE TABLE by_entity (
                projector TEXT NOT NULL, entity TEXT NOT NULL, checkpoint INTEGER NOT NULL, state TEXT NOT NULL,
                PRIMARY KEY (projector, entity, checkpoint)
            ) STRICT, WITHOUT ROWID;
            INSERT INTO by_entity SELECT projector, entity, checkpoint, state FROM checkpoint_states;
            DROP TABLE checkpoint_states;
            ALTER TABLE by_entity RENAME TO checkpoint_states;
            DELETE FROM schema_migrations WHERE version = 10;
            """)
        #expect(try tableSQL(database)?.contains("PRIMARY KEY (projector, entity, checkpoint)") == true)

        let reopened = try EventStore(path: fixture.path, schema: Fleet.schema)
        reopened.layout = layout
        #expect(try tableSQL(reopened.database)?.contains("PRIMARY KEY (checkpoint, projector, entity)") == true)
        #expect(try reopened.database.scalarInt64("SELECT count(*) FROM sqlite_schema WHERE name = 'checkpoint_states_by_entity'") == 1)
        #expect(try rows(reopened.database) == before)
        #expect(try reopened.hostsReport(pool: nil, status: nil, asOf: asOf, format: .json) == answer)
        #expect(try reopened.verifyLog().problems == [])
    }

    @Test("a range of entities as of a checkpoint gives each entity its row at its latest checkpoint at or before it")
    func rangeReadsEachEntitysLatest() throws {
        let fixture = try StoreFixture(schema: Fleet.schema, checkpointInterval: 256, segmentSize: 64)
        try fixture.append(oneHostFallsSilent(), commitEvery: 97)
        let hosts = StreamKeyRange(prefix: "sessionhost/")
        func read(asOf checkpoint: Int64) throws -> [String] {
            try CheckpointStates(database: fixture.store.database, checkpoint: checkpoint)
                .storedStates(projector: SessionHostProjector.name, in: hosts)
                .map { "\($0.key.rawValue)@\($0.stored.seq)" }
        }
        #expect(try read(asOf: 255) == [])
        #expect(try read(asOf: 256) == ["sessionhost/hp/sh-0@256", "sessionhost/hp/sh-1@256"])
        #expect(try read(asOf: 511) == ["sessionhost/hp/sh-0@256", "sessionhost/hp/sh-1@256"])
        #expect(try read(asOf: 512) == ["sessionhost/hp/sh-0@512", "sessionhost/hp/sh-1@256"])
        // The state read is the row of that checkpoint, as the single-entity look-up reads it.
        let states = CheckpointStates(database: fixture.store.database, checkpoint: 512)
        let ranged = try states.storedStates(projector: SessionHostProjector.name, in: hosts)
        for (key, stored) in ranged {
            #expect(try states.storedState(projector: SessionHostProjector.name, entity: key) == stored)
        }
        #expect(ranged[0].stored.state != ranged[1].stored.state)
        // Only the range asked: a pool with no hosts has no states.
        #expect(try CheckpointStates(database: fixture.store.database, checkpoint: 512)
            .storedStates(projector: SessionHostProjector.name, in: StreamKeyRange(prefix: "sessionhost/other/")).isEmpty)
    }

    @Test("an entity's state as of a checkpoint is found through the index, not by reading every checkpoint")
    func lookupsUseTheIndex() throws {
        let fixture = try StoreFixture()
        let plan = try fixture.store.database.makeStatement("""
            EXPLAIN QUERY PLAN SELECT checkpoint, state FROM checkpoint_states
            WHERE projector = 'p' AND entity = 'e' AND checkpoint <= 1 ORDER BY checkpoint DESC LIMIT 1
            """)
        var steps: [String] = []
        while try plan.step() { steps.append(plan.text(3)) }
        #expect(steps.count == 1)
        #expect(steps.first?.contains("USING INDEX checkpoint_states_by_entity (projector=? AND entity=? AND checkpoint<?)") == true, "\(steps)")
    }
}
