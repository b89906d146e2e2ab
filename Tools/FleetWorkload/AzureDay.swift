import FleetEvents

/// A day of what Azure reports about one host pool, for the import benchmark: the session host
/// list a poll gets each minute, and the `WVDAgentHealthStatus` rows Log Analytics keeps (a row
/// per host every 30 seconds, in `az monitor log-analytics query`'s form).
///
/// Each host runs two health checks every 5 minutes (at its own offset). Every 50th host fails
/// `DomainJoinedCheck` for 20 minutes once in the day (Azure then reports it Unavailable), and every
/// 100th is drained for an hour: almost every minute repeats the one before.
public struct AzureDay: Sendable {
    public var hosts: Int
    /// Midnight UTC of the day, as seconds since 1970 (2026-01-10).
    public var start: Int64 = 1_768_003_200
    public let pool = "hp-bench"
    public var poolID: String {
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-bench/providers/Microsoft.DesktopVirtualization/hostPools/\(pool)"
    }

    public init(hosts: Int) { self.hosts = hosts }

    /// The RFC 3339 time `seconds` into the day.
    public func time(_ seconds: Int64) -> String {
        Timestamp(nanoseconds: (start + seconds) * 1_000_000_000).rfc3339
    }

    /// The session host list a poll at `second` into the day gets.
    public func sessionHostList(at second: Int64) -> String {
        "{\"value\":[" + (0..<hosts).map { sessionHost($0, at: second) }.joined(separator: ",") + "]}"
    }

    /// The `WVDAgentHealthStatus` rows of the hour `hour` (0 to 23): every 30 seconds for every host.
    public func agentHealthRows(hour: Int64) -> String {
        var rows: [String] = []
        rows.reserveCapacity(hosts * 120)
        for tick in 0..<Int64(120) {
            let now = hour * 3600 + tick * 30
            for host in 0..<hosts {
                let checks = [(0, "DomainJoinedCheck"), (4, "UrlsAccessibleCheck")].map { index, name in
                    let (failing, ran) = check(name, of: host, at: now)
                    return #"{\"HealthCheckName\":\#(index),\"HealthCheckResult\":\#(failing ? 2 : 1),\"AdditionalFailureDetails\":{\"ErrorCode\":\#(failing ? -2147467259 : 0),\"Message\":\"\#(failing ? "not joined" : "")\",\"LastHealthCheckDateTime\":\"\#(time(ran))\"}}"#
                }
                rows.append(#"{"TimeGenerated":"\#(time(now))","SessionHostName":"\#(name(host))","_ResourceId":"\#(poolID.lowercased())","#
                    + #""LastHeartBeat":"\#(time(now - 2))","SessionHostHealthCheckResult":"[\#(checks.joined(separator: ","))]"}"#)
            }
        }
        return "[" + rows.joined(separator: ",\n") + "]"
    }

    private func name(_ host: Int) -> String { "sh-\(host).contoso.com" }

    /// Whether `check` fails on `host` in its run before `second`, and when that run was.
    private func check(_ check: String, of host: Int, at second: Int64) -> (failing: Bool, ran: Int64) {
        let offset = Int64(host % 300)
        let ran = second >= offset ? offset + (second - offset) / 300 * 300 : 0
        guard check == "DomainJoinedCheck", host % 50 == 7 else { return (false, ran) }
        let from = Int64(host * 29 % 1380) * 60
        return ((from..<from + 1200).contains(ran), ran)
    }

    private func sessionHost(_ host: Int, at second: Int64) -> String {
        let domain = check("DomainJoinedCheck", of: host, at: second)
        let urls = check("UrlsAccessibleCheck", of: host, at: second)
        // Azure's status follows the failing check; its timestamp is when it last changed.
        let failing = domain.failing
        var since: Int64 = 0
        if host % 50 == 7 {
            // The first run in the failing 20 minutes, and the first after them (runs are 5 minutes apart).
            let failFrom = Int64(host * 29 % 1380) * 60, offset = Int64(host % 300)
            let firstFailing = offset + max(0, (failFrom - offset + 299) / 300) * 300
            since = failing ? firstFailing : (domain.ran >= firstFailing + 1200 ? firstFailing + 1200 : 0)
        }
        let drained = host % 100 == 3 && (36_000..<39_600).contains(second)
        func result(_ name: String, _ run: (failing: Bool, ran: Int64)) -> String {
            #"{"healthCheckName":"\#(name)","healthCheckResult":"\#(run.failing ? "HealthCheckFailed" : "HealthCheckSucceeded")","#
                + #""additionalFailureDetails":{"message":"\#(run.failing ? "not joined" : "")","errorCode":\#(run.failing ? -2147467259 : 0),"lastHealthCheckDateTime":"\#(time(run.ran))"}}"#
        }
        return #"{"id":"\#(poolID)/sessionHosts/\#(name(host))","name":"\#(pool)/\#(name(host))","type":"Microsoft.DesktopVirtualization/hostPools/sessionHosts","#
            + #""properties":{"lastHeartBeat":"\#(time(max(0, second - 10)))","sessions":\#(host % 4),"agentVersion":"1.0.9742.2500","#
            + #""allowNewSession":\#(drained ? "false" : "true"),"status":"\#(failing ? "Unavailable" : "Available")","statusTimestamp":"\#(time(since))","#
            + #""updateState":"Succeeded","virtualMachineId":"00000000-0000-0000-0000-\#(String(100_000_000_000 + host))","#
            + #""sessionHostHealthCheckResults":[\#(result("DomainJoinedCheck", domain)),\#(result("UrlsAccessibleCheck", urls))]}}"#
    }
}
