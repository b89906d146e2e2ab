import FleetLedgerCLI
import FleetTestSupport
import Foundation
import Testing

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
