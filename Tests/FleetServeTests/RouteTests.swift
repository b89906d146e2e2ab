import FleetLedgerCLI
import FleetServe
import FleetTestSupport
import Foundation
import Testing

/// Each route gives its command's answer: the same bytes as `--format json` (or csv, or the
/// timeline's page), now and as of a time.
@Suite struct RouteTests {
    /// A request to every route of the API, and the command line that answers the same question.
    static let cases: [(route: String, path: String, command: [String])] = [
        ("/v1/hostPools", "/v1/hostPools", ["pools"]),
        ("/v1/hostPools/{pool}/sessionHosts", "/v1/hostPools/hp-finance/sessionHosts", ["hosts", "--pool", "hp-finance"]),
        ("/v1/hostPools/{pool}/sessionHosts", "/v1/hostPools/hp-finance/sessionHosts?status=NeedsAssistance",
         ["hosts", "--pool", "hp-finance", "--status", "NeedsAssistance"]),
        ("/v1/hostPools/{pool}/sessionHosts/{host}", "/v1/hostPools/hp-finance/sessionHosts/sh-finance-3", ["host", "sh-finance-3", "--pool", "hp-finance"]),
        ("/v1/hostPools/{pool}/route", "/v1/hostPools/hp-finance/route", ["route", "--pool", "hp-finance"]),
        ("/v1/hostPools/{pool}/update", "/v1/hostPools/hp-finance/update", ["update", "status", "--pool", "hp-finance"]),
        ("/v1/loadBalancers", "/v1/loadBalancers", ["lb", "list"]),
        ("/v1/loadBalancers/{lb}/rules/{rule}/health", "/v1/loadBalancers/lb-web/rules/rule-api/health", ["lb", "health", "--lb", "lb-web", "--rule", "rule-api"]),
        ("/v1/scaleSets", "/v1/scaleSets", ["vmss", "list"]),
        ("/v1/scaleSets/{scaleSet}/instances", "/v1/scaleSets/vmss-api/instances", ["vmss", "health", "--scale-set", "vmss-api"]),
        ("/v1/history", "/v1/history?pool=hp-finance&host=sh-finance-3&changes", ["history", "--pool", "hp-finance", "--host", "sh-finance-3", "--changes"]),
        ("/v1/history", "/v1/history?lb=lb-web&ip=10.0.2.5&until=2024-04-15T04:00:00Z",
         ["history", "--lb", "lb-web", "--ip", "10.0.2.5", "--until", "2024-04-15T04:00:00Z"]),
        ("/v1/history", "/v1/history?pool=hp-finance&update=true&changes=false", ["history", "--pool", "hp-finance", "--update"]),
        ("/v1/stats", "/v1/stats", ["stats"]),
        ("/v1/reports/availability", "/v1/reports/availability?since=2024-04-15T03:00:00Z&until=2024-04-15T05:00:00Z&lb=lb-web&rule=rule-api",
         ["report", "availability", "--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:00:00Z", "--lb", "lb-web", "--rule", "rule-api"]),
        ("/v1/reports/availability", "/v1/reports/availability?since=2024-04-15T03:00:00Z&until=2024-04-15T05:00:00Z&by=scale-set",
         ["report", "availability", "--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:00:00Z", "--by", "scale-set"]),
    ]

    /// The routes that name one time to answer as of.
    static let asOfRoutes = cases.filter { !$0.path.contains("?") && !["/v1/stats", "/v1/history"].contains($0.route) }

    @Test func everyRouteIsCoveredHere() {
        let covered = Set(Self.cases.map(\.route) + ["/v1/reports/timeline"])
        #expect(Set(APIRoutes.all.map(\.path)) == covered)
    }

