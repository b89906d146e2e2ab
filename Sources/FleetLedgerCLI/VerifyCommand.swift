import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the log's integrity, order and hash chain, and every read model against a replay; exit 1 naming the first problem.",
        discussion: """
            Proves that no stored event was altered, removed from the middle, or reordered since it \
            was appended, and that SQLite's file is sound. It cannot see events cut from the end, or \
            a log rewritten with a freshly computed chain: record the printed head hash elsewhere and \
            compare it later to catch those.
            """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let console = Console.current
        let report = try store.openStore().verifyLog()
        guard report.isValid else {
            console.error("Error: verification failed: \(report.problems[0])")
            for problem in report.problems.dropFirst().prefix(20) { console.error("also: \(problem)") }
            if report.problems.count > 21 { console.error("and \(report.problems.count - 21) more problems.") }
            throw ExitCode.failure
        }
        console.line("verified \(report.eventsChecked) events in \(report.streamsChecked) streams: the log is intact and every read model matches a replay of it.")
        console.line("head: seq \(report.headSeq), hash \(report.headHash)")
    }
}
