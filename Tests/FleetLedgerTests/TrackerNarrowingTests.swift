@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
import FleetProjection
@testable import FleetStore
import FleetWorkload
import Testing

/// A tracker that never says which entities an event touched, so every event observes them all:
/// what a narrowing `touched(by:_:)` must agree with.
struct Unnarrowed<Inner: Tracker>: Tracker {
    var inner: Inner
    var idColumns: [String] { inner.idColumns }
    var stateName: String { inner.stateName }
    var states: [String] { inner.states }
    var streams: StreamSelection { inner.streams }
    var reading: [AnyProjector] { inner.reading }
    func touched(by event: ProjectedEvent, _ view: ProjectionReader) throws -> [TrackedEntity]? { nil }
    func observeAll(_ view: ProjectionReader) throws -> [TrackedEntity: Observation] { try inner.observeAll(view) }
    func observe(_ entity: TrackedEntity, _ view: ProjectionReader) throws -> Observation? { try inner.observe(entity, view) }
    func concerns(_ event: ProjectedEvent) -> Bool { inner.concerns(event) }
    mutating func note(_ event: ProjectedEvent, _ view: ProjectionReader) throws { try inner.note(event, view) }
    func describe(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> String { try inner.describe(event, view) }
}

@Suite("trackers: the entities an event touches are all it changes")
struct TrackerNarrowingTests {
    /// Every change the tracker sees, event by event, as text.
    func changes<T: Tracker>(_ tracker: T, in store: EventStore) throws -> [String] {
        var timeline = Timeline(tracker)
        var seen: [String] = []
        try store.replay(tracker.streams, reading: tracker.reading, notAfter: nil) { event, view in
            for change in try timeline.advance(event, view) {
                seen.append("\(event.seq) \(change.entity.ids) \(String(describing: change.from)) -> \(String(describing: change.to))")
            }
        }
        return seen
    }