    @Test func everyRouteGivesItsCommandsJSON() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            for (_, path, command) in Self.cases {
                let cli = await fleetledger(command + ["--format", "json", "--db", store])
                let reply = try await server.get(path)
                #expect(reply.status == 200, "\(path): \(reply.body)")
                #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
                #expect(reply.body == cli.stdout, "\(path)")
                #expect(!reply.body.isEmpty)
            }
        }
    }

    @Test func asOfAnswersAsTheCommandLineDoes() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            for (_, path, command) in Self.asOfRoutes {
                for asOf in ["2024-04-15T03:10:00Z", "2024-04-15T05:05:00Z"] {
                    let cli = await fleetledger(command + ["--format", "json", "--as-of", asOf, "--db", store])
                    let reply = try await server.get(path + "?asOf=" + asOf)
                    if cli.exitCode == 0 {
                        #expect(reply.status == 200, "\(path) as of \(asOf): \(reply.body)")
                        #expect(reply.body == cli.stdout, "\(path) as of \(asOf)")
                    } else {
                        // rule-api was added at 05:02: as of 03:10 both say there is no such rule.
                        #expect(reply.status == 404, "\(path) as of \(asOf): \(reply.body)")
                        #expect(reply.error.map { "error: " + $0.message.lowercased() } == cli.stderr.trimmingCharacters(in: .newlines).lowercased())
                    }
                }
            }
            // As of a time the answers differ from now, or the comparisons above prove little.
            let now = try await server.get("/v1/hostPools/hp-finance/sessionHosts/sh-finance-8")
            let then = try await server.get("/v1/hostPools/hp-finance/sessionHosts/sh-finance-8?asOf=2024-04-15T03:10:00Z")
            #expect(now.body.contains("\"allowNewSession\":false") && then.body.contains("\"allowNewSession\":true"))
        }
    }

    @Test func csvWhenAskedForIt() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            let csv = ["Accept": "text/csv"]
            let hosts = try await server.get("/v1/hostPools/hp-finance/sessionHosts?asOf=2024-04-15T05:00:00Z&staleAfter=15m", headers: csv)
            let cli = await fleetledger(["hosts", "--pool", "hp-finance", "--as-of", "2024-04-15T05:00:00Z", "--stale-after", "15m", "--format", "csv", "--db", store])
            #expect(hosts.status == 200)
            #expect(hosts.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(hosts.body == cli.stdout)
            #expect(hosts.body.hasPrefix("hostPool,") && hosts.body.contains(",stale"))

            let window = "since=2024-04-15T03:00:00Z&until=2024-04-15T05:30:00Z&pool=hp-finance"
            let availability = try await server.get("/v1/reports/availability?" + window, headers: csv)
            let cliAvailability = await fleetledger(["report", "availability", "--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:30:00Z",
                                               "--pool", "hp-finance", "--format", "csv", "--db", store])
            #expect(availability.body == cliAvailability.stdout)
            // The window reaches past the log's newest event: the command's stderr note comes as a header.
            #expect(!cliAvailability.stderr.isEmpty)
            #expect(availability.header("FleetLedger-Note") == cliAvailability.stderr.trimmingCharacters(in: .newlines))
        }
    }

    @Test func theTimelineIsTheCommandsPage() async throws {
        let folder = TemporaryDirectory()
        let store = await demoStore(in: folder)
        try await serving(store) { server in
            let reply = try await server.get("/v1/reports/timeline?since=2024-04-15T03:00:00Z&until=2024-04-15T05:00:00Z&lb=lb-web&width=600")
            let cli = await fleetledger(["report", "timeline", "--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:00:00Z", "--lb", "lb-web",
                                   "--width", "600", "--db", store])
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
            #expect(reply.body.hasPrefix("<!DOCTYPE html>"))
            #expect(reply.body == cli.stdout)
        }
    }

    @Test func camelCaseNamesAreTheCommandsOptions() {
        #expect(APIRoutes.option("asOf") == "as-of")
        #expect(APIRoutes.option("staleAfter") == "stale-after")
        #expect(APIRoutes.option("scaleSet") == "scale-set")
        #expect(APIRoutes.option("lb") == "lb")
    }
}
