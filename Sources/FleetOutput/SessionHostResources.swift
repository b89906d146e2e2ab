import FleetDomains
import FleetEvents

/// Azure's SessionHost resource (`Microsoft.DesktopVirtualization/hostpools/sessionhosts`):
/// `name` is `<hostPool>/<sessionHost>`, and the properties carry Azure's names. Absent values
/// are written as null, as Azure writes them.
struct SessionHostResource: Encodable {
    var name: String
    var type = "Microsoft.DesktopVirtualization/hostpools/sessionhosts"
    var properties: Properties

    init(_ host: SessionHostState) {
        name = "\(host.hostPool)/\(host.name)"
        properties = Properties(host)
    }

    struct Properties: Encodable {
        var status: String
        var statusTimestamp: String
        var allowNewSession: Bool
        var sessions: Int
        var lastHeartBeat: String?
        var agentVersion: String?
        var virtualMachineId: String?
        var updateState: String
        var lastUpdateTime: String?
        var updateErrorMessage: String?
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

        enum CodingKeys: String, CodingKey {
            case status, statusTimestamp, allowNewSession, sessions, lastHeartBeat, agentVersion, virtualMachineId
            case updateState, lastUpdateTime, updateErrorMessage, sessionHostHealthCheckResults
        }

        // Written by hand only so that absent values are null rather than left out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(statusTimestamp, forKey: .statusTimestamp)
            try container.encode(allowNewSession, forKey: .allowNewSession)
            try container.encode(sessions, forKey: .sessions)
            try container.encode(lastHeartBeat, forKey: .lastHeartBeat)
            try container.encode(agentVersion, forKey: .agentVersion)
            try container.encode(virtualMachineId, forKey: .virtualMachineId)
            try container.encode(updateState, forKey: .updateState)
            try container.encode(lastUpdateTime, forKey: .lastUpdateTime)
            try container.encode(updateErrorMessage, forKey: .updateErrorMessage)
            try container.encode(sessionHostHealthCheckResults, forKey: .sessionHostHealthCheckResults)
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
        var message: String?
        var errorCode: Int64?
        var lastHealthCheckDateTime: String

        enum CodingKeys: String, CodingKey { case message, errorCode, lastHealthCheckDateTime }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(errorCode, forKey: .errorCode)
            try container.encode(lastHealthCheckDateTime, forKey: .lastHealthCheckDateTime)
        }
    }
}

/// `route --format json`: the pool's rules, the chosen host (null when none) and every candidate.
struct RoutingResult: Encodable {
    var hostPool: String
    var loadBalancerType: String
    var maxSessionLimit: Int64?
    var sessionHost: String?
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

    enum CodingKeys: String, CodingKey { case hostPool, loadBalancerType, maxSessionLimit, sessionHost, reason, candidates }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hostPool, forKey: .hostPool)
        try container.encode(loadBalancerType, forKey: .loadBalancerType)
        try container.encode(maxSessionLimit, forKey: .maxSessionLimit)
        try container.encode(sessionHost, forKey: .sessionHost)
        try container.encode(reason, forKey: .reason)
        try container.encode(candidates, forKey: .candidates)
    }
}
