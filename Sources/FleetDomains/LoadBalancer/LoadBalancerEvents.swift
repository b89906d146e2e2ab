import FleetEvents

// The Load Balancer events of the ingest contract (docs/events.md), each declared once (fields append only: stored rows
// name a field by its position).

extension StreamKind {
    /// A load balancer: its probes, rules and pools.
    package static let loadBalancer = StreamKind("lb", fields: ["loadBalancer"])
    /// One address of one backend pool.
    package static let backendAddress = StreamKind("lb", fields: ["loadBalancer", "backendPool", "ipAddress"])
    /// One address of a load balancer, whatever pools hold it: where probe results and platform
    /// reports are kept (three segments, so it never collides with a backend address's four).
    package static let loadBalancerAddress = StreamKind("lb", fields: ["loadBalancer", "ipAddress"])
}

/// Names one backend address: its load balancer, backend pool and IP address.
package struct BackendAddressID: Hashable, Sendable, Comparable {
    package var loadBalancer: String
    package var backendPool: String
    package var ipAddress: String

    package init(loadBalancer: String, backendPool: String, ipAddress: String) {
        self.loadBalancer = loadBalancer
        self.backendPool = backendPool
        self.ipAddress = ipAddress
    }

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        backendPool = try reader.name("backendPool")
        ipAddress = try reader.ipAddress("ipAddress")
    }

    package var streamKey: StreamKey { StreamKind.backendAddress.key(loadBalancer, backendPool, ipAddress) }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.loadBalancer, lhs.backendPool, lhs.ipAddress) < (rhs.loadBalancer, rhs.backendPool, rhs.ipAddress)
    }
}

package struct LoadBalancerConfigured: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "LoadBalancerConfigured", code: 30,
        summary: "A load balancer exists, of this kind (`Regional`, `Global` or `Gateway`).",
        fields: ["loadBalancer", "kind"],
        stream: .loadBalancer,
        sample: #"{"loadBalancer":"lb-web","kind":"Global"}"#, decode: Self.init)

    package var loadBalancer: String
    package var kind: LoadBalancerKind

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        kind = try reader.optionalEnum("kind") ?? .regional
    }
}

/// Azure's `Probe` resource settings, validated as Azure validates them.
package struct HealthProbeConfigured: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "HealthProbeConfigured", code: 31,
        summary: "A health probe of a load balancer, with its whole configuration: protocol, port, interval, `probeThreshold`, path.",
        fields: ["loadBalancer", "probe", "protocol", "port", "intervalInSeconds", "probeThreshold", "requestPath", "noHealthyBackendsBehavior"],
        stream: .loadBalancer,
        sample: #"{"loadBalancer":"lb-web","probe":"http-80","protocol":"Http","port":80,"intervalInSeconds":5,"probeThreshold":2,"requestPath":"/","noHealthyBackendsBehavior":"AllProbedUp"}"#, decode: Self.init)

    package var loadBalancer: String
    package var probe: String
    package var `protocol`: ProbeProtocol
    package var port: Int64
    package var intervalInSeconds: Int64
    package var probeThreshold: Int64
    package var requestPath: String?
    package var noHealthyBackendsBehavior: NoHealthyBackendsBehavior

    package init(_ reader: borrowing FieldReader) throws(InputError) {
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

package struct LoadBalancingRuleConfigured: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "LoadBalancingRuleConfigured", code: 32,
        summary: "A load-balancing rule: which backend pool it sends traffic to and which probe judges the pool's addresses.",
        fields: ["loadBalancer", "rule", "backendPool", "probe"],
        stream: .loadBalancer,
        sample: #"{"loadBalancer":"lb-web","rule":"r1","backendPool":"pool","probe":"http-80"}"#, decode: Self.init)

    package var loadBalancer: String
    package var rule: String
    package var backendPool: String
    /// Nil for a rule with no health probe, which has no health status.
    package var probe: String?

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        rule = try reader.name("rule")
        backendPool = try reader.name("backendPool")
        probe = try reader.has("probe") ? reader.name("probe") : nil
    }
}

