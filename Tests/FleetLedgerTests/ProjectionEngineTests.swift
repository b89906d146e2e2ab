@testable import FleetLedger
@testable import FleetDomains
@testable import FleetEvents
@testable import FleetOutput
@testable import FleetProjection
@testable import FleetStore
import FleetWorkload
import FleetSQLite
import Testing

/// A deterministic fleet history: hosts of two pools flapping checks, powering off and on,
/// draining and taking sessions, with more than one snapshot interval of events per host.
/// Two hosts of pool "hp", each event its own round, then host sh-1 falls silent after its 100th
/// event: with checkpoints every 256 events, checkpoint 256 holds both hosts and 512 sh-0 alone.
func oneHostFallsSilent() -> [String] {
    fleetHistory(hosts: 2, rounds: 100)
        + fleetHistory(hosts: 1, rounds: 400).dropFirst(3).map { $0.replacingAll("T00:", with: "T01:") }
}

func fleetHistory(hosts: Int = 4, rounds: Int = 300) -> [String] {
    var lines = [
        eventLine("HostPoolConfigured", #""hostPool":"hp","loadBalancerType":"DepthFirst","maxSessionLimit":3"#, at: "2024-04-15T00:00:00Z"),
        eventLine("HostPoolConfigured", #""hostPool":"other","loadBalancerType":"BreadthFirst""#, at: "2024-04-15T00:00:00Z"),
    ]
    let start = Timestamp(rfc3339: "2024-04-15T00:00:01Z")!
    var generator = SplitMix64(seed: 42)
    for round in 0..<rounds {
        for index in 0..<hosts {
            let pool = index % 3 == 2 ? "other" : "hp"
            let host = #""hostPool":"\#(pool)","sessionHost":"sh-\#(index)""#
            let at = start.adding(seconds: Int64(round * hosts + index)).rfc3339
            if round == 0 { lines.append(eventLine("SessionHostRegistered", host, at: at)); continue }
            switch generator.next() % 10 {
            case 0: lines.append(eventLine("HealthCheckCompleted", host + #","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355"#, at: at))
            case 1: lines.append(eventLine("HealthCheckCompleted", host + #","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckSucceeded""#, at: at))
            case 2: lines.append(eventLine("HealthCheckCompleted", host + #","healthCheckName":"UrlsAccessibleCheck","healthCheckResult":"\#(round % 2 == 0 ? "HealthCheckFailed" : "HealthCheckSucceeded")""#, at: at))
            case 3: lines.append(eventLine("PowerStateChanged", host + #","powerState":"\#(round % 3 == 0 ? "Running" : "Stopped")","reportedByAgent":\#(round % 3 == 0 ? "false" : "true")"#.replacingAll(#","reportedByAgent":false"#, with: ""), at: at))
            case 4: lines.append(eventLine("DrainModeChanged", host + #","allowNewSession":\#(round % 2 == 0)"#, at: at))
            case 5, 6: lines.append(eventLine("UserSessionStarted", host + #","user":"u\#(generator.next() % 5)""#, at: at))
            case 7: lines.append(eventLine("UserSessionEnded", host + #","user":"u\#(generator.next() % 5)""#, at: at))
            case 8: lines.append(eventLine(round % 2 == 0 ? "AgentUpgradeStarted" : "AgentUpgradeCompleted", host + (round % 2 == 0 ? "" : #","agentVersion":"1.\#(round)""#), at: at))
            default: lines.append(eventLine("AgentHeartbeatReceived", host, at: at))
            }
        }
    }
    return lines
}

@Suite("Projection engine")
struct ProjectionEngineTests {
    @Test("the read model is current after each append, without replaying the log")
    func current() throws {
        let fixture = try StoreFixture()
        try fixture.append([eventLine("SessionHostRegistered", #""hostPool":"hp","sessionHost":"a""#)])
        #expect(try fixture.store.sessionHosts(pool: "hp", asOf: nil).map(\.status) == [.available])
        try fixture.append([eventLine("HealthCheckCompleted", #""hostPool":"hp","sessionHost":"a","healthCheckName":"DomainJoinedCheck","healthCheckResult":"HealthCheckFailed""#, at: "2024-04-15T17:17:00Z")])
        #expect(try fixture.store.sessionHosts(pool: "hp", asOf: nil).map(\.status) == [.unavailable])
        #expect(try fixture.store.checkpoint(of: SessionHostProjector.name) == 2)
    }

    @Test("two connections writing in turn never fold over each other's stale states")
    func twoWriters() throws {
        let fixture = try StoreFixture()
        let other = try EventStore(path: fixture.path)
        let host = #""hostPool":"hp","sessionHost":"a""#
        try fixture.append([eventLine("SessionHostRegistered", host, at: "2024-04-15T17:16:00Z")])
        try other.append(from: [.bytes(name: "other", Array(eventLine("UserSessionStarted", host + #","user":"bo""#, at: "2024-04-15T17:16:01Z").utf8))])
        try fixture.append([eventLine("UserSessionStarted", host + #","user":"ana""#, at: "2024-04-15T17:16:02Z")])
        #expect(try fixture.store.sessionHosts(pool: "hp", asOf: nil).first?.users == ["ana", "bo"])
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a refused batch does not leave its states behind for the next one")
    func refusedBatchForgotten() throws {
        let fixture = try StoreFixture()
        let host = #""hostPool":"hp","sessionHost":"a""#
        try fixture.append([eventLine("SessionHostRegistered", host, at: "2024-04-15T17:16:00Z")])
        #expect(throws: AppendError.self) {
            try fixture.append([eventLine("DrainModeChanged", host + #","allowNewSession":false"#, at: "2024-04-15T17:16:01Z"), "{bad"])
        }
        try fixture.append([eventLine("AgentHeartbeatReceived", host, at: "2024-04-15T17:16:02Z")])
        #expect(try fixture.store.sessionHosts(pool: "hp", asOf: nil).first?.allowNewSession == true)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a refused input leaves the read models as they were")
    func atomic() throws {
        let fixture = try StoreFixture()
        let lines = [eventLine("SessionHostRegistered", #""hostPool":"hp","sessionHost":"a""#), "{broken"]
        #expect(throws: AppendError.self) { try fixture.append(lines) }
        #expect(try fixture.store.database.scalarInt64("SELECT count(*) FROM entity_states") == 0)
    }

    @Test("rebuild reproduces the read models, checkpoints and segment ranges exactly, and verify passes before and after")
    func rebuild() throws {
        let fixture = try StoreFixture(schema: Fleet.schema, checkpointInterval: 256, segmentSize: 64)
        try fixture.append(fleetHistory(), commitEvery: 97)
        let before = try fixture.store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json)
        let everything = """
            SELECT group_concat(row, '|') FROM (
                SELECT projector || entity || seq || state AS row FROM entity_states
                UNION ALL SELECT projector || entity || checkpoint || state FROM checkpoint_states
                UNION ALL SELECT segment || ':' || min_at || ':' || max_at FROM log_segments ORDER BY row)
            """
        let rows = try fixture.store.database.scalarText(everything)
        #expect(rows?.contains("checkpoint") != true)
        #expect(try fixture.store.verifyLog().problems == [])
        let summary = try fixture.store.rebuild()
        #expect(summary.events == fleetHistory().count)
        #expect(try fixture.store.database.scalarText(everything) == rows)
        #expect(try fixture.store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json) == before)
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a checkpoint every interval holds the entities folded since the previous one, as of its seq")
    func checkpoints() throws {
        let fixture = try StoreFixture(schema: Fleet.schema, checkpointInterval: 256, segmentSize: 64)
        try fixture.append(oneHostFallsSilent(), commitEvery: 97)
        let rows = try fixture.store.database.makeStatement(
            "SELECT checkpoint, group_concat(entity) FROM checkpoint_states WHERE projector = 'session-hosts' GROUP BY checkpoint ORDER BY checkpoint")
        var found: [String] = []
        while try rows.step() { found.append("\(rows.int64(0)):\(rows.text(1))") }
        #expect(found == ["256:sessionhost/hp/sh-0,sessionhost/hp/sh-1", "512:sessionhost/hp/sh-0"])
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a checkpoint holds its states as of its seq, though it is written after later events changed them")
    func checkpointWrittenLater() throws {
        let fixture = try StoreFixture(schema: Fleet.schema, checkpointInterval: 4, segmentSize: 2)
        let host = #""hostPool":"hp","sessionHost":"sh-0""#
        var lines = [eventLine("SessionHostRegistered", host, at: "2024-04-15T00:00:00Z")]
        lines += (1...3).map { eventLine("AgentHeartbeatReceived", host, at: "2024-04-15T00:00:0\($0)Z") }
        // Seq 4 takes a checkpoint; seq 5 drains the host in the same transaction, before it is written.
        lines.append(eventLine("DrainModeChanged", host + #","allowNewSession":false"#, at: "2024-04-15T00:00:05Z"))
        try fixture.append(lines)
        let checkpointed = try fixture.store.database.scalarText(
            "SELECT state FROM checkpoint_states WHERE projector = 'session-hosts' AND checkpoint = 4")
        let current = try fixture.store.database.scalarText("SELECT state FROM entity_states WHERE projector = 'session-hosts'")
        #expect(checkpointed?.contains(#""allowNewSession":true"#) == true)
        #expect(checkpointed?.contains(#""lastHeartBeat":1713139203000000000"#) == true)
        #expect(current?.contains(#""allowNewSession":false"#) == true)
        #expect(try fixture.store.verifyLog().problems == [])
        // Two checkpoints in one transaction: the first is written when the second is taken.
        lines += (6...9).map { eventLine("AgentHeartbeatReceived", host, at: "2024-04-15T00:00:0\($0)Z") }
        let again = try StoreFixture(schema: Fleet.schema, checkpointInterval: 4, segmentSize: 2)
        try again.append(lines)
        #expect(try again.store.database.scalarInt64("SELECT count(DISTINCT checkpoint) FROM checkpoint_states") == 2)
        #expect(try again.store.verifyLog().problems == [])
    }

    @Test("verify names a read-model row altered behind the store's back", arguments: [
        "UPDATE entity_states SET state = replace(state, '\"allowNewSession\":true', '\"allowNewSession\":false') WHERE projector = 'session-hosts'",
        "DELETE FROM entity_states WHERE projector = 'host-pools'",
        "UPDATE entity_states SET seq = seq - 1 WHERE projector = 'session-hosts'",
        "UPDATE checkpoint_states SET state = replace(state, '\"removed\":false', '\"removed\":true')",
        "DELETE FROM checkpoint_states WHERE entity = 'sessionhost/hp/sh-0'",
        "UPDATE projection_checkpoints SET seq = seq - 1",
        "INSERT INTO entity_states VALUES ('session-hosts', 'sessionhost/hp/ghost', 1, '{}')",
        "UPDATE log_segments SET max_at = max_at + 1 WHERE segment = 1",
    ])
    func tamperedReadModel(sql: String) throws {
        let fixture = try StoreFixture(schema: Fleet.schema, checkpointInterval: 256, segmentSize: 64)
        try fixture.append(fleetHistory(hosts: 2, rounds: 300))
        try Database(path: fixture.path).execute(sql)
        let problems = try fixture.store.verifyLog().problems
        #expect(problems.count >= 1)
        #expect(problems.first?.hasPrefix("Read model ") == true || problems.first?.hasPrefix("The time range") == true, "\(problems)")
        try fixture.store.rebuild()
        #expect(try fixture.store.verifyLog().problems == [])
    }

    @Test("a store whose read models are missing catches up when opened")
    func catchUp() throws {
        let fixture = try StoreFixture()
        try fixture.append(fleetHistory(hosts: 2, rounds: 20))
        let expected = try fixture.store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json)
        try Database(path: fixture.path).execute("DELETE FROM entity_states; DELETE FROM projection_checkpoints")
        let reopened = try EventStore(path: fixture.path)
        #expect(try reopened.hostsReport(pool: nil, status: nil, asOf: nil, format: .json) == expected)
        #expect(try reopened.verifyLog().problems == [])
    }

    @Test("as-of answers equal those of a store that holds only the events up to that time", arguments: [
        "2024-04-15T00:00:00Z", "2024-04-15T00:00:02Z", "2024-04-15T00:03:30Z", "2024-04-15T00:08:31.5Z", "2024-04-15T00:19:59Z", "2024-04-16T00:00:00Z",
    ])
    func asOf(time: String) throws {
        let history = fleetHistory(hosts: 4, rounds: 300)
        let full = try StoreFixture()
        try full.append(history)
        let cut = Timestamp(rfc3339: time)!
        let partial = try StoreFixture()
        let upToCut = history.filter { (try? decode($0).at).map { $0 <= cut } ?? false }
        try partial.append(upToCut)
        for format in ReportFormat.allCases {
            #expect(try full.store.hostsReport(pool: nil, status: nil, asOf: cut, format: format)
                == (try partial.store.hostsReport(pool: nil, status: nil, asOf: nil, format: format)))
        }
        if try partial.store.knowsHostPool("hp") {
            #expect(try full.store.routeReport(pool: "hp", asOf: cut, format: .json).report
                == (try partial.store.routeReport(pool: "hp", asOf: nil, format: .json).report))
        }
    }
}
