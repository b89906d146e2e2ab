import FleetLedgerCLI
import FleetTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `fleetledger collect --once` end to end: the command, its config, its token command and its
/// line on stderr, against the fake Resource Manager.
@Suite("fleetledger collect --once")
struct CollectCommandTests {
    let directory = TemporaryDirectory()

    func config(_ text: String) -> String { directory.write("collect.json", text) }

    static let whole = """
        {"subscription": "\(CollectorTests.subscription)", "every": "60s",
         "hostPools": [{"resourceGroup": "rg1", "name": "hostPool1"}],
         "loadBalancers": [{"resourceGroup": "rg1", "name": "lb1", "rules": ["rulelb"]}],
         "scaleSets": [{"resourceGroup": "rg1", "name": "vmss1", "as": "vmss-web"}]}
        """

    func collect(_ base: URL, config: String) async -> (code: Int32, stdout: String, stderr: String) {
        let arguments = ["collect", "--config", config, "--once", "--arm-endpoint", base.absoluteString,
                         "--token-command", "echo token-from-command", "--db", directory.path("store.sqlite")]
        let console = Console.capturing()
        let code = await Self.onThread { FleetLedgerCommand.run(arguments, console: console) }
        return (code, console.standardOutput, console.standardError)
    }

    /// Runs `work` on a thread of its own, as the command runs on the process's main thread: it
    /// waits for its collecting task, which a test's cooperative thread must not.
    static func onThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    @Test("one cycle: every resource imported, one line on stderr, exit 0; a resource that fails makes it exit 1, the others still land")
    func once() async throws {
        let fake = FakeResourceManager()
        let file = config(Self.whole)
        let (first, failed) = try await fake.serving { base in
            try CollectorTests.script(fake, base: base)
            let first = await collect(base, config: file)
            fake.on(CollectorTests.vms, .init(status: 403, body: #"{"error":{"code":"AuthorizationFailed","message":"no"}}"#))
            return (first, await collect(base, config: file))
        }
        #expect(first.code == 0, "\(first.stderr)")
        #expect(first.stderr.hasPrefix("collect: 4 resources, appended 12 events in "), "\(first.stderr)")
        #expect(fake.requests.allSatisfy { $0.authorization == "Bearer token-from-command" })
        #expect(failed.code == 1)
        #expect(failed.stderr.contains("collect: 4 resources, appended 0 events in ") && failed.stderr.contains("1 failed: scale set vmss1's VMs: GET "))
        #expect(failed.stderr.contains("answered 403 AuthorizationFailed: no"))
        let vmss = FleetLedgerCommand.run(["vmss", "list", "--format", "csv", "--db", directory.path("store.sqlite")], console: .capturing())
        #expect(vmss == 0)
    }

    @Test("a config error is one sentence naming the key, exit 1, before anything is fetched")
    func badConfig() async throws {
        let console = Console.capturing()
        let file = config(#"{"subscription": "00000000-0000-0000-0000-000000000000", "hostPools": [{"resourceGroup": "rg1", "nme": "hp"}]}"#)
        let arguments = ["collect", "--config", file, "--once", "--arm-endpoint", "http://127.0.0.1:9", "--token-command", "echo t",
                         "--db", directory.path("store.sqlite")]
        let code = await Self.onThread { FleetLedgerCommand.run(arguments, console: console) }
        #expect(code == 1)
        #expect(console.standardError == "Error: \(file): key nme in hostPools[0] is not known: the keys are resourceGroup, name, as.\n")
    }
}

/// `fleetledger collect` as a real process: killed, stopped, restarted.
@Suite("fleetledger collect as a process")
struct CollectProcessTests {
    let directory = TemporaryDirectory()

    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("fleetledger")

    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build fleetledger first: swift build")
        try process.run()
        return process
    }

    /// Waits for `process` to end without holding one of the test pool's threads: the fake server
    /// the process talks to needs them.
    func finished(_ process: Process) async throws {
        while process.isRunning { try await Task.sleep(nanoseconds: 50_000_000) }
    }

    func events(in store: String) -> [String] {
        let console = Console.capturing()
        _ = FleetLedgerCommand.run(["events", "--format", "ndjson", "--db", store], console: console)
        return console.standardOutput.split(separator: "\n").map(String.init)
    }

    @Test("killed with SIGKILL mid-cycle, a restart lands the rest and nothing twice; SIGTERM stops it with exit 0")
    func killAndRestart() async throws {
        let fake = FakeResourceManager()
        let config = directory.write("collect.json", CollectCommandTests.whole)
        let store = directory.path("store.sqlite")
        try await fake.serving { base in
            try CollectorTests.script(fake, base: base)
            // The rule's health never finishes: the collector waits on it, mid-cycle, after the hosts landed.
            fake.on(CollectorTests.rule, .init(status: 202, headers: ["Location": base.absoluteString + "/operations/never", "Retry-After": "1"]))
            fake.on("/operations/never", .init(status: 202, headers: ["Location": base.absoluteString + "/operations/never", "Retry-After": "1"]))
            let arguments = ["collect", "--config", config, "--arm-endpoint", base.absoluteString, "--token-command", "echo t", "--db", store]
            let first = try start(arguments)
            var landed = 0
            for _ in 0..<100 where landed == 0 {
                try await Task.sleep(nanoseconds: 100_000_000)
                landed = FileManager.default.fileExists(atPath: store) ? events(in: store).count : 0
            }
            #expect(landed == 6, "the session hosts, in their own transaction, before the rule")
            kill(first.processIdentifier, SIGKILL)
            try await finished(first)

            // Restarted, with the rule answering: the rest lands, the hosts are not appended again.
            try CollectorTests.script(fake, base: base)
            let second = try start(arguments + ["--once"])
            try await finished(second)
            #expect(second.terminationStatus == 0)
            let all = events(in: store)
            #expect(all.count == 12, "as one uninterrupted cycle appends")
            let ids = all.compactMap { line in line.range(of: #""id":"[^"]+""#, options: .regularExpression).map { String(line[$0]) } }
            #expect(ids.count == all.count && Set(ids).count == all.count, "every event once")

            // SIGTERM while it waits for the next cycle: it stops, exit 0.
            let third = try start(arguments)
            try await Task.sleep(nanoseconds: 1_500_000_000)
            kill(third.processIdentifier, SIGTERM)
            try await finished(third)
            #expect(third.terminationReason == .exit && third.terminationStatus == 0)
        }
        let console = Console.capturing()
        #expect(FleetLedgerCommand.run(["verify", "--db", store], console: console) == 0)
    }
}
