/// An event's data as a typed value: one case per event type of the ingest contract.
enum EventPayload: Equatable, Sendable {
    case hostPoolConfigured(HostPoolConfigured)
    case sessionHostRegistered(SessionHostRegistered)
    case sessionHostRemoved(SessionHostID)
    case healthCheckCompleted(HealthCheckCompleted)
    case agentHeartbeatReceived(SessionHostID)
    case powerStateChanged(PowerStateChanged)
    case agentUpgradeStarted(AgentUpgradeStarted)
    case agentUpgradeCompleted(AgentUpgradeCompleted)
    case agentUpgradeFailed(AgentUpgradeFailed)
    case drainModeChanged(DrainModeChanged)
    case userSessionStarted(UserSessionChanged)
    case userSessionEnded(UserSessionChanged)
    case sessionHostUpdateScheduled(SessionHostUpdateScheduled)
    case sessionHostUpdateControlled(SessionHostUpdateControlled)
    case sessionHostUpdateStepRecorded(SessionHostUpdateStepRecorded)
    case loadBalancerConfigured(LoadBalancerConfigured)
    case healthProbeConfigured(HealthProbeConfigured)
    case loadBalancingRuleConfigured(LoadBalancingRuleConfigured)
    case backendAddressAdded(BackendAddressAdded)
    case backendAddressRemoved(BackendAddressID)
    case backendAdminStateChanged(BackendAdminStateChanged)
    case backendPowerStateChanged(BackendPowerStateChanged)
    case probeResultRecorded(ProbeResultRecorded)
    case platformHealthReported(PlatformHealthReported)
    case applicationHealthExtensionConfigured(ApplicationHealthExtensionConfigured)
    case scaleSetInstanceCreated(ScaleSetInstanceID)
    case scaleSetInstanceDeleted(ScaleSetInstanceID)
    case applicationHealthProbed(ApplicationHealthProbed)

    /// Decodes and validates `data` for `type`, refusing unknown, missing and ill-typed fields.
    init(type: EventType, data: [JSONMember]) throws(InputError) {
        let reader = try FieldReader(data, typeName: type.rawValue, known: type.fieldNames)
        switch type {
        case .hostPoolConfigured: self = .hostPoolConfigured(try .init(reader))
        case .sessionHostRegistered: self = .sessionHostRegistered(try .init(reader))
        case .sessionHostRemoved: self = .sessionHostRemoved(try .init(reader))
        case .healthCheckCompleted: self = .healthCheckCompleted(try .init(reader))
        case .agentHeartbeatReceived: self = .agentHeartbeatReceived(try .init(reader))
        case .powerStateChanged: self = .powerStateChanged(try .init(reader))
        case .agentUpgradeStarted: self = .agentUpgradeStarted(try .init(reader))
        case .agentUpgradeCompleted: self = .agentUpgradeCompleted(try .init(reader))
        case .agentUpgradeFailed: self = .agentUpgradeFailed(try .init(reader))
        case .drainModeChanged: self = .drainModeChanged(try .init(reader))
        case .userSessionStarted: self = .userSessionStarted(try .init(reader))
        case .userSessionEnded: self = .userSessionEnded(try .init(reader))
        case .sessionHostUpdateScheduled: self = .sessionHostUpdateScheduled(try .init(reader))
        case .sessionHostUpdateControlled: self = .sessionHostUpdateControlled(try .init(reader))
        case .sessionHostUpdateStepRecorded: self = .sessionHostUpdateStepRecorded(try .init(reader))
        case .loadBalancerConfigured: self = .loadBalancerConfigured(try .init(reader))
        case .healthProbeConfigured: self = .healthProbeConfigured(try .init(reader))
        case .loadBalancingRuleConfigured: self = .loadBalancingRuleConfigured(try .init(reader))
        case .backendAddressAdded: self = .backendAddressAdded(try .init(reader))
        case .backendAddressRemoved: self = .backendAddressRemoved(try .init(reader))
        case .backendAdminStateChanged: self = .backendAdminStateChanged(try .init(reader))
        case .backendPowerStateChanged: self = .backendPowerStateChanged(try .init(reader))
        case .probeResultRecorded: self = .probeResultRecorded(try .init(reader))
        case .platformHealthReported: self = .platformHealthReported(try .init(reader))
        case .applicationHealthExtensionConfigured: self = .applicationHealthExtensionConfigured(try .init(reader))
        case .scaleSetInstanceCreated: self = .scaleSetInstanceCreated(try .init(reader))
        case .scaleSetInstanceDeleted: self = .scaleSetInstanceDeleted(try .init(reader))
        case .applicationHealthProbed: self = .applicationHealthProbed(try .init(reader))
        }
    }

    /// The stream (entity) the event belongs to, derived as EVENTS.md's table says.
    var streamKey: String {
        switch self {
        case .hostPoolConfigured(let event): "hostpool/\(event.hostPool)"
        case .sessionHostRegistered(let event): event.host.streamKey
        case .sessionHostRemoved(let host), .agentHeartbeatReceived(let host): host.streamKey
        case .healthCheckCompleted(let event): event.host.streamKey
        case .powerStateChanged(let event): event.host.streamKey
        case .agentUpgradeStarted(let event): event.host.streamKey
        case .agentUpgradeCompleted(let event): event.host.streamKey
        case .agentUpgradeFailed(let event): event.host.streamKey
        case .drainModeChanged(let event): event.host.streamKey
        case .userSessionStarted(let event), .userSessionEnded(let event): event.host.streamKey
        case .sessionHostUpdateScheduled(let event): "hostpool/\(event.hostPool)"
        case .sessionHostUpdateControlled(let event): "hostpool/\(event.hostPool)"
        // Update steps belong to the pool's update operation, so they order with its controls.
        case .sessionHostUpdateStepRecorded(let event): "hostpool/\(event.host.hostPool)"
        case .loadBalancerConfigured(let event): "lb/\(event.loadBalancer)"
        case .healthProbeConfigured(let event): "lb/\(event.loadBalancer)"
        case .loadBalancingRuleConfigured(let event): "lb/\(event.loadBalancer)"
        case .backendAddressAdded(let event): event.address.streamKey
        case .backendAddressRemoved(let address): address.streamKey
        case .backendAdminStateChanged(let event): event.address.streamKey
        case .backendPowerStateChanged(let event): event.address.streamKey
        case .probeResultRecorded(let event): event.streamKey
        case .platformHealthReported(let event): event.streamKey
        case .applicationHealthExtensionConfigured(let event): "vmss/\(event.scaleSet)"
        case .scaleSetInstanceCreated(let instance), .scaleSetInstanceDeleted(let instance): instance.streamKey
        case .applicationHealthProbed(let event): event.instance.streamKey
        }
    }
}
