// fleetledger-bench: measures the store on a generated fleet workload, several runs side by side
// with two raw-SQLite floors on the same file, and prints min / median / max of each figure plus a
// JSON file. Build it in release mode for real figures:
//     swift run -c release fleetledger-bench --events 1000000
import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore
import FleetWorkload
import Foundation

/// The benchmark's options.
struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetledger-bench",
        abstract: "Measure ingest against two raw-SQLite floors, rebuild, verify, size and every query on a generated fleet workload.",
        discussion: """
            Each run stores the same workload file three ways, one after the other: through append (every read \
            model current), through the storage floor (raw SQLite, one prepared INSERT per line) and through the \
            idempotent floor (the same plus a UNIQUE index on the 16-byte producer id, as the contract's \
            idempotency needs). Figures are min / median / max over --runs runs. \
            Build in release mode for real figures: swift run -c release fleetledger-bench --events 1000000
            """
    )

    @Option(help: "Events in the workload.")
    var events = 1_000_000

    @Option(help: "The workload's seed.")
    var seed: UInt64 = 1

    @Option(help: "Runs, each on fresh stores; figures are min / median / max over them.")
    var runs = 3

    @Option(help: "Lines per transaction, for ours and the floors alike.")
    var commitEvery = 10_000

    @Flag(help: "Store the whole workload as one transaction, ours and the floors alike (overrides --commit-every).")
    var oneTransaction = false

    @Option(help: "normal or full, for ours and the floors alike.")
    var durability: StoreDurability = .normal

    @Option(help: "Where to put the workload and the stores (default: a temporary folder, removed afterwards).")
    var workdir: String?

    @Option(help: "Where to write the JSON results.")
    var output = "bench-results/benchmark.json"

    @Flag(help: "Keep the temporary folder.")
    var keep = false

    @Flag(help: ArgumentHelp(
        "The scale run instead: one store grown to --events in steps, each appended to ours and to both floors, timing rebuild and every query at --scale-sizes.",
        discussion: "For the README: --scale --events 10000000 --output bench-results/scale.json (also writes scale.svg)."))
    var scale = false

    @Flag(help: "In the scale run, store only through append: the floors do not change with our code, so an earlier scale run's floors stand.")
    var skipFloors = false

    @Option(help: "Events per step of the scale run.")
    var scaleStep = 500_000

    @Option(name: .customLong("scale-sizes"), help: "Sizes at which the scale run rebuilds and queries, comma-separated (and at the end).")
    var scaleSizesText = "1000000,3000000,10000000"

    @Option(help: .hidden)
    var timeRebuildOf: String?

    var scaleSizes: [Int] { scaleSizesText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// Lines per transaction; nil: one transaction.
    var commitInterval: Int? { oneTransaction ? nil : commitEvery }

    func validate() throws {
        guard events > 0 else { throw ValidationError("--events must be at least 1.") }
        guard commitEvery > 0 else { throw ValidationError("--commit-every must be at least 1.") }
        guard runs > 0 else { throw ValidationError("--runs must be at least 1.") }
        guard scaleStep > 0 else { throw ValidationError("--scale-step must be at least 1.") }
        guard scaleSizes.count == scaleSizesText.split(separator: ",").count else {
            throw ValidationError("--scale-sizes must be event counts separated by commas, like 1000000,3000000.")
        }
    }

    func run() throws {
        if let path = timeRebuildOf {
            // Spawned by a run (see `rebuildInFreshProcess`): one rebuild, its seconds on stdout.
            let store = try EventStore(path: path, durability: durability)
            let (_, elapsed) = try seconds { try store.rebuild() }
            print(elapsed)
        } else if scale {
            try runScale(self)
        } else {
            try runBenchmark(self)
        }
    }
}

extension StoreDurability: ExpressibleByArgument {}

