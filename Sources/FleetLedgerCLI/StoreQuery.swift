import ArgumentParser
import FleetStore

/// What a query command answers: its report, the note it says on stderr, and whether it ends
/// with exit 1 after printing (`route` when no host can take the session).
struct QueryAnswer {
    var report: String
    var note: String?
    var failed = false
}

/// A command that answers from one snapshot of the store: `run` prints the answer, and `serve`
/// gives the same answer over HTTP, parsed from the same options.
protocol StoreQuery: ParsableCommand {
    var store: StoreOptions { get }
    func answer(on store: any LedgerStore) throws -> QueryAnswer
}

extension StoreQuery {
    func run() throws {
        let answer = try store.openStore().snapshot { try self.answer(on: $0) }
        Console.current.write(answer.report)
        if let note = answer.note { Console.current.error(note) }
        if answer.failed { throw ExitCode.failure }
    }
}