package struct BackendAddressAdded: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "BackendAddressAdded", code: 33,
        summary: "An IP address joined a backend pool of a load balancer.",
        fields: ["loadBalancer", "backendPool", "ipAddress", "networkInterfaceIPConfigurationId", "regionalLoadBalancer"],
        stream: .backendAddress,
        sample: #"{"loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4","networkInterfaceIPConfigurationId":"/subscriptions/s/nic","regionalLoadBalancer":"lb-east"}"#, decode: Self.init)

    package var address: BackendAddressID
    package var networkInterfaceIPConfigurationId: String?
    /// For a global load balancer: the regional load balancer behind this address.
    package var regionalLoadBalancer: String?

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        address = try BackendAddressID(reader)
        networkInterfaceIPConfigurationId = try reader.optionalString("networkInterfaceIPConfigurationId")
        regionalLoadBalancer = try reader.has("regionalLoadBalancer") ? reader.name("regionalLoadBalancer") : nil
    }
}

package struct BackendAddressRemoved: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "BackendAddressRemoved", code: 34,
        summary: "An IP address left a backend pool.",
        fields: ["loadBalancer", "backendPool", "ipAddress"],
        stream: .backendAddress,
        sample: #"{"loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4"}"#, decode: Self.init)

    package var address: BackendAddressID

    package init(_ reader: borrowing FieldReader) throws(InputError) { address = try BackendAddressID(reader) }
}

package struct BackendAdminStateChanged: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "BackendAdminStateChanged", code: 35,
        summary: "An operator set a backend address's admin state (`Up`, `Down` or `None`), which overrides its probes.",
        fields: ["loadBalancer", "backendPool", "ipAddress", "adminState"],
        stream: .backendAddress,
        sample: #"{"loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4","adminState":"Down"}"#, decode: Self.init)

    package var address: BackendAddressID
    package var adminState: AdminState

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        address = try BackendAddressID(reader)
        adminState = try reader.enumValue("adminState")
    }
}

package struct BackendPowerStateChanged: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "BackendPowerStateChanged", code: 36,
        summary: "The VM behind a backend address was powered on or off.",
        fields: ["loadBalancer", "backendPool", "ipAddress", "poweredOn"],
        stream: .backendAddress,
        sample: #"{"loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4","poweredOn":false}"#, decode: Self.init)

    package var address: BackendAddressID
    package var poweredOn: Bool

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        address = try BackendAddressID(reader)
        poweredOn = try reader.bool("poweredOn")
    }
}

