@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetProjection
@testable import FleetStore
import Foundation

/// Every event type of the contract, by the names the tests use (`.healthCheckCompleted`).
extension EventDeclaration {
    static var allCases: [EventDeclaration] { Fleet.schema.catalog.declarations }
    var rawValue: String { name }

    static var hostPoolConfigured: EventDeclaration { HostPoolConfigured.declaration }
    static var sessionHostRegistered: EventDeclaration { SessionHostRegistered.declaration }
    static var sessionHostRemoved: EventDeclaration { SessionHostRemoved.declaration }
    static var healthCheckCompleted: EventDeclaration { HealthCheckCompleted.declaration }
    static var agentHeartbeatReceived: EventDeclaration { AgentHeartbeatReceived.declaration }
    static var powerStateChanged: EventDeclaration { PowerStateChanged.declaration }
    static var agentUpgradeStarted: EventDeclaration { AgentUpgradeStarted.declaration }
    static var agentUpgradeCompleted: EventDeclaration { AgentUpgradeCompleted.declaration }
    static var agentUpgradeFailed: EventDeclaration { AgentUpgradeFailed.declaration }
    static var drainModeChanged: EventDeclaration { DrainModeChanged.declaration }
    static var userSessionStarted: EventDeclaration { UserSessionStarted.declaration }
    static var userSessionEnded: EventDeclaration { UserSessionEnded.declaration }
    static var sessionHostUpdateScheduled: EventDeclaration { SessionHostUpdateScheduled.declaration }
    static var sessionHostUpdateControlled: EventDeclaration { SessionHostUpdateControlled.declaration }
    static var sessionHostUpdateStepRecorded: EventDeclaration { SessionHostUpdateStepRecorded.declaration }
    static var loadBalancerConfigured: EventDeclaration { LoadBalancerConfigured.declaration }
    static var healthProbeConfigured: EventDeclaration { HealthProbeConfigured.declaration }
    static var loadBalancingRuleConfigured: EventDeclaration { LoadBalancingRuleConfigured.declaration }
    static var backendAddressAdded: EventDeclaration { BackendAddressAdded.declaration }
    static var backendAddressRemoved: EventDeclaration { BackendAddressRemoved.declaration }
    static var backendAdminStateChanged: EventDeclaration { BackendAdminStateChanged.declaration }
    static var backendPowerStateChanged: EventDeclaration { BackendPowerStateChanged.declaration }
    static var probeResultRecorded: EventDeclaration { ProbeResultRecorded.declaration }
    static var platformHealthReported: EventDeclaration { PlatformHealthReported.declaration }
    static var applicationHealthExtensionConfigured: EventDeclaration { ApplicationHealthExtensionConfigured.declaration }
    static var scaleSetInstanceCreated: EventDeclaration { ScaleSetInstanceCreated.declaration }
    static var scaleSetInstanceDeleted: EventDeclaration { ScaleSetInstanceDeleted.declaration }
    static var applicationHealthProbed: EventDeclaration { ApplicationHealthProbed.declaration }
}

typealias EventType = EventDeclaration

extension EventDeclaration: Hashable {
    public static func == (lhs: EventDeclaration, rhs: EventDeclaration) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

extension EventStore {
    /// The session hosts of `pool` (or every pool), now or as of a time, as the commands see them.
    func sessionHosts(pool: String?, asOf: Timestamp?) throws -> [SessionHostState] {
        try SessionHostQueries.hosts(in: try projections(asOf: asOf), pool: pool)
    }

    func knowsHostPool(_ pool: String) throws -> Bool {
        try SessionHostQueries.knowsHostPool(in: try projections(asOf: nil), pool: pool)
    }
}

extension EventDeclaration {
    static var scaleSetHealthProbeConfigured: EventDeclaration { ScaleSetHealthProbeConfigured.declaration }
    static var scaleSetHealthSourceRemoved: EventDeclaration { ScaleSetHealthSourceRemoved.declaration }
}


