import FleetEvents


package enum LoadBalancerType: String, ContractEnum {
    case breadthFirst = "BreadthFirst"
    case depthFirst = "DepthFirst"
}

package enum PowerState: String, ContractEnum {
    case running = "Running"
    case stopped = "Stopped"
    case deallocated = "Deallocated"
}

/// Azure's session host health checks, and whether failing one makes the host unusable.
package enum HealthCheckName: String, ContractEnum {
    case domainJoinedCheck = "DomainJoinedCheck"
    case domainTrustCheck = "DomainTrustCheck"
    case sxsStackListenerCheck = "SxSStackListenerCheck"
    case fsLogixHealthCheck = "FSLogixHealthCheck"
    case domainReachable = "DomainReachable"
    case monitoringAgentCheck = "MonitoringAgentCheck"
    case metaDataServiceCheck = "MetaDataServiceCheck"
    case urlsAccessibleCheck = "UrlsAccessibleCheck"
    case appAttachHealthCheck = "AppAttachHealthCheck"
    case webRTCRedirectorCheck = "WebRTCRedirectorCheck"
    case supportedEncryptionCheck = "SupportedEncryptionCheck"

    /// A failing fatal check makes the host `Unavailable`; a failing non-fatal one, `NeedsAssistance`.
    /// `SupportedEncryptionCheck` depends on the security layer in Azure; Azure documents it as non-fatal (docs/domain-rules.md, "Status").
    package var isFatal: Bool {
        switch self {
        case .domainJoinedCheck, .domainTrustCheck, .sxsStackListenerCheck, .fsLogixHealthCheck, .domainReachable:
            true
        case .monitoringAgentCheck, .metaDataServiceCheck, .urlsAccessibleCheck, .appAttachHealthCheck,
             .webRTCRedirectorCheck, .supportedEncryptionCheck:
            false
        }
    }
}

package enum HealthCheckResult: String, ContractEnum {
    case unknown = "Unknown"
    case healthCheckSucceeded = "HealthCheckSucceeded"
    case healthCheckFailed = "HealthCheckFailed"
    case sessionHostShutdown = "SessionHostShutdown"
}

