import FleetEvents

/// An event as projectors see it: its position in the log, its time, its stream and its typed data.
public struct ProjectedEvent: Sendable {
    public var seq: Int64
    package var at: Timestamp
    public var stream: StreamKey
    @usableFromInline package let data: any EventData
    /// The code of the data's type, taken where the event is made (a replay makes its events on
    /// its decoding thread), so the folding thread need not ask the data for it.
    @usableFromInline package let code: Int64

    package init(seq: Int64, at: Timestamp, stream: StreamKey, data: any EventData) {
        self.init(seq: seq, at: at, stream: stream, data: data, type: type(of: data).declaration)
    }

    /// The same, for a caller that decoded `data` as `type` and so need not ask the data.
    package init(seq: Int64, at: Timestamp, stream: StreamKey, data: consuming any EventData, type: borrowing EventDeclaration) {
        self.seq = seq
        self.at = at
        self.stream = stream
        code = type.code
        self.data = data
        assert(code == Swift.type(of: self.data).declaration.code, "\(type.name) data is \(Swift.type(of: self.data))")
    }

    package var declaration: EventDeclaration { type(of: data).declaration }

    /// The event's data as `T`, nil when it is of another type: what the folds ask of every event.
    ///
    /// The type's code is compared first, so a fold asking for a type the event is not pays nothing
    /// more; a match is taken out of the opened existential as the type it is, not through the
    /// runtime's general cast (Tools/Benchmark/HISTORY.md, item 33).
    @inlinable
    public func data<T: EventData>(as _: T.Type) -> T? {
        guard code == T.declaration.code else { return nil }
        let data: any EventData = self.data
        return Self.take(data, as: T.self)
    }

    @usableFromInline
    static func take<Data: EventData, T: EventData>(_ data: Data, as _: T.Type) -> T? {
        // Data is T, compared as types: the bit cast is the identity.
        Data.self == T.self ? unsafeBitCast(data, to: T.self) : nil
    }
}
