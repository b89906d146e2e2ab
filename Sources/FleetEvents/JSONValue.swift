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
        // Names of another length are passed over without comparing their text (most field
        // names differ in length), and members are read in place, not copied out one by one.
        let members = span
        let length = key.utf8.count
        for index in members.indices where members[index].key.utf8.count == length && members[index].key == key {
            return members[index].value
        }
        return nil
    }
}