func log(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func runBenchmark(_ options: Options) throws {
    let workdir = try workingDirectory(options, name: "fleetledger-bench")
    defer { if !options.keep && options.workdir == nil { try? FileManager.default.removeItem(atPath: workdir) } }

    log("generating \(grouped(options.events)) events (seed \(options.seed))...")
    let workload = try WorkloadFile.generate(events: options.events, seed: options.seed, path: workdir + "/workload.ndjson")
    var results: [RunFigures] = []
    for run in 1...options.runs {
        log("run \(run) of \(options.runs)...")
        results.append(try measureRun(options, workload: workload, workdir: workdir))
    }
    report(results, options: options, workload: workload)
}

/// The figures of one run.
struct RunFigures {
    var ingestSeconds: Double
    var storageFloorSeconds: Double
    var idempotentFloorSeconds: Double
    var peakResidentBytes: Int
    var rebuildSeconds: Double
    /// The same rebuild in a process of its own, as `fleetledger rebuild` runs (nil: not measured).
    var freshProcessRebuildSeconds: Double?
    var verifySeconds: Double
    var ourBytes: Int
    var storageFloorBytes: Int
    var queries: [(name: String, milliseconds: Double)]
}

func measureRun(_ options: Options, workload: WorkloadFile, workdir: String) throws -> RunFigures {
    let storePath = workdir + "/store.sqlite", storageFloorPath = workdir + "/floor.sqlite", idempotentPath = workdir + "/floor-idempotent.sqlite"
    removeStoreFiles([storePath, storageFloorPath, idempotentPath])
    let synchronous = options.durability.rawValue.uppercased()

    log("  ingesting through append...")
    settleDisk()
    let store = try EventStore(path: storePath, durability: options.durability)
    let (summary, ingestSeconds) = try seconds {
        try store.append(from: [.file(path: workload.path)], options: AppendOptions(commitEvery: options.commitInterval))
    }
    let peak = peakResidentBytes()
    guard summary.appended == options.events else { throw BenchError("appended \(summary.appended) of \(options.events) events") }
    try store.checkpointWAL()
    let ourBytes = storeBytes(storePath)

    log("  the storage floor...")
    settleDisk()
    let storageFloor = try RawFloor.run(workload, path: storageFloorPath, commitEvery: options.commitInterval, synchronous: synchronous, idempotent: false)
    log("  the idempotent floor...")
    settleDisk()
    let idempotentFloor = try RawFloor.run(workload, path: idempotentPath, commitEvery: options.commitInterval, synchronous: synchronous, idempotent: true)

    log("  rebuilding, verifying, querying...")
    settleDisk()
    let (_, rebuildSeconds) = try seconds { try store.rebuild() }
    settleDisk()
    let freshProcessRebuild = rebuildInFreshProcess(storePath, options: options)
    let (verification, verifySeconds) = try seconds { try store.verifyLog() }
    guard verification.isValid else { throw BenchError("verify failed: \(verification.problems[0])") }
    let queries = try measureQueries(store)
    return RunFigures(ingestSeconds: ingestSeconds, storageFloorSeconds: storageFloor, idempotentFloorSeconds: idempotentFloor,
                      peakResidentBytes: peak, rebuildSeconds: rebuildSeconds, freshProcessRebuildSeconds: freshProcessRebuild,
                      verifySeconds: verifySeconds, ourBytes: ourBytes,
                      storageFloorBytes: storeBytes(storageFloorPath), queries: queries)
}

/// Every query command, now and as of the middle of the log, in-process: the median of 5 runs after a warm-up.
/// `startUpdate`: whether to start the session host update whose status is timed (once per store).
func measureQueries(_ store: EventStore, startUpdate: Bool = true) throws -> [(name: String, milliseconds: Double)] {
    let first = try store.allEvents(matching: EventQuery(limit: 1))[0].at
    let last = try store.allEvents(matching: EventQuery(afterSeq: try store.lastSeq() - 1))[0].at
    let middle = Timestamp(nanoseconds: first.nanoseconds + (last.nanoseconds - first.nanoseconds) / 2)
    // The workload has no session host update: start one on a pool, after its last event, so that
    // its status and history can be timed. Not at the middle: an event appended after the fact
    // with an earlier time is, rightly, folded by every later as-of replay, which then reads the log
    // to its end (measured: `hosts` json as of the middle 77 to 167 ms at 1M). So the update's as-of figures are
    // taken as of its start, the only time it has.
    let updateAt = last.adding(seconds: 1)
    if startUpdate { try store.append(from: [.bytes(name: "bench update", Array((UpdateCommandLine.schedule(
        pool: "hp-0", maxVmsRemoved: 5, deleteOriginalVm: false, logOffDelayMinutes: 10, logOffMessage: "Please sign out",
        scheduledDateTime: nil, at: updateAt) + "\n" + UpdateCommandLine.control(pool: "hp-0", action: "Start", cancelMessage: nil, at: updateAt)).utf8))]) }

    var queries: [(String, Double)] = []
    func time(_ name: String, asOf: Timestamp = middle, _ query: @escaping (Timestamp?) throws -> Void) throws {
        queries.append((name, try medianMilliseconds { try query(nil) }))
        queries.append((name + (asOf == middle ? " --as-of middle" : " --as-of its start"), try medianMilliseconds { try query(asOf) }))
    }
    try time("hosts (all pools, json)") { _ = try store.hostsReport(pool: nil, status: nil, asOf: $0, format: .json) }
    try time("hosts --pool hp-0 (table)") { _ = try store.hostsReport(pool: "hp-0", status: nil, asOf: $0, format: .table) }
    try time("host sh-0-0 --pool hp-0 (json)") { _ = try store.hostReport(pool: "hp-0", host: "sh-0-0", asOf: $0, format: .json) }
    try time("route --pool hp-0") { _ = try store.routeReport(pool: "hp-0", asOf: $0, format: .json) }
    try time("update status --pool hp-0 (json)", asOf: updateAt) { _ = try store.updateStatusReport(pool: "hp-0", asOf: $0, format: .json) }
    try time("pools") { _ = try store.poolsReport(asOf: $0, format: .table) }
    try time("lb health --lb lb-0 --rule rule-http (json)") {
        _ = try store.loadBalancerHealthReport(loadBalancer: "lb-0", rule: "rule-http", asOf: $0, format: .json)
    }
    try time("lb list") { _ = try store.loadBalancerListReport(asOf: $0, format: .table) }
    try time("vmss health --scale-set vmss-0 (json)") { _ = try store.scaleSetHealthReport(scaleSet: "vmss-0", asOf: $0, format: .json) }
    try time("vmss list") { _ = try store.scaleSetListReport(asOf: $0, format: .table) }
    // A history "as of the middle" is the history up to it (--until).
    for (name, subject) in [("history --pool hp-0 --host sh-0-0", HistorySubject.host(pool: "hp-0", host: "sh-0-0")),
                            ("history --lb lb-0 --ip 10.0.0.4", .backend(loadBalancer: "lb-0", ipAddress: "10.0.0.4")),
                            ("history --scale-set vmss-0 --instance 0", .instance(scaleSet: "vmss-0", instanceId: "0")),
                            ("history --pool hp-0 --update", .update(pool: "hp-0"))] {
        try time(name, asOf: subject == .update(pool: "hp-0") ? updateAt : middle) {
            _ = try store.historyReport(subject, since: nil, until: $0, changesOnly: false, format: .csv)
        }
    }
    // A report "as of the middle" covers the first half of the log.
    for (name, scope) in [("report availability --pool hp-0", AvailabilityScope.hosts(pool: "hp-0")),
                          ("report availability --lb lb-0 --rule rule-http", .backends(loadBalancer: "lb-0", rule: "rule-http")),
                          ("report availability --scale-set vmss-0", .instances(scaleSet: "vmss-0"))] {
        try time(name + " (whole log)") { _ = try store.availabilityReport(scope, since: first, until: $0 ?? updateAt, byGroup: false, format: .csv) }
    }
    return queries
}

func report(_ results: [RunFigures], options: Options, workload: WorkloadFile) {
    let events = Double(options.events)
    func spread(_ values: [Double]) -> (min: Double, median: Double, max: Double) {
        let sorted = values.sorted()
        return (sorted[0], sorted[sorted.count / 2], sorted[sorted.count - 1])
    }
    func rate(_ seconds: [Double]) -> String {
        let (low, median, high) = spread(seconds.map { events / $0 })
        return "\(grouped(Int(low))) / \(grouped(Int(median))) / \(grouped(Int(high))) events/s"
    }
    func ratio(_ values: [Double]) -> String {
        let (low, median, high) = spread(values)
        return "\(formatted(low, 2)) / \(formatted(median, 2)) / \(formatted(high, 2))x"
    }
    let ingest = results.map(\.ingestSeconds), storage = results.map(\.storageFloorSeconds), idempotent = results.map(\.idempotentFloorSeconds)
    var table: [(String, String)] = [
        ("events", grouped(options.events) + " (\(formatted(Double(workload.bytes) / events, 0)) bytes of NDJSON each, \(workload.streams) streams)"),
        ("ingest (append, read models current)", rate(ingest)),
        ("storage floor (raw SQLite INSERT per line)", rate(storage)),
        ("idempotent floor (+ UNIQUE index on the 16-byte id)", rate(idempotent)),
        ("ingest / storage floor (same run)", ratio(zip(storage, ingest).map { $0 / $1 })),
        ("ingest / idempotent floor (same run)", ratio(zip(idempotent, ingest).map { $0 / $1 })),
        // The first run's: the process's peak so far is taken after each run's ingest, and a later
        // run's includes the rebuilds and queries of the runs before it.
        ("peak memory during ingest (first run)", "\(grouped((results.first?.peakResidentBytes ?? 0) / 1_048_576)) MiB"),
        ("rebuild (all four domains folding)", rate(results.map(\.rebuildSeconds))),
        ("rebuild in a fresh process (as fleetledger rebuild)",
         results.allSatisfy { $0.freshProcessRebuildSeconds != nil } ? rate(results.compactMap(\.freshProcessRebuildSeconds)) : "not measured"),
        ("verify (hash chain and read models)", rate(results.map(\.verifySeconds))),
        ("bytes per event / storage floor's", ratio(results.map { Double($0.ourBytes) / Double($0.storageFloorBytes) })
            + " (\(formatted(Double(results[0].ourBytes) / events)) vs \(formatted(Double(results[0].storageFloorBytes) / events)))"),
    ]
    for (index, query) in results[0].queries.enumerated() {
        let (low, median, high) = spread(results.map { $0.queries[index].milliseconds })
        table.append(("query: " + query.name, "\(formatted(low, 2)) / \(formatted(median, 2)) / \(formatted(high, 2)) ms"))
    }
    let width = table.map(\.0.count).max() ?? 0
    #if DEBUG
    print("(a debug build: these figures say nothing about speed; use swift run -c release fleetledger-bench)")
    #endif
    let commits = options.commitInterval.map { "commit every \(grouped($0)) lines" } ?? "one transaction"
    print("FleetLedger benchmark: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite \(EventStore.sqliteVersion), "
        + "durability \(options.durability.rawValue), \(commits), min / median / max of \(results.count) run\(results.count == 1 ? "" : "s")")
    for (name, value) in table { print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
    writeJSON(results, options: options, workload: workload)
}

func writeJSON(_ results: [RunFigures], options: Options, workload: WorkloadFile) {
    let events = Double(options.events)
    let runs: [[String: Any]] = results.map { run in
        [
            "ingestEventsPerSecond": events / run.ingestSeconds, "storageFloorEventsPerSecond": events / run.storageFloorSeconds,
            "idempotentFloorEventsPerSecond": events / run.idempotentFloorSeconds,
            "ingestToStorageFloor": run.storageFloorSeconds / run.ingestSeconds,
            "ingestToIdempotentFloor": run.idempotentFloorSeconds / run.ingestSeconds,
            "peakResidentBytes": run.peakResidentBytes, "rebuildEventsPerSecond": events / run.rebuildSeconds,
            "freshProcessRebuildEventsPerSecond": run.freshProcessRebuildSeconds.map { events / $0 } ?? NSNull(),
            "verifyEventsPerSecond": events / run.verifySeconds, "bytesPerEvent": Double(run.ourBytes) / events,
            "storageFloorBytesPerEvent": Double(run.storageFloorBytes) / events,
            "queriesMilliseconds": Dictionary(uniqueKeysWithValues: run.queries.map { ($0.name, $0.milliseconds) }),
        ]
    }
    let json: [String: Any] = [
        "events": options.events, "seed": options.seed, "commitEvery": options.commitInterval ?? 0, "durability": options.durability.rawValue,
        "cpu": cpuModel(), "cores": ProcessInfo.processInfo.activeProcessorCount, "sqlite": EventStore.sqliteVersion,
        "streams": workload.streams, "runs": runs,
    ]
    writeResults(json, to: options.output)
}

/// The CPU's model name, as /proc/cpuinfo gives it.
func cpuModel() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
          let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
}

Options.main()

/// Times a rebuild of the store at `path` in a process of its own, as `fleetledger rebuild` runs:
/// this executable, spawned with the hidden --time-rebuild-of; the time is the rebuild's own,
/// taken inside the child, without its start. Nil when it cannot be run. It checks the
/// benchmark's own figure, taken in a process that has ingested and queried for minutes: one
/// experiment timed three rebuilds there in a row at 1.37, 1.61 and 1.85 s (1.15, 1.07 and
/// 1.27 s with glibc's malloc held to one arena) where `fleetledger rebuild` took about 1.0 s.
func rebuildInFreshProcess(_ path: String, options: Options) -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    process.arguments = ["--time-rebuild-of", path, "--durability", options.durability.rawValue]
    let output = Pipe()
    process.standardOutput = output
    do {
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
    } catch {
        return nil
    }
}
