import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore
import Foundation

extension StoreDurability: ExpressibleByArgument {}

/// Options every command shares: which store, and how durable its commits are.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store: an SQLite file's path, or a PostgreSQL URL postgres://user@host:port/database "
            + "(default: $FLEETLEDGER_DB, else ./fleetledger.sqlite).", valueName: "path|url"))
    var db: String?

    /// The path or URL the options resolve to, as given.
    var resolvedPath: String { Self.storePath(db: db, environment: ProcessInfo.processInfo.environment) }

    /// Where the store is: a file, or a PostgreSQL server.
    func location() throws -> StoreLocation { try StoreLocation(resolvedPath) }

    /// `--db`, else `$FLEETLEDGER_DB`, else `fleetledger.sqlite` in the working directory.
    static func storePath(db: String?, environment: [String: String]) -> String {
        if let db { return db }
        if let fromEnvironment = environment["FLEETLEDGER_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "fleetledger.sqlite"
    }

    /// The store, which must exist: a command that only reads or checks must not leave a new,
    /// empty store behind a mistyped path and answer from it.
    func openStore(durability: StoreDurability = .normal) throws -> any LedgerStore {
        try location().open(creating: false, durability: durability)
    }
}

/// `--durability`, for the commands that commit: the writers and `rebuild`.
struct DurabilityOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "normal: a process crash never loses a commit, a power loss may lose the last ones; "
            + "full: every commit reaches the disk before the command returns (default: $FLEETLEDGER_DURABILITY, else normal). "
            + "On PostgreSQL, normal keeps the server's synchronous_commit and full sets it on.",
        valueName: "level"))
    var durability: StoreDurability?

    func validate() throws {
        if let raw = ProcessInfo.processInfo.environment["FLEETLEDGER_DURABILITY"], !raw.isEmpty,
           StoreDurability(rawValue: raw) == nil {
            throw ValidationError("$FLEETLEDGER_DURABILITY is \"\(raw)\"; it must be normal or full.")
        }
    }

    /// `--durability`, else `$FLEETLEDGER_DURABILITY`, else normal.
    var level: StoreDurability {
        durability ?? ProcessInfo.processInfo.environment["FLEETLEDGER_DURABILITY"].flatMap(StoreDurability.init(rawValue:)) ?? .normal
    }
}

/// The options of the commands that append: the store, how durable each commit is, and how far
/// ahead of now an event may be.
struct WriterOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @OptionGroup var durability: DurabilityOption

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Refuse an event whose at is more than this ahead of now (the clock, or $FLEETLEDGER_NOW): "
            + "a stream refuses every event older than its last, so one from the future would lock out its real events.",
        valueName: "duration"), transform: CommandLineDuration.parse)
    var maxClockSkew = TimeSpan(seconds: 300)

    var resolvedPath: String { store.resolvedPath }

    /// The store, created when there is none: for `append` and `demo`.
    func openOrCreateStore() throws -> any LedgerStore {
        try store.location().open(creating: true, durability: durability.level)
    }

    /// The store at the resolved path, which must exist: for the commands that change an entity it holds.
    func openStore() throws -> any LedgerStore {
        try store.openStore(durability: durability.level)
    }

    /// The append options every writer passes: the clock-skew limit, measured from now.
    func appendOptions() -> AppendOptions {
        AppendOptions(maxClockSkew: maxClockSkew, now: { try Clock.now() })
    }
}

extension WriterOptions {
    /// Appends the one NDJSON line a command built (`drain on`, `update pause`) to the store, which
    /// must exist. A refusal is told in the command's words: the command instead of "line 1", the
    /// option the user gave (`--pool`, `--host`, `--at` when `atGiven`, else "the time, now")
    /// instead of the event's field, and the rule alone for the action the command itself is.
    /// The sentences rewritten are the store's own (`AppendError.reason` begins `field "X" is`);
    /// the commands' tests hold them to these words.
    func appendCommandLine(_ line: String, command: String, atGiven: Bool, to store: any LedgerStore) throws -> AppendSummary {
        do {
            return try store.append(from: [.bytes(name: command, Array(line.utf8))], options: appendOptions())
        } catch var refusal as AppendError {
            refusal.location = command
            for (field, words) in [("at", atGiven ? "--at is " : "the time, now, is "), ("data.hostPool", "--pool is "),
                                   ("data.sessionHost", "--host is ")] {
                refusal.reason = refusal.reason.replacingOccurrences(of: "field \"\(field)\" is ", with: words)
            }
            if refusal.reason.hasPrefix("field \"data.action\" is "), let rule = refusal.reason.range(of: ", but ") {
                refusal.reason = String(refusal.reason[rule.upperBound...])
            }
            throw refusal
        }
    }
}
