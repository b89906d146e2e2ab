import FleetEvents

/// One event read from input, decoded and validated, ready to be appended.
///
/// A class: the appending thread, which bounds ingest, takes each event from the decoding
/// thread's chunk, and copying a struct of this many references costs a retain and a release of
/// each, where a class costs one (Tools/Benchmark/HISTORY.md, item 21).
package final class IncomingEvent: Sendable {
    package let type: EventDeclaration
    let at: Timestamp
    let payload: any EventData
    let id: EventID?
    /// The version the stream must have before this event (0: the stream must not exist yet).
    let expectedVersion: Int64?
    let streamKey: StreamKey
    /// The `data` object's members, as given.
    package let data: [JSONMember]
    /// The text the hash chain covers, but for what the appending writer decides, rendered here,
    /// where the input is read, so the writer (which bounds an append) only fills it in.
    let canonicalLine: CanonicalLine
    /// `data` in the log's compact form (PayloadCodec).
    let payloadBytes: [UInt8]

    /// `data` in canonical form: compact JSON with sorted keys.
    package var canonicalData: String {
        var writer = JSONWriter()
        writer.write(.object(data))
        return writer.text
    }

    /// Decodes one NDJSON line. `keys`, when given, shares the stream keys the line names with the
    /// other lines its caller decodes (see `StreamKeyInterner`).
    package static func decode(line: UnsafeBufferPointer<UInt8>, catalog: EventCatalog, keys: StreamKeyInterner? = nil) throws(InputError) -> IncomingEvent {
        if let event = try decodeCommon(line: line, catalog: catalog, keys: keys) { return event }
        return try decodeParsed(line: line, catalog: catalog, keys: keys)
    }

    /// The general path: the line parsed whole, then its envelope read (for tests, which compare
    /// it with the common lines' path).
    static func decodeParsed(line: UnsafeBufferPointer<UInt8>, catalog: EventCatalog, keys: StreamKeyInterner? = nil) throws(InputError) -> IncomingEvent {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            // Text that is no JSON at all reads better as what a line must be than as the
            // parser's view of its first letter ("expected null" for "not json").
            let first = line.first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }
            if let first, first != UInt8(ascii: "{"), first != UInt8(ascii: "["), first != UInt8(ascii: "\"") {
                throw InputError(field: nil, #"is not a JSON object: each line is one event, {"type": ..., "at": ..., "data": {...}}"#)
            }
            throw InputError(field: nil, "is not valid JSON: \(error.description)")
        }
        guard case .object(let envelope) = value else {
            throw InputError(field: nil, "must be a JSON object, not \(value.kindDescription)")
        }
        return try IncomingEvent(envelope: envelope, catalog: catalog, keys: keys)
    }

    /// The fields an envelope may hold, named as the line names them; both paths read them by this.
    enum EnvelopeField: String, CaseIterable {
        /// What a producer writes.
        case type, at, data, id, expectedVersion
        /// What `events --format ndjson` adds; accepted on input so an exported log can be
        /// appended to another store, which assigns its own positions (`stream` is checked).
        case stream, seq, version, recordedAt

        static let producerFields: [EnvelopeField] = [.type, .at, .data, .id, .expectedVersion]

        /// The field these bytes name: the names compared where they lie (for the common path).
        init?(_ key: UnsafeBufferPointer<UInt8>) {
            switch key.count {
            case 2 where key.equals("at"): self = .at
            case 2 where key.equals("id"): self = .id
            case 3 where key.equals("seq"): self = .seq
            case 4 where key.equals("type"): self = .type
            case 4 where key.equals("data"): self = .data
            case 6 where key.equals("stream"): self = .stream
            case 7 where key.equals("version"): self = .version
            case 10 where key.equals("recordedAt"): self = .recordedAt
            case 15 where key.equals("expectedVersion"): self = .expectedVersion
            default: return nil
            }
        }

        /// The field's bit in the set of fields a line has given (spelt out: `allCases` would
        /// build an array for every field read).
        var bit: UInt16 {
            switch self {
            case .type: 1 << 0
            case .at: 1 << 1
            case .data: 1 << 2
            case .id: 1 << 3
            case .expectedVersion: 1 << 4
            case .stream: 1 << 5
            case .seq: 1 << 6
            case .version: 1 << 7
            case .recordedAt: 1 << 8
            }
        }
    }

    /// A line as producers write nearly every one, read without making strings of its envelope
    /// (see `JSONObjectScanner`): nil for any other line, or one the rules refuse, which
    /// `init(envelope:)` then reads from the parsed line and refuses as it always has. Only what
    /// that path would refuse in the same way is refused here: the data's errors, which it
    /// reports once the envelope's fields before them are valid, as they are here by then.
    private static func decodeCommon(line: UnsafeBufferPointer<UInt8>, catalog: EventCatalog, keys: StreamKeyInterner?) throws(InputError) -> IncomingEvent? {
        guard var scanner = JSONObjectScanner(line) else { return nil }
        var typeName, atText, idText, givenStream: UnsafeBufferPointer<UInt8>?
        var data: [JSONMember]?
        var versionValue: JSONValue?
        var given: UInt16 = 0
        while true {
            guard let step = scanner.next() else { return nil }
            guard case .key(let key) = step else { break }
            // An unknown field or a repeated one: the general path names it.
            guard let field = EnvelopeField(key), given & field.bit == 0 else { return nil }
            given |= field.bit
            switch field {
            case .type:
                guard let text = scanner.plainASCIIString() else { return nil }
                typeName = text
            case .at:
                guard let text = scanner.plainASCIIString() else { return nil }
                atText = text
            case .id:
                if let text = scanner.plainASCIIString() {
                    idText = text
                } else {
                    guard case .null? = scanner.value() else { return nil }
                }
            case .stream:
                if let text = scanner.plainASCIIString() {
                    givenStream = text
                } else {
                    // Only a string is compared with the event's stream.
                    guard let value = scanner.value() else { return nil }
                    if case .string = value { return nil }
                }
            case .data:
                guard case .object(let members)? = scanner.value() else { return nil }
                data = members
            case .expectedVersion:
                guard let value = scanner.value() else { return nil }
                versionValue = value
            case .seq, .version, .recordedAt:
                guard scanner.value() != nil else { return nil }
            }
        }
        guard let typeName, let type = catalog[utf8: typeName],
              let atText, case .success(let at) = Timestamp.parse(utf8: atText),
              let data else { return nil }
        var id: EventID?
        if let idText {
            guard let parsed = EventID(utf8: idText.span) else { return nil }
            id = parsed
        }
        let expectedVersion: Int64?
        switch versionValue {
        case nil, .null?: expectedVersion = nil
        case .int(let version)? where version >= 0: expectedVersion = version
        default: return nil
        }
        let payload = try type.decode(data, checking: .append, keys: keys)
        let streamKey = type.streamKey(of: data, keys: keys)
        if let givenStream {
            var key = streamKey.rawValue
            guard key.withUTF8({ $0.elementsEqual(givenStream) }) else { return nil }
        }
        return IncomingEvent(type: type, at: at, payload: payload, id: id, expectedVersion: expectedVersion, streamKey: streamKey, data: data)
    }

    /// Decodes a line's parsed envelope: every rule, each refusal in its words.
    convenience init(envelope: [JSONMember], catalog: EventCatalog, keys: StreamKeyInterner? = nil) throws(InputError) {
        // The envelope's fields, found in one pass over its members rather than by one search by
        // name each (Tools/Benchmark/HISTORY.md, item 30). The parser refuses a repeated name, so
        // each is set once.
        var typeValue, atValue, dataValue, idValue, versionValue, streamValue: JSONValue?
        for member in envelope {
            switch EnvelopeField(rawValue: member.key) {
            case .type?: typeValue = member.value
            case .at?: atValue = member.value
            case .data?: dataValue = member.value
            case .id?: idValue = member.value
            case .expectedVersion?: versionValue = member.value
            case .stream?: streamValue = member.value
            case .seq?, .version?, .recordedAt?: break
            case nil:
                throw InputError(
                    field: member.key,
                    "is not an envelope field; an event has type, at, data and optionally id and expectedVersion"
                        + didYouMean(member.key, among: EnvelopeField.producerFields.map(\.rawValue))
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
                "is \"\(typeName)\", which is not a known event type" + Self.typeHint(typeName, catalog)
            )
        }

        guard let atValue else { throw InputError(field: "at", "is missing") }
        guard case .string(let atText) = atValue else {
            throw InputError(field: "at", "must be an RFC 3339 time string, not \(atValue.kindDescription)")
        }
        let at: Timestamp
        switch Timestamp.parse(atText) {
        case .success(let time): at = time
        case .failure(let error): throw InputError(field: "at", "is \"\(atText)\", which is not an RFC 3339 time: \(error.reason)")
        }

        guard let dataValue else { throw InputError(field: "data", "is missing") }
        guard case .object(let data) = dataValue else {
            throw InputError(field: "data", "must be an object, not \(dataValue.kindDescription)")
        }
        let payload = try type.decode(data, checking: .append, keys: keys)
        let streamKey = type.streamKey(of: data, keys: keys)

        let id: EventID?
        switch idValue {
        case nil, .null?: id = nil
        case .string(let text)?:
            guard let parsed = EventID(text) else {
                throw InputError(field: "id", "is \"\(text)\", which is not a UUID (8-4-4-4-12 hexadecimal digits)")
            }
            id = parsed
        case let other?: throw InputError(field: "id", "must be a UUID string, not \(other.kindDescription)")
        }

        let expectedVersion: Int64?
        switch versionValue {
        case nil, .null?: expectedVersion = nil
        case .int(let version)? where version >= 0: expectedVersion = version
        case .int(let version)?: throw InputError(field: "expectedVersion", "is \(version); it must be 0 or more")
        case let other?: throw InputError(field: "expectedVersion", "must be an integer, not \(other.kindDescription)")
        }

        if case .string(let givenStream)? = streamValue, givenStream != streamKey.rawValue {
            throw InputError(field: "stream", "is \"\(givenStream)\", but this \(type.name) event belongs to stream \"\(streamKey)\"")
        }
        self.init(type: type, at: at, payload: payload, id: id, expectedVersion: expectedVersion, streamKey: streamKey, data: data)
    }

    /// A valid event's parts; renders the forms the appending writer stores.
    private init(type: EventDeclaration, at: Timestamp, payload: any EventData, id: EventID?, expectedVersion: Int64?,
                 streamKey: StreamKey, data: [JSONMember]) {
        self.type = type
        self.at = at
        self.payload = payload
        self.id = id
        self.expectedVersion = expectedVersion
        self.streamKey = streamKey
        self.data = data
        var compact: [UInt8] = []
        compact.reserveCapacity(32)
        PayloadCodec.encode(type: type, data: data, into: &compact)
        payloadBytes = compact
        canonicalLine = CanonicalLine(stream: streamKey.rawValue, type: type.name, at: at, id: id) {
            $0.writeObject(data, fieldsOf: type)
        }
    }
}

extension IncomingEvent {
    /// The closest known types to a mistyped one, or where to find them all.
    static func typeHint(_ typeName: String, _ catalog: EventCatalog) -> String {
        let close = closestMatches(to: typeName, among: catalog.names)
        if close.isEmpty, let only = closestMatch(to: typeName, among: catalog.names) {
            return " (did you mean \"\(only)\"?)"
        }
        return close.isEmpty ? " (fleetledger schema lists every type)" : " (did you mean \(quotedAlternatives(close))?)"
    }
}
