extension EventType {
    /// The fields whose values form the stream key after its first segment, in order: the store
    /// keeps them once, in the stream's key, rather than in every event's row.
    var streamFields: [String] {
        switch self {
        case .hostPoolConfigured, .sessionHostUpdateScheduled, .sessionHostUpdateControlled,
             .sessionHostUpdateStepRecorded:
            ["hostPool"]
        case .sessionHostRegistered, .sessionHostRemoved, .healthCheckCompleted, .agentHeartbeatReceived,
             .powerStateChanged, .agentUpgradeStarted, .agentUpgradeCompleted, .agentUpgradeFailed,
             .drainModeChanged, .userSessionStarted, .userSessionEnded:
            ["hostPool", "sessionHost"]
        case .loadBalancerConfigured, .healthProbeConfigured, .loadBalancingRuleConfigured:
            ["loadBalancer"]
        case .backendAddressAdded, .backendAddressRemoved, .backendAdminStateChanged, .backendPowerStateChanged:
            ["loadBalancer", "backendPool", "ipAddress"]
        case .probeResultRecorded, .platformHealthReported:
            ["loadBalancer", "ipAddress"]
        case .applicationHealthExtensionConfigured:
            ["scaleSet"]
        case .scaleSetInstanceCreated, .scaleSetInstanceDeleted, .applicationHealthProbed:
            ["scaleSet", "instanceId"]
        }
    }
}
