import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Drop every read model and rebuild it from the log.",
        discussion: "Runs in one transaction: readers see the old read models until it commits."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var durability: DurabilityOption

    func run() throws {
        let summary = try store.openStore(durability: durability.level).rebuild()
        Console.current.line("rebuilt \(summary.readModels) read models (\(summary.entities) entities) from \(summary.events) events.")
    }
}
