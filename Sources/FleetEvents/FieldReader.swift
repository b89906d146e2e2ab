/// Reads the fields of one event's `data` object into typed values, with errors that name the
/// field and the rule it broke.
///
/// Unknown fields are refused up front, before missing ones, so a misspelt name is reported as
/// the typo it is ("did you mean ...") rather than as a missing field.
///
/// Lent to a type's decoder for one event and never kept: it holds what it reads unretained
/// (the members, the stored fields, the declaration, the key interner), so that the decoders,
/// which pass it along from field to field, copy it without counting references
/// (Tools/Benchmark/HISTORY.md, item 28). `EventDeclaration.decode` makes every reader.
public struct FieldReader {
    /// Input's data, as given.
    private let members: UnsafeBufferPointer<JSONMember>
    /// For input: the index in `members` of each field of the type plus one (0: absent), four
    /// bits per field by its position. Found once, as each member is checked against the type, so
    /// that no name is compared with every key (Tools/Benchmark/HISTORY.md, item 26). Packed, not
    /// an array, which cost an allocation and a run-time metadata lookup per event. A type of more
    /// than 16 fields, or data of more than 15 members, is read by searching the members instead.
    private let memberAt: UInt64
    private let searchMembers: Bool
    /// A stored event's data, read in place of `members` when `isStored`. Its fields are found
    /// by position, not by name among members, and their values made only when read
    /// (Tools/Benchmark/HISTORY.md, items 25 and 26).
    ///
    /// Not optional (empty for input): read through an optional, the whole of it was copied out,
    /// three retains and releases, for every field read.
    private let stored: StoredFields
    private let isStored: Bool
    /// Unowned, so copying a reader counts nothing; each use still takes and drops a reference
    /// around the call. Held as `Unmanaged` and read through `_withUnsafeGuaranteedRef`, the
    /// closure was not inlined and cost more than the count (Tools/Benchmark/HISTORY.md, item 28).
    private unowned(unsafe) let declaration: EventDeclaration
    /// The declaration's table of its fields' positions, read for every field without touching
    /// the declaration (see `FieldPositions`).
    private let positions: FieldPositions
    private static let path = "data"
    package var typeName: String { declaration.name }
    /// Whether the rules added since events were first stored apply: at append they do; a stored
    /// event is read as it was accepted, so a rebuild never refuses what the log holds.
    package let checking: Checking
    private unowned(unsafe) let keys: StreamKeyInterner?

    /// Which rules a read applies.
    package enum Checking: Sendable {
        /// Input being appended: every rule.
        case append
        /// An event the log already holds, its data decoded from the log's compact form (so every
        /// member is a field of its type): the rules it was accepted under.
        case stored
    }

    /// The longest name accepted, in characters: generous, since Azure's longest names (a session
    /// host's FQDN, 253; a resource name, 260) are far shorter.
    package static let maxNameLength = 1_024

    /// A reader of `members`, the data of an event of `declaration`; with `.append`, a member
    /// that is not one of its fields is an error.
    package init(_ members: UnsafeBufferPointer<JSONMember>, of declaration: EventDeclaration, checking: Checking = .stored,
                 keys: StreamKeyInterner? = nil) throws(InputError) {
        var memberAt: UInt64 = 0
        let searchMembers = declaration.fields.count > 16 || members.count > 15
        for (index, member) in members.enumerated() {
            guard let position = declaration.position(of: member.key) else {
                // Data decoded from the log's compact form names each field by its position in the
                // type's list: only input can hold a name the type does not define.
                guard checking == .append else { continue }
                let hint = didYouMean(member.key, among: declaration.fields)
                throw InputError(
                    field: "data.\(member.key)",
                    "is not a field of \(declaration.name)"
                        + (hint.isEmpty ? " (its fields: \(declaration.fields.joined(separator: ", ")))" : hint)
                )
            }
            // The first of repeated keys counts (the parser refuses them in input).
            let shift = UInt64(position * 4)
            if !searchMembers, memberAt >> shift & 0xF == 0 { memberAt |= UInt64(index + 1) << shift }
        }
        self.members = members
        self.memberAt = memberAt
        self.searchMembers = searchMembers
        stored = StoredFields()
        isStored = false
        self.declaration = declaration
        positions = declaration.positions
        self.checking = checking
        self.keys = keys
    }

    /// A reader of a stored event's data, located in the log's compact form (see `stored`).
    package init(stored fields: StoredFields, of declaration: EventDeclaration, keys: StreamKeyInterner?) {
        members = UnsafeBufferPointer(start: nil, count: 0)
        memberAt = 0
        searchMembers = false
        stored = fields
        isStored = true
        self.declaration = declaration
        positions = declaration.positions
        checking = .stored
        self.keys = keys
    }

