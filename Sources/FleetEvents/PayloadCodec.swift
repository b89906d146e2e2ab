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
package enum PayloadCodec {
    private enum Tag: UInt8 {
        case null = 0, `false`, `true`, integer, double, string, interned
    }

    /// Strings stored as one byte. Append only: a stored log refers to them by position.
    package static let internedStrings: [String] = [
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
    package static func encode(type: EventDeclaration, data: [JSONMember], into bytes: inout [UInt8]) {
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
    package static func decode(type: EventDeclaration, stream: StreamKey, bytes: UnsafeRawBufferPointer) throws -> [JSONMember] {
        var members: [JSONMember] = []
        try decode(type: type, streamValues: stream.values.map(String.init), bytes: bytes, into: &members)
        return members
    }

    /// The same for a stream whose key is already split into `streamValues`, into `members`
    /// (emptied first, its storage kept for the caller's next event).
    package static func decode(type: EventDeclaration, streamValues: [String], bytes: UnsafeRawBufferPointer, into members: inout [JSONMember]) throws {
        members.removeAll(keepingCapacity: true)
        // Room for every field at once: growing the array member by member reallocated it two or
        // three times per event (Tools/Benchmark/HISTORY.md, item 23).
        members.reserveCapacity(type.fields.count)
        try checkStream(streamValues, of: type)
        for (field, value) in zip(type.stream.fields, streamValues) {
            members.append(JSONMember(key: field, value: .string(value)))
        }
        let fields = type.fields
        try forEachStoredField(type: type, bytes: bytes) { index, offset in
            members.append(JSONMember(key: fields[index], value: storedValue(at: offset, in: bytes)))
        }
    }

    /// Where each field of an event of `type` on a stream of `streamValues` is: checks the compact
    /// form `bytes` whole, notes each field's place in `locations` (emptied first, its storage
    /// kept for the caller's next event), and hands `body` the fields, for a `FieldReader` that
    /// makes a value only when it is read, rather than filling an array of every field's value for
    /// every event (Tools/Benchmark/HISTORY.md, item 26).
    ///
    /// The fields are lent to `body` and valid only during it: they hold the locations, the
    /// stream's values and its recent keys unretained, so that making, copying and dropping a
    /// reader costs no reference counting (Tools/Benchmark/HISTORY.md, item 28).
    ///
    /// `recentKeys`, when given, are the stream's, for the reader's keys (see `RecentStreamKeys`).
    ///
    /// Not generic: called from another module for every event, a generic function ran through
    /// thunks (Tools/Benchmark/HISTORY.md, item 28). `body` decodes the data, as a replay does.
    package static func withStoredFields(
        type: EventDeclaration, streamValues: [String], recentKeys: RecentStreamKeys? = nil, bytes: UnsafeRawBufferPointer,
        locations: inout [Int], _ body: (StoredFields) throws -> any EventData
    ) throws -> any EventData {
        try locate(type: type, streamValues: streamValues, bytes: bytes, into: &locations)
        return try withExtendedLifetime(recentKeys) {
            try locations.withUnsafeBufferPointer { locations in
                try streamValues.withUnsafeBufferPointer { streamValues in
                    try body(StoredFields(
                        bytes: bytes, locations: locations, streamValues: streamValues,
                        recentKeys: recentKeys.map { Unmanaged.passUnretained($0) }))
                }
            }
        }
    }

    /// Checks `bytes` and notes where each field is in `locations`.
    package static func locate(
        type: EventDeclaration, streamValues: [String], bytes: UnsafeRawBufferPointer, into locations: inout [Int]
    ) throws {
        locations.removeAll(keepingCapacity: true)
        // Appended one by one: `append(contentsOf: repeatElement(...))` ran generic code.
        for _ in 0..<type.fields.count { locations.append(StoredFields.absent) }
        try checkStream(streamValues, of: type)
        for (index, position) in type.streamFieldPositions.enumerated() {
            locations[position] = StoredFields.streamValue(index)
        }
        try forEachStoredField(type: type, bytes: bytes) { index, offset in locations[index] = offset }
    }

    private static func checkStream(_ streamValues: [String], of type: EventDeclaration) throws {
        guard streamValues.count == type.stream.fields.count else {
            throw StoreError("a stream of \(streamValues.count) values (\(streamValues.joined(separator: "/"))) does not fit a \(type.name) event, whose stream has \(type.stream.fields.count)")
        }
    }

    /// Checks the compact form `bytes` of the data of an event of `type`, handing `body` the
    /// position of each field it holds and the offset of the field's tag, where `storedValue`
    /// reads it.
    @inline(__always)
    private static func forEachStoredField(
        type: EventDeclaration, bytes: UnsafeRawBufferPointer, _ body: (_ index: Int, _ offset: Int) -> Void
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
            let tagOffset = offset
            switch Tag(rawValue: try byte()) {
            case .null, .false, .true: break
            case .integer: _ = try varint()
            case .double:
                guard offset + 8 <= bytes.count else { throw StoreError("the stored data of an event of type \(type.name) ends early") }
                offset += 8
            case .string:
                // A damaged length may exceed what an Int holds: refuse it rather than trap.
                guard let length = Int(exactly: try varint()), length <= bytes.count - offset else { throw StoreError("the stored data of an event of type \(type.name) ends early") }
                let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]).assumingMemoryBound(to: UInt8.self)
                // ASCII, nearly every stored string, is settled by one pass over the bytes.
                guard slice.allSatisfy({ $0 < 0x80 }) || String(validating: slice, as: UTF8.self) != nil else {
                    throw StoreError("the stored data of an event of type \(type.name) holds text that is not UTF-8")
                }
                offset += length
            case .interned:
                let position = Int(try byte())
                guard position < internedStrings.count else { throw StoreError("the stored data of an event of type \(type.name) names string \(position)") }
            case nil:
                throw StoreError("the stored data of an event of type \(type.name) holds an unknown tag")
            }
            body(index, tagOffset)
        }
    }

    /// Whether `tag` marks one of `internedStrings`, whose position follows it.
    @inline(__always)
    fileprivate static func isInterned(tag: UInt8) -> Bool { tag == Tag.interned.rawValue }

    /// The value whose tag is at `offset` in `bytes`, which `forEachStoredField` checked.
    @inline(__always)
    fileprivate static func storedValue(at offset: Int, in bytes: UnsafeRawBufferPointer) -> JSONValue {
        var offset = offset
        func varint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let next = bytes[offset]
                offset += 1
                value |= UInt64(next & 0x7F) << shift
                if next & 0x80 == 0 { return value }
                shift += 7
            }
        }
        let tag = Tag(rawValue: bytes[offset])
        offset += 1
        switch tag {
        case .null, nil: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .integer:
            let raw = varint()
            return .int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        case .double:
            var pattern: UInt64 = 0
            for shift in 0..<8 { pattern |= UInt64(bytes[offset + shift]) << (8 * UInt64(shift)) }
            return .double(Double(bitPattern: pattern))
        case .string:
            let length = Int(varint())
            let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]).assumingMemoryBound(to: UInt8.self)
            // Checked to be UTF-8 already: decoding it again would only repeat the check.
            return .string(String(decoding: slice, as: UTF8.self))
        case .interned:
            return .string(internedStrings[Int(bytes[offset])])
        }
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

