/// A JSON value as read from input, with object members kept in their original order.
///
/// Integers that fit in 64 bits stay exact (`int`); every other number is a `double`.
package enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// How the value is named in an error message ("a string", "an object", ...).
    package var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One `"key": value` pair of a JSON object.
package struct JSONMember: Equatable, Sendable {
    package var key: String
    package var value: JSONValue

    package init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension Array where Element == JSONMember {
    /// The value of the member named `key`, if present.
    package subscript(key: String) -> JSONValue? {
        withUnsafeBufferPointer { $0[key] }
    }
}

extension UnsafeBufferPointer where Element == JSONMember {
    /// The value of the member named `key`, if present.
    package subscript(key: String) -> JSONValue? {
        // Looked up for every field of every event decoded: names of another length are passed
        // over without comparing their text (most field names differ in length), and members are
        // read in place rather than copied out one by one.
        let length = key.utf8.count
        for index in indices where self[index].key.utf8.count == length && self[index].key == key {
            return self[index].value
        }
        return nil
    }
}
