import FleetEvents
import FleetStore

extension StoredEvent {
    /// The columns of `events --format csv`, in order.
    public static let csvHeader = ["seq", "stream", "version", "type", "at", "recordedAt", "id", "data"]

    public var csvFields: [String] {
        [String(seq), stream, String(version), type, at.rfc3339, recordedAt.rfc3339, id ?? "", data]
    }

    /// The columns of `events --format table`.
    public static let tableHeader = ["SEQ", "AT", "STREAM", "VERSION", "TYPE", "DATA"]

    public var tableFields: [String] {
        [String(seq), at.rfc3339, stream, String(version), type, data]
    }
}
