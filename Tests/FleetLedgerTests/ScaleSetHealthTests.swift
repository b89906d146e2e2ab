@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import Foundation
import Testing

/// A scale set "s" with instance "0" created at 03:00:00, probed every `interval` seconds.
struct ScaleSetEvents {
    private(set) var lines: [String] = []
    private(set) var second: Int64 = 0
    static let start = Timestamp(rfc3339: "2024-04-15T03:00:00Z")!

    init(_ settings: String) {
        lines.append(eventLine("ApplicationHealthExtensionConfigured", #""scaleSet":"s","# + settings, at: Self.start.adding(seconds: -60).rfc3339))
        lines.append(eventLine("ScaleSetInstanceCreated", #""scaleSet":"s","instanceId":"0""#, at: Self.start.rfc3339))
    }

    /// Appends one probe `after` seconds after the previous event.
    mutating func probe(_ data: String, after seconds: Int64) {
        second += seconds
        lines.append(eventLine("ApplicationHealthProbed", #""scaleSet":"s","instanceId":"0","# + data, at: Self.start.adding(seconds: second).rfc3339))
    }

    mutating func configure(_ settings: String, after seconds: Int64) {
        second += seconds
        lines.append(eventLine("ApplicationHealthExtensionConfigured", #""scaleSet":"s","# + settings, at: Self.start.adding(seconds: second).rfc3339))
    }
}

/// Probe data for each result a test names.
enum Probe {
    static let healthy = #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Healthy\"}""#
    static let unhealthy = #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Unhealthy\"}""#
    static let unknown = #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Degraded\"}""#
    static let timeout = #""timedOut":true"#
    static let connected = #""connected":true"#
    static let refused = #""connected":false"#

    static func http(_ result: String) -> String {
        switch result {
        case "H": healthy
        case "Uh": unhealthy
        default: unknown
        }
    }
}

/// Appends the history probe by probe and returns the reported state after each probe.
func reportedStates(_ events: ScaleSetEvents) throws -> [String] {
    let fixture = try StoreFixture()
    let setup = 2 + events.lines.dropFirst(2).prefix { $0.contains("ApplicationHealthExtensionConfigured") }.count
    try fixture.append(Array(events.lines.prefix(setup)))
    var states: [String] = []
    for line in events.lines.dropFirst(setup) {
        try fixture.append([line])
        guard line.contains("ApplicationHealthProbed") else { continue }
        let health = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s")
        states.append(health.instances[0].state.rawValue)
    }
    return states
}

/// The reported states after each of `results` (H, Uh, U), over http with these settings, 5 s
/// apart, the first `first` seconds after the instance's creation.
func httpStates(_ results: [String], first: Int64 = 5, settings: String = #""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":2"#) throws -> [String] {
    var events = ScaleSetEvents(settings)
    for (index, result) in results.enumerated() { events.probe(Probe.http(result), after: index == 0 ? first : 5) }
    return try reportedStates(events)
}

@Suite("Scale set instance health: the extension's loop")
struct ScaleSetHealthTests {
    @Test("worked case 1 (docs/domain-rules.md): two valid results end the grace period early")
    func workedCaseOne() throws {
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":2"#)
        for (index, result) in ["H", "H", "U", "H", "U", "U"].enumerated() { events.probe(Probe.http(result), after: index == 0 ? 0 : 5) }
        #expect(try reportedStates(events) == ["Initializing", "Healthy", "Healthy", "Healthy", "Healthy", "Unknown"])
    }

    @Test("worked case 2 (docs/domain-rules.md): the grace period expires at 10 s into Unknown")
    func workedCaseTwo() throws {
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":2"#)
        for (index, result) in ["U", "H", "H", "Uh", "Uh", "U", "U"].enumerated() { events.probe(Probe.http(result), after: index == 0 ? 0 : 5) }
        #expect(try reportedStates(events) == ["Initializing", "Initializing", "Unknown", "Unknown", "Unhealthy", "Unhealthy", "Unknown"])
    }

    @Test("grace expiry over http gives Unknown; consecutive Unknowns cannot end Initializing early")
    func httpExpiry() throws {
        let settings = #""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/","intervalInSeconds":5,"numberOfProbes":1,"gracePeriod":15"#
        #expect(try httpStates(["U", "U", "U", "H"], settings: settings) == ["Initializing", "Initializing", "Unknown", "Healthy"])
    }

    @Test("grace expiry over tcp gives Unhealthy; failed handshakes cannot end Initializing early")
    func tcpExpiry() throws {
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"tcp","port":22,"intervalInSeconds":5,"numberOfProbes":2"#)
        for data in [Probe.refused, Probe.refused, Probe.connected, Probe.connected] { events.probe(data, after: 5) }
        #expect(try reportedStates(events) == ["Initializing", "Unhealthy", "Unhealthy", "Healthy"])
    }

    @Test("an early exit needs numberOfProbes consecutive results other than the expiry state")
    func earlyExit() throws {
        let settings = #""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/","intervalInSeconds":5,"numberOfProbes":3,"gracePeriod":60"#
        #expect(try httpStates(["Uh", "Uh", "Uh", "H"], settings: settings) == ["Initializing", "Initializing", "Unhealthy", "Unhealthy"])
        #expect(try httpStates(["H", "Uh", "H", "H", "H"], settings: settings) == ["Initializing", "Initializing", "Initializing", "Initializing", "Healthy"])
    }

    @Test("the count goes back to 0 each time it reaches numberOfProbes, even when the state does not change")
    func countReset() throws {
        // Healthy at the 2nd probe; then Unhealthy, Healthy, Unhealthy, Unhealthy: the run of two commits.
        #expect(try httpStates(["H", "H", "H", "Uh", "Uh", "Uh"], first: 0) == ["Initializing", "Healthy", "Healthy", "Healthy", "Unhealthy", "Unhealthy"])
        // H H commits and counts from 0 again, so a third H counts 1 and changes nothing; a
        // later Uh needs its own run of two.
        #expect(try httpStates(["H", "H", "H", "Uh", "H", "Uh", "Uh"], first: 0) == ["Initializing", "Healthy", "Healthy", "Healthy", "Healthy", "Healthy", "Unhealthy"])
        // Each run of two Healthy results commits again: the state's time is the latest commit's.
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/","intervalInSeconds":5,"numberOfProbes":2"#)
        for index in 0..<5 { events.probe(Probe.healthy, after: index == 0 ? 0 : 5) }
        let fixture = try StoreFixture()
        try fixture.append(events.lines)
        let health = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s")
        #expect(health.instances[0].state == .healthy)
        #expect(health.instances[0].since == ScaleSetEvents.start.adding(seconds: 15), "committed at 5 s and again at 15 s, not at 20 s")
        // A first probe exactly at the end of the grace period expires it: Unknown, not Healthy.
        #expect(try httpStates(["H", "H", "H"], first: 5) == ["Initializing", "Unknown", "Healthy"])
    }

    @Test("rich http signals: 2xx with a valid state; anything else is Unknown", arguments: [
        (#""statusCode":204,"body":"{\"ApplicationHealthState\":\"Healthy\"}""#, ApplicationHealthState.healthy),
        (#""statusCode":200,"body":"{\"applicationhealthstate\":\"Unhealthy\"}""#, .unhealthy),
        (#""statusCode":200,"body":"{\"APPLICATIONHEALTHSTATE\":\"Healthy\"}""#, .healthy),
        (#""statusCode":200,"body":"{\"ApplicationHealthState\":\"healthy\"}""#, .unknown),
        (#""statusCode":503,"body":"{\"ApplicationHealthState\":\"Healthy\"}""#, .unknown),
        (#""statusCode":200,"body":"Healthy""#, .unknown),
        (#""statusCode":200,"body":"{\"state\":\"Healthy\"}""#, .unknown),
        (#""statusCode":200,"body":"[\"Healthy\"]""#, .unknown),
        (#""statusCode":200"#, .unknown),
        (#""timedOut":true"#, .unknown),
        (#""statusCode":302,"body":"{}""#, .unknown),
    ])
    func richSignals(data: String, expected: ApplicationHealthState) throws {
        let probe = try #require(try decode("ApplicationHealthProbed", #""scaleSet":"s","instanceId":"0","# + data).payload as? ApplicationHealthProbed)
        let settings = ExtensionSettings(typeHandlerVersion: .rich, protocol: .http, port: 80, requestPath: "/", intervalInSeconds: 5,
                                         numberOfProbes: 1, gracePeriod: 5, seq: 1, at: ScaleSetEvents.start)
        #expect(settings.signal(of: probe) == expected)
    }

    @Test("the two common bodies, answered without parsing, read as the parser reads them")
    func commonBodies() {
        for (body, expected) in [(ApplicationHealthProbed.healthyBody, ApplicationHealthState.healthy), (ApplicationHealthProbed.unhealthyBody, .unhealthy)] {
            #expect(ApplicationHealthProbed.state(reportedBy: body) == expected)
            // The same object spaced out is not the fast path's text: the parser answers it.
            #expect(ApplicationHealthProbed.state(reportedBy: body.replacingOccurrences(of: ":", with: " : ")) == expected)
        }
    }

    @Test("a valid rich signal ends the grace period at once with numberOfProbes 1; an Unknown one cannot")
    func richSignalThroughTheLoop() throws {
        let settings = #""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/","intervalInSeconds":5,"numberOfProbes":1,"gracePeriod":60"#
        #expect(try httpStates(["Uh"], settings: settings) == ["Unhealthy"])
        #expect(try httpStates(["U", "H"], settings: settings) == ["Initializing", "Healthy"])
    }

    @Test("binary states: http 200 or a tcp handshake is Healthy, anything else Unhealthy, with no grace period", arguments: [
        (#""protocol":"http","port":80,"requestPath":"/""#, #""statusCode":200,"body":"not json""#, "Healthy"),
        (#""protocol":"http","port":80,"requestPath":"/""#, #""statusCode":204"#, "Unhealthy"),
        (#""protocol":"http","port":80,"requestPath":"/""#, #""timedOut":true"#, "Unhealthy"),
        (#""protocol":"https","port":443,"requestPath":"/""#, #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Unhealthy\"}""#, "Healthy"),
        (#""protocol":"tcp","port":22"#, #""connected":true"#, "Healthy"),
        (#""protocol":"tcp","port":22"#, #""connected":false"#, "Unhealthy"),
    ])
    func binary(settings: String, data: String, expected: String) throws {
        var events = ScaleSetEvents(#""typeHandlerVersion":"1.0","# + settings)
        events.probe(data, after: 5)
        #expect(try reportedStates(events) == [expected])
    }

    @Test("before its first probe a rich instance reports Initializing, a binary one Unknown")
    func beforeFirstProbe() throws {
        for (version, expected) in [("2.0", ApplicationHealthState.initializing), ("1.0", .unknown)] {
            let fixture = try StoreFixture()
            try fixture.append(ScaleSetEvents(#""typeHandlerVersion":"\#(version)","protocol":"tcp","port":22"#).lines)
            let health = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s")
            #expect(health.instances.map(\.state) == [expected])
            #expect(health.instances[0].since == ScaleSetEvents.start)
        }
    }

    @Test("a settings change restarts the extension on running instances: Initializing again, grace from the change")
    func settingsChange() throws {
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/","intervalInSeconds":5,"numberOfProbes":1,"gracePeriod":60"#)
        events.probe(Probe.healthy, after: 5)
        events.probe(Probe.unknown, after: 5)
        events.configure(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/","intervalInSeconds":5,"numberOfProbes":2"#, after: 1)
        events.probe(Probe.healthy, after: 4)
        events.probe(Probe.healthy, after: 5)
        events.probe(Probe.unhealthy, after: 5)
        #expect(try reportedStates(events) == ["Healthy", "Unknown", "Initializing", "Healthy", "Healthy"])
        let fixture = try StoreFixture()
        try fixture.append(Array(events.lines.prefix(5)))
        let restarted = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s")
        #expect(restarted.instances[0].state == .initializing, "a restarted instance not yet probed reports Initializing")
    }

    @Test("orchestration reads each state as Azure's table says (docs/domain-rules.md)")
    func orchestration() {
        #expect(ApplicationHealthState.allCases.map { "\($0.rawValue):\($0.rollingUpgrade):\($0.instanceRepair)" }
            == ["Initializing:Waiting:false", "Healthy:Healthy:false", "Unhealthy:Unhealthy:true", "Unknown:Unhealthy:true"])
    }
}

@Suite("Scale set health source")
struct ScaleSetHealthSourceTests {
    static let probe = [
        eventLine("HealthProbeConfigured", #""loadBalancer":"lb","probe":"p","protocol":"Tcp","port":80"#, at: "2024-04-15T02:00:00Z"),
        eventLine("LoadBalancingRuleConfigured", #""loadBalancer":"lb","rule":"web","backendPool":"pool","probe":"p""#, at: "2024-04-15T02:00:01Z"),
    ]

    @Test("one source per scale set: a probe source while the extension is configured is refused, and the reverse")
    func oneSource() throws {
        let fixture = try StoreFixture()
        try fixture.append(Self.probe + [eventLine("ApplicationHealthExtensionConfigured", #""scaleSet":"s","typeHandlerVersion":"2.0","protocol":"tcp","port":22"#, at: "2024-04-15T02:00:02Z")])
        let refused = try #require(throws: AppendError.self) {
            try fixture.append([eventLine("ScaleSetHealthProbeConfigured", #""scaleSet":"s","loadBalancer":"lb","probe":"p""#, at: "2024-04-15T02:00:03Z")])
        }
        #expect(refused.description.contains("Azure allows one health source per scale set, the Application Health extension or a load balancer probe, not both"))
        try fixture.append([
            eventLine("ScaleSetHealthSourceRemoved", #""scaleSet":"s""#, at: "2024-04-15T02:00:04Z"),
            eventLine("ScaleSetHealthProbeConfigured", #""scaleSet":"s","loadBalancer":"lb","probe":"p""#, at: "2024-04-15T02:00:05Z"),
        ])
        #expect(throws: AppendError.self) {
            try fixture.append([eventLine("ApplicationHealthExtensionConfigured", #""scaleSet":"s","typeHandlerVersion":"2.0","protocol":"tcp","port":22"#, at: "2024-04-15T02:00:06Z")])
        }
        let view = try fixture.store.projections(asOf: nil)
        #expect(throws: ScaleSetQueryError.healthFromProbe(scaleSet: "s", loadBalancer: "lb", probe: "p", rule: "web")) {
            try ScaleSetQueries.health(in: view, scaleSet: "s")
        }
    }

    @Test("re-sending the extension's settings changes them; it is not a second source")
    func resend() throws {
        let fixture = try StoreFixture()
        let settings = #""scaleSet":"s","typeHandlerVersion":"2.0","protocol":"tcp","port":22"#
        try fixture.append([
            eventLine("ApplicationHealthExtensionConfigured", settings, at: "2024-04-15T02:00:00Z"),
            eventLine("ApplicationHealthExtensionConfigured", settings.replacingAll("22", with: "2222"), at: "2024-04-15T02:00:01Z"),
        ])
        let health = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s")
        #expect(health.settings?.port == 2222)
    }

    @Test("a probe source must name a probe the load balancer has; a probe result needs the extension")
    func refusals() throws {
        let fixture = try StoreFixture()
        try fixture.append([eventLine("LoadBalancerConfigured", #""loadBalancer":"lb""#, at: "2024-04-15T00:00:00Z")])
        let unknownProbe = try #require(throws: AppendError.self) {
            try fixture.append([eventLine("ScaleSetHealthProbeConfigured", #""scaleSet":"s","loadBalancer":"lb","probe":"p""#)])
        }
        #expect(unknownProbe.description.contains(#"field "data.probe" is "p", which load balancer lb does not have"#))
        let noExtension = try #require(throws: AppendError.self) {
            try fixture.append([eventLine("ApplicationHealthProbed", #""scaleSet":"s","instanceId":"0","connected":true"#)])
        }
        #expect(noExtension.description.contains("scale set s has no Application Health extension (ApplicationHealthExtensionConfigured has not configured it)"))
        #expect(try fixture.store.eventCount() == 1, "only the load balancer, appended first")
    }

    @Test("a deleted instance leaves the scale set's health; created again, its extension starts over; one first seen by a probe counts as created then")
    func lifecycle() throws {
        let settings = #""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":1,"gracePeriod":60"#
        func at(_ seconds: Int64) -> String { ScaleSetEvents.start.adding(seconds: seconds).rfc3339 }
        func instance(_ id: String) -> String { #""scaleSet":"s","instanceId":"\#(id)""# }
        let fixture = try StoreFixture()
        try fixture.append([
            eventLine("ApplicationHealthExtensionConfigured", #""scaleSet":"s","# + settings, at: at(-60)),
            eventLine("ScaleSetInstanceCreated", instance("0"), at: at(0)),
            eventLine("ApplicationHealthProbed", instance("0") + "," + Probe.healthy, at: at(5)),
            // Instance 1's creation is not in the log: its first probe stands for it.
            eventLine("ApplicationHealthProbed", instance("1") + "," + Probe.healthy, at: at(10)),
        ])
        var health = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s").instances
        #expect(health.map(\.instanceId) == ["0", "1"])
        #expect(health.map(\.state) == [.healthy, .healthy])
        #expect(health[1].since == ScaleSetEvents.start.adding(seconds: 10))

        try fixture.append([eventLine("ScaleSetInstanceDeleted", instance("0"), at: at(15))])
        health = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s").instances
        #expect(health.map(\.instanceId) == ["1"])

        try fixture.append([eventLine("ScaleSetInstanceCreated", instance("0"), at: at(20))])
        health = try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s").instances
        #expect(health.map(\.instanceId) == ["0", "1"])
        #expect(health[0].state == .initializing, "the extension starts again with the new instance")
        #expect(health[0].since == ScaleSetEvents.start.adding(seconds: 20))
        // The same states as a rebuild folds them.
        try fixture.store.rebuild()
        #expect(try ScaleSetQueries.health(in: try fixture.store.projections(asOf: nil), scaleSet: "s").instances == health)
    }

    @Test("as of every probe time, the instance's state equals a store holding only the events up to then")
    func asOf() throws {
        var events = ScaleSetEvents(#""typeHandlerVersion":"2.0","protocol":"http","port":80,"requestPath":"/","intervalInSeconds":5,"numberOfProbes":2"#)
        for result in ["U", "H", "H", "Uh", "Uh", "U", "U"] { events.probe(Probe.http(result), after: 5) }
        events.configure(#""typeHandlerVersion":"1.0","protocol":"http","port":80,"requestPath":"/""#, after: 1)
        events.probe(Probe.healthy, after: 4)
        let full = try StoreFixture()
        try full.append(events.lines)
        for second in stride(from: Int64(0), through: events.second, by: 1) {
            let time = ScaleSetEvents.start.adding(seconds: second)
            let partial = try StoreFixture()
            try partial.append(events.lines.filter { try! decode($0).at <= time })
            let expected = try ScaleSetQueries.health(in: try partial.store.projections(asOf: nil), scaleSet: "s")
            #expect(try ScaleSetQueries.health(in: try full.store.projections(asOf: time), scaleSet: "s") == expected)
        }
    }
}
