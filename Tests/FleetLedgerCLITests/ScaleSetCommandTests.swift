import FleetTestSupport
import Foundation
import Testing

@Suite("fleetledger vmss health, vmss list")
struct ScaleSetCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    init() throws {
        let lines = [
            #"{"type":"ApplicationHealthExtensionConfigured","at":"2024-04-15T03:00:00Z","data":{"scaleSet":"api","typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/h","numberOfProbes":1,"gracePeriod":60}}"#,
            #"{"type":"ScaleSetInstanceCreated","at":"2024-04-15T03:00:01Z","data":{"scaleSet":"api","instanceId":"10"}}"#,
            #"{"type":"ScaleSetInstanceCreated","at":"2024-04-15T03:00:01Z","data":{"scaleSet":"api","instanceId":"2"}}"#,
            #"{"type":"ApplicationHealthProbed","at":"2024-04-15T03:00:06Z","data":{"scaleSet":"api","instanceId":"2","statusCode":200,"body":"{\"ApplicationHealthState\":\"Unhealthy\"}"}}"#,
        ]
        _ = fleetledger("append", "--db", db, directory.write("vmss.ndjson", lines.joined(separator: "\n")))
    }

    @Test("json has Azure's instance view; table and csv list instances in numeric order")
    func formats() throws {
        let json = fleetledger("vmss", "health", "--scale-set", "api", "--db", db, "--format", "json")
        #expect(json.exitCode == 0)
        let instances = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(instances.map { $0["instanceId"] as? String } == ["2", "10"])
        #expect(instances[0]["healthState"] as? String == "Unhealthy" && instances[0]["instanceRepair"] as? Bool == true)
        let status = try #require((instances[0]["vmHealth"] as? [String: Any])?["status"] as? [String: Any])
        #expect(status["code"] as? String == "HealthState/unhealthy" && status["level"] as? String == "Error")
        #expect(status["time"] as? String == "2024-04-15T03:00:06Z")
        #expect(instances[1]["healthState"] as? String == "Initializing" && instances[1]["rollingUpgrade"] as? String == "Waiting")
        let csv = fleetledger("vmss", "health", "--scale-set", "api", "--db", db, "--format", "csv").stdout
        #expect(csv == "instanceId,healthState,since,rollingUpgrade,instanceRepair\r\n2,Unhealthy,2024-04-15T03:00:06Z,Unhealthy,true\r\n10,Initializing,2024-04-15T03:00:01Z,Waiting,false\r\n")
        let asOf = fleetledger("vmss", "health", "--scale-set", "api", "--db", db, "--format", "csv", "--as-of", "2024-04-15T03:00:05Z").stdout
        #expect(asOf.contains("2,Initializing,"))
        #expect(fleetledger("vmss", "health", "--scale-set", "api", "--db", db).stdout.contains("grace period 60 s"))
    }

    @Test("an unknown scale set is named with the known ones; vmss list counts instances by state")
    func listAndErrors() {
        let unknown = fleetledger("vmss", "health", "--scale-set", "web", "--db", db)
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr == "Error: there is no scale set web in the store; known scale sets: api.\n")
        let list = fleetledger("vmss", "list", "--db", db, "--format", "csv").stdout
        #expect(list == "scaleSet,healthSource,instances,Healthy,Unhealthy,Unknown,Initializing\r\napi,ApplicationHealthExtension 2.0,2,0,1,0,1\r\n")
    }
}
