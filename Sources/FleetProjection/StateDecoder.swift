import FleetEvents

/// Decodes read-model states that `SortedJSONEncoder` wrote: the project's JSON parser reads the text,
/// and a `Decoder` walks the parsed values.
///
/// Foundation's `JSONDecoder` did the same at several times the cost, and queries such as `lb list`
/// decode thousands of states (Tools/Benchmark/HISTORY.md, item 15). States hold only strings,
/// integers, doubles, booleans, arrays and string-keyed objects, and leave nil optionals out, so
/// that is all this reads.
struct StateDecoder {
    static func decode<State: Decodable>(_ type: State.Type, from text: String) throws -> State {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The state is not valid JSON: \(error.description)."))
        }
        return try State(from: ValueDecoder(value: value, codingPath: []))
    }
}

/// Decodes one parsed value.
private struct ValueDecoder: Decoder {
    let value: JSONValue
    /// The path to the value's container, and the value's key in it: the path itself is built
    /// only when asked for (an error, or a container of its own), not for every value decoded.
    let parentPath: [any CodingKey]
    let key: (any CodingKey)?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONValue, codingPath: [any CodingKey]) {
        self.init(value: value, in: codingPath, at: nil)
    }

    init(value: JSONValue, in parentPath: [any CodingKey], at key: (any CodingKey)?) {
        self.value = value
        self.parentPath = parentPath
        self.key = key
    }

    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: Int].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([Int].self, value, codingPath) }
        return UnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}

extension ValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try double(value, codingPath)) }
    func decode<T: BinaryInteger & Decodable>(_ type: T.Type) throws -> T { try integer(value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
}

/// An object's members, found by key: by a linear search for the few members a record has, by a
/// dictionary for the many a map can have (a synthesized `Dictionary` decode asks for every key).
private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [JSONMember]
    let codingPath: [any CodingKey]
    private let byKey: [String: JSONValue]?

    init(members: [JSONMember], codingPath: [any CodingKey]) {
        self.members = members
        self.codingPath = codingPath
        byKey = members.count > 16 ? Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }) : nil
    }

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    private func find(_ key: Key) -> JSONValue? {
        if let byKey { return byKey[key.stringValue] }
        return members[key.stringValue]
    }

    private func value(_ key: Key) throws -> JSONValue {
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No member \"\(key.stringValue)\"."))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    // The path is built only for an error: built for every member read, it was an array
    // allocated and filled per field of every state decoded.
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try bool(value(key), codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try string(value(key), codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try double(value(key), codingPath + [key]) }
    func decode<T: BinaryInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try integer(value(key), codingPath + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: ValueDecoder(value: value(key), in: codingPath, at: key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: value(key), in: codingPath, at: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: value(key), in: codingPath, at: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(members), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ValueDecoder(value: try value(key), in: codingPath, at: key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "The array has no item \(currentIndex)."))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: items[currentIndex], in: codingPath, at: IndexKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode<T: BinaryInteger & Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

/// An array position in a coding path.
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue!)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// The value as the scalar a container was asked for, or the error `JSONDecoder` would throw. One
/// function per kind: a generic one matched the value by casting it to `T` at run time.
private func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
    guard case .string(let text) = value else { throw mismatch(String.self, value, path()) }
    return text
}

private func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
    guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, path()) }
    return flag
}

private func double(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Double {
    switch value {
    case .double(let number): return number
    case .int(let number): return Double(number)
    default: throw mismatch(Double.self, value, path())
    }
}

/// An integer of type `T` when the value is one that fits, or the error `JSONDecoder` would throw.
private func integer<T: BinaryInteger>(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
    guard case .int(let int) = value else { throw mismatch(T.self, value, path()) }
    guard let exact = T(exactly: int) else {
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "\(int) does not fit in \(T.self)."))
    }
    return exact
}

private func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
    .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected \(type) but found \(value.kindDescription)."))
}
