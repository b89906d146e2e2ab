import FleetEvents
import FleetProjection

/// Follows scale set instances for `history --scale-set S --instance I` and availability
/// reports: the state the Application Health extension reports, as `vmss health` shows it. An
/// instance of a scale set whose health source is not the extension has no known state here.
package struct InstanceTracker: Tracker {
    /// Nil: every scale set.
    package var scaleSet: String?
    /// Nil: every instance.
    package var instanceId: String?
    /// Whether each instance's extension was honouring its grace period after the latest event.
    private var honoring: [StreamKey: (honoring: Bool, settingsSeq: Int64)] = [:]
    /// The instance whose grace period the latest event ended (by expiry, when it was due).
    private var expired: StreamKey?

    package init(scaleSet: String?, instanceId: String? = nil) {
        precondition(instanceId == nil || scaleSet != nil, "an instance is named within its scale set")
        self.scaleSet = scaleSet
        self.instanceId = instanceId
    }

    package var idColumns: [String] { ["scaleSet", "instanceId"] }
    package var stateName: String { "health" }
    package var states: [String] { ApplicationHealthState.allCases.map(\.rawValue) }
    package var title: String { instanceId.map { "instance \($0)" } ?? "" }
    package func subject(_ entity: TrackedEntity) -> String { "instance \(entity.ids[1])" }

    package var streams: StreamSelection {
        guard let scaleSet else { return StreamSelection(ranges: [StreamKind.scaleSet.keys()]) }
        var keys = [StreamKind.scaleSet.key(scaleSet)]
        if let instanceId { keys.append(StreamKind.scaleSetInstance.key(scaleSet, instanceId)) }
        return StreamSelection(keys: keys, ranges: instanceId == nil ? [StreamKind.scaleSetInstance.keys(under: scaleSet)] : [])
    }

    package var reading: [AnyProjector] { ScaleSetDomain.projectors }

    private func tracks(_ scaleSet: String, _ instance: String?) -> Bool {
        (self.scaleSet == nil || scaleSet == self.scaleSet) && (instanceId == nil || instance == nil || instance == instanceId)
    }

    /// The instance whose own stream the event is on; nil for the scale set's settings, which
    /// concern every instance.
    private static func instance(of event: ProjectedEvent) -> (scaleSet: String, instanceId: String)? {
        guard event.declaration.stream == .scaleSetInstance else { return nil }
        let values = event.stream.values
        return (String(values[0]), String(values[1]))
    }

    /// An instance shows it is alive by the events of its own stream (its health probes).
    package func feeds(of event: ProjectedEvent) -> [[String]] {
        Self.instance(of: event).map { [[$0.scaleSet, $0.instanceId]] } ?? []
    }

    package func touched(by event: ProjectedEvent, _ view: ProjectionReader) -> [TrackedEntity]? {
        guard let instance = Self.instance(of: event) else { return nil }
        guard tracks(instance.scaleSet, instance.instanceId) else { return [] }
        return [TrackedEntity(instance.scaleSet, instance.instanceId)]
    }

    package func observeAll(_ view: ProjectionReader) throws -> [TrackedEntity: Observation] {
        var observed: [TrackedEntity: Observation] = [:]
        for scaleSet in try ScaleSetQueries.scaleSets(in: view) where tracks(scaleSet.name, nil) {
            for (_, instance) in try view.states(InstanceHealthProjector.self, in: StreamKind.scaleSetInstance.keys(under: scaleSet.name))
            where !instance.deleted && tracks(scaleSet.name, instance.instanceId) {
                guard let reported = instance.shownHealth(under: scaleSet.extensionSettings) else { continue }
                observed[TrackedEntity(scaleSet.name, instance.instanceId)] = Self.observation(reported.state, observed: reported.observed)
            }
        }
        return observed
    }

    package func observe(_ entity: TrackedEntity, _ view: ProjectionReader) throws -> Observation? {
        let settings = try view.state(ScaleSetProjector.self, of: StreamKind.scaleSet.key(entity.ids[0]))?.extensionSettings
        guard let instance = try view.state(InstanceHealthProjector.self, of: StreamKind.scaleSetInstance.key(entity.ids[0], entity.ids[1])),
              !instance.deleted, let reported = instance.shownHealth(under: settings) else { return nil }
        return Self.observation(reported.state, observed: reported.observed)
    }

    static func observation(_ state: ApplicationHealthState, observed: Bool) -> Observation {
        Observation(state: state.rawValue, takesTraffic: state == .healthy,
                    facets: [Facet("rolling upgrade", state.rollingUpgrade), Facet("instance repair", state.instanceRepair ? "yes" : "no")],
                    observedFromAzure: observed)
    }

    package func concerns(_ event: ProjectedEvent) -> Bool {
        // An instance's own stream: the scale set's settings are no one instance's row.
        Self.instance(of: event).map { tracks($0.scaleSet, $0.instanceId) } ?? false
    }

    package mutating func note(_ event: ProjectedEvent, _ view: ProjectionReader) throws {
        expired = nil
        guard event.data is ApplicationHealthProbed || event.data is ScaleSetInstanceCreated,
              let instance = try view.state(InstanceHealthProjector.self, of: event.stream) else { return }
        // A probe that restarted the loop (new settings) found it honouring the grace period.
        let before = honoring[event.stream].flatMap { $0.settingsSeq == instance.settingsSeq ? $0.honoring : nil } ?? true
        if event.data is ApplicationHealthProbed, before, !instance.honoringGracePeriod { expired = event.stream }
        honoring[event.stream] = (instance.honoringGracePeriod, instance.settingsSeq)
    }

    package func describe(_ event: ProjectedEvent, _ view: ProjectionReader) throws -> String {
        let values = event.stream.values
        let settings = try view.state(ScaleSetProjector.self, of: StreamKind.scaleSet.key(String(values[0])))?.extensionSettings
        switch event.data {
        case let probe as ApplicationHealthProbed:
            var observed = probe.connected.map { $0 ? "tcp connected" : "tcp refused" } ?? (probe.timedOut ? "timed out" : "no response")
            if let status = probe.statusCode, !probe.timedOut { observed = "HTTP \(status)" + (probe.body.map { " \($0)" } ?? "") }
            guard let settings, let instance = try view.state(InstanceHealthProjector.self, of: event.stream) else {
                return "probe: \(observed) (no extension configured)"
            }
            let signal = settings.signal(of: probe)
            var words = "probe: \(observed), \(signal.rawValue)"
            let elapsed = event.at.nanoseconds(since: instance.extensionStart) / 1_000_000_000
            if expired == event.stream, elapsed >= settings.gracePeriod {
                words += "; the grace period of \(settings.gracePeriod) s expired, so it counts as \(settings.expiryState.rawValue)"
            } else {
                let run = instance.count == 0 ? settings.numberOfProbes : instance.count
                words += " (\(run) of numberOfProbes \(settings.numberOfProbes))"
            }
            return words
        case is ScaleSetInstanceCreated:
            return "instance \(values[1]) created" + (settings.map { ", extension starts (grace period \($0.gracePeriod) s)" } ?? "")
        case is ScaleSetInstanceDeleted:
            return "instance \(values[1]) deleted"
        case let configured as ApplicationHealthExtensionConfigured:
            var words = "Application Health extension \(configured.typeHandlerVersion.rawValue) configured: \(configured.protocol.rawValue)"
            if let port = configured.port { words += " port \(port)" }
            if let path = configured.requestPath { words += " \(path)" }
            return words + ", every \(configured.intervalInSeconds) s, numberOfProbes \(configured.numberOfProbes), gracePeriod \(configured.gracePeriod) s"
        case let source as ScaleSetHealthProbeConfigured:
            return "health source: load balancer probe \(source.loadBalancer)/\(source.probe)"
        case is ScaleSetHealthSourceRemoved:
            return "health source removed"
        case let observed as ScaleSetObserved:
            return "observed from Azure: scale set \(observed.scaleSet)" + (observed.resourceId.map { " (\($0))" } ?? "")
        case let observed as ScaleSetInstanceHealthObserved:
            return "observed from Azure: instance \(values[1]) " + (observed.healthState.map { "vmHealth \($0.rawValue)" } ?? "known, no vmHealth")
        default:
            throw UnhandledEvent("the scale set history", event)
        }
    }
}
