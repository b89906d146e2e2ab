@testable import FleetDomains
@testable import FleetEvents
@testable import FleetProjection
import FleetDomainFixtures
import Testing

@Suite("Session host status")
struct SessionHostStatusTests {
    static let fatal = HealthCheckName.allCases.filter(\.isFatal)
    static let nonFatal = HealthCheckName.allCases.filter { !$0.isFatal }

    @Test("Azure's fatal checks are exactly these")
    func fatalSet() throws {
        #expect(Set(Self.fatal) == [.domainJoinedCheck, .domainTrustCheck, .sxsStackListenerCheck, .fsLogixHealthCheck, .domainReachable])
        #expect(Set(Self.nonFatal) == [.monitoringAgentCheck, .metaDataServiceCheck, .urlsAccessibleCheck, .appAttachHealthCheck, .webRTCRedirectorCheck, .supportedEncryptionCheck])
    }

    @Test("a registered host is Available")
    func registered() throws {
        let state = try host()
        #expect(state.status == .available)
        #expect(state.agentVersion == "1.0")
        #expect(state.updateState == .initial)
    }

    @Test("a failing fatal check makes the host Unavailable, and passing it again makes it Available", arguments: fatal)
    func fatalCheck(name: HealthCheckName) throws {
        let failing = try host { [$0.check(name, .healthCheckFailed, errorCode: 1355)] }
        #expect(failing.status == .unavailable)
        #expect(failing.healthChecks[name.rawValue]?.errorCode == 1355)
        let recovered = try host { [$0.check(name, .healthCheckFailed), $0.check(name, .healthCheckSucceeded)] }
        #expect(recovered.status == .available)
    }

    @Test("a failing non-fatal check makes the host NeedsAssistance, and passing it again makes it Available", arguments: nonFatal)
    func nonFatalCheck(name: HealthCheckName) throws {
        #expect(try host { [$0.check(name, .healthCheckFailed)] }.status == .needsAssistance)
        #expect(try host { [$0.check(name, .healthCheckFailed), $0.check(name, .healthCheckSucceeded)] }.status == .available)
    }

    @Test("Unknown and SessionHostShutdown results are not failures", arguments: [HealthCheckResult.unknown, .sessionHostShutdown])
    func notFailures(result: HealthCheckResult) throws {
        #expect(try host { [$0.check(.domainJoinedCheck, result)] }.status == .available)
    }

    @Test("only the latest result of each check counts")
    func latestResult() throws {
        let state = try host { [$0.check(.urlsAccessibleCheck, .healthCheckSucceeded), $0.check(.urlsAccessibleCheck, .healthCheckFailed)] }
        #expect(state.status == .needsAssistance)
        #expect(state.healthChecks.count == 1)
    }

    @Test("powered off after the agent reported it: Shutdown; without the report: Unavailable", arguments: [PowerState.stopped, .deallocated])
    func poweredOff(state: PowerState) throws {
        #expect(try host { [$0.power(state, reported: true)] }.status == .shutdown)
        #expect(try host { [$0.power(state, reported: false)] }.status == .unavailable)
        #expect(try host { [$0.power(state)] }.status == .unavailable)
    }

    @Test("powered on again, the host's status comes from its checks again")
    func poweredOn() throws {
        #expect(try host { [$0.power(.stopped, reported: true), $0.power(.running)] }.status == .available)
        #expect(try host { [$0.power(.deallocated, reported: false), $0.power(.running)] }.status == .available)
        #expect(try host { [$0.check(.urlsAccessibleCheck, .healthCheckFailed), $0.power(.deallocated), $0.power(.running)] }.status == .needsAssistance)
    }

