/// The typed `data` of one event type: a plain value. Each conforming type declares itself once,
/// in its domain's folder, with its validating initializer; everything the log, the ingest
/// contract and the projectors need to know about the type comes from that one declaration.
public protocol EventData: Sendable {
    static var declaration: EventDeclaration { get }
}

/// One event type of the ingest contract (docs/events.md): its name, its code in the log, its fields,
/// its stream, how to decode and validate its data, and a valid sample.
public final class EventDeclaration: Sendable, CustomStringConvertible {
    /// The contract's name (`HealthCheckCompleted`).
    package let name: String
    /// The integer the log stores in `events.type`; the `event_types` rows of the migrations
    /// must say the same (a test checks). Never renumber: stored logs depend on it.
    @usableFromInline package let code: Int64
    /// What the event means, in a sentence: the event reference (`fleetledger schema`) prints it.
    package let summary: String
    /// Every field `data` may hold. Append only: stored rows name a field by its position here.
    package let fields: [String]
    /// Each field's place among `fields` in canonical order (their UTF-8 bytes sorted), by its
    /// position in `fields`: to write decoded data canonically without sorting its keys.
    package let canonicalRank: [Int]
    /// The stream the event belongs to, derived from the values of `stream.fields`.
    package let stream: StreamKind
    /// A valid `data` object, as JSON, for documentation and tests.
    package let sample: String
    /// The positions in `fields` of the stream's fields, in the stream's order.
    package let streamFieldPositions: [Int]
    /// Finds a field's position by its name, for the readers of an event's data (`FieldPositions`).
    package let positions: FieldPositions
    private let decoder: @Sendable (FieldReader) throws(InputError) -> any EventData

    /// `decode` is the data type's validating initializer (`decode: Self.init`), converted to
    /// return `any EventData` where the declaration is written, so that it is compiled for the
    /// concrete type (Tools/Benchmark/HISTORY.md, item 25).
    package init(
        _ name: String, code: Int64, summary: String, fields: [String], stream: StreamKind, sample: String,
        decode: @escaping @Sendable (FieldReader) throws(InputError) -> any EventData
    ) {
        precondition(stream.fields.allSatisfy(fields.contains), "\(name): the stream's fields must be fields of the event")
        // Canonical data writes a field's name as it is, unescaped (`JSONWriter.writeObject`).
        precondition(fields.allSatisfy { field in
            var field = field
            return field.withUTF8 { JSONStringScan.firstSpecial(in: $0, from: 0, stopAtNonASCII: false) == $0.count }
        }, "\(name): a field's name must need no escaping in JSON")
        self.name = name
        self.code = code
        self.summary = summary
        self.fields = fields
        let canonicalOrder = fields.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        canonicalRank = fields.map { canonicalOrder.firstIndex(of: $0)! }
        self.stream = stream
        self.sample = sample
        streamFieldPositions = stream.fields.map { fields.firstIndex(of: $0)! }
        var first = [Int](repeating: 0, count: (fields.map(\.utf8.count).max() ?? 0) + 1)
        var next = [Int](repeating: 0, count: fields.count)
        for (position, field) in fields.enumerated().reversed() {
            next[position] = first[field.utf8.count]
            first[field.utf8.count] = position + 1
        }
        positions = FieldPositions(names: fields, firstOfLength: first, nextOfLength: next)
        decoder = decode
    }

    /// Decodes and validates `data`, refusing unknown, missing and ill-typed fields; `checking`
    /// says whether it is input being appended or an event the log holds.
    ///
    /// `keys`, when given, shares the stream keys the data names with other events its caller decodes.
    package func decode(_ data: [JSONMember], checking: FieldReader.Checking = .stored, keys: StreamKeyInterner? = nil) throws(InputError) -> any EventData {
        try data.withUnsafeBufferPointer { (members) throws(InputError) in
            try decoder(try FieldReader(members, of: self, checking: checking, keys: keys))
        }
    }

    /// Decodes the data of an event the log holds, located in the log's compact form
    /// (`PayloadCodec.withStoredFields`).
    package func decode(stored fields: StoredFields, keys: StreamKeyInterner?) throws(InputError) -> any EventData {
        try decoder(FieldReader(stored: fields, of: self, keys: keys))
    }

    /// The position of field `name` in `fields`, nil when the type has no such field.
    @inline(__always)
    package func position(of name: String) -> Int? { positions.position(of: name) }

    deinit { positions.deallocate() }

    /// The stream of an event whose `data` was decoded: its key fields are validated names.
    /// `keys`, when given, shares the key with the other events its caller decodes.
    package func streamKey(of data: [JSONMember], keys: StreamKeyInterner? = nil) -> StreamKey {
        func value(_ index: Int) -> String {
            guard case .string(let value)? = data[stream.fields[index]] else {
                preconditionFailure("\(name).\(stream.fields[index]) was validated as a name")
            }
            return value
        }
        // Each count spelt out, not the values gathered into an array: that was an allocation per line.
        switch (stream.fields.count, keys) {
        case (1, let keys?): return keys.key(stream, value(0))
        case (2, let keys?): return keys.key(stream, value(0), value(1))
        case (3, let keys?): return keys.key(stream, value(0), value(1), value(2))
        default: return stream.key(stream.fields.indices.map(value))
        }
    }

    public var description: String { name }

