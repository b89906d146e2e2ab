import FleetEvents

/// How projector states are written to the store: compact JSON with sorted keys, so equal states
/// are equal text and `verify` can compare a fresh replay with a stored row byte for byte.
public enum StateCoding {
    public static func encode<State: Encodable>(_ state: State) throws -> String {
        String(decoding: try SortedJSONEncoder.encode(state), as: UTF8.self)
    }

    public static func decode<State: Decodable>(_ type: State.Type, from text: String) throws -> State {
        try StateDecoder.decode(type, from: text)
    }
}
