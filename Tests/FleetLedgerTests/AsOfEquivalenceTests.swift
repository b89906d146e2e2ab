@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import Testing

/// A fleet touching all four domains in under two hundred events. Each domain keeps its own
/// clock, so the log interleaves streams whose times go back and forth: as-of must filter by
/// `at`, not cut the log at a position.
private func fleet() -> [String] {
    var pool = PoolEvents()
    pool.hosts(4)
    pool.add("HealthCheckCompleted", #""sessionHost":"sh-2","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckFailed","errorCode":1355,"message":"trust lost""#, after: 7)
    pool.add("DrainModeChanged", #""sessionHost":"sh-3","allowNewSession":false,"actor":"alice""#, after: 3)
    pool.add("UserSessionStarted", #""sessionHost":"sh-1","user":"ana""#)
    pool.schedule(batch: 2)
    pool.control("Start")
    let updateSteps = PoolEvents.keepSteps
    for step in updateSteps { pool.step("sh-1", step, step == "VmCreated" ? #","vmName":"sh-1-new""# : "", after: 2) }
    for step in updateSteps.prefix(3) { for host in ["sh-2", "sh-3"] { pool.step(host, step, after: 2) } }
    pool.step("sh-2", "Failed", #","errorCode":"AgentRegistrationFailureGeneric""#, after: 3)
    pool.control("Retry")
    pool.add("HealthCheckCompleted", #""sessionHost":"sh-2","healthCheckName":"DomainTrustCheck","healthCheckResult":"HealthCheckSucceeded""#, after: 4)

    var lb = LoadBalancerEvents()
    lb.configure(threshold: 2, behavior: "AllProbedUp")
    lb.address("10.0.0.4")
    lb.address("10.0.0.5")
    lb.results("10.0.0.4", "Success", "Success", "TcpTimeout", "Success", "TcpTimeout", "TcpTimeout")
    lb.results("10.0.0.5", "Success", "Success", "TcpTimeout", "TcpTimeout")
    lb.admin("10.0.0.4", "Down")
    lb.results("10.0.0.5", "Success", "Success")
    lb.admin("10.0.0.4", "None")
    lb.power("10.0.0.5", on: false)

    var scaleSet = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":2"#)
    for (gap, result) in [(5, "U"), (5, "H"), (5, "H"), (5, "Uh"), (5, "Uh"), (5, "U"), (5, "H"), (5, "H")] {
        scaleSet.probe(Probe.http(result), after: Int64(gap))
    }

    // Interleave the domains in blocks, so log order and time order differ across streams.
    var lines: [String] = []
    let sources = [pool.lines, lb.lines, scaleSet.lines]
    var cursors = [0, 0, 0]
    while cursors.enumerated().contains(where: { $1 < sources[$0].count }) {
        for (index, source) in sources.enumerated() where cursors[index] < source.count {
            let block = source[cursors[index]..<min(cursors[index] + 7, source.count)]
            lines += block
            cursors[index] += block.count
        }
    }
    return lines
}

/// The `at` of an NDJSON line.
private func at(_ line: String) -> Timestamp {
    let start = line.range(of: #""at":""#)!.upperBound
    return Timestamp(rfc3339: String(line[start...].prefix { $0 != "\"" }))!
}

@Suite("as-of everywhere: every query as of T equals the query on a store of only the events up to T")
struct AsOfEquivalenceTests {
    /// Every query's answer, or the fact that it failed, in the format a script would parse.
    func answers(_ store: any LedgerStore, asOf: Timestamp?, until: Timestamp?) -> [String] {
        func answer(_ name: String, _ query: () throws -> String) -> String {
            do { return "\(name): " + (try query()) } catch { return "\(name): refused" }
        }
        // A history's first column is the log position, which differs between the two stores.
        func withoutSeq(_ csv: String) -> String {
            csv.split(separator: "\r\n").map { $0.drop { $0 != "," } }.joined(separator: "\n")
        }
        var answers = [
            answer("hosts") { try store.hostsReport(pool: nil, status: nil, asOf: asOf, format: .json) },
            answer("route") { try store.routeReport(pool: "hp", asOf: asOf, format: .json).report },
            answer("pools") { try store.poolsReport(asOf: asOf, format: .csv) },
            answer("update status") { try store.updateStatusReport(pool: "hp", asOf: asOf, format: .json) },
            answer("lb list") { try store.loadBalancerListReport(asOf: asOf, format: .json) },
            answer("lb health") { try store.loadBalancerHealthReport(loadBalancer: "lb", rule: "web", asOf: asOf, format: .json) },
            answer("vmss list") { try store.scaleSetListReport(asOf: asOf, format: .json) },
            answer("vmss health") { try store.scaleSetHealthReport(scaleSet: "s", asOf: asOf, format: .json) },
            answer("history update") { withoutSeq(try store.historyReport(.update(pool: "hp"), since: nil, until: until, changesOnly: false, format: .csv)) },
            answer("history backend") {
                withoutSeq(try store.historyReport(.backend(loadBalancer: "lb", ipAddress: "10.0.0.4"), since: nil, until: until,
                                                   changesOnly: false, format: .csv))
            },
            answer("history instance") {
                withoutSeq(try store.historyReport(.instance(scaleSet: "s", instanceId: "0"), since: nil, until: until,
                                                   changesOnly: false, format: .csv))
            },
        ]
        for host in 1...4 {
            answers.append(answer("host sh-\(host)") { try store.hostReport(pool: "hp", host: "sh-\(host)", asOf: asOf, format: .json) })
            answers.append(answer("history sh-\(host)") {
                withoutSeq(try store.historyReport(.host(pool: "hp", host: "sh-\(host)"), since: nil, until: until, changesOnly: false, format: .csv))
            })
        }
        return answers
    }

    @Test("for every distinct at of a four-domain scenario", arguments: StoreEngine.underTest)
    func everyPrefix(engine: StoreEngine) throws {
        let lines = fleet()
        #expect(lines.count < 200)
        let full = try engine.makeStore()
        try full.append(lines)
        let times = Set(lines.map(at)).sorted()
        #expect(times.count > 40, "the scenario has many distinct times")
        // The domains' clocks interleave: some line is logged after a line with a later time.
        #expect(zip(lines, lines.dropFirst()).contains { at($0) > at($1) })
        for time in times {
            let prefix = try engine.makeStore()
            try prefix.append(lines.filter { at($0) <= time })
            let expected = answers(prefix.store, asOf: nil, until: nil)
            let actual = answers(full.store, asOf: time, until: time)
            for (want, got) in zip(expected, actual) where want != got {
                Issue.record("as of \(time.rfc3339):\n  as-of: \(got)\n  store: \(want)")
            }
        }
    }
}
