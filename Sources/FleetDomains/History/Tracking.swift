import FleetEvents
import FleetProjection

/// What one entity is at one moment, as `history` and availability reports follow it: derived
/// from the projected states by the same rules the queries use.
package struct Observation: Equatable, Sendable {
    /// The state, spelled as Azure spells it (`Unavailable`, `Down`, `Healthy`, `Paused`).
    package var state: String
    /// Azure's reason code with the state, where Azure gives one (`Down_Probe_TcpProbeTimeout`).
    package var code: String?
    /// Whether the entity takes traffic: a host `route` would send a new session to, a backend
    /// `Up`, an instance `Healthy`.
    package var takesTraffic: Bool
    /// Other derived facts whose changes history reports (a host's drain mode), by name.
    package var facets: [Facet] = []
    /// Why the entity takes no traffic though its state would (`drain mode on`).
    package var trafficNote: String?
    /// Whether the state is Azure's own report (imported or collected), not the store's rules.
    package var observedFromAzure: Bool
    /// Periods a timeline marks on the entity's lane besides its state (drain mode on, a host in
    /// an update's batch), at most one of each kind; history and availability do not read them.
    package var marks: [Mark]

    package init(state: String, code: String? = nil, takesTraffic: Bool, facets: [Facet] = [], trafficNote: String? = nil,
                 observedFromAzure: Bool = false, marks: [Mark] = []) {
        self.state = state
        self.code = code
        self.takesTraffic = takesTraffic
        self.facets = facets
        self.trafficNote = trafficNote
        self.observedFromAzure = observedFromAzure
        self.marks = marks
    }

    /// The state with its reason code, as history shows it: `Down (Down_Probe_TcpProbeTimeout)`.
    package var stateText: String { code.map { "\(state) (\($0))" } ?? state }
}

/// A named derived fact besides the state: `drain mode` `on`.
package struct Facet: Equatable, Sendable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A period a timeline marks on a lane: of a kind (`drain`, `update`) and in words
/// (`drain mode on`, `update batch 2`).
package struct Mark: Equatable, Sendable {
    package var kind: String
    package var label: String

    package init(_ kind: String, _ label: String) {
        self.kind = kind
        self.label = label
    }
}

/// One entity a tracker follows, named by the values of its kind's id columns
/// (`hp-finance`, `sh-3`), the first of which is its group (pool, load balancer, scale set).
package struct TrackedEntity: Hashable, Comparable, Sendable {
    package var ids: [String]

    package init(_ ids: String...) { self.ids = ids }
    package init(ids: [String]) { self.ids = ids }

    package var group: String { ids[0] }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        for (left, right) in zip(lhs.ids, rhs.ids) where left != right { return NaturalOrder.less(left, right) }
        return lhs.ids.count < rhs.ids.count
    }
}

