/// Renders session hosts as Azure returns them (JSON), as the portal lists them (table), and as
/// one CSV row per host.
enum SessionHostOutput {
    /// An array of Azure SessionHost resources.
    static func jsonArray(_ hosts: [SessionHostState]) -> String {
        "[" + hosts.map(json).joined(separator: ",\n ") + "]\n"
    }

    /// One Azure SessionHost resource: `name` is `<hostPool>/<sessionHost>` as in Azure's API, and
    /// the properties carry Azure's names.
    static func json(_ host: SessionHostState) -> String {
        var writer = JSONWriter()
        writer.raw("{")
        writer.writeKey("name", first: true)
        writer.writeString("\(host.hostPool)/\(host.name)")
        writer.writeKey("type")
        writer.writeString("Microsoft.DesktopVirtualization/hostpools/sessionhosts")
        writer.writeKey("properties")
        writer.raw("{")
        writer.writeKey("status", first: true)
        writer.writeString(host.status.rawValue)
        writer.writeKey("statusTimestamp")
        writer.writeString(host.statusTimestamp.rfc3339)
        writer.writeKey("allowNewSession")
        writer.raw(host.allowNewSession ? "true" : "false")
        writer.writeKey("sessions")
        writer.writeInteger(Int64(host.sessions))
        writer.writeKey("lastHeartBeat")
        writeOptional(host.lastHeartBeat?.rfc3339, into: &writer)
        writer.writeKey("agentVersion")
        writeOptional(host.agentVersion, into: &writer)
        writer.writeKey("virtualMachineId")
        writeOptional(host.virtualMachineId, into: &writer)
        writer.writeKey("updateState")
        writer.writeString(host.updateState.rawValue)
        writer.writeKey("lastUpdateTime")
        writeOptional(host.lastUpdateTime?.rfc3339, into: &writer)
        writer.writeKey("updateErrorMessage")
        writeOptional(host.updateErrorMessage, into: &writer)
        writer.writeKey("sessionHostHealthCheckResults")
        writer.raw("[")
        for (index, (name, record)) in host.healthChecks.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{")
            writer.writeKey("healthCheckName", first: true)
            writer.writeString(name)
            writer.writeKey("healthCheckResult")
            writer.writeString(record.result.rawValue)
            writer.writeKey("additionalFailureDetails")
            writer.raw("{")
            writer.writeKey("message", first: true)
            writeOptional(record.message, into: &writer)
            writer.writeKey("errorCode")
            if let code = record.errorCode { writer.writeInteger(code) } else { writer.raw("null") }
            writer.writeKey("lastHealthCheckDateTime")
            writer.writeString(record.lastHealthCheckDateTime.rfc3339)
            writer.raw("}}")
        }
        writer.raw("]}}")
        return writer.text
    }

    static let csvHeader = [
        "hostPool", "name", "status", "statusTimestamp", "allowNewSession", "sessions", "lastHeartBeat",
        "agentVersion", "updateState", "lastUpdateTime", "updateErrorMessage", "failingHealthChecks",
    ]

    static func csv(_ hosts: [SessionHostState]) -> String {
        var output = CSV.record(csvHeader)
        for host in hosts {
            output += CSV.record([
                host.hostPool, host.name, host.status.rawValue, host.statusTimestamp.rfc3339,
                host.allowNewSession ? "true" : "false", String(host.sessions), host.lastHeartBeat?.rfc3339 ?? "",
                host.agentVersion ?? "", host.updateState.rawValue, host.lastUpdateTime?.rfc3339 ?? "",
                host.updateErrorMessage ?? "", host.failingChecks.map(\.name.rawValue).joined(separator: ";"),
            ])
        }
        return output
    }

