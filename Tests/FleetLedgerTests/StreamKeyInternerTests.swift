@testable import FleetDomains
@testable import FleetEvents
import Testing

@Suite("Stream key interner")
struct StreamKeyInternerTests {
    /// The address of a key's bytes: equal for two keys that share their storage.
    func storage(_ key: StreamKey) -> UnsafePointer<UInt8>? {
        key.rawValue.utf8.withContiguousStorageIfAvailable { $0.baseAddress } ?? nil
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
