import FleetEvents

/// One projector's states during one pass, type-erased so a pass can hold several projectors.
class AnyProjectorSlot {
    func check(_ event: ProjectedEvent, _ context: FoldContext) throws { fatalError("abstract") }
    func stage(_ event: ProjectedEvent, _ context: FoldContext) throws { fatalError("abstract") }
    /// Folds `event` when this projector is the only one folding it: the result is kept at once,
    /// unless the event updates several entities (each of their folds must see the others as
    /// they stood before it).
    func apply(_ event: ProjectedEvent, _ context: FoldContext) throws { fatalError("abstract") }
    func commitStaged(seq: Int64) { fatalError("abstract") }
    func takeChanges() throws -> [StateChange] { fatalError("abstract") }
    func states(foldedAfter seq: Int64) throws -> [StateChange] { fatalError("abstract") }
}

/// The states of projector `P` that a pass has read or folded, and which of them changed.
final class ProjectorSlot<P: Projector>: AnyProjectorSlot {
    private struct Entry {
        var seq: Int64
        /// Nil: the source was asked and has no state for the entity.
        var state: P.State?
        var changed: Bool
    }

    private let source: StateSource?
    private var entries: [StreamKey: Entry] = [:]
    /// The folds of the event being applied, kept apart until every projector has folded it, so
    /// that no fold sees another's effect of the same event.
    private var staged: [(entity: StreamKey, state: P.State)] = []

    init(source: StateSource?) {
        self.source = source
    }

    override func check(_ event: ProjectedEvent, _ context: FoldContext) throws {
        try P.check(event, context)
    }

    override func stage(_ event: ProjectedEvent, _ context: FoldContext) throws {
        try stage(event, entities: try P.entities(of: event, context), context)
    }

    private func stage(_ event: ProjectedEvent, entities: Entities, _ context: FoldContext) throws {
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

    override func apply(_ event: ProjectedEvent, _ context: FoldContext) throws {
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
    private func applyNow(_ event: ProjectedEvent, to entity: StreamKey, _ context: FoldContext) throws {
        let state = try P.fold(try state(of: entity), event, entity: entity, context)
        entries[entity] = Entry(seq: event.seq, state: state, changed: true)
    }

    override func commitStaged(seq: Int64) {
        for (entity, state) in staged { entries[entity] = Entry(seq: seq, state: state, changed: true) }
        staged.removeAll(keepingCapacity: true)
    }

    func state(of entity: StreamKey) throws -> P.State? {
        if let entry = entries[entity] { return entry.state }
        let stored = try source?.storedState(projector: P.name, entity: entity)
        let state = try stored.map { try StateCoding.decode(P.State.self, from: $0.state) }
        entries[entity] = Entry(seq: stored?.seq ?? 0, state: state, changed: false)
        return state
    }

    func states(in range: StreamKeyRange) throws -> [(key: StreamKey, state: P.State)] {
        if let source {
            for (key, stored) in try source.storedStates(projector: P.name, in: range) where entries[key] == nil {
                entries[key] = Entry(seq: stored.seq, state: try StateCoding.decode(P.State.self, from: stored.state), changed: false)
            }
        }
        // Sorting the keys alone, a concrete type, is several times faster than sorting the pairs
        // through this generic slot (measured: histories call this after every event they fold).
        var keys = entries.compactMap { key, entry in range.contains(key) && entry.state != nil ? key : nil }
        keys.sort { $0.rawValue < $1.rawValue }
        return keys.map { ($0, entries[$0]!.state!) }
    }

    override func takeChanges() throws -> [StateChange] {
        var changes: [StateChange] = []
        for (entity, entry) in entries where entry.changed {
            guard let state = entry.state else { continue }
            changes.append(StateChange(projector: P.name, entity: entity, seq: entry.seq, state: try StateCoding.encode(state)))
            entries[entity]?.changed = false
        }
        return changes
    }

    override func states(foldedAfter seq: Int64) throws -> [StateChange] {
        try entries.compactMap { entity, entry in
            guard entry.seq > seq, let state = entry.state else { return nil }
            return StateChange(projector: P.name, entity: entity, seq: entry.seq, state: try StateCoding.encode(state))
        }
    }
}
