import FleetEvents
import FleetProjection

/// Folds each session host's stream into its `SessionHostState`.
package enum SessionHostProjector: StreamProjector {
    package typealias State = SessionHostState
    package static let name = "session-hosts"

    package static let folds: [any EventData.Type] = [
        SessionHostRegistered.self, SessionHostRemoved.self, HealthCheckCompleted.self, AgentHeartbeatReceived.self,
        PowerStateChanged.self, AgentUpgradeStarted.self, AgentUpgradeCompleted.self, AgentUpgradeFailed.self,
        DrainModeChanged.self, UserSessionStarted.self, UserSessionEnded.self,
    ]

    package static func fold(_ state: SessionHostState?, _ event: ProjectedEvent) -> SessionHostState {
        // A host seen before its registration (an export that starts mid-history) is taken as registered.
        var host = state ?? SessionHostState(stream: event.stream, at: event.at)
        // The most frequent events first: each case is a type check.
        switch event.data {
        case let check as HealthCheckCompleted:
            host.healthChecks[check.healthCheckName.rawValue] = HealthCheckRecord(
                result: check.healthCheckResult, errorCode: check.errorCode, message: check.message,
                lastHealthCheckDateTime: event.at)
        case is AgentHeartbeatReceived:
            host.lastHeartBeat = event.at
        case let registered as SessionHostRegistered:
            if host.removed { host = SessionHostState(stream: event.stream, at: event.at) }
            host.agentVersion = registered.agentVersion ?? host.agentVersion
            host.virtualMachineId = registered.virtualMachineId ?? host.virtualMachineId
        case is SessionHostRemoved:
            host.removed = true
            host.users = []
        case let change as PowerStateChanged:
            host.powerState = change.powerState
            host.shutdownReportedByAgent = change.powerState != .running && change.reportedByAgent
            // A host that goes down takes its sessions with it.
            if change.powerState != .running { host.users = [] }
        case is AgentUpgradeStarted:
            host.updateState = .started
            host.lastUpdateTime = event.at
            host.updateErrorMessage = nil
        case let completed as AgentUpgradeCompleted:
            host.updateState = .succeeded
            host.agentVersion = completed.agentVersion
            host.lastUpdateTime = event.at
            host.updateErrorMessage = nil
        case let failed as AgentUpgradeFailed:
            host.updateState = .failed
            host.lastUpdateTime = event.at
            host.updateErrorMessage = failed.message ?? "The agent upgrade failed."
        case let change as DrainModeChanged:
            host.allowNewSession = change.allowNewSession
        case let session as UserSessionStarted:
            // Drain mode stops the broker from sending new sessions, but a session that did start
            // (an admin's, or one already under way) is a fact the log records and the host counts.
            if !host.users.contains(session.user) {
                host.users.append(session.user)
                host.users.sort()
            }
        case let session as UserSessionEnded:
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
package enum HostPoolProjector: StreamProjector {
    package typealias State = HostPoolState
    package static let name = "host-pools"

    package static let folds: [any EventData.Type] = [HostPoolConfigured.self]

    package static func fold(_ state: HostPoolState?, _ event: ProjectedEvent) -> HostPoolState {
        guard let configured = event.data as? HostPoolConfigured else {
            preconditionFailure("\(name) folds only HostPoolConfigured, not seq \(event.seq)")
        }
        // Each HostPoolConfigured states the whole configuration: an absent setting is Azure's default.
        return HostPoolState(
            name: configured.hostPool,
            loadBalancerType: configured.loadBalancerType ?? .breadthFirst,
            maxSessionLimit: configured.maxSessionLimit)
    }
}
