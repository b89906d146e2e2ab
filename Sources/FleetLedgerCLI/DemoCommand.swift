import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a built-in fleet scenario into the store, then print its state.",
        discussion: """
            The scenario goes through the same append path as real input. Its events carry fixed \
            ids, so running the demo again appends nothing twice.
            """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let console = Console.current
        let store = try store.openStore()
        let summary = try store.append(from: [.bytes(name: "demo scenario", DemoScenario.ndjson)])
        console.line("demo: \(summary.sentence) into \(self.store.resolvedPath)")
        console.line()
        console.line("Session hosts (fleetledger hosts):")
        console.write(try store.hostsReport(pool: nil, status: nil, asOf: nil, format: .table))
        for pool in DemoScenario.hostPools {
            console.line()
            console.line("Next user session in \(pool) (fleetledger route --pool \(pool)):")
            console.write(try store.routeReport(pool: pool, asOf: nil, format: .table).report)
        }
        for pool in DemoScenario.hostPools {
            console.line()
            console.line("Session host update of \(pool) (fleetledger update status --pool \(pool)):")
            console.write(try store.updateStatusReport(pool: pool, asOf: nil, format: .table))
        }
        for (loadBalancer, rule) in DemoScenario.loadBalancingRules {
            console.line()
            console.line("Backend health of rule \(rule) (fleetledger lb health --lb \(loadBalancer) --rule \(rule)):")
            console.write(try store.loadBalancerHealthReport(loadBalancer: loadBalancer, rule: rule, asOf: nil, format: .table))
        }
        for scaleSet in DemoScenario.scaleSets {
            console.line()
            console.line("Instance health of scale set \(scaleSet) (fleetledger vmss health --scale-set \(scaleSet)):")
            console.write(try store.scaleSetHealthReport(scaleSet: scaleSet, asOf: nil, format: .table))
        }
        console.line()
        console.line("The log holds \(try store.eventCount()) events; see them with: fleetledger events --format table")
    }
}
