import FleetEvents

// The VM Scale Set Application Health extension events of the ingest contract (docs/events.md), each declared once (fields
// append only: stored rows name a field by its position).

extension StreamKind {
    /// A scale set: its Application Health extension settings and health source.
    package static let scaleSet = StreamKind("vmss", fields: ["scaleSet"])
    /// One instance of a scale set.
    package static let scaleSetInstance = StreamKind("vmss", fields: ["scaleSet", "instanceId"])
}

/// Names one scale set instance.
package struct ScaleSetInstanceID: Hashable, Sendable, Comparable {
    package var scaleSet: String
    package var instanceId: String

    package init(scaleSet: String, instanceId: String) {
        self.scaleSet = scaleSet
        self.instanceId = instanceId
    }

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        scaleSet = try reader.name("scaleSet")
        instanceId = try reader.name("instanceId")
    }

    package var streamKey: StreamKey { StreamKind.scaleSetInstance.key(scaleSet, instanceId) }

    package static func < (lhs: Self, rhs: Self) -> Bool { (lhs.scaleSet, lhs.instanceId) < (rhs.scaleSet, rhs.instanceId) }
}

/// The Application Health extension's settings, validated as the extension validates them
/// (docs/domain-rules.md, "Scale set instance health"), with its defaults filled in.
package struct ApplicationHealthExtensionConfigured: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ApplicationHealthExtensionConfigured", code: 40,
        summary: "A scale set's Application Health extension settings: what it probes, how often, and its grace period. Makes the extension the scale set's health source.",
        fields: ["scaleSet", "typeHandlerVersion", "protocol", "port", "requestPath", "intervalInSeconds", "numberOfProbes", "gracePeriod"],
        stream: .scaleSet,
        sample: #"{"scaleSet":"vmss1","typeHandlerVersion":"2.0","protocol":"https","port":443,"requestPath":"/health","intervalInSeconds":10,"numberOfProbes":3,"gracePeriod":600}"#, decode: Self.init)

    package static let maximumProbeWindowSeconds: Int64 = 240

    package var scaleSet: String
    package var typeHandlerVersion: TypeHandlerVersion
    package var `protocol`: ExtensionProtocol
    package var port: Int64?
    package var requestPath: String?
    package var intervalInSeconds: Int64
    package var numberOfProbes: Int64
    /// Seconds from extension start during which results are reported as `Initializing` (rich states).
    package var gracePeriod: Int64

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        scaleSet = try reader.name("scaleSet")
        typeHandlerVersion = try reader.enumValue("typeHandlerVersion")
        `protocol` = try reader.enumValue("protocol")
        port = try reader.optionalInt("port", in: 1...65_535)
        requestPath = try reader.optionalString("requestPath")
        intervalInSeconds = try reader.optionalInt("intervalInSeconds", in: 5...60) ?? 5
        numberOfProbes = try reader.optionalInt("numberOfProbes", in: 1...24) ?? 1
        let window = intervalInSeconds * numberOfProbes
        if `protocol` == .tcp {
            guard port != nil else {
                throw InputError(field: reader.fieldPath("port"), "is missing; the extension requires a port for tcp")
            }
            try reader.forbid("requestPath", because: "for tcp; the extension takes a requestPath only for http and https")
        }
        guard window <= Self.maximumProbeWindowSeconds else {
            throw InputError(
                field: reader.fieldPath("numberOfProbes"),
                "times intervalInSeconds is \(window) seconds; the extension allows at most \(Self.maximumProbeWindowSeconds)"
            )
        }
        if typeHandlerVersion == .binary {
            try reader.forbid("gracePeriod", because: "with typeHandlerVersion 1.0; the grace period belongs to rich health states (2.0)")
        }
        gracePeriod = try reader.optionalInt("gracePeriod", in: 5...14_400) ?? window
    }
}

package struct ScaleSetInstanceCreated: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ScaleSetInstanceCreated", code: 41,
        summary: "An instance of a scale set was created; the Application Health extension starts on it.",
        fields: ["scaleSet", "instanceId"],
        stream: .scaleSetInstance,
        sample: #"{"scaleSet":"vmss1","instanceId":"0"}"#, decode: Self.init)

    package var instance: ScaleSetInstanceID

    package init(_ reader: borrowing FieldReader) throws(InputError) { instance = try ScaleSetInstanceID(reader) }
}

package struct ScaleSetInstanceDeleted: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ScaleSetInstanceDeleted", code: 42,
        summary: "An instance of a scale set was deleted.",
        fields: ["scaleSet", "instanceId"],
        stream: .scaleSetInstance,
        sample: #"{"scaleSet":"vmss1","instanceId":"0"}"#, decode: Self.init)

    package var instance: ScaleSetInstanceID

    package init(_ reader: borrowing FieldReader) throws(InputError) { instance = try ScaleSetInstanceID(reader) }
}

