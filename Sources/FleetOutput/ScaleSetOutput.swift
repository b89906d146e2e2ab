import FleetDomains
import FleetEvents

/// Renders scale set instance health: JSON with Azure's instance-view `vmHealth`, a table, CSV.
package enum ScaleSetOutput {
    package static func json(_ health: ScaleSetHealth) -> String {
        OutputJSON.encode(health.instances.map(InstanceHealthResult.init)) + "\n"
    }

    package static let csvHeader = ["instanceId", "healthState", "since", "rollingUpgrade", "instanceRepair"]

    package static func csv(_ health: ScaleSetHealth, staleness: Staleness? = nil) -> String {
        var output = CSV.record(csvHeader + staleness.csvColumns())
        for instance in health.instances {
            output += CSV.record([instance.instanceId, instance.state.rawValue, instance.since.rfc3339,
                                  instance.state.rollingUpgrade, instance.state.instanceRepair ? "true" : "false"]
                                 + staleness.csvCells(instance.instanceId))
        }
        return output
    }

    package static func table(_ health: ScaleSetHealth, staleness: Staleness? = nil) -> String {
        var header = "scale set \(health.scaleSet): "
        if let settings = health.settings {
            let target = settings.protocol == .tcp ? "tcp port \(settings.port.map(String.init) ?? "?")"
                : "\(settings.protocol.rawValue) \(settings.port.map { ":\($0)" } ?? "")\(settings.requestPath ?? "/")"
            header += "Application Health extension \(settings.typeHandlerVersion.rawValue) "
                + "(\(settings.isRich ? "rich" : "binary") states), \(target), every \(settings.intervalInSeconds) s, "
                + "\(settings.numberOfProbes) probe\(settings.numberOfProbes == 1 ? "" : "s") to change state"
            if settings.isRich { header += ", grace period \(settings.gracePeriod) s" }
        } else {
            header += "health observed from Azure (each instance view's vmHealth); no extension settings known"
        }
        let observed = health.instances.contains(where: \.observed)
        var table = TextTable(headers: ["INSTANCE", "HEALTH STATE", "SINCE", "ROLLING UPGRADE", "INSTANCE REPAIR"]
            + (observed ? ["SOURCE"] : []) + staleness.tableColumns())
        for instance in health.instances {
            table.append([instance.instanceId, instance.state.rawValue, instance.since.rfc3339, instance.state.rollingUpgrade,
                          instance.state.instanceRepair ? "yes" : "no"] + (observed ? [instance.observed ? "observed from Azure" : "extension"] : [])
                         + staleness.tableCells(instance.instanceId))
        }
        return header + "\n\n" + staleness.legend + (health.instances.isEmpty ? "The scale set has no instances.\n" : table.rendered)
    }

    // MARK: vmss list

    package static let listCSVHeader = ["scaleSet", "healthSource", "instances", "Healthy", "Unhealthy", "Unknown", "Initializing"]

    package static func listCSV(_ summaries: [ScaleSetSummary], staleness: Staleness? = nil) -> String {
        var output = CSV.record(listCSVHeader + staleness.countColumn("staleInstances"))
        for row in rows(summaries, staleness) { output += CSV.record(row) }
        return output
    }

    package static func listTable(_ summaries: [ScaleSetSummary], staleness: Staleness? = nil) -> String {
        var table = TextTable(headers: ["SCALE SET", "HEALTH SOURCE", "INSTANCES", "HEALTHY", "UNHEALTHY", "UNKNOWN", "INITIALIZING"]
            + staleness.countColumn("STALE INSTANCES"))
        for row in rows(summaries, staleness) { table.append(row.map { $0.isEmpty ? "-" : $0 }) }
        return summaries.isEmpty ? "The store holds no scale set.\n" : staleness.legend + table.rendered
    }

    package static func listJSON(_ summaries: [ScaleSetSummary]) -> String {
        OutputJSON.encode(summaries.map(ScaleSetListing.init)) + "\n"
    }

    private static func rows(_ summaries: [ScaleSetSummary], _ staleness: Staleness?) -> [[String]] {
        summaries.map { summary in
            let counted = summary.scaleSet.extensionSettings != nil || !summary.counts.isEmpty
            return [summary.scaleSet.name, source(of: summary.scaleSet), String(summary.instances)]
                + [ApplicationHealthState.healthy, .unhealthy, .unknown, .initializing].map {
                    counted ? String(summary.counts[$0] ?? 0) : ""
                }
                + staleness.count(summary.instanceIds.map { Staleness.id(summary.scaleSet.name, $0) })
        }
    }

    static func source(of scaleSet: ScaleSetState) -> String {
        if let settings = scaleSet.extensionSettings { return "ApplicationHealthExtension \(settings.typeHandlerVersion.rawValue)" }
        if let probe = scaleSet.loadBalancerProbe { return "LoadBalancerProbe \(probe.loadBalancer)/\(probe.probe)" }
        return scaleSet.observed == true ? "observed from Azure" : "none"
    }
}

/// One instance in `vmss health --format json`.
struct InstanceHealthResult: Encodable {
    var instanceId: String
    var healthState: String
    var rollingUpgrade: String
    var instanceRepair: Bool
    var vmHealth: VMHealth

    /// Azure's instance view: `vmHealth.status` with `code`, `level`, `displayStatus` and `time`.
    struct VMHealth: Encodable {
        var status: Status
    }

    struct Status: Encodable {
        var code: String
        var level: String
        var displayStatus: String
        var time: String
    }

    init(_ instance: InstanceReport) {
        instanceId = instance.instanceId
        healthState = instance.state.rawValue
        rollingUpgrade = instance.state.rollingUpgrade
        instanceRepair = instance.state.instanceRepair
        let (level, display): (String, String) = switch instance.state {
        case .healthy: ("Info", "The VM is reporting healthy")
        case .initializing: ("Info", "The VM is initializing")
        case .unknown: ("Warning", "The VM health is unknown")
        case .unhealthy: ("Error", "The VM is reporting unhealthy")
        }
        vmHealth = VMHealth(status: Status(code: "HealthState/\(instance.state.rawValue.lowercased())", level: level,
                                           displayStatus: display, time: instance.since.rfc3339))
    }
}

/// One scale set in `vmss list --format json`.
struct ScaleSetListing: Encodable {
    var name: String
    var healthSource: String
    var instances: Int
    /// By state; left out when the extension is not the source.
    var healthStates: [String: Int]?

    init(_ summary: ScaleSetSummary) {
        name = summary.scaleSet.name
        healthSource = ScaleSetOutput.source(of: summary.scaleSet)
        instances = summary.instances
        healthStates = summary.scaleSet.extensionSettings == nil ? nil
            : Dictionary(uniqueKeysWithValues: ApplicationHealthState.allCases.map { ($0.rawValue, summary.counts[$0] ?? 0) })
    }
}
