/// Encodes `Encodable` values as compact JSON with sorted keys: the bytes `JSONEncoder` writes
/// with `.sortedKeys` and `.withoutEscapingSlashes`, for the strings, numbers, booleans, arrays and
/// string-keyed objects the store's states and the commands' output shapes hold, at a fraction of
/// its cost: it skips `JSONEncoder`'s checks for dates, URLs and key strategies
/// (Tools/Benchmark/HISTORY.md, item 25). Nil optionals are left out, as the synthesized
/// `Encodable` asks.
package struct SortedJSONEncoder {
    /// How a Double with no fractional part is written.
    package enum IntegralDoubles: Sendable {
        /// `1.0`, so that it reads back as a number with a fraction: the store's states, whose
        /// bytes are frozen (`verify` compares them).
        case withFraction
        /// `1`, as `JSONEncoder` writes it: the commands' output.
        case withoutFraction
    }

    package static func encode(_ value: some Encodable, integralDoubles: IntegralDoubles = .withFraction) throws -> [UInt8] {
        let root = NodeEncoder(codingPath: [])
        try value.encode(to: root)
        var writer = JSONWriter(capacity: 512)
        write(root.node, into: &writer, integralDoubles: integralDoubles)
        return writer.bytes
    }

    private static func write(_ node: Node, into writer: inout JSONWriter, integralDoubles: IntegralDoubles) {
        switch node {
        case .value(.double(let number)) where integralDoubles == .withoutFraction:
            // `JSONEncoder` writes a Double's description without a trailing ".0" ("1", "1e+21").
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            writer.raw(text)
        case .value(let value): writer.write(value)
        case .array(let box):
            writer.raw("[")
            for (index, item) in box.items.enumerated() {
                if index > 0 { writer.raw(",") }
                write(item, into: &writer, integralDoubles: integralDoubles)
            }
            writer.raw("]")
        case .object(let box):
            writer.raw("{")
            // Sorted where they are, not into a new array: each object is written once.
            box.members.sort { $0.key < $1.key }
            for (index, member) in box.members.enumerated() {
                writer.writeKey(member.key, first: index == 0)
                write(member.node, into: &writer, integralDoubles: integralDoubles)
            }
            writer.raw("}")
        }
    }
}

/// A value being encoded: a scalar, or a container that later encodes fill in.
private enum Node {
    case value(JSONValue)
    case object(ObjectBox)
    case array(ArrayBox)
}

private final class ObjectBox {
    var members: [(key: String, node: Node)]

    init() {
        // Room for a state's usual fields at once: grown member by member, the array was
        // reallocated three or four times per object.
        members = []
        members.reserveCapacity(12)
    }
}

private final class ArrayBox {
    var items: [Node] = []
}

/// Coding paths are not extended as values nest: a state is one of the project's own types, whose
/// encoding never fails, so a path would never be read, and building one allocated an array of
/// keys for every nested value (a time, an enumeration, a record) of every state written.
private final class NodeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: Node = .value(.null)

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = node { box = existing } else { box = ObjectBox(); node = .object(box) }
        return KeyedEncodingContainer(KeyedContainer(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = node { box = existing } else { box = ArrayBox(); node = .array(box) }
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(encoder: self) }

    /// The node a nested value encodes to.
    static func node(for value: some Encodable, at path: [any CodingKey]) throws -> Node {
        let encoder = NodeEncoder(codingPath: path)
        try value.encode(to: encoder)
        return encoder.node
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    let codingPath: [any CodingKey]

    private func put(_ value: JSONValue, _ key: Key) { box.members.append((key.stringValue, .value(value))) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.int(Int64(value)), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.members.append((key.stringValue, try NodeEncoder.node(for: value, at: codingPath)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        box.members.append((key.stringValue, .object(nested)))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.members.append((key.stringValue, .array(nested)))
        return UnkeyedContainer(box: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(codingPath: codingPath) }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    mutating func encodeNil() throws { box.items.append(.value(.null)) }
    mutating func encode(_ value: Bool) throws { box.items.append(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { box.items.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws { box.items.append(.value(.double(value))) }
    mutating func encode(_ value: Int) throws { box.items.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.value(.int(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try NodeEncoder.node(for: value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectBox()
        box.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.items.append(.array(nested))
        return UnkeyedContainer(box: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(codingPath: codingPath) }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .value(.null) }
    mutating func encode(_ value: Bool) throws { encoder.node = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { encoder.node = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { encoder.node = .value(.double(value)) }
    mutating func encode(_ value: Int) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { encoder.node = .value(.int(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node = try NodeEncoder.node(for: value, at: codingPath)
    }
}
