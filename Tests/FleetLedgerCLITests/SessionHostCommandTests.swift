import FleetSQLite
import FleetTestSupport
import Foundation
import Testing

@Suite("fleetledger hosts, host, route, drain, rebuild")
struct SessionHostCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    init() {
        let pool = #""hostPool":"hp""#
        let lines = [
            #"{"type":"HostPoolConfigured","at":"2024-04-15T03:00:00Z","data":{\#(pool),"loadBalancerType":"DepthFirst","maxSessionLimit":2}}"#,
            #"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:01Z","data":{\#(pool),"sessionHost":"sh-a","agentVersion":"1.0"}}"#,
            #"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:01Z","data":{\#(pool),"sessionHost":"sh-b"}}"#,
            #"{"type":"SessionHostRegistered","at":"2024-04-15T03:00:01Z","data":{\#(pool),"sessionHost":"sh-c"}}"#,
            #"{"type":"UserSessionStarted","at":"2024-04-15T03:00:02Z","data":{\#(pool),"sessionHost":"sh-a","user":"ana"}}"#,
            #"{"type":"HealthCheckCompleted","at":"2024-04-15T03:00:03Z","data":{\#(pool),"sessionHost":"sh-c","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355,"message":"no domain"}}"#,
        ]
        _ = fleetledger("append", "--db", directory.path("store.sqlite"), directory.write("hosts.ndjson", lines.joined(separator: "\n")))
    }

    @Test("hosts --format json is an array of Azure SessionHost resources")
    func hostsJSON() throws {
        let output = fleetledger("hosts", "--db", db, "--format", "json").stdout
        let hosts = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(hosts.map { $0["name"] as? String } == ["hp/sh-a", "hp/sh-b", "hp/sh-c"])
        let properties = try #require(hosts[2]["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["status", "statusTimestamp", "allowNewSession", "sessions", "lastHeartBeat", "agentVersion",
                                         "virtualMachineId", "updateState", "lastUpdateTime", "updateErrorMessage", "sessionHostHealthCheckResults"])
        #expect(properties["status"] as? String == "Unavailable")
        let check = try #require((properties["sessionHostHealthCheckResults"] as? [[String: Any]])?.first)
        #expect(check["healthCheckName"] as? String == "DomainJoinedCheck")
        #expect(check["healthCheckResult"] as? String == "HealthCheckFailed")
        let details = try #require(check["additionalFailureDetails"] as? [String: Any])
        #expect(details["errorCode"] as? Int == 1355)
        #expect(details["message"] as? String == "no domain")
        #expect(details["lastHealthCheckDateTime"] as? String == "2024-04-15T03:00:03Z")
    }

    @Test("hosts filters by pool and status, and lists as a table or CSV")
    func hostsFilters() {
        #expect(fleetledger("hosts", "--db", db, "--status", "Unavailable", "--format", "csv").stdout.components(separatedBy: "\r\n").count == 3)
        let elsewhere = fleetledger("hosts", "--db", db, "--pool", "elsewhere", "--format", "json")
        #expect(elsewhere.exitCode == 1 && elsewhere.stdout.isEmpty)
        #expect(elsewhere.stderr == "Error: there is no host pool elsewhere in the store; known host pools: hp.\n")
        let table = fleetledger("hosts", "--db", db).stdout.split(separator: "\n")
        #expect(table.count == 5)
        #expect(table[0].hasPrefix("HOST POOL"))
        let wrong = fleetledger("hosts", "--db", db, "--status", "Down")
        #expect(wrong.exitCode == 64)
        #expect(wrong.stderr.contains("The value 'Down' is invalid for '--status <status>'"))
        #expect(wrong.stderr.contains("NeedsAssistance"))
    }

    @Test("host shows one host; an unknown host is an error naming it")
    func host() throws {
        let json = fleetledger("host", "sh-a", "--pool", "hp", "--db", db, "--format", "json").stdout
        let resource = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(resource["name"] as? String == "hp/sh-a")
        #expect(fleetledger("host", "sh-c", "--pool", "hp", "--db", db).stdout.contains("DomainJoinedCheck"))
        // --host names it as drain and history do.
        #expect(fleetledger("host", "--host", "sh-a", "--pool", "hp", "--db", db, "--format", "json").stdout == json)
        #expect(fleetledger("host", "--pool", "hp", "--db", db).exitCode == 64)
        #expect(fleetledger("host", "sh-a", "--host", "sh-b", "--pool", "hp", "--db", db).stderr.contains("the host is named twice"))
        let missing = fleetledger("host", "sh-z", "--pool", "hp", "--db", db)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("there is no session host sh-z in host pool hp"))
        #expect(fleetledger("host", "sh-a", "--pool", "hp", "--db", db, "--as-of", "2024-04-15T03:00:00Z").exitCode == 1)
    }

    @Test("route picks by the pool's type, drain moves it, and no eligible host exits 1")
    func routeAndDrain() throws {
        let route = fleetledger("route", "--pool", "hp", "--db", db, "--format", "json")
        let decision = try #require(try JSONSerialization.jsonObject(with: Data(route.stdout.utf8)) as? [String: Any])
        #expect(decision["sessionHost"] as? String == "sh-a")  // DepthFirst: most sessions below the limit of 2
        #expect(decision["loadBalancerType"] as? String == "DepthFirst")

        let drained = fleetledger("drain", "on", "--pool", "hp", "--host", "sh-a", "--db", db, "--at", "2024-04-15T03:01:00Z")
        #expect(drained.exitCode == 0)
        #expect(drained.stdout.hasPrefix("drain mode on for sh-a in hp"))
        #expect(fleetledger("route", "--pool", "hp", "--db", db).stdout.contains("sh-b takes the next session"))
        _ = fleetledger("drain", "on", "--pool", "hp", "--host", "sh-b", "--db", db, "--at", "2024-04-15T03:01:00Z")

        let none = fleetledger("route", "--pool", "hp", "--db", db)
        #expect(none.exitCode == 1)
        #expect(none.stdout.contains("No session host in host pool hp can take a new session: 2 in drain mode, 1 Unavailable."))

        // As of before the drains, sh-a still took the session.
        #expect(fleetledger("route", "--pool", "hp", "--db", db, "--as-of", "2024-04-15T03:00:30Z").stdout.contains("sh-a takes the next session"))
        // A host already drained is said to be, and nothing is appended.
        let before = fleetledger("events", "--db", db).stdout
        let again = fleetledger("drain", "on", "--pool", "hp", "--host", "sh-a", "--db", db, "--at", "2024-04-15T03:01:30Z")
        #expect(again.exitCode == 0 && again.stdout == "drain mode is already on for sh-a in hp; nothing was appended.\n")
        #expect(fleetledger("events", "--db", db).stdout == before)
        #expect(fleetledger("drain", "off", "--pool", "hp", "--host", "sh-a", "--db", db, "--at", "2024-04-15T03:02:00Z").exitCode == 0)
        #expect(fleetledger("route", "--pool", "hp", "--db", db).exitCode == 0)
    }

    @Test("drain of an unknown host or pool is an error, and appends nothing")
    func drainUnknown() {
        let before = fleetledger("events", "--db", db).stdout
        let result = fleetledger("drain", "on", "--pool", "hp", "--host", "sh-z", "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("there is no session host sh-z in host pool hp; drain mode was not changed."))
        #expect(fleetledger("events", "--db", db).stdout == before)
        #expect(fleetledger("drain", "maybe", "--pool", "hp", "--host", "sh-a", "--db", db).exitCode == 64)
        #expect(fleetledger("route", "--pool", "nowhere", "--db", db).stderr == "Error: there is no host pool nowhere in the store; known host pools: hp.\n")
    }

    @Test("rebuild then verify passes; a read-model row altered behind the store's back makes verify exit 1")
    func rebuildAndVerify() throws {
        let rebuild = fleetledger("rebuild", "--db", db)
        #expect(rebuild.stdout == "rebuilt 10 read models (4 entities) from 6 events.\n")
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
        try Database(path: db).execute("UPDATE entity_states SET state = replace(state, 'Unavailable', 'Available')")
        let verify = fleetledger("verify", "--db", db)
        #expect(verify.exitCode == 1)
        #expect(verify.stderr.hasPrefix("Error: verification failed: Read model session-hosts differs from a replay of the log for sessionhost/hp/sh-c"))
        #expect(fleetledger("rebuild", "--db", db).exitCode == 0)
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }
}
