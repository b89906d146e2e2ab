import FleetTestSupport
import Foundation
import Testing

@Suite("fleetledger history, report availability: usage and formats")
struct HistoryCommandTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("demo.sqlite") }

    init() { _ = fleetledger("demo", "--db", db) }

    @Test("history needs exactly one entity; an unknown one is a runtime error naming it")
    func usage() {
        let none = fleetledger("history", "--db", db)
        #expect(none.exitCode == 64 && none.stderr.contains("name one entity: --pool P --host H, --pool P --update, --lb LB --ip IP, or --scale-set S --instance I."))
        #expect(fleetledger("history", "--pool", "hp-finance", "--host", "sh-finance-1", "--update", "--db", db).exitCode == 64)
        let unknown = fleetledger("history", "--lb", "lb-nope", "--ip", "10.0.0.1", "--db", db)
        #expect(unknown.exitCode == 1 && unknown.stderr == "Error: there is no load balancer lb-nope in the store; known load balancers: lb-web.\n")
        let backwards = fleetledger("history", "--pool", "hp-finance", "--update", "--since", "2024-04-15T05:00:00Z", "--until", "2024-04-15T04:00:00Z", "--db", db)
        #expect(backwards.exitCode == 64 && backwards.stderr.contains("--since must not be after --until"))
        // --as-of cuts the history as every query's does: the same as --until.
        let host = ["history", "--pool", "hp-finance", "--host", "sh-finance-3", "--db", db]
        #expect(fleetledger(host + ["--as-of", "2024-04-15T03:30:00Z"]).stdout == fleetledger(host + ["--until", "2024-04-15T03:30:00Z"]).stdout)
        #expect(fleetledger(host + ["--as-of", "2024-04-15T03:30:00Z", "--until", "2024-04-15T04:00:00Z"]).exitCode == 64)
    }

    @Test("history json: one object per row, null where a row has no value, lastedSeconds on changes")
    func json() throws {
        let result = fleetledger("history", "--pool", "hp-finance", "--host", "sh-finance-5", "--changes", "--format", "json", "--db", db)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        // Registered; drained and undrained by ops-oncall; drained and undrained by the update.
        #expect(rows.map { $0["aspect"] as? String } == ["status", "drain mode", "drain mode", "drain mode", "drain mode"])
        #expect(rows.map { $0["to"] as? String } == ["Available", "on", "off", "on", "off"])
        let drain = try #require(rows.first { $0["to"] as? String == "on" && $0["actor"] as? String == "ops-oncall" })
        #expect(drain["lastedSeconds"] as? Double == 300 && drain["ongoing"] as? Bool == false)
        #expect(drain["reason"] as? String == "investigating slow sign-ins, ticket \"INC-4411\"")
        #expect(rows.allSatisfy { $0["kind"] as? String == "change" })
    }

    @Test("an update's batch rows count up to the last batch, then say all are done, never a batch past the last")
    func updateBatches() throws {
        let result = fleetledger("history", "--pool", "hp-finance", "--update", "--changes", "--format", "json", "--db", db)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let batches = rows.filter { $0["aspect"] as? String == "batch" }.compactMap { $0["to"] as? String }
        #expect(batches == ["0 of 3", "1 of 3", "2 of 3", "3 of 3", "all 3 done"])
    }

    @Test("report availability: needs a kind of entity and a window; --by sums; json carries the same figures")
    func availability() throws {
        let window = ["--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:15:00Z", "--db", db]
        let missing = fleetledger(["report", "availability"] + window)
        #expect(missing.exitCode == 64 && missing.stderr.contains("name one kind of entity"))
        #expect(fleetledger(["report", "availability", "--rule", "rule-http"] + window).exitCode == 64)
        #expect(fleetledger(["report", "availability", "--pool", "hp-finance", "--by", "lb"] + window).exitCode == 64)
        let json = fleetledger(["report", "availability", "--scale-set", "vmss-api", "--by", "scale-set", "--format", "json"] + window).stdout
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(report["windowSeconds"] as? Double == 8_100)
        let row = try #require((report["rows"] as? [[String: Any]])?.first)
        #expect(row["scaleSet"] as? String == "vmss-api" && row["entities"] as? Int == 3)
        let seconds = try #require(row["seconds"] as? [String: Double])
        #expect(Set(seconds.keys) == ["Initializing", "Healthy", "Unhealthy", "Unknown"])
        #expect(abs(seconds.values.reduce(0, +) + (row["noStateSeconds"] as? Double ?? 0) + (row["noDataSeconds"] as? Double ?? 0) - 3 * 8_100) < 0.001)
        let table = fleetledger(["report", "availability", "--pool", "hp-finance", "--format", "table"] + window).stdout
        #expect(table.hasPrefix("availability from 2024-04-15T03:00:00Z to 2024-04-15T05:15:00Z (2h 15m 00s)\n"))
    }
}
