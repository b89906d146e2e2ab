/// Folds each session host's stream into its `SessionHostState`.
enum SessionHostProjector: Projector {
    static let name = "session-hosts"

    static func folds(_ type: EventType) -> Bool {
        switch type {
        case .sessionHostRegistered, .sessionHostRemoved, .healthCheckCompleted, .agentHeartbeatReceived,
             .powerStateChanged, .agentUpgradeStarted, .agentUpgradeCompleted, .agentUpgradeFailed,
             .drainModeChanged, .userSessionStarted, .userSessionEnded:
            true
        default:
            false
        }
    }

    static func fold(_ state: SessionHostState?, _ event: ProjectedEvent) -> SessionHostState {
        guard let id = event.payload.sessionHostID else {
            preconditionFailure("\(name) folds only session host events, not seq \(event.seq)")
        }
        // A host seen before its registration (an export that starts mid-history) is taken as registered.
        var host = state ?? SessionHostState(hostPool: id.hostPool, name: id.sessionHost, at: event.at)
        switch event.payload {
        case .sessionHostRegistered(let registered):
            if host.removed { host = SessionHostState(hostPool: id.hostPool, name: id.sessionHost, at: event.at) }
            host.agentVersion = registered.agentVersion ?? host.agentVersion
            host.virtualMachineId = registered.virtualMachineId ?? host.virtualMachineId
        case .sessionHostRemoved:
            host.removed = true
            host.users = []
        case .healthCheckCompleted(let check):
            host.healthChecks[check.healthCheckName.rawValue] = HealthCheckRecord(
                result: check.healthCheckResult, errorCode: check.errorCode, message: check.message,
                lastHealthCheckDateTime: event.at)
        case .agentHeartbeatReceived:
            host.lastHeartBeat = event.at
        case .powerStateChanged(let change):
            host.powerState = change.powerState
            host.shutdownReportedByAgent = change.powerState != .running && change.reportedByAgent
            // A host that goes down takes its sessions with it.
            if change.powerState != .running { host.users = [] }
        case .agentUpgradeStarted:
            host.updateState = .started
            host.lastUpdateTime = event.at
            host.updateErrorMessage = nil
        case .agentUpgradeCompleted(let completed):
            host.updateState = .succeeded
            host.agentVersion = completed.agentVersion
            host.lastUpdateTime = event.at
            host.updateErrorMessage = nil
        case .agentUpgradeFailed(let failed):
            host.updateState = .failed
            host.lastUpdateTime = event.at
            host.updateErrorMessage = failed.message ?? "The agent upgrade failed."
        case .drainModeChanged(let change):
            host.allowNewSession = change.allowNewSession
        case .userSessionStarted(let session):
            // Drain mode stops the broker from sending new sessions, but a session that did start
            // (an admin's, or one already under way) is a fact the log records and the host counts.
            if !host.users.contains(session.user) {
                host.users.append(session.user)
                host.users.sort()
            }
        case .userSessionEnded(let session):
            host.users.removeAll { $0 == session.user }
        default:
            break
        }
        let status = host.derivedStatus.status
        if status != host.status || state == nil {
            host.status = status
            host.statusTimestamp = event.at
        }
        return host
    }
}

/// Folds each host pool's stream into the settings routing needs.
enum HostPoolProjector: Projector {
    static let name = "host-pools"

    static func folds(_ type: EventType) -> Bool { type == .hostPoolConfigured }

    static func fold(_ state: HostPoolState?, _ event: ProjectedEvent) -> HostPoolState {
        guard case .hostPoolConfigured(let configured) = event.payload else {
            preconditionFailure("\(name) folds only HostPoolConfigured, not seq \(event.seq)")
        }
        // Each HostPoolConfigured states the whole configuration: an absent setting is Azure's default.
        return HostPoolState(
            name: configured.hostPool,
            loadBalancerType: configured.loadBalancerType ?? .breadthFirst,
            maxSessionLimit: configured.maxSessionLimit)
    }
}

extension EventPayload {
    /// The session host an event of the host's own stream is about.
    var sessionHostID: SessionHostID? {
        switch self {
        case .sessionHostRegistered(let event): event.host
        case .sessionHostRemoved(let host), .agentHeartbeatReceived(let host): host
        case .healthCheckCompleted(let event): event.host
        case .powerStateChanged(let event): event.host
        case .agentUpgradeStarted(let event): event.host
        case .agentUpgradeCompleted(let event): event.host
        case .agentUpgradeFailed(let event): event.host
        case .drainModeChanged(let event): event.host
        case .userSessionStarted(let event), .userSessionEnded(let event): event.host
        default: nil
        }
    }
}
