import FleetEvents

/// One entity's state as the store keeps it: encoded by `StateCoding`, with the position of the
/// last event folded into it.
public struct StoredState: Sendable, Equatable {
    public var seq: Int64
    public var state: String

    package init(seq: Int64, state: String) {
        self.seq = seq
        self.state = state
    }
}

/// Where a pass finds the states it has not folded itself: the store's current read models, a
/// checkpoint, or nothing (a replay from the start of the log).
public protocol StateSource: AnyObject {
    func storedState(projector: String, entity: StreamKey) throws -> StoredState?
    /// Every stored state of `projector` in `range`.
    func storedStates(projector: String, in range: StreamKeyRange) throws -> [(key: StreamKey, stored: StoredState)]
}

/// One entity's state, encoded, as a pass hands it to the store to write or compare.
public struct StateChange: Sendable, Equatable {
    package var projector: String
    package var entity: StreamKey
    package var seq: Int64
    package var state: String

    public init(projector: String, entity: StreamKey, seq: Int64, state: String) {
        self.projector = projector
        self.entity = entity
        self.seq = seq
        self.state = state
    }
}

/// One entity's changed state, copied out of a pass but not yet encoded: encoding can then run on
/// another thread while the pass folds on (see `ReadModelWriter`'s checkpoints).
public struct PendingStateChange: Sendable {
    @usableFromInline package let projector: String
    @usableFromInline package let entity: StreamKey
    @usableFromInline package let seq: Int64
    @usableFromInline let encode: @Sendable () throws -> String

    @inlinable
    public init<State: Encodable & Sendable>(projector: String, entity: StreamKey, seq: Int64, state: State) {
        self.projector = projector
        self.entity = entity
        self.seq = seq
        encode = { try StateCoding.encode(state) }
    }

    package func encoded() throws -> StateChange {
        StateChange(projector: projector, entity: entity, seq: seq, state: try encode())
    }
}
