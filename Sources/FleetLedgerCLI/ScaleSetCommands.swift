import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct ScaleSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmss",
        abstract: "Scale sets: instance health from the Application Health extension.",
        subcommands: [ScaleSetHealthCommand.self, ScaleSetListCommand.self]
    )
}

struct ScaleSetHealthCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Show each instance's health state, what a rolling upgrade makes of it, and whether instance repair acts.",
        discussion: """
            json is an array of {instanceId, healthState, rollingUpgrade, instanceRepair, vmHealth}, vmHealth \
            in Azure's instance-view shape. A scale set whose health source is a load balancer probe has no \
            extension state: the error says which rule to ask with lb health.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(help: ArgumentHelp("The scale set.", valueName: "name"), completion: .names(.scaleSet))
    var scaleSet: String

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.scaleSetHealthReport(scaleSet: scaleSet, asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report))
    }
}

struct ScaleSetListCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List scale sets with their health source and instances by health state."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.scaleSetListReport(asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report))
    }
}
