import FleetEvents

// The Azure Virtual Desktop events of the ingest contract (docs/events.md), each declared once: its name and code, its
// fields (append only: stored rows name a field by its position in the list), its stream, its
// decoder (the initializer) and a sample.

extension StreamKind {
    /// A host pool: its settings and its session host update operations.
    package static let hostPool = StreamKind("hostpool", fields: ["hostPool"])
    /// One session host of one pool.
    package static let sessionHost = StreamKind("sessionhost", fields: ["hostPool", "sessionHost"])
}

/// Names one session host: the pool it belongs to and its name within the pool.
package struct SessionHostID: Hashable, Sendable, Comparable {
    package var hostPool: String
    package var sessionHost: String

    package init(hostPool: String, sessionHost: String) {
        self.hostPool = hostPool
        self.sessionHost = sessionHost
    }

    init(_ reader: borrowing FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        sessionHost = try reader.name("sessionHost")
    }

    package var streamKey: StreamKey { StreamKind.sessionHost.key(hostPool, sessionHost) }

    package static func < (lhs: Self, rhs: Self) -> Bool { (lhs.hostPool, lhs.sessionHost) < (rhs.hostPool, rhs.sessionHost) }
}

/// An event about one session host, on the host's own stream.
package protocol SessionHostEvent: EventData {
    var host: SessionHostID { get }
}

package struct HostPoolConfigured: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "HostPoolConfigured", code: 1,
        summary: "A host pool's settings: how new sessions are spread over its hosts and how many each may take. Each event states the whole configuration; an absent setting is Azure's default.",
        fields: ["hostPool", "loadBalancerType", "maxSessionLimit"], stream: .hostPool,
        sample: #"{"hostPool":"hp1","loadBalancerType":"DepthFirst","maxSessionLimit":4}"#, decode: Self.init)

    package var hostPool: String
    package var loadBalancerType: LoadBalancerType?
    package var maxSessionLimit: Int64?

    init(_ reader: borrowing FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        loadBalancerType = try reader.optionalEnum("loadBalancerType")
        maxSessionLimit = try reader.optionalInt("maxSessionLimit", in: 1...999_999)
    }
}

package struct SessionHostRegistered: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "SessionHostRegistered", code: 2,
        summary: "A session host joined the pool (or joined again after removal), with its agent version and VM id when known.",
        fields: ["hostPool", "sessionHost", "agentVersion", "virtualMachineId"],
        stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","agentVersion":"1.0","virtualMachineId":"vm-guid"}"#, decode: Self.init)

    package var host: SessionHostID
    package var agentVersion: String?
    package var virtualMachineId: String?

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        agentVersion = try reader.optionalString("agentVersion")
        virtualMachineId = try reader.optionalString("virtualMachineId")
    }
}

package struct SessionHostRemoved: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "SessionHostRemoved", code: 3,
        summary: "A session host left the pool; its sessions end with it.",
        fields: ["hostPool", "sessionHost"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0"}"#, decode: Self.init)

    package var host: SessionHostID

    init(_ reader: borrowing FieldReader) throws(InputError) { host = try SessionHostID(reader) }
}

package struct HealthCheckCompleted: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "HealthCheckCompleted", code: 4,
        summary: "The session host agent ran one health check (`DomainJoinedCheck`, `SxSStackListenerCheck`, ...) with this result; the host's status follows from its latest results.",
       
        fields: ["hostPool", "sessionHost", "healthCheckName", "healthCheckResult", "errorCode", "message"],
        stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":-2147467259,"message":"no domain"}"#,
        decode: Self.init)

    package var host: SessionHostID
    package var healthCheckName: HealthCheckName
    package var healthCheckResult: HealthCheckResult
    package var errorCode: Int64?
    package var message: String?

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        healthCheckName = try reader.enumValue("healthCheckName")
        healthCheckResult = try reader.enumValue("healthCheckResult")
        errorCode = try reader.optionalInt("errorCode", in: Int64(Int32.min)...Int64(UInt32.max))
        message = try reader.optionalString("message")
    }
}

package struct AgentHeartbeatReceived: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "AgentHeartbeatReceived", code: 5,
        summary: "The session host agent's heartbeat: the host's agent is alive.",
        fields: ["hostPool", "sessionHost"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0"}"#, decode: Self.init)

    package var host: SessionHostID

    init(_ reader: borrowing FieldReader) throws(InputError) { host = try SessionHostID(reader) }
}

package struct PowerStateChanged: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "PowerStateChanged", code: 6,
        summary: "The host's VM changed power state; `reportedByAgent` says whether the agent reported the shutdown before it went.",
        fields: ["hostPool", "sessionHost", "powerState", "reportedByAgent"],
        stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","powerState":"Deallocated","reportedByAgent":true}"#, decode: Self.init)

    package var host: SessionHostID
    package var powerState: PowerState
    /// True when the agent told the broker before the host went down (status `Shutdown`).
    package var reportedByAgent: Bool

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        powerState = try reader.enumValue("powerState")
        reportedByAgent = try reader.optionalBool("reportedByAgent") ?? false
        if powerState == .running, reader.has("reportedByAgent") {
            try reader.forbid("reportedByAgent", because: "when powerState is Running; it says how a host went down")
        }
    }
}

