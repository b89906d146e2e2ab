import FleetDomains
import FleetEvents

/// A realistic fleet's event stream, in the ingest contract (docs/events.md), of a chosen size and seed.
///
/// The fleet: load balancers whose backends are probed every 5 seconds, host pools whose session
/// hosts heartbeat every 30 seconds and report six health checks every minute (with users coming
/// and going, drains, restarts and agent upgrades), and scale sets whose instances the Application
/// Health extension probes every 5 seconds. Failures come in streaks, so probes cross thresholds.
/// The same size and seed give the same events, byte for byte.
public struct FleetWorkload: Sendable {
    /// How big the fleet is.
    public struct Shape: Sendable {
        public var loadBalancers = 20
        public var backendsPerLoadBalancer = 100
        public var hostPools = 10
        public var hostsPerPool = 30
        public var scaleSets = 10
        public var instancesPerScaleSet = 30

        public init() {}
    }

    public var events: Int
    public var seed: UInt64
    public var shape: Shape
    /// When the fleet's history starts.
    public var start = "2024-04-15T00:00:00Z"

    public init(events: Int, seed: UInt64 = 1, shape: Shape = Shape()) {
        self.events = events
        self.seed = seed
        self.shape = shape
    }

    /// Seconds between two probe rounds.
    public static let tickSeconds = 5

    /// Calls `emit` with each NDJSON line and the stream the contract assigns it, in time order,
    /// exactly `events` times.
    public func generate(_ emit: @escaping (_ line: String, _ stream: String) -> Void) {
        var state = Generator(workload: self, emit: emit)
        state.run()
    }
}

struct Generator {
    let workload: FleetWorkload
    let emit: (String, String) -> Void
    var random: SplitMix64
    var emitted = 0
    var clockSeconds: Int64
    /// Per backend: the remaining length of its current failure streak.
    var failing: [Int] = []
    var instanceFailing: [Int] = []
    var sessions: [[Int]] = []

    init(workload: FleetWorkload, emit: @escaping (String, String) -> Void) {
        self.workload = workload
        self.emit = emit
        random = SplitMix64(seed: workload.seed)
        clockSeconds = Timestamp(rfc3339: workload.start)!.nanoseconds / 1_000_000_000
    }

    var done: Bool { emitted >= workload.events }

    mutating func run() {
        let shape = workload.shape
        setUp(shape)
        failing = Array(repeating: 0, count: shape.loadBalancers * shape.backendsPerLoadBalancer)
        instanceFailing = Array(repeating: 0, count: shape.scaleSets * shape.instancesPerScaleSet)
        sessions = Array(repeating: [], count: shape.hostPools * shape.hostsPerPool)
        var tick = 0
        while !done {
            tick += 1
            clockSeconds += Int64(FleetWorkload.tickSeconds)
            probeBackends(shape)
            probeInstances(shape)
            if tick % 6 == 0 { heartbeats(shape) }
            if tick % 12 == 0 { healthChecks(shape) }
            userActivity(shape)
        }
    }

    // MARK: The fleet's configuration