    @Test("an agent upgrade: Upgrading, then Available with the new version, or UpgradeFailed with the message")
    func agentUpgrade() throws {
        let upgrading = try host { [$0.event(AgentUpgradeStarted.self, #""targetVersion":"2.0""#)] }
        #expect(upgrading.status == .upgrading)
        #expect(upgrading.updateState == .started)

        let done = try host { [$0.event(AgentUpgradeStarted.self), $0.event(AgentUpgradeCompleted.self, #""agentVersion":"2.0""#)] }
        #expect(done.status == .available)
        #expect(done.updateState == .succeeded)
        #expect(done.agentVersion == "2.0")

        let failed = try host { [$0.event(AgentUpgradeStarted.self), $0.event(AgentUpgradeFailed.self, #""message":"download failed""#)] }
        #expect(failed.status == .upgradeFailed)
        #expect(failed.updateState == .failed)
        #expect(failed.updateErrorMessage == "download failed")
        #expect(failed.lastUpdateTime != nil)

        let fixed = try host { [$0.event(AgentUpgradeFailed.self), $0.event(AgentUpgradeCompleted.self, #""agentVersion":"2.1""#)] }
        #expect(fixed.status == .available)
        #expect(fixed.updateErrorMessage == nil)

        let retried = try host { [$0.event(AgentUpgradeFailed.self), $0.event(AgentUpgradeStarted.self)] }
        #expect(retried.status == .upgrading)
        #expect(retried.updateErrorMessage == nil)
    }

    @Test("which statuses take new sessions, as Azure's broker decides")
    func takesNewSessions() throws {
        let taking = SessionHostStatus.allCases.filter(\.takesNewSessions)
        #expect(Set(taking) == [.available, .needsAssistance, .upgradeFailed, .upgrading])
    }

    @Test("precedence when several rules hold", arguments: [
        // powered off beats everything
        ([Step.off(reported: true), .fatal, .upgrading, .nonFatal], SessionHostStatus.shutdown),
        ([Step.off(reported: false), .upgradeFailed], .unavailable),
        // a fatal check beats the agent's upgrade and non-fatal checks
        ([Step.fatal, .upgrading], .unavailable),
        ([Step.fatal, .upgradeFailed, .nonFatal], .unavailable),
        // the agent's upgrade beats non-fatal checks
        ([Step.nonFatal, .upgrading], .upgrading),
        ([Step.nonFatal, .upgradeFailed], .upgradeFailed),
    ])
    func precedence(steps: [Step], expected: SessionHostStatus) throws {
        #expect(try host { events in steps.map { $0.event(&events) } }.status == expected)
    }

    @Test("statusTimestamp moves only when the status changes")
    func statusTimestamp() throws {
        var events = HostEvents()
        let registered = events.event(SessionHostRegistered.self)
        let heartbeat = events.event(AgentHeartbeatReceived.self)
        let failing = events.check(.domainTrustCheck, .healthCheckFailed)
        let stillFailing = events.check(.domainTrustCheck, .healthCheckFailed)
        #expect(try foldHost([registered, heartbeat]).statusTimestamp == registered.at)
        #expect(try foldHost([registered, heartbeat, failing, stillFailing]).statusTimestamp == failing.at)
        #expect(try foldHost([registered, heartbeat]).lastHeartBeat == heartbeat.at)
    }

    @Test("a host at its session limit that passes its checks stays Available")
    func sessionLimit() throws {
        let state = try host { events in (1...8).map { events.session("user\($0)") } }
        #expect(state.sessions == 8)
        #expect(state.status == .available)
    }

    @Test("drain mode stops new sessions but keeps the existing ones")
    func drainKeepsSessions() throws {
        let drained = try host { [$0.session("ana"), $0.session("bo"), $0.drain(true)] }
        #expect(drained.allowNewSession == false)
        #expect(drained.users == ["ana", "bo"])
        #expect(drained.status == .available)
        let signedOut = try host { [$0.session("ana"), $0.session("bo"), $0.drain(true), $0.session("ana", started: false)] }
        #expect(signedOut.users == ["bo"])
        #expect(try host { [$0.drain(true), $0.drain(false)] }.allowNewSession)
    }

    @Test("a user counts once, and a host that goes down loses its sessions")
    func sessions() throws {
        #expect(try host { [$0.session("ana"), $0.session("ana")] }.sessions == 1)
        #expect(try host { [$0.session("ana"), $0.power(.stopped, reported: true)] }.sessions == 0)
        #expect(try host { [$0.session("nobody", started: false)] }.sessions == 0)
    }

    @Test("a removed host is marked removed; registered again, it starts afresh")
    func removal() throws {
        #expect(try host { [$0.event(SessionHostRemoved.self)] }.removed)
        let back = try host { [$0.check(.domainJoinedCheck, .healthCheckFailed), $0.event(SessionHostRemoved.self), $0.event(SessionHostRegistered.self)] }
        #expect(!back.removed)
        #expect(back.status == .available)
        #expect(back.healthChecks.isEmpty)
    }

    @Test("a host seen before its registration is taken as registered")
    func implicitRegistration() throws {
        var events = HostEvents()
        let state = try foldHost([events.check(.sxsStackListenerCheck, .healthCheckFailed)])
        #expect(state.name == "sh-1")
        #expect(state.status == .unavailable)
    }

    @Test("each status comes with the rule that gave it, the first rule that holds winning")
    func reasons() throws {
        let cases: [(SessionHostState, SessionHostStatus, String)] = [
            (try host(), .available, "passing its health checks"),
            (try host { [$0.power(.stopped, reported: true)] }, .shutdown, "powered off (Stopped), reported by the agent"),
            (try host { [$0.check(.domainJoinedCheck, .healthCheckFailed), $0.power(.deallocated)] }, .unavailable,
             "powered off (Deallocated) without the agent reporting it"),
            (try host { [$0.check(.urlsAccessibleCheck, .healthCheckFailed), $0.check(.domainTrustCheck, .healthCheckFailed), $0.event(AgentUpgradeStarted.self)] },
             .unavailable, "fatal health check DomainTrustCheck failing"),
            (try host { [$0.check(.urlsAccessibleCheck, .healthCheckFailed), $0.event(AgentUpgradeStarted.self)] }, .upgrading, "agent upgrade in progress"),
            (try host { [$0.check(.urlsAccessibleCheck, .healthCheckFailed), $0.event(AgentUpgradeStarted.self), $0.event(AgentUpgradeFailed.self, #""message":"m""#)] },
             .upgradeFailed, "agent upgrade failed"),
            (try host { [$0.check(.urlsAccessibleCheck, .healthCheckFailed)] }, .needsAssistance, "non-fatal health check UrlsAccessibleCheck failing"),
            (try host { [$0.check(.urlsAccessibleCheck, .healthCheckFailed), $0.check(.appAttachHealthCheck, .healthCheckFailed)] }, .needsAssistance,
             "non-fatal health checks AppAttachHealthCheck, UrlsAccessibleCheck failing"),
        ]
        for (state, status, reason) in cases {
            #expect(state.status == status)
            #expect(state.ruledStatus == status)
            #expect(state.derivedStatus.status == status)
            #expect(state.derivedStatus.reason == reason)
        }
    }
}

/// One step of a precedence scenario.
enum Step: Sendable, CustomTestStringConvertible {
    case off(reported: Bool), fatal, nonFatal, upgrading, upgradeFailed

    func event(_ events: inout HostEvents) -> ProjectedEvent {
        switch self {
        case .off(let reported): events.power(.deallocated, reported: reported)
        case .fatal: events.check(.sxsStackListenerCheck, .healthCheckFailed)
        case .nonFatal: events.check(.metaDataServiceCheck, .healthCheckFailed)
        case .upgrading: events.event(AgentUpgradeStarted.self)
        case .upgradeFailed: events.event(AgentUpgradeFailed.self)
        }
    }

    var testDescription: String {
        switch self {
        case .off(let reported): reported ? "off (reported)" : "off (unreported)"
        case .fatal: "fatal check failing"
        case .nonFatal: "non-fatal check failing"
        case .upgrading: "upgrading"
        case .upgradeFailed: "upgrade failed"
        }
    }

}
