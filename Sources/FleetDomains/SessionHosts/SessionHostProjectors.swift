import FleetEvents
import FleetProjection

/// Folds each session host's stream into its `SessionHostState`.
package enum SessionHostProjector: Projector {
    package typealias State = SessionHostState
    package static let name = "session-hosts"

    package static let folds: [any EventData.Type] = [
        SessionHostRegistered.self, SessionHostRemoved.self, HealthCheckCompleted.self, AgentHeartbeatReceived.self,
        PowerStateChanged.self, AgentUpgradeStarted.self, AgentUpgradeCompleted.self, AgentUpgradeFailed.self,
        DrainModeChanged.self, UserSessionStarted.self, UserSessionEnded.self, SessionHostObserved.self,
        // An update's steps live on the pool's stream; the host's drain mode follows them.
        SessionHostUpdateStepRecorded.self,
    ]

    package static func entities(of event: ProjectedEvent, _ context: FoldContext) throws -> Entities {
        if let step = event.data(as: SessionHostUpdateStepRecorded.self) { return .one(step.host.streamKey) }
        return .ownStream
    }

    package static func fold(_ state: consuming SessionHostState?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> SessionHostState {
        try fold(state, event, entity: entity)
    }

    /// A host's state after one of its own stream's events.
    package static func fold(_ state: consuming SessionHostState?, _ event: ProjectedEvent) throws -> SessionHostState {
        try fold(state, event, entity: event.stream)
    }

    package static func fold(_ state: consuming SessionHostState?, _ event: ProjectedEvent, entity: StreamKey) throws -> SessionHostState {
        // A host seen before its registration (an export that starts mid-history) is taken as registered.
        // Moved out of the optional, not copied (`??` copied the whole state).
        var host: SessionHostState
        let isNew: Bool
        switch consume state {
        case .some(let existing): (host, isNew) = (existing, false)
        case .none: (host, isNew) = (SessionHostState(stream: entity, at: event.at), true)
        }
        // The most frequent events first, each found by comparing types (see `data(as:)`); the
        // others through the runtime's casts.
        if let check = event.data(as: HealthCheckCompleted.self) {
            host.healthChecks[check.healthCheckName.rawValue] = HealthCheckRecord(
                result: check.healthCheckResult, errorCode: check.errorCode, message: check.message,
                lastHealthCheckDateTime: event.at)
        } else if event.data(as: AgentHeartbeatReceived.self) != nil {
            host.lastHeartBeat = event.at
        } else {
            switch event.data {
            case let registered as SessionHostRegistered:
                if host.removed { host = SessionHostState(stream: entity, at: event.at) }
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
            case let observed as SessionHostObserved:
                // Azure lists the host: a host removed here is in the pool again, afresh.
                if host.removed { return observe(observed, on: SessionHostState(stream: entity, at: event.at), at: event.at, isNew: true) }
                return observe(observed, on: host, at: event.at, isNew: isNew)
            case let step as SessionHostUpdateStepRecorded:
                // The update takes the host out by draining it, and gives it back the drain mode it
                // had: a host drained before the update stays drained. Power is never changed here.
                switch step.step {
                case .drained:
                    if host.drainBeforeUpdate == nil { host.drainBeforeUpdate = !host.allowNewSession }
                    host.allowNewSession = false
                case .drainDisabled:
                    host.allowNewSession = !(host.drainBeforeUpdate ?? false)
                    host.drainBeforeUpdate = nil
                default:
                    break
                }
            default:
                throw UnhandledEvent(name, event)
            }
        }
        // The rules' status is shown unless Azure's observation is newer than its last change: a
        // change of the rules' verdict takes over from Azure's word.
        let status = host.ruledStatus
        if status != (host.rulesBehindAzure ?? host.status) || isNew {
            if status != host.status || isNew { host.statusTimestamp = event.at }
            host.status = status
            host.rulesBehindAzure = nil
        }
        return host
    }

    /// A host after Azure's report on it: Azure's status is shown from its time until the rules'
    /// verdict changes; its drain mode is the host's drain mode.
    private static func observe(_ observed: SessionHostObserved, on host: consuming SessionHostState, at: Timestamp,
                                isNew: Bool) -> SessionHostState {
        var host = host
        if let status = observed.status {
            let rules = host.rulesBehindAzure ?? host.status
            if status != host.status || isNew { host.statusTimestamp = at }
            host.status = status
            host.rulesBehindAzure = rules
            host.observed = SessionHostObservation(status: status, allowNewSession: host.observed?.allowNewSession)
        }
        if let allowNewSession = observed.allowNewSession {
            host.allowNewSession = allowNewSession
            host.observed = SessionHostObservation(status: host.observed?.status, allowNewSession: allowNewSession)
        }
        if let id = observed.resourceId { host.resourceId = id }
        return host
    }
}

/// Folds each host pool's stream into the settings routing needs.
package enum HostPoolProjector: StreamProjector {
    package typealias State = HostPoolState
    package static let name = "host-pools"

    package static let folds: [any EventData.Type] = [HostPoolConfigured.self]

    package static func fold(_ state: consuming HostPoolState?, _ event: ProjectedEvent) throws -> HostPoolState {
        guard let configured = event.data(as: HostPoolConfigured.self) else { throw UnhandledEvent(name, event) }
        // Each HostPoolConfigured states the whole configuration: an absent setting is Azure's default.
        return HostPoolState(
            name: configured.hostPool,
            loadBalancerType: configured.loadBalancerType ?? .breadthFirst,
            maxSessionLimit: configured.maxSessionLimit)
    }
}
