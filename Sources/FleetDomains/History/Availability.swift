import FleetEvents
import FleetProjection

/// One row of an availability report: how one entity (or, summed, one group) spent a window.
package struct AvailabilityRow: Equatable, Sendable {
    /// The entity's ids; a summed row has only its group.
    package var ids: [String]
    /// Seconds in each state, by state.
    package var seconds: [String: Double] = [:]
    /// Seconds with no known state: before the entity's first event, or after it was removed.
    package var noState: Double = 0
    /// Seconds after the log's newest event, where the window reaches past the data: a column of
    /// their own, left out of the share, so a window past the log's data never reads as uptime.
    package var noData: Double = 0
    /// Seconds more than `--stale-after` after the entity's own last event: a feed that died,
    /// left out of the share as no data is.
    package var stale: Double = 0
    /// Seconds in a state that takes traffic.
    package var traffic: Double = 0
    /// State changes within the window.
    package var transitions = 0
    /// The longest stretch not taking traffic, within the window.
    package var longestOutage: Outage?
    /// Entities summed into the row.
    package var entities = 1

    /// Seconds with a known state.
    package var known: Double { seconds.values.reduce(0, +) }
    /// The share of the known time spent taking traffic; nil when no state was known.
    package var share: Double? { known > 0 ? traffic / known : nil }
}

/// A stretch of time in which an entity took no traffic, and why it began.
package struct Outage: Equatable, Sendable {
    package var start: Timestamp
    package var seconds: Double
    /// The state it began with and the event that caused it, in words.
    package var reason: String
}

/// `report availability`: rows per entity (or per group), over `since..<until`.
package struct AvailabilityReport: Equatable, Sendable {
    package var since: Timestamp
    package var until: Timestamp
    package var idColumns: [String]
    package var states: [String]
    package var rows: [AvailabilityRow]
    /// The log's newest event, when the window reaches past it: the time after it is `noData`.
    package var dataEnd: Timestamp?
    /// `--stale-after`, when given: how long after an entity's own last event its state counts.
    package var staleAfter: TimeSpan?

    package var windowSeconds: Double { until.seconds(after: since) }

    /// The rows summed per group (pool, load balancer, scale set).
    package func byGroup() -> AvailabilityReport {
        var groups: [String: AvailabilityRow] = [:]
        var order: [String] = []
        for row in rows {
            let group = row.ids[0]
            guard var sum = groups[group] else {
                order.append(group)
                var first = row
                first.ids = [group]
                first.longestOutage = row.longestOutage.map { Self.named($0, row) }
                groups[group] = first
                continue
            }
            for (state, seconds) in row.seconds { sum.seconds[state, default: 0] += seconds }
            sum.noState += row.noState
            sum.noData += row.noData
            sum.stale += row.stale
            sum.traffic += row.traffic
            sum.transitions += row.transitions
            sum.entities += row.entities
            if let outage = row.longestOutage, outage.seconds > (sum.longestOutage?.seconds ?? -1) {
                sum.longestOutage = Self.named(outage, row)
            }
            groups[group] = sum
        }
        return AvailabilityReport(since: since, until: until, idColumns: [idColumns[0]], states: states, rows: order.map { groups[$0]! },
                                  dataEnd: dataEnd, staleAfter: staleAfter)
    }

    private static func named(_ outage: Outage, _ row: AvailabilityRow) -> Outage {
        var named = outage
        named.reason = row.ids.dropFirst().joined(separator: " ") + ": " + outage.reason
        return named
    }
}

