import FleetEvents
import FleetProjection

/// Follows a host pool's session host update for `history --pool P --update`: its status and
/// progress.
package struct UpdateTracker: Tracker {
    package var pool: String

    package init(pool: String) { self.pool = pool }

    package var idColumns: [String] { ["hostPool"] }
    package var stateName: String { "update status" }
    package var states: [String] { UpdateStatus.allCases.map(\.rawValue) }
    package var title: String { "update" }
    package func subject(_ entity: TrackedEntity) -> String { "update" }

    package var streams: StreamSelection {
        StreamSelection(keys: [StreamKind.hostPool.key(pool)], ranges: [StreamKind.sessionHost.keys(under: pool)])
    }

    package var reading: [AnyProjector] { SessionHostDomain.projectors + UpdateDomain.projectors }

    package func touched(by event: ProjectedEvent, _ view: ProjectionReader) -> [TrackedEntity]? {
        event.stream == StreamKind.hostPool.key(pool) ? [TrackedEntity(pool)] : []
    }

    package func observeAll(_ view: ProjectionReader) throws -> [TrackedEntity: Observation] {
        let entity = TrackedEntity(pool)
        return try observe(entity, view).map { [entity: $0] } ?? [:]
    }

    package func observe(_ entity: TrackedEntity, _ view: ProjectionReader) throws -> Observation? {
        guard let update = try view.state(UpdateProjector.self, of: StreamKind.hostPool.key(pool))?.shown else { return nil }
        let percent = update.percentComplete.formatted(fractionDigits: 1)
        if update.observedFromAzure == true {
            return Observation(state: update.status.rawValue, takesTraffic: false, facets: [Facet("progress", "\(percent)%, observed from Azure")])
        }
        return Observation(
            state: update.status.rawValue, takesTraffic: false,
            facets: [Facet("progress", "\(update.completed) of \(update.totalSessionHosts) hosts, \(percent)%"),
                     Facet("batch", update.plan.isEmpty ? "none" : "\(update.batch) of \(update.plan.count - 1)")])
    }

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
