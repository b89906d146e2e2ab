import FleetEvents

/// One projector's slot in a pass with its type erased, so a pass can hold several projectors.
///
/// The operations are closures made where the projector's type is known (`AnyProjector`'s
/// initializer is inlined into the domain that names the projector), so each runs specialized
/// for that projector. A generic class overriding an abstract one would run generic code instead,
/// which looks up its types' metadata at run time on every call. A class itself, so that
/// handing a slot around costs one retain, not one per closure (Tools/Benchmark/HISTORY.md,
/// items 9 and 24).
public final class AnyProjectorSlot {
    /// The `ProjectorSlot<P>` the closures operate on.
    @usableFromInline let object: AnyObject
    @usableFromInline let check: (ProjectedEvent, FoldContext) throws -> Void
    @usableFromInline let stage: (ProjectedEvent, FoldContext) throws -> Void
    /// Folds an event when this projector is the only one folding it.
    @usableFromInline let apply: (ProjectedEvent, FoldContext) throws -> Void
    @usableFromInline let commitStaged: (Int64) -> Void
    @usableFromInline let takeChangedStates: () -> [PendingStateChange]
    @usableFromInline let statesFoldedAfter: (Int64) -> [PendingStateChange]

    @inlinable
    public init<P: Projector>(_ slot: ProjectorSlot<P>) {
        object = slot
        check = { try P.check($0, $1) }
        stage = { try slot.stage($0, $1) }
        apply = { try slot.apply($0, $1) }
        commitStaged = { slot.commitStaged(seq: $0) }
        takeChangedStates = { slot.takeChangedStates() }
        statesFoldedAfter = { slot.pendingStates(foldedAfter: $0) }
    }
}

/// The states of projector `P` that a pass has read or folded, and which of them changed.
///
/// Inlinable so that it is compiled for each concrete projector (see `AnyProjectorSlot`).
public final class ProjectorSlot<P: Projector> {
    @usableFromInline
    struct Entry {
        @usableFromInline var seq: Int64
        /// Nil: the source was asked and has no state for the entity.
        @usableFromInline var state: P.State?
        @usableFromInline var changed: Bool

        @inlinable
        init(seq: Int64, state: P.State?, changed: Bool) {
            self.seq = seq
            self.state = state
            self.changed = changed
        }
    }

    @usableFromInline let source: StateSource?
    // Unchecked at run time: a slot belongs to one thread and no access to `entries` spans a fold
    // (a fold is handed a copy of the state, and may itself read or add entries), while the
    // checks cost two runtime calls per event folded (Tools/Benchmark/HISTORY.md, item 24).
    @exclusivity(unchecked) @usableFromInline var entries: [StreamKey: Entry] = [:]
    /// The keys the source held in each range asked for, so a range is read from it once per pass.
    @usableFromInline var sourcedRanges: [StreamKeyRange: [StreamKey]] = [:]
    /// The entities the source had no state for when the pass first read them (every entity when
    /// there is no source): the only ones a range can hold beyond what the source listed.
    @usableFromInline var unsourced: Set<StreamKey> = []
    /// The folds of the event being applied, kept apart until every projector has folded it, so
    /// that no fold sees another's effect of the same event.
    @usableFromInline var staged: [(entity: StreamKey, state: P.State)] = []

    @inlinable
    public init(source: StateSource?) {
        self.source = source
    }

    @inlinable
    public func stage(_ event: ProjectedEvent, _ context: FoldContext) throws {
        try stage(event, entities: try P.entities(of: event, context), context)
    }

    @inlinable
    func stage(_ event: ProjectedEvent, entities: Entities, _ context: FoldContext) throws {
        // Whatever a fold that threw left staged belongs to an event that was not applied.
        staged.removeAll(keepingCapacity: true)
        switch entities {
        case .ownStream:
            staged.append((event.stream, try P.fold(try state(of: event.stream), event, entity: event.stream, context)))
        case .one(let entity):
            staged.append((entity, try P.fold(try state(of: entity), event, entity: entity, context)))
        case .keys(let entities):
            for entity in entities {
                staged.append((entity, try P.fold(try state(of: entity), event, entity: entity, context)))
            }
        }
    }

    /// Folds `event` when this projector is the only one folding it: the result is kept at once,
    /// unless the event updates several entities (each of their folds must see the others as
    /// they stood before it).
    @inlinable
    public func apply(_ event: ProjectedEvent, _ context: FoldContext) throws {
        let entities = try P.entities(of: event, context)
        switch entities {
        case .ownStream:
            try applyNow(event, to: event.stream, context)
        case .one(let entity):
            try applyNow(event, to: entity, context)
        case .keys:
            try stage(event, entities: entities, context)
            commitStaged(seq: event.seq)
        }
    }

    /// Folds the only entity an event updates and keeps the result: no other fold can see it first.
    @inlinable
    func applyNow(_ event: ProjectedEvent, to entity: StreamKey, _ context: FoldContext) throws {
        // Found once and written back in place: hashing the key twice per event was measurable.
        if let index = entries.index(forKey: entity) {
            let count = entries.count
            // Moved out of its entry and handed over, and the result moved back, so the fold holds
            // the only reference to the state's storage and changes it in place: copied, a session
            // host's state was copied and destroyed three or four times per event, its
            // health-check dictionary with it. No fold reads its own entity through the context
            // (it is handed it), and a pass whose fold threw is abandoned (see
            // `ProjectionPass.apply`), so neither sees the entry empty.
            let state = try P.fold(Self.takeState(from: &entries.values[index]), event, entity: entity, context)
            // A fold that read an entity of this projector the pass had not seen moved the entries.
            if entries.count == count {
                Self.store(state, seq: event.seq, in: &entries.values[index])
                return
            }
            entries[entity] = Entry(seq: event.seq, state: state, changed: true)
        } else {
            let state = try P.fold(try load(entity), event, entity: entity, context)
            entries[entity] = Entry(seq: event.seq, state: state, changed: true)
        }
    }

