import FleetEvents

/// One event read from input, decoded and validated, ready to be appended.
///
/// A class: the appending thread, which bounds ingest, takes each event from the decoding
/// thread's chunk, and copying a struct of this many references cost it a retain and a release
/// of each (4% of its samples), where a class costs one.
final class IncomingEvent: Sendable {
    let type: EventDeclaration
    let at: Timestamp
    let payload: any EventData
    let id: EventID?
    /// The version the stream must have before this event (0: the stream must not exist yet).
    let expectedVersion: Int64?
    let streamKey: StreamKey
    /// The `data` object's members, as given.
    let data: [JSONMember]
    /// The text the hash chain covers, but for what the appending writer decides, rendered here,
    /// where the input is read, so the writer (which bounds an append) only fills it in.
    let canonicalLine: CanonicalLine
    /// `data` in the log's compact form (PayloadCodec).
    let payloadBytes: [UInt8]

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

    /// Decodes one NDJSON line. `keys`, when given, shares the stream keys the line names with the
    /// other lines its caller decodes (see `StreamKeyInterner`).
    convenience init(line: UnsafeBufferPointer<UInt8>, catalog: EventCatalog, keys: StreamKeyInterner? = nil) throws(InputError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw InputError(field: nil, "is not valid JSON: \(error.description)")
        }
        guard case .object(let envelope) = value else {
            throw InputError(field: nil, "must be a JSON object, not \(value.kindDescription)")
        }
        try self.init(envelope: envelope, catalog: catalog, keys: keys)
    }

    init(envelope: [JSONMember], catalog: EventCatalog, keys: StreamKeyInterner? = nil) throws(InputError) {
        // The envelope's fields, found in one pass over its members: looked up by name one after
        // the other, each search compared the names and copied the value found (with the array of
        // known names built for every line, 4% of the decoding thread of an append). The parser
        // refuses a repeated name, so each is set once.
        var typeValue, atValue, dataValue, idValue, versionValue, streamValue: JSONValue?
        for member in envelope {
            switch member.key {
            case "type": typeValue = member.value
            case "at": atValue = member.value
            case "data": dataValue = member.value
            case "id": idValue = member.value
            case "expectedVersion": versionValue = member.value
            case "stream": streamValue = member.value
            case let key where Self.exportFields.contains(key): break
            default:
                throw InputError(
                    field: member.key,
                    "is not an envelope field; an event has type, at, data and optionally id and expectedVersion"
                        + didYouMean(member.key, among: Self.envelopeFields)
                )
            }
        }
        guard let typeValue else { throw InputError(field: "type", "is missing") }
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

        guard let atValue else { throw InputError(field: "at", "is missing") }
        guard case .string(let atText) = atValue else {
            throw InputError(field: "at", "must be an RFC 3339 time string, not \(atValue.kindDescription)")
        }
        switch Timestamp.parse(atText) {
        case .success(let time): at = time
        case .failure(let error): throw InputError(field: "at", "is \"\(atText)\", which is not an RFC 3339 time: \(error.reason)")
        }

        guard let dataValue else { throw InputError(field: "data", "is missing") }
        guard case .object(let data) = dataValue else {
            throw InputError(field: "data", "must be an object, not \(dataValue.kindDescription)")
        }
        payload = try type.decode(data, checking: .append, keys: keys)
        streamKey = type.streamKey(of: data, keys: keys)
        self.data = data
        var compact: [UInt8] = []
        compact.reserveCapacity(32)
        PayloadCodec.encode(type: type, data: data, into: &compact)
        payloadBytes = compact

        switch idValue {
        case nil, .null?: id = nil
        case .string(let text)?:
            guard let parsed = EventID(text) else {
                throw InputError(field: "id", "is \"\(text)\", which is not a UUID (8-4-4-4-12 hexadecimal digits)")
            }
            id = parsed
        case let other?: throw InputError(field: "id", "must be a UUID string, not \(other.kindDescription)")
        }

        switch versionValue {
        case nil, .null?: expectedVersion = nil
        case .int(let version)? where version >= 0: expectedVersion = version
        case .int(let version)?: throw InputError(field: "expectedVersion", "is \(version); it must be 0 or more")
        case let other?: throw InputError(field: "expectedVersion", "must be an integer, not \(other.kindDescription)")
        }

        if case .string(let givenStream)? = streamValue, givenStream != streamKey.rawValue {
            throw InputError(field: "stream", "is \"\(givenStream)\", but this \(type.name) event belongs to stream \"\(streamKey)\"")
        }
        canonicalLine = CanonicalLine(stream: streamKey.rawValue, type: type.name, at: at, id: id) {
            $0.writeObject(data, fieldsOf: type)
        }
    }
}
