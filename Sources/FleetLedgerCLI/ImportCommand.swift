import ArgumentParser
import FleetEvents
import FleetImport
import FleetLedger
import FleetStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import what Azure reports: Log Analytics WVDAgentHealthStatus rows, as health check runs and heartbeats.",
        discussion: """
            Reads the query API's {"tables": [...]} or az monitor log-analytics query's array of rows. Each check \
            run (host, check, LastHealthCheckDateTime) becomes one HealthCheckCompleted, however many rows repeat it; \
            heartbeats become AgentHeartbeatReceived, those in the first 30 seconds of every 5 minutes. The store's \
            status rules judge them as any other. Ids are made from the content, so importing the same rows again appends nothing. The whole import \
            is one transaction (or one per --commit-every events). A run older than its host's last stored event is \
            skipped and counted (import history before live data); --strict refuses the import instead. Azure's REST \
            responses (session hosts, rule health, scale set VMs, update status) are not imported yet. With \
            heartbeats about 5 minutes apart, give imported hosts --stale-after 10m or more.
            """
    )

    @OptionGroup var store: WriterOptions

    @Option(name: .long, help: ArgumentHelp("Commit every N events instead of once for the whole import.", valueName: "N"))
    var commitEvery: Int?

    @Flag(help: "Say what would be appended, and append nothing.")
    var dryRun = false

    @Flag(help: "Refuse the import when an event is older than its host's last stored event, instead of skipping it.")
    var strict = false

    @Argument(help: ArgumentHelp("Files of Azure's JSON, in order; - or none for standard input.", valueName: "file"))
    var files: [String] = []

    func validate() throws { try InputArguments.validate(files: files, commitEvery: commitEvery) }

    func run() throws {
        // A dry run writes nothing, not even a new store's file.
        let exists = FileManager.default.fileExists(atPath: self.store.resolvedPath)
        let store = dryRun && !exists ? nil : try self.store.openOrCreateStore()
        let names = try StoreNames(store)
        var events: [ImportedEvent] = []
        for input in files.isEmpty ? ["-"] : files {
            let name = input == "-" ? "standard input" : input
            do {
                events += try AzureImport.events(from: try Self.json(in: input, named: name), canonical: names.canonical)
            } catch let error as ImportError {
                throw ImportRefusal("\(name): \(error); nothing was imported.")
            }
        }
        // Several inputs: each stream still goes forward in time.
        events = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        let runs = events.filter { $0.kind == .healthCheckRun }.count
        let read = "\(runs) health check run\(runs == 1 ? "" : "s") and \(events.count - runs) heartbeat\(events.count - runs == 1 ? "" : "s")"
        guard let store else {
            let hosts = Set(events.map(\.stream)).count
            Console.current.line("would import \(read) from \(hosts) session host\(hosts == 1 ? "" : "s") into a new store (a dry run: nothing was appended).")
            return
        }
        let lines = Array(events.map(\.line).joined(separator: "\n").utf8)
        var options = self.store.appendOptions()
        options.commitEvery = commitEvery
        options.skipsOlderThanStream = !strict
        options.rollsBack = dryRun
        let summary: AppendSummary
        do {
            summary = try store.append(from: [.bytes(name: "import", lines)], options: options)
        } catch var refusal as AppendError {
            // The lines are the import's own, sorted by time: the event's stream and time, which
            // the reason names, say more than their number or the event's field.
            refusal.location = "import"
            refusal.reason = refusal.reason.replacingOccurrences(of: "field \"at\" is ", with: "a check run or heartbeat at ")
            throw refusal
        }
        var sentence = (dryRun ? "would import \(read): would append \(summary.appended)" : "imported \(read): appended \(summary.appended)")
            + ", \(summary.duplicates) already stored"
        if summary.olderThanStream > 0 {
            sentence += ", \(summary.olderThanStream) skipped as older than their host's last stored event (import history before live data)"
        }
        Console.current.line(sentence + (dryRun ? " (a dry run: nothing was appended)." : "."))
    }

    /// The JSON in `input` (a file, or `-` for standard input), a UTF-8 byte order mark allowed.
    private static func json(in input: String, named name: String) throws -> JSONValue {
        var bytes = Array(input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: input)))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        do {
            return try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw ImportError("is not JSON: \(error.description)")
        }
    }
}

/// An import refused as a whole, in one sentence.
struct ImportRefusal: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

/// The names the store already holds, to spell an imported name as the store does: Azure's names
/// are case-insensitive, and Log Analytics lower-cases the resource ids the host pool comes from.
private final class StoreNames {
    private let store: EventStore?
    private let pools: [String: String]
    private var hosts: [String: [String: String]] = [:]

    init(_ store: EventStore?) throws {
        self.store = store
        pools = Self.byLowercase(try store?.knownNames(.hostPool) ?? [])
    }

    func canonical(_ name: KnownName) -> String {
        switch name.kind {
        case .hostPool:
            return pools[name.name.lowercased()] ?? name.name
        case .sessionHost:
            let pool = name.hostPool ?? ""
            if hosts[pool] == nil { hosts[pool] = Self.byLowercase((try? store?.knownNames(.sessionHost, pool: pool)) ?? []) }
            return hosts[pool]?[name.name.lowercased()] ?? name.name
        }
    }

    private static func byLowercase(_ names: [String]) -> [String: String] {
        Dictionary(names.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }
}
