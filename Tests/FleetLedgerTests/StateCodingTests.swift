@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetProjection
@testable import FleetSQLite
@testable import FleetStore
import Foundation
import FleetTestSupport
import FleetDomainFixtures
import Testing

@Suite("State coding")
struct StateCodingTests {
    @Test("a load balancer's probes, keyed by ProbeName, are the JSON object a String-keyed dictionary was, and read back")
    func probesKeyedByName() throws {
        let http = ProbeSettings(protocol: .http, port: 80, intervalInSeconds: 5, probeThreshold: 2, requestPath: "/healthz",
                                 noHealthyBackendsBehavior: .allProbedDown)
        let tcp = ProbeSettings(protocol: .tcp, port: 443, intervalInSeconds: 15, probeThreshold: 1, requestPath: nil,
                                noHealthyBackendsBehavior: .allProbedUp)
        var balancer = LoadBalancerState(name: "lb-web")
        balancer.probes = [ProbeName("tcp-443"): tcp, ProbeName("http-80"): http, ProbeName("é-probe"): tcp]
        let byString: [String: ProbeSettings] = ["tcp-443": tcp, "http-80": http, "é-probe": tcp]

        let encoded = try StateCoding.encode(balancer)
        #expect(encoded.contains(#""probes":"# + (try StateCoding.encode(byString))))
        #expect(encoded == (try foundationJSON(balancer)))
        let decoded = try StateCoding.decode(LoadBalancerState.self, from: encoded)
        #expect(decoded == balancer)
        #expect(decoded.probes[ProbeName("http-80")]?.probeThreshold == 2)
        #expect(decoded.probes[ProbeName("http-81")] == nil)
    }

    @Test("probe names hash alike exactly when equal, per table seed, and a table of many finds each")
    func probeNameHashing() {
        let name = ProbeName("http-80"), same = ProbeName(String("http-") + "80")
        #expect(name == same && name._rawHashValue(seed: 3) == same._rawHashValue(seed: 3))
        #expect(name._rawHashValue(seed: 3) != name._rawHashValue(seed: 4))
        #expect(name._rawHashValue(seed: 3) != ProbeName("http-81")._rawHashValue(seed: 3))
        let names = (0..<4_096).map { ProbeName("probe-\($0)") }
        #expect(Set(names.map { $0._rawHashValue(seed: 0) & 1_023 }).count > 950, "4,096 random hashes fill about 1,005 of 1,024 buckets")
        let table = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        #expect(names.enumerated().allSatisfy { table[$1] == $0 })
    }

