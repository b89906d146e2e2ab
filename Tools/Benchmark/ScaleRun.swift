import FleetLedger
import FleetStore
import Foundation

/// The scale run: one store grown to `--events` (10,000,000 for the README) in steps, each step
/// appended to our store and to both floors, so the cost per event of each is measured as the
/// stores grow. At the chosen sizes it also times rebuild and every query, now and as of the
/// middle, and records bytes per event. One run: it takes the better part of half an hour at 10M.
struct ScaleStep {
    var storedEvents: Int
    var ourMicroseconds: Double
    var storageFloorMicroseconds: Double
    var idempotentFloorMicroseconds: Double
    var residentBytes: Int
}

struct ScalePoint {
    var storedEvents: Int
    var step: ScaleStep
    var rebuildEventsPerSecond: Double
    var ourBytesPerEvent: Double
    var storageFloorBytesPerEvent: Double
    var idempotentFloorBytesPerEvent: Double
    var queries: [(name: String, milliseconds: Double)]
}

func runScale(_ options: Options) throws {
    let workdir = try workingDirectory(options, name: "fleetledger-scale")
    defer { if !options.keep && options.workdir == nil { try? FileManager.default.removeItem(atPath: workdir) } }
    log("generating \(grouped(options.events)) events (seed \(options.seed))...")
    let workload = try WorkloadFile.generate(events: options.events, seed: options.seed, path: workdir + "/workload.ndjson")
    let storePath = workdir + "/store.sqlite", storagePath = workdir + "/floor.sqlite", idempotentPath = workdir + "/floor-idempotent.sqlite"
    removeStoreFiles([storePath, storagePath, idempotentPath])
    let synchronous = options.durability.rawValue.uppercased()
    let store = try EventStore(path: storePath, durability: options.durability)
    let storageFloor = try RawFloor(path: storagePath, commitEvery: options.commitInterval, synchronous: synchronous, idempotent: false)
    let idempotentFloor = try RawFloor(path: idempotentPath, commitEvery: options.commitInterval, synchronous: synchronous, idempotent: true)
    let chunkPath = workdir + "/chunk.ndjson"
    guard let input = fopen(workload.path, "r") else { throw BenchError("cannot read \(workload.path)") }
    defer { fclose(input) }

    var steps: [ScaleStep] = []
    var points: [ScalePoint] = []
    var stored = 0
    while stored < options.events {
        let count = min(options.scaleStep, options.events - stored)
        try copyLines(count, from: input, to: chunkPath)
        let (summary, ours) = try seconds {
            try store.append(from: [.file(path: chunkPath)], options: AppendOptions(commitEvery: options.commitInterval))
        }
        guard summary.appended == count else { throw BenchError("appended \(summary.appended) of \(count) events") }
        let storage = options.skipFloors ? .nan : try storageFloor.store(file: chunkPath, firstLine: stored, of: workload)
        let idempotent = options.skipFloors ? .nan : try idempotentFloor.store(file: chunkPath, firstLine: stored, of: workload)
        stored += count
        let step = ScaleStep(storedEvents: stored, ourMicroseconds: ours / Double(count) * 1e6,
                             storageFloorMicroseconds: storage / Double(count) * 1e6,
                             idempotentFloorMicroseconds: idempotent / Double(count) * 1e6, residentBytes: currentResidentBytes())
        steps.append(step)
        log("  \(grouped(stored)) stored: ours \(formatted(step.ourMicroseconds)) µs/event, floors \(formatted(step.storageFloorMicroseconds)) / "
            + "\(formatted(step.idempotentFloorMicroseconds)) µs/event, resident \(step.residentBytes / 1_048_576) MiB")
        if options.scaleSizes.contains(stored) || stored == options.events {
            log("  rebuilding and querying at \(grouped(stored))...")
            try store.checkpointWAL()
            try storageFloor.checkpointWAL()
            try idempotentFloor.checkpointWAL()
            settleDisk()
            let (_, rebuild) = try seconds { try store.rebuild() }
            let queries = try measureQueries(store, startUpdate: points.isEmpty)
            points.append(ScalePoint(
                storedEvents: stored, step: step, rebuildEventsPerSecond: Double(stored) / rebuild,
                ourBytesPerEvent: Double(storeBytes(storePath)) / Double(stored),
                storageFloorBytesPerEvent: Double(storeBytes(storagePath)) / Double(stored),
                idempotentFloorBytesPerEvent: Double(storeBytes(idempotentPath)) / Double(stored), queries: queries))
        }
    }
    try? FileManager.default.removeItem(atPath: chunkPath)
    reportScale(steps: steps, points: points, peak: peakResidentBytes(), options: options)
}

