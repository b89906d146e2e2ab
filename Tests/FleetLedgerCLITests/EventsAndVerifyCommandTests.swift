import FleetSQLite
import FleetTestSupport
import Foundation
import Testing

@Suite("fleetledger events and verify")
struct EventsAndVerifyCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    init() {
        _ = fleetledger("append", "--db", directory.path("store.sqlite"), directory.write("three.ndjson", threeEvents))
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
        #expect(records[1].hasPrefix("2,lb/lb-a/10.0.0.4,1,ProbeResultRecorded,2024-04-15T17:16:07.250Z,"))
        #expect(records[1].hasSuffix(#","{""ipAddress"":""10.0.0.4"",""loadBalancer"":""lb-a"",""outcome"":""Success"",""probe"":""p""}""#))
        #expect(records.count == 4)  // header, two rows, and the empty text after the last CRLF
    }

    @Test("table lists events under a header")
    func table() {
        let lines = fleetledger("events", "--db", db, "--format", "table", "--stream", "lb/lb-a").stdout.split(separator: "\n")
        #expect(lines[0].hasPrefix("SEQ  AT"))
        #expect(lines.count == 3)
    }

    @Test("--as-of and --until give the log up to a time")
    func asOf() {
        #expect(fleetledger("events", "--db", db, "--as-of", "2024-04-15T17:16:08Z").stdout.split(separator: "\n").count == 2)
        #expect(fleetledger("events", "--db", db, "--until", "2024-04-15T17:16:07Z").stdout.split(separator: "\n").count == 1)
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
        let result = fleetledger("events", "--db", db, "--follow", "--limit", "4")
        #expect(try await writer.value == 0)
        #expect(result.exitCode == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.last?.contains("lb-late") == true)
    }

    @Test("verify passes on an intact store and prints the head hash")
    func verifyIntact() {
        let result = fleetledger("verify", "--db", db)
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("verified 3 events in 2 streams"))
        #expect(result.stdout.contains("head: seq 3, hash "))
    }

    @Test("an event altered in the file (triggers dropped, payload edited) makes verify exit 1 naming its seq")
    func verifyTampered() throws {
        let database = try Database(path: db)
        try database.execute("DROP TRIGGER events_are_append_only_update")
        // The TcpTimeout probe result rewritten as the Success before it.
        try database.execute("UPDATE events SET data = (SELECT data FROM events WHERE seq = 2) WHERE seq = 3")
        let result = fleetledger("verify", "--db", db)
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasPrefix("Error: verification failed: seq 3 was altered"))
    }
}

@Suite("fleetledger demo")
struct DemoCommandTests {
    @Test("the demo appends its scenario once, prints the fleet's state, and the store verifies")
    func demo() {
        let directory = TemporaryDirectory()
        let db = directory.path("demo.sqlite")
        let first = fleetledger("demo", "--db", db)
        #expect(first.exitCode == 0)
        #expect(first.stdout.contains("demo: appended 103 events, skipped 0 duplicates"))
        #expect(first.stdout.contains("10.0.2.5          web-nic-1/ipconfig1  Up     Up_Probe_ApproachingUnhealthyThreshold"))
        #expect(first.stdout.contains("10.0.2.6          web-nic-2/ipconfig1  Down   Down_Admin"))
        #expect(first.stdout.contains("1         Unhealthy     2024-04-15T03:03:07Z  Unhealthy        yes"))
        #expect(first.stdout.contains("hp-finance  sh-finance-7  Unavailable"))
        #expect(first.stdout.contains("hp-finance  sh-finance-9  Shutdown"))
        #expect(first.stdout.contains("sh-finance-3 takes the next session"))
        #expect(fleetledger("demo", "--db", db).stdout.contains("appended 0 events, skipped 103 duplicates"))
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }
}
