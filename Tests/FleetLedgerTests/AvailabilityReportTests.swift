@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import Testing

@Suite("report availability: time per state, traffic share, transitions, longest outage")
struct AvailabilityReportTests {
    /// Pool hp: sh-1 fails a fatal check for 300 s, is drained for 100 s; sh-2 is registered late.
    /// Seconds from PoolEvents.start: sh-1 registered at 2; window 100..<1100.
    func poolStore() throws -> StoreFixture {
        let fixture = try StoreFixture()
        var pool = PoolEvents()
        pool.hosts(1)                                                        // sh-1 at 2
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355,"message":"trust lost""#, after: 198)  // 200
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-1","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckSucceeded""#, after: 300)  // 500
        pool.add("DrainModeChanged", #""sessionHost":"sh-1","allowNewSession":false,"actor":"alice""#, after: 100)  // 600
        pool.add("DrainModeChanged", #""sessionHost":"sh-1","allowNewSession":true"#, after: 100)   // 700
        pool.add("SessionHostRegistered", #""sessionHost":"sh-2""#, after: 200)   // 900
        pool.add("HealthCheckCompleted", #""sessionHost":"sh-2","healthCheckName":"UrlsAccessibleCheck","healthCheckResult":"HealthCheckFailed""#, after: 50)  // 950
        pool.add("AgentHeartbeatReceived", #""sessionHost":"sh-2""#, after: 150)  // 1100: the data reaches the window's end
        try fixture.append(pool.lines)
        return fixture
    }

    let since = PoolEvents.start.adding(seconds: 100)
    let until = PoolEvents.start.adding(seconds: 1100)

    @Test("session hosts: states add up to the window, drain takes a host out of traffic, the longest outage names its cause")
    func hosts() throws {
        let report = try poolStore().store.availability(.hosts(pool: "hp"), since: since, until: until)
        #expect(report.rows.map(\.ids) == [["hp", "sh-1"], ["hp", "sh-2"]])
        let first = report.rows[0], second = report.rows[1]
        #expect(first.seconds == ["Available": 700, "Unavailable": 300])
        #expect(first.noState == 0 && first.traffic == 600 && first.transitions == 2)
        #expect(first.share == 0.6)
        #expect(first.longestOutage == Outage(start: PoolEvents.start.adding(seconds: 200), seconds: 300,
                                              reason: "Unavailable: DomainTrustCheck failed, error 1355: trust lost"))
        // Registered at 900: 800 s with no known state, then Available 50 s, NeedsAssistance 150 s (takes sessions).
        #expect(second.seconds == ["Available": 50, "NeedsAssistance": 150])
        #expect(second.noState == 800 && second.traffic == 200 && second.share == 1 && second.longestOutage == nil)
        for row in report.rows {
            #expect(row.known + row.noState == report.windowSeconds, "every second of the window is counted once")
        }
    }

    @Test("time after the log's newest event is no data: in no state, out of the share, and said")
    func pastTheData() throws {
        let fixture = try poolStore()
        let later = PoolEvents.start.adding(seconds: 2100)
        let report = try fixture.store.availability(.hosts(pool: "hp"), since: since, until: later)
        #expect(report.dataEnd == until)
        let first = report.rows[0]
        #expect(first.seconds == ["Available": 700, "Unavailable": 300])
        #expect(first.noData == 1000 && first.noState == 0 && first.share == 0.6)
        for row in report.rows {
            #expect(row.known + row.noState + row.noData == report.windowSeconds, "every second of the window is counted once")
        }
        let (table, note) = try fixture.store.availabilityReportWithNote(.hosts(pool: "hp"), since: since, until: later, byGroup: false, format: .table)
        #expect(table.contains("NO DATA"))
        #expect(note == "note: the log's newest event is at \(until.rfc3339); the window's 16m 40s after it are no data, "
            + "a column of their own and out of the share taking traffic.")
        // Summed per pool, the no data sums too; a window that ends before the data's end has none, and no note.
        #expect(report.byGroup().rows.first?.noData == 2000)
        let inside = try fixture.store.availabilityReportWithNote(.hosts(pool: "hp"), since: since, until: until, byGroup: false, format: .csv)
        #expect(inside.note == nil)
        #expect(try fixture.store.availability(.hosts(pool: "hp"), since: since, until: until).dataEnd == nil)
        let csv = try fixture.store.availabilityReport(.hosts(pool: "hp"), since: since, until: later, byGroup: false, format: .csv)
        #expect(csv.contains(",noState,noData,trafficSeconds,") && csv.contains(",0,1000,") && !csv.contains("staleSeconds"))
        // A window wholly past the data: the hosts alive at its end are listed with every second no
        // data and no share claimed, and the report names the newest event, not the window's start.
        let far = try fixture.store.availability(.hosts(pool: "hp"), since: PoolEvents.start.adding(seconds: 5000), until: PoolEvents.start.adding(seconds: 6000))
        #expect(far.rows.map(\.ids) == [["hp", "sh-1"], ["hp", "sh-2"]])
        #expect(far.rows.allSatisfy { $0.noData == 1000 && $0.known == 0 && $0.noState == 0 && $0.share == nil })
        #expect(far.dataEnd == until)
    }

    @Test("--stale-after: time more than D after an entity's own last event is stale, out of the share, whatever the others report")
    func stale() throws {
        let fixture = try StoreFixture()
        var pool = PoolEvents()
        pool.hosts(2)                                                         // sh-1 at 2, sh-2 at 3
        pool.add("AgentHeartbeatReceived", #""sessionHost":"sh-1""#, after: 97)   // 100
        pool.add("AgentHeartbeatReceived", #""sessionHost":"sh-1""#, after: 400)  // 500
        pool.add("AgentHeartbeatReceived", #""sessionHost":"sh-1""#, after: 100)  // 600: then sh-1's feed dies
        pool.add("AgentHeartbeatReceived", #""sessionHost":"sh-2""#, after: 500)  // 1100: sh-2 silent till the end
        try fixture.append(pool.lines)
        let staleAfter = try #require(TimeSpan("150s"))
        let report = try fixture.store.availability(.hosts(pool: "hp"), since: since, until: until, staleAfter: staleAfter)
        let first = try #require(report.rows.first), second = try #require(report.rows.last)
        // sh-1: fresh 100..<250 and 500..<750; stale 250..<500 (a gap between heartbeats) and 750..<1100.
        #expect(first.seconds == ["Available": 400] && first.stale == 600 && first.noState == 0)
        #expect(first.traffic == 400 && first.share == 1, "stale time is out of the share")
        // sh-2: registered at 3, fresh until 153.
        #expect(second.seconds == ["Available": 53] && second.stale == 947)
        #expect(report.staleAfter == staleAfter)
        // Without --stale-after, the same window is all uptime; summed per pool, stale sums too.
        #expect(try fixture.store.availability(.hosts(pool: "hp"), since: since, until: until).rows.first?.seconds == ["Available": 1000])
        #expect(report.byGroup().rows.first?.stale == 1547)
        let table = try fixture.store.availabilityReport(.hosts(pool: "hp"), since: since, until: until, staleAfter: staleAfter, byGroup: false, format: .table)
        #expect(table.contains("stale 2m30s after an entity's own last event") && table.contains("STALE"))
        let csv = try fixture.store.availabilityReport(.hosts(pool: "hp"), since: since, until: until, staleAfter: staleAfter, byGroup: false, format: .csv)
        #expect(csv.contains(",longestOutageReason,staleSeconds\r\n") && csv.hasSuffix(",947\r\n"))
    }

    @Test("--stale-after on backends: an address's probe results keep every rule's backend fresh; an outage ends where staleness begins")
    func staleBackends() throws {
        let fixture = try StoreFixture()
        var lb = LoadBalancerEvents()
        lb.configure(threshold: 1)              // seconds 1-3
        lb.address("10.0.0.4")                  // 4
        lb.results("10.0.0.4", "Success", "TcpTimeout")  // 5: Up, 6: Down, then silence
        lb.address("10.0.0.5")                  // 7
        lb.results("10.0.0.5", "Success", "Success", "Success", "Success", "Success", "Success", "Success", "Success", "Success")  // 8..16
        try fixture.append(lb.lines)
        let start = LoadBalancerEvents.start
        let report = try fixture.store.availability(.backends(loadBalancer: "lb", rule: "web"), since: start.adding(seconds: 4),
                                                    until: start.adding(seconds: 16), staleAfter: TimeSpan(seconds: 2))
        let dead = try #require(report.rows.first { $0.ids[2] == "10.0.0.4" })
        // Down (NA) from 4, Up at 5, Down at 6; its last result at 6 keeps it fresh to 8, stale to 16.
        #expect(dead.seconds == ["Down": 3, "Up": 1] && dead.stale == 8)
        #expect(dead.longestOutage?.seconds == 2, "the outage from 6 ends at 8, where the feed went stale")
        let alive = try #require(report.rows.first { $0.ids[2] == "10.0.0.5" })
        #expect(alive.stale == 0)
        let whole = try fixture.store.availability(.backends(loadBalancer: "lb", rule: "web"), since: start.adding(seconds: 4),
                                                   until: start.adding(seconds: 16))
        #expect(whole.rows.first { $0.ids[2] == "10.0.0.4" }?.longestOutage?.seconds == 10)
    }

    @Test("--stale-after on a global load balancer: its backend is fresh while its regional load balancer reports")
    func staleGlobal() throws {
        var regional = LoadBalancerEvents(name: "lb-east")
        regional.configure()                    // 1-3
        regional.address("10.1.0.4")            // 4
        for _ in 0..<16 { regional.result("10.1.0.4", "Success") }  // 5..20
        var global = LoadBalancerEvents(name: "lb")
        global.configure(kind: "Global")        // 1-3
        global.address("20.0.0.1", regional: "lb-east")  // 4
        let fixture = try StoreFixture()
        try fixture.append(regional.lines.prefix(4) + global.lines + regional.lines.dropFirst(4))
        let start = LoadBalancerEvents.start
        let report = try fixture.store.availability(.backends(loadBalancer: "lb", rule: nil), since: start.adding(seconds: 10),
                                                    until: start.adding(seconds: 20), staleAfter: TimeSpan(seconds: 3))
        let row = try #require(report.rows.first)
        #expect(row.ids == ["lb", "web", "20.0.0.1"] && row.seconds == ["Up": 10] && row.stale == 0)
    }

    @Test("--by pool sums the rows, and the longest outage names its host")
    func byPool() throws {
        let report = try poolStore().store.availability(.hosts(pool: nil), since: since, until: until).byGroup()
        let row = try #require(report.rows.first)
        #expect(report.rows.count == 1 && row.ids == ["hp"] && row.entities == 2)
        #expect(row.seconds == ["Available": 750, "Unavailable": 300, "NeedsAssistance": 150])
        #expect(row.noState == 800 && row.traffic == 800 && row.transitions == 3)
        #expect(row.longestOutage?.reason == "sh-1: Unavailable: DomainTrustCheck failed, error 1355: trust lost")
    }

    @Test("a window inside a state: the state before the window counts, no transition is counted")
    func insideOneState() throws {
        let report = try poolStore().store.availability(
            .hosts(pool: "hp"), since: PoolEvents.start.adding(seconds: 250), until: PoolEvents.start.adding(seconds: 450))
        #expect(report.rows.map(\.seconds) == [["Unavailable": 200]])
        #expect(report.rows[0].transitions == 0 && report.rows[0].share == 0)
        #expect(report.rows[0].longestOutage?.seconds == 200, "an outage is clipped to the window")
    }

    @Test("backends of a rule: Up, Down and PoweredOff, with Azure's reason code in the outage")
    func backends() throws {
        let fixture = try StoreFixture()
        var lb = LoadBalancerEvents()
        lb.configure(threshold: 2)              // seconds 1-3
        lb.address("10.0.0.4")                  // 4: Down (NA)
        lb.results("10.0.0.4", "Success", "Success")  // 5, 6: Up at 6
        lb.results("10.0.0.4", "TcpTimeout", "TcpTimeout")  // 7, 8: Down at 8
        lb.power("10.0.0.4", on: false)         // 9
        lb.address("10.0.0.5")                  // 10: another backend's events carry the data to the window's end
        lb.results("10.0.0.5", "Success", "Success")  // 11, 12
        try fixture.append(lb.lines)
        let start = LoadBalancerEvents.start
        let report = try fixture.store.availability(.backends(loadBalancer: "lb", rule: "web"), since: start.adding(seconds: 4),
                                                    until: start.adding(seconds: 12))
        let row = try #require(report.rows.first)
        #expect(row.ids == ["lb", "web", "10.0.0.4"])
        #expect(row.seconds == ["Down": 3, "Up": 2, BackendTracker.poweredOff: 3])
        #expect(row.noData == 0 && row.transitions == 3 && row.traffic == 2)
        #expect(row.longestOutage == Outage(start: start.adding(seconds: 8), seconds: 4,
                                            reason: "Down (Down_Probe_TcpProbeTimeout): 10.0.0.4: 2nd consecutive TcpTimeout on probe p (probeThreshold 2)"))
    }

    @Test("scale set instances: time per extension state; only Healthy takes traffic")
    func instances() throws {
        let fixture = try StoreFixture()
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":1"#)
        // Grace period 5 s (interval x probes): the first probe at 2 s ends it with a valid result.
        events.probe(Probe.healthy, after: 2)    // Healthy at 2
        events.probe(Probe.unknown, after: 23)   // Unknown at 25
        events.probe(Probe.healthy, after: 10)   // Healthy at 35
        try fixture.append(events.lines)
        let start = ScaleSetEvents.start
        let report = try fixture.store.availability(.instances(scaleSet: "s"), since: start, until: start.adding(seconds: 40))
        let row = try #require(report.rows.first)
        // The last probe is at 35: the window's last 5 s are no data, not Healthy.
        #expect(row.seconds == ["Initializing": 2, "Healthy": 23, "Unknown": 10])
        #expect(row.noData == 5 && row.traffic == 23 && row.transitions == 3)
        #expect(row.longestOutage?.seconds == 10 && row.longestOutage?.reason.hasPrefix("Unknown: probe: HTTP 200") == true)
    }
}
