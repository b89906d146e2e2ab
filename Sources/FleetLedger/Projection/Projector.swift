import FleetSQLite

/// An event as projectors see it: its position, time and typed data.
struct ProjectedEvent: Sendable {
    var seq: Int64
    var version: Int64
    var at: Timestamp
    var payload: EventPayload
}

/// A read model: a pure, deterministic fold of one stream's events into a state.
///
/// The same `fold` keeps the stored read model current during appends, rebuilds it from the log,
/// proves it in `verify`, and answers as-of queries from a snapshot, so "now" and "as of T" can
/// never disagree about a rule.
protocol Projector: Sendable {
    associatedtype State: Codable, Equatable, Sendable

    /// The name stored with the projector's rows; never change it.
    static var name: String { get }

    /// Whether this projector folds events of `type` (the entity is the event's stream).
    static func folds(_ type: EventType) -> Bool

    /// The entity's state after `event`, given its state before (nil for its stream's first event).
    static func fold(_ state: State?, _ event: ProjectedEvent) -> State
}

/// Every projector the store keeps current, in the order they are applied.
enum Projectors {
    static let all: [AnyProjector] = [
        AnyProjector(HostPoolProjector.self),
        AnyProjector(SessionHostProjector.self),
    ]

    /// A snapshot is kept at every version that is a multiple of this.
    static let snapshotInterval: Int64 = 256
}

/// A projector with its State type erased, so the engine can hold several in one list.
struct AnyProjector: Sendable {
    let name: String
    let folds: @Sendable (EventType) -> Bool
    /// Opens a cache of this projector's states for one pass (nil database: in memory only).
    let makeBuffer: @Sendable (Database?) -> any ProjectionBuffer

    init<P: Projector>(_ projector: P.Type) {
        name = P.name
        folds = { P.folds($0) }
        makeBuffer = { TypedProjectionBuffer<P>(database: $0) }
    }
}
