@testable import FleetDomains
import FleetEvents
@testable import FleetImport
import Testing

/// Rows of `WVDAgentHealthStatus`, built from the table's documented columns.
enum AgentRows {
    static let pool = "/subscriptions/s/resourcegroups/rg/providers/microsoft.desktopvirtualization/hostpools/hp-finance"

    /// One element of `SessionHostHealthCheckResult`.
    static func check(_ name: Int, _ result: Int, ran: String, code: Int = 0, message: String = "") -> String {
        #"{"HealthCheckName":\#(name),"HealthCheckResult":\#(result),"AdditionalFailureDetails":{"ErrorCode":\#(code),"Message":"\#(message)","LastHealthCheckDateTime":"\#(ran)"}}"#
    }

    /// A row as the query API gives it (the checks a string of JSON, as exports carry them).
    static func row(_ time: String, host: String, heartbeat: String, checks: [String]) -> String {
        let result = "[" + checks.joined(separator: ",") + "]"
        let escaped = result.replacingOccurrences(of: "\"", with: "\\\"")
        return #"["\#(time)","\#(host)","\#(pool)","\#(heartbeat)","\#(escaped)"]"#
    }

    static func tables(_ rows: [String]) -> String {
        #"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"SessionHostName","type":"string"},"#
            + #"{"name":"_ResourceId","type":"string"},{"name":"LastHeartBeat","type":"datetime"},{"name":"SessionHostHealthCheckResult","type":"string"}],"#
            + #""rows":["# + rows.joined(separator: ",") + "]}]}"
    }
}

@Suite("Import of WVDAgentHealthStatus rows")
struct AgentHealthImportTests {
    func events(_ text: String) throws -> [ImportedEvent] {
        try AzureImport.events(from: try JSONParser.parse(text))
    }

    @Test("each check run becomes one HealthCheckCompleted at its own time, each heartbeat one AgentHeartbeatReceived; rows repeating a run add nothing")
    func runs() throws {
        let passed = AgentRows.check(1, 1, ran: "2024-04-15T03:00:10Z")
        let rows = [
            AgentRows.row("2024-04-15T03:00:30.1234567Z", host: "sh-1", heartbeat: "2024-04-15T03:00:25Z", checks: [passed]),
            AgentRows.row("2024-04-15T03:01:00Z", host: "sh-1", heartbeat: "2024-04-15T03:00:55Z", checks: [passed]),
            AgentRows.row("2024-04-15T03:05:00Z", host: "sh-1", heartbeat: "2024-04-15T03:00:55Z",
                          checks: [AgentRows.check(1, 2, ran: "2024-04-15T03:04:40Z", code: 1355, message: "trust lost"), AgentRows.check(10, 3, ran: "2024-04-15T03:04:41Z")]),
        ]
        let imported = try events(AgentRows.tables(rows))
        // Of the heartbeats, 03:00:25 is in the first 30 seconds of its 5 minutes; 03:00:55 is not.
        #expect(imported.map(\.kind) == [.healthCheckRun, .heartbeat, .healthCheckRun, .healthCheckRun])
        #expect(imported.map(\.at.rfc3339) == ["2024-04-15T03:00:10Z", "2024-04-15T03:00:25Z", "2024-04-15T03:04:40Z", "2024-04-15T03:04:41Z"])
        #expect(imported.allSatisfy { $0.stream == "sessionhost/hp-finance/sh-1" })
        #expect(imported[2].line.contains(#""data":{"hostPool":"hp-finance","sessionHost":"sh-1","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355,"message":"trust lost"}"#))
        #expect(imported[3].line.contains(#""healthCheckName":"AppAttachHealthCheck","healthCheckResult":"SessionHostShutdown"}"#))
        #expect(!imported[0].line.contains("errorCode"), "ErrorCode 0 and an empty message are no failure details")
        // The same rows again make the same events, ids included.
        #expect(try events(AgentRows.tables(rows)) == imported)
    }

    @Test("of a host's heartbeats, those in the first 30 seconds of every 5 minutes of UTC time are kept, whatever else the export holds")
    func heartbeats() {
        let times = ["03:00:25", "03:00:55", "03:04:55", "03:05:25", "03:09:55", "03:10:25", "03:12:55"]
            .map { Timestamp(rfc3339: "2024-04-15T\($0)Z")! }
        let kept = AzureImport.keptHeartbeats(Set(times))
        #expect(kept.map { String($0.rfc3339.dropFirst(11).prefix(8)) } == ["03:00:25", "03:05:25", "03:10:25"])
        // An export that starts or ends elsewhere keeps the same heartbeats of the time they share.
        #expect(AzureImport.keptHeartbeats(Set(times.dropFirst(2))) == Array(kept.dropFirst()))
        #expect(AzureImport.keptHeartbeats(Set(times.dropLast(3))) == Array(kept.dropLast()))
    }

