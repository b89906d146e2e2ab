@testable import FleetDomains
import FleetEvents
@testable import FleetProjection
import Testing

/// Each domain refuses an event with an error of its own, by rule, so a caller can tell the rules
/// apart; the sentence it reads is the error's description.
@Suite("Domain refusals are typed")
struct DomainRefusalTests {
    /// The events accepted so far: each refusal is asked of a fresh pass that folded them, since
    /// a pass whose fold threw is abandoned, as an append's is.
    var accepted: [ProjectedEvent] = []

    func event(_ type: any EventData.Type, _ data: String, at seconds: Int64) throws -> ProjectedEvent {
        guard case .object(let members) = try JSONParser.parse("{\(data)}") else { throw InputError(field: "data", "not an object") }
        let declaration = type.declaration
        return ProjectedEvent(seq: Int64(accepted.count + 1), at: Timestamp(nanoseconds: 1_713_200_000_000_000_000 + seconds * 1_000_000_000),
                              stream: declaration.streamKey(of: members), data: try declaration.decode(members, checking: .append))
    }

    /// Checks and folds the event after every accepted one, as an append does.
    mutating func append(_ type: any EventData.Type, _ data: String, at seconds: Int64 = 0) throws {
        let pass = ProjectionPass(projectors: SessionHostDomain.projectors + UpdateDomain.projectors + LoadBalancerDomain.projectors
                                      + ScaleSetDomain.projectors, source: nil)
        for earlier in accepted { try pass.apply(earlier) }
        let next = try event(type, data, at: seconds)
        try pass.apply(next, checking: true)
        accepted.append(next)
    }

