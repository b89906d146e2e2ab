/// Names one session host: the pool it belongs to and its name within the pool.
struct SessionHostID: Hashable, Sendable, Comparable {
    var hostPool: String
    var sessionHost: String

    init(hostPool: String, sessionHost: String) {
        self.hostPool = hostPool
        self.sessionHost = sessionHost
    }

    init(_ reader: FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        sessionHost = try reader.name("sessionHost")
    }

    var streamKey: String { "sessionhost/\(hostPool)/\(sessionHost)" }

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.hostPool, lhs.sessionHost) < (rhs.hostPool, rhs.sessionHost) }
}

struct HostPoolConfigured: Equatable, Sendable {
    var hostPool: String
    var loadBalancerType: LoadBalancerType?
    var maxSessionLimit: Int64?

    init(_ reader: FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        loadBalancerType = try reader.optionalEnum("loadBalancerType")
        maxSessionLimit = try reader.optionalInt("maxSessionLimit", in: 1...999_999)
    }
}

struct SessionHostRegistered: Equatable, Sendable {
    var host: SessionHostID
    var agentVersion: String?
    var virtualMachineId: String?

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        agentVersion = try reader.optionalString("agentVersion")
        virtualMachineId = try reader.optionalString("virtualMachineId")
    }
}

struct HealthCheckCompleted: Equatable, Sendable {
    var host: SessionHostID
    var healthCheckName: HealthCheckName
    var healthCheckResult: HealthCheckResult
    var errorCode: Int64?
    var message: String?

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        healthCheckName = try reader.enumValue("healthCheckName")
        healthCheckResult = try reader.enumValue("healthCheckResult")
        errorCode = try reader.optionalInt("errorCode", in: Int64(Int32.min)...Int64(UInt32.max))
        message = try reader.optionalString("message")
    }
}

struct PowerStateChanged: Equatable, Sendable {
    var host: SessionHostID
    var powerState: PowerState
    /// True when the agent told the broker before the host went down (status `Shutdown`).
    var reportedByAgent: Bool

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        powerState = try reader.enumValue("powerState")
        reportedByAgent = try reader.optionalBool("reportedByAgent") ?? false
        if powerState == .running, reader.has("reportedByAgent") {
            try reader.forbid("reportedByAgent", because: "when powerState is Running; it says how a host went down")
        }
    }
}

struct AgentUpgradeStarted: Equatable, Sendable {
    var host: SessionHostID
    var targetVersion: String?

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        targetVersion = try reader.optionalString("targetVersion")
    }
}

struct AgentUpgradeCompleted: Equatable, Sendable {
    var host: SessionHostID
    var agentVersion: String

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        agentVersion = try reader.string("agentVersion")
    }
}

struct AgentUpgradeFailed: Equatable, Sendable {
    var host: SessionHostID
    var message: String?

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        message = try reader.optionalString("message")
    }
}

struct DrainModeChanged: Equatable, Sendable {
    var host: SessionHostID
    /// False puts the host in drain mode: no new sessions, existing ones continue.
    var allowNewSession: Bool

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        allowNewSession = try reader.bool("allowNewSession")
    }
}

struct UserSessionChanged: Equatable, Sendable {
    var host: SessionHostID
    var user: String

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        user = try reader.string("user")
        guard !user.isEmpty else { throw InputError(field: reader.fieldPath("user"), "must not be empty") }
    }
}
