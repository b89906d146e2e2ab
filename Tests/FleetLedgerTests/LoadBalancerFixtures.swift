@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import Testing

/// Builds a load balancer's history for tests: load balancer "lb", one second per event.
struct LoadBalancerEvents {
    var name = "lb"
    private(set) var lines: [String] = []
    private(set) var second: Int64 = 0
    static let start = Timestamp(rfc3339: "2024-04-15T03:00:00Z")!

    var now: Timestamp { Self.start.adding(seconds: second) }

    mutating func add(_ type: String, _ fields: String) {
        second += 1
        lines.append(eventLine(type, #""loadBalancer":"\#(name)","# + fields, at: now.rfc3339))
    }

    /// A load balancer with probe "p" and rule "web" over pool "pool".
    mutating func configure(kind: String = "Regional", protocol: String = "Tcp", threshold: Int = 1,
                            behavior: String = "AllProbedDown", probed: Bool = true) {
        second += 1
        lines.append(eventLine("LoadBalancerConfigured", #""loadBalancer":"\#(name)","kind":"\#(kind)""#, at: now.rfc3339))
        probe(protocol: `protocol`, threshold: threshold, behavior: behavior)
        add("LoadBalancingRuleConfigured", #""rule":"web","backendPool":"pool""# + (probed ? #","probe":"p""# : ""))
    }

    mutating func probe(protocol: String = "Tcp", threshold: Int, behavior: String = "AllProbedDown") {
        let path = `protocol` == "Tcp" ? "" : #","requestPath":"/health""#
        add("HealthProbeConfigured", #""probe":"p","protocol":"\#(`protocol`)","port":80,"probeThreshold":\#(threshold),"noHealthyBackendsBehavior":"\#(behavior)""# + path)
    }

    mutating func address(_ ip: String, interface: Bool = true, regional: String? = nil) {
        let nic = interface ? #","networkInterfaceIPConfigurationId":"/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/nic-\#(ip)/ipConfigurations/ipconfig1""# : ""
        add("BackendAddressAdded", #""backendPool":"pool","ipAddress":"\#(ip)""# + nic + (regional.map { #","regionalLoadBalancer":"\#($0)""# } ?? ""))
    }

    mutating func result(_ ip: String, _ outcome: String) {
        add("ProbeResultRecorded", #""probe":"p","ipAddress":"\#(ip)","outcome":"\#(outcome)""# + (outcome == "HttpStatusCode" ? #","statusCode":503"# : ""))
    }

    mutating func results(_ ip: String, _ outcomes: String...) { for outcome in outcomes { result(ip, outcome) } }

    mutating func admin(_ ip: String, _ state: String) {
        add("BackendAdminStateChanged", #""backendPool":"pool","ipAddress":"\#(ip)","adminState":"\#(state)""#)
    }

    mutating func power(_ ip: String, on: Bool) {
        add("BackendPowerStateChanged", #""backendPool":"pool","ipAddress":"\#(ip)","poweredOn":\#(on)"#)
    }

    mutating func platform(_ ip: String, _ state: String) {
        add("PlatformHealthReported", #""ipAddress":"\#(ip)","state":"\#(state)""#)
    }
}

/// A rule's health as "ip state reason" lines, checking on the way that the counts equal the
/// states listed.
func ruleHealth(_ store: EventStore, loadBalancer: String = "lb", rule: String = "web", asOf: Timestamp? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    let health = try LoadBalancerQueries.ruleHealth(in: try store.projections(asOf: asOf), loadBalancer: loadBalancer, rule: rule)
    #expect(health.up == health.addresses.filter { $0.state == .up }.count, sourceLocation: sourceLocation)
    #expect(health.down == health.addresses.filter { $0.state == .down }.count, sourceLocation: sourceLocation)
    return health.addresses.map { "\($0.ipAddress) \($0.state.rawValue) \($0.reason?.rawValue ?? "")" }
}

/// Appends `events` to a fresh store and returns the rule's health.
func ruleHealth(after events: LoadBalancerEvents, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    let fixture = try StoreFixture()
    try fixture.append(events.lines)
    return try ruleHealth(fixture.store, sourceLocation: sourceLocation)
}

/// A store that takes a load balancer's events a few at a time, to read the health after each step.
final class LoadBalancerTrace {
    let fixture: StoreFixture
    var events = LoadBalancerEvents()
    private var appended = 0

    init(_ setUp: (inout LoadBalancerEvents) -> Void) throws {
        fixture = try StoreFixture()
        setUp(&events)
        try flush()
    }

    /// Appends what `change` adds, then returns the rule's health.
    @discardableResult
    func step(_ change: (inout LoadBalancerEvents) -> Void, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        change(&events)
        try flush()
        return try ruleHealth(fixture.store, sourceLocation: sourceLocation)
    }

    private func flush() throws {
        try fixture.append(Array(events.lines[appended...]))
        appended = events.lines.count
    }
}
