import FleetEvents
import FleetProjection

/// Follows session hosts for `history --pool P --host H` and availability reports: their status,
/// drain mode, and whether `route` would send them a new session.
package struct SessionHostTracker: Tracker {
    /// Nil: every pool.
    package var pool: String?
    /// Nil: every host of the pool(s).
    package var host: String?

    /// Whether observations carry the timeline's marks (drain mode, the update's batch), which
    /// cost a look at the pool's update per change; history and availability read none.
    package var marking = false

    package init(pool: String?, host: String? = nil) {
        precondition(host == nil || pool != nil, "a host is named within its pool")
        self.pool = pool
        self.host = host
    }

    package var idColumns: [String] { ["hostPool", "sessionHost"] }
    package var stateName: String { "status" }
    package var states: [String] { SessionHostStatus.derived.map(\.rawValue) }
    package var title: String { host ?? "" }
    package func subject(_ entity: TrackedEntity) -> String { entity.ids[1] }

    package var streams: StreamSelection {
        // The whole pool: an update plans its batches from every host of it.
        guard let pool else { return StreamSelection(ranges: [StreamKind.hostPool.keys(), StreamKind.sessionHost.keys()]) }
        return StreamSelection(keys: [StreamKind.hostPool.key(pool)], ranges: [StreamKind.sessionHost.keys(under: pool)])
    }

    package var reading: [AnyProjector] { SessionHostDomain.projectors + UpdateDomain.projectors }

    private func tracks(_ id: SessionHostID) -> Bool {
        (pool == nil || id.hostPool == pool) && (host == nil || id.sessionHost == host)
    }

    /// The host an event is about: any event of a host's own stream (so a new event type is
    /// followed without a word here), and an update's step for the host it names. Pool settings
    /// and update controls are about no host.
    private static func host(of event: ProjectedEvent) -> SessionHostID? {
        if let step = event.data(as: SessionHostUpdateStepRecorded.self) { return step.host }
        guard event.declaration.stream == .sessionHost else { return nil }
        let values = event.stream.values
        return SessionHostID(hostPool: String(values[0]), sessionHost: String(values[1]))
    }

    /// A host shows it is alive by the events of its own stream (health checks, heartbeats), as
    /// `hosts --stale-after` counts them.
    package func feeds(of event: ProjectedEvent) -> [[String]] {
        event.declaration.stream == .sessionHost ? [event.stream.values.map(String.init)] : []
    }

    package func touched(by event: ProjectedEvent, _ view: ProjectionReader) -> [TrackedEntity]? {
        guard let id = Self.host(of: event), tracks(id) else { return [] }
        return [TrackedEntity(id.hostPool, id.sessionHost)]
    }

    package func observeAll(_ view: ProjectionReader) throws -> [TrackedEntity: Observation] {
        var observed: [TrackedEntity: Observation] = [:]
        var updates: [String: UpdateState?] = [:]
        for state in try SessionHostQueries.hosts(in: view, pool: pool) where host == nil || state.name == host {
            if marking, updates[state.hostPool] == nil { updates[state.hostPool] = try Self.update(of: state.hostPool, view) }
            observed[TrackedEntity(state.hostPool, state.name)] = Self.observation(of: state, update: updates[state.hostPool] ?? nil, marking: marking)
        }
        return observed
    }

    package func observe(_ entity: TrackedEntity, _ view: ProjectionReader) throws -> Observation? {
        guard let state = try SessionHostQueries.host(in: view, pool: entity.ids[0], name: entity.ids[1]), !state.removed else { return nil }
        return Self.observation(of: state, update: marking ? try Self.update(of: entity.ids[0], view) : nil, marking: marking)
    }

    package var markKinds: [String] { ["drain", "update"] }

    /// The pool's update as the store's rules follow it, for the batch a host is in.
    private static func update(of pool: String, _ view: ProjectionReader) throws -> UpdateState? {
        try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(pool))?.current
    }

    /// A host takes traffic when `route` would consider it: its status takes new sessions and it
    /// is not in drain mode. Its lane marks drain mode, and the batch of `update` while the host's
    /// own steps in it are under way.
    static func observation(of host: SessionHostState, update: UpdateState?, marking: Bool) -> Observation {
        var marks: [Mark] = host.allowNewSession || !marking ? [] : [Mark("drain", "drain mode on")]
        if let update, update.hosts[host.name]?.isInFlight == true, let batch = update.batch(of: host.name) {
            marks.append(UpdateTracker.batchMark(batch))
        }
        return Observation(state: host.status.rawValue, takesTraffic: host.status.takesNewSessions && host.allowNewSession,
                           facets: [Facet("drain mode", host.allowNewSession ? "off" : "on")],
                           trafficNote: host.status.takesNewSessions && !host.allowNewSession ? "drain mode on" : nil,
                           observedFromAzure: host.rulesBehindAzure != nil, marks: marks)
    }

    package func concerns(_ event: ProjectedEvent) -> Bool {
        Self.host(of: event).map(tracks) ?? false
    }

    package func describe(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> String {
        switch event.data {
        case let step as SessionHostUpdateStepRecorded:
            return try UpdateTracker.describe(step, view)
        default:
            return try UpdateTracker.describePoolEvent(event) ?? Self.describe(event)
        }
    }

    /// A session host event in words.
    static func describe(_ event: ProjectedEvent) throws -> String {
        switch event.data {
        case let check as HealthCheckCompleted:
            let result = switch check.healthCheckResult {
            case .healthCheckSucceeded: "passed"
            case .healthCheckFailed: "failed"
            case .unknown: "result unknown"
            case .sessionHostShutdown: "not run: the host is shut down"
            }
            var words = "\(check.healthCheckName.rawValue) \(result)"
            if let code = check.errorCode { words += ", error \(code)" }
            if let message = check.message { words += ": \(message)" }
            return words
        case let power as PowerStateChanged:
            guard power.powerState != .running else { return "powered on" }
            return "powered off (\(power.powerState.rawValue)), \(power.reportedByAgent ? "reported by the agent" : "without the agent reporting it")"
        case let drain as DrainModeChanged:
            return "drain mode \(drain.allowNewSession ? "off" : "on")" + (drain.attribution.words.map { " \($0)" } ?? "")
        case let registered as SessionHostRegistered:
            return "registered" + (registered.agentVersion.map { " with agent \($0)" } ?? "")
        case is SessionHostRemoved: return "removed from the pool"
        case is AgentHeartbeatReceived: return "agent heartbeat"
        case let upgrade as AgentUpgradeStarted: return "agent upgrade started" + (upgrade.targetVersion.map { " to \($0)" } ?? "")
        case let upgrade as AgentUpgradeCompleted: return "agent upgraded to \(upgrade.agentVersion)"
        case let upgrade as AgentUpgradeFailed: return "agent upgrade failed" + (upgrade.message.map { ": \($0)" } ?? "")
        case let session as UserSessionStarted: return "\(session.user) signed in"
        case let session as UserSessionEnded: return "\(session.user) signed out"
        case let observed as SessionHostObserved:
            var facts = observed.status.map { ["status \($0.rawValue)"] } ?? []
            if let allow = observed.allowNewSession { facts.append("drain mode \(allow ? "off" : "on")") }
            if facts.isEmpty, let id = observed.resourceId { facts.append("resource \(id)") }
            return "observed from Azure: " + facts.joined(separator: ", ")
        case let pool as HostPoolConfigured:
            return "host pool configured: \(pool.loadBalancerType?.rawValue ?? "BreadthFirst")"
                + (pool.maxSessionLimit.map { ", at most \($0) sessions per host" } ?? "")
        default:
            throw UnhandledEvent("the session host history", event)
        }
    }
}
