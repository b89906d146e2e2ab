import FleetEvents
import FleetProjection

/// One row of `fleetledger history`: an event about the entity, or a change of something derived
/// from the log (its state, its drain mode) with the event that caused it.
package struct HistoryEntry: Equatable, Sendable {
    package enum Kind: String, Sendable {
        case event, change
    }

    package var seq: Int64
    package var at: Timestamp
    package var kind: Kind
    /// The entity the row is about, as the tracker names it (`sh-3`, `rule-http 10.0.2.4`).
    package var subject: String
    /// The event's type (for a change, the type of the event that caused it).
    package var type: String
    /// What changed (`status`, `drain mode`); nil for an event row.
    package var aspect: String?
    package var from: String?
    package var to: String?
    /// For an event, the event in words; for a change, its cause.
    package var detail: String
    package var actor: String?
    package var reason: String?
    /// For a change: how long the new value lasted, in seconds, until the next change of the same
    /// aspect or the end of the history (then `ongoing`).
    package var lasted: Double?
    package var ongoing = false
}

/// Builds a history from the events of a tracker's streams, fed in log order.
package struct HistoryRecorder<T: Tracker> {
    private var timeline: Timeline<T>
    private let since: Timestamp?
    package private(set) var entries: [HistoryEntry] = []
    /// Whether any event was about the subject or changed it, in or before the window.
    package private(set) var sawSubject = false
    /// The last change row of each entity's aspect, and when its value took effect.
    private var open: [String: (row: Int?, at: Timestamp)] = [:]

    package init(_ tracker: T, since: Timestamp?) {
        timeline = Timeline(tracker)
        self.since = since
    }

    package mutating func record(_ event: ProjectedEvent, _ view: ProjectionReader) throws {
        let changes = try timeline.advance(event, view)
        let concerns = timeline.tracker.concerns(event)
        guard concerns || !changes.isEmpty else { return }
        sawSubject = true
        let shown = since.map { event.at >= $0 } ?? true
        guard shown else {
            // Before --since: no row, but the changes still start the durations the rows after show.
            for change in changes {
                for (aspect, _, _) in Self.aspects(of: change, stateName: timeline.tracker.stateName) {
                    open[openKey(change.entity, aspect)] = (nil, event.at)
                }
            }
            return
        }
        let words = try timeline.describe(event, view)
        let attribution = EventAttribution.of(event)
        func row(_ kind: HistoryEntry.Kind, subject: String, aspect: String? = nil, from: String? = nil, to: String? = nil) -> HistoryEntry {
            HistoryEntry(seq: event.seq, at: event.at, kind: kind, subject: subject, type: event.declaration.name, aspect: aspect,
                         from: from, to: to, detail: words, actor: attribution?.actor, reason: attribution?.reason)
        }
        if concerns { entries.append(row(.event, subject: timeline.tracker.title)) }
        for change in changes {
            let subject = timeline.tracker.subject(change.entity)
            for (aspect, from, to) in Self.aspects(of: change, stateName: timeline.tracker.stateName) {
                let key = openKey(change.entity, aspect)
                if let previous = open[key], let index = previous.row {
                    entries[index].lasted = event.at.seconds(after: previous.at)
                }
                entries.append(row(.change, subject: subject, aspect: aspect, from: from, to: to))
                open[key] = (entries.count - 1, event.at)
            }
        }
    }

    /// The rows, with the changes still in force at `end` marked as ongoing, lasting until then.
    package mutating func finish(end: Timestamp) -> [HistoryEntry] {
        for (_, last) in open {
            guard let index = last.row else { continue }
            entries[index].lasted = end.seconds(after: last.at)
            entries[index].ongoing = true
        }
        return entries
    }

    /// The entry of `open` for one aspect of one entity.
    private func openKey(_ entity: TrackedEntity, _ aspect: String) -> String {
        timeline.tracker.subject(entity) + "\u{0}" + aspect
    }

    /// What a change changed: the state first, then each facet, as (aspect, from, to).
    private static func aspects(of change: ObservedChange, stateName: String) -> [(String, String, String)] {
        let none = "none"
        var aspects: [(String, String, String)] = []
        if change.from?.stateText != change.to?.stateText {
            aspects.append((stateName, change.from?.stateText ?? none, change.to?.stateText ?? none))
        }
        let names = (change.from?.facets ?? []).map(\.name) + (change.to?.facets ?? []).map(\.name)
        var seen = Set<String>()
        for name in names where seen.insert(name).inserted {
            let from = change.from?.facets.first { $0.name == name }?.value
            let to = change.to?.facets.first { $0.name == name }?.value
            // A facet appearing or going with the entity itself says nothing the state does not.
            if from != to, from != nil, to != nil { aspects.append((name, from!, to!)) }
        }
        return aspects
    }
}
