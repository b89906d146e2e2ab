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
}
