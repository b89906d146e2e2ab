import Foundation

/// Seconds taken by `body`, on the monotonic clock.
/// Writes every dirty page in the kernel's cache to disk, so that a timed phase does not share the
/// machine's two cores and its disk with the writeback of the files the phase before it wrote
/// (the floors write about 500 MB at 1M events; rebuild, timed after them, moved by half).
func settleDisk() {
    sync()
}

func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// The process's peak resident set size so far, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss) * 1024  // Linux reports kilobytes
}

/// The current resident set size, in bytes, from /proc (0 where it is not available).
func currentResidentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// The folder a run works in: `--workdir`, or a fresh temporary one named `name`.
func workingDirectory(_ options: Options, name: String) throws -> String {
    let workdir = options.workdir ?? NSTemporaryDirectory() + "\(name)-\(getpid())"
    try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
    return workdir
}

/// Deletes the SQLite files at `paths`, with their WAL and shared-memory files, so a run starts afresh.
func removeStoreFiles(_ paths: [String]) {
    for path in paths {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// Writes a run's figures as JSON to `path`, making its folder; says on stderr what became of it.
func writeResults(_ json: [String: Any], to path: String) {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
    do {
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
        log("wrote \(path)")
    } catch {
        log("could not write \(path): \(error)")
    }
}

/// The size of a database file plus its WAL, in bytes.
func storeBytes(_ path: String) -> Int {
    [path, path + "-wal"].reduce(0) { total, file in
        total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
    }
}

/// The median of a query's run times, in milliseconds, after one warm-up run.
func medianMilliseconds(runs: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<runs { times.append(try seconds(body).1 * 1000) }
    return times.sorted()[runs / 2]
}

func formatted(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}

func grouped(_ value: Int) -> String {
    let digits = String(value)
    var result = ""
    for (index, character) in digits.reversed().enumerated() {
        if index > 0, index % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return String(result.reversed())
}
