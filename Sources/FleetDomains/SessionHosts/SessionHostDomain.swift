import FleetEvents
import FleetProjection

/// Azure Virtual Desktop host pools and session hosts: status, health checks, drain, routing
/// (docs/domain-rules.md, "Session hosts").
package enum SessionHostDomain {
    package static let events: [any EventData.Type] = [
        HostPoolConfigured.self, SessionHostRegistered.self, SessionHostRemoved.self, HealthCheckCompleted.self,
        AgentHeartbeatReceived.self, PowerStateChanged.self, AgentUpgradeStarted.self, AgentUpgradeCompleted.self,
        AgentUpgradeFailed.self, DrainModeChanged.self, UserSessionStarted.self, UserSessionEnded.self,
        SessionHostObserved.self,
    ]
    package static let projectors: [AnyProjector] = [
        AnyProjector(HostPoolProjector.self),
        AnyProjector(SessionHostProjector.self),
    ]
}