    @Test("states encode to the bytes JSONEncoder writes with sorted keys, and decode back to themselves")
    func sameBytesAsFoundation() throws {
        var states: [SessionHostState] = []
        var state: SessionHostState?
        var events = HostEvents()
        let steps: [ProjectedEvent] = [
            events.event(SessionHostRegistered.self, #""agentVersion":"1.0","virtualMachineId":"vm/1""#),
            events.check(.domainTrustCheck, .healthCheckFailed, errorCode: 1355),
            events.session("ana@contoso.com"), events.session(#"bo \"the\" admin\\ \n\t\u0001é/ü"#),
            events.drain(true), events.power(.deallocated, reported: true),
            events.event(AgentUpgradeFailed.self, #""message":"a \"quoted\" failure\nwith lines""#),
        ]
        for event in steps {
            state = try SessionHostProjector.fold(state, event)
            states.append(state!)
        }
        for host in states {
            let ours = try StateCoding.encode(host)
            #expect(ours == (try foundationJSON(host)))
            #expect(try StateCoding.decode(SessionHostState.self, from: ours) == host)
        }
        let pool = HostPoolState(name: "hp", loadBalancerType: .depthFirst, maxSessionLimit: nil)
        #expect(try StateCoding.encode(pool) == (try foundationJSON(pool)))
        #expect(try StateCoding.encode([1, 2, 3]) == "[1,2,3]")
        #expect(try StateCoding.encode(["b": [true], "a": [false]]) == #"{"a":[false],"b":[true]}"#)
    }

    @Test("every state the demo stores reads back with our decoder as with JSONDecoder, and writes back to the same text")
    func storedStatesRoundTrip() throws {
        let fixture = try StoreFixture()
        try fixture.store.append(from: [.bytes(name: "demo", DemoScenario.ndjson)])
        // The demo reports no platform health; one report gives that projector a state too.
        try fixture.append([eventLine("PlatformHealthReported", #""loadBalancer":"lb-web","ipAddress":"10.0.2.4","state":"Down""#, at: "2024-04-15T06:00:00Z")])
        var checked: [String: Int] = [:]
        func check<P: Projector>(_ projector: P.Type, _ name: String, _ text: String) throws {
            guard name == P.name else { return }
            let ours = try StateCoding.decode(P.State.self, from: text)
            #expect(ours == (try JSONDecoder().decode(P.State.self, from: Data(text.utf8))), "\(name): \(text)")
            #expect(try StateCoding.encode(ours) == text)
            checked[name, default: 0] += 1
        }
        let rows = try Database(path: fixture.path).makeStatement("SELECT projector, state FROM entity_states")
        while try rows.step() {
            let name = rows.text(0), text = rows.text(1)
            try check(SessionHostProjector.self, name, text)
            try check(HostPoolProjector.self, name, text)
            try check(UpdateProjector.self, name, text)
            try check(LoadBalancerProjector.self, name, text)
            try check(BackendAddressProjector.self, name, text)
            try check(AddressPoolsProjector.self, name, text)
            try check(ProbeHealthProjector.self, name, text)
            try check(PlatformHealthProjector.self, name, text)
            try check(ScaleSetProjector.self, name, text)
            try check(InstanceHealthProjector.self, name, text)
        }
        #expect(checked.count == 10, "\(checked)")
    }

    @Test("a state that is not what its type reads is refused with the path and the kind found")
    func decodingErrors() throws {
        let wrongKind = try #require(throws: DecodingError.self) { try StateCoding.decode(HostPoolState.self, from: #"{"name":7}"#) }
        guard case .typeMismatch(_, let context) = wrongKind else { Issue.record("\(wrongKind)"); return }
        #expect(context.codingPath.map(\.stringValue) == ["name"] && context.debugDescription.contains("an integer"))
        #expect(throws: DecodingError.self) { try StateCoding.decode(HostPoolState.self, from: "{}") }
        #expect(throws: DecodingError.self) { try StateCoding.decode(HostPoolState.self, from: #"{"name":"hp""#) }
        #expect(throws: DecodingError.self) { try StateCoding.decode([Int8].self, from: "[1,300]") }
        #expect(try StateCoding.decode([Int8?].self, from: "[1,null]") == [1, nil])
        #expect(try StateCoding.decode([String: Double].self, from: #"{"a":1,"b":2.5}"#) == ["a": 1, "b": 2.5])
    }
}

@Suite("Encoding states on both cores")
struct EncodingOnBothCoresTests {
    @Test("every state is encoded once, the even positions first, then the odd ones", arguments: [0, 1, 2, 3, 8, 101])
    func everyStateOnce(count: Int) throws {
        let states = (0..<count).map { index in
            PendingStateChange(projector: "p\(index % 3)", entity: StreamKind.hostPool.key("hp-\(index)"), seq: Int64(index), state: ["n": index])
        }
        let encoded = try StateEncoding.encodeOnBothCores(states)
        let order = Array(stride(from: 0, to: count, by: 2)) + Array(stride(from: 1, to: count, by: 2))
        #expect(encoded.map(\.seq) == order.map(Int64.init))
        for (change, index) in zip(encoded, order) {
            #expect(change.projector == "p\(index % 3)")
            #expect(change.entity == StreamKind.hostPool.key("hp-\(index)"))
            #expect(change.state == #"{"n":\#(index)}"#)
        }
    }
}
