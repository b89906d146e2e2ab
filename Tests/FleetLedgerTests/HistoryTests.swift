@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import Testing

/// The change rows of a history as `aspect from -> to: cause`, the way an operator reads them.
private func changes(_ entries: [HistoryEntry]) -> [String] {
    entries.filter { $0.kind == .change }.map { "\($0.aspect!) \($0.from!) -> \($0.to!): \($0.detail)" }
}

@Suite("history: events and derived changes with their causes")
struct HistoryTests {
    @Test("a session host: status changes name the check, its error and message; drain names who and why")
    func sessionHost() throws {
        let fixture = try StoreFixture()
        var pool = PoolEvents()
        pool.hosts(2)
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355,"message":"trust lost""#, after: 60)
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-2","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckFailed""#)
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckSucceeded""#, after: 120)
        pool.add("DrainModeChanged", #""sessionHost":"sh-1","allowNewSession":false,"actor":"alice","reason":"patching""#, after: 30)
        pool.add("PowerStateChanged", #""sessionHost":"sh-1","powerState":"Stopped","reportedByAgent":true"#, after: 10)
        try fixture.append(pool.lines)

        let (entries, _) = try fixture.store.history(.host(pool: "hp", host: "sh-1"), since: nil, until: nil)
        #expect(changes(entries) == [
            "status none -> Available: registered",
            "status Available -> Unavailable: DomainTrustCheck failed, error 1355: trust lost",
            "status Unavailable -> Available: DomainTrustCheck passed",
            "drain mode off -> on: drain mode on by alice: patching",
            "status Available -> Shutdown: powered off (Stopped), reported by the agent",
        ])
        // Every event of the host is a row; the other host's are not.
        #expect(entries.filter { $0.kind == .event }.count == 5)
        #expect(entries.allSatisfy { $0.subject == "sh-1" })
        let drain = try #require(entries.first { $0.aspect == "drain mode" })
        #expect(drain.actor == "alice" && drain.reason == "patching" && drain.type == "DrainModeChanged")
    }

