import FleetLedger
import FleetEvents
import FleetStore
import FleetTestSupport
import Foundation
import Testing

@Suite("fleetledger lb health, lb list")
struct LoadBalancerCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    init() throws {
        let lb = #""loadBalancer":"lb-web""#
        let lines = [
            #"{"type":"HealthProbeConfigured","at":"2024-04-15T03:00:00Z","data":{\#(lb),"probe":"p","protocol":"Http","port":80,"requestPath":"/","probeThreshold":2}}"#,
            #"{"type":"LoadBalancingRuleConfigured","at":"2024-04-15T03:00:01Z","data":{\#(lb),"rule":"web","backendPool":"pool","probe":"p"}}"#,
            #"{"type":"LoadBalancingRuleConfigured","at":"2024-04-15T03:00:02Z","data":{\#(lb),"rule":"udp","backendPool":"pool"}}"#,
            #"{"type":"BackendAddressAdded","at":"2024-04-15T03:00:03Z","data":{\#(lb),"backendPool":"pool","ipAddress":"10.0.0.4"}}"#,
            #"{"type":"BackendAddressAdded","at":"2024-04-15T03:00:04Z","data":{\#(lb),"backendPool":"pool","ipAddress":"10.0.0.5"}}"#,
            #"{"type":"ProbeResultRecorded","at":"2024-04-15T03:00:05Z","data":{\#(lb),"probe":"p","ipAddress":"10.0.0.4","outcome":"HttpStatusCode","statusCode":500}}"#,
        ]
        _ = fleetledger("append", "--db", db, directory.write("lb.ndjson", lines.joined(separator: "\n")))
    }

    @Test("json, table and csv of one rule")
    func formats() throws {
        let json = fleetledger("lb", "health", "--lb", "lb-web", "--rule", "web", "--db", db, "--format", "json")
        #expect(json.exitCode == 0)
        #expect(json.stdout == #"{"down":2,"loadBalancerBackendAddresses":[{"ipAddress":"10.0.0.4","reason":"Down_Probe_HttpStatusCodeError","state":"Down"},{"ipAddress":"10.0.0.5","reason":"NA","state":"Down"}],"up":0}"# + "\n")
        let table = fleetledger("lb", "health", "--lb", "lb-web", "--rule", "web", "--db", db).stdout
        #expect(table.contains("Up: 0  Down: 2"))
        #expect(table.contains("A non-200 HTTP status code received; meaning there's an issue with the application listening on the port."))
        let csv = fleetledger("lb", "health", "--lb", "lb-web", "--rule", "web", "--db", db, "--format", "csv").stdout
        #expect(csv.hasPrefix("ipAddress,networkInterfaceIPConfigurationId,state,reason,portalReason\r\n10.0.0.4,,Down,Down_Probe_HttpStatusCodeError,"))
        let asOf = fleetledger("lb", "health", "--lb", "lb-web", "--rule", "web", "--db", db, "--format", "json", "--as-of", "2024-04-15T03:00:04Z")
        #expect(asOf.stdout.contains(#""reason":"NA""#) && !asOf.stdout.contains("HttpStatusCode"))
    }

    @Test("unknown names and rules without health status exit 1 with one sentence")
    func errors() {
        let unknown = fleetledger("lb", "health", "--lb", "lb-api", "--rule", "web", "--db", db)
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr == "Error: there is no load balancer lb-api in the store; known load balancers: lb-web.\n")
        let rule = fleetledger("lb", "health", "--lb", "lb-web", "--rule", "api", "--db", db)
        #expect(rule.exitCode == 1)
        #expect(rule.stderr == "Error: load balancer lb-web has no load-balancing rule api; its rules are udp, web.\n")
        let unprobed = fleetledger("lb", "health", "--lb", "lb-web", "--rule", "udp", "--db", db)
        #expect(unprobed.exitCode == 1)
        #expect(unprobed.stderr.contains("has no health probe, and Azure gives no health status for a non-probed rule"))
    }

    @Test("lb list shows each rule with its pool, probe and counts")
    func list() throws {
        let table = fleetledger("lb", "list", "--db", db)
        #expect(table.exitCode == 0)
        #expect(table.stdout.contains("lb-web         Regional  udp   pool          -      -   -"))
        #expect(table.stdout.contains("lb-web         Regional  web   pool          p      0   2"))
        let json = fleetledger("lb", "list", "--db", db, "--format", "json").stdout
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let rules = try #require(listing.first?["rules"] as? [[String: Any]])
        #expect(rules.map { $0["name"] as? String } == ["udp", "web"])
        #expect(rules[0]["up"] == nil && rules[1]["down"] as? Int == 2)
    }
}
