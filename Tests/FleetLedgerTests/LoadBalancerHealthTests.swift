@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import Foundation
import Testing

@Suite("Load balancer backend health")
struct LoadBalancerHealthTests {
    @Test("a backend never probed is NA, counted down")
    func neverProbed() throws {
        var lb = LoadBalancerEvents()
        lb.configure()
        lb.address("10.0.0.4")
        #expect(try ruleHealth(after: lb) == ["10.0.0.4 Down NA"])
    }

    @Test("probeThreshold 1: every result decides at once, in both directions")
    func thresholdOne() throws {
        let trace = try LoadBalancerTrace { $0.configure(threshold: 1); $0.address("10.0.0.4") }
        #expect(try trace.step { $0.result("10.0.0.4", "Success") } == ["10.0.0.4 Up Up_Probe_Success"])
        #expect(try trace.step { $0.result("10.0.0.4", "TcpTimeout") } == ["10.0.0.4 Down Down_Probe_TcpProbeTimeout"])
        #expect(try trace.step { $0.result("10.0.0.4", "Success") } == ["10.0.0.4 Up Up_Probe_Success"])
    }

    @Test("probeThreshold 3: a new backend comes up after 3 successes and goes down after 3 failures")
    func thresholdThree() throws {
        let trace = try LoadBalancerTrace { $0.configure(threshold: 3); $0.address("10.0.0.4") }
        let ip = "10.0.0.4"
        #expect(try trace.step { $0.result(ip, "Success") } == ["\(ip) Down Down_Probe_ApproachingHealthyThreshold"])
        #expect(try trace.step { $0.result(ip, "Success") } == ["\(ip) Down Down_Probe_ApproachingHealthyThreshold"])
        #expect(try trace.step { $0.result(ip, "Success") } == ["\(ip) Up Up_Probe_Success"])
        #expect(try trace.step { $0.result(ip, "TcpTimeout") } == ["\(ip) Up Up_Probe_ApproachingUnhealthyThreshold"])
        #expect(try trace.step { $0.result(ip, "TcpTimeout") } == ["\(ip) Up Up_Probe_ApproachingUnhealthyThreshold"])
        #expect(try trace.step { $0.result(ip, "TcpTimeout") } == ["\(ip) Down Down_Probe_TcpProbeTimeout"])
        // A success breaks a run of failures, and a failure a run of successes.
        #expect(try trace.step { $0.results(ip, "Success", "Success", "TcpTimeout") } == ["\(ip) Down Down_Probe_TcpProbeTimeout"])
        #expect(try trace.step { $0.results(ip, "Success", "Success", "Success", "TcpTimeout", "TcpTimeout", "Success") }
            == ["\(ip) Up Up_Probe_Success"])
    }

    @Test("a Down backend's reason comes from its latest failing outcome", arguments: [
        ("TcpTimeout", "Down_Probe_TcpProbeTimeout"),
        ("HttpStatusCode", "Down_Probe_HttpStatusCodeError"),
        ("HttpEndpointUnreachable", "Down_Probe_HttpEndpointUnreachable"),
        ("HttpNoResponse", "Down_Probe_HttpNoResponse"),
    ])
    func failureReasons(outcome: String, reason: String) throws {
        var lb = LoadBalancerEvents()
        lb.configure(protocol: "Http", threshold: 2)
        lb.address("10.0.0.4")
        lb.results("10.0.0.4", "TcpTimeout", outcome)
        #expect(try ruleHealth(after: lb) == ["10.0.0.4 Down \(reason)"])
    }

    @Test("admin state Up or Down overrides the probes; None hands the backend back to them")
    func adminOverride() throws {
        let trace = try LoadBalancerTrace { $0.configure(); $0.address("10.0.0.4"); $0.result("10.0.0.4", "TcpTimeout") }
        #expect(try trace.step { $0.admin("10.0.0.4", "Up") } == ["10.0.0.4 Up Up_Admin"])
        #expect(try trace.step { $0.result("10.0.0.4", "TcpTimeout") } == ["10.0.0.4 Up Up_Admin"])
        #expect(try trace.step { $0.result("10.0.0.4", "Success"); $0.admin("10.0.0.4", "Down") } == ["10.0.0.4 Down Down_Admin"])
        #expect(try trace.step { $0.admin("10.0.0.4", "None") } == ["10.0.0.4 Up Up_Probe_Success"])
    }

    @Test("AllProbedUp: a pool whose every probed backend is down is all up, until one recovers")
    func allProbedUp() throws {
        let trace = try LoadBalancerTrace {
            $0.configure(behavior: "AllProbedUp")
            for ip in ["10.0.0.4", "10.0.0.5", "10.0.0.6"] { $0.address(ip) }
            $0.admin("10.0.0.6", "Down")
        }
        #expect(try trace.step { $0.results("10.0.0.4", "Success"); $0.results("10.0.0.5", "TcpTimeout") }
            == ["10.0.0.4 Up Up_Probe_Success", "10.0.0.5 Down Down_Probe_TcpProbeTimeout", "10.0.0.6 Down Down_Admin"])
        #expect(try trace.step { $0.results("10.0.0.4", "TcpTimeout") }
            == ["10.0.0.4 Up Up_Probe_AllDownIsUp", "10.0.0.5 Up Up_Probe_AllDownIsUp", "10.0.0.6 Down Down_Admin"])
        #expect(try trace.step { $0.results("10.0.0.5", "Success") }
            == ["10.0.0.4 Down Down_Probe_TcpProbeTimeout", "10.0.0.5 Up Up_Probe_Success", "10.0.0.6 Down Down_Admin"])
    }

    @Test("AllProbedDown, the default, leaves an all-down pool down")
    func allProbedDown() throws {
        var lb = LoadBalancerEvents()
        lb.configure()
        lb.address("10.0.0.4")
        lb.address("10.0.0.5")
        lb.result("10.0.0.4", "TcpTimeout")
        lb.result("10.0.0.5", "TcpTimeout")
        #expect(try ruleHealth(after: lb) == ["10.0.0.4 Down Down_Probe_TcpProbeTimeout", "10.0.0.5 Down Down_Probe_TcpProbeTimeout"])
    }

    @Test("AllProbedUp does not lift a pool when an admin-Up backend takes traffic, nor lift never-probed backends")
    func allProbedUpLimits() throws {
        var lb = LoadBalancerEvents()
        lb.configure(behavior: "AllProbedUp")
        for ip in ["10.0.0.4", "10.0.0.5", "10.0.0.6"] { lb.address(ip) }
        lb.result("10.0.0.4", "TcpTimeout")
        #expect(try ruleHealth(after: lb) == ["10.0.0.4 Up Up_Probe_AllDownIsUp", "10.0.0.5 Down NA", "10.0.0.6 Down NA"])
        lb.admin("10.0.0.6", "Up")
        #expect(try ruleHealth(after: lb) == ["10.0.0.4 Down Down_Probe_TcpProbeTimeout", "10.0.0.5 Down NA", "10.0.0.6 Up Up_Admin"])
    }

    @Test("platform reports give Up_Platform or Down_Platform until cleared")
    func platform() throws {
        let trace = try LoadBalancerTrace { $0.configure(); $0.address("10.0.0.4"); $0.result("10.0.0.4", "Success") }
        #expect(try trace.step { $0.platform("10.0.0.4", "Down") } == ["10.0.0.4 Down Down_Platform"])
        #expect(try trace.step { $0.platform("10.0.0.4", "Up") } == ["10.0.0.4 Up Up_Platform"])
        #expect(try trace.step { $0.platform("10.0.0.4", "Cleared") } == ["10.0.0.4 Up Up_Probe_Success"])
    }

    @Test("a powered-off backend has empty state and reason, counted in neither up nor down")
    func poweredOff() throws {
        let trace = try LoadBalancerTrace {
            $0.configure(); $0.address("10.0.0.4"); $0.address("10.0.0.5")
            $0.result("10.0.0.4", "Success"); $0.result("10.0.0.5", "Success")
        }
        #expect(try trace.step { $0.power("10.0.0.5", on: false) } == ["10.0.0.4 Up Up_Probe_Success", "10.0.0.5  "])
        let health = try LoadBalancerQueries.ruleHealth(in: try trace.fixture.store.projections(asOf: nil), loadBalancer: "lb", rule: "web")
        #expect((health.up, health.down) == (1, 0))
        #expect(try trace.step { $0.power("10.0.0.5", on: true) } == ["10.0.0.4 Up Up_Probe_Success", "10.0.0.5 Up Up_Probe_Success"])
    }

    @Test("precedence: powered off, then admin state, then a platform report, then the probe")
    func precedence() throws {
        let trace = try LoadBalancerTrace { $0.configure(); $0.address("10.0.0.4"); $0.result("10.0.0.4", "Success") }
        #expect(try trace.step { $0.platform("10.0.0.4", "Down") } == ["10.0.0.4 Down Down_Platform"])
        #expect(try trace.step { $0.admin("10.0.0.4", "Up") } == ["10.0.0.4 Up Up_Admin"])
        #expect(try trace.step { $0.power("10.0.0.4", on: false) } == ["10.0.0.4  "])
        #expect(try trace.step { $0.power("10.0.0.4", on: true); $0.admin("10.0.0.4", "None") } == ["10.0.0.4 Down Down_Platform"])
        #expect(try trace.step { $0.platform("10.0.0.4", "Cleared") } == ["10.0.0.4 Up Up_Probe_Success"])
    }

    @Test("a global load balancer sees a regional one with no healthy backend as Down_Probe_NoHealthyBackend")
    func global() throws {
        var regional = LoadBalancerEvents(name: "lb-east")
        regional.configure()
        regional.address("10.1.0.4")
        regional.result("10.1.0.4", "Success")
        var global = LoadBalancerEvents(name: "lb")
        global.configure(kind: "Global")
        global.address("20.0.0.1", regional: "lb-east")
        let fixture = try StoreFixture()
        try fixture.append(regional.lines + global.lines.map { $0.replacingAll("T03:", with: "T04:") })
        #expect(try ruleHealth(fixture.store) == ["20.0.0.1 Up Up_Probe_Success"])
        try fixture.append([eventLine("ProbeResultRecorded", #""loadBalancer":"lb-east","probe":"p","ipAddress":"10.1.0.4","outcome":"TcpTimeout""#, at: "2024-04-15T05:00:00Z")])
        #expect(try ruleHealth(fixture.store) == ["20.0.0.1 Down Down_Probe_NoHealthyBackend"])
        #expect(try ruleHealth(fixture.store, loadBalancer: "lb-east") == ["10.1.0.4 Down Down_Probe_TcpProbeTimeout"])
    }

    @Test("a change of the probe's threshold keeps the running count; the next result is judged by the new one")
    func thresholdChange() throws {
        let trace = try LoadBalancerTrace { $0.configure(threshold: 3); $0.address("10.0.0.4"); $0.results("10.0.0.4", "Success", "Success", "Success") }
        #expect(try trace.step { $0.result("10.0.0.4", "TcpTimeout") } == ["10.0.0.4 Up Up_Probe_ApproachingUnhealthyThreshold"])
        #expect(try trace.step { $0.probe(threshold: 2) } == ["10.0.0.4 Up Up_Probe_ApproachingUnhealthyThreshold"])
        #expect(try trace.step { $0.result("10.0.0.4", "TcpTimeout") } == ["10.0.0.4 Down Down_Probe_TcpProbeTimeout"])
    }

    @Test("backends are listed in numeric IP order, and a removed one is gone")
    func order() throws {
        var lb = LoadBalancerEvents()
        lb.configure()
        for ip in ["10.0.0.10", "10.0.0.9", "10.0.1.1", "9.255.0.1"] { lb.address(ip) }
        lb.add("BackendAddressRemoved", #""backendPool":"pool","ipAddress":"10.0.1.1""#)
        #expect(try ruleHealth(after: lb).map { $0.split(separator: " ")[0] } == ["9.255.0.1", "10.0.0.9", "10.0.0.10"])
    }

    @Test("as of any time across a threshold change, the health equals a store holding only the events up to then")
    func asOf() throws {
        var lb = LoadBalancerEvents()
        lb.configure(threshold: 3)
        lb.address("10.0.0.4")
        lb.address("10.0.0.5")
        for round in 0..<6 { lb.result("10.0.0.4", round < 3 ? "Success" : "TcpTimeout"); lb.result("10.0.0.5", "Success") }
        lb.probe(threshold: 1)
        for round in 0..<4 { lb.result("10.0.0.4", round % 2 == 0 ? "Success" : "TcpTimeout"); lb.result("10.0.0.5", "HttpNoResponse") }
        let full = try StoreFixture()
        try full.append(lb.lines)
        for second in 0...lb.second {
            let time = LoadBalancerEvents.start.adding(seconds: second)
            let partial = try StoreFixture()
            let lines = lb.lines.filter { try! decode($0).at <= time }
            try partial.append(lines)
            let expected = lines.contains { $0.contains("LoadBalancingRuleConfigured") } ? try ruleHealth(partial.store) : nil
            let actual = expected == nil ? nil : try ruleHealth(full.store, asOf: time)
            #expect(actual == expected, "as of \(time.rfc3339)")
        }
    }

    @Test("backends are listed by address: IPv4 by its octets as numbers, anything else after them, by its text")
    func addressOrder() {
        let addresses = ["a", "10.0.0.10", "2001:db8::1", "10.0.1.1", "10.0.0.9", "1.2.3.4", "256.0.0.1", "10.0.0", "9.255.255.255"]
        #expect(IPOrder.sorted(addresses, by: { $0 }) == ["1.2.3.4", "9.255.255.255", "10.0.0.9", "10.0.0.10", "10.0.1.1",
                                                          "10.0.0", "2001:db8::1", "256.0.0.1", "a"])
        #expect(IPOrder.less("10.0.0.9", "10.0.0.10"))
        #expect(!IPOrder.less("10.0.0.10", "10.0.0.9"))
        #expect(IPOrder.less("255.255.255.255", "::1"))
    }
}

@Suite("Load balancer refusals")
struct LoadBalancerRefusalTests {
    @Test("a rule naming a probe the load balancer does not have is refused, and nothing is appended")
    func ruleWithUnknownProbe() throws {
        let fixture = try StoreFixture()
        let lines = [
            eventLine("HealthProbeConfigured", #""loadBalancer":"lb","probe":"p","protocol":"Tcp","port":80"#),
            eventLine("LoadBalancingRuleConfigured", #""loadBalancer":"lb","rule":"web","backendPool":"pool","probe":"q""#),
        ]
        let error = try #require(throws: AppendError.self) { try fixture.append(lines) }
        #expect(error.description == #"input.ndjson line 2: field "data.probe" is "q", which load balancer lb does not have; a rule may name only a configured probe (its probes are p); nothing was appended."#)
        #expect(try fixture.store.eventCount() == 0)
    }

    @Test("a probe result for a probe the load balancer does not have is refused")
    func resultForUnknownProbe() throws {
        let fixture = try StoreFixture()
        let result = eventLine("ProbeResultRecorded", #""loadBalancer":"lb","probe":"p","ipAddress":"10.0.0.4","outcome":"Success""#)
        let unknown = try #require(throws: AppendError.self) { try fixture.append([result]) }
        #expect(unknown.description.contains(#"field "data.loadBalancer" is "lb", a load balancer no event has configured; "#
            + "a probe result may name only a configured load balancer (the store holds none yet)"))
        try fixture.append([eventLine("LoadBalancerConfigured", #""loadBalancer":"lb""#, at: "2024-04-15T02:00:00Z")])
        let error = try #require(throws: AppendError.self) { try fixture.append([result]) }
        #expect(error.description.contains(#"field "data.probe" is "p", which load balancer lb does not have; a probe result may name only a configured probe (it has no probes yet)"#))
    }

    @Test("a rule with no probe and a Gateway load balancer have no health status; unknown names are named with the known ones")
    func noHealthStatus() throws {
        var lb = LoadBalancerEvents()
        lb.configure(probed: false)
        var gateway = LoadBalancerEvents(name: "gw")
        gateway.configure(kind: "Gateway")
        let fixture = try StoreFixture()
        try fixture.append(lb.lines + gateway.lines.map { $0.replacingAll("T03:", with: "T04:") })
        let view = try fixture.store.projections(asOf: nil)
        #expect(throws: LoadBalancerQueryError.unprobedRule(rule: "web", loadBalancer: "lb")) {
            try LoadBalancerQueries.ruleHealth(in: view, loadBalancer: "lb", rule: "web")
        }
        #expect(throws: LoadBalancerQueryError.gateway(loadBalancer: "gw")) {
            try LoadBalancerQueries.ruleHealth(in: view, loadBalancer: "gw", rule: "web")
        }
        #expect(throws: UnknownName("load balancer", "nope", known: ["gw", "lb"])) {
            try LoadBalancerQueries.ruleHealth(in: view, loadBalancer: "nope", rule: "web")
        }
        #expect(throws: LoadBalancerQueryError.unknownRule(rule: "api", loadBalancer: "lb", knownRules: ["web"])) {
            try LoadBalancerQueries.ruleHealth(in: view, loadBalancer: "lb", rule: "api")
        }
    }
}
