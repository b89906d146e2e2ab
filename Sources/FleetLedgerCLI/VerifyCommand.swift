import ArgumentParser
import FleetEvents
import FleetLedger
import FleetOutput
import FleetStore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the log's integrity, order and hash chain, and every read model against a replay; exit 1 naming the first problem.",
        discussion: """
            Proves that no stored event was altered, removed from the middle, or reordered since it \
            was appended, and (on SQLite) that the file is sound. It cannot see events cut from the end, or \
            a log rewritten with a freshly computed chain by itself: record the printed head elsewhere \
            and give it to --expect-head later to catch those.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Also fail unless the chain passes through this recorded head (as verify or backup printed it).",
                               valueName: "seq:hash"), transform: RecordedHead.parse)
    var expectHead: RecordedHead?

    @Option(help: ArgumentHelp("table: sentences; json: the figures and the head, for scripts.", valueName: "format"))
    var format: VerifyFormat = .table

    func run() throws {
        let console = Console.current
        let report = try store.openStore().verifyLog(expectedHead: expectHead.map { ($0.seq, $0.hash) })
        guard report.isValid else {
            if format == .json {
                console.write(OutputJSON.encode(VerifiedShape(valid: false, events: report.eventsChecked, streams: report.streamsChecked,
                                                              head: nil, expectedHead: expectHead.map { "\($0.seq):\($0.hash)" },
                                                              problems: report.problems)) + "\n")
            }
            console.error("Error: verification failed: \(report.problems[0])")
            for problem in report.problems.dropFirst().prefix(20) { console.error("also: \(problem)") }
            if report.problems.count > 21 { console.error("and \(report.problems.count - 21) more problems.") }
            throw ExitCode.failure
        }
        if format == .json {
            console.write(OutputJSON.encode(VerifiedShape(valid: true, events: report.eventsChecked, streams: report.streamsChecked,
                                                          head: "\(report.headSeq):\(report.headHash)",
                                                          expectedHead: expectHead.map { "\($0.seq):\($0.hash)" }, problems: [])) + "\n")
            return
        }
        console.line("verified \(report.eventsChecked) events in \(report.streamsChecked) streams: the log is intact and every read model matches a replay of it.")
        if let expectHead { console.line("the chain passes through the recorded head at seq \(expectHead.seq).") }
        console.line("head: \(report.headSeq):\(report.headHash) (give it to verify --expect-head later)")
    }
}

/// The output formats of `verify`.
enum VerifyFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// `verify --format json`: what was checked, and the head in the form `--expect-head` takes.
private struct VerifiedShape: Encodable {
    var valid: Bool
    var events: Int
    var streams: Int
    /// `SEQ:HASH`; null when the log failed the check.
    @Nullable var head: String?
    @Nullable var expectedHead: String?
    var problems: [String]
}
