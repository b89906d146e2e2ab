// fleetledger-bench: measures the store on a generated fleet workload and prints a table and a
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
        abstract: "Measure ingest, the raw-SQLite floor, rebuild, verify, size and queries on a generated fleet workload.",
        discussion: "Build in release mode for real figures: swift run -c release fleetledger-bench --events 1000000"
    )

    @Option(help: "Events in the workload.")
    var events = 1_000_000

    @Option(help: "The workload's seed.")
    var seed: UInt64 = 1

    @Option(help: "Lines per transaction, for ours and the floor alike.")
    var commitEvery = 10_000

    @Option(help: "normal or full, for ours and the floor alike.")
    var durability: StoreDurability = .normal

    @Option(help: "Where to put the workload and the stores (default: a temporary folder, removed afterwards).")
    var workdir: String?

    @Option(help: "Where to write the JSON results.")
    var output = "bench-results/benchmark.json"

    @Flag(help: "Keep the temporary folder.")
    var keep = false

    func validate() throws {
        guard events > 0 else { throw ValidationError("--events must be at least 1.") }
        guard commitEvery > 0 else { throw ValidationError("--commit-every must be at least 1.") }
    }

    func run() throws {
        try runBenchmark(self)
    }
}

extension StoreDurability: ExpressibleByArgument {}

