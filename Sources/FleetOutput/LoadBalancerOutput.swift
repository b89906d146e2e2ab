import FleetDomains
import FleetEvents

/// Renders a rule's backend health as Azure returns it (JSON), as the portal's health status
/// window shows it (table), and as one CSV row per backend.
package enum LoadBalancerOutput {
    /// Exactly Azure's `LoadBalancerHealthPerRule`: `up`, `down`, `loadBalancerBackendAddresses`.
    package static func json(_ health: RuleHealth) -> String {
        OutputJSON.encode(HealthPerRule(health)) + "\n"
    }

    package static let csvHeader = ["ipAddress", "networkInterfaceIPConfigurationId", "state", "reason", "portalReason"]

    package static func csv(_ health: RuleHealth, staleness: Staleness? = nil) -> String {
        var output = CSV.record(csvHeader + staleness.csvColumns())
        for address in health.addresses {
            output += CSV.record([address.ipAddress, address.networkInterfaceIPConfigurationId ?? "", address.state.rawValue,
                                  address.reasonCode ?? "", address.reason?.portalText ?? ""]
                                 + staleness.csvCells(address.ipAddress))
        }
        return output
    }

    /// The portal's "Load balancing rule health status" window.
    package static func table(_ health: RuleHealth, staleness: Staleness? = nil) -> String {
        var table = TextTable(headers: ["BACKEND INSTANCE", "NETWORK INTERFACE", "STATE", "REASON CODE"] + staleness.tableColumns() + ["REASON"],
                              wrapping: ["REASON"])
        for address in health.addresses {
            table.append([
                address.ipAddress, address.networkInterfaceIPConfigurationId.map(interfaceName) ?? "-",
                address.state == .unknown ? "-" : address.state.rawValue, address.reasonCode ?? "-",
            ] + staleness.tableCells(address.ipAddress) + [
                (address.observed ? "Observed from Azure. " : "")
                    + (address.reason?.portalText ?? (address.unknownReason != nil ? "A reason code this version of FleetLedger does not describe."
                        : "Health status cannot be retrieved: the virtual machine is turned off.")),
            ])
        }
        let title = "Load balancing rule health status: \(health.rule) (load balancer \(health.loadBalancer), "
            + "backend pool \(health.backendPool), probe \(health.probe ?? "unknown: health observed from Azure"))\nUp: \(health.up)  Down: \(health.down)\n\n" + staleness.legend
        return title + (health.addresses.isEmpty ? "The backend pool has no backend instances.\n" : table.rendered)
    }

    /// `networkInterfaces/nic-1/ipConfigurations/ipconfig1` reads as `nic-1/ipconfig1`.
    private static func interfaceName(_ id: String) -> String {
        let parts = id.split(separator: "/")
        guard let nic = parts.firstIndex(of: "networkInterfaces"), nic + 1 < parts.count else { return id }
        let configuration = parts.firstIndex(of: "ipConfigurations").flatMap { $0 + 1 < parts.count ? parts[$0 + 1] : nil }
        return configuration.map { "\(parts[nic + 1])/\($0)" } ?? String(parts[nic + 1])
    }

    // MARK: lb list

    package static let listCSVHeader = ["loadBalancer", "kind", "rule", "backendPool", "probe", "up", "down"]

    package static func listCSV(_ summaries: [LoadBalancerSummary], staleness: Staleness? = nil) -> String {
        var output = CSV.record(listCSVHeader + staleness.countColumn("staleBackends"))
        for row in rows(summaries, staleness) { output += CSV.record(row) }
        return output
    }

    package static func listTable(_ summaries: [LoadBalancerSummary], staleness: Staleness? = nil) -> String {
        var table = TextTable(headers: ["LOAD BALANCER", "KIND", "RULE", "BACKEND POOL", "PROBE", "UP", "DOWN"]
            + staleness.countColumn("STALE BACKENDS"))
        for row in rows(summaries, staleness) { table.append(row.map { $0.isEmpty ? "-" : $0 }) }
        return summaries.isEmpty ? "The store holds no load balancer.\n" : staleness.legend + table.rendered
    }

    package static func listJSON(_ summaries: [LoadBalancerSummary]) -> String {
        OutputJSON.encode(summaries.map(LoadBalancerListing.init)) + "\n"
    }

    /// One row per rule (a load balancer without rules gets one row of its own).
    private static func rows(_ summaries: [LoadBalancerSummary], _ staleness: Staleness?) -> [[String]] {
        summaries.flatMap { summary -> [[String]] in
            let balancer = [summary.balancer.name, summary.balancer.kind.rawValue]
            guard !summary.rules.isEmpty else { return [balancer + ["", "", "", "", ""] + staleness.count([])] }
            return summary.rules.map { rule in
                balancer + [rule.name, rule.settings.backendPool, rule.settings.probe ?? "",
                            rule.health.map { String($0.up) } ?? "", rule.health.map { String($0.down) } ?? ""]
                    + staleness.count((rule.health?.addresses ?? []).map { Staleness.id(summary.balancer.name, $0.ipAddress) })
            }
        }
    }
}

/// Azure's `LoadBalancerHealthPerRule`, key for key.
struct HealthPerRule: Encodable {
    var up: Int
    var down: Int
    var loadBalancerBackendAddresses: [Address]

    /// Azure's `LoadBalancerHealthPerRulePerBackendAddress`; the interface id is left out when
    /// the address has none, and a powered-off backend has empty state and reason.
    struct Address: Encodable {
        var ipAddress: String
        var networkInterfaceIPConfigurationId: String?
        var state: String
        var reason: String
    }

    init(_ health: RuleHealth) {
        up = health.up
        down = health.down
        loadBalancerBackendAddresses = health.addresses.map {
            Address(ipAddress: $0.ipAddress, networkInterfaceIPConfigurationId: $0.networkInterfaceIPConfigurationId,
                    state: $0.state.rawValue, reason: $0.reasonCode ?? "")
        }
    }
}

/// One load balancer in `lb list --format json`.
struct LoadBalancerListing: Encodable {
    var name: String
    var kind: String
    var probes: [Probe]
    var rules: [Rule]

    struct Probe: Encodable {
        var name: String
        var `protocol`: String
        var port: Int64
        var intervalInSeconds: Int64
        var probeThreshold: Int64
        var requestPath: String?
        var noHealthyBackendsBehavior: String
    }

    /// `up` and `down` are left out where Azure gives no health status (no probe, Gateway).
    struct Rule: Encodable {
        var name: String
        var backendPool: String
        var probe: String?
        var up: Int?
        var down: Int?
    }

    init(_ summary: LoadBalancerSummary) {
        name = summary.balancer.name
        kind = summary.balancer.kind.rawValue
        probes = summary.balancer.probes.sorted { $0.key < $1.key }.map { name, probe in
            Probe(name: name.name, protocol: probe.protocol.rawValue, port: probe.port, intervalInSeconds: probe.intervalInSeconds,
                  probeThreshold: probe.probeThreshold, requestPath: probe.requestPath,
                  noHealthyBackendsBehavior: probe.noHealthyBackendsBehavior.rawValue)
        }
        rules = summary.rules.map {
            Rule(name: $0.name, backendPool: $0.settings.backendPool, probe: $0.settings.probe, up: $0.health?.up, down: $0.health?.down)
        }
    }
}
