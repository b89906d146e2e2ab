import FleetTestSupport
import Testing

/// A selector that names nothing the store holds is refused with the closest known names, exit 1,
/// never answered with an empty list (the demo's fleet: pool hp-finance, load balancer lb-web with
/// rules rule-api and rule-http, scale set vmss-api).
@Suite("Unknown names are refused with the closest known ones")
struct UnknownNameTests {
    static let directory = TemporaryDirectory()
    static let db: String = {
        let path = directory.path("demo.sqlite")
        _ = fleetledger("demo", "--db", path)
        return path
    }()
    static let window = ["--since", "2024-04-15T00:00:00Z", "--until", "2024-04-16T00:00:00Z"]

    @Test("each command's selector", arguments: [
        (["hosts", "--pool", "hp-finanse"], "there is no host pool hp-finanse in the store; did you mean hp-finance?"),
        (["route", "--pool", "hp-finanse"], "there is no host pool hp-finanse in the store; did you mean hp-finance?"),
        (["update", "status", "--pool", "hp-finanse"], "there is no host pool hp-finanse in the store; did you mean hp-finance?"),
        (["host", "sh-finance-11", "--pool", "hp-finance"], "there is no session host sh-finance-11 in host pool hp-finance; did you mean sh-finance-1?"),
        (["history", "--pool", "hp-finanse", "--update"], "there is no host pool hp-finanse in the store; did you mean hp-finance?"),
        (["history", "--pool", "hp-finance", "--host", "sh-finance-11"], "there is no session host sh-finance-11 in host pool hp-finance; did you mean sh-finance-1?"),
        (["report", "availability", "--pool", "hp-finanse"] + window, "there is no host pool hp-finanse in the store; did you mean hp-finance?"),
        (["lb", "health", "--lb", "lb-wbe", "--rule", "rule-http"], "there is no load balancer lb-wbe in the store; did you mean lb-web?"),
        (["lb", "health", "--lb", "lb-web", "--rule", "rule-htp"], "load balancer lb-web has no load-balancing rule rule-htp; did you mean rule-http?"),
        (["report", "availability", "--lb", "lb-web", "--rule", "rule-htp"] + window, "load balancer lb-web has no load-balancing rule rule-htp; did you mean rule-http?"),
        (["report", "availability", "--lb", "lb-wbe"] + window, "there is no load balancer lb-wbe in the store; did you mean lb-web?"),
        (["history", "--lb", "lb-web", "--ip", "10.0.2.44"], "there is no backend address 10.0.2.44 in load balancer lb-web; did you mean 10.0.2.4?"),
        (["vmss", "health", "--scale-set", "vmss-ap"], "there is no scale set vmss-ap in the store; did you mean vmss-api?"),
        (["report", "availability", "--scale-set", "vmss-ap"] + window, "there is no scale set vmss-ap in the store; did you mean vmss-api?"),
        (["history", "--scale-set", "vmss-api", "--instance", "9"], "there is no instance 9 in scale set vmss-api; did you mean 0, 1 or 2?"),
    ])
    func refused(command: [String], sentence: String) {
        let result = fleetledger(command + ["--db", Self.db])
        #expect(result.exitCode == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Error: \(sentence)\n")
    }

    @Test("a name the store did not hold yet at --as-of says so, naming the time", arguments: [
        (["lb", "health", "--lb", "lb-web", "--rule", "rule-http"], "there is no load balancer lb-web in the store as of 2024-04-15T03:00:00Z; it holds none."),
        (["vmss", "health", "--scale-set", "vmss-api"], "there is no scale set vmss-api in the store as of 2024-04-15T03:00:00Z; it holds none."),
        (["update", "status", "--pool", "hp-finance"], "there is no host pool hp-finance in the store as of 2024-04-15T03:00:00Z; it holds none."),
        (["hosts", "--pool", "hp-finance"], "there is no host pool hp-finance in the store as of 2024-04-15T03:00:00Z; it holds none."),
    ])
    func refusedAsOf(command: [String], sentence: String) {
        refused(command: command + ["--as-of", "2024-04-15T03:00:00Z"], sentence: sentence)
    }
}
