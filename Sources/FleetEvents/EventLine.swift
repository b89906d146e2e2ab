/// NDJSON lines for the events the command line appends itself, built with the same writer the
/// store uses, so names and values are escaped exactly as input must be.
package enum EventLine {
    /// One event in the ingest contract: `{"type":…,"at":…,"data":{…}}`.
    package static func envelope(type: String, at: Timestamp, data: [JSONMember]) -> String {
        var writer = JSONWriter()
        writer.write(.object([
            JSONMember(key: "type", value: .string(type)),
            JSONMember(key: "at", value: .string(at.rfc3339)),
            JSONMember(key: "data", value: .object(data)),
        ]), sortingKeys: false)
        return writer.text
    }
}
