import FleetEvents

/// The compact form in which the log stores an event's data.
///
/// Each field present is written as its position in the type's field list, a tag, and its value:
/// integers as zigzag varints, numbers as 8 bytes, strings as a length and UTF-8, except Azure's
/// enumeration values, which are one byte from a frozen table. Fields that form the stream key
/// (`hostPool`, `loadBalancer`, ...) are not written at all: decoding takes them from the key.
/// Fields are written in field-list order, so equal data always encodes to equal bytes.
///
/// Frozen: stored logs depend on this format and on `internedStrings`' order; extend the table
/// and the tags only by appending.
enum PayloadCodec {
    private enum Tag: UInt8 {
        case null = 0, `false`, `true`, integer, double, string, interned
    }

    /// Strings stored as one byte. Append only: a stored log refers to them by position.
    static let internedStrings: [String] = [
        // Azure Virtual Desktop
        "BreadthFirst", "DepthFirst", "Running", "Stopped", "Deallocated",
        "DomainJoinedCheck", "DomainTrustCheck", "SxSStackListenerCheck", "FSLogixHealthCheck", "DomainReachable",
        "MonitoringAgentCheck", "MetaDataServiceCheck", "UrlsAccessibleCheck", "AppAttachHealthCheck",
        "WebRTCRedirectorCheck", "SupportedEncryptionCheck",
        "Unknown", "HealthCheckSucceeded", "HealthCheckFailed", "SessionHostShutdown",
        // Session host update
        "Start", "Pause", "Resume", "Cancel", "Retry",
        "UsersNotified", "UsersSignedOut", "Drained", "Removed", "VmCreated", "Joined", "DrainDisabled",
        "OriginalDeallocated", "OriginalDeleted", "Succeeded", "Failed",
        // Load Balancer
        "Regional", "Global", "Gateway", "Tcp", "Http", "Https", "AllProbedDown", "AllProbedUp",
        "None", "Up", "Down", "Success", "TcpTimeout", "HttpStatusCode", "HttpEndpointUnreachable",
        "HttpNoResponse", "Cleared",
        // VM Scale Set Application Health extension
        "1.0", "2.0", "tcp", "http", "https",
        #"{"ApplicationHealthState":"Healthy"}"#, #"{"ApplicationHealthState":"Unhealthy"}"#,
    ]

    private static let internedIndex: [String: UInt8] = Dictionary(
        uniqueKeysWithValues: internedStrings.enumerated().map { ($0.element, UInt8($0.offset)) })

