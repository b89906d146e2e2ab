import FleetLedger
import Foundation
import Testing

@Suite("fleetledger schema")
struct SchemaCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("docs/events.md is the schema command's markdown, so the reference cannot drift from the declarations")
    func referenceIsCurrent() throws {
        let generated = fleetledger("schema", "--format", "markdown")
        #expect(generated.exitCode == 0)
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("docs/events.md"), encoding: .utf8)
        // Compared as a Bool, so that a stale file fails with the one line that says what to do.
        let current = committed == generated.stdout
        #expect(current, "docs/events.md is stale: run `swift run fleetledger schema --format markdown > docs/events.md`")
    }

    @Test("json lists every type with its stream, fields, whether each is required, and a whole sample line")
    func json() throws {
        let output = fleetledger("schema", "--format", "json").stdout
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(entries.count == Fleet.schema.catalog.declarations.count)
        let probe = try #require(entries.first { $0["type"] as? String == "ProbeResultRecorded" })
        #expect(probe["stream"] as? String == "lb/{loadBalancer}/{ipAddress}")
        #expect(probe["domain"] as? String == "load balancers")
        let fields = try #require(probe["fields"] as? [[String: Any]])
        #expect(fields.map { $0["name"] as? String } == ["loadBalancer", "probe", "ipAddress", "outcome", "statusCode", "latencyMs"])
        #expect(fields.map { $0["required"] as? Bool } == [true, true, true, true, false, false])
        #expect(fields[4]["example"] as? String == "503")

        // Each sample is a whole line of its own type, its data the declaration's sample.
        for entry in entries {
            let line = try #require(entry["sample"] as? String)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["type"] as? String == entry["type"] as? String)
            #expect(object["data"] is [String: Any] && object["at"] as? String == "2024-04-15T17:16:07Z")
        }
    }

    @Test("--type shows one type; an unknown type is a usage error naming the known ones")
    func oneType() {
        let one = fleetledger("schema", "--type", "DrainModeChanged")
        #expect(one.exitCode == 0)
        #expect(one.stdout.split(separator: "\n").count == 3, "a header, its rule and one row")
        #expect(one.stdout.contains("sessionhost/{hostPool}/{sessionHost}"))
        #expect(one.stdout.contains("[actor]"))
        let unknown = fleetledger("schema", "--type", "DrainModeChange")
        #expect(unknown.exitCode == 64)
        #expect(unknown.stderr.contains("DrainModeChanged"))
    }
}
