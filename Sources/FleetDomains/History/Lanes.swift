import FleetEvents
import FleetProjection

/// A stretch of one entity's lane in one state, as `report timeline` draws it: history's change
/// row for the state, cut to the window.
package struct StateSpan: Equatable, Sendable {
    /// The state with its reason code, as history writes it (`Down (Down_Probe_TcpProbeTimeout)`).
    package var state: String
    /// The state alone (`Down`), what the picture colours by.
    package var baseState: String
    /// Whether the entity took traffic (a host in drain mode does not, whatever its status).
    package var takesTraffic: Bool
    /// Why it took none though its state would (`drain mode on`).
    package var trafficNote: String?
    /// Whether the state is Azure's report rather than the store's rules.
    package var observedFromAzure: Bool
    /// Within the window: from the change (or the window's start) to the next change (or the end).
    package var start: Timestamp
    package var end: Timestamp
    /// The state before the change, as history writes it (`none` for a new entity).
    package var from: String
    /// The cause: the event that made the change, in history's words.
    package var cause: String
    /// When the change happened: before the window's start for a span the window begins in.
    package var changedAt: Timestamp
    /// Still in force at the log's newest event, within the window.
    package var ongoing = false
    /// Still in force at the window's end, the log going on past it.
    package var continues = false
}

/// A marked period of a lane (drain mode on, a host in an update's batch).
package struct MarkSpan: Equatable, Sendable {
    package var mark: Mark
    /// Within the window, as a span's.
    package var start: Timestamp
    package var end: Timestamp
    /// The event that began it, in history's words.
    package var cause: String
    /// As a span's: in force at the log's newest event, or at the window's end.
    package var ongoing = false
    package var continues = false
}

/// One entity's row of a timeline.
package struct Lane: Equatable, Sendable {
    package var entity: TrackedEntity
    /// How history names the entity (`sh-3`, `rule-http 10.0.2.4`).
    package var subject: String
    /// In time order, without gaps between two of them except where the entity did not exist.
    package var spans: [StateSpan] = []
    package var marks: [MarkSpan] = []
}

/// One kind of entity in a timeline: its lanes in entity order.
package struct LaneSet: Equatable, Sendable {
    /// The word history uses for the kind's state (`status`).
    package var stateName: String
    /// Every state the kind can be in, derived first, then any only Azure reported here.
    package var states: [String]
    /// The kinds of marks under each lane, in order (`Tracker.markKinds`).
    package var markKinds: [String]
    /// False for a kind that takes no traffic at all (an update): its spans are never striped.
    package var carriesTraffic: Bool
    /// In entity order.
    package var lanes: [Lane]
}

