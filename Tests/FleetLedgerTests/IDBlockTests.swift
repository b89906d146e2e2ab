@testable import FleetLedger
@testable import FleetStore
import FleetSQLite
import Testing

@Suite("Blocks of the id index's runs")
struct IDBlockTests {
    static func entries(_ count: Int) -> [(id: EventID, seq: Int64)] {
        (0..<count).map { (EventID(high: UInt64($0) * 3, low: ~UInt64($0)), Int64(1_000 + $0)) }
    }

    @Test("a block reads back its entries, finds each id's seq by its first, middle and last, and no other id")
    func lookup() throws {
        let entries = Self.entries(IDBlock.capacity)
        let bytes = IDBlock.encode(entries[...])
        #expect(bytes.count == IDBlock.capacity * 24)
        do {
            let block = bytes.span
            let read = IDBlock.decode(block)
            let decoded = try #require(read)
            #expect(decoded.map(\.id) == entries.map(\.id) && decoded.map(\.seq) == entries.map(\.seq))
            for index in [0, 1, 63, 64, 126, 127] {
                #expect(IDBlock.seq(of: entries[index].id, in: block) == entries[index].seq)
            }
            for absent in [EventID(high: 0, low: 0), EventID(high: 1, low: 0), EventID(high: 3 * 127 + 1, low: 0), EventID(high: .max, low: .max)] {
                #expect(IDBlock.seq(of: absent, in: block) == nil)
            }
        }
    }

    @Test("a block is its ids then their seqs, each big-endian, as migration 0009 stores them")
    func storedBytes() {
        let entries: [(id: EventID, seq: Int64)] = [(EventID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10), 0x1112_1314_1516_1718),
                                                    (EventID(high: 0xA0, low: 0xB0), 2)]
        #expect(IDBlock.encode(entries[...]) == [
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10,
            0, 0, 0, 0, 0, 0, 0, 0xA0, 0, 0, 0, 0, 0, 0, 0, 0xB0,
            0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
            0, 0, 0, 0, 0, 0, 0, 2,
        ])
    }

    @Test("bytes that cannot be a block are refused")
    func damaged() {
        for bytes in [[UInt8](), [UInt8](repeating: 0, count: 23), [UInt8](repeating: 0, count: 24 * (IDBlock.capacity + 1))] {
            let decoded = IDBlock.decode(bytes.span), seq = IDBlock.seq(of: EventID(high: 0, low: 0), in: bytes.span)
            #expect(decoded == nil && seq == nil)
        }
    }

    /// A store whose runs hold 300 ids each: three blocks, the last one partly filled.
    static func store(ids: Int) throws -> (StoreFixture, [String]) {
        let fixture = try StoreFixture()
        fixture.store.idMergeThreshold = 300
        let lines = (1...ids).map { heartbeat("sh-\($0 % 7)", second: $0 / 100, id: uuid($0)) }
        try fixture.append(lines, commitEvery: 250)
        return (fixture, lines)
    }

    func blockSizes(_ fixture: StoreFixture) throws -> [Int64: [Int]] {
        let rows = try fixture.store.database.makeStatement("SELECT run, entries FROM event_id_blocks ORDER BY run, first_id")
        var sizes: [Int64: [Int]] = [:]
        while try rows.step() { sizes[rows.int64(0), default: []].append(try #require(rows.withBlobBytes(1, IDBlock.decode)).count) }
        return sizes
    }

    @Test("runs span several blocks, merge across them, and every id is found in the block that holds it")
    func runsOfBlocks() throws {
        let (fixture, lines) = try Self.store(ids: 2_500)
        // Eight runs of 300 merged into one of 2,400 (19 blocks); 100 ids still recent.
        #expect(try blockSizes(fixture).values.map { $0 }.sorted { $0.count < $1.count }
                == [Array(repeating: 128, count: 18) + [96]])
        let retry = try fixture.append(lines)
        #expect(retry.duplicates == 2_500 && retry.appended == 0)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("runs stored one row per id (before migration 0009) are read, then moved into blocks by the next append")
    func entriesBeforeBlocks() throws {
        let (fixture, lines) = try Self.store(ids: 700)
        let database = try Database(path: fixture.path)
        // As a store written before 0009 holds its runs.
        let blocks = try database.makeStatement("SELECT run, entries FROM event_id_blocks")
        let insert = try database.makeStatement("INSERT INTO event_id_run_entries (run, event_id, seq) VALUES (?, ?, ?)")
        while try blocks.step() {
            for entry in try #require(blocks.withBlobBytes(1, IDBlock.decode)) {
                try insert.bind(blocks.int64(0), at: 1)
                try insert.bind(entry.id.bytes, at: 2)
                try insert.bind(entry.seq, at: 3)
                try insert.run()
            }
        }
        try database.execute("DELETE FROM event_id_blocks")
        #expect(try EventStore(path: fixture.path).verifyLog().problems == [])
        let fresh = try EventStore(path: fixture.path)
        fresh.idMergeThreshold = 300
        #expect(try fresh.append(from: [.bytes(name: "retry", Array(lines.joined(separator: "\n").utf8))]).duplicates == 700)
        #expect(try database.scalarInt64("SELECT count(*) FROM event_id_run_entries") == 0)
        #expect(try blockSizes(fixture).values.map { $0.reduce(0, +) }.sorted() == [300, 300])
        #expect(try fresh.verifyLog().problems == [])
    }

    @Test("verify names a run with a damaged block, and one whose block is out of order")
    func verifyBlocks() throws {
        let (fixture, _) = try Self.store(ids: 700)
        let database = try Database(path: fixture.path)
        try database.execute("UPDATE event_id_blocks SET entries = x'00' WHERE run = 1 AND first_id = (SELECT max(first_id) FROM event_id_blocks WHERE run = 1)")
        #expect(try fixture.store.verifyLog().problems.contains("The id index's run 1 has a damaged block."))
        let (other, _) = try Self.store(ids: 700)
        try Database(path: other.path).execute("UPDATE event_id_blocks SET first_id = x'00' WHERE run = 2 AND first_id = (SELECT max(first_id) FROM event_id_blocks WHERE run = 2)")
        #expect(try other.store.verifyLog().problems.contains("The id index's run 2 has a damaged block."))
    }
}
