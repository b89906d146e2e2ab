import FleetEvents

/// Every projector's states during one pass over events, fed each event in log order: an append
/// transaction, a rebuild, verify's replay, or the replay that answers an as-of query.
///
/// States are read from the pass's source once per entity and handed back to the store once per
/// flush, so a batch costs one row write per touched entity, not one per event.
public final class ProjectionPass {
    private let slots: [AnyProjectorSlot]
    /// Each projector's type with its slot. A pass has a dozen at most: scanning them is cheaper
    /// than hashing the type, which the folds that read another projector's states did per event.
    @usableFromInline let slotsByType: [(type: ObjectIdentifier, slot: AnyProjectorSlot)]
    /// The slots folding each event type, indexed by the type's code.
    private let slotsByCode: [[AnyProjectorSlot]]
    /// The position of the last event applied or skipped.
    // Unchecked at run time, as the slots' entries are: a pass belongs to one thread, and the
    // check cost two calls per event applied.
    @exclusivity(unchecked) package private(set) var lastSeq: Int64?
    /// Set when `apply` threw: the pass's states may be incomplete, and using it again is a bug.
    private var abandoned = false
    /// The projectors' names, in the order they fold.
    public let projectorNames: [String]

    /// A pass over `projectors` that finds the states it has not folded in `source` (none: the
    /// states before the first event folded are empty).
    package init(projectors: [AnyProjector], source: StateSource?) {
        let made = projectors.map { ($0, $0.makeSlot(source)) }
        slots = made.map(\.1)
        slotsByType = made.map { ($0.0.type, $0.1) }
        precondition(Set(slotsByType.map(\.type)).count == slotsByType.count, "a pass was given a projector twice")
        projectorNames = projectors.map(\.name)
        var byCode = [[AnyProjectorSlot]](repeating: [], count: Int(projectors.flatMap(\.codes).max() ?? 0) + 1)
        for (projector, slot) in made {
            for code in projector.codes { byCode[Int(code)].append(slot) }
        }
        slotsByCode = byCode
    }

    /// Whether any projector folds events of type `code`; others need not even be decoded.
    package func folds(code: Int64) -> Bool {
        code >= 0 && code < slotsByCode.count && !slotsByCode[Int(code)].isEmpty
    }

    /// Folds `event` into every entity it updates. Every fold sees the states as they stood
    /// before the event; its results are kept only once all of them succeeded. With `checking`
    /// (an append), each projector first checks the event against those states.
    ///
    /// A pass whose `apply` threw must be abandoned, as every caller does (an append rolls back,
    /// a replay stops): a fold that threw may have taken its entity's state out of the pass.
    package func apply(_ event: ProjectedEvent, checking: Bool = false) throws {
        precondition(!abandoned, "a projection pass was used after a fold threw")
        let code = Int(event.code)
        if code < slotsByCode.count {
            let context = FoldContext(pass: self)
            do {
                if checking {
                    for slot in slotsByCode[code] { try slot.check(event, context) }
                }
                let folding = slotsByCode[code]
                if folding.count == 1 {
                    try folding[0].apply(event, context)
                } else {
                    for slot in folding { try slot.stage(event, context) }
                    for slot in folding { slot.commitStaged(event.seq) }
                }
            } catch {
                abandoned = true
                throw error
            }
        }
        lastSeq = event.seq
    }

    /// Marks an event as seen though no projector folds it.
    package func skip(seq: Int64) { lastSeq = seq }

    /// The states changed since the last call, encoded for the store to write; they count as
    /// unchanged afterwards.
    package func takeChanges() throws -> [StateChange] {
        try takeChangedStates().map { try $0.encoded() }
    }

    /// The same, copied but not yet encoded, so that encoding can run on another thread.
    package func takeChangedStates() -> [PendingStateChange] {
        precondition(!abandoned, "a projection pass was used after a fold threw")
        return slots.flatMap { $0.takeChangedStates() }
    }

    /// Every state last folded by an event after `seq`: what a checkpoint holds.
    package func states(foldedAfter seq: Int64) throws -> [StateChange] {
        try pendingStates(foldedAfter: seq).map { try $0.encoded() }
    }

    /// The same, copied but not yet encoded, so that they can be encoded on several threads.
    package func pendingStates(foldedAfter seq: Int64) -> [PendingStateChange] {
        precondition(!abandoned, "a projection pass was used after a fold threw")
        return slots.flatMap { $0.statesFoldedAfter(seq) }
    }

    @inlinable
    public func slot<P: Projector>(_ projector: P.Type) -> ProjectorSlot<P> {
        let type = ObjectIdentifier(P.self)
        guard let slot = slotsByType.first(where: { $0.type == type })?.slot else { missing(P.name) }
        return unsafeDowncast(slot.object, to: ProjectorSlot<P>.self)
    }

    @usableFromInline
    package func missing(_ projector: String) -> Never {
        preconditionFailure("projector \(projector) is read, but this store was not given it (it has \(projectorNames))")
    }

    // MARK: Reading states (see `ProjectionReader`)

    /// The state of `entity` in projector `P`, nil when it has none.
    @inlinable
    public func state<P: Projector>(_ projector: P.Type, of entity: StreamKey) throws -> P.State? {
        try slot(P.self).state(of: entity)
    }

    /// The states of projector `P` for every entity in `range`, in key order.
    @inlinable
    public func states<P: Projector>(_ projector: P.Type, in range: StreamKeyRange) throws -> [(key: StreamKey, state: P.State)] {
        try slot(P.self).states(in: range)
    }
}

/// Read access to projected states, now or as of a time: what domain queries are written against
/// (`state(_:of:)` and `states(_:in:)`).
///
/// The pass itself, not a protocol it conforms to: called through a protocol, whose requirements
/// are generic, every read ran the slot's code unspecialized, looking its types' metadata up at
/// run time (Tools/Benchmark/HISTORY.md, item 27); called on the class, its inlinable reads are
/// compiled for each projector where the query names it.
package typealias ProjectionReader = ProjectionPass