    @inlinable
    static func takeState(from entry: inout Entry) -> P.State? {
        var state: P.State?
        swap(&state, &entry.state)
        return state
    }

    @inlinable
    static func store(_ state: consuming P.State, seq: Int64, in entry: inout Entry) {
        entry.seq = seq
        entry.changed = true
        entry.state = consume state
    }

    @inlinable
    public func commitStaged(seq: Int64) {
        for (entity, state) in staged { entries[entity] = Entry(seq: seq, state: state, changed: true) }
        staged.removeAll(keepingCapacity: true)
    }

    /// Hands `body` the state of `entity` where the pass keeps it, rather than a copy of it:
    /// reading one setting of a large state (a load balancer's, for every probe result) copied the
    /// whole of it, a retain and a release per field. `body` must not fold, nor read this
    /// projector's states (the entries are not checked for overlapping access at run time).
    @inlinable
    public func withState<Result>(of entity: StreamKey, _ body: (borrowing P.State?) throws -> Result) throws -> Result {
        if let index = entries.index(forKey: entity) {
            // Reached through the entries' in-place (modify) access: their getter copied the entry
            // out, a retain and a release of each of the state's fields, for a load balancer's
            // state on every probe result (Tools/Benchmark/HISTORY.md, item 25). The entries are
            // never shared, so the access never copies them.
            return try Self.borrow(&entries.values[index].state, body)
        }
        return try body(try load(entity))
    }

    @inlinable
    static func borrow<Result>(_ state: inout P.State?, _ body: (borrowing P.State?) throws -> Result) rethrows -> Result {
        try body(state)
    }

    @inlinable
    public func state(of entity: StreamKey) throws -> P.State? {
        try withState(of: entity) { copy $0 }
    }

    /// Reads an entity the pass has not seen from the source: once per entity per pass.
    @inlinable
    func load(_ entity: StreamKey) throws -> P.State? {
        // Every entity the source holds in a range read whole is an entry already: one that is
        // not needs no question to the source.
        let known = sourcedRanges.keys.contains { $0.contains(entity) }
        let stored = known ? nil : try source?.storedState(projector: P.name, entity: entity)
        let state = try stored.map { try StateCoding.decode(P.State.self, from: $0.state) }
        entries[entity] = Entry(seq: stored?.seq ?? 0, state: state, changed: false)
        if stored == nil { unsourced.insert(entity) }
        return state
    }

    @inlinable
    public func states(in range: StreamKeyRange) throws -> [(key: StreamKey, state: P.State)] {
        // The unsourced entities, rather than every entry, are filtered: a query that asks for many
        // ranges (`lb list`: the addresses of each rule's pool) stays linear in what it reads. One
        // the store wrote after the pass first missed it can be in both lists.
        var keys = try sourcedKeys(in: range).filter { !unsourced.contains($0) }
        keys += unsourced.filter { range.contains($0) }
        // The keys alone, a concrete type, sort much faster than the generic pairs, and histories
        // call this after every event they fold.
        keys.sort { $0.rawValue < $1.rawValue }
        return keys.compactMap { key in entries[key]?.state.map { (key, $0) } }
    }

    /// The keys the source holds in `range`, each entity read into the pass (unless it already was).
    @inlinable
    func sourcedKeys(in range: StreamKeyRange) throws -> [StreamKey] {
        guard let source else { return [] }
        if let known = sourcedRanges[range] { return known }
        var keys: [StreamKey] = []
        for (key, stored) in try source.storedStates(projector: P.name, in: range) {
            keys.append(key)
            // An entity read alone before, and maybe folded since, keeps its state in the pass.
            guard entries[key] == nil else { continue }
            entries[key] = Entry(seq: stored.seq, state: try StateCoding.decode(P.State.self, from: stored.state), changed: false)
        }
        sourcedRanges[range] = keys
        return keys
    }

    /// The changed states, copied (not encoded), which count as unchanged afterwards.
    @inlinable
    public func takeChangedStates() -> [PendingStateChange] {
        var changes: [PendingStateChange] = []
        // Walked by index and marked in place: iterating the entries while marking them through
        // the key copied the whole table at the first mark, and looked each key up again.
        var index = entries.startIndex
        while index != entries.endIndex {
            let entry = entries.values[index]
            if entry.changed, let state = entry.state {
                changes.append(PendingStateChange(projector: P.name, entity: entries.keys[index], seq: entry.seq, state: state))
                entries.values[index].changed = false
            }
            entries.formIndex(after: &index)
        }
        return changes
    }

    /// Every state last folded by an event after `seq`, copied but not yet encoded, so that
    /// they can be encoded on several threads.
    @inlinable
    public func pendingStates(foldedAfter seq: Int64) -> [PendingStateChange] {
        entries.compactMap { entity, entry in
            guard entry.seq > seq, let state = entry.state else { return nil }
            return PendingStateChange(projector: P.name, entity: entity, seq: entry.seq, state: state)
        }
    }
}
