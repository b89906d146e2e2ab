import FleetEvents

/// A read model: a pure, deterministic fold of events into one state per entity.
///
/// An entity is named by a stream key. By default an event updates the entity of its own
/// stream; a projector may name others (a probe result updates every backend pool holding its
/// address). A fold may read other entities' states through its `FoldContext`, and sees them
/// exactly as they stood just before the event, in log order. The same fold keeps the stored
/// read model current during appends, rebuilds it, proves it in `verify`, and answers as-of
/// queries, so "now" and "as of T" never disagree about a rule.
///
/// Public, as are the few engine types its inlinable code names (`ProjectorSlot`, `FoldContext`,
/// `StreamKey`...), only so that the engine is compiled for each concrete projector: Swift does not
/// serialize the bodies of package-level inlinable code, and unspecialized generic folds look up
/// type metadata at run time (Tools/Benchmark/HISTORY.md, item 9). No library product exports them.
public protocol Projector: Sendable {
    associatedtype State: Codable, Equatable, Sendable

    /// The name stored with the projector's rows; never change it.
    static var name: String { get }

    /// The event types this projector folds; it never sees others.
    static var folds: [any EventData.Type] { get }

    /// The other projectors whose states its folds read: an as-of replay for this projector
    /// folds them too.
    static var reads: [any Projector.Type] { get }

    /// The entities `event` updates. The default is the event's own stream.
    static func entities(of event: ProjectedEvent, _ context: FoldContext) throws -> Entities

    /// `entity`'s state after `event`, given its state before (nil for a new entity).
    static func fold(_ state: consuming State?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> State

    /// Refuses an event that the states before it make invalid (a rule naming a probe the load
    /// balancer does not have), with the rule in an `InputError`. Called at append only: stored
    /// events are never checked again, so a rebuild folds whatever the log holds.
    static func check(_ event: ProjectedEvent, _ context: FoldContext) throws
}

extension Projector {
    package static func entities(of event: ProjectedEvent, _ context: FoldContext) throws -> Entities {
        .ownStream
    }

    package static func check(_ event: ProjectedEvent, _ context: FoldContext) throws {}

    package static var reads: [any Projector.Type] { [] }
}

/// The entities one event updates.
public enum Entities: Sendable {
    /// The entity named by the event's stream: most events.
    case ownStream
    /// One other entity.
    case one(StreamKey)
    /// These entities, each once (none: the event changes nothing here).
    case keys([StreamKey])
}

/// A projector whose entities are folded from their own stream's events alone, reading nothing else.
package protocol StreamProjector: Projector {
    static func fold(_ state: consuming State?, _ event: ProjectedEvent) throws -> State
}

extension StreamProjector {
    package static func fold(_ state: consuming State?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> State {
        try fold(state, event)
    }
}

/// An event of a type a projector lists in `folds` (or a tracker follows) but has no case for:
/// a mistake in the domain, not in the input. A fold's `switch` over event types ends in
/// `default: throw UnhandledEvent(...)`, never `default: break`, and the domains' tests hand
/// every listed type's sample to every fold, check and description, failing with this message.
package struct UnhandledEvent: Error, CustomStringConvertible {
    package let handler: String
    package let type: String

    package init(_ handler: String, _ event: ProjectedEvent) {
        self.handler = handler
        type = event.declaration.name
    }

    package var description: String {
        "\(handler) has no case for \(type) events, though it is handed them: a mistake in this build of FleetLedger, not in the input"
    }
}

/// A projector with its State type erased, so a store can be handed a list of them.
public struct AnyProjector: Sendable {
    @usableFromInline package let name: String
    /// The codes of the event types it folds.
    @usableFromInline package let codes: [Int64]
    @usableFromInline package let type: ObjectIdentifier
    /// The projectors its folds read.
    @usableFromInline package let reads: [ObjectIdentifier]
    @usableFromInline let makeSlot: @Sendable (StateSource?) -> AnyProjectorSlot

    /// Inlinable: the slot's operations are compiled here for the concrete `P` (see `AnyProjectorSlot`).
    @inlinable
    public init<P: Projector>(_ projector: P.Type) {
        name = P.name
        codes = P.folds.map { $0.declaration.code }
        type = ObjectIdentifier(P.self)
        reads = P.reads.map { ObjectIdentifier($0) }
        makeSlot = { AnyProjectorSlot(ProjectorSlot<P>(source: $0)) }
    }
}
