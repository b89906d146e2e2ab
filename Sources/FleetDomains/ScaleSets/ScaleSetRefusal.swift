import FleetEvents

/// Why the scale set domain refuses an event at append, by rule; `description` is the one
/// sentence the user reads.
package enum ScaleSetRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// A second health source for a scale set that has one (`current`), where Azure allows one.
    case healthSourceTaken(scaleSet: String, current: String, adding: String)
    /// A probe result of the Application Health extension on a scale set without it; `why` says
    /// what the scale set has instead.
    case noExtension(scaleSet: String, why: String)

    package var description: String {
        switch self {
        case let .healthSourceTaken(scaleSet, current, adding):
            "scale set \(scaleSet) already takes its health from \(current), so \(adding) cannot be added: Azure allows one "
                + "health source per scale set, the Application Health extension or a load balancer probe, not both "
                + "(send ScaleSetHealthSourceRemoved first)"
        case let .noExtension(scaleSet, why):
            "scale set \(scaleSet) has no Application Health extension (\(why)), so a probe result of its extension cannot be recorded"
        }
    }
}
