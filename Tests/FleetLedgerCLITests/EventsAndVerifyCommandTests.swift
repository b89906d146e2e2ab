import FleetSQLite
import FleetTestSupport
import Foundation
import Testing

@Suite("fleetledger events and verify")
struct EventsAndVerifyCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    init() {
        _ = fleetledger("append", "--db", directory.path("store.sqlite"), directory.write("four.ndjson", fourEvents))
    }

    @Test("ndjson is the envelope plus seq, stream, version and recordedAt")
    func ndjson() throws {
        let lines = fleetledger("events", "--db", db).stdout.split(separator: "\n")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Set(first.keys) == ["seq", "stream", "version", "type", "at", "recordedAt", "id", "data"])
        #expect(first["seq"] as? Int == 1)
        #expect(first["stream"] as? String == "lb/lb-a")
        #expect(first["type"] as? String == "HealthProbeConfigured")
    }

    @Test("csv has a header and one row per event, with RFC 4180 quoting")
    func csv() {
        let output = fleetledger("events", "--db", db, "--format", "csv", "--type", "ProbeResultRecorded").stdout
        let records = output.components(separatedBy: "\r\n")
        #expect(records[0] == "seq,stream,version,type,at,recordedAt,id,data")
        #expect(records[1].hasPrefix("3,lb/lb-a/10.0.0.4,1,ProbeResultRecorded,2024-04-15T17:16:07.250Z,"))
        #expect(records[1].hasSuffix(#","{""ipAddress"":""10.0.0.4"",""loadBalancer"":""lb-a"",""outcome"":""Success"",""probe"":""p""}""#))
        #expect(records.count == 4)  // header, two rows, and the empty text after the last CRLF
    }

    @Test("table lists events under a header")
    func table() {
        let lines = fleetledger("events", "--db", db, "--format", "table", "--stream", "lb/lb-a").stdout.split(separator: "\n")
        #expect(lines[0].hasPrefix("SEQ  AT"))
        #expect(lines.count == 3)
    }

    @Test("json is one array of the ndjson lines' objects; an empty answer is an empty array; --follow refuses it")
    func jsonArray() throws {
        let json = fleetledger("events", "--db", db, "--format", "json").stdout
        let events = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(events.count == 4 && events.map { $0["seq"] as? Int } == [1, 2, 3, 4])
        #expect(fleetledger("events", "--db", db, "--format", "json", "--type", "AgentHeartbeatReceived").stdout == "[]\n")
        #expect(fleetledger("events", "--db", db, "--format", "json", "--follow").exitCode == 64)
    }

    @Test("--as-of and --until give the log up to a time")
    func asOf() {
        #expect(fleetledger("events", "--db", db, "--as-of", "2024-04-15T17:16:08Z").stdout.split(separator: "\n").count == 3)
        #expect(fleetledger("events", "--db", db, "--until", "2024-04-15T17:16:07Z").stdout.split(separator: "\n").count == 2)
    }

    @Test("--follow prints the events already there, then new ones as they land, and stops at --limit")
    func follow() async throws {
        let db = db
        let late = directory.write("late.ndjson", """
            {"type":"LoadBalancerConfigured","at":"2024-04-15T17:20:00Z","data":{"loadBalancer":"lb-late"}}
            """)
        let writer = Task.detached {
            try await Task.sleep(for: .milliseconds(400))
            return fleetledger("append", "--db", db, late).exitCode
        }
        let result = fleetledger("events", "--db", db, "--follow", "--limit", "5")
        #expect(try await writer.value == 0)
        #expect(result.exitCode == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.last?.contains("lb-late") == true)
    }

    @Test("verify passes on an intact store and prints the head as --expect-head takes it; a shortened hash is refused")
    func verifyIntact() throws {
        let result = fleetledger("verify", "--db", db)
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("verified 4 events in 3 streams"))
        let head = try #require(result.stdout.split(separator: "\n").last.map(String.init))
        #expect(head.hasPrefix("head: 4:") && head.hasSuffix(" (give it to verify --expect-head later)"))
        let recorded = String(head.dropFirst("head: ".count).prefix(2 + 64))
        #expect(fleetledger("verify", "--db", db, "--expect-head", recorded).exitCode == 0)
        let json = fleetledger("verify", "--db", db, "--format", "json").stdout
        let verified = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(verified["valid"] as? Bool == true && verified["head"] as? String == recorded && verified["events"] as? Int == 4)
        let short = fleetledger("verify", "--db", db, "--expect-head", String(recorded.prefix(14)))
        #expect(short.exitCode == 64)
        #expect(short.stderr.contains("has 12 characters; a head's hash needs all 64 hex digits, as verify or backup printed it."))
    }

    @Test("an event altered in the file (triggers dropped, payload edited) makes verify exit 1 naming its seq")
    func verifyTampered() throws {
        let database = try Database(path: db)
        try database.execute("DROP TRIGGER events_are_append_only_update")
        // The TcpTimeout probe result rewritten as the Success before it.
        try database.execute("UPDATE events SET data = (SELECT data FROM events WHERE seq = 3) WHERE seq = 4")
        let result = fleetledger("verify", "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasPrefix("Error: verification failed: seq 4 was altered"))
        let json = fleetledger("verify", "--db", db, "--format", "json")
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(json.exitCode == 1 && failed["valid"] as? Bool == false && failed["head"] is NSNull)
        #expect((failed["problems"] as? [String])?.first?.hasPrefix("seq 4 was altered") == true)
    }
}