/// Copies the next `count` lines of `input` to a fresh file at `path`.
func copyLines(_ count: Int, from input: UnsafeMutablePointer<FILE>, to path: String) throws {
    guard let output = fopen(path, "w") else { throw BenchError("cannot write \(path)") }
    defer { fclose(output) }
    var buffer: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(buffer) }
    for _ in 0..<count {
        let length = getline(&buffer, &capacity, input)
        guard length > 0 else { throw BenchError("the workload ended early") }
        fwrite(buffer, 1, length, output)
    }
}

func reportScale(steps: [ScaleStep], points: [ScalePoint], peak: Int, options: Options) {
    guard let first = points.first else { return }
    print("FleetLedger scale run: \(cpuModel()), \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite \(EventStore.sqliteVersion), "
        + "durability \(options.durability.rawValue), \(options.commitInterval.map { "commit every \(grouped($0)) lines" } ?? "one transaction per step"), "
        + "steps of \(grouped(options.scaleStep)) events; cost per event over the step ending at each size")
    var rows: [[String]] = [["stored events", "ours µs/event", "vs at \(grouped(first.storedEvents))", "storage floor", "idempotent floor",
                            "ours / storage floor", "rebuild events/s", "slowest query now", "slowest as-of", "bytes/event (floor)", "resident MiB"]]
    for point in points {
        let now = point.queries.filter { !$0.name.contains("--as-of") && !$0.name.hasPrefix("history") && !$0.name.hasPrefix("report") }
        let asOf = point.queries.filter { $0.name.contains("--as-of") && !$0.name.hasPrefix("history") && !$0.name.hasPrefix("report") }
        let slowestNow = now.max { $0.milliseconds < $1.milliseconds }
        let slowestAsOf = asOf.max { $0.milliseconds < $1.milliseconds }
        rows.append([
            grouped(point.storedEvents), formatted(point.step.ourMicroseconds),
            formatted(point.step.ourMicroseconds / first.step.ourMicroseconds, 2) + "x",
            formatted(point.step.storageFloorMicroseconds), formatted(point.step.idempotentFloorMicroseconds),
            formatted(point.step.storageFloorMicroseconds / point.step.ourMicroseconds, 2) + "x",
            grouped(Int(point.rebuildEventsPerSecond)),
            slowestNow.map { "\(formatted($0.milliseconds)) ms (\($0.name))" } ?? "",
            slowestAsOf.map { "\(formatted($0.milliseconds)) ms (\($0.name))" } ?? "",
            "\(formatted(point.ourBytesPerEvent)) (\(formatted(point.storageFloorBytesPerEvent)))",
            String(point.step.residentBytes / 1_048_576),
        ])
    }
    for row in rows { print(row.joined(separator: " | ")) }
    print("peak resident memory: \(peak / 1_048_576) MiB (the workload's own tables included)")
    let json: [String: Any] = [
        "events": options.events, "step": options.scaleStep, "seed": options.seed, "cpu": cpuModel(), "sqlite": EventStore.sqliteVersion,
        "commitEvery": options.commitInterval ?? 0, "durability": options.durability.rawValue, "peakResidentBytes": peak,
        // JSON has no NaN: a skipped floor is left out.
        "steps": steps.map { step in
            ["storedEvents": step.storedEvents, "ourMicroseconds": step.ourMicroseconds, "storageFloorMicroseconds": step.storageFloorMicroseconds,
             "idempotentFloorMicroseconds": step.idempotentFloorMicroseconds, "residentBytes": step.residentBytes].filter { ($0.value as? Double)?.isNaN != true }
        },
        "points": points.map { point -> [String: Any] in
            ["storedEvents": point.storedEvents, "rebuildEventsPerSecond": point.rebuildEventsPerSecond, "bytesPerEvent": point.ourBytesPerEvent,
             "storageFloorBytesPerEvent": point.storageFloorBytesPerEvent, "idempotentFloorBytesPerEvent": point.idempotentFloorBytesPerEvent,
             "queriesMilliseconds": Dictionary(uniqueKeysWithValues: point.queries.map { ($0.name, $0.milliseconds) })]
                .filter { ($0.value as? Double)?.isNaN != true }
        },
    ]
    writeResults(json, to: options.output)
    let chart = (options.output as NSString).deletingPathExtension + ".svg"
    do {
        try Data(scaleChart(steps).utf8).write(to: URL(fileURLWithPath: chart))
        log("wrote \(chart)")
    } catch {
        log("could not write \(chart): \(error)")
    }
}

