/// NDJSON lines for the events the command line appends itself, built with the same writer the
/// store uses, so names and values are escaped exactly as input must be.
public enum EventLine {
    public static func drainModeChanged(pool: String, host: String, allowNewSession: Bool, at: Timestamp) -> String {
        envelope(type: .drainModeChanged, at: at, data: [
            JSONMember(key: "hostPool", value: .string(pool)),
            JSONMember(key: "sessionHost", value: .string(host)),
            JSONMember(key: "allowNewSession", value: .bool(allowNewSession)),
        ])
    }

    static func envelope(type: EventType, at: Timestamp, data: [JSONMember]) -> String {
        var writer = JSONWriter()
        writer.write(.object([
            JSONMember(key: "type", value: .string(type.rawValue)),
            JSONMember(key: "at", value: .string(at.rfc3339)),
            JSONMember(key: "data", value: .object(data)),
        ]), sortingKeys: false)
        return writer.text
    }
}