package struct ProbeResultRecorded: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ProbeResultRecorded", code: 37,
        summary: "One probe's result for one address: success, or why it failed. Up and down follow from runs of results against the probe's `probeThreshold`.",
        fields: ["loadBalancer", "probe", "ipAddress", "outcome", "statusCode", "latencyMs"],
        stream: .loadBalancerAddress,
        sample: #"{"loadBalancer":"lb-web","probe":"http-80","ipAddress":"10.0.0.4","outcome":"HttpStatusCode","statusCode":503,"latencyMs":12.5}"#, decode: ProbeResultRecorded.init)

    package var loadBalancer: String { fields.loadBalancer }
    package var probe: String { fields.probe }
    package var ipAddress: String { fields.ipAddress }
    package var outcome: ProbeOutcome { fields.outcome }
    package var statusCode: Int64? { fields.statusCode }
    package var latencyMs: Double? { fields.latencyMs }
    /// The entities a fold of this result looks up, built once where the event is decoded (on the
    /// decoding thread of an append or a replay) rather than by every fold on the folding thread.
    package var healthKey: StreamKey { fields.healthKey }
    package var loadBalancerKey: StreamKey { fields.loadBalancerKey }
    /// `probe`, hashed once, as the key of the load balancer's probe settings the folds look up.
    package var probeName: ProbeName { fields.probeName }

    /// The values, held once: most events of a fleet are probe results, and every fold that reads
    /// one copies it, which costs one reference count this way and one per string and key held
    /// inline (Tools/Benchmark/HISTORY.md, item 33).
    private let fields: Fields

    private final class Fields: Sendable {
        let loadBalancer: String, probe: String, ipAddress: String
        let outcome: ProbeOutcome
        let statusCode: Int64?
        let latencyMs: Double?
        let healthKey: StreamKey, loadBalancerKey: StreamKey
        let probeName: ProbeName

        init(_ reader: borrowing FieldReader) throws(InputError) {
            loadBalancer = try reader.name("loadBalancer")
            probe = try reader.name("probe")
            ipAddress = try reader.ipAddress("ipAddress")
            outcome = try reader.enumValue("outcome")
            statusCode = try reader.optionalInt("statusCode", in: 100...599)
            latencyMs = try reader.optionalDouble("latencyMs", atLeast: 0)
            if outcome != .httpStatusCode { try reader.forbid("statusCode", because: "unless outcome is HttpStatusCode") }
            healthKey = reader.key(.probeHealth, loadBalancer, probe, ipAddress)
            loadBalancerKey = reader.key(.loadBalancer, loadBalancer)
            probeName = ProbeName(probe)
        }
    }

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        fields = try Fields(reader)
    }

    /// Equal when the contract's fields are: the keys and the probe's name are derived from them.
    package static func == (lhs: ProbeResultRecorded, rhs: ProbeResultRecorded) -> Bool {
        (lhs.loadBalancer, lhs.probe, lhs.ipAddress, lhs.outcome, lhs.statusCode, lhs.latencyMs)
            == (rhs.loadBalancer, rhs.probe, rhs.ipAddress, rhs.outcome, rhs.statusCode, rhs.latencyMs)
    }
}

package struct PlatformHealthReported: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "PlatformHealthReported", code: 38,
        summary: "Azure's platform reported an address `Up` or `Down` whatever the probes say, until a report `Cleared` it.",
        fields: ["loadBalancer", "ipAddress", "state"],
        stream: .loadBalancerAddress,
        sample: #"{"loadBalancer":"lb-web","ipAddress":"10.0.0.4","state":"Down"}"#, decode: Self.init)

    package var loadBalancer: String
    package var ipAddress: String
    package var state: PlatformHealthState

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        loadBalancer = try reader.name("loadBalancer")
        ipAddress = try reader.ipAddress("ipAddress")
        state = try reader.enumValue("state")
    }
}

/// What Azure reported about one backend address on one rule (imported from the rule's
/// `LoadBalancerHealthPerRule`): its `state` and `reason` as Azure derived them, not the store.
package struct BackendHealthObserved: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "BackendHealthObserved", code: 39,
        summary: "Observed from Azure: a backend address's `state` and `reason` on one rule, as the rule's health reported them (both absent: a powered-off backend, whose health Azure cannot retrieve). While a rule's backend has an observation, Azure's word is its health on that rule.",
        fields: ["loadBalancer", "backendPool", "ipAddress", "rule", "state", "reason"],
        stream: .backendAddress,
        sample: #"{"loadBalancer":"lb-web","backendPool":"pool","ipAddress":"10.0.0.4","rule":"r1","state":"Down","reason":"Down_Probe_HttpStatusCodeError"}"#, decode: Self.init)

    package var address: BackendAddressID
    package var rule: String
    package var state: BackendHealthState?
    /// Azure's reason code (`Down_Probe_HttpStatusCodeError`, ...): a code newer than this version
    /// is kept as Azure spelled it, since Azure's specification makes it a plain string.
    package var reason: String?

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        address = try BackendAddressID(reader)
        rule = try reader.name("rule")
        state = try reader.optionalEnum("state")
        reason = try reader.optionalString("reason", maxLength: 100)
        if state == nil, reader.has("reason") { try reader.forbid("reason", because: "without a state: a powered-off backend has neither") }
        if state == .unknown { try reader.forbid("state", because: "as an empty string; leave state out for a powered-off backend") }
    }
}
