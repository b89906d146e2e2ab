/// Why a scale set's instance health has no answer, by case; `description` is the one sentence the user reads.
package enum ScaleSetQueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The scale set's health comes from a load balancer probe, not the extension; `rule` is the
    /// first rule that uses the probe, where the user finds its health (nil when none does).
    case healthFromProbe(scaleSet: String, loadBalancer: String, probe: String, rule: String?)
    /// Neither the Application Health extension nor a load balancer probe is configured.
    case noHealthSource(scaleSet: String)
    /// Known from Azure's reports, none of which carried `vmHealth`.
    case noObservedHealth(scaleSet: String)

    package var description: String {
        switch self {
        case let .healthFromProbe(scaleSet, loadBalancer, probe, rule):
            let command = rule.map { "fleetledger lb health --lb \(loadBalancer) --rule \($0)" } ?? "fleetledger lb list"
            return "scale set \(scaleSet) takes its health from load balancer probe \(loadBalancer)/\(probe), "
                + "not from the Application Health extension; the events carry no address per instance, so see \(command)."
        case let .noHealthSource(scaleSet):
            return "scale set \(scaleSet) has no health source: neither the Application Health extension nor a load balancer probe is configured."
        case let .noObservedHealth(scaleSet):
            return "scale set \(scaleSet) is known from Azure's instance views, and none of them carried vmHealth: Azure reports no health for it (no health source, or one that has not reported yet)."
        }
    }
}
