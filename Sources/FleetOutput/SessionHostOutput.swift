import FleetDomains
import FleetEvents

/// Renders session hosts as Azure returns them (JSON), as the portal lists them (table), and as
/// one CSV row per host.
package enum SessionHostOutput {
    /// An array of Azure SessionHost resources.
    package static func jsonArray(_ hosts: [SessionHostState]) -> String {
        OutputJSON.encode(hosts.map(SessionHostResource.init)) + "\n"
    }

    /// One Azure SessionHost resource.
    package static func json(_ host: SessionHostState) -> String {
        OutputJSON.encode(SessionHostResource(host))
    }

    package static let csvHeader = [
        "hostPool", "name", "status", "statusTimestamp", "allowNewSession", "sessions", "lastHeartBeat",
        "agentVersion", "updateState", "lastUpdateTime", "updateErrorMessage", "failingHealthChecks",
    ]

    /// The id `Staleness` knows a host by.
    package static func staleID(_ host: SessionHostState) -> String { Staleness.id(host.hostPool, host.name) }

    package static func csv(_ hosts: [SessionHostState], staleness: Staleness? = nil) -> String {
        var output = CSV.record(csvHeader + staleness.csvColumns())
        for host in hosts {
            output += CSV.record([
                host.hostPool, host.name, host.status.rawValue, host.statusTimestamp.rfc3339,
                host.allowNewSession ? "true" : "false", String(host.sessions), host.lastHeartBeat?.rfc3339 ?? "",
                host.agentVersion ?? "", host.updateState.rawValue, host.lastUpdateTime?.rfc3339 ?? "",
                host.updateErrorMessage ?? "", host.failingChecks.map(\.name.rawValue).joined(separator: ";"),
            ] + staleness.csvCells(staleID(host)))
        }
        return output
    }

    /// The portal's session host list: name, status, drain mode, sessions, heartbeat, agent, health.
    package static func table(_ hosts: [SessionHostState], staleness: Staleness? = nil) -> String {
        var table = TextTable(headers: ["HOST POOL", "SESSION HOST", "STATUS", "DRAIN MODE", "SESSIONS", "LAST HEARTBEAT", "AGENT VERSION"]
            + staleness.tableColumns() + ["FAILING CHECKS"], wrapping: ["FAILING CHECKS"])
        for host in hosts {
            table.append([
                host.hostPool, host.name, host.status.rawValue, host.allowNewSession ? "Off" : "On", String(host.sessions),
                host.lastHeartBeat?.rfc3339 ?? "-", host.agentVersion ?? "-",
            ] + staleness.tableCells(staleID(host)) + [
                host.failingChecks.isEmpty ? "-" : host.failingChecks.map(\.name.rawValue).joined(separator: ", "),
            ])
        }
        return staleness.legend + table.rendered
    }

    /// One host's properties, then its health checks.
    package static func detail(_ host: SessionHostState, staleness: Staleness? = nil) -> String {
        var properties = TextTable(headers: ["PROPERTY", "VALUE"], wrapping: ["VALUE"])
        let rows: [(String, String)] = [
            ("name", "\(host.hostPool)/\(host.name)"),
            ("status", "\(host.status.rawValue) (\(host.derivedStatus.reason))"),
            ("statusTimestamp", host.statusTimestamp.rfc3339),
            ("allowNewSession", host.allowNewSession ? "true" : "false (drain mode)"),
            ("sessions", host.users.isEmpty ? "0" : "\(host.sessions): \(host.users.joined(separator: ", "))"),
            ("powerState", host.powerState.rawValue),
            ("lastHeartBeat", host.lastHeartBeat?.rfc3339 ?? "-"),
            ("agentVersion", host.agentVersion ?? "-"),
            ("updateState", host.updateState.rawValue),
            ("lastUpdateTime", host.lastUpdateTime?.rfc3339 ?? "-"),
            ("updateErrorMessage", host.updateErrorMessage ?? "-"),
        ]
        for row in rows { properties.append([row.0, row.1]) }
        if let staleness {
            let id = staleID(host)
            properties.append(["lastEvent", staleness.newest[id]?.rfc3339 ?? "-"])
            properties.append(["stale", staleness.isStale(id) ? "yes: no event for more than \(staleness.after) before \(staleness.queryTime.rfc3339)" : "no"])
        }
        var checks = TextTable(headers: ["HEALTH CHECK", "RESULT", "FATAL", "ERROR CODE", "LAST CHECKED", "MESSAGE"], wrapping: ["MESSAGE"])
        for (name, record) in host.healthChecks.sorted(by: { $0.key < $1.key }) {
            let fatal = HealthCheckName(rawValue: name)?.isFatal == true ? "yes" : "no"
            checks.append([name, record.result.rawValue, fatal, record.errorCode.map(String.init) ?? "-",
                           record.lastHealthCheckDateTime.rfc3339, record.message ?? "-"])
        }
        return properties.rendered + "\n" + (host.healthChecks.isEmpty ? "no health check results\n" : checks.rendered)
    }
}

/// Renders a routing decision.
package enum RoutingOutput {
    package static func json(_ decision: RoutingDecision) -> String {
        OutputJSON.encode(RoutingResult(decision))
    }

    package static let csvHeader = ["hostPool", "sessionHost", "status", "allowNewSession", "sessions", "eligible", "chosen", "why"]

    /// One row per host of the pool, with the rule that made it eligible or not.
    package static func csv(_ decision: RoutingDecision, staleness: Staleness? = nil) -> String {
        var output = CSV.record(csvHeader + staleness.csvColumns())
        for verdict in decision.verdicts {
            output += CSV.record([decision.hostPool, verdict.host.name, verdict.host.status.rawValue, String(verdict.host.allowNewSession),
                                  String(verdict.host.sessions), String(verdict.eligible), String(verdict.host.name == decision.chosen?.name),
                                  verdict.reason] + staleness.csvCells(SessionHostOutput.staleID(verdict.host)))
        }
        return output
    }

    package static func table(_ decision: RoutingDecision, staleness: Staleness? = nil) -> String {
        var table = TextTable(headers: ["", "SESSION HOST", "STATUS", "DRAIN MODE", "SESSIONS"] + staleness.tableColumns() + ["WHY"], wrapping: ["WHY"])
        for verdict in decision.verdicts {
            let marker = verdict.host.name == decision.chosen?.name ? "->" : (verdict.eligible ? "" : "x")
            table.append([marker, verdict.host.name, verdict.host.status.rawValue, verdict.host.allowNewSession ? "Off" : "On",
                          String(verdict.host.sessions)] + staleness.tableCells(SessionHostOutput.staleID(verdict.host)) + [verdict.reason])
        }
        let limit = decision.maxSessionLimit.map(String.init) ?? "none"
        return "host pool \(decision.hostPool): \(decision.loadBalancerType.rawValue), session limit \(limit)\n\n" + staleness.legend
            + (decision.verdicts.isEmpty ? "" : table.rendered + "\n") + decision.explanation + "\n"
    }
}
