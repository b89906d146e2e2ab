extension EventType {
    /// Every field the type's `data` may hold (EVENTS.md), required and optional alike.
    var fieldNames: [String] {
        switch self {
        case .hostPoolConfigured: ["hostPool", "loadBalancerType", "maxSessionLimit"]
        case .sessionHostRegistered: ["hostPool", "sessionHost", "agentVersion", "virtualMachineId"]
        case .sessionHostRemoved, .agentHeartbeatReceived: ["hostPool", "sessionHost"]
        case .healthCheckCompleted:
            ["hostPool", "sessionHost", "healthCheckName", "healthCheckResult", "errorCode", "message"]
        case .powerStateChanged: ["hostPool", "sessionHost", "powerState", "reportedByAgent"]
        case .agentUpgradeStarted: ["hostPool", "sessionHost", "targetVersion"]
        case .agentUpgradeCompleted: ["hostPool", "sessionHost", "agentVersion"]
        case .agentUpgradeFailed: ["hostPool", "sessionHost", "message"]
        case .drainModeChanged: ["hostPool", "sessionHost", "allowNewSession"]
        case .userSessionStarted, .userSessionEnded: ["hostPool", "sessionHost", "user"]
        case .sessionHostUpdateScheduled:
            ["hostPool", "maxVmsRemoved", "deleteOriginalVm", "logOffDelayMinutes", "logOffMessage",
             "scheduledDateTime", "scheduledDateTimeZone"]
        case .sessionHostUpdateControlled: ["hostPool", "action", "cancelMessage"]
        case .sessionHostUpdateStepRecorded: ["hostPool", "sessionHost", "step", "vmName", "errorCode", "message"]
        case .loadBalancerConfigured: ["loadBalancer", "kind"]
        case .healthProbeConfigured:
            ["loadBalancer", "probe", "protocol", "port", "intervalInSeconds", "probeThreshold", "requestPath",
             "noHealthyBackendsBehavior"]
        case .loadBalancingRuleConfigured: ["loadBalancer", "rule", "backendPool", "probe"]
        case .backendAddressAdded:
            ["loadBalancer", "backendPool", "ipAddress", "networkInterfaceIPConfigurationId", "regionalLoadBalancer"]
        case .backendAddressRemoved: ["loadBalancer", "backendPool", "ipAddress"]
        case .backendAdminStateChanged: ["loadBalancer", "backendPool", "ipAddress", "adminState"]
        case .backendPowerStateChanged: ["loadBalancer", "backendPool", "ipAddress", "poweredOn"]
        case .probeResultRecorded: ["loadBalancer", "probe", "ipAddress", "outcome", "statusCode", "latencyMs"]
        case .platformHealthReported: ["loadBalancer", "ipAddress", "state"]
        case .applicationHealthExtensionConfigured:
            ["scaleSet", "typeHandlerVersion", "protocol", "port", "requestPath", "intervalInSeconds",
             "numberOfProbes", "gracePeriod"]
        case .scaleSetInstanceCreated, .scaleSetInstanceDeleted: ["scaleSet", "instanceId"]
        case .applicationHealthProbed: ["scaleSet", "instanceId", "connected", "statusCode", "body", "timedOut"]
        }
    }
}