/// Records lanes from the events of a tracker's streams, fed in log order, for `since..<until`.
///
/// The same `Timeline` and tracker `history` and availability reports use say what changed, so
/// the picture and those reports cannot disagree: a span is one of history's state change rows,
/// and its length what availability counts in that state. A span also ends where the source of
/// the state changes (the store's rules to Azure's report) or whether it takes traffic (a drain),
/// history's state staying the same.
package struct LaneRecorder<T: Tracker> {
    private var timeline: Timeline<T>
    private let since: Timestamp
    private let until: Timestamp
    private var lanes: [TrackedEntity: Lane] = [:]
    /// The current span and marks of each entity, not yet in its lane.
    private var openSpans: [TrackedEntity: StateSpan] = [:]
    private var openMarks: [TrackedEntity: [String: MarkSpan]] = [:]
    /// Each entity's latest change time within the window: events logged out of time order across
    /// streams never make a span end before it starts.
    private var latest: [TrackedEntity: Timestamp] = [:]

    package init(_ tracker: T, since: Timestamp, until: Timestamp) {
        precondition(since < until)
        timeline = Timeline(tracker)
        self.since = since
        self.until = until
    }

    /// Folds in one event of the tracker's streams, given the states just after it.
    package mutating func record(_ event: ProjectedEvent, _ view: ProjectionReader) throws {
        let changes = try timeline.advance(event, view)
        guard !changes.isEmpty else { return }
        var words: String?
        func cause() throws -> String {
            if let words { return words }
            words = try timeline.describe(event, view)
            return words!
        }
        for change in changes {
            let entity = change.entity
            let at = max(latest[entity] ?? since, min(max(event.at, since), until))
            latest[entity] = at
            let (from, to) = (change.from, change.to)
            if from?.stateText != to?.stateText || from?.observedFromAzure != to?.observedFromAzure || from?.takesTraffic != to?.takesTraffic {
                close(entity, at: at)
                if let to {
                    openSpans[entity] = StateSpan(state: to.stateText, baseState: to.state, takesTraffic: to.takesTraffic, trafficNote: to.trafficNote,
                                                  observedFromAzure: to.observedFromAzure, start: at, end: at,
                                                  from: from?.stateText ?? "none", cause: try cause(), changedAt: event.at)
                }
            }
            let before = from?.marks ?? [], after = to?.marks ?? []
            guard before != after else { continue }
            for kind in Set(before.map(\.kind) + after.map(\.kind)) {
                let old = before.first { $0.kind == kind }, new = after.first { $0.kind == kind }
                guard old != new else { continue }
                if old != nil { closeMark(entity, kind: kind, at: at) }
                if let new { openMarks[entity, default: [:]][kind] = MarkSpan(mark: new, start: at, end: at, cause: try cause()) }
            }
        }
    }

    /// The lanes, with what is still in force closed at `dataEnd` (the log's newest event, when
    /// the window reaches past it) as ongoing, else at the window's end as continuing; lanes with
    /// nothing in the window are left out, but for an entity alive where the data ends.
    package mutating func finish(dataEnd: Timestamp?) -> LaneSet {
        let end = min(until, max(since, dataEnd ?? until))
        let ongoing = dataEnd.map { $0 < until } ?? false
        for entity in Array(openSpans.keys) { close(entity, at: max(latest[entity] ?? since, end), atEnd: true, ongoing: ongoing) }
        for (entity, marks) in openMarks {
            for kind in marks.keys { closeMark(entity, kind: kind, at: max(latest[entity] ?? since, end), atEnd: true, ongoing: ongoing) }
        }
        let kept = lanes.values.filter { lane in
            lane.spans.contains { $0.end > $0.start || $0.ongoing } || lane.marks.contains { $0.end > $0.start || $0.ongoing }
        }
        let tracker = timeline.tracker
        let observedOnly = Set(kept.flatMap { $0.spans.map(\.baseState) }).subtracting(tracker.states).sorted()
        return LaneSet(stateName: tracker.stateName, states: tracker.states + observedOnly,
                       markKinds: tracker.markKinds, carriesTraffic: tracker.carriesTraffic, lanes: kept.sorted { $0.entity < $1.entity })
    }

    private mutating func close(_ entity: TrackedEntity, at time: Timestamp, atEnd: Bool = false, ongoing: Bool = false) {
        // A span wholly before the window (or at its very end) is no part of the picture.
        guard var span = openSpans.removeValue(forKey: entity), time > span.start || span.changedAt >= since && time < until || atEnd && ongoing
        else { return }
        span.end = time
        span.ongoing = atEnd && ongoing
        span.continues = atEnd && !ongoing
        lanes[entity, default: Lane(entity: entity, subject: timeline.tracker.subject(entity))].spans.append(span)
    }

    private mutating func closeMark(_ entity: TrackedEntity, kind: String, at time: Timestamp, atEnd: Bool = false, ongoing: Bool = false) {
        // A mark begun at the log's newest event is kept, as a span is: the picture shows it a pixel wide.
        guard var mark = openMarks[entity]?.removeValue(forKey: kind), time > mark.start || atEnd && ongoing else { return }
        mark.end = time
        mark.ongoing = atEnd && ongoing
        mark.continues = atEnd && !ongoing
        lanes[entity, default: Lane(entity: entity, subject: timeline.tracker.subject(entity))].marks.append(mark)
    }
}
