import FleetCollect
import FleetDomains
import FleetEvents
import FleetLedger
import FleetStore
import FleetTestSupport
import Foundation
import Synchronization
import Testing

/// The collector against a fake Resource Manager on 127.0.0.1 serving Azure's published examples.
@Suite("fleetledger collect against a fake Resource Manager")
struct CollectorTests {
    let directory = TemporaryDirectory()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../FleetLedgerCLITests/Fixtures/azure")

    static func example(_ name: String) -> String {
        (try? String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    static let subscription = "00000000-0000-0000-0000-000000000001"
    static let pool = "/subscriptions/\(subscription)/resourceGroups/rg1/providers/Microsoft.DesktopVirtualization/hostPools/hostPool1"
    static let hosts = pool + "/sessionHosts"
    static let update = pool + "/sessionHostManagements/default/sessionHostUpdateStatuses/default"
    static let rule = "/subscriptions/\(subscription)/resourceGroups/rg1/providers/Microsoft.Network/loadBalancers/lb1/loadBalancingRules/rulelb/health"
    static let vms = "/subscriptions/\(subscription)/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/vmss1/virtualMachines"

    static let config = CollectConfig(
        subscription: subscription, every: 60,
        hostPools: [.init(resourceGroup: "rg1", name: "hostPool1")],
        loadBalancers: [.init(resourceGroup: "rg1", name: "lb1", rules: ["rulelb"])],
        scaleSets: [.init(resourceGroup: "rg1", name: "vmss1")])

    /// Azure's session host list split into two pages, the first pointing at the second.
    static func pages(base: URL, list: String = example("sessionhost-list.json")) throws -> (String, String) {
        let value = try JSONSerialization.jsonObject(with: Data(list.utf8)) as! [String: Any]
        let items = value["value"] as! [Any]
        func page(_ items: [Any], next: String?) throws -> String {
            var body: [String: Any] = ["value": items]
            if let next { body["nextLink"] = next }
            return String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        }
        return (try page([items[0]], next: base.absoluteString + Self.hosts + "?api-version=2024-04-03&%24skiptoken=2"),
                try page(Array(items.dropFirst()), next: nil))
    }

    /// The fake's usual answers: two pages of hosts, no update, a rule's health after a 202, the scale set's VMs with vmHealth.
    static func script(_ fake: FakeResourceManager, base: URL) throws {
        let (first, second) = try pages(base: base)
        fake.on(hosts, .init(status: 200, body: first), .init(status: 200, body: second))
        fake.on(update, .init(status: 404, body: #"{"error":{"code":"ResourceNotFound","message":"no update"}}"#))
        fake.on(rule, .init(status: 202, headers: ["Location": base.absoluteString + "/operations/op1", "Retry-After": "3"]))
        fake.on("/operations/op1", .init(status: 200, body: example("lb-rule-health.json")))
        fake.on(vms, .init(status: 200, body: vmList))
    }

    /// Azure's scale set VM list example with a real `vmHealth` code, and no nextLink (the example's points elsewhere).
    static var vmList: String {
        var value = try! JSONSerialization.jsonObject(with: Data(example("vmss-vm-list.json").utf8)) as! [String: Any]
        value["nextLink"] = nil
        return String(decoding: try! JSONSerialization.data(withJSONObject: value), as: UTF8.self)
            .replacingOccurrences(of: #""code":"aaaaaaaaaaaaaaaaaaaaaaa""#, with: #""code":"HealthState\/healthy""#)
            .replacingOccurrences(of: #""code":"aaaaaaaaaaaaaaaaaaaaaaa""#, with: #""code":"HealthState/healthy""#)
    }

    func collector(_ base: URL, clock: TestClock, store: EventStore, tokens: TokenSource = TokenSource { "token-1" },
                   timeout: Double = 5) -> Collector {
        var arm = ResourceManager(endpoint: base, transport: URLSessionTransport(), clock: clock, tokens: tokens)
        arm.timeout = timeout
        arm.stopCheck = 3600
        return Collector(config: Self.config, store: store, arm: arm, options: AppendOptions())
    }

    @Test("a cycle follows nextLink to the last page, polls a 202's Location after its Retry-After, takes a 404 update as none, and lands every resource")
    func cycle() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        let cycle = try await fake.serving { base in
            try Self.script(fake, base: base)
            return await collector(base, clock: clock, store: store).cycle()
        }
        #expect(cycle.failures.isEmpty, "\(cycle.line)")
        #expect(cycle.polls.map(\.resource) == ["host pool hostPool1's session hosts", "host pool hostPool1's update status",
                                                "rule rulelb of load balancer lb1", "scale set vmss1's VMs"])
        #expect(fake.count(Self.hosts) == 2, "both pages")
        #expect(fake.count("/operations/op1") == 1)
        #expect(clock.waits == [3], "the 202's Retry-After, and no other wait")
        #expect(fake.requests.allSatisfy { $0.authorization == "Bearer token-1" })
        #expect(cycle.polls.map(\.appended) == [6, 0, 4, 2])
        #expect(cycle.line.hasPrefix("collect: 4 resources, appended 12 events in "))
    }

    @Test("a second cycle with one host changed appends exactly that change")
    func secondCycle() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        let (first, second) = try await fake.serving { base in
            try Self.script(fake, base: base)
            let collector = collector(base, clock: clock, store: store)
            let first = await collector.cycle()
            // Host 2 (on the second page) is drained.
            let (page1, page2) = try Self.pages(base: base)
            fake.on(Self.hosts, .init(status: 200, body: page1), .init(status: 200, body: page2.replacingOccurrences(of: #""allowNewSession":true"#, with: #""allowNewSession":false"#)))
            return (first, await collector.cycle())
        }
        #expect(first.appended == 12)
        #expect(second.polls.map(\.appended) == [1, 0, 0, 0], "\(second.line)")
    }

    @Test("429 waits for Retry-After (seconds or an HTTP date), a 500 that recovers retries, a 401 fetches a new token once")
    func retries() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        let fetched = Mutex(0)
        let tokens = TokenSource { fetched.withLock { $0 += 1; return "token-\($0)" } }
        let cycle = try await fake.serving { base in
            try Self.script(fake, base: base)
            let (first, second) = try Self.pages(base: base)
            fake.on(Self.hosts, .init(status: 429, headers: ["Retry-After": "7"]), .init(status: 200, body: first), .init(status: 200, body: second))
            fake.on(Self.update, .init(status: 401), .init(status: 404))
            // An HTTP date 50 seconds after the response's own Date header.
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let later = formatter.string(from: Date().addingTimeInterval(50))
            fake.on(Self.vms, .init(status: 503, headers: ["Retry-After": later]), .init(status: 500),
                    .init(status: 200, body: Self.vmList))
            return await collector(base, clock: clock, store: store, tokens: tokens).cycle()
        }
        #expect(cycle.failures.isEmpty, "\(cycle.line)")
        #expect(fetched.withLock { $0 } == 2, "a new token after the 401")
        #expect(clock.waits.first == 7)
        // The date was written when the script was, 50 s ahead; the response's Date comes later, by
        // as long as the cycle took to reach it (seconds on a slow machine), never earlier. Measured
        // from the test clock's own time instead, the wait would be months away.
        #expect(clock.waits.count > 2 && (35...51).contains(clock.waits[2]), "the HTTP date, 50 seconds after the script's time: \(clock.waits)")
        #expect(clock.waits.count == 4, "429, 202, 503 and 500: \(clock.waits)")
    }

    @Test("a 500 that does not recover fails its resource after a few tries, with Azure's error code; the others land")
    func persistentFailure() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        let cycle = try await fake.serving { base in
            try Self.script(fake, base: base)
            fake.on(Self.rule, .init(status: 500, body: #"{"error":{"code":"InternalServerError","message":"try later"}}"#))
            fake.on(Self.vms, .init(status: 403, body: #"{"error":{"code":"AuthorizationFailed","message":"no access to vmss1"}}"#))
            return await collector(base, clock: clock, store: store).cycle()
        }
        #expect(cycle.failures.map(\.resource) == ["rule rulelb of load balancer lb1", "scale set vmss1's VMs"])
        #expect(cycle.failures[0].failure?.contains("answered 500 InternalServerError: try later, 4 times") == true, "\(cycle.line)")
        #expect(cycle.failures[1].failure?.contains("answered 403 AuthorizationFailed: no access to vmss1") == true)
        #expect(fake.count(Self.rule) == 4 && fake.count(Self.vms) == 1, "a 403 is not retried")
        #expect(cycle.appended == 6, "the session hosts landed")
        #expect(cycle.line.contains("; 2 failed: rule rulelb of load balancer lb1: "))
    }

    @Test("cycles start every `every` seconds, the waits through the clock, until stopped")
    func schedule() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        let cycles = Mutex(0)
        let starts = Mutex<[Date]>([])
        try await fake.serving { base in
            try Self.script(fake, base: base)
            var arm = ResourceManager(endpoint: base, transport: URLSessionTransport(), clock: clock, tokens: TokenSource { "t" })
            arm.stopCheck = 3600
            let collector = Collector(config: Self.config, store: store, arm: arm, options: AppendOptions(), shouldStop: { cycles.withLock { $0 } >= 3 })
            let failed = await collector.run(once: false, stopCheck: 60) { _ in
                cycles.withLock { $0 += 1 }
                starts.withLock { $0.append(clock.now()) }
            }
            #expect(!failed)
        }
        #expect(cycles.withLock { $0 } == 3)
        // Each cycle waits 3 s for the rule's 202; the next starts 60 s after the last one started.
        let ends = starts.withLock { $0 }.map { $0.timeIntervalSince1970 - 1_768_046_400 }
        #expect(ends == [3, 63, 123], "\(ends)")
        #expect(clock.waits == [3, 57, 3, 57, 3], "\(clock.waits)")
    }

    @Test("a scale set in Flexible orchestration: its VMs are read as the resource group's VMs of that scale set, each with its instance view")
    func flexible() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        let group = "/subscriptions/\(Self.subscription)/resourceGroups/rg1/providers/Microsoft.Compute"
        var view = try JSONSerialization.jsonObject(with: Data(Self.example("vm-instance-view.json").utf8)) as! [String: Any]
        view["vmHealth"] = ["status": ["code": "HealthState/unhealthy", "level": "Warning", "displayStatus": "The VM is unhealthy", "time": "2026-01-10T11:59:00Z"]]
        let vm: [String: Any] = ["id": group + "/virtualMachines/vmss1_3f2a", "name": "vmss1_3f2a", "type": "Microsoft.Compute/virtualMachines",
                                 "properties": ["virtualMachineScaleSet": ["id": group + "/virtualMachineScaleSets/vmss1"], "instanceView": view]]
        let list = String(decoding: try JSONSerialization.data(withJSONObject: ["value": [vm]]), as: UTF8.self)
        let cycle = try await fake.serving { base in
            try Self.script(fake, base: base)
            fake.on(Self.vms, .init(status: 400, body: #"{"error":{"code":"OperationNotAllowed","message":"not for Flexible orchestration"}}"#))
            fake.on(group + "/virtualMachines", .init(status: 200, body: list))
            var config = Self.config
            config.hostPools = []
            config.loadBalancers = []
            let arm = ResourceManager(endpoint: base, transport: URLSessionTransport(), clock: clock, tokens: TokenSource { "t" })
            return await Collector(config: config, store: store, arm: arm, options: AppendOptions()).cycle()
        }
        #expect(cycle.failures.isEmpty, "\(cycle.line)")
        let listed = try #require(fake.requests.last?.target)
        #expect(listed.contains("$filter=") && listed.contains("virtualMachineScaleSet%2Fid"), "\(listed)")
        let health = try ScaleSetQueries.health(in: store.projections(asOf: nil), scaleSet: "vmss1")
        #expect(health.instances.map(\.instanceId) == ["vmss1_3f2a"])
        #expect(health.instances.first?.state == .unhealthy)
    }

    @Test("a request that times out is retried, then fails its resource")
    func timeout() async throws {
        let silent = try SilentListener()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        var arm = ResourceManager(endpoint: URL(string: "http://127.0.0.1:\(silent.port)")!, transport: URLSessionTransport(), clock: clock,
                                  tokens: TokenSource { "t" })
        arm.timeout = 1
        arm.attempts = 2
        arm.stopCheck = 3600
        var config = Self.config
        config.loadBalancers = []
        config.scaleSets = []
        let cycle = await Collector(config: config, store: store, arm: arm, options: AppendOptions()).cycle()
        #expect(cycle.failures.count == 2, "\(cycle.line)")
        #expect(cycle.failures.first?.failure?.contains("failed 2 times; the last: timed out") == true, "\(cycle.line)")
        #expect(clock.waits.count == 2, "one backoff before each second try")
    }

    @Test("a nextLink or Location pointing at another host is refused: the token goes only to the endpoint")
    func foreignLinks() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let clock = TestClock()
        let cycle = try await fake.serving { base in
            try Self.script(fake, base: base)
            fake.on(Self.rule, .init(status: 202, headers: ["Location": "https://attacker.example/op"]))
            return await collector(base, clock: clock, store: store).cycle()
        }
        #expect(cycle.failures.first?.failure?.contains("a Location points at https://attacker.example:443, not http://127.0.0.1:") == true, "\(cycle.line)")
    }

    @Test("a redirect is not followed (it would carry the token): the 3xx fails the resource")
    func redirects() async throws {
        let fake = FakeResourceManager()
        let store = try EventStore(path: directory.path("store.sqlite"))
        let cycle = try await fake.serving { base in
            try Self.script(fake, base: base)
            fake.on(Self.update, .init(status: 307, headers: ["Location": base.absoluteString + "/stolen"]))
            return await collector(base, clock: TestClock(), store: store).cycle()
        }
        #expect(cycle.failures.map(\.resource) == ["host pool hostPool1's update status"], "\(cycle.line)")
        #expect(cycle.failures.first?.failure?.contains("answered 307") == true)
        #expect(fake.count("/stolen") == 0, "the redirect was not followed")
    }

    @Test("links count as the endpoint's when scheme, host (any case) and port (443 named or not) agree; Retry-After is digits or a date, capped")
    func originsAndRetryAfter() {
        let endpoint = URL(string: "https://management.azure.com")!
        #expect(ResourceManager.origin(URL(string: "https://Management.Azure.com:443/subscriptions/s?a=1")!) == ResourceManager.origin(endpoint))
        #expect(ResourceManager.origin(URL(string: "http://management.azure.com/x")!) != ResourceManager.origin(endpoint))
        #expect(ResourceManager.origin(URL(string: "https://management.azure.com:8443/x")!) != ResourceManager.origin(endpoint))
        let now = Date(timeIntervalSince1970: 1_768_046_400)
        #expect(ResourceManager.retryAfter("7", now: now) == 7)
        #expect(ResourceManager.retryAfter("inf", now: now) == nil && ResourceManager.retryAfter("1e30", now: now) == nil)
        #expect(ResourceManager.retryAfter("Sat, 10 Jan 2026 12:01:00 GMT", now: now) == 60)
    }
}

@Suite("The collector's config")
struct CollectConfigTests {
    @Test("a whole config is read; a bad one is one sentence naming the key", arguments: [
        (#"{"subscription":"s-1","hostPools":[]}"#, "key subscription is \"s-1\", which is not a subscription id"),
        (#"{"subscription":"00000000-0000-0000-0000-000000000000","hostPool":[]}"#, "key hostPool is not known: the keys are subscription, every, hostPools, loadBalancers, scaleSets"),
        (#"{"subscription":"00000000-0000-0000-0000-000000000000","loadBalancers":[{"resourceGroup":"rg","name":"lb"}]}"#, "key loadBalancers[0].rules is missing or empty"),
        (#"{"subscription":"00000000-0000-0000-0000-000000000000","scaleSets":[{"resourceGroup":"rg","name":"s","alias":"x"}]}"#, "key alias in scaleSets[0] is not known"),
        (#"{"subscription":"00000000-0000-0000-0000-000000000000","every":"soon","scaleSets":[{"resourceGroup":"rg","name":"s"}]}"#, "key every is \"soon\""),
        (#"{"subscription":"00000000-0000-0000-0000-000000000000"}"#, "names no resource"),
    ])
    func refused(text: String, sentence: String) {
        let error = #expect(throws: ConfigError.self) { try CollectConfig.parse(text) }
        #expect(error?.description.contains(sentence) == true, "\(error?.description ?? "")")
    }

    @Test("the shape of ../shared/CLI.md's example")
    func example() throws {
        let config = try CollectConfig.parse("""
            {"subscription": "00000000-0000-0000-0000-000000000000", "every": "60s",
             "hostPools": [{"resourceGroup": "rg1", "name": "hostPool1"}],
             "loadBalancers": [{"resourceGroup": "rg1", "name": "lb1", "rules": ["rulelb"]}],
             "scaleSets": [{"resourceGroup": "rg1", "name": "myVirtualMachineScaleSet", "as": "vmss-web"}]}
            """)
        #expect(config.every == 60)
        #expect(config.scaleSets == [.init(resourceGroup: "rg1", name: "myVirtualMachineScaleSet", renamed: "vmss-web")])
        #expect(config.loadBalancers.first?.rules == ["rulelb"])
    }
}