    /// The portal's session host list: name, status, drain mode, sessions, heartbeat, agent, health.
    static func table(_ hosts: [SessionHostState]) -> String {
        var table = TextTable(headers: ["HOST POOL", "NAME", "STATUS", "DRAIN MODE", "SESSIONS", "LAST HEARTBEAT", "AGENT VERSION", "FAILING CHECKS"])
        for host in hosts {
            table.append([
                host.hostPool, host.name, host.status.rawValue, host.allowNewSession ? "Off" : "On", String(host.sessions),
                host.lastHeartBeat?.rfc3339 ?? "-", host.agentVersion ?? "-",
                host.failingChecks.isEmpty ? "-" : host.failingChecks.map(\.name.rawValue).joined(separator: ", "),
            ])
        }
        return table.rendered
    }

    /// One host's properties, then its health checks.
    static func detail(_ host: SessionHostState) -> String {
        var properties = TextTable(headers: ["PROPERTY", "VALUE"])
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
        var checks = TextTable(headers: ["HEALTH CHECK", "RESULT", "FATAL", "ERROR CODE", "LAST CHECKED", "MESSAGE"])
        for (name, record) in host.healthChecks.sorted(by: { $0.key < $1.key }) {
            let fatal = HealthCheckName(rawValue: name)?.isFatal == true ? "yes" : "no"
            checks.append([name, record.result.rawValue, fatal, record.errorCode.map(String.init) ?? "-",
                           record.lastHealthCheckDateTime.rfc3339, record.message ?? "-"])
        }
        return properties.rendered + "\n" + (host.healthChecks.isEmpty ? "no health check results\n" : checks.rendered)
    }

    private static func writeOptional(_ value: String?, into writer: inout JSONWriter) {
        if let value { writer.writeString(value) } else { writer.raw("null") }
    }
}

/// Renders a routing decision.
enum RoutingOutput {
    static func json(_ decision: RoutingDecision) -> String {
        var writer = JSONWriter()
        writer.raw("{")
        writer.writeKey("hostPool", first: true)
        writer.writeString(decision.hostPool)
        writer.writeKey("loadBalancerType")
        writer.writeString(decision.loadBalancerType.rawValue)
        writer.writeKey("maxSessionLimit")
        if let limit = decision.maxSessionLimit { writer.writeInteger(limit) } else { writer.raw("null") }
        writer.writeKey("sessionHost")
        if let chosen = decision.chosen { writer.writeString(chosen.name) } else { writer.raw("null") }
        writer.writeKey("reason")
        writer.writeString(decision.explanation)
        writer.writeKey("candidates")
        writer.raw("[")
        for (index, verdict) in decision.verdicts.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{")
            writer.writeKey("name", first: true)
            writer.writeString(verdict.host.name)
            writer.writeKey("status")
            writer.writeString(verdict.host.status.rawValue)
            writer.writeKey("allowNewSession")
            writer.raw(verdict.host.allowNewSession ? "true" : "false")
            writer.writeKey("sessions")
            writer.writeInteger(Int64(verdict.host.sessions))
            writer.writeKey("eligible")
            writer.raw(verdict.eligible ? "true" : "false")
            writer.writeKey("reason")
            writer.writeString(verdict.reason)
            writer.raw("}")
        }
        writer.raw("]}")
        return writer.text
    }

    static func table(_ decision: RoutingDecision) -> String {
        var table = TextTable(headers: ["", "NAME", "STATUS", "DRAIN MODE", "SESSIONS", "WHY"])
        for verdict in decision.verdicts {
            let marker = verdict.host.name == decision.chosen?.name ? "->" : (verdict.eligible ? "" : "x")
            table.append([marker, verdict.host.name, verdict.host.status.rawValue, verdict.host.allowNewSession ? "Off" : "On",
                          String(verdict.host.sessions), verdict.reason])
        }
        let limit = decision.maxSessionLimit.map(String.init) ?? "none"
        return "host pool \(decision.hostPool): \(decision.loadBalancerType.rawValue), session limit \(limit)\n\n"
            + (decision.verdicts.isEmpty ? "" : table.rendered + "\n") + decision.explanation + "\n"
    }
}