@Suite("fleetledger demo, stats")
struct DemoCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("demo.sqlite") }

    /// Every query's answer, in every format it has, to compare before and after a rebuild.
    func answers() -> [String] {
        let window = ["--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:15:00Z"]
        let queries: [[String]] = [
            ["hosts"], ["host", "sh-finance-3", "--pool", "hp-finance"], ["route", "--pool", "hp-finance"], ["pools"],
            ["update", "status", "--pool", "hp-finance"], ["lb", "list"], ["lb", "health", "--lb", "lb-web", "--rule", "rule-http"],
            ["lb", "health", "--lb", "lb-web", "--rule", "rule-api"], ["vmss", "list"], ["vmss", "health", "--scale-set", "vmss-api"],
            ["history", "--pool", "hp-finance", "--host", "sh-finance-2"], ["history", "--lb", "lb-web", "--ip", "10.0.3.4"],
            ["history", "--scale-set", "vmss-api", "--instance", "2"], ["history", "--pool", "hp-finance", "--update"],
            ["report", "availability", "--pool", "hp-finance"] + window, ["report", "availability", "--lb", "lb-web"] + window,
            ["report", "availability", "--scale-set", "vmss-api"] + window,
        ]
        return queries.flatMap { query in
            ["table", "json", "csv"].map { format in
                let result = fleetledger(query + ["--db", db, "--format", format])
                return "\(query) \(format): \(result.exitCode) \(result.stdout)\(result.stderr)"
            }
        }
    }

    @Test("the demo plays every seed once, prints each domain and what to explore; verify and rebuild give identical answers")
    func demo() {
        let first = fleetledger("demo", "--db", db)
        #expect(first.exitCode == 0)
        #expect(first.stdout.contains("demo: appended 242 events, skipped 0 duplicates"))
        #expect(first.stdout.contains("hp-finance  sh-finance-6  NeedsAssistance  Off"))
        #expect(first.stdout.contains("hp-finance  sh-finance-8  Available        On "))
        #expect(first.stdout.contains("update 1fadcc3a-a124-4b2e-8086-98cfbca05b2e is Succeeded, 100% complete (10 of 10 hosts done"))
        #expect(first.stdout.contains("10.0.3.4          api-nic-0/ipconfig1  Down   Down_Probe_TcpProbeTimeout"))
        #expect(first.stdout.contains("0         Unhealthy     2024-04-15T05:12:31Z  Unhealthy        yes"))
        #expect(first.stdout.contains("fleetledger history --pool hp-finance --host sh-finance-2 --changes --db \(db)"))
        #expect(fleetledger("demo", "--db", db).stdout.contains("appended 0 events, skipped 242 duplicates"))

        // The scenario reaches what the seeds describe: a failed batch retried, AllProbedUp, a grace period expiring.
        let host = fleetledger("history", "--pool", "hp-finance", "--update", "--changes", "--db", db, "--format", "csv").stdout
        #expect(host.contains("UpdatingSessionHosts,Failed,\"update batch 1, sh-finance-2 step Failed: AgentRegistrationFailureGeneric"))
        #expect(host.contains("Failed,UpdatingSessionHosts,update Retry by alice@contoso.com: transient registration failure"))
        #expect(fleetledger("history", "--lb", "lb-web", "--ip", "10.0.3.4", "--db", db).stdout.contains("-> Up (Up_Probe_AllDownIsUp)"))
        #expect(fleetledger("history", "--scale-set", "vmss-api", "--instance", "2", "--db", db).stdout
            .contains("the grace period of 10 s expired, so it counts as Unknown"))

        let before = answers()
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
        #expect(fleetledger("rebuild", "--db", db).exitCode == 0)
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
        let after = answers()
        #expect(before == after)
        #expect(before.allSatisfy { $0.contains("] json: 0 ") || $0.contains("] table: 0 ") || $0.contains("] csv: 0 ") })
    }

    @Test("stats counts the demo's events per domain and type, its streams, entities, times and size")
    func stats() throws {
        _ = fleetledger("demo", "--db", db)
        let json = fleetledger("stats", "--db", db, "--format", "json").stdout
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(stats["events"] as? Int == 242)
        #expect(stats["first"] as? String == "2024-04-15T03:00:05Z")
        #expect(stats["last"] as? String == "2024-04-15T05:13:31Z")
        let domains = try #require(stats["domains"] as? [[String: Any]])
        #expect(domains.map { $0["name"] as? String } == ["session hosts", "session host updates", "load balancers", "scale sets"])
        #expect(domains.compactMap { $0["events"] as? Int }.reduce(0, +) == 242)
        #expect(domains.map { $0["streams"] as? Int } == [11, 1, 11, 4])
        let types = try #require(stats["types"] as? [[String: Any]])
        #expect(types.first { $0["type"] as? String == "SessionHostUpdateStepRecorded" }?["events"] as? Int == 95)
        #expect((stats["fileBytes"] as? Int ?? 0) > 0)
        let table = fleetledger("stats", "--db", db).stdout
        #expect(table.hasPrefix("events: 242, from 2024-04-15T03:00:05Z to 2024-04-15T05:13:31Z\nstreams: 26\n"))
        let csv = fleetledger("stats", "--db", db, "--format", "csv").stdout.components(separatedBy: "\r\n")
        #expect(csv[0] == "type,domain,events,first,last")
        #expect(csv.contains { $0.hasPrefix("SessionHostUpdateStepRecorded,session host updates,95,") })
    }
}
