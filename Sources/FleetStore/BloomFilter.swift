/// A Bloom filter over producer ids: says "surely not stored" for most new ids without reading
/// the index, and "maybe" for every stored one.
///
/// Sixteen bits and seven probes per id, so that a "maybe" for a new id, which costs a look-up in
/// the run's blocks, is rare (in theory (1 - e^(-7/16))^7, about 0.07% of new ids per filter).
/// The probes come from a mix of the id's bytes rather than the bytes themselves, since producers
/// choose their ids and not every producer's are random.
struct BloomFilter: Sendable, Equatable {
    /// For filters made from now on; a stored filter's size is its bytes', so filters made with
    /// another number still read right. Sixteen rather than ten because, once a store's runs
    /// outgrow the page cache, each "maybe" is a page read from disk (Tools/Benchmark/HISTORY.md,
    /// item 32): letting far fewer through, in fewer probes per new id, is worth
    /// 2 bytes of memory per stored id.
    static let bitsPerID = 16
    /// Frozen: stored filters were built with this many.
    static let probes = 7

    /// The bits, as stored: bit `n` is bit `n % 8` of byte `n / 8` (the same bits as 64-bit
    /// little-endian words, which is how filters were first written), so a stored filter is used
    /// as read, without a conversion.
    private(set) var bytes: [UInt8]

    init(capacity: Int) {
        bytes = [UInt8](repeating: 0, count: 8 * max(1, (capacity * Self.bitsPerID + 63) / 64))
    }

    /// A filter as `bytes` stored it; nil when the bytes cannot be one.
    init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count % 8 == 0 else { return nil }
        self.bytes = bytes
    }

    /// Where an id's probes land in any filter: hashed once, then tested against every run's filter
    /// (the id index asks up to a few dozen filters about each new id).
    struct Probes {
        fileprivate let start: UInt64
        fileprivate let step: UInt64

        init(_ id: EventID) { (start, step) = BloomFilter.hashes(id) }
    }

    mutating func insert(_ id: EventID) {
        let bitCount = UInt64(bytes.count * 8)
        let probes = Probes(id)
        var position = probes.start
        for _ in 0..<Self.probes {
            let bit = position % bitCount
            bytes[Int(bit / 8)] |= 1 << (bit % 8)
            position &+= probes.step
        }
    }

    func mayContain(_ id: EventID) -> Bool { mayContain(Probes(id)) }

    func mayContain(_ probes: Probes) -> Bool {
        let bitCount = UInt64(bytes.count * 8)
        var position = probes.start
        for _ in 0..<Self.probes {
            let bit = position % bitCount
            if bytes[Int(bit / 8)] & (1 << (bit % 8)) == 0 { return false }
            position &+= probes.step
        }
        return true
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