    @Test("a rule naming a probe its load balancer lacks is LoadBalancerRefusal.unknownProbe, with the probes it has")
    mutating func unknownProbe() throws {
        try append(HealthProbeConfigured.self, #""loadBalancer":"lb","probe":"tcp-80","protocol":"Tcp","port":80"#)
        let error = #expect(throws: LoadBalancerRefusal.self) {
            try append(LoadBalancingRuleConfigured.self, #""loadBalancer":"lb","rule":"web","backendPool":"pool","probe":"http-80""#)
        }
        #expect(error == .unknownProbe(probe: "http-80", loadBalancer: "lb", knownProbes: ["tcp-80"], namedBy: "a rule"))
        #expect(error?.description == #"field "data.probe" is "http-80", which load balancer lb does not have; a rule may name only a configured probe (its probes are tcp-80)"#)
    }

    @Test("a probe result or platform report about an address no pool of its load balancer holds is refused, naming the held addresses")
    mutating func addressInNoPool() throws {
        let lb = #""loadBalancer":"lb""#
        let result = lb + #","probe":"tcp-80","ipAddress":"10.0.0.5","outcome":"Success""#
        try append(HealthProbeConfigured.self, lb + #","probe":"tcp-80","protocol":"Tcp","port":80"#)
        let none = #expect(throws: LoadBalancerRefusal.self) { try append(ProbeResultRecorded.self, result) }
        #expect(none == .addressInNoPool(ipAddress: "10.0.0.5", loadBalancer: "lb", heldAddresses: [], removed: false, namedBy: "a probe result"))
        #expect(none?.description == #"field "data.ipAddress" is "10.0.0.5", which no backend pool of load balancer lb holds; "#
            + "a probe result may name only an address added to a pool and not removed since (its pools hold no address yet)")
        // The same address in another load balancer's pool does not count; held ones are listed in
        // address order, never suggested (a near address is another machine).
        try append(BackendAddressAdded.self, #""loadBalancer":"lb-other","backendPool":"pool","ipAddress":"10.0.0.5""#)
        for ip in ["10.0.0.10", "10.0.0.4"] { try append(BackendAddressAdded.self, lb + #","backendPool":"pool","ipAddress":"\#(ip)""#) }
        let listed = #expect(throws: LoadBalancerRefusal.self) { try append(ProbeResultRecorded.self, result) }
        #expect(listed?.description.hasSuffix("(its pools hold 10.0.0.4, 10.0.0.10)") == true)
        try append(BackendAddressAdded.self, lb + #","backendPool":"pool","ipAddress":"10.0.0.5""#)
        try append(BackendAddressAdded.self, lb + #","backendPool":"other","ipAddress":"10.0.0.5""#)
        try append(ProbeResultRecorded.self, result)
        try append(PlatformHealthReported.self, lb + #","ipAddress":"10.0.0.5","state":"Down""#)
        // Held while one pool still holds it; once the last lets it go at 10 s, a result from
        // before the removal (logged late, from its own stream) is taken, a later one refused.
        try append(BackendAddressRemoved.self, lb + #","backendPool":"pool","ipAddress":"10.0.0.5""#, at: 5)
        try append(ProbeResultRecorded.self, result, at: 6)
        try append(BackendAddressRemoved.self, lb + #","backendPool":"other","ipAddress":"10.0.0.5""#, at: 10)
        try append(ProbeResultRecorded.self, result, at: 10)
        let removed = LoadBalancerRefusal.addressInNoPool(ipAddress: "10.0.0.5", loadBalancer: "lb", heldAddresses: ["10.0.0.4", "10.0.0.10"],
                                                          removed: true, namedBy: "a probe result")
        let late = #expect(throws: removed) { try append(ProbeResultRecorded.self, result, at: 11) }
        #expect(late?.description.hasSuffix("(it was removed from every pool it was in)") == true)
        #expect(throws: LoadBalancerRefusal.addressInNoPool(ipAddress: "10.0.0.5", loadBalancer: "lb", heldAddresses: ["10.0.0.4", "10.0.0.10"],
                                                            removed: true, namedBy: "a platform report")) {
            try append(PlatformHealthReported.self, lb + #","ipAddress":"10.0.0.5","state":"Cleared""#, at: 11)
        }
    }

    @Test("a removal from a pool that does not hold the address changes nothing, so it cannot stretch the time results are taken")
    func removalOfUnheld() {
        let at = { (seconds: Int64) in Timestamp(nanoseconds: seconds * 1_000_000_000) }
        var pools = AddressPools()
        pools.insert("a")
        pools.remove("b", at: at(5))
        #expect(pools.pools == ["a"] && pools.emptiedAt == nil && pools.holds(at: at(100)))
        pools.remove("a", at: at(5))
        #expect(pools.holds(at: at(5)) && !pools.holds(at: at(6)))
        pools.remove("a", at: at(9))
        #expect(pools.emptiedAt == at(5) && !pools.holds(at: at(7)), "a second removal does not move the time")
    }

    @Test("a probe result or platform report naming a load balancer the store does not hold says so, with the closest known")
    mutating func unknownLoadBalancer() throws {
        try append(HealthProbeConfigured.self, #""loadBalancer":"lb-web","probe":"tcp-80","protocol":"Tcp","port":80"#)
        let result = #expect(throws: LoadBalancerRefusal.self) {
            try append(ProbeResultRecorded.self, #""loadBalancer":"lb-wbe","probe":"tcp-80","ipAddress":"10.0.0.5","outcome":"Success""#)
        }
        #expect(result == .unknownLoadBalancer(loadBalancer: "lb-wbe", known: ["lb-web"], namedBy: "a probe result"))
        #expect(result?.description == #"field "data.loadBalancer" is "lb-wbe", a load balancer no event has configured; "#
            + "a probe result may name only a configured load balancer (did you mean lb-web?)")
        #expect(throws: LoadBalancerRefusal.unknownLoadBalancer(loadBalancer: "lb-zz", known: ["lb-web"], namedBy: "a platform report")) {
            try append(PlatformHealthReported.self, #""loadBalancer":"lb-zz","ipAddress":"10.0.0.5","state":"Down""#)
        }
    }

    @Test("an address that is not an IP address is refused at append, naming the field")
    func ipAddress() throws {
        for (type, data) in [(BackendAddressAdded.self as any EventData.Type, #""loadBalancer":"lb","backendPool":"pool","ipAddress":"not-an-ip""#),
                             (ProbeResultRecorded.self, #""loadBalancer":"lb","probe":"p","ipAddress":"10.1.0.4.5","outcome":"Success""#)] {
            let error = #expect(throws: InputError.self) { try event(type, data, at: 0) }
            #expect(error?.description.hasPrefix(#"field "data.ipAddress" is ""#) == true)
            #expect(error?.description.hasSuffix("which is not an IPv4 or IPv6 address (such as 10.0.0.4 or fd00::4)") == true)
        }
    }

    @Test("update controls and steps are UpdateRefusal cases, by rule")
    mutating func updates() throws {
        let control = #expect(throws: UpdateRefusal.self) { try append(SessionHostUpdateControlled.self, #""hostPool":"hp","action":"Pause""#) }
        #expect(control == .nothingToControl(pool: "hp", action: .pause))
        try append(SessionHostRegistered.self, #""hostPool":"hp","sessionHost":"sh-1""#)
        try append(SessionHostUpdateScheduled.self, #""hostPool":"hp","maxVmsRemoved":1,"deleteOriginalVm":false,"logOffDelayMinutes":0,"logOffMessage":"bye""#)
        let step = #expect(throws: UpdateRefusal.self) {
            try append(SessionHostUpdateStepRecorded.self, #""hostPool":"hp","sessionHost":"sh-1","step":"UsersNotified""#, at: 1)
        }
        #expect(step == .stepRefused(host: "sh-1", step: .usersNotified, rule: .notStarted(pool: "hp", scheduledFor: nil)))
        let second = #expect(throws: UpdateRefusal.self) {
            try append(SessionHostUpdateScheduled.self, #""hostPool":"hp","maxVmsRemoved":1,"deleteOriginalVm":false,"logOffDelayMinutes":0,"logOffMessage":"bye""#, at: 2)
        }
        #expect(second == .updateInProgress(pool: "hp", status: .scheduled))
    }

    @Test("a second health source, or a probe result without the extension, is a ScaleSetRefusal case")
    mutating func scaleSets() throws {
        let probe = #expect(throws: ScaleSetRefusal.self) {
            try append(ApplicationHealthProbed.self, #""scaleSet":"s","instanceId":"0","statusCode":200"#)
        }
        #expect(probe == .noExtension(scaleSet: "s", why: "ApplicationHealthExtensionConfigured has not configured it"))
        try append(ApplicationHealthExtensionConfigured.self, #""scaleSet":"s","typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/""#)
        let second = #expect(throws: ScaleSetRefusal.self) {
            try append(ScaleSetHealthProbeConfigured.self, #""scaleSet":"s","loadBalancer":"lb","probe":"p""#)
        }
        #expect(second == .healthSourceTaken(scaleSet: "s", current: "the Application Health extension", adding: "load balancer probe lb/p"))
    }
}

/// Times the contract accepts span 583 years, more than Int64 nanoseconds hold: no rule may trap
/// on the difference of two of them.
@Suite("Times far apart")
struct FarApartTimesTests {
    @Test("a probe 550 years after its instance started is folded, its grace period long expired")
    func probeCenturiesLater() throws {
        let pass = ProjectionPass(projectors: ScaleSetDomain.projectors, source: nil)
        var seq: Int64 = 0
        func fold(_ type: any EventData.Type, _ data: String, at time: String) throws {
            guard case .object(let members) = try JSONParser.parse("{\(data)}"), let at = Timestamp(rfc3339: time) else { return }
            seq += 1
            try pass.apply(ProjectedEvent(seq: seq, at: at, stream: type.declaration.streamKey(of: members),
                                          data: try type.declaration.decode(members, checking: .append)), checking: true)
        }
        try fold(ApplicationHealthExtensionConfigured.self, #""scaleSet":"s","typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/""#, at: "1700-01-01T00:00:00Z")
        try fold(ScaleSetInstanceCreated.self, #""scaleSet":"s","instanceId":"0""#, at: "1700-01-01T00:00:01Z")
        try fold(ApplicationHealthProbed.self, #""scaleSet":"s","instanceId":"0","statusCode":200"#, at: "2250-01-01T00:00:00Z")
        let instance = try #require(try pass.state(InstanceHealthProjector.self, of: StreamKind.scaleSetInstance.key("s", "0")))
        #expect(!instance.honoringGracePeriod)
        let start = try #require(Timestamp(rfc3339: "1700-01-01T00:00:00Z")), end = try #require(Timestamp(rfc3339: "2250-01-01T00:00:00Z"))
        #expect(end.nanoseconds(since: start) == .max && start.nanoseconds(since: end) == .min)
        #expect(end.seconds(after: start) == Double(Int64.max) / 1e9)
    }
}
