import FleetEvents

/// JSON output of the query commands, from `Encodable` shapes: compact, keys sorted (output must
/// be the same bytes every run), slashes unescaped (Azure resource ids are full of them). The
/// bytes `JSONEncoder` writes with `.sortedKeys` and `.withoutEscapingSlashes`, written by
/// `SortedJSONEncoder`, which costs a fraction of `JSONEncoder` (Tools/Benchmark/HISTORY.md,
/// item 25).
package enum OutputJSON {
    package static func encode(_ value: some Encodable) -> String {
        do {
            return String(decoding: try SortedJSONEncoder.encode(value, integralDoubles: .withoutFraction), as: UTF8.self)
        } catch {
            // Output shapes hold strings, numbers and booleans only, which always encode.
            preconditionFailure("cannot encode \(type(of: value)): \(error)")
        }
    }
}

/// An optional that JSON output writes as `null` when absent, as Azure's resources do (the
/// synthesized `Encodable` would leave the key out).
@propertyWrapper
package struct Nullable<Value: Encodable>: Encodable {
    package var wrappedValue: Value?

    package init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
