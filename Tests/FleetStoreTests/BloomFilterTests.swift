@testable import FleetStore
import Testing

@Suite("Bloom filter of the id index's runs")
struct BloomFilterTests {
    /// Deterministic 16-byte ids, like producers' UUIDs.
    static func ids(_ count: Int, seed: UInt64) -> [EventID] {
        var state = seed
        return (0..<count).map { _ in
            EventID(bytes: (0..<16).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            })
        }
    }

    @Test("every id put in is found, and about 0.07% of others are let through")
    func membership() {
        let stored = Self.ids(20_000, seed: 1), others = Self.ids(20_000, seed: 2)
        var filter = BloomFilter(capacity: stored.count)
        for id in stored { filter.insert(id) }
        #expect(stored.allSatisfy(filter.mayContain))
        let falsePositives = others.filter(filter.mayContain).count
        #expect(falsePositives < others.count * 3 / 1_000, "16 bits and 7 probes an id give about 0.07%")
    }

    @Test("sequential ids spread like random ones: the probes come from a mix of the bytes")
    func sequentialIDs() {
        let stored = (0..<10_000).map { EventID(high: 0, low: UInt64($0)) }
        let others = (10_000..<20_000).map { EventID(high: 0, low: UInt64($0)) }
        var filter = BloomFilter(capacity: stored.count)
        for id in stored { filter.insert(id) }
        #expect(stored.allSatisfy(filter.mayContain))
        #expect(others.filter(filter.mayContain).count < others.count * 3 / 1_000)
    }

    @Test("a filter stored at ten bits an id, as filters were made before, still finds every id put in")
    func filtersOfTheEarlierSize() throws {
        let stored = Self.ids(1_000, seed: 4), others = Self.ids(20_000, seed: 5)
        // 10,000 bits in whole words, as `BloomFilter(capacity: 1_000)` made them at ten bits an id.
        var filter = try #require(BloomFilter(bytes: [UInt8](repeating: 0, count: 157 * 8)))
        for id in stored { filter.insert(id) }
        let read = try #require(BloomFilter(bytes: filter.bytes))
        #expect(stored.allSatisfy(read.mayContain))
        #expect(others.filter(read.mayContain).count < others.count * 2 / 100, "about 0.8% at ten bits an id")
    }

    @Test("a filter reads back from its stored bytes, and bytes that cannot be one are refused")
    func storedBytes() {
        var filter = BloomFilter(capacity: 100)
        for id in Self.ids(100, seed: 3) { filter.insert(id) }
        #expect(filter.bytes.count == 200)  // 1,600 bits, in whole 64-bit words
        #expect(BloomFilter(bytes: filter.bytes) == filter)
        #expect(BloomFilter(bytes: []) == nil)
        #expect(BloomFilter(bytes: [1, 2, 3]) == nil)
    }

    @Test("the bits an id sets are the ones stored filters were built with")
    func frozenBits() throws {
        // Computed once from the filter's definition; stores hold filters made this way.
        let id = try #require(EventID("00112233-4455-6677-8899-AABBCCDDEEFF"))
        var word = BloomFilter(capacity: 1)
        word.insert(id)
        #expect(word.bytes == Self.littleEndianBytes([0x1_8000_0C00_0070]))
        // Sixteen words, as a filter for 100 ids was made with ten bits an id: its bits are read as
        // they were written, whatever size filters are made now.
        var wide = try #require(BloomFilter(bytes: [UInt8](repeating: 0, count: 128)))
        wide.insert(id)
        var expected = [UInt64](repeating: 0, count: 16)
        for (index, bits) in [(2, 0x10), (3, 0x800_0000), (6, 0x20), (8, 0x8000_0000_0000), (10, 0x40),
                              (12, 0x1_0000_0000_0000), (15, 0x400_0000)] as [(Int, UInt64)] {
            expected[index] = bits
        }
        #expect(wide.bytes == Self.littleEndianBytes(expected))
    }

    /// Filters were first written as 64-bit little-endian words: these are the bytes of `words`.
    private static func littleEndianBytes(_ words: [UInt64]) -> [UInt8] {
        words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64(8 * $0)) } }
    }
}
