import FleetEvents

/// Azure's `SessionHost.status` values that the store derives.
///
/// Older values that exports still contain (`NoHeartbeat`, `Disconnected`, ...) are not derived:
/// `Unavailable` replaced `NoHeartbeat`, and the others name causes this store sees as checks.
public enum SessionHostStatus: String, Codable, Sendable, CaseIterable {
    case available = "Available"
    case needsAssistance = "NeedsAssistance"
    case shutdown = "Shutdown"
    case unavailable = "Unavailable"
    case upgradeFailed = "UpgradeFailed"
    case upgrading = "Upgrading"

    /// Whether the broker load-balances new user sessions to a host in this status (docs/domain-rules.md, "Routing").
    public var takesNewSessions: Bool {
        switch self {
        case .available, .needsAssistance, .upgradeFailed, .upgrading: true
        case .shutdown, .unavailable: false
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
