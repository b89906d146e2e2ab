import FleetEvents

/// One event read from input, decoded and validated, ready to be appended.
struct IncomingEvent: Sendable {
    var type: EventDeclaration
    var at: Timestamp
    var payload: any EventData
    var id: EventID?
    /// The version the stream must have before this event (0: the stream must not exist yet).
    var expectedVersion: Int64?
    var streamKey: StreamKey
    /// The `data` object's members, as given.
    var data: [JSONMember]
    /// `data` as the canonical JSON the hash chain covers, rendered once, where the input is read.
    var canonicalDataBytes: [UInt8]
    /// `data` in the log's compact form (PayloadCodec).
    var payloadBytes: [UInt8]

    /// `data` in canonical form: compact JSON with sorted keys.
    var canonicalData: String {
        var writer = JSONWriter()
        writer.write(.object(data))
        return writer.text
    }

    /// Envelope fields a producer writes.
    static let envelopeFields = ["type", "at", "data", "id", "expectedVersion"]
    /// Fields that `events --format ndjson` adds; accepted on input so an exported log can be
    /// appended to another store, which assigns its own positions.
    static let exportFields = ["seq", "stream", "version", "recordedAt"]

    /// Decodes one NDJSON line.
    init(line: UnsafeBufferPointer<UInt8>, catalog: EventCatalog) throws(InputError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw InputError(field: nil, "is not valid JSON: \(error.description)")
        }
        guard case .object(let envelope) = value else {
            throw InputError(field: nil, "must be a JSON object, not \(value.kindDescription)")
        }
        try self.init(envelope: envelope, catalog: catalog)
    }

    init(envelope: [JSONMember], catalog: EventCatalog) throws(InputError) {
        let known = Self.envelopeFields + Self.exportFields
        for member in envelope where !known.contains(member.key) {
            throw InputError(
                field: member.key,
                "is not an envelope field; an event has type, at, data and optionally id and expectedVersion"
                    + didYouMean(member.key, among: Self.envelopeFields)
            )
        }
        guard let typeValue = envelope["type"] else { throw InputError(field: "type", "is missing") }
        guard case .string(let typeName) = typeValue else {
            throw InputError(field: "type", "must be a string, not \(typeValue.kindDescription)")
        }
        guard let type = catalog[name: typeName] else {
            throw InputError(
                field: "type",
                "is \"\(typeName)\", which is not a known event type\(didYouMean(typeName, among: catalog.names))"
            )
        }
        self.type = type

        guard let atValue = envelope["at"] else { throw InputError(field: "at", "is missing") }
        guard case .string(let atText) = atValue else {
            throw InputError(field: "at", "must be an RFC 3339 time string, not \(atValue.kindDescription)")
        }
        switch Timestamp.parse(atText) {
        case .success(let time): at = time
        case .failure(let error): throw InputError(field: "at", "is \"\(atText)\", which is not an RFC 3339 time: \(error.reason)")
        }

        guard let dataValue = envelope["data"] else { throw InputError(field: "data", "is missing") }
        guard case .object(let data) = dataValue else {
            throw InputError(field: "data", "must be an object, not \(dataValue.kindDescription)")
        }
        payload = try type.decode(data, checking: .append)
        streamKey = type.streamKey(of: data)
        self.data = data
        var canonical = JSONWriter(capacity: 160)
        canonical.write(dataValue)
        canonicalDataBytes = canonical.bytes
        var compact: [UInt8] = []
        compact.reserveCapacity(32)
        PayloadCodec.encode(type: type, data: data, into: &compact)
        payloadBytes = compact

        switch envelope["id"] {
        case nil, .null?: id = nil
        case .string(let text)?:
            guard let parsed = EventID(text) else {
                throw InputError(field: "id", "is \"\(text)\", which is not a UUID (8-4-4-4-12 hexadecimal digits)")
            }
            id = parsed
        case let other?: throw InputError(field: "id", "must be a UUID string, not \(other.kindDescription)")
        }

        switch envelope["expectedVersion"] {
        case nil, .null?: expectedVersion = nil
        case .int(let version)? where version >= 0: expectedVersion = version
        case .int(let version)?: throw InputError(field: "expectedVersion", "is \(version); it must be 0 or more")
        case let other?: throw InputError(field: "expectedVersion", "must be an integer, not \(other.kindDescription)")
        }

        if case .string(let givenStream)? = envelope["stream"], givenStream != streamKey.rawValue {
            throw InputError(field: "stream", "is \"\(givenStream)\", but this \(type.name) event belongs to stream \"\(streamKey)\"")
        }
    }
}

/// A producer's event id: a UUID, kept as its 16 bytes and shown in lower case.
struct EventID: Hashable, Sendable, CustomStringConvertible {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "an event id has 16 bytes")
        self.bytes = bytes
    }

    /// Parses the 8-4-4-4-12 hexadecimal form, in either case.
    init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var index = 0
        while index < 36 {
            if [8, 13, 18, 23].contains(index) {
                guard utf8[index] == UInt8(ascii: "-") else { return nil }
                index += 1
                continue
            }
            guard index + 1 < 36, let high = Self.hexValue(utf8[index]), let low = Self.hexValue(utf8[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    var description: String {
        var text: [UInt8] = []
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the 8-4-4-4-12 lower-case form to `text`.
    func appendText(to text: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
