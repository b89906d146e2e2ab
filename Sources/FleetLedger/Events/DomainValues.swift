/// A closed set of string values from the contract, spelled exactly as Azure spells them.
///
/// Decoding a value outside the set is refused with the list of allowed values.
protocol ContractEnum: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {}

extension ContractEnum {
    static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

// MARK: Azure Virtual Desktop

enum LoadBalancerType: String, ContractEnum {
    case breadthFirst = "BreadthFirst"
    case depthFirst = "DepthFirst"
}

enum PowerState: String, ContractEnum {
    case running = "Running"
    case stopped = "Stopped"
    case deallocated = "Deallocated"
}

/// Azure's session host health checks, and whether failing one makes the host unusable.
enum HealthCheckName: String, ContractEnum {
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
    /// `SupportedEncryptionCheck` depends on the security layer in Azure; DOMAIN.md says non-fatal.
    var isFatal: Bool {
        switch self {
        case .domainJoinedCheck, .domainTrustCheck, .sxsStackListenerCheck, .fsLogixHealthCheck, .domainReachable:
            true
        case .monitoringAgentCheck, .metaDataServiceCheck, .urlsAccessibleCheck, .appAttachHealthCheck,
             .webRTCRedirectorCheck, .supportedEncryptionCheck:
            false
        }
    }
}

enum HealthCheckResult: String, ContractEnum {
    case unknown = "Unknown"
    case healthCheckSucceeded = "HealthCheckSucceeded"
    case healthCheckFailed = "HealthCheckFailed"
    case sessionHostShutdown = "SessionHostShutdown"
}

// MARK: Session host update

enum UpdateAction: String, ContractEnum {
    case start = "Start"
    case pause = "Pause"
    case resume = "Resume"
    case cancel = "Cancel"
    case retry = "Retry"
}

/// The steps of one host's update, in the order they happen (`failed` may come at any point).
enum UpdateStep: String, ContractEnum {
    case usersNotified = "UsersNotified"
    case usersSignedOut = "UsersSignedOut"
    case drained = "Drained"
    case removed = "Removed"
    case vmCreated = "VmCreated"
    case joined = "Joined"
    case drainDisabled = "DrainDisabled"
    case originalDeallocated = "OriginalDeallocated"
    case originalDeleted = "OriginalDeleted"
    case succeeded = "Succeeded"
    case failed = "Failed"
}

// MARK: Load Balancer

enum LoadBalancerKind: String, ContractEnum {
    case regional = "Regional"
    case global = "Global"
    case gateway = "Gateway"
}

enum ProbeProtocol: String, ContractEnum {
    case tcp = "Tcp"
    case http = "Http"
    case https = "Https"
}

enum NoHealthyBackendsBehavior: String, ContractEnum {
    case allProbedDown = "AllProbedDown"
    case allProbedUp = "AllProbedUp"
}

enum AdminState: String, ContractEnum {
    case none = "None"
    case up = "Up"
    case down = "Down"
}

enum ProbeOutcome: String, ContractEnum {
    case success = "Success"
    case tcpTimeout = "TcpTimeout"
    case httpStatusCode = "HttpStatusCode"
    case httpEndpointUnreachable = "HttpEndpointUnreachable"
    case httpNoResponse = "HttpNoResponse"
}

enum PlatformHealthState: String, ContractEnum {
    case up = "Up"
    case down = "Down"
    case cleared = "Cleared"
}

// MARK: VM Scale Set Application Health extension

/// `1.0` reports binary states (Healthy, Unhealthy); `2.0` reports rich states.
enum TypeHandlerVersion: String, ContractEnum {
    case binary = "1.0"
    case rich = "2.0"
}

enum ExtensionProtocol: String, ContractEnum {
    case tcp
    case http
    case https
}