/// Follows some entities of one kind through the log: which streams to replay, what each entity
/// is after every event, and each event in an operator's words.
///
/// Trackers hold no rules of their own: observations come from the queries' functions over the
/// projected states, so a history, a report and an as-of query never disagree.
package protocol Tracker {
    /// The kind's id columns (`hostPool`, `sessionHost`), the group first.
    var idColumns: [String] { get }
    /// The kinds of marks observations carry (`Observation.marks`), in the order a timeline
    /// stacks them under a lane.
    var markKinds: [String] { get }
    /// Whether the kind's entities take traffic at all (an update does not): a timeline stripes
    /// their spans that take none.
    var carriesTraffic: Bool { get }
    /// The word for the kind's state in history (`status`, `state`, `health`).
    var stateName: String { get }
    /// Every state the kind can be in, in the order reports list them.
    var states: [String] { get }
    /// The streams the tracked entities depend on.
    var streams: StreamSelection { get }
    /// The projectors whose states observations read.
    var reading: [AnyProjector] { get }

    /// What history's event rows are about (`sh-3`, `10.0.2.4`).
    var title: String { get }
    /// How history names one entity in its rows (`sh-3`, `rule-http 10.0.2.4`).
    func subject(_ entity: TrackedEntity) -> String

    /// The tracked entities `event` may have changed, given the states just after it; nil: any of
    /// them. What keeps a history cheap: most events change nothing most entities show.
    mutating func touched(by event: ProjectedEvent, _ view: ProjectionReader) throws -> [TrackedEntity]?
    /// Every tracked entity that exists, with what it is.
    func observeAll(_ view: ProjectionReader) throws -> [TrackedEntity: Observation]
    /// What `entity` is; nil when it does not exist (not yet, or no longer).
    func observe(_ entity: TrackedEntity, _ view: ProjectionReader) throws -> Observation?

    /// Whether `history` lists the event as a row of its own (an event about the entity).
    func concerns(_ event: ProjectedEvent) -> Bool

    /// The feeds an event comes from, for availability's `--stale-after`: each is what
    /// `feed(of:_:)` gives for the entities the event shows alive; none for an event about no one
    /// entity (a pool's or a load balancer's settings).
    func feeds(of event: ProjectedEvent) -> [[String]]
    /// The feed whose events show `entity` alive, given the states when it appears.
    func feed(of entity: TrackedEntity, _ view: ProjectionReader) throws -> [String]

    /// Sees every event folded, for counts the words need (the 3rd consecutive timeout); never
    /// for states, which come from the projectors.
    mutating func note(_ event: ProjectedEvent, _ view: ProjectionReader) throws

    /// The event in words, given the states just after it.
    func describe(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> String
}

extension Tracker {
    package mutating func note(_ event: ProjectedEvent, _ view: ProjectionReader) throws {}

    package func subject(_ entity: TrackedEntity) -> String { entity.ids.dropFirst().joined(separator: " ") }

    package func feeds(of event: ProjectedEvent) -> [[String]] { [] }

    package func feed(of entity: TrackedEntity, _ view: ProjectionReader) throws -> [String] { entity.ids }

    package var title: String { "" }

    package var markKinds: [String] { [] }

    package var carriesTraffic: Bool { true }
}

/// One entity's observation before and after an event.
package struct ObservedChange: Sendable {
    package var entity: TrackedEntity
    package var from: Observation?
    package var to: Observation?
}

/// Follows a tracker's entities event by event and says which observations each event changed.
package struct Timeline<T: Tracker> {
    package private(set) var tracker: T
    package private(set) var current: [TrackedEntity: Observation] = [:]

    package init(_ tracker: T) { self.tracker = tracker }

    /// The observations `event` changed, after it was folded into `view`, in entity order.
    package mutating func advance(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> [ObservedChange] {
        try tracker.note(event, view)
        var changes: [ObservedChange] = []
        if let touched = try tracker.touched(by: event, view) {
            for entity in touched {
                let now = try tracker.observe(entity, view)
                if now != current[entity] { changes.append(ObservedChange(entity: entity, from: current[entity], to: now)) }
                current[entity] = now
            }
        } else {
            let now = try tracker.observeAll(view)
            for entity in Set(now.keys).union(current.keys) where now[entity] != current[entity] {
                changes.append(ObservedChange(entity: entity, from: current[entity], to: now[entity]))
            }
            current = now
        }
        return changes.sorted { $0.entity < $1.entity }
    }

    /// The event in words, given the states just after it.
    package func describe(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> String {
        try tracker.describe(event, view)
    }
}

extension Timestamp {
    /// Seconds from `start` to this time; never negative, since events of different streams may be
    /// logged out of time order. Every duration history and reports give is one of these.
    package func seconds(after start: Timestamp) -> Double {
        Double(max(0, nanoseconds(since: start))) / 1e9
    }
}

/// Who made an event's change and why, where the event carries it.
package enum EventAttribution {
    package static func of(_ event: ProjectedEvent) -> Attribution? {
        switch event.data {
        case let drain as DrainModeChanged: drain.attribution
        case let scheduled as SessionHostUpdateScheduled: scheduled.attribution
        case let controlled as SessionHostUpdateControlled: controlled.attribution
        default: nil
        }
    }
}
