/// Everything the store knows about one session host, folded from its stream.
struct SessionHostState: Codable, Equatable, Sendable {
    var hostPool: String
    var name: String
    /// The host was removed from its pool; it is no longer listed.
    var removed = false
    var agentVersion: String?
    var virtualMachineId: String?
    var powerState: PowerState = .running
    /// Whether the agent told the broker before the host went down.
    var shutdownReportedByAgent = false
    /// The latest result of each health check, by Azure's check name.
    var healthChecks: [String: HealthCheckRecord] = [:]
    var lastHeartBeat: Timestamp?
    var updateState: AgentUpdateState = .initial
    var lastUpdateTime: Timestamp?
    var updateErrorMessage: String?
    /// False while the host is in drain mode.
    var allowNewSession = true
    /// Users with a session on the host, sorted.
    var users: [String] = []
    var status: SessionHostStatus = .available
    /// When `status` last changed (the `at` of the event that changed it).
    var statusTimestamp: Timestamp

    init(hostPool: String, name: String, at: Timestamp) {
        self.hostPool = hostPool
        self.name = name
        statusTimestamp = at
    }

    var sessions: Int { users.count }

    /// Failing checks, fatal ones first, then by name.
    var failingChecks: [(name: HealthCheckName, record: HealthCheckRecord)] {
        healthChecks.compactMap { name, record in
            guard record.isFailing, let check = HealthCheckName(rawValue: name) else { return nil }
            return (check, record)
        }
        .sorted { ($0.name.isFatal ? 0 : 1, $0.name.rawValue) < ($1.name.isFatal ? 0 : 1, $1.name.rawValue) }
    }

    /// The status the rules give this host, and why.
    ///
    /// When several rules hold, the first in this order wins:
    /// 1. powered off: `Shutdown` if the agent reported it, else `Unavailable`;
    /// 2. a fatal health check failing: `Unavailable` (users cannot connect, whatever else holds);
    /// 3. the agent upgrading: `Upgrading`;
    /// 4. the agent's upgrade failed: `UpgradeFailed`;
    /// 5. only non-fatal checks failing: `NeedsAssistance`;
    /// 6. otherwise `Available`, even at the session limit.
    var derivedStatus: (status: SessionHostStatus, reason: String) {
        if powerState != .running {
            return shutdownReportedByAgent
                ? (.shutdown, "powered off (\(powerState.rawValue)), reported by the agent")
                : (.unavailable, "powered off (\(powerState.rawValue)) without the agent reporting it")
        }
        let failing = failingChecks
        if let fatal = failing.first(where: { $0.name.isFatal }) {
            return (.unavailable, "fatal health check \(fatal.name.rawValue) failing")
        }
        switch updateState {
        case .started: return (.upgrading, "agent upgrade in progress")
        case .failed: return (.upgradeFailed, "agent upgrade failed")
        case .initial, .pending, .succeeded: break
        }
        if !failing.isEmpty {
            return (.needsAssistance, "non-fatal health check\(failing.count == 1 ? "" : "s") \(failing.map(\.name.rawValue).joined(separator: ", ")) failing")
        }
        return (.available, "passing its health checks")
    }
}

/// The settings of a host pool that routing needs.
struct HostPoolState: Codable, Equatable, Sendable {
    var name: String
    var loadBalancerType: LoadBalancerType = .breadthFirst
    /// Nil: no limit was configured.
    var maxSessionLimit: Int64?
}
