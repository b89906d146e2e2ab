@testable import FleetDomains
@testable import FleetEvents
import Testing

@Suite("Stream keys and their interner")
struct StreamKeyTests {
    /// The address of a key's bytes: equal for two keys that share their storage.
    func storage(_ key: StreamKey) -> UnsafePointer<UInt8>? {
        key.rawValue.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil
    }

    @Test("a key is its kind's prefix and values, and reads back into them")
    func roundTrip() {
        let key = StreamKind.backendAddress.key("lb-web", "pool", "10.0.0.4")
        #expect(key.rawValue == "lb/lb-web/pool/10.0.0.4")
        #expect(key.values == ["lb-web", "pool", "10.0.0.4"])
        #expect(StreamKind.hostPool.key("hp").values == ["hp"])
        #expect(StreamKind.sessionHost.key("hp", "").values == ["hp", ""])
        #expect(StreamKey(rawValue: "lb").values == [])
    }

    @Test("a range holds the keys under its values, and not a longer name that starts the same")
    func ranges() {
        let pool = StreamKind.sessionHost.keys(under: "hp")
        #expect(pool.contains(StreamKind.sessionHost.key("hp", "sh-1")))
        #expect(!pool.contains(StreamKind.sessionHost.key("hp2", "sh-1")))
        #expect(!pool.contains(StreamKind.hostPool.key("hp")))
        #expect(StreamKind.sessionHost.keys().contains(StreamKind.sessionHost.key("hp2", "sh-1")))
    }

    @Test("keys are equal, and hash alike, exactly when their text is equal")
    func equality() {
        let built = StreamKind.sessionHost.key("hp", "sh-0.contoso.com")
        let read = StreamKey(rawValue: "sessionhost/" + "hp/sh-0.contoso.com")
        #expect(built == read)
        #expect(built.hashValue == read.hashValue)
        #expect(Set([built, read]).count == 1)
        #expect(built != StreamKind.sessionHost.key("hp", "sh-1.contoso.com"))
        #expect(built != StreamKind.sessionHost.key("hp2", "sh-0.contoso.com"))
        var lookup: [StreamKey: Int] = [built: 1]
        lookup[read, default: 0] += 1
        #expect(lookup == [built: 2])
    }

    @Test("a table's hash of a key agrees with equality, follows the table's seed, and spreads keys over its buckets")
    func tableHash() {
        let built = StreamKind.probeHealth.key("lb-web", "http-80", "10.0.0.4")
        let read = StreamKey(rawValue: "lbprobe/lb-web/http-80/" + "10.0.0.4")
        #expect(built._rawHashValue(seed: 7) == read._rawHashValue(seed: 7))
        #expect(built._rawHashValue(seed: 7) != built._rawHashValue(seed: 8))
        // Keys that differ in one character land in buckets spread over a 1,024-bucket table.
        let keys = (0..<4_096).map { StreamKind.probeHealth.key("lb-web", "http-80", "10.0.\($0 / 256).\($0 % 256)") }
        let buckets = Set(keys.map { $0._rawHashValue(seed: 0) & 1_023 })
        #expect(buckets.count > 950, "4,096 random hashes fill about 1,005 of 1,024 buckets")
        // And a table finds each of them.
        let table = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        #expect(keys.enumerated().allSatisfy { table[$1] == $0 })
    }

    @Test("TableHash: equal text hashes alike however it was built, and the seed and each byte change it")
    func tableHashOfText() {
        let long = "lb-web-frontend-eastus2-production"
        let built = ["lb-web-frontend", "eastus2", "production"].joined(separator: "-")
        #expect(TableHash.of(long, seed: 9) == TableHash.of(built, seed: 9))
        #expect(TableHash.of("10.0.0.4", seed: 9) == TableHash.of(String("10.0.0.") + "4", seed: 9))
        #expect(TableHash.of("10.0.0.4", seed: 9) != TableHash.of("10.0.0.4", seed: 10))
        #expect(TableHash.of("10.0.0.4", seed: 9) != TableHash.of("10.0.0.5", seed: 9))
        #expect(TableHash.of("", seed: 9) != TableHash.of("", seed: 10))
    }

    @Test("kinds with the same last values are told apart (the interner hashes the last value alone)")
    func lastValueShared() {
        let interner = StreamKeyInterner()
        let probe = interner.key(.probeHealth, "lb-web", "http-80", "10.0.0.4")
        let backend = interner.key(.backendAddress, "lb-web", "pool", "10.0.0.4")
        let address = interner.key(.loadBalancerAddress, "lb-web", "10.0.0.4")
        let other = interner.key(.probeHealth, "lb-api", "http-80", "10.0.0.4")
        #expect(Set([probe, backend, address, other]).count == 4)
        #expect(other == StreamKind.probeHealth.key("lb-api", "http-80", "10.0.0.4"))
        #expect(backend == StreamKind.backendAddress.key("lb-web", "pool", "10.0.0.4"))
    }

    @Test("a key of one, two or three values is the key the kind builds")
    func sameKeys() {
        let interner = StreamKeyInterner()
        #expect(interner.key(.loadBalancer, "lb-web") == StreamKind.loadBalancer.key("lb-web"))
        #expect(interner.key(.sessionHost, "hp", "sh-0") == StreamKind.sessionHost.key("hp", "sh-0"))
        #expect(interner.key(.probeHealth, "lb-web", "http-80", "10.0.0.4") == StreamKind.probeHealth.key("lb-web", "http-80", "10.0.0.4"))
        // Kinds that share a prefix are told apart by their number of values.
        #expect(interner.key(.loadBalancerAddress, "lb-web", "10.0.0.4") == StreamKind.loadBalancerAddress.key("lb-web", "10.0.0.4"))
        #expect(interner.key(.backendAddress, "lb-web", "pool", "10.0.0.4") == StreamKind.backendAddress.key("lb-web", "pool", "10.0.0.4"))
    }

    @Test("equal values give one shared key; other values another")
    func shared() {
        let interner = StreamKeyInterner()
        let first = interner.key(.probeHealth, "lb-web", "http-80", "10.0.0.4")
        let again = interner.key(.probeHealth, "lb-web", String("http-80"), "10.0.0.4")
        #expect(storage(first) != nil)
        #expect(storage(first) == storage(again))
        let other = interner.key(.probeHealth, "lb-web", "http-80", "10.0.0.5")
        #expect(other == StreamKind.probeHealth.key("lb-web", "http-80", "10.0.0.5"))
        #expect(storage(other) != storage(first))
    }

    @Test("past its capacity it starts afresh, and still gives the right keys")
    func bounded() {
        let interner = StreamKeyInterner(capacity: 2)
        let first = interner.key(.probeHealth, "lb-web", "http-80", "10.0.0.1")
        for address in 2...5 {
            #expect(interner.key(.probeHealth, "lb-web", "http-80", "10.0.0.\(address)") == StreamKind.probeHealth.key("lb-web", "http-80", "10.0.0.\(address)"))
        }
        let later = interner.key(.probeHealth, "lb-web", "http-80", "10.0.0.1")
        #expect(later == first)
        #expect(storage(later) != storage(first), "forgotten when it started afresh, so built again")
    }
}
