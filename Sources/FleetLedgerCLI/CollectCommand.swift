import ArgumentParser
import FleetCollect
import FleetLedger
import FleetEvents
import FleetStore
import Foundation
import Synchronization

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Poll Azure Resource Manager on a schedule and import what it reports (changes only).",
        discussion: """
            Every cycle (--every, else the config's every, else 60 s) fetches each resource the config names: a host pool's \
            session hosts (every page) and update status, each load balancer rule's health (following 202 and its Location), \
            a scale set's VMs with their instance view; each answer is imported as `import` does, dated when Azure answered \
            (its Date header), each resource in a transaction of its own. 429 and 503 wait for Retry-After; other 5xx and \
            failed connections retry with backoff, then that resource fails and the others go on. One line per cycle on \
            stderr. SIGTERM or Ctrl-C stops after the resource under way. --once runs one cycle: exit 0, 1 when a \
            resource failed, 130 when stopped. The config's shape is in docs/commands.md.
            """
    )

    @OptionGroup var store: WriterOptions

    @Option(help: ArgumentHelp("The collector's config: subscription, every, hostPools, loadBalancers, scaleSets (JSON).", valueName: "file"))
    var config: String

    @Flag(help: "Run one cycle and exit: 0 when every resource went through, 1 when one failed, 130 when stopped.")
    var once = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Time between cycles' starts, instead of the config's every.", valueName: "duration"),
            transform: CommandLineDuration.parse)
    var every: TimeSpan?

    @Option(help: ArgumentHelp("The command whose output is the bearer token (default: az account get-access-token for the endpoint).", valueName: "command"))
    var tokenCommand: String?

    @Option(help: ArgumentHelp("Azure Resource Manager's endpoint (a sovereign cloud's, or a test's).", valueName: "url"))
    var armEndpoint = "https://management.azure.com"

    func validate() throws {
        guard let url = URL(string: armEndpoint), ["https", "http"].contains(url.scheme ?? ""), url.host != nil,
              url.path.isEmpty || url.path == "/", url.query == nil, url.fragment == nil, !armEndpoint.contains(where: { "'\"$`; \\".contains($0) }) else {
            throw ValidationError("--arm-endpoint \(armEndpoint) is not an endpoint: give scheme://host[:port], such as https://management.azure.com.")
        }
        if let every, every.nanoseconds < 1_000_000_000 { throw ValidationError("--every must be at least 1s.") }
    }

    func run() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: config, isDirectory: &isFolder), !isFolder.boolValue,
              let text = try? String(contentsOfFile: config, encoding: .utf8) else {
            throw ImportRefusal("--config \(config): " + (FileManager.default.fileExists(atPath: config) ? "is not a readable text file." : "no such file."))
        }
        var parsed: CollectConfig
        do { parsed = try CollectConfig.parse(text) } catch { throw ImportRefusal("\(config): \(error).") }
        if let every { parsed.every = every.nanoseconds / 1_000_000_000 }
        let settings = Settings(config: parsed, path: store.resolvedPath, durability: store.durability.level, options: store.appendOptions(),
                                endpoint: URL(string: armEndpoint)!, tokenCommand: tokenCommand
                                    ?? "az account get-access-token --resource \(armEndpoint) --query accessToken -o tsv",
                                once: once)
        // The store is made sure of before the first poll: a path it cannot use fails now, not in a minute.
        _ = try store.openOrCreateStore()
        Interruption.install(terminating: true)
        defer { Interruption.uninstall() }
        let console = Console.current
        let failed = Self.blocking { await Self.collect(settings, console: console) }
        if case .failure(let error) = failed { throw error }
        // Stopped during --once: the cycle was cut short.
        if once, Interruption.requested { throw ExitCode(130) }
        if case .success(let anyFailed) = failed, once, anyFailed { throw ExitCode(1) }
    }

    /// What the collecting task needs, all of it Sendable: it opens its own store.
    private struct Settings: Sendable {
        var config: CollectConfig
        var path: String
        var durability: StoreDurability
        var options: AppendOptions
        var endpoint: URL
        var tokenCommand: String
        var once: Bool
    }

    /// Runs cycles until stopped (or one, with --once); whether the last cycle had a failure.
    private static func collect(_ settings: Settings, console: Console) async -> Result<Bool, any Error> {
        do {
            let store = try StoreLocation(settings.path).open(creating: true, durability: settings.durability)
            var arm = ResourceManager(endpoint: settings.endpoint, transport: URLSessionTransport(), clock: SystemClock(),
                                      tokens: TokenSource(command: settings.tokenCommand, shouldStop: { Interruption.requested }))
            arm.shouldStop = { Interruption.requested }
            let collector = Collector(config: settings.config, store: store, arm: arm, options: settings.options,
                                      shouldStop: { Interruption.requested })
            return .success(await collector.run(once: settings.once) { console.error($0.line) })
        } catch {
            return .failure(error)
        }
    }

    /// Runs `work` to its end from this synchronous command. The caller's thread waits, so it must
    /// not be one of Swift's cooperative threads (the process's main thread is not; a test runs the
    /// command on a thread of its own), or the work could find no thread to run on.
    private static func blocking<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) -> Value {
        let result = Mutex<Value?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
