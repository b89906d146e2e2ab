import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the store to a new SQLite file, while writers keep appending (a PostgreSQL store: pg_dump, or copy).",
        discussion: """
            The copy holds every batch committed when it started and none after, with its read models; \
            it is a store of its own (verify it with fleetledger verify --db PATH). The printed head can \
            be given to verify --expect-head later.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The new file to write.", valueName: "path"))
    var path: String

    func run() throws {
        let summary = try store.openStore().backup(to: path)
        Console.current.line("backed up \(summary.events) events to \(path) (\(summary.bytes / 1_024) KiB).")
        Console.current.line("head: \(summary.headSeq):\(summary.headHash) (give it to verify --expect-head later)")
    }
}

/// A head recorded from an earlier `verify` or `backup`: `SEQ:HASH`.
struct RecordedHead {
    var seq: Int64
    var hash: String

    static func parse(_ argument: String) throws -> RecordedHead {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq > 0 else {
            throw ValidationError("\"\(argument)\" is not a head: give SEQ:HASH as verify or backup printed it (such as 242:36e2b862...).")
        }
        guard parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit) else {
            throw ValidationError("the hash of \"\(argument)\" has \(parts[1].count) characters; a head's hash needs all 64 hex digits, "
                + "as verify or backup printed it.")
        }
        return RecordedHead(seq: seq, hash: parts[1].lowercased())
    }
}
