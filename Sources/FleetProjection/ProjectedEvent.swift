import FleetEvents

/// An event as projectors see it: its position in the log, its time, its stream and its typed data.
public struct ProjectedEvent: Sendable {
    public var seq: Int64
    package var at: Timestamp
    public var stream: StreamKey
    package var data: any EventData

    package init(seq: Int64, at: Timestamp, stream: StreamKey, data: any EventData) {
        self.seq = seq
        self.at = at
        self.stream = stream
        self.data = data
    }

    package var declaration: EventDeclaration { type(of: data).declaration }
}
