import FleetDomains
import FleetEvents

/// Renders a pool's session host update: Azure's update status resource with the plan, a table, CSV.
package enum UpdateOutput {
    package static func json(_ update: UpdateState) -> String {
        OutputJSON.encode(UpdateStatusResource(update)) + "\n"
    }

    package static let csvHeader = ["hostPool", "updateId", "status", "percentComplete", "batch", "sessionHost", "step", "vmName"]

    package static func csv(_ update: UpdateState, staleness: Staleness? = nil) -> String {
        var output = CSV.record(csvHeader + staleness.csvColumns())
        for (batch, hosts) in update.plan.enumerated() {
            for name in hosts {
                let host = update.hosts[name]
                output += CSV.record([update.hostPool, update.id, update.status.rawValue, percent(update), String(batch), name,
                                      host?.step?.rawValue ?? "", host?.vmName ?? ""] + staleness.csvCells(Staleness.id(update.hostPool, name)))
            }
        }
        return output
    }

    package static func table(_ update: UpdateState, staleness: Staleness? = nil) -> String {
        if update.observedFromAzure == true { return observedTable(update) }
        var lines = ["host pool \(update.hostPool): update \(update.id) is \(update.status.rawValue), \(percent(update))% complete "
            + "(\(update.completed) of \(update.totalSessionHosts) hosts done, \(update.inProgress) in progress)"]
        lines.append("batch size \(update.maxVmsRemoved), original VMs \(update.deleteOriginalVm ? "deleted" : "deallocated and kept"), "
            + "users signed out \(update.logOffDelayMinutes) min after notice")
        if let start = update.startTime { lines.append("started \(start.rfc3339)" + (update.endTime.map { ", ended \($0.rfc3339)" } ?? "")) }
        else if let scheduled = update.scheduledDateTime { lines.append("scheduled for \(scheduled.rfc3339)") }
        else { lines.append("waiting for Start") }
        if let code = update.errorCode { lines.append("error \(code): \(update.errorMessage ?? "")") }
        var table = TextTable(headers: ["BATCH", "SESSION HOST", "STEP", "VM NAME"] + staleness.tableColumns())
        for (batch, hosts) in update.plan.enumerated() {
            for name in hosts {
                let host = update.hosts[name]
                table.append([batch == 0 ? "0 (initial)" : String(batch), name, host?.step?.rawValue ?? "-", host?.vmName ?? "-"]
                             + staleness.tableCells(Staleness.id(update.hostPool, name)))
            }
        }
        return lines.joined(separator: "\n") + "\n\n" + staleness.legend + (update.plan.isEmpty ? "No plan yet: the update has not started.\n" : table.rendered)
    }

    /// An update status observed from Azure: its status, progress and error; Azure reports no plan.
    private static func observedTable(_ update: UpdateState) -> String {
        var lines = ["host pool \(update.hostPool): update \(update.id.isEmpty ? "" : update.id + " ")is \(update.status.rawValue), "
            + "\(percent(update))% complete (observed from Azure)"]
        if let start = update.startTime { lines.append("started \(start.rfc3339)" + (update.endTime.map { ", ended \($0.rfc3339)" } ?? "")) }
        if update.errorCode != nil || update.errorMessage != nil {
            lines.append("error \(update.errorCode ?? "?"): \(update.errorMessage ?? "")")
        }
        return lines.joined(separator: "\n") + "\n\nAzure's update status carries no batches: `fleetledger history --pool \(update.hostPool) --update` shows what was observed when.\n"
    }

    /// `40`, or `33.3` for a share that is not whole.
    static func percent(_ update: UpdateState) -> String {
        let value = update.percentComplete
        return value.rounded() == value ? String(Int(value)) : String((value * 10).rounded() / 10)
    }

    // MARK: pools

    package static let poolsCSVHeader = ["hostPool", "loadBalancerType", "maxSessionLimit", "hosts", "available", "notAvailable",
                                         "sessions", "drainedHosts", "updateStatus"]

    package static func poolsCSV(_ pools: [HostPoolSummary], staleness: Staleness? = nil) -> String {
        var output = CSV.record(poolsCSVHeader + staleness.countColumn("staleHosts"))
        for row in poolRows(pools, staleness) { output += CSV.record(row) }
        return output
    }

    package static func poolsTable(_ pools: [HostPoolSummary], staleness: Staleness? = nil) -> String {
        var table = TextTable(headers: ["HOST POOL", "LOAD BALANCING", "SESSION LIMIT", "HOSTS", "AVAILABLE", "NOT AVAILABLE",
                                        "SESSIONS", "DRAINED", "UPDATE"] + staleness.countColumn("STALE HOSTS"))
        for row in poolRows(pools, staleness) { table.append(row.map { $0.isEmpty ? "-" : $0 }) }
        return pools.isEmpty ? "The store holds no host pool.\n" : staleness.legend + table.rendered
    }

    package static func poolsJSON(_ pools: [HostPoolSummary]) -> String {
        OutputJSON.encode(pools.map(PoolListing.init)) + "\n"
    }

    private static func poolRows(_ pools: [HostPoolSummary], _ staleness: Staleness?) -> [[String]] {
        pools.map { pool in
            let available = pool.hosts.count { $0.status == .available }
            return [pool.name, (pool.settings?.loadBalancerType ?? .breadthFirst).rawValue,
                    pool.settings?.maxSessionLimit.map { String($0) } ?? "", String(pool.hosts.count),
                    String(available), String(pool.hosts.count - available),
                    String(pool.hosts.reduce(0) { $0 + $1.sessions }), String(pool.hosts.count { !$0.allowNewSession }),
                    pool.update?.status.rawValue ?? ""] + staleness.count(pool.hosts.map(SessionHostOutput.staleID))
        }
    }
}