/// A stored event's data as its `FieldReader` reads it: where each field of its type is in the
/// compact bytes (see `PayloadCodec.withStoredFields`), its values made when read, and only then.
///
/// Lent, never kept: it points into storage its maker owns (see `withStoredFields`).
package struct StoredFields {
    static let absent = -1
    /// The location of a field whose value is the stream key's value at `index`; the same
    /// function gives the index back from the location.
    static func streamValue(_ index: Int) -> Int { -2 - index }

    let bytes: UnsafeRawBufferPointer
    /// Per field of the type, in its order: the offset of its tag in `bytes`, `absent`, or a
    /// `streamValue`.
    let locations: UnsafeBufferPointer<Int>
    let streamValues: UnsafeBufferPointer<String>
    let recentKeys: Unmanaged<RecentStreamKeys>?

    init(
        bytes: UnsafeRawBufferPointer, locations: UnsafeBufferPointer<Int>, streamValues: UnsafeBufferPointer<String>,
        recentKeys: Unmanaged<RecentStreamKeys>?
    ) {
        self.bytes = bytes
        self.locations = locations
        self.streamValues = streamValues
        self.recentKeys = recentKeys
    }

    /// No data: what a reader of input holds.
    init() {
        self.init(
            bytes: UnsafeRawBufferPointer(start: nil, count: 0), locations: UnsafeBufferPointer(start: nil, count: 0),
            streamValues: UnsafeBufferPointer(start: nil, count: 0), recentKeys: nil)
    }

    /// The position in `PayloadCodec.internedStrings` of the string the field at `position`
    /// holds, when the data holds one of those there.
    @inline(__always)
    package func internedIndex(at position: Int) -> Int? {
        let location = locations[position]
        guard location >= 0, PayloadCodec.isInterned(tag: bytes[location]) else { return nil }
        return Int(bytes[location + 1])
    }

    /// The value of the field at `position` of the type's fields; nil when the data lacks it.
    @inline(__always)
    package func value(at position: Int) -> JSONValue? {
        let location = locations[position]
        if location >= 0 { return PayloadCodec.storedValue(at: location, in: bytes) }
        if location == Self.absent { return nil }
        return .string(streamValues[Self.streamValue(location)])
    }
}
