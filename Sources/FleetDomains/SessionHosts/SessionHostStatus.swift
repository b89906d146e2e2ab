import FleetEvents

/// Azure's `SessionHost.status` values.
///
/// The store's rules derive the first six. The others Azure may still report (`NoHeartbeat`,
/// `Disconnected`, ...) are never derived, only observed from Azure: `Unavailable` replaced
/// `NoHeartbeat`, and the rest name causes this store sees as health checks.
public enum SessionHostStatus: String, Codable, Sendable, CaseIterable {
    case available = "Available"
    case needsAssistance = "NeedsAssistance"
    case shutdown = "Shutdown"
    case unavailable = "Unavailable"
    case upgradeFailed = "UpgradeFailed"
    case upgrading = "Upgrading"
    case disconnected = "Disconnected"
    case noHeartbeat = "NoHeartbeat"
    case notJoinedToDomain = "NotJoinedToDomain"
    case domainTrustRelationshipLost = "DomainTrustRelationshipLost"
    case sxsStackListenerNotReady = "SxSStackListenerNotReady"
    case fsLogixNotHealthy = "FSLogixNotHealthy"

    /// The statuses the store's rules give; the others come only from Azure's observations.
    public static let derived: [SessionHostStatus] = [.available, .needsAssistance, .shutdown, .unavailable, .upgradeFailed, .upgrading]

    /// Whether the broker load-balances new user sessions to a host in this status (docs/domain-rules.md, "Routing").
    public var takesNewSessions: Bool {
        switch self {
        case .available, .needsAssistance, .upgradeFailed, .upgrading: true
        case .shutdown, .unavailable, .disconnected, .noHeartbeat, .notJoinedToDomain, .domainTrustRelationshipLost,
             .sxsStackListenerNotReady, .fsLogixNotHealthy: false
        }
    }
}

/// Azure's `SessionHost.updateState`: the state of the agent's own update.
package enum AgentUpdateState: String, Codable, Sendable {
    case initial = "Initial"
    case pending = "Pending"
    case started = "Started"
    case succeeded = "Succeeded"
    case failed = "Failed"
}

/// The latest result of one health check on one host.
package struct HealthCheckRecord: Codable, Equatable, Sendable {
    package var result: HealthCheckResult
    package var errorCode: Int64?
    package var message: String?
    package var lastHealthCheckDateTime: Timestamp

    package var isFailing: Bool { result == .healthCheckFailed }
}
