/// Names one backend address: its load balancer, backend pool and IP address.
struct BackendAddressID: Hashable, Sendable, Comparable {
    var loadBalancer: String
    var backendPool: String
    var ipAddress: String

    init(loadBalancer: String, backendPool: String, ipAddress: String) {
        self.loadBalancer = loadBalancer
        self.backendPool = backendPool
        self.ipAddress = ipAddress
    }

    init(_ reader: FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        backendPool = try reader.name("backendPool")
        ipAddress = try reader.name("ipAddress")
    }

    var streamKey: String { "lb/\(loadBalancer)/\(backendPool)/\(ipAddress)" }

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.loadBalancer, lhs.backendPool, lhs.ipAddress) < (rhs.loadBalancer, rhs.backendPool, rhs.ipAddress)
    }
}

struct LoadBalancerConfigured: Equatable, Sendable {
    var loadBalancer: String
    var kind: LoadBalancerKind

    init(_ reader: FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        kind = try reader.optionalEnum("kind") ?? .regional
    }
}

/// Azure's `Probe` resource settings, validated as Azure validates them.
struct HealthProbeConfigured: Equatable, Sendable {
    var loadBalancer: String
    var probe: String
    var `protocol`: ProbeProtocol
    var port: Int64
    var intervalInSeconds: Int64
    var probeThreshold: Int64
    var requestPath: String?
    var noHealthyBackendsBehavior: NoHealthyBackendsBehavior

    init(_ reader: FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        probe = try reader.name("probe")
        `protocol` = try reader.enumValue("protocol")
        port = try reader.int("port", in: 1...65_535)
        intervalInSeconds = try reader.optionalInt("intervalInSeconds", in: 5...Int64(Int32.max)) ?? 15
        probeThreshold = try reader.optionalInt("probeThreshold", in: 1...Int64(Int32.max)) ?? 1
        requestPath = try reader.optionalString("requestPath")
        noHealthyBackendsBehavior = try reader.optionalEnum("noHealthyBackendsBehavior") ?? .allProbedDown
        switch `protocol` {
        case .tcp:
            try reader.forbid("requestPath", because: "for a Tcp probe")
        case .http, .https:
            guard requestPath != nil else {
                throw InputError(field: reader.fieldPath("requestPath"), "is missing; an \(`protocol`.rawValue) probe requires it")
            }
        }
    }
}

struct LoadBalancingRuleConfigured: Equatable, Sendable {
    var loadBalancer: String
    var rule: String
    var backendPool: String
    /// Nil for a rule with no health probe, which has no health status.
    var probe: String?

    init(_ reader: FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        rule = try reader.name("rule")
        backendPool = try reader.name("backendPool")
        probe = try reader.has("probe") ? reader.name("probe") : nil
    }
}

struct BackendAddressAdded: Equatable, Sendable {
    var address: BackendAddressID
    var networkInterfaceIPConfigurationId: String?
    /// For a global load balancer: the regional load balancer behind this address.
    var regionalLoadBalancer: String?

    init(_ reader: FieldReader) throws(InputError) {
        address = try BackendAddressID(reader)
        networkInterfaceIPConfigurationId = try reader.optionalString("networkInterfaceIPConfigurationId")
        regionalLoadBalancer = try reader.has("regionalLoadBalancer") ? reader.name("regionalLoadBalancer") : nil
    }
}

struct BackendAdminStateChanged: Equatable, Sendable {
    var address: BackendAddressID
    var adminState: AdminState

    init(_ reader: FieldReader) throws(InputError) {
        address = try BackendAddressID(reader)
        adminState = try reader.enumValue("adminState")
    }
}

struct BackendPowerStateChanged: Equatable, Sendable {
    var address: BackendAddressID
    var poweredOn: Bool

    init(_ reader: FieldReader) throws(InputError) {
        address = try BackendAddressID(reader)
        poweredOn = try reader.bool("poweredOn")
    }
}

struct ProbeResultRecorded: Equatable, Sendable {
    var loadBalancer: String
    var probe: String
    var ipAddress: String
    var outcome: ProbeOutcome
    var statusCode: Int64?
    var latencyMs: Double?

    init(_ reader: FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        probe = try reader.name("probe")
        ipAddress = try reader.name("ipAddress")
        outcome = try reader.enumValue("outcome")
        statusCode = try reader.optionalInt("statusCode", in: 100...599)
        latencyMs = try reader.optionalDouble("latencyMs", atLeast: 0)
        if outcome != .httpStatusCode { try reader.forbid("statusCode", because: "unless outcome is HttpStatusCode") }
    }

    /// Probe results and platform reports are kept per address of the load balancer, whatever
    /// backend pools hold it: `lb/<loadBalancer>/<ipAddress>` (three parts, so it never collides
    /// with a backend address stream, which has four).
    var streamKey: String { "lb/\(loadBalancer)/\(ipAddress)" }
}

struct PlatformHealthReported: Equatable, Sendable {
    var loadBalancer: String
    var ipAddress: String
    var state: PlatformHealthState

    init(_ reader: FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        ipAddress = try reader.name("ipAddress")
        state = try reader.enumValue("state")
    }

    var streamKey: String { "lb/\(loadBalancer)/\(ipAddress)" }
}
