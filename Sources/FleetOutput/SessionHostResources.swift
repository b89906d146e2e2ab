import FleetDomains
import FleetEvents

/// Azure's SessionHost resource (`Microsoft.DesktopVirtualization/hostpools/sessionhosts`):
/// `name` is `<hostPool>/<sessionHost>`, and the properties carry Azure's names. Absent values
/// are written as null, as Azure writes them.
struct SessionHostResource: Encodable {
    /// Azure's resource id, for a host imported from Azure (left out otherwise: the events carry none).
    var id: String?
    var name: String
    var type = "Microsoft.DesktopVirtualization/hostpools/sessionhosts"
    var properties: Properties

    init(_ host: SessionHostState) {
        id = host.resourceId
        name = "\(host.hostPool)/\(host.name)"
        properties = Properties(host)
    }

    struct Properties: Encodable {
        var status: String
        var statusTimestamp: String
        var allowNewSession: Bool
        var sessions: Int
        @Nullable var lastHeartBeat: String?
        @Nullable var agentVersion: String?
        @Nullable var virtualMachineId: String?
        var updateState: String
        @Nullable var lastUpdateTime: String?
        @Nullable var updateErrorMessage: String?
        var sessionHostHealthCheckResults: [HealthCheckResult]

        init(_ host: SessionHostState) {
            status = host.status.rawValue
            statusTimestamp = host.statusTimestamp.rfc3339
            allowNewSession = host.allowNewSession
            sessions = host.sessions
            lastHeartBeat = host.lastHeartBeat?.rfc3339
            agentVersion = host.agentVersion
            virtualMachineId = host.virtualMachineId
            updateState = host.updateState.rawValue
            lastUpdateTime = host.lastUpdateTime?.rfc3339
            updateErrorMessage = host.updateErrorMessage
            sessionHostHealthCheckResults = host.healthChecks.sorted { $0.key < $1.key }.map(HealthCheckResult.init)
        }

    }

    struct HealthCheckResult: Encodable {
        var healthCheckName: String
        var healthCheckResult: String
        var additionalFailureDetails: FailureDetails

        init(_ check: (key: String, value: HealthCheckRecord)) {
            healthCheckName = check.key
            healthCheckResult = check.value.result.rawValue
            additionalFailureDetails = FailureDetails(
                message: check.value.message, errorCode: check.value.errorCode,
                lastHealthCheckDateTime: check.value.lastHealthCheckDateTime.rfc3339)
        }
    }

    struct FailureDetails: Encodable {
        @Nullable var message: String?
        @Nullable var errorCode: Int64?
        var lastHealthCheckDateTime: String

    }
}

/// `route --format json`: the pool's rules, the chosen host (null when none) and every candidate.
struct RoutingResult: Encodable {
    var hostPool: String
    var loadBalancerType: String
    @Nullable var maxSessionLimit: Int64?
    @Nullable var sessionHost: String?
    var reason: String
    var candidates: [Candidate]

    struct Candidate: Encodable {
        var name: String
        var status: String
        var allowNewSession: Bool
        var sessions: Int
        var eligible: Bool
        var reason: String
    }

    init(_ decision: RoutingDecision) {
        hostPool = decision.hostPool
        loadBalancerType = decision.loadBalancerType.rawValue
        maxSessionLimit = decision.maxSessionLimit
        sessionHost = decision.chosen?.name
        reason = decision.explanation
        candidates = decision.verdicts.map {
            Candidate(name: $0.host.name, status: $0.host.status.rawValue, allowNewSession: $0.host.allowNewSession,
                      sessions: $0.host.sessions, eligible: $0.eligible, reason: $0.reason)
        }
    }

}