    @Test("backends: probe results, Azure's observations, addresses joining and leaving, with and without AllProbedUp")
    func backends() throws {
        let fixture = try StoreFixture()
        // A small fleet: 3 load balancers of 12 backends (and a few hosts and instances), probed for some 20 minutes.
        var shape = FleetWorkload.Shape()
        (shape.loadBalancers, shape.backendsPerLoadBalancer, shape.hostPools, shape.hostsPerPool, shape.scaleSets, shape.instancesPerScaleSet) = (3, 12, 1, 2, 1, 2)
        var lines: [String] = []
        FleetWorkload(events: 6_000, seed: 7, shape: shape).generate { line, _ in lines.append(line) }
        // Azure's word on two addresses of lb-0, an address leaving and one joining; then lb-1's probe made AllProbedUp.
        func event(_ type: String, _ minute: Int, _ data: String) -> String {
            #"{"type":"\#(type)","at":"2024-04-15T05:\#(minute)0:00Z","data":{\#(data)}}"#
        }
        let pool = #""loadBalancer":"lb-0","backendPool":"pool""#
        lines += [
            event("BackendHealthObserved", 1, pool + #","ipAddress":"10.0.0.4","rule":"rule-http","state":"Down","reason":"Down_Probe_TcpProbeTimeout""#),
            event("BackendHealthObserved", 2, pool + #","ipAddress":"10.0.0.5","rule":"rule-http""#),
            event("BackendAddressRemoved", 3, pool + #","ipAddress":"10.0.0.6""#),
            event("BackendAddressAdded", 4, pool + #","ipAddress":"10.0.9.9""#),
            event("HealthProbeConfigured", 5, #""loadBalancer":"lb-1","probe":"http-80","protocol":"Http","port":80,"requestPath":"/healthz","intervalInSeconds":5,"probeThreshold":2,"noHealthyBackendsBehavior":"AllProbedUp""#),
        ]
        var more: [String] = []
        FleetWorkload(events: 12_000, seed: 7, shape: shape).generate { line, _ in more.append(line) }
        // The same probes again, later: under AllProbedUp on lb-1 now.
        lines += more.dropFirst(6_000).filter { !$0.contains("\"10.0.0.6\"") }.map { $0.replacingOccurrences(of: "\"at\":\"2024-04-15T0", with: "\"at\":\"2024-04-15T1") }
        _ = try fixture.append(lines)
        let narrowed = try changes(BackendTracker(loadBalancer: nil), in: fixture.store)
        #expect(narrowed.count > 100)
        #expect(narrowed == (try changes(Unnarrowed(inner: BackendTracker(loadBalancer: nil)), in: fixture.store)))
        let one = try changes(BackendTracker(loadBalancer: "lb-0", rule: "rule-http"), in: fixture.store)
        #expect(one == (try changes(Unnarrowed(inner: BackendTracker(loadBalancer: "lb-0", rule: "rule-http")), in: fixture.store)))
    }

    @Test("backends: observations under AllProbedUp, a rule with no probe observed first and emptied by a re-added address, an address observed before it was added, a global load balancer")
    func backendEdges() throws {
        let fixture = try StoreFixture()
        var second = 0
        var lines: [String] = []
        func add(_ type: String, _ data: String) {
            second += 1
            lines.append(#"{"type":"\#(type)","at":"\#(Timestamp(rfc3339: "2024-04-15T00:00:00Z")!.adding(seconds: Int64(second)).rfc3339)","data":{\#(data)}}"#)
        }
        func address(_ lb: String, _ pool: String, _ ip: String, _ extra: String = "") -> String {
            #""loadBalancer":"\#(lb)","backendPool":"\#(pool)","ipAddress":"\#(ip)""# + extra
        }
        // lb-a: two rules on one pool, one probe AllProbedUp; Azure's word on one address moves the other's.
        add("LoadBalancerConfigured", #""loadBalancer":"lb-a","kind":"Regional""#)
        add("HealthProbeConfigured", #""loadBalancer":"lb-a","probe":"p","protocol":"Tcp","port":80,"probeThreshold":1,"noHealthyBackendsBehavior":"AllProbedUp""#)
        add("LoadBalancingRuleConfigured", #""loadBalancer":"lb-a","rule":"ra","backendPool":"pa","probe":"p""#)
        add("LoadBalancingRuleConfigured", #""loadBalancer":"lb-a","rule":"rb","backendPool":"pa""#)
        for ip in ["10.2.0.4", "10.2.0.5"] { add("BackendAddressAdded", address("lb-a", "pa", ip)) }
        add("ProbeResultRecorded", #""loadBalancer":"lb-a","probe":"p","ipAddress":"10.2.0.4","outcome":"TcpTimeout""#)
        add("BackendHealthObserved", address("lb-a", "pa", "10.2.0.5", #","rule":"ra","state":"Up","reason":"Up_Probe_Success""#))
        add("BackendHealthObserved", address("lb-a", "pa", "10.2.0.5", #","rule":"ra","state":"Down","reason":"Down_Probe_TcpProbeTimeout""#))
        // lb-n: a rule with no probe; its first observation shows its whole pool; an address Azure names before any add.
        add("LoadBalancerConfigured", #""loadBalancer":"lb-n","kind":"Regional""#)
        add("LoadBalancingRuleConfigured", #""loadBalancer":"lb-n","rule":"rn","backendPool":"pn""#)
        for ip in ["10.3.0.4", "10.3.0.5"] { add("BackendAddressAdded", address("lb-n", "pn", ip)) }
        add("BackendHealthObserved", address("lb-n", "pn", "10.3.0.4", #","rule":"rn","state":"Up","reason":"Up_Probe_Success""#))
        add("BackendHealthObserved", address("lb-n", "pn", "10.3.0.9", #","rule":"rn","state":"Down","reason":"Down_Probe_HttpStatusCodeError""#))
        add("BackendHealthObserved", address("lb-n", "pn", "10.3.0.4", #","rule":"rn","state":"Down","reason":"Down_Probe_HttpStatusCodeError""#))
        // The only observed addresses leave and come back afresh: the rule has no health any more.
        for ip in ["10.3.0.4", "10.3.0.9"] { add("BackendAddressRemoved", address("lb-n", "pn", ip)) }
        for ip in ["10.3.0.4", "10.3.0.9"] { add("BackendAddressAdded", address("lb-n", "pn", ip)) }
        add("BackendHealthObserved", address("lb-n", "pn", "10.3.0.5", #","rule":"rn","state":"Up","reason":"Up_Probe_Success""#))
        // lb-r, regional, read by lb-g, global.
        add("LoadBalancerConfigured", #""loadBalancer":"lb-r","kind":"Regional""#)
        add("HealthProbeConfigured", #""loadBalancer":"lb-r","probe":"p","protocol":"Tcp","port":80,"probeThreshold":1"#)
        add("LoadBalancingRuleConfigured", #""loadBalancer":"lb-r","rule":"rr","backendPool":"pr","probe":"p""#)
        add("BackendAddressAdded", address("lb-r", "pr", "10.4.0.4"))
        add("LoadBalancerConfigured", #""loadBalancer":"lb-g","kind":"Global""#)
        add("LoadBalancingRuleConfigured", #""loadBalancer":"lb-g","rule":"rg","backendPool":"pg""#)
        add("BackendHealthObserved", address("lb-g", "pg", "10.5.0.4", #","rule":"rg","state":"Up","reason":"Up_Probe_Success""#))
        add("BackendAddressAdded", address("lb-g", "pg", "10.5.0.5", #","regionalLoadBalancer":"lb-r""#))
        add("ProbeResultRecorded", #""loadBalancer":"lb-r","probe":"p","ipAddress":"10.4.0.4","outcome":"Success""#)
        add("ProbeResultRecorded", #""loadBalancer":"lb-r","probe":"p","ipAddress":"10.4.0.4","outcome":"TcpTimeout""#)
        add("BackendHealthObserved", address("lb-r", "pr", "10.4.0.4", #","rule":"rr","state":"Up","reason":"Up_Probe_Success""#))
        _ = try fixture.append(lines)
        let all = try changes(BackendTracker(loadBalancer: nil), in: fixture.store)
        #expect(all == (try changes(Unnarrowed(inner: BackendTracker(loadBalancer: nil)), in: fixture.store)))
        // Every case above moved some backend: the comparison is not of two empty lists.
        #expect(all.count >= 20, "\(all.joined(separator: "\n"))")
        for lb in ["lb-a", "lb-n", "lb-r"] {
            #expect(try changes(BackendTracker(loadBalancer: lb), in: fixture.store)
                == (try changes(Unnarrowed(inner: BackendTracker(loadBalancer: lb)), in: fixture.store)), "\(lb)")
        }
    }
}