    /// The key of `kind` named by `values` (fields this reader has read), shared with the other
    /// events of the caller's decoder when it gave one.
    package func key(_ kind: StreamKind, _ first: String, _ second: String = "", _ third: String = "") -> StreamKey {
        let make = { keys?.key(kind, first, second, third) ?? StreamKeyInterner.build(kind, first, second, third) }
        guard let recent = stored.recentKeys else { return make() }
        return recent._withUnsafeGuaranteedRef { $0.key(kind, first, second, third, orElse: make) }
    }

    package func fieldPath(_ name: String) -> String { "\(Self.path).\(name)" }

    /// C0 and C1 control characters and DEL: no name holds them, and they hide in terminals and logs.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The value of `name`; JSON null counts as absent.
    package func value(_ name: String) -> JSONValue? {
        guard let position = positions.position(of: name) else { return nil }
        let found: JSONValue?
        if isStored {
            found = stored.value(at: position)
        } else if searchMembers {
            found = members[name]
        } else {
            let index = Int(memberAt >> UInt64(position * 4) & 0xF)
            found = index > 0 ? members[index - 1].value : nil
        }
        guard let value = found else { return nil }
        if case .null = value { return nil }
        return value
    }

    package func has(_ name: String) -> Bool { value(name) != nil }

    /// A required field's value, read by its optional reader: one look for the field, not two.
    private func required<Value>(_ name: String, _ read: (String) throws(InputError) -> Value?) throws(InputError) -> Value {
        guard let value = try read(name) else { throw missingField(name) }
        return value
    }

    private func wrongType(_ name: String, _ expected: String, _ actual: JSONValue) -> InputError {
        InputError(field: fieldPath(name), "must be \(expected), not \(actual.kindDescription)")
    }

    // MARK: Strings

    package func string(_ name: String, maxLength: Int? = nil) throws(InputError) -> String {
        try required(name) { (name) throws(InputError) in try optionalString(name, maxLength: maxLength) }
    }

