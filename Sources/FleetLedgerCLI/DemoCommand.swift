import ArgumentParser
import FleetLedger

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a built-in fleet scenario into the store, then print the log.",
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
        var table = TextTable(headers: StoredEvent.tableHeader)
        try store.events(matching: EventQuery()) { table.append($0.tableFields) }
        console.write(table.rendered)
    }
}