/// One raw probe observation; the store derives the health state from it.
package struct ApplicationHealthProbed: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ApplicationHealthProbed", code: 43,
        summary: "One raw observation of the Application Health extension on an instance (HTTP status and body, TCP connect, or a timeout); the store derives the instance's health from it.",
        fields: ["scaleSet", "instanceId", "connected", "statusCode", "body", "timedOut"],
        stream: .scaleSetInstance,
        sample: #"{"scaleSet":"vmss1","instanceId":"0","statusCode":200,"body":"{\"ApplicationHealthState\":\"Healthy\"}"}"#, decode: Self.init)

    package let instance: ScaleSetInstanceID
    /// tcp: whether the handshake succeeded.
    package let connected: Bool?
    /// http/https: the response's status, nil when there was no response.
    package let statusCode: Int64?
    package let body: String?
    package let timedOut: Bool
    /// The rich health state `body` reports, read where the event is decoded rather than by every
    /// fold, off the folding thread that bounds a rebuild (Tools/Benchmark/HISTORY.md, item 24).
    package let bodyState: ApplicationHealthState
    /// The scale set's stream, whose extension settings judge the probe.
    package let scaleSetKey: StreamKey

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        instance = try ScaleSetInstanceID(reader)
        connected = try reader.optionalBool("connected")
        statusCode = try reader.optionalInt("statusCode", in: 100...599)
        body = try reader.optionalString("body")
        bodyState = Self.state(reportedBy: body)
        scaleSetKey = reader.key(.scaleSet, instance.scaleSet)
        timedOut = try reader.optionalBool("timedOut") ?? false
        if connected != nil {
            for field in ["statusCode", "body", "timedOut"] {
                try reader.forbid(field, because: "with connected; connected is a tcp result, \(field) an http one")
            }
        }
        if timedOut { try reader.forbid("statusCode", because: "when timedOut is true") }
    }

    static let healthyBody = #"{"ApplicationHealthState":"Healthy"}"#
    static let unhealthyBody = #"{"ApplicationHealthState":"Unhealthy"}"#

    /// The state a rich (2.0) response body reports: `{"ApplicationHealthState": "Healthy"}` or
    /// `"Unhealthy"`, the key matched case-insensitively (an exact match first), the value exactly;
    /// anything else is Unknown (docs/domain-rules.md, "Scale set instance health").
    static func state(reportedBy body: String?) -> ApplicationHealthState {
        // The two bodies nearly every probe returns, answered without parsing them
        // (Tools/Benchmark/HISTORY.md, item 26); a test holds these answers to the parser's.
        if body == healthyBody { return .healthy }
        if body == unhealthyBody { return .unhealthy }
        guard let body, case .object(let members)? = try? JSONParser.parse(body) else { return .unknown }
        let key = "ApplicationHealthState"
        let value = members[key] ?? members.first { $0.key.lowercased() == key.lowercased() }?.value
        switch value {
        case .string("Healthy")?: return .healthy
        case .string("Unhealthy")?: return .unhealthy
        default: return .unknown
        }
    }
}

/// Makes a load balancer's probe the scale set's health source (instead of the extension).
package struct ScaleSetHealthProbeConfigured: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ScaleSetHealthProbeConfigured", code: 44,
        summary: "Makes a load balancer probe the scale set's health source, instead of the Application Health extension.",
        fields: ["scaleSet", "loadBalancer", "probe"],
        stream: .scaleSet,
        sample: #"{"scaleSet":"vmss1","loadBalancer":"lb-web","probe":"http-80"}"#, decode: Self.init)

    package var scaleSet: String
    package var loadBalancer: String
    package var probe: String

    init(_ reader: borrowing FieldReader) throws(InputError) {
        scaleSet = try reader.name("scaleSet")
        loadBalancer = try reader.name("loadBalancer")
        probe = try reader.name("probe")
    }
}

/// Removes the scale set's health source, whichever it is (the extension or a load balancer probe).
package struct ScaleSetHealthSourceRemoved: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ScaleSetHealthSourceRemoved", code: 45,
        summary: "Removes the scale set's health source, whichever it is.",
        fields: ["scaleSet"], stream: .scaleSet,
        sample: #"{"scaleSet":"vmss1"}"#, decode: Self.init)

    package var scaleSet: String

    init(_ reader: borrowing FieldReader) throws(InputError) { scaleSet = try reader.name("scaleSet") }
}

extension ApplicationHealthState: ContractEnum {}

/// What Azure reported about a scale set resource (imported with its VMs): its id, which makes
/// the scale set known to the store.
package struct ScaleSetObserved: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ScaleSetObserved", code: 46,
        summary: "Observed from Azure: a scale set, made known by an import of its VMs or of one instance view, with its `resourceId` when the body gives it.",
        fields: ["scaleSet", "resourceId"],
        stream: .scaleSet,
        sample: #"{"scaleSet":"vmss1","resourceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss1"}"#,
        decode: Self.init)

    package var scaleSet: String
    package var resourceId: String?

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        scaleSet = try reader.name("scaleSet")
        resourceId = try reader.optionalString("resourceId")
    }
}

/// What Azure reported about one instance's health: its instance view's `vmHealth`, as
/// `healthState` (`HealthState/healthy` is `Healthy`). Absent: the instance view had no `vmHealth`:
/// the instance is known, and any health Azure reported before is withdrawn.
package struct ScaleSetInstanceHealthObserved: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "ScaleSetInstanceHealthObserved", code: 47,
        summary: "Observed from Azure: an instance's health as its instance view's `vmHealth` reported it (`healthState`), and its VM's `resourceId`. While an instance has an observation, Azure's word is its health.",
        fields: ["scaleSet", "instanceId", "healthState", "resourceId"],
        stream: .scaleSetInstance,
        sample: #"{"scaleSet":"vmss1","instanceId":"0","healthState":"Unhealthy"}"#, decode: Self.init)

    package var instance: ScaleSetInstanceID
    package var healthState: ApplicationHealthState?
    package var resourceId: String?

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        instance = try ScaleSetInstanceID(reader)
        healthState = try reader.optionalEnum("healthState")
        resourceId = try reader.optionalString("resourceId")
    }
}
