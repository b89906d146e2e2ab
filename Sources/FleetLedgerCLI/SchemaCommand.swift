import ArgumentParser
import FleetLedger

/// Output formats for `schema`.
enum SchemaFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Every event type `append` accepts: its stream and fields; with json or markdown, its meaning and a sample line.",
        discussion: """
            Derived from the event declarations in the code, so it is always this binary's contract. \
            In the table, optional fields are in brackets. docs/events.md is this command's markdown output. \
            Needs no store.
            """
    )

    @Option(help: ArgumentHelp("Only this event type.", valueName: "type"), completion: EventTypeName.completion, transform: EventTypeName.parse)
    var type: EventTypeName?

    @Option(help: ArgumentHelp("table (default), json or markdown.", valueName: "format"))
    var format: SchemaFormat = .table

    func run() throws {
        let reference = EventReference(only: type?.name)
        switch format {
        case .table: Console.current.write(reference.table())
        case .json: Console.current.write(try reference.json())
        case .markdown: Console.current.write(reference.markdown())
        }
    }
}
