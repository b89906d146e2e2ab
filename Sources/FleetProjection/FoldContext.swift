import FleetEvents

/// What a fold may read besides its own entity: other entities' states, as they stood just
/// before the event being folded.
public struct FoldContext {
    @usableFromInline let pass: ProjectionPass

    @usableFromInline package init(pass: ProjectionPass) { self.pass = pass }

    /// The state of `entity` in projector `P`, nil when it has none yet.
    @inlinable
    public func state<P: Projector>(_ projector: P.Type, of entity: StreamKey) throws -> P.State? {
        try pass.slot(P.self).state(of: entity)
    }

    /// What `body` reads of the state of `entity` in projector `P`, the state not copied (see
    /// `ProjectorSlot.withState`).
    @inlinable
    public func withState<P: Projector, Result>(
        _ projector: P.Type, of entity: StreamKey, _ body: (borrowing P.State?) throws -> Result
    ) throws -> Result {
        try pass.slot(P.self).withState(of: entity, body)
    }

    /// The states of projector `P` for every entity in `range`, in key order.
    @inlinable
    public func states<P: Projector>(_ projector: P.Type, in range: StreamKeyRange) throws -> [(key: StreamKey, state: P.State)] {
        try pass.slot(P.self).states(in: range)
    }
}
