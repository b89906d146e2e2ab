@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetProjection
@testable import FleetStore
import Testing

// A projector that reads another entity's state, as the load balancer's will: each address's
// probe results are counted against the `probeThreshold` of the probe they name, which lives on
// another entity, so a threshold changed between two probes changes how the next one counts.

/// A probe's settings, kept as their own entity `probe/<loadBalancer>/<probe>` (not the event's stream).
enum ProbeSettingsProjector: Projector {
    static let name = "test-probe-settings"
    static let folds: [any EventData.Type] = [HealthProbeConfigured.self]
    static let kind = StreamKind("probe", fields: ["loadBalancer", "probe"])

    static func entities(of event: ProjectedEvent, _ context: FoldContext) throws -> Entities {
        let probe = event.data as! HealthProbeConfigured
        return .one(kind.key(probe.loadBalancer, probe.probe))
    }

    static func fold(_ state: Int64?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> Int64 {
        (event.data as! HealthProbeConfigured).probeThreshold
    }
}

/// Up or down after `probeThreshold` consecutive results the other way; a new address starts Up.
struct AddressHealth: Codable, Equatable, Sendable {
    var up = true
    var streak = 0
    var thresholdUsed: Int64 = 0
}

enum AddressHealthProjector: Projector {
    static let name = "test-address-health"
    static let folds: [any EventData.Type] = [ProbeResultRecorded.self]
    static let reads: [any Projector.Type] = [ProbeSettingsProjector.self]

    static func fold(_ state: AddressHealth?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> AddressHealth {
        let result = event.data as! ProbeResultRecorded
        let threshold = try context.state(ProbeSettingsProjector.self, of: ProbeSettingsProjector.kind.key(result.loadBalancer, result.probe)) ?? 1
        var health = state ?? AddressHealth()
        let succeeded = result.outcome == .success
        health.streak = succeeded == health.up ? 0 : health.streak + 1
        health.thresholdUsed = threshold
        if health.streak >= threshold {
            health.up = succeeded
            health.streak = 0
        }
        return health
    }
}

@Suite("Projections across entities")
struct ProjectionAcrossEntitiesTests {
    static let schema = StoreSchema(
        events: Fleet.schema.catalog.declarations,
        projectors: Fleet.schema.projectors + [AnyProjector(ProbeSettingsProjector.self), AnyProjector(AddressHealthProjector.self)])

    /// Two addresses probed each second; the threshold drops from 3 to 1 at 00:10. Address .2's
    /// agent lags: its result for 00:08 is appended after the threshold change (log order and
    /// time order differ across streams), and counts with threshold 1 now, but with 3 as of any
    /// time before 00:10.
    static let scenario: [String] = {
        let lb = #""loadBalancer":"lb""#
        func probe(_ threshold: Int, at second: Int) -> String {
            eventLine("HealthProbeConfigured", lb + #","probe":"p","protocol":"Tcp","port":80,"probeThreshold":\#(threshold)"#, at: time(second))
        }
        func result(_ ip: String, _ outcome: String, at second: Int) -> String {
            eventLine("ProbeResultRecorded", lb + #","probe":"p","ipAddress":"10.0.0.\#(ip)","outcome":"\#(outcome)""#, at: time(second))
        }
        func added(_ ip: String) -> String {
            eventLine("BackendAddressAdded", lb + #","backendPool":"pool","ipAddress":"10.0.0.\#(ip)""#, at: time(0))
        }
        var lines = [probe(3, at: 0), added("1"), added("2")]
        for second in 1...7 {
            lines.append(result("1", second >= 4 ? "TcpTimeout" : "Success", at: second))
            lines.append(result("2", second >= 6 ? "TcpTimeout" : "Success", at: second))
        }
        lines.append(probe(1, at: 10))
        lines.append(result("2", "TcpTimeout", at: 8))
        for second in 11...20 {
            lines.append(result("1", second % 4 == 0 ? "Success" : "TcpTimeout", at: second))
            lines.append(result("2", second >= 15 ? "Success" : "TcpTimeout", at: second))
        }
        lines.append(probe(2, at: 21))
        for second in 22...26 { lines.append(result("1", second >= 24 ? "Success" : "TcpTimeout", at: second)) }
        return lines
    }()

    static func time(_ second: Int) -> String { "2024-04-15T00:00:\(second < 10 ? "0" : "")\(second)Z" }

    static func fixture(_ lines: [String]) throws -> StoreFixture {
        let fixture = try StoreFixture(schema: schema, checkpointInterval: 4, segmentSize: 2)
        try fixture.append(lines, commitEvery: 5)
        return fixture
    }

    /// Everything both projectors hold, as `reader` sees it.
    static func snapshot(_ reader: ProjectionReader) throws -> String {
        let addresses = try reader.states(AddressHealthProjector.self, in: StreamKind.loadBalancerAddress.keys(under: "lb"))
        let probes = try reader.states(ProbeSettingsProjector.self, in: ProbeSettingsProjector.kind.keys(under: "lb"))
        return addresses.map { "\($0.key) \($0.state)" }.joined(separator: "; ") + " | "
            + probes.map { "\($0.key) \($0.state)" }.joined(separator: "; ")
    }

    @Test("the late result counts with the threshold that stood before it in the log")
    func lateResultNow() throws {
        let fixture = try Self.fixture(Self.scenario)
        // After the first 7 seconds, .2 has 2 failures in a row under threshold 3: still up.
        let asOf7 = try fixture.store.projections(asOf: Timestamp(rfc3339: Self.time(7))!)
        #expect(try asOf7.state(AddressHealthProjector.self, of: StreamKind.loadBalancerAddress.key("lb", "10.0.0.2"))
            == AddressHealth(up: true, streak: 2, thresholdUsed: 3))
        // As of 00:09 the change at 00:10 has not happened: the 00:08 result is a third failure under 3.
        let asOf9 = try fixture.store.projections(asOf: Timestamp(rfc3339: Self.time(9))!)
        #expect(try asOf9.state(AddressHealthProjector.self, of: StreamKind.loadBalancerAddress.key("lb", "10.0.0.2"))
            == AddressHealth(up: false, streak: 0, thresholdUsed: 3))
        // As of 00:10, in log order the change comes before the late result, which counts with 1.
        let asOf10 = try fixture.store.projections(asOf: Timestamp(rfc3339: Self.time(10))!)
        #expect(try asOf10.state(AddressHealthProjector.self, of: StreamKind.loadBalancerAddress.key("lb", "10.0.0.2"))
            == AddressHealth(up: false, streak: 0, thresholdUsed: 1))
        #expect(try asOf10.state(ProbeSettingsProjector.self, of: ProbeSettingsProjector.kind.key("lb", "p")) == 1)
        #expect(try fixture.store.database.scalarInt64("SELECT count(DISTINCT checkpoint) FROM checkpoint_states")! >= 10)
    }

