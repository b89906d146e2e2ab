import ArgumentParser
import FleetLedger
import FleetStore

struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the store into another, empty one: SQLite to PostgreSQL, PostgreSQL to SQLite, or either to its own kind.",
        discussion: """
            Every event keeps its position, version, recording time and hash, so the copy's chain is \
            the source's: the printed head is the same, and fleetledger verify --db TARGET \
            --expect-head HEAD passes. The target's read models are folded as the events land. The \
            source is read in one snapshot while writers go on; the target must hold no events.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The target: an SQLite file's path (created) or a PostgreSQL URL (its database must exist).",
                               valueName: "path|url"))
    var to: String

    @OptionGroup var durability: DurabilityOption

    func run() throws {
        let source = try store.openStore()
        let target = try StoreLocation(to).open(creating: true, durability: durability.level)
        let console = Console.current
        let summary = try source.copy(to: target) { copied in console.progress("copied \(copied) events") }
        console.endProgress()
        console.line("copied \(summary.events) event\(summary.events == 1 ? "" : "s") in \(summary.batches) batch\(summary.batches == 1 ? "" : "es") from \(source.location) to \(target.location); the copy verifies.")
        console.line("head: \(summary.headSeq):\(summary.headHash) (the source's; give it to verify --expect-head)")
    }
}