/// Azure's `sessionHostManagements/default/sessionHostUpdateStatuses/default`, plus the plan.
struct UpdateStatusResource: Encodable {
    var id: String
    var name: String
    var status: String
    @Nullable var startTime: String?
    @Nullable var endTime: String?
    var percentComplete: Double
    @Nullable var error: ErrorDetail?
    var properties: Properties
    var plan: [Batch]

    struct ErrorDetail: Encodable { var code: String?; var message: String? }

    struct Properties: Encodable {
        var correlationId: String
        @Nullable var scheduledDateTime: String?
        var progress: Progress

    }

    struct Progress: Encodable {
        @Nullable var executionStartTime: String?
        var totalSessionHosts: Int
        var sessionHostsInProgress: Int
        var sessionHostsCompleted: Int
        var sessionHostsRollbackFailed: Int

    }

    struct Batch: Encodable {
        var batch: Int
        var sessionHosts: [Host]
    }

    struct Host: Encodable {
        var name: String
        @Nullable var step: String?
        @Nullable var vmName: String?

    }

    init(_ update: UpdateState) {
        // No subscription or resource group is in the events: the id uses placeholders for them.
        id = update.resourceId ?? "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/fleetledger/providers/"
            + "Microsoft.DesktopVirtualization/hostPools/\(update.hostPool)/sessionHostManagements/default/sessionHostUpdateStatuses/default"
        name = update.id
        status = update.status.rawValue
        startTime = update.startTime?.rfc3339
        endTime = update.endTime?.rfc3339
        percentComplete = update.percentComplete
        error = update.errorCode == nil && update.errorMessage == nil ? nil : ErrorDetail(code: update.errorCode, message: update.errorMessage)
        properties = Properties(
            correlationId: update.id, scheduledDateTime: update.scheduledDateTime?.rfc3339,
            progress: Progress(executionStartTime: update.startTime?.rfc3339, totalSessionHosts: update.totalSessionHosts,
                               sessionHostsInProgress: update.inProgress, sessionHostsCompleted: update.completed,
                               sessionHostsRollbackFailed: 0))
        plan = update.plan.enumerated().map { index, hosts in
            Batch(batch: index, sessionHosts: hosts.map { Host(name: $0, step: update.hosts[$0]?.step?.rawValue, vmName: update.hosts[$0]?.vmName) })
        }
    }

}

/// One host pool in `pools --format json`.
struct PoolListing: Encodable {
    var name: String
    var loadBalancerType: String
    var maxSessionLimit: Int64?
    var hostsByStatus: [String: Int]
    var sessions: Int
    var drainedHosts: Int
    var updateStatus: String?

    init(_ pool: HostPoolSummary) {
        name = pool.name
        loadBalancerType = (pool.settings?.loadBalancerType ?? .breadthFirst).rawValue
        maxSessionLimit = pool.settings?.maxSessionLimit
        hostsByStatus = Dictionary(pool.hosts.map { ($0.status.rawValue, 1) }, uniquingKeysWith: +)
        sessions = pool.hosts.reduce(0) { $0 + $1.sessions }
        drainedHosts = pool.hosts.count { !$0.allowNewSession }
        updateStatus = pool.update?.status.rawValue
    }
}
