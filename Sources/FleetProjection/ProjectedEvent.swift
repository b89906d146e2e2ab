import FleetEvents

/// An event as projectors see it: its position in the log, its time, its stream and its typed data.
public struct ProjectedEvent: Sendable {
    public var seq: Int64
    package var at: Timestamp
    public var stream: StreamKey
    @usableFromInline package var data: any EventData

    package init(seq: Int64, at: Timestamp, stream: StreamKey, data: any EventData) {
        self.seq = seq
        self.at = at
        self.stream = stream
        self.data = data
    }

    package var declaration: EventDeclaration { type(of: data).declaration }

    /// The event's data as `T`, nil when it is of another type: what the folds ask of every event.
    ///
    /// The data's dynamic type is compared with `T` before anything is copied, and a match is
    /// taken out of the existential as the type it is, without the runtime's general cast (about
    /// 260 instructions a cast, success or failure, and 7% of a rebuild's folding thread).
    @inlinable
    public func data<T: EventData>(as _: T.Type) -> T? {
        let data: any EventData = self.data
        return Self.take(data, as: T.self)
    }

    /// `data` as `T` when it is one; the existential is opened by the call.
    @usableFromInline
    static func take<Data: EventData, T: EventData>(_ data: Data, as _: T.Type) -> T? {
        // Data is T: the bit cast is the identity.
        Data.self == T.self ? unsafeBitCast(data, to: T.self) : nil
    }
}
