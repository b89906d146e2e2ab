import Foundation
import Testing

/// The `fleetledger` binary beside the test bundle, run as a real process: for crashes, signals,
/// concurrent writers and resource limits, which an in-process run cannot show.
enum FleetLedgerProcess {
    static let binary: URL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("fleetledger")

    /// Starts `fleetledger arguments` with its output captured; `shell` runs a bash line instead,
    /// in which `$FLEETLEDGER` is the binary.
    static func start(_ arguments: [String], shell: String? = nil) throws -> RunningProcess {
        let process = Process()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", shell]
            process.environment = ProcessInfo.processInfo.environment.merging(["FLEETLEDGER": binary.path]) { $1 }
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build fleetledger first: swift build")
        try process.run()
        return RunningProcess(process: process, output: output, errors: errors)
    }

    /// Runs to the end.
    static func run(_ arguments: [String], shell: String? = nil) throws -> (exitCode: Int32, stdout: String, stderr: String) {
        try start(arguments, shell: shell).wait()
    }
}

/// A started process and its captured output.
final class RunningProcess: @unchecked Sendable {
    let process: Process
    private let output: Pipe
    private let errors: Pipe
    private var collected = (Data(), Data())
    private let group = DispatchGroup()

    init(process: Process, output: Pipe, errors: Pipe) {
        self.process = process
        self.output = output
        self.errors = errors
        // Drain both pipes while the process runs, so a full pipe never blocks it.
        group.enter()
        DispatchQueue.global().async { self.collected.0 = output.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
        group.enter()
        DispatchQueue.global().async { self.collected.1 = errors.fileHandleForReading.readDataToEndOfFile(); self.group.leave() }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    func wait() -> (exitCode: Int32, stdout: String, stderr: String) {
        process.waitUntilExit()
        group.wait()
        let code = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (code, String(decoding: collected.0, as: UTF8.self), String(decoding: collected.1, as: UTF8.self))
    }
}

/// `count` heartbeat events with ids, spread over `hosts` session hosts of pool `pool`, one second apart.
func heartbeats(_ count: Int, pool: String = "hp", hosts: Int = 20, idPrefix: Int = 0) -> String {
    let start = Date(timeIntervalSince1970: 1_713_150_000)
    let formatter = ISO8601DateFormatter()
    return (0..<count).map { n in
        let id = String(format: "00000000-0000-4000-8000-%012d", idPrefix * 10_000_000 + n)
        let at = formatter.string(from: start.addingTimeInterval(Double(n / hosts)))
        return #"{"type":"AgentHeartbeatReceived","at":"\#(at)","id":"\#(id)","data":{"hostPool":"\#(pool)","sessionHost":"sh-\#(n % hosts)"}}"#
    }.joined(separator: "\n") + "\n"
}
