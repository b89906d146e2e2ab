import FleetEvents

/// An event as projectors see it: its position in the log, its time, its stream and its typed data.
public struct ProjectedEvent: Sendable {
    public var seq: Int64
    package var at: Timestamp
    public var stream: StreamKey
    @usableFromInline package let data: any EventData
    /// The code of the data's type, taken where the event is made: asked of the data, it cost a
    /// run-time type lookup on the folding thread for every event a pass applied. (A replay
    /// makes its events on its decoding thread.)
    @usableFromInline package let code: Int64
    /// `data`'s own reference, unretained, when its type is a class (`withData`); `data` holds it.
    @usableFromInline let object: Unmanaged<any AnyObject & Sendable>?

    package init(seq: Int64, at: Timestamp, stream: StreamKey, data: any EventData) {
        self.init(seq: seq, at: at, stream: stream, data: data, type: type(of: data).declaration)
    }

    /// The same, for a caller that decoded `data` as `type` and so need not ask the data.
    ///
    /// `type` is borrowed, as only its code is kept: taken, it was retained and released for
    /// every event a replay decodes, in the one object all events of its type share.
    package init(seq: Int64, at: Timestamp, stream: StreamKey, data: consuming any EventData, type: borrowing EventDeclaration) {
        self.seq = seq
        self.at = at
        self.stream = stream
        object = data.unretainedObject
        code = type.code
        self.data = data
        assert(code == Swift.type(of: self.data).declaration.code, "\(type.name) data is \(Swift.type(of: self.data))")
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

    /// Lends the event's data to `body` as `T`, nil when it is of another type, without taking a
    /// reference to it: for the folds of the one event type most of a fleet's log holds, whose
    /// data is a class. Copied out by `data(as:)`, its reference count was written on the folding
    /// thread, in the cache line the decoding thread had just written the object in, which moved
    /// the line between the cores (that retain alone was about 5% of a rebuild's folding thread's
    /// samples, measured natively with `perf`).
    @inlinable
    public func withData<T: EventData & AnyObject, Result>(as _: T.Type, _ body: (T) throws -> Result) rethrows -> Result? {
        // The code, not the data's type: reading that copied the existential, a retain and a release.
        guard let object, code == T.declaration.code else { return nil }
        return try object._withUnsafeGuaranteedRef { try body(unsafeDowncast($0, to: T.self)) }
    }

    /// `data` as `T` when it is one; the existential is opened by the call.
    @usableFromInline
    static func take<Data: EventData, T: EventData>(_ data: Data, as _: T.Type) -> T? {
        // Data is T: the bit cast is the identity.
        Data.self == T.self ? unsafeBitCast(data, to: T.self) : nil
    }
}
