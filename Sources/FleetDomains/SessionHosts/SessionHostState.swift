import FleetEvents

/// Everything the store knows about one session host, folded from its stream.
package struct SessionHostState: Codable, Equatable, Sendable {
    package var hostPool: String
    package var name: String
    /// The host was removed from its pool; it is no longer listed.
    package var removed = false
    package var agentVersion: String?
    package var virtualMachineId: String?
    package var powerState: PowerState = .running
    /// Whether the agent told the broker before the host went down.
    package var shutdownReportedByAgent = false
    /// The latest result of each health check, by Azure's check name.
    package var healthChecks: [String: HealthCheckRecord] = [:]
    package var lastHeartBeat: Timestamp?
    package var updateState: AgentUpdateState = .initial
    package var lastUpdateTime: Timestamp?
    package var updateErrorMessage: String?
    /// False while the host is in drain mode.
    package var allowNewSession = true
    /// While an update has the host drained: whether it was in drain mode before (nil otherwise).
    package var drainBeforeUpdate: Bool?
    /// Users with a session on the host, sorted.
    package var users: [String] = []
    package var status: SessionHostStatus = .available
    /// When `status` last changed (the `at` of the event that changed it).
    package var statusTimestamp: Timestamp
    /// Azure's id of the host's `SessionHost` resource, when one was imported.
    package var resourceId: String?
    /// What Azure last reported, when the host's resource was imported.
    package var observed: SessionHostObservation?
    /// While `status` is Azure's observed one: the status the store's rules give. Nil while the
    /// rules' status is shown (docs/domain-rules.md, "Observed from Azure").
    package var rulesBehindAzure: SessionHostStatus?

    package init(hostPool: String, name: String, at: Timestamp) {
        self.hostPool = hostPool
        self.name = name
        statusTimestamp = at
    }

    /// A new host, named by its stream's key (`sessionhost/<hostPool>/<sessionHost>`).
    package init(stream: StreamKey, at: Timestamp) {
        let values = stream.values
        precondition(values.count == StreamKind.sessionHost.fields.count, "\(stream) is not a session host's stream")
        self.init(hostPool: String(values[0]), name: String(values[1]), at: at)
    }

    package var sessions: Int { users.count }

    /// Failing checks, fatal ones first, then by name.
    package var failingChecks: [(name: HealthCheckName, record: HealthCheckRecord)] {
        healthChecks.compactMap { name, record in
            guard record.isFailing, let check = HealthCheckName(rawValue: name) else { return nil }
            return (check, record)
        }
        .sorted { ($0.name.isFatal ? 0 : 1, $0.name.rawValue) < ($1.name.isFatal ? 0 : 1, $1.name.rawValue) }
    }

    /// The status the rules give this host, and why (the reason is written only here: the fold
    /// asks for `ruledStatus` alone after every event).
    package var derivedStatus: (status: SessionHostStatus, reason: String) {
        if let rules = rulesBehindAzure {
            return (status, "observed from Azure" + (rules == status ? "" : "; the store's rules say \(rules.rawValue)"))
        }
        let status = ruledStatus
        switch status {
        case .shutdown: return (status, "powered off (\(powerState.rawValue)), reported by the agent")
        case .unavailable:
            if powerState != .running { return (status, "powered off (\(powerState.rawValue)) without the agent reporting it") }
            let fatal = failingChecks.first { $0.name.isFatal }.map(\.name.rawValue) ?? "?"
            return (status, "fatal health check \(fatal) failing")
        case .upgrading: return (status, "agent upgrade in progress")
        case .upgradeFailed: return (status, "agent upgrade failed")
        case .needsAssistance:
            let failing = failingChecks
            return (status, "non-fatal health check\(failing.count == 1 ? "" : "s") \(failing.map(\.name.rawValue).joined(separator: ", ")) failing")
        case .available: return (status, "passing its health checks")
        case .disconnected, .noHeartbeat, .notJoinedToDomain, .domainTrustRelationshipLost, .sxsStackListenerNotReady, .fsLogixNotHealthy:
            return (status, "observed from Azure") // never ruled: only an observation shows these
        }
    }

    /// The status the rules give this host. When several rules hold, the first in this order wins:
    /// 1. powered off: `Shutdown` if the agent reported it, else `Unavailable`;
    /// 2. a fatal health check failing: `Unavailable` (users cannot connect, whatever else holds);
    /// 3. the agent upgrading: `Upgrading`;
    /// 4. the agent's upgrade failed: `UpgradeFailed`;
    /// 5. only non-fatal checks failing: `NeedsAssistance`;
    /// 6. otherwise `Available`, even at the session limit.
    ///
    /// One pass over the checks, with nothing sorted or written: the fold asks after every event,
    /// and the reason is written only when a command asks (Tools/Benchmark/HISTORY.md, item 26).
    package var ruledStatus: SessionHostStatus {
        if powerState != .running { return shutdownReportedByAgent ? .shutdown : .unavailable }
        var anyFailing = false
        for (name, record) in healthChecks where record.isFailing {
            guard let check = HealthCheckName(rawValue: name) else { continue }
            if check.isFatal { return .unavailable }
            anyFailing = true
        }
        switch updateState {
        case .started: return .upgrading
        case .failed: return .upgradeFailed
        case .initial, .pending, .succeeded: break
        }
        return anyFailing ? .needsAssistance : .available
    }
}

/// What Azure last reported about a session host, for an import to append changes only.
package struct SessionHostObservation: Codable, Equatable, Sendable {
    package var status: SessionHostStatus?
    package var allowNewSession: Bool?
}

/// The settings of a host pool that routing needs.
package struct HostPoolState: Codable, Equatable, Sendable {
    package var name: String
    package var loadBalancerType: LoadBalancerType = .breadthFirst
    /// Nil: no limit was configured.
    package var maxSessionLimit: Int64?
}
