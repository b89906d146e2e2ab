import FleetEvents

/// An event as projectors see it: its position in the log, its time, its stream and its typed data.
package struct ProjectedEvent: Sendable {
    package var seq: Int64
    package var at: Timestamp
    package var stream: StreamKey
    package var data: any EventData

    package init(seq: Int64, at: Timestamp, stream: StreamKey, data: any EventData) {
        self.seq = seq
        self.at = at
        self.stream = stream
        self.data = data
    }

    package var declaration: EventDeclaration { type(of: data).declaration }
}