func log(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func runBenchmark(_ options: Options) throws {
    let workdir = options.workdir ?? NSTemporaryDirectory() + "fleetledger-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
    defer { if !options.keep && options.workdir == nil { try? FileManager.default.removeItem(atPath: workdir) } }
    let workloadPath = workdir + "/workload.ndjson"
    let storePath = workdir + "/store.sqlite"
    let floorPath = workdir + "/floor.sqlite"
    for path in [storePath, floorPath] { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

    // The workload, written to a file first so both stores read the same bytes the same way.
    log("generating \(grouped(options.events)) events (seed \(options.seed))...")
    var streamIDs: [String: UInt32] = [:]
    var streamOfLine: [UInt32] = []
    streamOfLine.reserveCapacity(options.events)
    guard let file = fopen(workloadPath, "w") else { throw BenchError("cannot write \(workloadPath)") }
    nonisolated(unsafe) var ids = streamIDs
    nonisolated(unsafe) var lines = streamOfLine
    FleetWorkload(events: options.events, seed: options.seed).generate { line, stream in
        fputs(line, file)
        fputc(0x0A, file)
        let id = ids[stream] ?? { let next = UInt32(ids.count); ids[stream] = next; return next }()
        lines.append(id)
    }
    fclose(file)
    streamIDs = ids
    streamOfLine = lines
    let inputBytes = (try? FileManager.default.attributesOfItem(atPath: workloadPath)[.size] as? Int) ?? 0

    // Ours: append's own code path, every read model kept current.
    log("ingesting through append...")
    let residentBefore = currentResidentBytes()
    let store = try EventStore(path: storePath, durability: options.durability)
    let (summary, ingestSeconds) = try seconds {
        try store.append(from: [.file(path: workloadPath)], options: AppendOptions(commitEvery: options.commitEvery))
    }
    let peakResident = peakResidentBytes()
    guard summary.appended == options.events else { throw BenchError("appended \(summary.appended) of \(options.events) events") }
    try store.checkpointWAL()
    let ourBytes = storeBytes(storePath)

    log("storing the same lines with raw SQLite calls (the floor)...")
    let floorSeconds = try RawFloor(path: floorPath, commitEvery: options.commitEvery, synchronous: options.durability.rawValue.uppercased())
        .run(file: workloadPath, streams: streamOfLine)
    let floorBytes = storeBytes(floorPath)

    log("rebuilding, verifying, querying...")
    let (_, rebuildSeconds) = try seconds { try store.rebuild() }
    let (report, verifySeconds) = try seconds { try store.verifyLog() }
    guard report.isValid else { throw BenchError("verify failed: \(report.problems[0])") }

    let first = try store.allEvents(matching: EventQuery(limit: 1))[0].at
    let last = try store.allEvents(matching: EventQuery(afterSeq: try store.lastSeq() - 1))[0].at
    let middle = Timestamp(nanoseconds: first.nanoseconds + (last.nanoseconds - first.nanoseconds) / 2)
    var queries: [(String, Double)] = []
    queries.append(("hosts (all pools, json)", try medianMilliseconds { _ = try store.hostsReport(pool: nil, status: nil, asOf: nil, format: .json) }))
    queries.append(("hosts --pool hp-0 (table)", try medianMilliseconds { _ = try store.hostsReport(pool: "hp-0", status: nil, asOf: nil, format: .table) }))
    queries.append(("host sh-0-0 --pool hp-0 (json)", try medianMilliseconds { _ = try store.hostReport(pool: "hp-0", host: "sh-0-0", asOf: nil, format: .json) }))
    queries.append(("route --pool hp-0", try medianMilliseconds { _ = try store.routeReport(pool: "hp-0", asOf: nil, format: .json) }))
    queries.append(("hosts --as-of middle (all pools)", try medianMilliseconds { _ = try store.hostsReport(pool: nil, status: nil, asOf: middle, format: .json) }))
    queries.append(("route --pool hp-0 --as-of middle", try medianMilliseconds { _ = try store.routeReport(pool: "hp-0", asOf: middle, format: .json) }))
    // The workload has no session host update: start one on a pool so that its status can be timed.
    let updateAt = last.adding(seconds: 1)
    try store.append(from: [.bytes(name: "bench update", Array((UpdateCommandLine.schedule(
        pool: "hp-0", maxVmsRemoved: 5, deleteOriginalVm: false, logOffDelayMinutes: 10, logOffMessage: "Please sign out",
        scheduledDateTime: nil, at: updateAt) + "\n" + UpdateCommandLine.control(pool: "hp-0", action: "Start", cancelMessage: nil, at: updateAt)).utf8))])
    queries.append(("update status --pool hp-0 (json)", try medianMilliseconds { _ = try store.updateStatusReport(pool: "hp-0", asOf: nil, format: .json) }))
    queries.append(("pools (all host pools)", try medianMilliseconds { _ = try store.poolsReport(asOf: nil, format: .table) }))
    queries.append(("lb health --lb lb-0 --rule rule-http (json)", try medianMilliseconds { _ = try store.loadBalancerHealthReport(loadBalancer: "lb-0", rule: "rule-http", asOf: nil, format: .json) }))
    queries.append(("lb list (all load balancers)", try medianMilliseconds { _ = try store.loadBalancerListReport(asOf: nil, format: .table) }))
    queries.append(("vmss health --scale-set vmss-0 (json)", try medianMilliseconds { _ = try store.scaleSetHealthReport(scaleSet: "vmss-0", asOf: nil, format: .json) }))
    queries.append(("vmss list (all scale sets)", try medianMilliseconds { _ = try store.scaleSetListReport(asOf: nil, format: .table) }))
    queries.append(("vmss health --scale-set vmss-0 --as-of middle", try medianMilliseconds { _ = try store.scaleSetHealthReport(scaleSet: "vmss-0", asOf: middle, format: .json) }))
    queries.append(("lb health --lb lb-0 --rule rule-http --as-of middle", try medianMilliseconds { _ = try store.loadBalancerHealthReport(loadBalancer: "lb-0", rule: "rule-http", asOf: middle, format: .json) }))
    func history(_ subject: HistorySubject) throws -> Double {
        try medianMilliseconds { _ = try store.historyReport(subject, since: nil, until: nil, changesOnly: false, format: .csv) }
    }
    queries.append(("history --pool hp-0 --host sh-0-0", try history(.host(pool: "hp-0", host: "sh-0-0"))))
    queries.append(("history --lb lb-0 --ip 10.0.0.4", try history(.backend(loadBalancer: "lb-0", ipAddress: "10.0.0.4"))))
    queries.append(("history --scale-set vmss-0 --instance 0", try history(.instance(scaleSet: "vmss-0", instanceId: "0"))))
    queries.append(("history --pool hp-0 --update", try history(.update(pool: "hp-0"))))
    func availability(_ scope: AvailabilityScope) throws -> Double {
        try medianMilliseconds { _ = try store.availabilityReport(scope, since: first, until: updateAt, byGroup: false, format: .csv) }
    }
    queries.append(("report availability --pool hp-0 (whole log)", try availability(.hosts(pool: "hp-0"))))
    queries.append(("report availability --lb lb-0 --rule rule-http (whole log)", try availability(.backends(loadBalancer: "lb-0", rule: "rule-http"))))
    queries.append(("report availability --scale-set vmss-0 (whole log)", try availability(.instances(scaleSet: "vmss-0"))))

    // The results.
    let events = Double(options.events)
    let ingestRate = events / ingestSeconds, floorRate = events / floorSeconds
    let ourPerEvent = Double(ourBytes) / events, floorPerEvent = Double(floorBytes) / events
    var table = [
        ("events", grouped(options.events) + " (\(formatted(Double(inputBytes) / events, 0)) bytes of NDJSON each, \(streamIDs.count) streams)"),
        ("ingest (append, read models current)", "\(grouped(Int(ingestRate))) events/s (\(formatted(ingestSeconds, 2)) s)"),
        ("floor (raw SQLite INSERT per line)", "\(grouped(Int(floorRate))) events/s (\(formatted(floorSeconds, 2)) s)"),
        ("ingest / floor", formatted(ingestRate / floorRate, 2) + "x"),
        ("peak memory during ingest", "\(grouped(peakResident / 1_048_576)) MiB (\(grouped(residentBefore / 1_048_576)) MiB before)"),
        ("rebuild", "\(grouped(Int(events / rebuildSeconds))) events/s (\(formatted(rebuildSeconds, 2)) s)"),
        ("verify (hash chain and read models)", "\(grouped(Int(events / verifySeconds))) events/s (\(formatted(verifySeconds, 2)) s)"),
        ("bytes per event on disk", "\(formatted(ourPerEvent)) (floor \(formatted(floorPerEvent)), \(formatted(ourPerEvent / floorPerEvent, 2))x)"),
    ]
    for (name, milliseconds) in queries { table.append(("query: " + name, formatted(milliseconds, 2) + " ms")) }
    let width = table.map(\.0.count).max() ?? 0
    #if DEBUG
    print("(a debug build: these figures say nothing about speed; use swift run -c release fleetledger-bench)")
    #endif
    print("FleetLedger benchmark: \(ProcessInfo.processInfo.activeProcessorCount) cores, durability \(options.durability.rawValue), commit every \(grouped(options.commitEvery)) lines, SQLite \(EventStore.sqliteVersion)")
    for (name, value) in table { print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }

    let json: [String: Any] = [
        "events": options.events, "seed": options.seed, "commitEvery": options.commitEvery, "durability": options.durability.rawValue,
        "cores": ProcessInfo.processInfo.activeProcessorCount, "sqlite": EventStore.sqliteVersion, "streams": streamIDs.count,
        "ingest": ["seconds": ingestSeconds, "eventsPerSecond": ingestRate, "peakResidentBytes": peakResident],
        "floor": ["seconds": floorSeconds, "eventsPerSecond": floorRate],
        "ingestToFloorRatio": ingestRate / floorRate,
        "rebuild": ["seconds": rebuildSeconds, "eventsPerSecond": events / rebuildSeconds],
        "verify": ["seconds": verifySeconds, "eventsPerSecond": events / verifySeconds],
        "bytesPerEvent": ["ours": ourPerEvent, "floor": floorPerEvent, "ratio": ourPerEvent / floorPerEvent],
        "queriesMilliseconds": Dictionary(uniqueKeysWithValues: queries),
    ]
    let directory = (options.output as NSString).deletingLastPathComponent
    if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
    try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: options.output))
    log("wrote \(options.output)")
}

Options.main()
