/// Every event type of the ingest contract (EVENTS.md), with the small integer the log stores.
///
/// The codes match the `event_types` table written by the migrations; a test keeps them equal.
public enum EventType: String, CaseIterable, Sendable {
    // Azure Virtual Desktop: host pools and session hosts
    case hostPoolConfigured = "HostPoolConfigured"
    case sessionHostRegistered = "SessionHostRegistered"
    case sessionHostRemoved = "SessionHostRemoved"
    case healthCheckCompleted = "HealthCheckCompleted"
    case agentHeartbeatReceived = "AgentHeartbeatReceived"
    case powerStateChanged = "PowerStateChanged"
    case agentUpgradeStarted = "AgentUpgradeStarted"
    case agentUpgradeCompleted = "AgentUpgradeCompleted"
    case agentUpgradeFailed = "AgentUpgradeFailed"
    case drainModeChanged = "DrainModeChanged"
    case userSessionStarted = "UserSessionStarted"
    case userSessionEnded = "UserSessionEnded"
    // Session host update
    case sessionHostUpdateScheduled = "SessionHostUpdateScheduled"
    case sessionHostUpdateControlled = "SessionHostUpdateControlled"
    case sessionHostUpdateStepRecorded = "SessionHostUpdateStepRecorded"
    // Load Balancer
    case loadBalancerConfigured = "LoadBalancerConfigured"
    case healthProbeConfigured = "HealthProbeConfigured"
    case loadBalancingRuleConfigured = "LoadBalancingRuleConfigured"
    case backendAddressAdded = "BackendAddressAdded"
    case backendAddressRemoved = "BackendAddressRemoved"
    case backendAdminStateChanged = "BackendAdminStateChanged"
    case backendPowerStateChanged = "BackendPowerStateChanged"
    case probeResultRecorded = "ProbeResultRecorded"
    case platformHealthReported = "PlatformHealthReported"
    // VM Scale Set Application Health extension
    case applicationHealthExtensionConfigured = "ApplicationHealthExtensionConfigured"
    case scaleSetInstanceCreated = "ScaleSetInstanceCreated"
    case scaleSetInstanceDeleted = "ScaleSetInstanceDeleted"
    case applicationHealthProbed = "ApplicationHealthProbed"

    /// The integer stored in `events.type`. Never renumber: stored logs depend on it.
    public var code: Int64 {
        switch self {
        case .hostPoolConfigured: 1
        case .sessionHostRegistered: 2
        case .sessionHostRemoved: 3
        case .healthCheckCompleted: 4
        case .agentHeartbeatReceived: 5
        case .powerStateChanged: 6
        case .agentUpgradeStarted: 7
        case .agentUpgradeCompleted: 8
        case .agentUpgradeFailed: 9
        case .drainModeChanged: 10
        case .userSessionStarted: 11
        case .userSessionEnded: 12
        case .sessionHostUpdateScheduled: 20
        case .sessionHostUpdateControlled: 21
        case .sessionHostUpdateStepRecorded: 22
        case .loadBalancerConfigured: 30
        case .healthProbeConfigured: 31
        case .loadBalancingRuleConfigured: 32
        case .backendAddressAdded: 33
        case .backendAddressRemoved: 34
        case .backendAdminStateChanged: 35
        case .backendPowerStateChanged: 36
        case .probeResultRecorded: 37
        case .platformHealthReported: 38
        case .applicationHealthExtensionConfigured: 40
        case .scaleSetInstanceCreated: 41
        case .scaleSetInstanceDeleted: 42
        case .applicationHealthProbed: 43
        }
    }

    private static let byCode: [Int64: EventType] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.code, $0) })

    /// The type stored under `code`, if this binary knows it.
    public init?(code: Int64) {
        guard let type = Self.byCode[code] else { return nil }
        self = type
    }
}
