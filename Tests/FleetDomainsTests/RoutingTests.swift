@testable import FleetDomains
@testable import FleetEvents
@testable import FleetProjection
import FleetDomainFixtures
import Testing

@Suite("Routing new sessions")
struct RoutingTests {
    /// A host named `name` with `sessions` users, built through the fold.
    static func make(_ name: String, sessions: Int, _ more: (inout HostEvents) -> [ProjectedEvent] = { _ in [] }) throws -> SessionHostState {
        var events = HostEvents(host: name)
        var list = [events.event(SessionHostRegistered.self)]
        list += (0..<sessions).map { events.session("u\($0)") }
        list += more(&events)
        return try foldHost(list)
    }

    static func decide(_ type: LoadBalancerType, limit: Int64? = nil, _ hosts: [SessionHostState]) -> RoutingDecision {
        RoutingDecision.decide(hostPool: "hp", settings: HostPoolState(name: "hp", loadBalancerType: type, maxSessionLimit: limit), hosts: hosts)
    }

    @Test("breadth-first sends the session to the host with the fewest sessions")
    func breadthFirst() throws {
        let decision = Self.decide(.breadthFirst, limit: 5, [try Self.make("a", sessions: 3), try Self.make("b", sessions: 1), try Self.make("c", sessions: 2)])
        #expect(decision.chosen?.name == "b")
        #expect(decision.explanation.hasPrefix("b takes the next session: BreadthFirst"))
    }

    @Test("depth-first sends the session to the host with the most sessions below the limit")
    func depthFirst() throws {
        let decision = Self.decide(.depthFirst, limit: 3, [try Self.make("a", sessions: 3), try Self.make("b", sessions: 1), try Self.make("c", sessions: 2)])
        #expect(decision.chosen?.name == "c")
        #expect(decision.verdicts.first { $0.host.name == "a" }?.reason == "at the session limit (3 of 3)")
    }

    @Test("ties go to the first host by name, under both types", arguments: [LoadBalancerType.breadthFirst, .depthFirst])
    func ties(type: LoadBalancerType) throws {
        #expect(Self.decide(type, [try Self.make("z", sessions: 1), try Self.make("m", sessions: 1)]).chosen?.name == "m")
    }

    @Test("a drained host is skipped, however few sessions it has", arguments: [LoadBalancerType.breadthFirst, .depthFirst])
    func drainedSkipped(type: LoadBalancerType) throws {
        let drainedEmpty = try Self.make("a", sessions: 0) { [$0.drain(true)] }
        let drainedBusy = try Self.make("b", sessions: 4) { [$0.drain(true)] }
        let decision = Self.decide(type, [drainedEmpty, drainedBusy, try Self.make("c", sessions: 2)])
        #expect(decision.chosen?.name == "c")
        #expect(decision.verdicts[0].reason == "drain mode is on (allowNewSession is false)")
    }

    @Test("Shutdown and Unavailable hosts are skipped; NeedsAssistance, Upgrading and UpgradeFailed take sessions")
    func statuses() throws {
        let unavailable = try Self.make("a", sessions: 0) { [$0.check(.domainJoinedCheck, .healthCheckFailed)] }
        let shutdown = try Self.make("b", sessions: 0) { [$0.power(.stopped, reported: true)] }
        #expect(Self.decide(.breadthFirst, [unavailable, shutdown]).chosen == nil)
        for taking in [
            try Self.make("c", sessions: 0) { [$0.check(.urlsAccessibleCheck, .healthCheckFailed)] },
            try Self.make("c", sessions: 0) { [$0.event(AgentUpgradeStarted.self)] },
            try Self.make("c", sessions: 0) { [$0.event(AgentUpgradeFailed.self)] },
        ] {
            #expect(Self.decide(.breadthFirst, [unavailable, shutdown, taking]).chosen?.name == "c", "\(taking.status)")
        }
    }

    @Test("full hosts are skipped; without a limit no host is full")
    func limits() throws {
        let hosts = [try Self.make("a", sessions: 2), try Self.make("b", sessions: 2)]
        #expect(Self.decide(.depthFirst, limit: 2, hosts).chosen == nil)
        #expect(Self.decide(.depthFirst, limit: nil, hosts).chosen?.name == "a")
    }

    @Test("when no host can take the session, the answer says why for the pool")
    func noneCan() throws {
        let decision = Self.decide(.breadthFirst, limit: 1, [
            try Self.make("a", sessions: 0) { [$0.drain(true)] },
            try Self.make("b", sessions: 0) { [$0.check(.domainTrustCheck, .healthCheckFailed)] },
            try Self.make("c", sessions: 1),
        ])
        #expect(decision.chosen == nil)
        #expect(decision.explanation == "No session host in host pool hp can take a new session: 1 in drain mode, 1 Unavailable, 1 at the session limit.")
        #expect(Self.decide(.breadthFirst, []).explanation == "No session host can take a new session: host pool hp has no session hosts.")
    }

    @Test("an unconfigured pool routes breadth-first with no limit")
    func defaults() throws {
        let decision = RoutingDecision.decide(hostPool: "hp", settings: nil, hosts: [try Self.make("a", sessions: 9), try Self.make("b", sessions: 3)])
        #expect(decision.loadBalancerType == .breadthFirst)
        #expect(decision.chosen?.name == "b")
    }
}
