import FleetTestSupport
import Foundation
import Testing

/// `fleetledger import` of Azure's REST responses: each published example, then a changed copy
/// of it, as a minute-by-minute poll would bring them.
@Suite("fleetledger import of REST responses")
struct ImportRESTTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("store.sqlite") }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/azure")

    static func example(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// The example with each `(old, new)` replaced, as a later poll would see it.
    func changed(_ name: String, _ replacements: [(String, String)], as file: String) throws -> String {
        var text = try Self.example(name)
        for (old, new) in replacements {
            #expect(text.contains(old), "the example holds \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return directory.write(file, text)
    }

    func run(_ arguments: String...) -> CLIResult { fleetledger(arguments + ["--db", db]) }

    func events() -> [String] { run("events", "--format", "ndjson").stdout.split(separator: "\n").map(String.init) }

    static func json(_ text: String) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSObject)
    }

    // MARK: Session hosts

    @Test("a session host list: check runs at their own times, status at statusTimestamp, allowNewSession at --at; the same list again appends nothing")
    func sessionHostList() throws {
        let list = Self.fixtures.appendingPathComponent("sessionhost-list.json").path
        let first = run("import", list, "--at", "2026-01-10T10:00:00Z")
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout == "imported 2 health check runs and 4 observations: appended 6, 0 already stored.\n")
        let stored = events()
        #expect(stored.filter { $0.contains(#""type":"SessionHostObserved""#) && $0.contains(#""status":"Available""#)
            && $0.contains(#""at":"2008-09-22T14:01:54.957124700Z""#) }.count == 2)
        // The resource's id rides on the newest observation, dated --at.
        #expect(stored.filter { $0.contains(#""allowNewSession":true"#) && $0.contains(#""at":"2026-01-10T10:00:00Z""#)
            && $0.contains(#""resourceId":"/subscriptions/"#) }.count == 2)
        #expect(stored.filter { $0.contains(#""type":"HealthCheckCompleted""#) && $0.contains(#""at":"2021-01-14T02:09:37.623684300Z""#) }.count == 2)

        let hosts = try #require(try Self.json(run("hosts", "--format", "json").stdout) as? [[String: Any]])
        #expect(hosts.map { $0["name"] as? String } == ["hostPool1/sessionHost1.microsoft.com", "hostPool1/sessionHost2microsoft.com"])
        #expect((hosts[0]["id"] as? String)?.hasSuffix("/hostPools/hostPool1/sessionHosts/sessionHost1.microsoft.com") == true)

        // A minute later Azure says the same: nothing to append, not even the drain mode at the new --at.
        let again = run("import", list, "--at", "2026-01-10T10:01:00Z")
        #expect(again.stdout == "imported 2 health check runs and 4 observations unchanged: appended 0, 2 already stored.\n")
        #expect(events().count == 6)

        // Then both hosts fail their domain check, Azure calls them Unavailable, and they are drained.
        let later = try changed("sessionhost-list.json", [
            (#""healthCheckResult": "HealthCheckSucceeded","#, #""healthCheckResult": "HealthCheckFailed","#),
            (#""lastHealthCheckDateTime": "2021-01-14T02:09:37.6236843Z""#, #""lastHealthCheckDateTime": "2026-01-10T10:04:00Z""#),
            (#""status": "Available","#, #""status": "Unavailable","#),
            (#""statusTimestamp": "2008-09-22T14:01:54.9571247Z""#, #""statusTimestamp": "2026-01-10T10:04:30Z""#),
            (#""allowNewSession": true"#, #""allowNewSession": false"#),
        ], as: "later.json")
        let third = run("import", later, "--at", "2026-01-10T10:05:00Z")
        #expect(third.stdout == "imported 2 health check runs and 4 observations: appended 6, 0 already stored.\n", "\(third.stderr)")
        #expect(run("hosts", "--format", "csv").stdout.contains("hostPool1,sessionHost1.microsoft.com,Unavailable,2026-01-10T10:04:00Z,false"))
        let history = run("history", "--pool", "hostPool1", "--host", "sessionHost1.microsoft.com", "--format", "csv").stdout
        #expect(history.contains("2026-01-10T10:04:30Z") && history.contains("observed from Azure: status Unavailable"))
        #expect(history.contains("observed from Azure: drain mode on"))
        #expect(run("import", later, "--at", "2026-01-10T10:06:00Z").stdout == "imported 2 health check runs and 4 observations unchanged: appended 0, 2 already stored.\n")
        #expect(run("verify").exitCode == 0)
    }

    @Test("the newer of Azure's status and the rules' verdict wins: a check that changes the verdict takes over, a later observation takes back")
    func whichStatusWins() throws {
        let get = try changed("sessionhost-get.json", [(#""statusTimestamp": "2008-09-22T14:01:54.9571247Z""#, #""statusTimestamp": "2026-01-10T10:00:00Z""#),
                                                         (#""status": "Available","#, #""status": "NoHeartbeat","#)], as: "get.json")
        #expect(run("import", get, "--at", "2026-01-10T10:00:10Z").exitCode == 0)
        let host = try #require(try Self.json(run("hosts", "--format", "json").stdout) as? [[String: Any]]).first
        let pool = try #require((host?["name"] as? String)?.split(separator: "/").first.map(String.init))
        let name = try #require((host?["name"] as? String)?.split(separator: "/").last.map(String.init))
        func status() -> String? {
            (try? Self.json(run("hosts", "--format", "json").stdout) as? [[String: Any]])?.first
                .flatMap { $0["properties"] as? [String: Any] }?["status"] as? String
        }
        #expect(status() == "NoHeartbeat", "Azure's word, a status the rules never give")
        // The rules' verdict stays Available after a passing check: Azure's status stands.
        let passed = #"{"type":"HealthCheckCompleted","at":"2026-01-10T10:01:00Z","data":{"hostPool":"\#(pool)","sessionHost":"\#(name)","healthCheckName":"UrlsAccessibleCheck","healthCheckResult":"HealthCheckSucceeded"}}"#
        #expect(run("append", directory.write("passed.ndjson", passed + "\n")).exitCode == 0)
        #expect(status() == "NoHeartbeat")
        // A failing fatal check changes the verdict: the rules take over.
        let failed = passed.replacingOccurrences(of: "10:01:00Z", with: "10:02:00Z").replacingOccurrences(of: "UrlsAccessibleCheck", with: "DomainJoinedCheck")
            .replacingOccurrences(of: "HealthCheckSucceeded", with: "HealthCheckFailed")
        #expect(run("append", directory.write("failed.ndjson", failed + "\n")).exitCode == 0)
        #expect(status() == "Unavailable")
        // Azure's same report again, stamped before the rules' change: unchanged, the rules' verdict stands.
        #expect(run("import", get, "--at", "2026-01-10T10:02:30Z").stdout == "imported 1 health check run and 2 observations unchanged: appended 0, 1 already stored.\n")
        #expect(status() == "Unavailable")
        // A newer observation takes back, though Azure says what it said before.
        let newer = try changed("sessionhost-get.json", [(#""statusTimestamp": "2008-09-22T14:01:54.9571247Z""#, #""statusTimestamp": "2026-01-10T10:03:00Z""#),
                                                           (#""status": "Available","#, #""status": "NoHeartbeat","#)], as: "newer.json")
        #expect(run("import", newer, "--at", "2026-01-10T10:03:10Z").stdout.contains("appended 1,"))
        #expect(status() == "NoHeartbeat")
        #expect(run("host", "--pool", pool, "--host", name).stdout.contains("NoHeartbeat (observed from Azure; the store's rules say Unavailable)"))
        #expect(run("verify").exitCode == 0)
    }

    @Test("a poll that says nothing new appends nothing: an undated check only when its result changes, a host removed here once, re-listed")
    func changesOnlyAcrossPolls() throws {
        let undated = try changed("sessionhost-get.json", [(#""lastHealthCheckDateTime": "2021-01-14T02:09:37.6236843Z""#, #""lastHealthCheckDateTime": "0001-01-01T00:00:00Z""#)],
                                  as: "undated.json")
        #expect(run("import", undated, "--at", "2026-01-10T10:00:00Z").stdout.contains("1 health check run"))
        #expect(run("import", undated, "--at", "2026-01-10T10:01:00Z").stdout == "imported 2 observations unchanged: appended 0, 0 already stored.\n")
        let host = try #require(try Self.json(run("hosts", "--format", "json").stdout) as? [[String: Any]]).first
        let parts = try #require((host?["name"] as? String)?.split(separator: "/").map(String.init))
        let removed = #"{"type":"SessionHostRemoved","at":"2026-01-10T10:02:00Z","data":{"hostPool":"\#(parts[0])","sessionHost":"\#(parts[1])"}}"#
        #expect(run("append", directory.write("removed.ndjson", removed + "\n")).exitCode == 0)
        #expect(run("hosts", "--format", "csv").stdout.split(whereSeparator: \.isNewline).count == 1, "removed: no host listed")
        // Azure still lists it: it is in the pool again, once.
        // Azure still lists it: it is in the pool again, once, with all Azure says of it at --at, then its check.
        #expect(run("import", undated, "--at", "2026-01-10T10:03:00Z").stdout == "imported 1 health check run and 1 observation: appended 2, 0 already stored.\n")
        #expect(run("import", undated, "--at", "2026-01-10T10:04:00Z").stdout == "imported 2 observations unchanged: appended 0, 0 already stored.\n")
        #expect(run("hosts", "--format", "csv").stdout.contains("\(parts[1]),Available,2026-01-10T10:03:00Z"))
    }

    @Test("--as renames one resource: rows of two host pools under one --as are refused")
    func renameOneResource() throws {
        let rows = ImportCommandTests.hour(from: 0, to: 2)
        let two = rows.replacingOccurrences(of: #""SessionHostName":"sh-2","_ResourceId":"/subscriptions/s/resourcegroups/rg/providers/microsoft.desktopvirtualization/hostpools/hp-finance""#,
                                            with: #""SessionHostName":"sh-2","_ResourceId":"/subscriptions/s/resourcegroups/rg2/providers/microsoft.desktopvirtualization/hostpools/hp-finance""#)
        #expect(two != rows)
        let refused = run("import", directory.write("two.json", two), "--as", "hp-merged")
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("--as hp-merged renames one resource, and the input names two"))
    }

    @Test("a host pool of the same name under another resource id is refused, naming both ids; --as stores it under another name")
    func sameNameOtherResource() throws {
        let list = Self.fixtures.appendingPathComponent("sessionhost-list.json").path
        #expect(run("import", list, "--at", "2026-01-10T10:00:00Z").exitCode == 0)
        let other = try changed("sessionhost-list.json", [("/resourceGroups/resourceGroup1/", "/resourceGroups/resourceGroup2/")], as: "other.json")
        let before = events()
        let refused = run("import", other, "--at", "2026-01-10T10:01:00Z")
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("host pool hostPool1 is stored as /subscriptions/daefabc0-95b4-48b3-b645-8a753a63c4fa/resourceGroups/resourceGroup1/providers/Microsoft.DesktopVirtualization/hostPools/hostPool1"))
        #expect(refused.stderr.contains("resourceGroup2") && refused.stderr.contains("--as NAME"))
        #expect(events() == before)
        let renamed = run("import", other, "--at", "2026-01-10T10:01:00Z", "--as", "hostPool1-rg2")
        #expect(renamed.exitCode == 0, "\(renamed.stderr)")
        #expect(run("hosts", "--pool", "hostPool1-rg2", "--format", "csv").stdout.contains("hostPool1-rg2,sessionHost1.microsoft.com,Available"))
    }

    // MARK: Load balancer rule health

    @Test("a rule's health: lb health --format json prints the body Azure returned; a changed body appends only what changed; the same again nothing")
    func ruleHealth() throws {
        let body = Self.fixtures.appendingPathComponent("lb-rule-health.json").path
        let first = run("import", body, "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:00:00Z")
        #expect(first.stdout == "imported 1 observation and 3 configuration changes: appended 4, 0 already stored.\n", "\(first.stderr)")
        #expect(try Self.json(run("lb", "health", "--lb", "lb1", "--rule", "rulelb", "--format", "json").stdout) == Self.json(try Self.example("lb-rule-health.json")))
        #expect(run("import", body, "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:01:00Z").stdout == "imported 1 observation unchanged: appended 0, 0 already stored.\n")

        let down = try changed("lb-rule-health.json", [
            (#""reason": "Up_Probe_Success","#, #""reason": "Down_Probe_HttpStatusCodeError","#), (#""state": "Up""#, #""state": "Down""#),
            (#""down": 0"#, #""down": 1"#), (#""up": 1"#, #""up": 0"#),
        ], as: "down.json")
        #expect(run("import", down, "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:02:00Z").stdout == "imported 1 observation: appended 1, 0 already stored.\n")
        #expect(try Self.json(run("lb", "health", "--lb", "lb1", "--rule", "rulelb", "--format", "json").stdout) == Self.json(try String(contentsOfFile: down, encoding: .utf8)))
        let history = run("history", "--lb", "lb1", "--ip", "10.1.0.4", "--format", "csv").stdout
        #expect(history.contains("observed from Azure on rule rulelb: Down (Down_Probe_HttpStatusCodeError)"))
        #expect(run("lb", "health", "--lb", "lb1", "--rule", "rulelb", "--as-of", "2026-01-10T10:01:00Z", "--format", "csv").stdout
            .contains("/IpConfigurations/ipConfig,Up,Up_Probe_Success,"), "as of before the change, Azure's earlier word")
        // Azure then reports the pool empty: the address leaves it, and the rule's health is Azure's empty one.
        let empty = directory.write("empty.json", #"{"up":0,"down":0,"loadBalancerBackendAddresses":[]}"#)
        #expect(run("import", empty, "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:03:00Z").stdout == "imported 1 configuration change: appended 1, 0 already stored.\n")
        #expect(try Self.json(run("lb", "health", "--lb", "lb1", "--rule", "rulelb", "--format", "json").stdout) == Self.json(#"{"up":0,"down":0,"loadBalancerBackendAddresses":[]}"#))
        #expect(run("verify").exitCode == 0)
    }

    @Test("imported backends are in availability reports; a reason code this version does not know is kept as Azure spelled it")
    func ruleHealthAvailabilityAndNewReasons() throws {
        let body = Self.fixtures.appendingPathComponent("lb-rule-health.json").path
        #expect(run("import", body, "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:00:00Z").exitCode == 0)
        let newReason = try changed("lb-rule-health.json", [(#""reason": "Up_Probe_Success","#, #""reason": "Down_Probe_SomethingNew","#),
                                                              (#""state": "Up""#, #""state": "Down""#)], as: "new.json")
        let second = run("import", newReason, "--lb", "lb1", "--rule", "rulelb", "--at", "2026-01-10T10:30:00Z")
        #expect(second.stdout == "imported 1 observation: appended 1, 0 already stored.\n", "\(second.stderr)")
        #expect(run("lb", "health", "--lb", "lb1", "--rule", "rulelb", "--format", "csv").stdout.contains("10.1.0.4,/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/NIC1/IpConfigurations/ipConfig,Down,Down_Probe_SomethingNew,"))
        let report = run("report", "availability", "--lb", "lb1", "--since", "2026-01-10T10:00:00Z", "--until", "2026-01-10T11:00:00Z", "--format", "csv")
        #expect(report.exitCode == 0, "\(report.stderr)")
        let row = try #require(report.stdout.split(whereSeparator: \.isNewline).first { $0.hasPrefix("lb1,rulelb,10.1.0.4,") }.map(String.init),
                               "\(report.stdout)")
        // Up for the 30 minutes to the Down report; after it, the log ends: no data, until a later import says more.
        #expect(row.hasPrefix("lb1,rulelb,10.1.0.4,1800,0,0,0,1800,"), "\(row)")
    }

    @Test("names given for no body are refused; a refused import into a new path leaves no store behind")
    func unusedOptions() throws {
        let list = Self.fixtures.appendingPathComponent("sessionhost-list.json").path
        let stray = run("import", list, "--at", "2026-01-10T10:00:00Z", "--lb", "lb1", "--rule", "r1")
        #expect(stray.exitCode == 1)
        #expect(stray.stderr == "Error: import: --lb and --rule name the rule of a LoadBalancerHealthPerRule body, and no input is one; nothing was imported.\n")
        #expect(!FileManager.default.fileExists(atPath: db), "a refused import creates no store")
        let vms = try changed("vmss-vm-list.json", [(#""code": "aaaaaaaaaaaaaaaaaaaaaaa""#, #""code": "HealthState/healthy""#)], as: "list.json")
        #expect(run("import", vms, "--scale-set", "s", "--instance", "0", "--at", "2026-01-10T10:00:00Z").stderr.contains("--scale-set and --instance name the VM of one instance view, and no input is one"))
        #expect(run("import", Self.fixtures.appendingPathComponent("lb-rule-health.json").path, "--lb", "lb1", "--rule", "r1", "--as", "x",
                    "--at", "2026-01-10T10:00:00Z").stderr.contains("--as renames a body's host pool or scale set, and no input names one"))
        #expect(!FileManager.default.fileExists(atPath: db))
        // Refused at append (a time far ahead of the clock): the store it would have created is gone too.
        let ahead = run("import", list, "--at", "2099-01-10T10:00:00Z")
        #expect(ahead.exitCode == 1 && ahead.stderr.contains("ahead"), "\(ahead.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("a rule's health without --lb and --rule, or without --at, is one sentence, exit 1, nothing appended")
    func ruleHealthRefusals() throws {
        let body = Self.fixtures.appendingPathComponent("lb-rule-health.json").path
        let unnamed = run("import", body, "--at", "2026-01-10T10:00:00Z")
        #expect(unnamed.exitCode == 1)
        #expect(unnamed.stderr == "Error: \(body): is a rule's health (LoadBalancerHealthPerRule), which names neither its load balancer nor its rule: give --lb LB --rule RULE; nothing was imported.\n")
        let untimed = run("import", body, "--lb", "lb1", "--rule", "rulelb")
        #expect(untimed.exitCode == 1)
        #expect(untimed.stderr.contains("a rule's health has no time of its own: give --at T"))
        #expect(!FileManager.default.fileExists(atPath: db) || events().isEmpty)
        let half = run("import", body, "--lb", "lb1")
        #expect(half.exitCode == 64 && half.stderr.contains("--lb and --rule go together"))
    }

    // MARK: Scale sets

    @Test("scale set VMs with vmHealth: each instance's health observed at vmHealth's time; the published example's placeholder code is refused")
    func scaleSetVMs() throws {
        let published = Self.fixtures.appendingPathComponent("vmss-vm-list.json").path
        let refused = run("import", published, "--at", "2026-01-10T10:00:00Z")
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains(#"value[0].properties.instanceView.vmHealth.status.code is "aaaaaaaaaaaaaaaaaaaaaaa", which is not one of HealthState/healthy"#))
        let unhealthy = try changed("vmss-vm-list.json", [(#""code": "aaaaaaaaaaaaaaaaaaaaaaa""#, #""code": "HealthState/unhealthy""#)], as: "list.json")
        let first = run("import", unhealthy, "--at", "2026-01-10T10:00:00Z")
        #expect(first.stdout == "imported 1 observation and 1 configuration change: appended 2, 0 already stored.\n", "\(first.stderr)")
        let health = run("vmss", "health", "--scale-set", "myVirtualMachineScaleSet", "--format", "csv").stdout
        #expect(health.contains("0,Unhealthy,2021-11-30T12:58:26.522Z,Unhealthy,true"))
        #expect(run("vmss", "list", "--format", "csv").stdout.contains("myVirtualMachineScaleSet,observed from Azure,1,0,1,0,0"))
        #expect(run("import", unhealthy, "--at", "2026-01-10T10:01:00Z").stdout == "imported 1 observation unchanged: appended 0, 0 already stored.\n")
        let healthy = try changed("vmss-vm-list.json", [(#""code": "aaaaaaaaaaaaaaaaaaaaaaa""#, #""code": "HealthState/healthy""#),
                                                          ("2021-11-30T12:58:26.522Z", "2026-01-10T10:01:30Z")], as: "healthy.json")
        #expect(run("import", healthy, "--at", "2026-01-10T10:02:00Z").stdout == "imported 1 observation: appended 1, 0 already stored.\n")
        let history = run("history", "--scale-set", "myVirtualMachineScaleSet", "--instance", "0", "--changes", "--format", "csv").stdout
        #expect(history.contains("2026-01-10T10:01:30Z") && history.contains("observed from Azure: instance 0 vmHealth Healthy"))
    }

    @Test("one instance view needs --scale-set and --instance; without vmHealth it makes the instance known with no health")
    func instanceView() throws {
        let view = Self.fixtures.appendingPathComponent("vmss-vm-instance-view.json").path
        let unnamed = run("import", view, "--at", "2026-01-10T10:00:00Z")
        #expect(unnamed.exitCode == 1)
        #expect(unnamed.stderr.contains("is an instance view, which names neither its scale set nor its instance: give --scale-set S --instance I"))
        #expect(run("import", view, "--scale-set", "vmss-web", "--instance", "3", "--at", "2026-01-10T10:00:00Z").exitCode == 0)
        let none = run("vmss", "health", "--scale-set", "vmss-web")
        #expect(none.exitCode == 1 && none.stderr.contains("none of them carried vmHealth"))
        // A plain VM's instance view (a Flexible scale set's VM), now with vmHealth.
        let flexible = try changed("vm-instance-view.json", [(#""statuses": ["#,
            #""vmHealth": {"status": {"code": "HealthState/initializing", "level": "Info", "displayStatus": "Initializing", "time": "2026-01-10T10:00:30Z"}}, "statuses": ["#)],
            as: "flexible.json")
        let second = run("import", flexible, "--scale-set", "vmss-web", "--instance", "3")
        #expect(second.exitCode == 0, "\(second.stderr)")
        #expect(run("vmss", "health", "--scale-set", "vmss-web", "--format", "csv").stdout.contains("3,Initializing,2026-01-10T10:00:30Z"))
        // A later view without vmHealth withdraws Azure's word: no health is known again.
        #expect(run("import", view, "--scale-set", "vmss-web", "--instance", "3", "--at", "2026-01-10T10:05:00Z").stdout == "imported 1 observation: appended 1, 0 already stored.\n")
        #expect(run("vmss", "health", "--scale-set", "vmss-web").stderr.contains("none of them carried vmHealth"))
        #expect(run("verify").exitCode == 0)
    }

    // MARK: Session host update status

    @Test("an update status: a finished one at its endTime, a running one at --at (required); the same status again appends nothing")
    func updateStatus() throws {
        let failed = Self.fixtures.appendingPathComponent("update-status.json").path
        #expect(run("import", failed).stdout == "imported 1 observation: appended 1, 0 already stored.\n")
        let status = try #require(try Self.json(run("update", "status", "--pool", "hostPool1", "--format", "json").stdout) as? [String: Any])
        #expect(status["status"] as? String == "Failed")
        #expect(status["endTime"] as? String == "2020-10-26T13:45:42.702530100Z")
        #expect(run("update", "status", "--pool", "hostPool1").stdout.contains("is Failed, 1% complete (observed from Azure)"))
        #expect(run("import", failed).stdout == "imported 1 observation unchanged: appended 0, 0 already stored.\n")
        let running = try changed("update-status.json", [(#""status": "Failed""#, #""status": "UpdatingSessionHosts""#),
                                                          (#""endTime": "2020-10-26T13:45:42.7025301Z","#, "")], as: "running.json")
        let untimed = run("import", running)
        #expect(untimed.exitCode == 1 && untimed.stderr.contains("a running update's status has no time of its own: give --at T"))
        #expect(run("import", running, "--at", "2026-01-10T10:00:00Z").stdout == "imported 1 observation: appended 1, 0 already stored.\n")
        #expect(run("history", "--pool", "hostPool1", "--update", "--format", "csv").stdout.contains("observed from Azure: update UpdatingSessionHosts"))
        // The specification's words spell it Canceled, its enum Cancelled: both are read.
        let canceled = try changed("update-status.json", [(#""status": "Failed""#, #""status": "Canceled""#)], as: "canceled.json")
        #expect(run("import", canceled, "--at", "2026-01-10T10:05:00Z").stdout == "imported 1 observation: appended 1, 0 already stored.\n")
        #expect(run("update", "status", "--pool", "hostPool1").stdout.contains("is Cancelled"))
        // The store's own update after Azure's report is the newer word; the same report again changes nothing.
        let scheduled = #"{"type":"SessionHostUpdateScheduled","at":"2026-01-10T10:06:00Z","data":{"hostPool":"hostPool1","maxVmsRemoved":1,"deleteOriginalVm":false,"logOffDelayMinutes":0,"logOffMessage":"bye"}}"#
        #expect(run("append", directory.write("scheduled.ndjson", scheduled + "\n")).exitCode == 0)
        #expect(run("update", "status", "--pool", "hostPool1").stdout.contains("is Scheduled"))
        #expect(run("import", canceled, "--at", "2026-01-10T10:07:00Z").stdout == "imported 1 observation unchanged: appended 0, 0 already stored.\n")
        #expect(run("update", "status", "--pool", "hostPool1").stdout.contains("is Scheduled"))
        #expect(run("verify").exitCode == 0)
    }

    @Test("a body of no shape import knows names the shapes it reads; an error Azure returned says so")
    func unknownShape() throws {
        let error = run("import", directory.write("error.json", #"{"error":{"code":"AuthorizationFailed","message":"no access"}}"#))
        #expect(error.exitCode == 1 && error.stderr.contains("error.json: is an error Azure returned (AuthorizationFailed: no access), not a report; nothing was imported."))
        let refused = run("import", directory.write("other.json", #"{"value": [{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a"}]}"#))
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("is not a shape import knows: it reads a SessionHost or a list of them, a rule's LoadBalancerHealthPerRule"))
    }
}
