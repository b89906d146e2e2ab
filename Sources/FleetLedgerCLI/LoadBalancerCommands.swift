import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct LoadBalancerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lb",
        abstract: "Load balancers: backend health per load-balancing rule, and what the store knows of them.",
        subcommands: [LoadBalancerHealthCommand.self, LoadBalancerListCommand.self]
    )
}

struct LoadBalancerHealthCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Show the health of every backend of one load-balancing rule, with Azure's reason codes.",
        discussion: """
            json is exactly Azure's LoadBalancerHealthPerRule (up, down, loadBalancerBackendAddresses); \
            table reads like the portal's health status window; csv has one row per backend. A powered-off \
            backend has empty state and reason, as in Azure. A rule with no probe, and a Gateway load \
            balancer, have no health status: that is an error, exit 1.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(name: .customLong("lb"), help: ArgumentHelp("The load balancer.", valueName: "name"), completion: .names(.loadBalancer))
    var loadBalancer: String

    @Option(help: ArgumentHelp("The load-balancing rule.", valueName: "name"), completion: .names(.rule))
    var rule: String

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.loadBalancerHealthReport(loadBalancer: loadBalancer, rule: rule, asOf: time.asOf, staleAfter: stale.staleAfter,
                                                               format: format.report))
    }
}

struct LoadBalancerListCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List load balancers with their rules, probes, backend pools and up/down counts."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.loadBalancerListReport(asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report))
    }
}