    @Test("durations: each change lasts until the next change of the same aspect; the last is ongoing until --until or the log's end")
    func durations() throws {
        let fixture = try StoreFixture()
        var pool = PoolEvents()
        pool.hosts(1)  // sh-1 registered at +2 s
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed""#, after: 100)
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckSucceeded""#, after: 40)
        pool.add("AgentHeartbeatReceived", #""sessionHost":"sh-1""#, after: 500)
        try fixture.append(pool.lines)

        let (entries, _) = try fixture.store.history(.host(pool: "hp", host: "sh-1"), since: nil, until: nil)
        let statuses = entries.filter { $0.aspect == "status" }
        #expect(statuses.map(\.lasted) == [100, 40, 500])
        #expect(statuses.map(\.ongoing) == [false, false, true])

        let until = PoolEvents.start.adding(seconds: 2 + 100 + 40 + 60)
        let (cut, _) = try fixture.store.history(.host(pool: "hp", host: "sh-1"), since: nil, until: until)
        #expect(cut.filter { $0.aspect == "status" }.map(\.lasted) == [100, 40, 60], "the history as it stood at --until")

        // --since hides earlier rows, but the states before it still decide the changes after it.
        let since = PoolEvents.start.adding(seconds: 2 + 100 + 1)
        let (late, _) = try fixture.store.history(.host(pool: "hp", host: "sh-1"), since: since, until: nil)
        #expect(changes(late) == ["status Unavailable -> Available: DomainJoinedCheck passed"])
        #expect(late.filter { $0.kind == .change }.map(\.lasted) == [500] && late.allSatisfy { $0.at >= since })
    }

    @Test("a host drained by an update says so: the batch and the step")
    func drainedByUpdate() throws {
        let fixture = try StoreFixture()
        var pool = PoolEvents()
        pool.hosts(3)
        pool.schedule(batch: 2)
        pool.add("SessionHostUpdateControlled", #""action":"Start","actor":"ops","reason":"monthly image""#)
        for step in ["UsersNotified", "UsersSignedOut", "Drained"] { pool.step("sh-1", step) }
        for step in ["Removed", "VmCreated", "Joined", "DrainDisabled"] {
            pool.step("sh-1", step, step == "VmCreated" ? #","vmName":"sh-1-2024-04-15T03-00-30""# : "")
        }
        pool.step("sh-1", "OriginalDeallocated")
        pool.step("sh-1", "Succeeded")
        try fixture.append(pool.lines)

        let (entries, _) = try fixture.store.history(.host(pool: "hp", host: "sh-1"), since: nil, until: nil)
        #expect(changes(entries).suffix(2) == [
            "drain mode off -> on: update initial host, sh-1 step Drained",
            "drain mode on -> off: update initial host, sh-1 step DrainDisabled",
        ])
        let update = try fixture.store.history(.update(pool: "hp"), since: nil, until: nil).entries
        let start = try #require(update.first { $0.kind == .change && $0.to == "ValidatingSessionHostUpdate" })
        #expect(start.detail == "update Start by ops: monthly image" && start.actor == "ops" && start.reason == "monthly image")
        #expect(changes(update).suffix(3) == [
            "update status ValidatingSessionHostUpdate -> UpdatingSessionHosts: update initial host, sh-1 step Succeeded",
            "progress 0 of 3 hosts, 0% -> 1 of 3 hosts, 33.3%: update initial host, sh-1 step Succeeded",
            "batch 0 of 1 -> 1 of 1: update initial host, sh-1 step Succeeded",
        ])
    }

    @Test("a backend: Up -> Down names the consecutive failures and the threshold, on each rule serving the address")
    func backend() throws {
        let fixture = try StoreFixture()
        var lb = LoadBalancerEvents()
        lb.configure(threshold: 3)
        lb.add("LoadBalancingRuleConfigured", #""rule":"api","backendPool":"pool","probe":"p""#)
        lb.address("10.0.0.4")
        lb.address("10.0.0.5")
        lb.results("10.0.0.4", "Success", "Success", "Success", "TcpTimeout", "TcpTimeout", "TcpTimeout")
        lb.results("10.0.0.5", "TcpTimeout")
        try fixture.append(lb.lines)

        let (entries, _) = try fixture.store.history(.backend(loadBalancer: "lb", ipAddress: "10.0.0.4"), since: nil, until: nil)
        let api = changes(entries.filter { $0.subject == "rule api" })
        #expect(api == [
            "state none -> Down (NA): 10.0.0.4 added to pool pool",
            "state Down (NA) -> Down (Down_Probe_ApproachingHealthyThreshold): 10.0.0.4: success on probe p (probeThreshold 3)",
            "state Down (Down_Probe_ApproachingHealthyThreshold) -> Up (Up_Probe_Success): 10.0.0.4: 3rd consecutive success on probe p (probeThreshold 3)",
            "state Up (Up_Probe_Success) -> Up (Up_Probe_ApproachingUnhealthyThreshold): 10.0.0.4: TcpTimeout on probe p (probeThreshold 3)",
            "state Up (Up_Probe_ApproachingUnhealthyThreshold) -> Down (Down_Probe_TcpProbeTimeout): 10.0.0.4: 3rd consecutive TcpTimeout on probe p (probeThreshold 3)",
        ])
        #expect(changes(entries.filter { $0.subject == "rule web" }) == api.map { $0 }, "both rules serve the pool")
        // The other address's results are not rows of this history.
        #expect(!entries.contains { $0.detail.hasPrefix("10.0.0.5") })
    }

    @Test("AllProbedUp: another address's failure lifts this one, and the row says which event did it")
    func allProbedUp() throws {
        let fixture = try StoreFixture()
        var lb = LoadBalancerEvents()
        lb.configure(threshold: 1, behavior: "AllProbedUp")
        lb.address("10.0.0.4")
        lb.address("10.0.0.5")
        lb.results("10.0.0.4", "Success")
        lb.results("10.0.0.5", "Success")
        lb.results("10.0.0.4", "TcpTimeout")
        lb.results("10.0.0.5", "TcpTimeout")
        try fixture.append(lb.lines)
        let (entries, _) = try fixture.store.history(.backend(loadBalancer: "lb", ipAddress: "10.0.0.4"), since: nil, until: nil)
        #expect(changes(entries).last == "state Down (Down_Probe_TcpProbeTimeout) -> Up (Up_Probe_AllDownIsUp): 10.0.0.5: TcpTimeout on probe p (probeThreshold 1)")
    }

    /// A backend's history replayed over every address of its load balancer, as before narrowing.
    static func fullHistory(_ store: EventStore, _ ipAddress: String) throws -> [HistoryEntry] {
        let tracker = BackendTracker(loadBalancer: "lb", ipAddress: ipAddress)
        var recorder = HistoryRecorder(tracker, since: nil)
        try store.replay(tracker.streams, reading: tracker.reading, notAfter: nil) { try recorder.record($0, $1) }
        return recorder.finish(end: try #require(try store.newestEventTime()))
    }

    @Test("without AllProbedUp, a backend's history replays only its own streams, and is the history the whole load balancer gives")
    func narrowedBackendHistory() throws {
        let fixture = try StoreFixture()
        var lb = LoadBalancerEvents()
        lb.configure(threshold: 2)
        lb.address("10.0.0.4")
        lb.address("10.0.0.5")
        lb.add("BackendAddressAdded", #""backendPool":"other","ipAddress":"10.0.0.4""#)
        lb.add("LoadBalancingRuleConfigured", #""rule":"api","backendPool":"other","probe":"p""#)
        lb.results("10.0.0.5", "TcpTimeout", "TcpTimeout", "Success", "TcpTimeout", "TcpTimeout")
        lb.results("10.0.0.4", "Success", "TcpTimeout", "TcpTimeout", "Success")
        lb.admin("10.0.0.4", "Down")
        lb.platform("10.0.0.5", "Down")
        lb.admin("10.0.0.4", "None")
        lb.results("10.0.0.4", "Success", "Success")
        try fixture.append(lb.lines)

        let (entries, _) = try fixture.store.history(.backend(loadBalancer: "lb", ipAddress: "10.0.0.4"), since: nil, until: nil)
        #expect(entries == (try Self.fullHistory(fixture.store, "10.0.0.4")))
        // Both rules (pools "pool" and "other") show the address's own transitions, each once per rule.
        #expect(changes(entries).filter { $0 == "state Down (Down_Probe_ApproachingHealthyThreshold) -> Up (Up_Probe_Success): 10.0.0.4: 2nd consecutive success on probe p (probeThreshold 2)" }.count == 2)
        #expect(changes(entries).contains("state Down (Down_Probe_ApproachingHealthyThreshold) -> Down (Down_Admin): 10.0.0.4: admin state Down"))
        // The streams it reads: the load balancer's, the address's results, its entry in each pool.
        let narrowed = BackendTracker(loadBalancer: "lb", ipAddress: "10.0.0.4").narrowed(
            toOwnStreams: [StreamKind.backendAddress.key("lb", "pool", "10.0.0.4"), StreamKind.backendAddress.key("lb", "other", "10.0.0.4")])
        #expect(narrowed.streams.ranges.isEmpty && narrowed.streams.keys.count == 4)
    }

    @Test("a probe that was ever configured AllProbedUp keeps the whole load balancer in a backend's history")
    func linkedAddresses() throws {
        let fixture = try StoreFixture()
        var lb = LoadBalancerEvents()
        lb.configure(threshold: 1, behavior: "AllProbedUp")
        lb.address("10.0.0.4")
        lb.address("10.0.0.5")
        lb.results("10.0.0.4", "TcpTimeout")
        lb.results("10.0.0.5", "TcpTimeout")
        lb.probe(threshold: 1, behavior: "AllProbedDown")
        lb.results("10.0.0.5", "Success")
        try fixture.append(lb.lines)
        let (entries, _) = try fixture.store.history(.backend(loadBalancer: "lb", ipAddress: "10.0.0.4"), since: nil, until: nil)
        #expect(entries == (try Self.fullHistory(fixture.store, "10.0.0.4")))
        // The lift by AllProbedUp is there, which a replay of the address alone would have missed.
        #expect(changes(entries).contains { $0.contains("Up_Probe_AllDownIsUp") })
    }

    @Test("an instance: Initializing ends by valid results or by the grace period's expiry, and says which")
    func instance() throws {
        let fixture = try StoreFixture()
        // http, numberOfProbes 2, interval 5: grace period 10 s (docs/domain-rules.md, worked case 2).
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":2"#)
        for (index, result) in ["U", "H", "H", "Uh", "Uh"].enumerated() { events.probe(Probe.http(result), after: index == 0 ? 0 : 5) }
        try fixture.append(events.lines)
        let (entries, _) = try fixture.store.history(.instance(scaleSet: "s", instanceId: "0"), since: nil, until: nil)
        let health = entries.filter { $0.aspect == "health" }.map { "\($0.from!) -> \($0.to!): \($0.detail)" }
        #expect(health == [
            "none -> Initializing: instance 0 created, extension starts (grace period 10 s)",
            #"Initializing -> Unknown: probe: HTTP 200 {"ApplicationHealthState":"Healthy"}, Healthy; the grace period of 10 s expired, so it counts as Unknown"#,
            #"Unknown -> Unhealthy: probe: HTTP 200 {"ApplicationHealthState":"Unhealthy"}, Unhealthy (2 of numberOfProbes 2)"#,
        ])
        #expect(entries.contains { $0.aspect == "instance repair" && $0.from == "no" && $0.to == "yes" })
        // Every event of the instance's own stream is a row of its own: its creation and each probe.
        #expect(entries.filter { $0.kind == .event }.map(\.type) == ["ScaleSetInstanceCreated"] + Array(repeating: "ApplicationHealthProbed", count: 5))
    }

    @Test("an unknown entity is an error naming it")
    func unknown() throws {
        let fixture = try StoreFixture()
        var pool = PoolEvents()
        pool.hosts(1)
        try fixture.append(pool.lines)
        #expect(throws: UnknownName("session host", "sh-9", in: "in host pool hp", known: ["sh-1"])) {
            try fixture.store.history(.host(pool: "hp", host: "sh-9"), since: nil, until: nil)
        }
        #expect(throws: UnknownName("load balancer", "lb", known: [])) {
            try fixture.store.history(.backend(loadBalancer: "lb", ipAddress: "10.0.0.1"), since: nil, until: nil)
        }
    }
}