/// A line chart of each store's cost per event against the events it holds.
func scaleChart(_ steps: [ScaleStep]) -> String {
    let width = 640.0, height = 360.0, left = 56.0, right = 16.0, top = 36.0, bottom = 44.0
    let maxEvents = Double(steps.last?.storedEvents ?? 1)
    let highest = steps.flatMap { [$0.ourMicroseconds, $0.storageFloorMicroseconds, $0.idempotentFloorMicroseconds] }.filter(\.isFinite).max() ?? 1
    let tick = [1.0, 2, 5, 10, 20, 50, 100].first { highest / $0 <= 8 } ?? 200
    let maxY = (highest / tick).rounded(.up) * tick
    func x(_ events: Int) -> Double { left + Double(events) / maxEvents * (width - left - right) }
    func y(_ microseconds: Double) -> Double { top + (1 - microseconds / maxY) * (height - top - bottom) }
    var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" \
        font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="20" font-size="14">Cost per appended event as the store grows (µs, lower is better)</text>

        """
    for step in stride(from: 0.0, through: maxY, by: tick) {
        svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(formatted(y(step)))\" y2=\"\(formatted(y(step)))\" stroke=\"#ddd\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(formatted(y(step) + 4))\" text-anchor=\"end\">\(Int(step))</text>\n"
    }
    let millions = Int(maxEvents / 1_000_000)
    for million in 0...max(millions, 1) where Double(million) * 1_000_000 <= maxEvents {
        let position = x(million * 1_000_000)
        svg += "<text x=\"\(formatted(position))\" y=\"\(formatted(height - bottom + 16))\" text-anchor=\"middle\">\(million)M</text>\n"
    }
    svg += "<text x=\"\(formatted((left + width - right) / 2))\" y=\"\(formatted(height - 8))\" text-anchor=\"middle\">events stored</text>\n"
    let series: [(String, String, KeyPath<ScaleStep, Double>)] = [
        ("FleetLedger append (every read model current)", "#1f77b4", \.ourMicroseconds),
        ("storage floor (raw SQLite INSERT)", "#2ca02c", \.storageFloorMicroseconds),
        ("idempotent floor (+ UNIQUE 16-byte id)", "#d62728", \.idempotentFloorMicroseconds),
    ]
    for (index, (name, colour, value)) in series.enumerated() where steps.allSatisfy({ $0[keyPath: value].isFinite }) {
        let points = steps.map { "\(formatted(x($0.storedEvents))),\(formatted(y($0[keyPath: value])))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
        let legendY = top + 8 + Double(index) * 16
        svg += "<line x1=\"\(left + 12)\" x2=\"\(left + 32)\" y1=\"\(formatted(legendY))\" y2=\"\(formatted(legendY))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(left + 38)\" y=\"\(formatted(legendY + 4))\">\(name)</text>\n"
    }
    return svg + "</svg>\n"
}