package struct AgentUpgradeStarted: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "AgentUpgradeStarted", code: 7,
        summary: "The session host agent began upgrading itself.",
        fields: ["hostPool", "sessionHost", "targetVersion"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","targetVersion":"1.1"}"#, decode: Self.init)

    package var host: SessionHostID
    package var targetVersion: String?

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        targetVersion = try reader.optionalString("targetVersion")
    }
}

package struct AgentUpgradeCompleted: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "AgentUpgradeCompleted", code: 8,
        summary: "The session host agent finished upgrading, to `agentVersion`.",
        fields: ["hostPool", "sessionHost", "agentVersion"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","agentVersion":"1.1"}"#, decode: Self.init)

    package var host: SessionHostID
    package var agentVersion: String

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        agentVersion = try reader.string("agentVersion")
    }
}

package struct AgentUpgradeFailed: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "AgentUpgradeFailed", code: 9,
        summary: "The session host agent's upgrade failed.",
        fields: ["hostPool", "sessionHost", "message"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","message":"timeout"}"#, decode: Self.init)

    package var host: SessionHostID
    package var message: String?

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        message = try reader.optionalString("message")
    }
}

package struct DrainModeChanged: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "DrainModeChanged", code: 10,
        summary: "Drain mode turned on (`allowNewSession` false: no new sessions) or off, with who did it and why.",
        fields: ["hostPool", "sessionHost", "allowNewSession", "actor", "reason"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","allowNewSession":false,"actor":"alice","reason":"patching"}"#, decode: Self.init)

    package var host: SessionHostID
    /// False puts the host in drain mode: no new sessions, existing ones continue.
    package var allowNewSession: Bool
    package var attribution: Attribution

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        allowNewSession = try reader.bool("allowNewSession")
        attribution = try Attribution(reader)
    }

    /// The NDJSON line the `drain` command appends.
    package static func line(pool: String, host: String, allowNewSession: Bool, attribution: Attribution, at: Timestamp) -> String {
        EventLine.envelope(type: declaration.name, at: at, data: [
            JSONMember(key: "hostPool", value: .string(pool)),
            JSONMember(key: "sessionHost", value: .string(host)),
            JSONMember(key: "allowNewSession", value: .bool(allowNewSession)),
        ] + attribution.members)
    }
}

package struct UserSessionStarted: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "UserSessionStarted", code: 11,
        summary: "A user signed in to the session host.",
        fields: ["hostPool", "sessionHost", "user"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","user":"ana@contoso.com"}"#, decode: Self.init)

    package var host: SessionHostID
    package var user: String

    init(_ reader: borrowing FieldReader) throws(InputError) {
        (host, user) = try readUserSession(reader)
    }
}

package struct UserSessionEnded: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "UserSessionEnded", code: 12,
        summary: "A user signed out of the session host.",
        fields: ["hostPool", "sessionHost", "user"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","user":"ana@contoso.com"}"#, decode: Self.init)

    package var host: SessionHostID
    package var user: String

    init(_ reader: borrowing FieldReader) throws(InputError) {
        (host, user) = try readUserSession(reader)
    }
}

private func readUserSession(_ reader: FieldReader) throws(InputError) -> (SessionHostID, String) {
    let host = try SessionHostID(reader)
    let user = try reader.string("user")
    guard !user.isEmpty else { throw InputError(field: reader.fieldPath("user"), "must not be empty") }
    return (host, user)
}

extension SessionHostStatus: ContractEnum {}

/// What Azure reported about a session host (imported from its `SessionHost` resource): its
/// status or drain mode as Azure had them at `at`, not derived by the store's rules.
package struct SessionHostObserved: SessionHostEvent, Equatable {
    package static let declaration = EventDeclaration(
        "SessionHostObserved", code: 13,
        summary: "Observed from Azure: the session host's `status` (at its `statusTimestamp`) or `allowNewSession` as Azure reported them, and the resource's `resourceId`. The newer of Azure's status and the store's own rules wins.",
        fields: ["hostPool", "sessionHost", "status", "allowNewSession", "resourceId"], stream: .sessionHost,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","status":"NoHeartbeat","resourceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.DesktopVirtualization/hostPools/hp1/sessionHosts/sh-0"}"#,
        decode: Self.init)

    package var host: SessionHostID
    package var status: SessionHostStatus?
    package var allowNewSession: Bool?
    package var resourceId: String?

    init(_ reader: borrowing FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        status = try reader.optionalEnum("status")
        allowNewSession = try reader.optionalBool("allowNewSession")
        resourceId = try reader.optionalString("resourceId")
        guard status != nil || allowNewSession != nil || resourceId != nil else {
            throw InputError(field: reader.fieldPath("status"), "is missing; SessionHostObserved needs status, allowNewSession or resourceId")
        }
    }
}