/// Accumulates an availability report from the events of a tracker's streams, fed in log order.
///
/// An entity's state at `since` is the fold of the events before it, so time before its first
/// event in the window counts as its state then; time before it existed (or after it was
/// removed) counts as `noState`. Events logged out of time order (across streams) count from
/// the latest time seen for the entity, so durations never go negative. With `staleAfter`, an
/// entity's time more than that after its feed's last event counts as `stale`, not as its state.
package struct AvailabilityRecorder<T: Tracker> {
    private var timeline: Timeline<T>
    private let since: Timestamp
    private let until: Timestamp
    /// Where the data ends within the window: the log's newest event, else `until`.
    private let dataEnd: Timestamp
    /// The log's newest event, as the report names it.
    private let newestEvent: Timestamp?
    private var rows: [TrackedEntity: AvailabilityRow] = [:]
    /// Since when each entity has been in its current observation (clamped to the window).
    private var marks: [TrackedEntity: Timestamp] = [:]
    private var outages: [TrackedEntity: (start: Timestamp, reason: String)] = [:]
    private let staleAfter: TimeSpan?
    /// With `staleAfter`: each feed's last event, each entity's feed, and the entities each feed
    /// shows alive.
    private var lastFed: [[String]: Timestamp] = [:]
    private var feedOf: [TrackedEntity: [String]] = [:]
    private var fedEntities: [[String]: Set<TrackedEntity>] = [:]

    /// `newestEvent` is the `at` of the log's newest event: the window's time after it is no data.
    package init(_ tracker: T, since: Timestamp, until: Timestamp, newestEvent: Timestamp? = nil, staleAfter: TimeSpan? = nil) {
        precondition(since < until)
        self.staleAfter = staleAfter
        timeline = Timeline(tracker)
        self.since = since
        self.until = until
        dataEnd = newestEvent.map { min(max($0, since), until) } ?? until
        self.newestEvent = newestEvent
    }

    package mutating func record(_ event: ProjectedEvent, _ view: ProjectionReader) throws {
        let changes = try timeline.advance(event, view)
        let feeds = staleAfter == nil ? [] : timeline.tracker.feeds(of: event)
        for feed in feeds { closeUnchanged(fedBy: feed, at: event.at, changes) }
        var words: String?
        for change in changes {
            let time = clamped(event.at, for: change.entity)
            close(change.entity, change.from, at: time)
            if let from = change.from, let to = change.to, from.state != to.state, event.at > since {
                rows[change.entity, default: AvailabilityRow(ids: change.entity.ids)].transitions += 1
            }
            let wasOut = change.from.map { !$0.takesTraffic } ?? false
            let isOut = change.to.map { !$0.takesTraffic } ?? false
            if wasOut, !isOut { endOutage(change.entity, at: time) }
            if isOut, !wasOut, let to = change.to {
                if words == nil { words = try timeline.describe(event, view) }
                outages[change.entity] = (time, "\(to.stateText)\(to.trafficNote.map { ", \($0)" } ?? ""): \(words!)")
            }
        }
        guard staleAfter != nil else { return }
        for change in changes where change.to != nil && feedOf[change.entity] == nil {
            let feed = try timeline.tracker.feed(of: change.entity, view)
            feedOf[change.entity] = feed
            fedEntities[feed, default: []].insert(change.entity)
        }
        for feed in feeds { lastFed[feed] = max(lastFed[feed] ?? event.at, event.at) }
    }

    /// The report: every entity with a known state within the window, in entity order.
    package mutating func finish() -> AvailabilityReport {
        let pastData = until.seconds(after: dataEnd)
        for (entity, observation) in timeline.current {
            close(entity, observation, at: dataEnd)
            if observation != nil, pastData > 0 { rows[entity]?.noData = pastData }
        }
        for entity in outages.keys { endOutage(entity, at: dataEnd) }
        let window = until.seconds(after: since)
        // An entity alive when the data ends is kept even when its whole window is past the data.
        let kept = rows.filter { $0.value.known > 0 || $0.value.noData > 0 || $0.value.stale > 0 }.sorted { $0.key < $1.key }.map { _, row in
            var row = row
            row.noState = max(0, window - row.known - row.noData - row.stale)
            return row
        }
        // States only Azure reports (a host's `NoHeartbeat`) follow the derived ones, when a row spent time in them.
        let derived = timeline.tracker.states
        let observedOnly = Set(kept.flatMap(\.seconds.keys)).subtracting(derived).sorted()
        return AvailabilityReport(since: since, until: until, idColumns: timeline.tracker.idColumns,
                                  states: derived + observedOnly, rows: kept, dataEnd: pastData > 0 ? newestEvent : nil, staleAfter: staleAfter)
    }

    /// `time` within the window, and not before the entity's mark.
    private func clamped(_ time: Timestamp, for entity: TrackedEntity) -> Timestamp {
        max(marks[entity] ?? since, min(max(time, since), until))
    }

    /// Counts the time up to an event of `feed` for the entities it shows alive whose observation
    /// the event left as it was (the changed ones are counted with the changes), so that each
    /// stretch is judged against the feed's last event before it.
    private mutating func closeUnchanged(fedBy feed: [String], at time: Timestamp, _ changes: [ObservedChange]) {
        guard let entities = fedEntities[feed] else { return }
        let changed = Set(changes.map(\.entity))
        for entity in entities where !changed.contains(entity) {
            close(entity, timeline.current[entity], at: clamped(time, for: entity))
        }
    }

    /// Counts the time from the entity's mark to `time` in `observation` (the part more than
    /// `staleAfter` after its feed's last event as stale), and moves the mark. An outage ends where
    /// the entity's time turns stale, and one still under way starts again at `time`.
    private mutating func close(_ entity: TrackedEntity, _ observation: Observation?, at time: Timestamp) {
        let start = marks[entity] ?? since
        var seconds = time.seconds(after: start)
        var row = rows[entity] ?? AvailabilityRow(ids: entity.ids)
        var staleFrom: Timestamp?
        if let observation, seconds > 0 {
            if let staleAfter, let feed = feedOf[entity], let fed = lastFed[feed] {
                let (end, overflows) = fed.nanoseconds.addingReportingOverflow(staleAfter.nanoseconds)
                let freshUntil = max(start, Timestamp(nanoseconds: overflows ? .max : end))
                let stale = min(seconds, time.seconds(after: freshUntil))
                if stale > 0 { staleFrom = min(freshUntil, time) }
                row.stale += stale
                seconds -= stale
            }
            row.seconds[observation.state, default: 0] += seconds
            if observation.takesTraffic { row.traffic += seconds }
        }
        rows[entity] = row
        marks[entity] = max(start, time)
        if let staleFrom, let outage = outages[entity] {
            endOutage(entity, at: staleFrom)
            outages[entity] = (max(start, time), outage.reason)
        }
    }

    private mutating func endOutage(_ entity: TrackedEntity, at time: Timestamp) {
        guard let outage = outages.removeValue(forKey: entity) else { return }
        let seconds = time.seconds(after: outage.start)
        guard seconds > 0, seconds > rows[entity]?.longestOutage?.seconds ?? 0 else { return }
        rows[entity]?.longestOutage = Outage(start: outage.start, seconds: seconds, reason: outage.reason)
    }
}
