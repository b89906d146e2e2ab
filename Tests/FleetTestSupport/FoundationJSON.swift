import Foundation

/// `value` as Foundation's `JSONEncoder` writes it with sorted keys and unescaped slashes: what the
/// store wrote states with, and the commands their JSON, before the project had its own encoder.
public func foundationJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
