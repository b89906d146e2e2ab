import Foundation

/// JSON output of the query commands, from `Encodable` shapes: compact, keys sorted (Foundation
/// on Linux does not keep declaration order, and output must be the same bytes every run),
/// slashes unescaped (Azure resource ids are full of them).
package enum OutputJSON {
    package static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Output shapes hold strings, numbers and booleans only, which always encode.
            preconditionFailure("cannot encode \(type(of: value)): \(error)")
        }
    }
}