    public func optionalString(_ name: String, maxLength: Int? = nil) throws(InputError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw wrongType(name, "a string", value) }
        if let maxLength, text.count > maxLength {
            throw InputError(field: fieldPath(name), "is \(text.count) characters long; at most \(maxLength) are allowed")
        }
        return text
    }

    /// A resource name that becomes part of a stream key: not empty, and without "/".
    /// A required IP address (`IPAddress`): checked at append, as names are.
    package func ipAddress(_ name: String) throws(InputError) -> String {
        let text = try string(name)
        if checking == .stored || IPAddress.isValid(text) { return text }
        throw InputError(field: fieldPath(name), "is \"\(text)\", which is not an IPv4 or IPv6 address (such as 10.0.0.4 or fd00::4)")
    }

    package func name(_ name: String) throws(InputError) -> String {
        var text = try string(name)
        // A stored name passed these rules when it was appended, and a rebuild never refuses what
        // the log holds, so it is not checked again (Tools/Benchmark/HISTORY.md, item 24).
        if checking == .stored { return text }
        // Nearly every name is printable ASCII: one pass over its bytes settles it (counting
        // characters and scanning scalars, below, is for the rest and for exact messages).
        let printableASCII = text.withUTF8 { utf8 in
            !utf8.isEmpty && utf8.count <= Self.maxNameLength && utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
        }
        if printableASCII { return text }
        guard !text.isEmpty else { throw InputError(field: fieldPath(name), "must not be empty") }
        guard !text.utf8.contains(UInt8(ascii: "/")) else {
            throw InputError(field: fieldPath(name), "is \"\(text)\"; a name must not contain \"/\"")
        }
        guard checking == .append else { return text }
        if text.count > Self.maxNameLength {
            throw InputError(field: fieldPath(name), "is \(text.count) characters long; a name may have at most \(Self.maxNameLength)")
        }
        if let (offset, scalar) = text.unicodeScalars.enumerated().first(where: { Self.isControl($0.element) }) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            throw InputError(field: fieldPath(name),
                             "holds a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)) at character \(offset + 1), which no name may hold")
        }
        return text
    }

    // MARK: Numbers and booleans

    package func int(_ name: String, in range: ClosedRange<Int64>? = nil) throws(InputError) -> Int64 {
        try required(name) { (name) throws(InputError) in try optionalInt(name, in: range) }
    }

    package func optionalInt(_ name: String, in range: ClosedRange<Int64>? = nil) throws(InputError) -> Int64? {
        guard let value = value(name) else { return nil }
        let number: Int64
        switch value {
        case .int(let exact): number = exact
        case .double(let double) where double.rounded() == double && abs(double) < 9e15: number = Int64(double)
        default: throw wrongType(name, "an integer", value)
        }
        if let range, !range.contains(number) {
            throw InputError(field: fieldPath(name), "is \(number); it must be \(describe(range))")
        }
        return number
    }

    package func optionalDouble(_ name: String, atLeast minimum: Double? = nil) throws(InputError) -> Double? {
        guard let value = value(name) else { return nil }
        let number: Double
        switch value {
        case .int(let exact): number = Double(exact)
        case .double(let double): number = double
        default: throw wrongType(name, "a number", value)
        }
        if let minimum, number < minimum {
            throw InputError(field: fieldPath(name), "is \(number); it must be at least \(minimum)")
        }
        return number
    }

    package func bool(_ name: String) throws(InputError) -> Bool {
        try required(name) { (name) throws(InputError) in try optionalBool(name) }
    }

    package func optionalBool(_ name: String) throws(InputError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(name, "true or false", value) }
        return flag
    }

    // MARK: Enumerations and times

    // Public and inlinable, so each domain's enum is read by code specialized for it (Swift does not
    // serialize the bodies of `package` inlinable code): unspecialized, each read looked up the
    // metadata of the enum's Optional at run time (Tools/Benchmark/HISTORY.md, item 23).
    @inlinable
    public func enumValue<Value: ContractEnum>(_ name: String, _: Value.Type = Value.self) throws(InputError) -> Value {
        guard let value = try optionalEnum(name, Value.self) else { throw missingField(name) }
        return value
    }

    @inlinable
    public func optionalEnum<Value: ContractEnum>(_ name: String, _: Value.Type = Value.self) throws(InputError) -> Value? {
        if let value = storedEnum(name, Value.self) { return value }
        guard let text = try optionalString(name) else { return nil }
        guard let value = Value(rawValue: text) else { throw notOneOf(name, text, allowed: Value.allCases.map(\.rawValue)) }
        return value
    }

    /// A stored field's value when the log holds it as an interned string that is a case of
    /// `Value`, found through the decoding thread's `InternedCases`; nil otherwise (input, no
    /// interner, the field absent or held otherwise), for the general path to read or refuse.
    ///
    /// Inlined, so the table is read as `Value`'s own (unspecialized, reading it cost more than
    /// the string switch it skips); the steps that need no `Value` are not.
    @inlinable
    func storedEnum<Value: ContractEnum>(_ name: String, _: Value.Type) -> Value? {
        guard let index = storedInternedIndex(name),
              let table = internedCases(of: ObjectIdentifier(Value.self), orMake: { InternedCases<Value>() }) else { return nil }
        return table._withUnsafeGuaranteedRef { unsafeDowncast($0, to: InternedCases<Value>.self).cases[index] }
    }

    /// The position among the interned strings of the string stored field `name` holds, if any.
    @usableFromInline
    func storedInternedIndex(_ name: String) -> Int? {
        guard isStored, let position = positions.position(of: name) else { return nil }
        return stored.internedIndex(at: position)
    }

    /// The decoding thread's table of an enumeration's cases (nil without an interner).
    @usableFromInline
    func internedCases(of type: ObjectIdentifier, orMake make: () -> AnyObject) -> Unmanaged<AnyObject>? {
        keys?.internedCases(of: type, orMake: make)
    }

    @usableFromInline
    func missingField(_ name: String) -> InputError {
        InputError(field: fieldPath(name), Self.missingRule(typeName: typeName))
    }

    /// The rule a required field's absence breaks, as its refusal words it: the event reference
    /// tells a required field by it.
    package static func missingRule(typeName: String) -> String { "is missing; \(typeName) requires it" }

    @usableFromInline
    func notOneOf(_ name: String, _ text: String, allowed: [String]) -> InputError {
        InputError(field: fieldPath(name),
                   "is \"\(text)\", which is not one of \(allowed.joined(separator: ", "))\(didYouMean(text, among: allowed))")
    }

    package func optionalTimestamp(_ name: String) throws(InputError) -> Timestamp? {
        guard let text = try optionalString(name) else { return nil }
        switch Timestamp.parse(text) {
        case .success(let time): return time
        case .failure(let error):
            throw InputError(field: fieldPath(name), "is \"\(text)\", which is not an RFC 3339 time: \(error.reason)")
        }
    }

    // MARK: Cross-field rules

    /// Refuses `name` when present, explaining when it is allowed.
    package func forbid(_ name: String, because reason: String) throws(InputError) {
        if has(name) { throw InputError(field: fieldPath(name), "is not allowed \(reason)") }
    }

    private func describe(_ range: ClosedRange<Int64>) -> String {
        if range.upperBound == .max { return "at least \(range.lowerBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }
}

extension UnsafeBufferPointer where Element == JSONMember {
    /// The value of the member named `key`, if present, read as `Array`'s subscript reads it.
    package subscript(key: String) -> JSONValue? {
        let length = key.utf8.count
        for index in indices where self[index].key.utf8.count == length && self[index].key == key {
            return self[index].value
        }
        return nil
    }
}
