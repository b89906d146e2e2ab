import ArgumentParser
import FleetCollect
import FleetEvents
import FleetImport
import FleetLedger
import FleetStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import what Azure reports: REST responses as observations, WVDAgentHealthStatus rows as health check runs.",
        discussion: """
            Each input is recognized by its content: a SessionHost or a list of them (az rest on .../hostPools/P/sessionHosts), \
            a rule's LoadBalancerHealthPerRule (with --lb and --rule), scale set VMs with their instance view, or one \
            instance view (with --scale-set and --instance), a session host update status, or Log Analytics \
            WVDAgentHealthStatus rows (the query API's {"tables": [...]} or az monitor log-analytics query's array). \
            Health check results become HealthCheckCompleted at their own time, which the store's rules judge; what \
            Azure derived (a host's status, a backend's state and reason, an instance's vmHealth, an update's status) \
            becomes an observation, shown as "observed from Azure". A field with no time of its own (allowNewSession, \
            a rule's health) takes --at, which is then required. Changes only: an observation equal to what the store \
            last observed appends nothing, and ids are made from the content, so the same input twice appends nothing. \
            The whole import is one transaction (or one per --commit-every events). An event older than its entity's \
            last stored one is skipped and counted (import history before live data); --strict refuses the import instead.
            """
    )

    @OptionGroup var store: WriterOptions

    @Option(name: .long, help: ArgumentHelp("Commit every N events instead of once for the whole import.", valueName: "N"))
    var commitEvery: Int?

    @Flag(help: "Say what would be appended, and append nothing.")
    var dryRun = false

    @Flag(help: "Refuse the import when an event is older than its entity's last stored event, instead of skipping it.")
    var strict = false

    @Option(parsing: .unconditional, help: ArgumentHelp("When the response was fetched: the time of fields with none of their own (allowNewSession, a rule's health, an instance view without vmHealth's time).", valueName: "time"),
            transform: CommandLineTime.parse)
    var at: Timestamp?

    @Option(name: .customLong("lb"), help: ArgumentHelp("The load balancer a rule's health belongs to (with --rule).", valueName: "name"), completion: .names(.loadBalancer))
    var loadBalancer: String?
    @Option(help: ArgumentHelp("The load-balancing rule a LoadBalancerHealthPerRule body is the health of.", valueName: "name"), completion: .names(.rule))
    var rule: String?
    @Option(help: ArgumentHelp("The scale set one instance view belongs to (with --instance).", valueName: "name"), completion: .names(.scaleSet))
    var scaleSet: String?
    @Option(help: ArgumentHelp("The instance id one instance view belongs to.", valueName: "id"))
    var instance: String?
    @Option(name: .customLong("as"), help: ArgumentHelp("Store the body's host pool or scale set under this name (two resources of one name in different resource groups are otherwise refused).", valueName: "name"))
    var renamed: String?

    @Argument(help: ArgumentHelp("Files of Azure's JSON, in order; - or none for standard input.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        try InputArguments.validate(files: files, commitEvery: commitEvery)
        if (loadBalancer == nil) != (rule == nil) { throw ValidationError("--lb and --rule go together: a rule's health names neither.") }
        if (scaleSet == nil) != (instance == nil) { throw ValidationError("--scale-set and --instance go together: an instance view names neither.") }
        for (option, value) in [("--lb", loadBalancer), ("--rule", rule), ("--scale-set", scaleSet), ("--instance", instance), ("--as", renamed)] {
            if let value, value.isEmpty || value.contains("/") { throw ValidationError("\(option) \"\(value)\" is not a name: it must be non-empty, without /.") }
        }
    }

    func run() throws {
        // A new store is created only once the inputs are read and found good: a refused import, or
        // a dry run, leaves no file behind. With no store there is nothing to compare with.
        // (A PostgreSQL database is the operator's own: its store is opened, and made, as with append.)
        let location = try self.store.store.location()
        let existing = switch location {
        case .file(let path): FileManager.default.fileExists(atPath: path) ? try self.store.openOrCreateStore() : nil
        case .postgres: try self.store.openOrCreateStore()
        }
        let names = try StoreNames(existing)
        var request = ImportRequest(view: try existing?.projections(asOf: nil), canonical: names.canonical)
        request.at = at
        request.loadBalancer = loadBalancer
        request.rule = rule
        request.scaleSet = scaleSet
        request.instance = instance
        request.renamed = renamed
        let batch = AzureImport(request)
        for input in files.isEmpty ? ["-"] : files {
            let name = input == "-" ? "standard input" : input
            do {
                try batch.add(try Self.json(in: input, named: name))
            } catch let error as ImportError {
                throw ImportRefusal("\(name): \(error); nothing was imported.")
            }
        }
        do { try batch.checkOptionsUsed() } catch { throw ImportRefusal("import: \(error); nothing was imported.") }
        // Every input's events in one time order: each stream still goes forward in time.
        let events = batch.events
        let read = Self.describe(events, unchanged: batch.unchanged)
        if dryRun, existing == nil {
            let entities = Set(events.map(\.stream)).count
            Console.current.line("would import \(read) about \(entities) entit\(entities == 1 ? "y" : "ies") into a new store (a dry run: nothing was appended).")
            return
        }
        let summary: AppendSummary
        do {
            summary = try append(events, into: existing)
        } catch {
            // A store this import created, and then could not fill, goes with it.
            if existing == nil, case .file(let path) = location {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            throw error
        }
        var sentence = (dryRun ? "would import \(read): would append \(summary.appended)" : "imported \(read): appended \(summary.appended)")
            + ", \(summary.duplicates) already stored"
        if summary.olderThanStream > 0 {
            sentence += ", \(summary.olderThanStream) skipped as older than their entity's last stored event (a stream never goes back in time: "
                + "import history before live data)"
        }
        Console.current.line(sentence + (dryRun ? " (a dry run: nothing was appended)." : "."))
    }

    /// Appends `events` to `existing`, or to a store created for them (closed again on return).
    private func append(_ events: [ImportedEvent], into existing: (any LedgerStore)?) throws -> AppendSummary {
        let store = try existing ?? self.store.openOrCreateStore()
        let lines = Array(events.map(\.line).joined(separator: "\n").utf8)
        var options = self.store.appendOptions()
        options.commitEvery = commitEvery
        options.skipsOlderThanStream = !strict
        options.rollsBack = dryRun
        do {
            return try store.append(from: [.bytes(name: "import", lines)], options: options)
        } catch var refusal as AppendError {
            // The lines are the import's own, sorted by time: the event's stream and time, which
            // the reason names, say more than their number or the event's field.
            refusal.location = "import"
            refusal.reason = refusal.reason.replacingOccurrences(of: "field \"at\" is ", with: "an event at ")
            throw refusal
        }
    }

    /// "3 health check runs, 2 observations and 500 unchanged": what an import read, the kinds it had.
    private static func describe(_ events: [ImportedEvent], unchanged: Int) -> String {
        func count(_ number: Int, _ noun: String, _ plural: String? = nil) -> String? {
            number == 0 ? nil : "\(number) \(number == 1 ? noun : plural ?? noun + "s")"
        }
        let kinds: [(ImportedEvent.Kind, String, String?)] = [
            (.healthCheckRun, "health check run", nil), (.heartbeat, "heartbeat", nil), (.observation, "observation", nil),
            (.entity, "configuration change", "configuration changes"),
        ]
        let parts = kinds.compactMap { kind, noun, plural in count(events.count { $0.kind == kind }, noun, plural) }
            + [count(unchanged, "observation unchanged", "observations unchanged")].compactMap { $0 }
        guard let last = parts.last else { return "nothing" }
        return parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " and " + last
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