    @Test("a row without checks, or with an empty or null result, adds only its heartbeat; a check that never ran (0001-01-01) is dated by its row, once per change")
    func emptyAndUndated() throws {
        let undated = AgentRows.check(1, 2, ran: "0001-01-01T00:00:00", code: 1355, message: "trust lost")
        let rows = [
            AgentRows.row("2024-04-15T03:00:30Z", host: "sh-1", heartbeat: "2024-04-15T03:00:05Z", checks: []),
            AgentRows.row("2024-04-15T03:01:00Z", host: "sh-1", heartbeat: "", checks: [undated]),
            AgentRows.row("2024-04-15T03:01:30Z", host: "sh-1", heartbeat: "", checks: [undated]),
            AgentRows.row("2024-04-15T03:02:00Z", host: "sh-1", heartbeat: "", checks: [AgentRows.check(1, 1, ran: "0001-01-01T00:00:00")]),
        ]
        let imported = try events(AgentRows.tables(rows))
        #expect(imported.map(\.kind) == [.heartbeat, .healthCheckRun, .healthCheckRun])
        #expect(imported.map(\.at.rfc3339) == ["2024-04-15T03:00:05Z", "2024-04-15T03:01:00Z", "2024-04-15T03:02:00Z"])
        let nullResult = AgentRows.tables([AgentRows.row("2024-04-15T03:00:30Z", host: "sh-1", heartbeat: "", checks: [])])
            .replacingOccurrences(of: #""[]"]"#, with: "null]")
        #expect(try events(nullResult).isEmpty)
        #expect(try events("[]").isEmpty, "az prints [] for a query that found no rows")
    }

    @Test("the indexes follow the REST enum's order, as Azure Monitor's queries give them")
    func indexes() {
        #expect(AgentHealthRows.checkNames.map(\.rawValue) == [
            "DomainJoinedCheck", "DomainTrustCheck", "FSLogixHealthCheck", "SxSStackListenerCheck", "UrlsAccessibleCheck", "MonitoringAgentCheck",
            "DomainReachable", "WebRTCRedirectorCheck", "SupportedEncryptionCheck", "MetaDataServiceCheck", "AppAttachHealthCheck",
        ])
        #expect(AgentHealthRows.results.map(\.rawValue) == ["Unknown", "HealthCheckSucceeded", "HealthCheckFailed", "SessionHostShutdown"])
    }

    @Test("az monitor log-analytics query's array of rows, every value a string, reads the same")
    func cliForm() throws {
        let checks = "[" + AgentRows.check(1, 2, ran: "2024-04-15T03:04:40Z", code: 1355, message: "trust lost") + "]"
        let row = #"{"TimeGenerated":"2024-04-15T03:05:30Z","SessionHostName":"sh-2","_ResourceId":"\#(AgentRows.pool)","LastHeartBeat":"2024-04-15T03:05:05Z","#
            + #""SessionHostHealthCheckResult":"\#(checks.replacingOccurrences(of: "\"", with: "\\\""))","TenantId":"t"}"#
        let imported = try events("[" + row + "]")
        #expect(imported.map(\.kind) == [.healthCheckRun, .heartbeat])
        #expect(imported[0].stream == "sessionhost/hp-finance/sh-2" && imported[0].line.contains(#""errorCode":1355"#))
    }

    @Test("the store's spelling of a name wins over Log Analytics' lower case")
    func canonicalNames() throws {
        let row = AgentRows.row("2024-04-15T03:05:30Z", host: "sh-1", heartbeat: "2024-04-15T03:05:05Z", checks: [])
        let request = ImportRequest { name in name.kind == .hostPool && name.name == "hp-finance" ? "HP-Finance" : name.name }
        let imported = try AzureImport.events(from: try JSONParser.parse(AgentRows.tables([row])), request)
        #expect(imported.map(\.stream) == ["sessionhost/HP-Finance/sh-1"])
    }

    @Test("anything else is refused with one sentence naming the shapes import knows, or the place at fault", arguments: [
        (#"{"rows":[]}"#, "is not a shape import knows: it reads a SessionHost or a list of them"),
        ("[1]", "is not a shape import knows"),
        (AgentRows.tables([AgentRows.row("2024-04-15T03:05:00Z", host: "sh-1", heartbeat: "", checks: [AgentRows.check(1, 1, ran: "2024-04-15T03:00:00")])]),
         #"SessionHostHealthCheckResult[0].AdditionalFailureDetails.LastHealthCheckDateTime is "2024-04-15T03:00:00", which is not a time"#),
        (AgentRows.tables([#"["2024-04-15T03:05:00Z","sh-1"]"#]), "tables[0].rows[0] does not have one value per column (5)"),
        (AgentRows.tables([AgentRows.row("2024-04-15T03:05:00Z", host: "sh-1", heartbeat: "", checks: [AgentRows.check(11, 1, ran: "2024-04-15T03:00:00Z")])]),
         "tables[0].rows[0].SessionHostHealthCheckResult[0].HealthCheckName is 11, not an index from 0 to 10"),
        (AgentRows.tables([AgentRows.row("yesterday", host: "sh-1", heartbeat: "", checks: [])]), #"tables[0].rows[0].TimeGenerated is "yesterday", which is not a time"#),
    ])
    func refused(input: String, sentence: String) throws {
        let error = #expect(throws: ImportError.self) { try events(input) }
        #expect(error?.description.contains(sentence) == true, "\(error?.description ?? "")")
    }
}