    mutating func setUp(_ shape: FleetWorkload.Shape) {
        for lb in 0..<shape.loadBalancers {
            let name = "lb-\(lb)"
            add("LoadBalancerConfigured", #""loadBalancer":"\#(name)","kind":"Regional""#, stream: StreamKind.loadBalancer.key(name).rawValue)
            add("HealthProbeConfigured", #""loadBalancer":"\#(name)","probe":"http-80","protocol":"Http","port":80,"requestPath":"/healthz","intervalInSeconds":5,"probeThreshold":2"#, stream: StreamKind.loadBalancer.key(name).rawValue)
            add("LoadBalancingRuleConfigured", #""loadBalancer":"\#(name)","rule":"rule-http","backendPool":"pool","probe":"http-80""#, stream: StreamKind.loadBalancer.key(name).rawValue)
            for backend in 0..<shape.backendsPerLoadBalancer {
                let ip = Self.ip(lb, backend)
                let nic = "/subscriptions/subid/resourceGroups/rg-\(name)/providers/Microsoft.Network/networkInterfaces/nic-\(backend)/ipConfigurations/ipconfig1"
                add("BackendAddressAdded", #""loadBalancer":"\#(name)","backendPool":"pool","ipAddress":"\#(ip)","networkInterfaceIPConfigurationId":"\#(nic)""#, stream: StreamKind.backendAddress.key(name, "pool", ip).rawValue)
            }
        }
        for pool in 0..<shape.hostPools {
            let name = "hp-\(pool)"
            add("HostPoolConfigured", #""hostPool":"\#(name)","loadBalancerType":"\#(pool % 2 == 0 ? "BreadthFirst" : "DepthFirst")","maxSessionLimit":12"#, stream: StreamKind.hostPool.key(name).rawValue)
            for host in 0..<shape.hostsPerPool {
                add("SessionHostRegistered", #""hostPool":"\#(name)","sessionHost":"sh-\#(pool)-\#(host)","agentVersion":"1.0.8431.2300""#, stream: StreamKind.sessionHost.key(name, "sh-\(pool)-\(host)").rawValue)
            }
        }
        for set in 0..<shape.scaleSets {
            let name = "vmss-\(set)"
            add("ApplicationHealthExtensionConfigured", #""scaleSet":"\#(name)","typeHandlerVersion":"2.0","protocol":"http","port":8080,"requestPath":"/health","intervalInSeconds":5,"numberOfProbes":2"#, stream: StreamKind.scaleSet.key(name).rawValue)
            for instance in 0..<shape.instancesPerScaleSet {
                add("ScaleSetInstanceCreated", #""scaleSet":"\#(name)","instanceId":"\#(instance)""#, stream: StreamKind.scaleSetInstance.key(name, "\(instance)").rawValue)
            }
        }
    }

    // MARK: What happens every round

    mutating func probeBackends(_ shape: FleetWorkload.Shape) {
        for lb in 0..<shape.loadBalancers {
            for backend in 0..<shape.backendsPerLoadBalancer where !done {
                let index = lb * shape.backendsPerLoadBalancer + backend
                if failing[index] == 0, random.next() % 400 == 0 { failing[index] = Int(random.next() % 6) + 1 }
                let outcome: String
                if failing[index] > 0 {
                    failing[index] -= 1
                    outcome = [#""outcome":"HttpStatusCode","statusCode":503"#, #""outcome":"TcpTimeout""#, #""outcome":"HttpNoResponse""#][Int(random.next() % 3)]
                } else {
                    outcome = #""outcome":"Success""#
                }
                let ip = Self.ip(lb, backend)
                let latency = Double(random.next() % 4000) / 100
                add("ProbeResultRecorded", #""loadBalancer":"lb-\#(lb)","probe":"http-80","ipAddress":"\#(ip)",\#(outcome),"latencyMs":\#(latency)"#, stream: StreamKind.loadBalancerAddress.key("lb-\(lb)", ip).rawValue)
            }
        }
    }

    mutating func probeInstances(_ shape: FleetWorkload.Shape) {
        for set in 0..<shape.scaleSets {
            for instance in 0..<shape.instancesPerScaleSet where !done {
                let index = set * shape.instancesPerScaleSet + instance
                if instanceFailing[index] == 0, random.next() % 300 == 0 { instanceFailing[index] = Int(random.next() % 5) + 1 }
                let result: String
                if instanceFailing[index] > 0 {
                    instanceFailing[index] -= 1
                    result = random.next() % 2 == 0 ? #""timedOut":true"# : #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Unhealthy\"}""#
                } else {
                    result = #""statusCode":200,"body":"{\"ApplicationHealthState\":\"Healthy\"}""#
                }
                add("ApplicationHealthProbed", #""scaleSet":"vmss-\#(set)","instanceId":"\#(instance)",\#(result)"#, stream: StreamKind.scaleSetInstance.key("vmss-\(set)", "\(instance)").rawValue)
            }
        }
    }

    mutating func heartbeats(_ shape: FleetWorkload.Shape) {
        forEachHost(shape) { generator, pool, host, _ in
            generator.add("AgentHeartbeatReceived", Self.host(pool, host), stream: Self.stream(pool, host))
        }
    }

    static let checks = ["DomainJoinedCheck", "DomainTrustCheck", "SxSStackListenerCheck", "MonitoringAgentCheck", "MetaDataServiceCheck", "UrlsAccessibleCheck"]

    mutating func healthChecks(_ shape: FleetWorkload.Shape) {
        forEachHost(shape) { generator, pool, host, _ in
            for check in Self.checks where !generator.done {
                let failed = generator.random.next() % 150 == 0
                let result = failed
                    ? #""healthCheckResult":"HealthCheckFailed","errorCode":-2147467259,"message":"The check did not pass""#
                    : #""healthCheckResult":"HealthCheckSucceeded""#
                generator.add("HealthCheckCompleted", Self.host(pool, host) + #","healthCheckName":"\#(check)",\#(result)"#, stream: Self.stream(pool, host))
            }
        }
    }

    /// Users sign in and out; now and then a host is drained, restarted or has its agent upgraded.
    mutating func userActivity(_ shape: FleetWorkload.Shape) {
        let hosts = shape.hostPools * shape.hostsPerPool
        guard hosts > 0 else { return }
        for _ in 0..<max(1, hosts / 15) where !done {
            let index = Int(random.next() % UInt64(hosts))
            let pool = index / shape.hostsPerPool, host = index % shape.hostsPerPool
            let data = Self.host(pool, host), stream = Self.stream(pool, host)
            switch random.next() % 100 {
            case 0..<55:
                let user = Int(random.next() % 5000)
                if !sessions[index].contains(user) {
                    sessions[index].append(user)
                    add("UserSessionStarted", data + #","user":"user\#(user)@contoso.com""#, stream: stream)
                }
            case 55..<95:
                if let user = sessions[index].popLast() {
                    add("UserSessionEnded", data + #","user":"user\#(user)@contoso.com""#, stream: stream)
                }
            case 95, 96:
                add("DrainModeChanged", data + #","allowNewSession":\#(random.next() % 2 == 0)"#, stream: stream)
            case 97:
                sessions[index] = []
                add("PowerStateChanged", data + #","powerState":"Deallocated","reportedByAgent":true"#, stream: stream)
                if !done { add("PowerStateChanged", data + #","powerState":"Running""#, stream: stream) }
            default:
                add("AgentUpgradeStarted", data + #","targetVersion":"1.0.8500.1""#, stream: stream)
                if !done { add("AgentUpgradeCompleted", data + #","agentVersion":"1.0.8500.1""#, stream: stream) }
            }
        }
    }

    mutating func forEachHost(_ shape: FleetWorkload.Shape, _ body: (inout Generator, Int, Int, Int) -> Void) {
        for pool in 0..<shape.hostPools {
            for host in 0..<shape.hostsPerPool where !done {
                body(&self, pool, host, pool * shape.hostsPerPool + host)
            }
        }
    }

    // MARK: Writing events

    mutating func add(_ type: String, _ data: String, stream: String) {
        guard !done else { return }
        emitted += 1
        let id = Self.uuid(random.next(), random.next())
        let at = Timestamp(nanoseconds: clockSeconds * 1_000_000_000).rfc3339
        emit(#"{"type":"\#(type)","at":"\#(at)","id":"\#(id)","data":{\#(data)}}"#, stream)
    }

    static func host(_ pool: Int, _ host: Int) -> String { #""hostPool":"hp-\#(pool)","sessionHost":"sh-\#(pool)-\#(host)""# }
    static func stream(_ pool: Int, _ host: Int) -> String { StreamKind.sessionHost.key("hp-\(pool)", "sh-\(pool)-\(host)").rawValue }
    static func ip(_ lb: Int, _ backend: Int) -> String { "10.\(lb / 250).\(lb % 250).\(backend + 4)" }

    /// A random (version 4) UUID from 128 bits of the seeded generator, as real producers send.
    static func uuid(_ high: UInt64, _ low: UInt64) -> String {
        func hex(_ value: UInt64, _ width: Int) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let version = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000
        let variant = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return "\(hex(version >> 32, 8))-\(hex((version >> 16) & 0xFFFF, 4))-\(hex(version & 0xFFFF, 4))-"
            + "\(hex(variant >> 48, 4))-\(hex(variant & 0xFFFF_FFFF_FFFF, 12))"
    }

}

/// A small seeded generator (SplitMix64), so a workload is the same on every machine.
public struct SplitMix64: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