    @Test("as of every time in the scenario, the answer equals a store holding exactly the events up to it")
    func asOfEveryTime() throws {
        let full = try Self.fixture(Self.scenario)
        let times = Set(Self.scenario.map { try! decode($0).at }).sorted()
        var distinct: Set<String> = []
        for time in [times[0].adding(seconds: -1)] + times {
            let partial = try Self.fixture(Self.scenario.filter { try! decode($0).at <= time })
            let expected = try Self.snapshot(partial.store.projections(asOf: nil))
            #expect(try Self.snapshot(full.store.projections(asOf: time)) == expected, "as of \(time.rfc3339)")
            distinct.insert(expected)
        }
        #expect(distinct.count > 10, "the scenario's answers change over time")
    }

    @Test("an as-of replay limited to one projector folds what it reads too, and answers the same")
    func limitedReplay() throws {
        let fixture = try Self.fixture(Self.scenario)
        let key = StreamKind.loadBalancerAddress.key("lb", "10.0.0.2")
        for second in [9, 10, 20] {
            let time = Timestamp(rfc3339: Self.time(second))!
            let limited = try fixture.store.projections(asOf: time, reading: [AnyProjector(AddressHealthProjector.self)])
            let full = try fixture.store.projections(asOf: time)
            #expect(try limited.state(AddressHealthProjector.self, of: key) == (try full.state(AddressHealthProjector.self, of: key)))
            #expect(try limited.state(AddressHealthProjector.self, of: key) != nil)
        }
        #expect(Self.schema.projectors(reading: [AnyProjector(AddressHealthProjector.self)]).map(\.name)
            == ["test-probe-settings", "test-address-health"])
    }

    @Test("rebuild then verify pass, and a rebuilt store answers as the appended one did")
    func rebuildAndVerify() throws {
        let fixture = try Self.fixture(Self.scenario)
        #expect(try fixture.store.verifyLog().problems == [])
        let now = try Self.snapshot(fixture.store.projections(asOf: nil))
        let middle = try Self.snapshot(fixture.store.projections(asOf: Timestamp(rfc3339: Self.time(12))!))
        try fixture.store.rebuild()
        #expect(try fixture.store.verifyLog().problems == [])
        #expect(try Self.snapshot(fixture.store.projections(asOf: nil)) == now)
        #expect(try Self.snapshot(fixture.store.projections(asOf: Timestamp(rfc3339: Self.time(12))!)) == middle)
    }
}
