import FleetEvents
import FleetProjection

/// Reading Azure's bodies: typed fields named by their place in the body, and the store's states.
extension AzureImport {
    /// A string field holding one of `Value`'s cases; nil when absent or null.
    func field<Value: ContractEnum>(_ object: [JSONMember], _ key: String, at place: String, _: Value.Type) throws(ImportError) -> Value? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard let value = Value(rawValue: text) else {
                throw ImportError("\(Self.path(place, key)) is \"\(text)\", which is not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        case let other?: throw ImportError("\(Self.path(place, key)) is \(other.kindDescription), not a string")
        }
    }

    /// An RFC 3339 time field; nil when absent, null or Azure's zero time (0001-01-01).
    func time(_ object: [JSONMember], _ key: String, at place: String) throws(ImportError) -> Timestamp? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            if text.hasPrefix("0001-01-01") { return nil }
            guard let time = Timestamp(rfc3339: text) else { throw ImportError("\(Self.path(place, key)) is \"\(text)\", which is not an RFC 3339 time") }
            return time
        case let other?: throw ImportError("\(Self.path(place, key)) is \(other.kindDescription), not a time")
        }
    }

    /// `place.key`, or `key` alone for a body's own field.
    static func path(_ place: String, _ key: String) -> String { place.isEmpty ? key : "\(place).\(key)" }

    /// `question` asked of the store's states; nil for a new store.
    func read<Value>(_ question: (ProjectionReader) throws -> Value) throws(ImportError) -> Value? {
        guard let view = request.view else { return nil }
        do { return try question(view) } catch { throw ImportError("could not read the store: \(error)") }
    }
}
