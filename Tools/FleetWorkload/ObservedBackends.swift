import FleetEvents

/// Load balancer backends as the collector stores them: Azure's health of each backend on its
/// rule, one `BackendHealthObserved` only when it changed, over a number of days; the timeline
/// benchmark's month of changes.
///
/// Each minute a backend that is up goes down with a small chance, and one that is down comes back
/// with a ten times larger one (a fleet down a tenth of the time), so that the whole comes to about
/// `events` events; one in a hundred downs is a powered-off VM (no state, no reason). The same
/// size and seed give the same bytes.
public struct ObservedBackends: Sendable {
    public var events: Int
    public var seed: UInt64
    public var days: Int
    public var loadBalancers = 20
    public var backendsPerLoadBalancer = 100
    public var start = "2024-04-01T00:00:00Z"

    public init(events: Int, days: Int, seed: UInt64 = 1) {
        self.events = events
        self.days = days
        self.seed = seed
    }

    static let downReasons = ["Down_Probe_HttpStatusCodeError", "Down_Probe_TcpProbeTimeout", "Down_Probe_HttpEndpointUnreachable"]

    /// Calls `emit` with each NDJSON line, in time order, at most `events` times.
    public func generate(_ emit: (String) -> Void) {
        var random = SplitMix64(seed: seed)
        var emitted = 0
        var minute = Timestamp(rfc3339: start)!.nanoseconds / 60_000_000_000
        func add(_ type: String, _ data: String) {
            guard emitted < events else { return }
            emitted += 1
            let at = Timestamp(nanoseconds: minute * 60_000_000_000).rfc3339
            emit(#"{"type":"\#(type)","at":"\#(at)","id":"\#(Generator.uuid(random.next(), random.next()))","data":{\#(data)}}"#)
        }
        func address(_ lb: Int, _ backend: Int) -> String {
            #""loadBalancer":"lb-\#(lb)","backendPool":"pool","ipAddress":"\#(Generator.ip(lb, backend))""#
        }
        for lb in 0..<loadBalancers {
            add("LoadBalancerConfigured", #""loadBalancer":"lb-\#(lb)","kind":"Regional""#)
            add("LoadBalancingRuleConfigured", #""loadBalancer":"lb-\#(lb)","rule":"rule-http","backendPool":"pool""#)
            for backend in 0..<backendsPerLoadBalancer {
                add("BackendAddressAdded", address(lb, backend))
                add("BackendHealthObserved", address(lb, backend) + #","rule":"rule-http","state":"Up","reason":"Up_Probe_Success""#)
            }
        }
        let backends = loadBalancers * backendsPerLoadBalancer
        let minutes = days * 1_440
        // Changes per backend and minute wanted; a down-up pair's rate is about 1.8 times the chance of going down.
        let rate = Double(max(0, events - emitted)) / Double(max(1, backends * minutes))
        let goDown = min(0.09, rate / 1.82), comeBack = min(0.9, goDown * 10)
        var down = Array(repeating: false, count: backends)
        for _ in 0..<minutes where emitted < events {
            minute += 1
            for index in 0..<backends {
                let draw = Double(random.next() >> 11) / Double(1 << 53)
                let (lb, backend) = index.quotientAndRemainder(dividingBy: backendsPerLoadBalancer)
                if down[index], draw < comeBack {
                    down[index] = false
                    add("BackendHealthObserved", address(lb, backend) + #","rule":"rule-http","state":"Up","reason":"Up_Probe_Success""#)
                } else if !down[index], draw < goDown {
                    down[index] = true
                    let pick = Int(random.next() % 100)
                    let health = pick == 0 ? "" : #","state":"Down","reason":"\#(Self.downReasons[pick % 3])""#
                    add("BackendHealthObserved", address(lb, backend) + #","rule":"rule-http""# + health)
                }
            }
        }
    }
}
