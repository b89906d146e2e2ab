import FleetTestSupport
import Foundation
import Testing

/// `fleetledger import` of `WVDAgentHealthStatus` rows, as `az monitor log-analytics query` prints
/// them: an hour of rows every 30 seconds for two hosts, sh-2's DomainTrustCheck failing for 10
/// minutes from 03:20.
@Suite("fleetledger import")
struct ImportCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    static func hour(from start: Int = 0, to end: Int = 120) -> String {
        let base = Date(timeIntervalSince1970: 1_713_150_000)  // 2024-04-15T03:00:00Z
        func time(_ seconds: Int) -> String { ISO8601DateFormatter().string(from: base.addingTimeInterval(TimeInterval(seconds))) }
        var rows: [String] = []
        for tick in start..<end {
            let now = tick * 30
            for host in ["sh-1", "sh-2"] {
                // The agent runs its checks every 5 minutes; each row repeats the last run.
                let ran = now / 300 * 300
                let failing = host == "sh-2" && (1_200..<1_800).contains(ran)
                let check = #"{"HealthCheckName":1,"HealthCheckResult":\#(failing ? 2 : 1),"AdditionalFailureDetails":{"ErrorCode":\#(failing ? 1355 : 0),"#
                    + #""Message":"\#(failing ? "trust lost" : "")","LastHealthCheckDateTime":"\#(time(ran))"}}"#
                let escaped = ("[" + check + "]").replacingOccurrences(of: "\"", with: "\\\"")
                rows.append(#"{"TimeGenerated":"\#(time(now))","SessionHostName":"\#(host)","#
                    + #""_ResourceId":"/subscriptions/s/resourcegroups/rg/providers/microsoft.desktopvirtualization/hostpools/hp-finance","#
                    + #""LastHeartBeat":"\#(time(now - 5))","SessionHostHealthCheckResult":"\#(escaped)","AllowNewSessions":"true"}"#)
            }
        }
        return "[" + rows.joined(separator: ",\n") + "]"
    }

    @Test("an hour of rows: one event per check run and heartbeat; a failing check makes the host Unavailable and back, at the runs' times; again, nothing")
    func hour() throws {
        let file = directory.write("hour.json", Self.hour())
        let first = fleetledger("import", file, "--db", db)
        #expect(first.exitCode == 0, "\(first.stderr)")
        // Per host 12 runs, and of its 120 heartbeats the 12 in the first 30 seconds of every 5 minutes.
        #expect(first.stdout == "imported 24 health check runs and 24 heartbeats: appended 48, 0 already stored.\n")
        let changes = fleetledger("history", "--pool", "hp-finance", "--host", "sh-2", "--changes", "--format", "csv", "--db", db).stdout
        #expect(changes.contains("2024-04-15T03:20:00Z") && changes.contains("Unavailable"))
        #expect(changes.contains("2024-04-15T03:30:00Z"))
        #expect(fleetledger("hosts", "--pool", "hp-finance", "--as-of", "2024-04-15T03:25:00Z", "--format", "csv", "--db", db).stdout
            .contains("hp-finance,sh-2,Unavailable"))
        let again = fleetledger("import", file, "--db", db)
        #expect(again.stdout == "imported 24 health check runs and 24 heartbeats: appended 0, 48 already stored.\n")
        #expect(fleetledger("verify", "--db", db).exitCode == 0)
    }

    @Test("history imported after later events is skipped and counted, exit 0; --strict refuses it and appends nothing")
    func olderThanStream() throws {
        #expect(fleetledger("import", directory.write("late.json", Self.hour(from: 60, to: 120)), "--db", db).exitCode == 0)
        let early = directory.write("early.json", Self.hour(from: 0, to: 60))
        let before = fleetledger("events", "--db", db).stdout
        let strict = fleetledger("import", early, "--strict", "--db", db)
        #expect(strict.exitCode == 1)
        #expect(strict.stderr.hasPrefix("Error: import: an event at ") && strict.stderr.contains("which is older than the last event of stream"))
        #expect(fleetledger("events", "--db", db).stdout == before)
        let lenient = fleetledger("import", early, "--db", db)
        #expect(lenient.exitCode == 0)
        #expect(lenient.stdout == "imported 12 health check runs and 12 heartbeats: appended 0, 0 already stored, "
            + "24 skipped as older than their entity's last stored event (a stream never goes back in time: import history before live data).\n")
        #expect(fleetledger("verify", "--db", db).exitCode == 0, "a skipped event leaves no trace in the id index")
        // Into a store whose streams start later, the same hour goes in whole.
        let fresh = directory.path("fresh.sqlite")
        #expect(fleetledger("import", early, "--db", fresh).stdout.contains("appended 24, 0 already stored"))
    }

    @Test("--dry-run counts and appends nothing; a shape import does not know is one sentence, exit 1")
    func dryRunAndRefusal() throws {
        _ = fleetledger("demo", "--db", db)
        let before = fleetledger("events", "--db", db).stdout
        let dry = fleetledger("import", directory.write("hour.json", Self.hour()), "--dry-run", "--db", db)
        #expect(dry.stdout == "would import 24 health check runs and 24 heartbeats: would append 48, 0 already stored (a dry run: nothing was appended).\n")
        #expect(fleetledger("events", "--db", db).stdout == before)
        let nowhere = directory.path("new.sqlite")
        #expect(fleetledger("import", directory.path("hour.json"), "--dry-run", "--db", nowhere).stdout
            == "would import 24 health check runs and 24 heartbeats about 2 entities into a new store (a dry run: nothing was appended).\n")
        #expect(!FileManager.default.fileExists(atPath: nowhere), "a dry run creates no store")
        // After the import, a dry run counts what is stored and what would be skipped, as the import would.
        #expect(fleetledger("import", directory.path("hour.json"), "--db", db).exitCode == 0)
        #expect(fleetledger("import", directory.path("hour.json"), "--dry-run", "--db", db).stdout.contains("would append 0, 48 already stored"))
        let imported = fleetledger("events", "--db", db).stdout
        let notJSON = fleetledger("import", directory.write("cut.json", #"{"tables":[{"#), "--db", db)
        #expect(notJSON.exitCode == 1 && notJSON.stderr.contains("cut.json: is not JSON: ") && !notJSON.stderr.contains("JSONSyntaxError"))
        let refused = fleetledger("import", directory.write("list.json", #"{"rows":[]}"#), "--db", db)
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.hasPrefix("Error: \(directory.path("list.json")): is not a shape import knows: it reads a SessionHost or a list of them, "))
        #expect(refused.stderr.hasSuffix("or az monitor log-analytics query's array of rows); nothing was imported.\n"))
        // An empty list (a host pool with no hosts yet) is nothing to import, not an error.
        #expect(fleetledger("import", directory.write("empty.json", #"{"value":[]}"#), "--db", db).stdout == "imported nothing: appended 0, 0 already stored.\n")
        #expect(fleetledger("events", "--db", db).stdout == imported)
    }
}
