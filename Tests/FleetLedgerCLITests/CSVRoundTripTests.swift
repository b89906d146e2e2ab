import FleetTestSupport
import Foundation
import SwiftCSV
import Testing

/// Reads CSV with SwiftCSV, a parser written by others, so our writer is not checked by itself.
private func parse(_ text: String) throws -> (header: [String], rows: [[String]]) {
    let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
    return (csv.header, csv.rows)
}

@Suite("CSV: every query's rows read back by an independent parser")
struct CSVRoundTripTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("demo.sqlite") }
    /// A reason with a comma, quotes, a line break and non-ASCII text.
    static let awkward = "disk at 97%, \"urgent\"\nsee ticket INC-7 — Zoë"

    init() {
        _ = fleetledger("demo", "--db", db)
        _ = fleetledger("drain", "on", "--pool", "hp-finance", "--host", "sh-finance-4", "--actor", "Zoë, ops", "--reason", Self.awkward,
                        "--at", "2024-04-15T05:14:00Z", "--db", db)
    }

    func csv(_ arguments: String...) throws -> (header: [String], rows: [[String]]) {
        let result = fleetledger(arguments + ["--format", "csv", "--db", db])
        #expect(result.exitCode == 0, "\(arguments): \(result.stderr)")
        #expect(result.stdout.hasSuffix("\r\n"), "records end in CRLF")
        return try parse(result.stdout)
    }

    @Test("history: a reason with commas, quotes and a line break comes back exactly; times are RFC 3339")
    func history() throws {
        let (header, rows) = try csv("history", "--pool", "hp-finance", "--host", "sh-finance-4")
        #expect(header == ["seq", "at", "kind", "subject", "type", "aspect", "from", "to", "detail", "actor", "reason", "lastedSeconds", "ongoing"])
        let drain = try #require(rows.first { $0[5] == "drain mode" && $0[7] == "on" && $0[9] == "Zoë, ops" })
        #expect(drain[10] == Self.awkward)
        #expect(drain[8] == "drain mode on by Zoë, ops: \(Self.awkward)")
        #expect(drain[1] == "2024-04-15T05:14:00Z" && drain[12] == "true")
        #expect(rows.allSatisfy { $0.count == header.count && Timestampish.isRFC3339($0[1]) })
    }

    @Test("events: the data column holds the event's JSON, which parses back to the fields appended")
    func events() throws {
        let (header, rows) = try csv("events", "--type", "DrainModeChanged")
        #expect(header.contains("data"))
        let column = try #require(header.firstIndex(of: "data"))
        let data = try #require(rows.last?[column])
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        #expect(fields["reason"] as? String == Self.awkward && fields["actor"] as? String == "Zoë, ops")
    }

    @Test("entity queries: the header docs/domain-rules.md documents, one row per entity, values equal the JSON answer's")
    func queries() throws {
        let hosts = try csv("hosts")
        #expect(hosts.header.prefix(3) == ["hostPool", "name", "status"] && hosts.rows.count == 10)
        #expect(hosts.rows.first { $0[1] == "sh-finance-6" }?[2] == "NeedsAssistance")

        let health = try csv("lb", "health", "--lb", "lb-web", "--rule", "rule-api")
        #expect(health.header == ["ipAddress", "networkInterfaceIPConfigurationId", "state", "reason", "portalReason"])
        let json = fleetledger("lb", "health", "--lb", "lb-web", "--rule", "rule-api", "--format", "json", "--db", db).stdout
        let azure = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let addresses = try #require(azure["loadBalancerBackendAddresses"] as? [[String: Any]])
        #expect(health.rows.map { [$0[0], $0[2], $0[3]] } == addresses.map { [$0["ipAddress"] as? String ?? "", $0["state"] as? String ?? "", $0["reason"] as? String ?? ""] })
        #expect(health.rows.contains { $0[4].contains(";") || $0[4].contains(",") }, "the portal's sentences hold commas or semicolons")

        let instances = try csv("vmss", "health", "--scale-set", "vmss-api")
        #expect(instances.rows.map { [$0[0], $0[1]] } == [["0", "Unhealthy"], ["1", "Healthy"], ["2", "Healthy"]])
        #expect(try csv("route", "--pool", "hp-finance").rows.count == 10)
        #expect(try csv("host", "sh-finance-3", "--pool", "hp-finance").rows.count == 1)
        #expect(try csv("update", "status", "--pool", "hp-finance").rows.count == 10)
        #expect(try csv("pools").rows == [["hp-finance", "BreadthFirst", "8", "10", "9", "1", "6", "2", "Succeeded"]])
        #expect(try csv("lb", "list").rows.count == 2)
        #expect(try csv("vmss", "list").rows.count == 1)
    }

    @Test("availability: one column per state, seconds that add up to the window, an outage reason with commas")
    func availability() throws {
        let (header, rows) = try csv("report", "availability", "--pool", "hp-finance", "--since", "2024-04-15T03:00:00Z",
                                     "--until", "2024-04-15T05:15:00Z")
        #expect(header == ["hostPool", "sessionHost", "Available", "NeedsAssistance", "Shutdown", "Unavailable", "UpgradeFailed", "Upgrading",
                           "noState", "noData", "trafficSeconds", "trafficShare", "transitions", "longestOutageSeconds", "longestOutageStart",
                           "longestOutageReason"])
        #expect(rows.count == 10)
        for row in rows {
            let seconds = row[2...9].compactMap(Double.init).reduce(0, +)
            #expect(abs(seconds - 8_100) < 0.001, "\(row[1]): every second of the 2 h 15 min window once")
            // The demo's log ends at 05:14:00: the window's last minute is no data for every host.
            #expect(row[9] == "60")
        }
        #expect(rows.contains { $0[15].contains(", drain mode on: ") })
    }

    @Test("--stale-after adds lastEventAt and stale at the end; json refuses it rather than change Azure's shape")
    func staleness() throws {
        let (header, rows) = try csv("hosts", "--stale-after", "30m", "--as-of", "2024-04-15T03:40:00Z")
        #expect(header.suffix(2) == ["lastEventAt", "stale"])
        // As of 03:40 the newest event is sh-finance-0's update step; hosts quiet since 03:09 are stale.
        #expect(rows.first { $0[1] == "sh-finance-3" }.map { Array($0.suffix(2)) } == ["2024-04-15T03:10:39Z", "false"])
        #expect(rows.first { $0[1] == "sh-finance-6" }.map { Array($0.suffix(2)) } == ["2024-04-15T03:00:47Z", "true"])
        // Lists count their stale entities; per-host rows of route and update status flag each.
        let pools = try csv("pools", "--stale-after", "30m", "--as-of", "2024-04-15T03:40:00Z")
        #expect(pools.header.last == "staleHosts" && pools.rows.first?.last == String(rows.count { $0.last == "true" }))
        let backends = try csv("lb", "list", "--stale-after", "10m", "--as-of", "2024-04-15T05:14:00Z")
        #expect(backends.header.last == "staleBackends" && backends.rows.map { $0.last } == ["0", "3"])
        #expect(try csv("route", "--pool", "hp-finance", "--stale-after", "30m", "--as-of", "2024-04-15T03:40:00Z").rows
            .map { $0.last } == rows.map { $0.last })
        #expect(try csv("update", "status", "--pool", "hp-finance", "--stale-after", "1h").header.suffix(2) == ["lastEventAt", "stale"])
        // Instance 2 probed last at 05:12:41, the others at 05:12:31; the log's newest event is at 05:14:00.
        let instances = try csv("vmss", "list", "--stale-after", "85s", "--as-of", "2024-04-15T05:14:00Z")
        #expect(instances.header.last == "staleInstances" && instances.rows.map { $0.last } == ["2"])
        // Options that do not go together: a usage error, for every query that takes both.
        for query in [["hosts"], ["host", "sh-finance-1", "--pool", "hp-finance"], ["route", "--pool", "hp-finance"], ["pools"], ["lb", "list"],
                      ["lb", "health", "--lb", "lb-web", "--rule", "rule-http"], ["vmss", "list"], ["vmss", "health", "--scale-set", "vmss-api"],
                      ["update", "status", "--pool", "hp-finance"]] {
            let json = fleetledger(query + ["--stale-after", "30m", "--format", "json", "--db", db])
            #expect(json.exitCode == 64 && json.stderr.contains("json keeps Azure's shape"), "\(query)")
        }
        let bad = fleetledger("hosts", "--stale-after", "soon", "--db", db)
        #expect(bad.exitCode == 64)
    }
}

/// `2024-04-15T03:00:05Z` or with fractional seconds: what RFC 3339 output looks like here.
enum Timestampish {
    static func isRFC3339(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#, options: .regularExpression) != nil
    }
}
