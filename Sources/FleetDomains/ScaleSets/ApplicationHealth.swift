import FleetEvents

/// The Application Health extension's states: binary (1.0) reports Healthy and Unhealthy, rich
/// (2.0) also Initializing and Unknown.
package enum ApplicationHealthState: String, Codable, Sendable, CaseIterable {
    case initializing = "Initializing"
    case healthy = "Healthy"
    case unhealthy = "Unhealthy"
    case unknown = "Unknown"

    /// What a rolling upgrade makes of an instance in this state (docs/domain-rules.md, "Scale set instance health").
    package var rollingUpgrade: String {
        switch self {
        case .initializing: "Waiting"
        case .healthy: "Healthy"
        case .unhealthy, .unknown: "Unhealthy"
        }
    }

    /// Whether automatic instance repair acts on an instance in this state.
    package var instanceRepair: Bool { self == .unhealthy || self == .unknown }
}

/// The extension's settings as they stand, with where they came from.
package struct ExtensionSettings: Codable, Equatable, Sendable {
    package var typeHandlerVersion: TypeHandlerVersion
    package var `protocol`: ExtensionProtocol
    package var port: Int64?
    package var requestPath: String?
    package var intervalInSeconds: Int64
    package var numberOfProbes: Int64
    package var gracePeriod: Int64
    /// The position and time of the event that set them: a change restarts the extension.
    package var seq: Int64
    package var at: Timestamp

    package var isRich: Bool { typeHandlerVersion == .rich }

    /// The state a result becomes when the grace period expires: Unknown over http/https,
    /// Unhealthy over tcp.
    package var expiryState: ApplicationHealthState { `protocol` == .tcp ? .unhealthy : .unknown }

    /// The state one probe observed (docs/domain-rules.md, "Scale set instance health").
    package func signal(of probe: ApplicationHealthProbed) -> ApplicationHealthState {
        if `protocol` == .tcp { return probe.connected == true ? .healthy : .unhealthy }
        guard !probe.timedOut, let status = probe.statusCode else { return isRich ? .unknown : .unhealthy }
        guard isRich else { return status == 200 ? .healthy : .unhealthy }
        return (200...299).contains(status) ? probe.bodyState : .unknown
    }
}

/// One instance as the extension on it sees it: the loop's counters and the state it reports.
package struct InstanceHealth: Codable, Equatable, Sendable {
    package var instanceId: String
    package var createdAt: Timestamp
    package var deleted = false
    /// When the extension (re)started on the instance: its creation, or a settings change after it.
    package var extensionStart: Timestamp
    /// The settings (by their event's seq) the loop runs with; others mean it restarted.
    package var settingsSeq: Int64 = 0
    package var honoringGracePeriod = true
    /// Consecutive identical results.
    package var count: Int64 = 0
    /// The previous probe's own result (before the grace period replaced it).
    package var lastResult: ApplicationHealthState?
    /// The reported state; nil until the first probe since the extension started.
    package var committed: ApplicationHealthState?
    /// The `at` of the probe that set `committed`.
    package var committedAt: Timestamp?
    /// Azure's last reported `vmHealth`, when the instance's view was imported: it wins while present.
    package var observed: ObservedInstanceHealth?
    /// Azure's id of the instance's VM, when imported.
    package var resourceId: String?

    package init(instanceId: String, createdAt: Timestamp) {
        self.instanceId = instanceId
        self.createdAt = createdAt
        extensionStart = createdAt
    }

    /// Starts the loop afresh, as the extension does when it starts: no count, nothing committed.
    package mutating func restart(at start: Timestamp, settings: ExtensionSettings) {
        extensionStart = max(start, createdAt)
        settingsSeq = settings.seq
        honoringGracePeriod = settings.isRich
        count = 0
        lastResult = nil
        committed = nil
        committedAt = nil
    }

    /// One probe, as the extension's loop handles it (the extension's `main/cmds.go`; docs/domain-rules.md, "The extension's loop").
    package mutating func probe(_ result: ApplicationHealthState, at time: Timestamp, settings: ExtensionSettings) {
        count = result == lastResult ? count + 1 : 1
        lastResult = result
        var reported = result
        if honoringGracePeriod {
            if time.nanoseconds(since: extensionStart) >= settings.gracePeriod * 1_000_000_000 {
                honoringGracePeriod = false
                reported = settings.expiryState
                count = 1
                committed = nil
            } else if count == settings.numberOfProbes, result != settings.expiryState {
                honoringGracePeriod = false
            } else {
                reported = .initializing
            }
        }
        if count == settings.numberOfProbes || committed == nil {
            committed = reported
            committedAt = time
            if count == settings.numberOfProbes { count = 0 }
        }
    }

    /// What the instance reports: Azure's observed health when imported, else under the extension's `settings`; nil with neither.
    package func shownHealth(under settings: ExtensionSettings?) -> (state: ApplicationHealthState, since: Timestamp, observed: Bool)? {
        if let observed { return (observed.state, observed.since, true) }
        return settings.map { let reported = reported(under: $0); return (reported.state, reported.since, false) }
    }

    /// What the instance reports under `settings`: its committed state, or before any probe since
    /// the extension started, Initializing (rich) or Unknown (binary: nothing reported yet).
    package func reported(under settings: ExtensionSettings) -> (state: ApplicationHealthState, since: Timestamp) {
        if settingsSeq == settings.seq, let committed { return (committed, committedAt ?? extensionStart) }
        return (settings.isRich ? .initializing : .unknown, max(settings.at, createdAt))
    }
}

/// An instance's `vmHealth` as Azure last reported it, and since when it was so.
package struct ObservedInstanceHealth: Codable, Equatable, Sendable {
    package var state: ApplicationHealthState
    package var since: Timestamp
}
