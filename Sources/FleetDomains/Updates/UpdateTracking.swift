import FleetEvents
import FleetProjection

/// Follows a host pool's session host update for `history --pool P --update`: its status and
/// progress.
package struct UpdateTracker: Tracker {
    /// Nil: every pool's update (a timeline's update lanes).
    package var pool: String?

    package init(pool: String?) { self.pool = pool }

    package var idColumns: [String] { ["hostPool"] }
    package var stateName: String { "update status" }
    package var states: [String] { UpdateStatus.allCases.map(\.rawValue) }
    package var title: String { "update" }
    package func subject(_ entity: TrackedEntity) -> String { "update" }

    package var streams: StreamSelection {
        guard let pool else { return StreamSelection(ranges: [StreamKind.hostPool.keys(), StreamKind.sessionHost.keys()]) }
        return StreamSelection(keys: [StreamKind.hostPool.key(pool)], ranges: [StreamKind.sessionHost.keys(under: pool)])
    }

    package var reading: [AnyProjector] { SessionHostDomain.projectors + UpdateDomain.projectors }

    package func touched(by event: ProjectedEvent, _ view: ProjectionReader) -> [TrackedEntity]? {
        guard event.declaration.stream == .hostPool else { return [] }
        let eventPool = String(event.stream.values[0])
        return pool == nil || pool == eventPool ? [TrackedEntity(eventPool)] : []
    }

    package func observeAll(_ view: ProjectionReader) throws -> [TrackedEntity: Observation] {
        let pools = try pool.map { [$0] } ?? view.states(UpdateProjector.self, in: StreamKind.hostPool.keys()).map { String($0.key.values[0]) }
        var observed: [TrackedEntity: Observation] = [:]
        for pool in pools { observed[TrackedEntity(pool)] = try observe(TrackedEntity(pool), view) }
        return observed
    }

    package func observe(_ entity: TrackedEntity, _ view: ProjectionReader) throws -> Observation? {
        guard let update = try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(entity.ids[0]))?.shown else { return nil }
        let percent = update.percentComplete.formatted(fractionDigits: 1)
        if update.observedFromAzure == true {
            return Observation(state: update.status.rawValue, takesTraffic: false, facets: [Facet("progress", "\(percent)%, observed from Azure")],
                               observedFromAzure: true)
        }
        // The batch under way, marked on a timeline's update lane while the update runs.
        let running = update.status.hasStarted && !update.status.hasEnded && update.batch < update.plan.count
        return Observation(
            state: update.status.rawValue, takesTraffic: false,
            facets: [Facet("progress", "\(update.completed) of \(update.totalSessionHosts) hosts, \(percent)%"),
                     Facet("batch", update.plan.isEmpty ? "none"
                         : update.batch < update.plan.count ? "\(update.batch) of \(update.plan.count - 1)" : "all \(update.plan.count - 1) done")],
            marks: running ? [Self.batchMark(update.batch)] : [])
    }

    /// A timeline's mark for a batch of an update: the initial host (0), then 1, 2, ...
    static func batchMark(_ batch: Int) -> Mark {
        Mark("update", batch == 0 ? "update, initial host" : "update batch \(batch)")
    }

    package var markKinds: [String] { ["update"] }

    package var carriesTraffic: Bool { false }

    package func concerns(_ event: ProjectedEvent) -> Bool {
        UpdateDomain.events.contains { $0.declaration.code == event.code }
    }

    package func describe(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> String {
        if let step = event.data as? SessionHostUpdateStepRecorded { return try Self.describe(step, view) }
        return try Self.describePoolEvent(event) ?? SessionHostTracker.describe(event)
    }

    /// A step in words, with the batch the update put its host in.
    static func describe(_ step: SessionHostUpdateStepRecorded, _ view: ProjectionReader) throws -> String {
        let update = try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(step.host.hostPool))?.current
        var words = "update"
        if let batch = update?.batch(of: step.host.sessionHost) { words += batch == 0 ? " initial host" : " batch \(batch)" }
        words += ", \(step.host.sessionHost) step \(step.step.rawValue)"
        if let vm = step.vmName { words += " (new VM \(vm))" }
        if let code = step.errorCode { words += ": \(code)" }
        if let message = step.message { words += step.errorCode == nil ? ": \(message)" : ", \(message)" }
        return words
    }

    /// A schedule or a control in words; nil for other events.
    static func describePoolEvent(_ event: ProjectedEvent) -> String? {
        switch event.data {
        case let scheduled as SessionHostUpdateScheduled:
            var words = "update scheduled: batches of \(scheduled.maxVmsRemoved), users signed out \(scheduled.logOffDelayMinutes) min after notice"
            if let when = scheduled.scheduledDateTime { words += ", starting \(when.rfc3339)" }
            return words + (scheduled.attribution.words.map { ", \($0)" } ?? "")
        case let control as SessionHostUpdateControlled:
            var words = "update \(control.action.rawValue)"
            if let message = control.cancelMessage { words += " (\"\(message)\")" }
            return words + (control.attribution.words.map { " \($0)" } ?? "")
        case let observed as SessionHostUpdateStatusObserved:
            var words = "observed from Azure: update \(observed.status.rawValue)"
            if let percent = observed.percentComplete { words += ", \(percent.formatted(fractionDigits: 1))% complete" }
            if let code = observed.errorCode ?? observed.errorMessage { words += ", error \(code)" }
            return words
        default:
            return nil
        }
    }
}

extension Double {
    /// The number with at most `digits` fractional digits, without trailing zeros (`30`, `33.3`).
    package func formatted(fractionDigits digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (self * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        var text = String(rounded)
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > digits + 1 {
            text = String(text[...text.index(dot, offsetBy: digits)])
        }
        return text
    }
}