    /// The sample's members: the declaration's own `data`, which every tool that needs a valid
    /// event of this type (the tests, the fuzz seeds, the event reference) starts from.
    package var sampleMembers: [JSONMember] {
        guard case .object(let members)? = try? JSONParser.parse(sample) else {
            preconditionFailure("\(name)'s sample is not a JSON object")
        }
        return members
    }

    /// A whole NDJSON line of this type at `at`, its data the sample.
    package func sampleLine(at: String) -> String {
        #"{"type":"\#(name)","at":"\#(at)","data":\#(sample)}"#
    }
}

/// The table that finds a field's position by its name (`EventDeclaration.position(of:)`), in
/// memory its declaration allocates once and frees when it goes, as plain pointers.
///
/// A reader of an event's data looks up every field it reads by name; through the declaration,
/// which the reader holds unowned, each look-up took and dropped a reference to it
/// (Tools/Benchmark/HISTORY.md, item 29). A reader holds this table instead, which counts
/// nothing; it is lent for one decode, within its declaration's life.
package struct FieldPositions: @unchecked Sendable {
    private let names: UnsafeMutableBufferPointer<String>
    private let firstOfLength: UnsafeMutableBufferPointer<Int>
    private let nextOfLength: UnsafeMutableBufferPointer<Int>

    init(names: [String], firstOfLength: [Int], nextOfLength: [Int]) {
        func copy<Element>(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
            let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
            _ = buffer.initialize(from: array)
            return buffer
        }
        self.names = copy(names)
        self.firstOfLength = copy(firstOfLength)
        self.nextOfLength = copy(nextOfLength)
    }

    @inline(__always)
    package func position(of name: String) -> Int? {
        let length = name.utf8.count
        guard length < firstOfLength.count else { return nil }
        var candidate = firstOfLength[length]
        while candidate != 0 {
            if names[candidate - 1] == name { return candidate - 1 }
            candidate = nextOfLength[candidate - 1]
        }
        return nil
    }

    fileprivate func deallocate() {
        names.deinitialize().deallocate()
        firstOfLength.deallocate()
        nextOfLength.deallocate()
    }
}

/// The event types a store accepts: every domain's declarations, looked up by name or code.
package struct EventCatalog: Sendable {
    /// In code order.
    package let declarations: [EventDeclaration]
    /// Looked up for every line appended, by the line's `type` as UTF-8 bytes, read without making
    /// a string of it (`JSONObjectScanner`): each declaration's name and its `TableHash`, cheaper
    /// than `String`'s SipHash (Tools/Benchmark/HISTORY.md, item 27), in buckets by hash.
    private let byName: [[(hash: Int, name: [UInt8], declaration: EventDeclaration)]]
    /// Indexed by code: looked up for every stored event a replay reads.
    private let byCode: [EventDeclaration?]

    package init(_ declarations: [EventDeclaration]) {
        self.declarations = declarations.sorted { $0.code < $1.code }
        var byCode = [EventDeclaration?](repeating: nil, count: Int(declarations.map(\.code).max() ?? 0) + 1)
        for declaration in declarations {
            precondition(declaration.code >= 0, "\(declaration.name) has a negative code")
            if let taken = byCode[Int(declaration.code)] {
                preconditionFailure("event types \(taken.name) and \(declaration.name) share code \(declaration.code)")
            }
            byCode[Int(declaration.code)] = declaration
        }
        self.byCode = byCode
        var buckets = [[(hash: Int, name: [UInt8], declaration: EventDeclaration)]](repeating: [], count: Self.nameBuckets)
        for declaration in declarations {
            let hash = TableHash.of(declaration.name, seed: 0), name = Array(declaration.name.utf8)
            precondition(!buckets[hash & (Self.nameBuckets - 1)].contains { $0.name == name }, "event type \(declaration.name) is declared twice")
            buckets[hash & (Self.nameBuckets - 1)].append((hash, name, declaration))
        }
        byName = buckets
    }

    private static let nameBuckets = 64

    package subscript(name name: String) -> EventDeclaration? {
        var name = name
        return name.withUTF8 { self[utf8: $0] }
    }

    /// The declaration named by these UTF-8 bytes.
    package subscript(utf8 name: UnsafeBufferPointer<UInt8>) -> EventDeclaration? {
        let hash = TableHash.of(utf8: name.span, seed: 0)
        // Read in place: `for entry in bucket` copied each entry it passed, a retain and a release
        // of its name and its declaration (Tools/Benchmark/HISTORY.md, item 32).
        return byName[hash & (Self.nameBuckets - 1)].withUnsafeBufferPointer { bucket in
            for index in bucket.indices where bucket[index].hash == hash {
                if bucket[index].name.withUnsafeBufferPointer({ $0.elementsEqual(name) }) { return bucket[index].declaration }
            }
            return nil
        }
    }

    package subscript(code code: Int64) -> EventDeclaration? {
        code >= 0 && code < byCode.count ? byCode[Int(code)] : nil
    }

    /// The same without a reference counted for the caller, who must keep the catalog alive
    /// while using it: a replay hands one to its decoding thread with every row it reads (see
    /// `StoredStreams.unretained`, in FleetStore).
    package func unretained(code: Int64) -> Unmanaged<EventDeclaration>? {
        guard code >= 0 && code < byCode.count else { return nil }
        return byCode.withUnsafeBufferPointer { declarations in declarations[Int(code)].map { Unmanaged.passUnretained($0) } }
    }

    package var names: [String] { declarations.map(\.name) }
}
