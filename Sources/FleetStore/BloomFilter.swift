/// A Bloom filter over producer ids: says "surely not stored" for most new ids without reading
/// the index, and "maybe" for every stored one.
///
/// Sixteen bits and seven probes per id: about 0.07% of new ids get a "maybe" from a run's filter
/// and cost a look-up in the run's blocks. The probes come from a mix of the id's bytes rather
/// than the bytes themselves, since producers choose their ids and not every producer's are random.
struct BloomFilter: Sendable, Equatable {
    /// For filters made from now on; a stored filter's size is its bytes', so filters made with
    /// another number still read right. Ten (0.8% of ids let through, two probes per new id)
    /// until each "maybe" became a page read from disk: at 8.5M events a new id is asked of half
    /// a dozen runs whose blocks are ten times the page cache, and appending 500,000 events read
    /// 17,000 pages of them. Sixteen lets through a twelfth as many, in 1.6 probes per new id, for
    /// 2 bytes of memory per stored id.
    static let bitsPerID = 16
    /// Frozen: stored filters were built with this many.
    static let probes = 7

    /// The bits, as 64-bit words; stored little-endian.
    private(set) var words: [UInt64]

    init(capacity: Int) {
        words = [UInt64](repeating: 0, count: max(1, (capacity * Self.bitsPerID + 63) / 64))
    }

    /// A filter as `bytes` stored it; nil when the bytes cannot be one.
    ///
    /// Copied whole, then each word read as little-endian (nothing to do on this platform): built a
    /// byte at a time, the filters of a store of 8.5M events took 11 ms to read at every open.
    init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count % 8 == 0 else { return nil }
        var words = [UInt64](repeating: 0, count: bytes.count / 8)
        bytes.withUnsafeBytes { stored in words.withUnsafeMutableBytes { $0.copyMemory(from: stored) } }
        for index in words.indices { words[index] = UInt64(littleEndian: words[index]) }
        self.words = words
    }

    var bytes: [UInt8] {
        let littleEndian = words.map(\.littleEndian)
        return littleEndian.withUnsafeBytes { Array($0) }
    }

    /// Where an id's probes land in any filter: hashed once, then tested against every run's filter
    /// (the id index asks up to a few dozen filters about each new id).
    struct Probes {
        fileprivate let start: UInt64
        fileprivate let step: UInt64

        init(_ id: EventID) { (start, step) = BloomFilter.hashes(id) }
    }

    mutating func insert(_ id: EventID) {
        let bitCount = UInt64(words.count * 64)
        let probes = Probes(id)
        var position = probes.start
        for _ in 0..<Self.probes {
            let bit = position % bitCount
            words[Int(bit / 64)] |= 1 << (bit % 64)
            position &+= probes.step
        }
    }

    func mayContain(_ id: EventID) -> Bool { mayContain(Probes(id)) }

    func mayContain(_ probes: Probes) -> Bool {
        words.withUnsafeBufferPointer { words in
            let bitCount = UInt64(words.count * 64)
            var position = probes.start
            for _ in 0..<Self.probes {
                let bit = position % bitCount
                if words[Int(bit / 64)] & (1 << (bit % 64)) == 0 { return false }
                position &+= probes.step
            }
            return true
        }
    }

    /// Two independent 64-bit hashes of the id (Kirsch and Mitzenmacher's double hashing needs two).
    /// Frozen: stored filters were built with these bits.
    private static func hashes(_ id: EventID) -> (UInt64, UInt64) {
        let first = mix(id.high ^ mix(id.low))
        // An odd step is never a multiple of the (even) number of bits, so the probes never all land on one bit.
        return (first, mix(id.low &+ 0x9E37_79B9_7F4A_7C15 ^ first) | 1)
    }

    /// SplitMix64's finalizer: every input bit moves every output bit.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