    /// Appends the compact form of `data` (validated for `type`) to `bytes`.
    static func encode(type: EventDeclaration, data: [JSONMember], into bytes: inout [UInt8]) {
        let fields = type.fields
        let implied = type.stream.fields
        for (index, field) in fields.enumerated() where !implied.contains(field) {
            guard let value = data[field] else { continue }
            bytes.append(UInt8(index))
            switch value {
            case .null: bytes.append(Tag.null.rawValue)
            case .bool(let flag): bytes.append(flag ? Tag.true.rawValue : Tag.false.rawValue)
            case .int(let number):
                bytes.append(Tag.integer.rawValue)
                appendVarint(UInt64(bitPattern: (number << 1) ^ (number >> 63)), to: &bytes)
            case .double(let number):
                bytes.append(Tag.double.rawValue)
                withUnsafeBytes(of: number.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            case .string(let text):
                if let interned = internedIndex[text] {
                    bytes.append(Tag.interned.rawValue)
                    bytes.append(interned)
                } else {
                    bytes.append(Tag.string.rawValue)
                    appendVarint(UInt64(text.utf8.count), to: &bytes)
                    bytes.append(contentsOf: text.utf8)
                }
            case .array, .object:
                // The contract has no structured fields; FieldReader refuses them before this point.
                preconditionFailure("field \(field) of \(type.name) holds \(value.kindDescription)")
            }
        }
    }

    /// The data object of an event of `type` on `stream`, from its compact form.
    static func decode(type: EventDeclaration, stream: StreamKey, bytes: UnsafeRawBufferPointer) throws -> [JSONMember] {
        var members: [JSONMember] = []
        try decode(type: type, stream: StoredStream(stream), bytes: bytes, into: &members)
        return members
    }

    /// The same for a stream whose key is already split into values, into `members` (emptied
    /// first, its storage kept for the caller's next event).
    static func decode(type: EventDeclaration, stream: StoredStream, bytes: UnsafeRawBufferPointer, into members: inout [JSONMember]) throws {
        members.removeAll(keepingCapacity: true)
        // Room for every field at once: growing the array member by member reallocated it two or
        // three times per event (11% of a rebuild's decoding thread).
        members.reserveCapacity(type.fields.count)
        let implied = type.stream.fields
        try checkStream(stream, of: type)
        for (field, value) in zip(implied, stream.values) {
            members.append(JSONMember(key: field, value: .string(value)))
        }
        let fields = type.fields
        try forEachStoredField(type: type, bytes: bytes) { index, value in
            members.append(JSONMember(key: fields[index], value: value))
        }
    }

    /// The data of an event of `type` on `stream` as one value per field of the type, in its
    /// order, `.null` for a field not stored: what a stored event's `FieldReader` reads. Into
    /// `values`, emptied first, its storage kept for the caller's next event.
    static func decode(type: EventDeclaration, stream: StoredStream, bytes: UnsafeRawBufferPointer, intoFields values: inout [JSONValue]) throws {
        values.removeAll(keepingCapacity: true)
        // Appended one by one: `append(contentsOf: repeatElement(...))` ran generic code, about
        // 160 instructions an event.
        for _ in 0..<type.fields.count { values.append(.null) }
        try checkStream(stream, of: type)
        for (position, value) in zip(type.streamFieldPositions, stream.values) {
            values[position] = .string(value)
        }
        try forEachStoredField(type: type, bytes: bytes) { index, value in values[index] = value }
    }

    private static func checkStream(_ stream: StoredStream, of type: EventDeclaration) throws {
        guard stream.values.count == type.stream.fields.count else {
            throw StoreError("stream \"\(stream.key)\" does not fit a \(type.name) event")
        }
    }

    /// Hands `body` the position and value of each field in `bytes`, the compact form of the data
    /// of an event of `type`.
    @inline(__always)
    private static func forEachStoredField(
        type: EventDeclaration, bytes: UnsafeRawBufferPointer, _ body: (Int, JSONValue) -> Void
    ) throws {
        let fields = type.fields
        var offset = 0
        func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw StoreError("the stored data of an event of type \(type.name) ends early") }
            defer { offset += 1 }
            return bytes[offset]
        }
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let next = try byte()
                value |= UInt64(next & 0x7F) << shift
                if next & 0x80 == 0 { return value }
                shift += 7
                guard shift < 64 else { throw StoreError("the stored data of an event of type \(type.name) holds a bad number") }
            }
        }
        while offset < bytes.count {
            let index = Int(try byte())
            guard index < fields.count else { throw StoreError("the stored data of an event of type \(type.name) names field \(index)") }
            let value: JSONValue
            switch Tag(rawValue: try byte()) {
            case .null: value = .null
            case .false: value = .bool(false)
            case .true: value = .bool(true)
            case .integer:
                let raw = try varint()
                value = .int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
            case .double:
                guard offset + 8 <= bytes.count else { throw StoreError("the stored data of an event of type \(type.name) ends early") }
                var pattern: UInt64 = 0
                for shift in 0..<8 { pattern |= UInt64(bytes[offset + shift]) << (8 * UInt64(shift)) }
                offset += 8
                value = .double(Double(bitPattern: pattern))
            case .string:
                // A damaged length may exceed what an Int holds: refuse it rather than trap.
                guard let length = Int(exactly: try varint()), length <= bytes.count - offset else { throw StoreError("the stored data of an event of type \(type.name) ends early") }
                let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]).assumingMemoryBound(to: UInt8.self)
                guard let text = utf8String(slice) else {
                    throw StoreError("the stored data of an event of type \(type.name) holds text that is not UTF-8")
                }
                offset += length
                value = .string(text)
            case .interned:
                let position = Int(try byte())
                guard position < internedStrings.count else { throw StoreError("the stored data of an event of type \(type.name) names string \(position)") }
                value = .string(internedStrings[position])
            case nil:
                throw StoreError("the stored data of an event of type \(type.name) holds an unknown tag")
            }
            body(index, value)
        }
    }

    /// The text of valid UTF-8, nil for anything else. ASCII, nearly every stored string, is
    /// settled by one pass over the bytes: `String(validating:as:)` runs unspecialized generic
    /// code, about 800 instructions a string (7% of a rebuild's decoding thread).
    private static func utf8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}
