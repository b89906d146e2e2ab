/// Names one scale set instance.
struct ScaleSetInstanceID: Hashable, Sendable, Comparable {
    var scaleSet: String
    var instanceId: String

    init(scaleSet: String, instanceId: String) {
        self.scaleSet = scaleSet
        self.instanceId = instanceId
    }

    init(_ reader: FieldReader) throws(InputError) {
        scaleSet = try reader.name("scaleSet")
        instanceId = try reader.name("instanceId")
    }

    var streamKey: String { "vmss/\(scaleSet)/\(instanceId)" }

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.scaleSet, lhs.instanceId) < (rhs.scaleSet, rhs.instanceId) }
}

/// The Application Health extension's settings, validated as the extension validates them
/// (DOMAIN.md section 4), with its defaults filled in.
struct ApplicationHealthExtensionConfigured: Equatable, Sendable {
    static let maximumProbeWindowSeconds: Int64 = 240

    var scaleSet: String
    var typeHandlerVersion: TypeHandlerVersion
    var `protocol`: ExtensionProtocol
    var port: Int64?
    var requestPath: String?
    var intervalInSeconds: Int64
    var numberOfProbes: Int64
    /// Seconds from extension start during which results are reported as `Initializing` (rich states).
    var gracePeriod: Int64

    init(_ reader: FieldReader) throws(InputError) {
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

/// One raw probe observation; the store derives the health state from it.
struct ApplicationHealthProbed: Equatable, Sendable {
    var instance: ScaleSetInstanceID
    /// tcp: whether the handshake succeeded.
    var connected: Bool?
    /// http/https: the response's status, nil when there was no response.
    var statusCode: Int64?
    var body: String?
    var timedOut: Bool

    init(_ reader: FieldReader) throws(InputError) {
        instance = try ScaleSetInstanceID(reader)
        connected = try reader.optionalBool("connected")
        statusCode = try reader.optionalInt("statusCode", in: 100...599)
        body = try reader.optionalString("body")
        timedOut = try reader.optionalBool("timedOut") ?? false
        if connected != nil {
            for field in ["statusCode", "body", "timedOut"] {
                try reader.forbid(field, because: "with connected; connected is a tcp result, \(field) an http one")
            }
        }
        if timedOut { try reader.forbid("statusCode", because: "when timedOut is true") }
    }
}
