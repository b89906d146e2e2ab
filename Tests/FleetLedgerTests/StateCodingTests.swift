@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetProjection
import Foundation
import Testing

@Suite("State coding")
struct StateCodingTests {
    /// What the store wrote before it had its own encoder, and what any JSON reader accepts.
    static func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("states encode to the bytes JSONEncoder writes with sorted keys, and decode back to themselves")
    func sameBytesAsFoundation() throws {
        var states: [SessionHostState] = []
        var state: SessionHostState?
        var events = HostEvents()
        let steps: [ProjectedEvent] = [
            events.event(.sessionHostRegistered, #""agentVersion":"1.0","virtualMachineId":"vm/1""#),
            events.check(.domainTrustCheck, .healthCheckFailed, errorCode: 1355),
            events.session("ana@contoso.com"), events.session(#"bo \"the\" admin\\ \n\t\u0001é/ü"#),
            events.drain(true), events.power(.deallocated, reported: true),
            events.event(.agentUpgradeFailed, #""message":"a \"quoted\" failure\nwith lines""#),
        ]
        for event in steps {
            state = SessionHostProjector.fold(state, event)
            states.append(state!)
        }
        for host in states {
            let ours = try StateCoding.encode(host)
            #expect(ours == (try Self.foundation(host)))
            #expect(try StateCoding.decode(SessionHostState.self, from: ours) == host)
        }
        let pool = HostPoolState(name: "hp", loadBalancerType: .depthFirst, maxSessionLimit: nil)
        #expect(try StateCoding.encode(pool) == (try Self.foundation(pool)))
        #expect(try StateCoding.encode([1, 2, 3]) == "[1,2,3]")
        #expect(try StateCoding.encode(["b": [true], "a": [false]]) == #"{"a":[false],"b":[true]}"#)
    }
}

@Suite("Stream keys")
struct StreamKeyTests {
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
}
