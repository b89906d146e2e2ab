// fleetledger-fake-arm: a fake Azure Resource Manager on 127.0.0.1 for the collector's soak run
// (Tools/collect-soak.sh): a host pool's session hosts (paged), its update status (none), load
// balancing rules' health (after a 202) and a scale set's VMs with vmHealth, changing as time
// passes. It prints its base URL on its first line.
import FleetWorkload
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil } ?? fallback
}
let hosts = option("--hosts", 500), rules = option("--rules", 50), instances = option("--instances", 200)
let subscription = "00000000-0000-0000-0000-000000000000"
let launched = Int64(Date().timeIntervalSince1970)
let day: AzureDay = {
    var day = AzureDay(hosts: hosts)
    day.start = launched
    return day
}()
let group = "/subscriptions/\(subscription)/resourceGroups/rg-soak/providers"

/// Seconds since launch.
func elapsed() -> Int64 { Int64(Date().timeIntervalSince1970) - launched }

func json(_ status: HTTPResponse.Status, _ body: String, _ extra: [(HTTPField.Name, String)] = []) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    for (name, value) in extra { headers[name] = value }
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
}

/// The session hosts, 100 a page.
func hostsPage(_ page: Int, base: String) -> String {
    let list = day.sessionHostList(at: elapsed())
    let all = (try? JSONSerialization.jsonObject(with: Data(list.utf8)) as? [String: Any])?["value"] as? [Any] ?? []
    let slice = Array(all.dropFirst(page * 100).prefix(100))
    var body: [String: Any] = ["value": slice]
    if (page + 1) * 100 < all.count {
        body["nextLink"] = base + group + "/Microsoft.DesktopVirtualization/hostPools/hp-bench/sessionHosts?api-version=2024-04-03&page=\(page + 1)"
    }
    return String(decoding: (try? JSONSerialization.data(withJSONObject: body)) ?? Data(), as: UTF8.self)
}

/// Rule `rule`'s health: four backends, one of which goes Down for a while now and then.
func ruleHealth(_ rule: Int) -> String {
    let addresses = (0..<4).map { backend -> String in
        let down = (elapsed() / 30 + Int64(rule + backend)) % 17 == 0
        return #"{"ipAddress":"10.\#(rule / 250).\#(rule % 250).\#(backend + 4)","state":"\#(down ? "Down" : "Up")","reason":"\#(down ? "Down_Probe_HttpStatusCodeError" : "Up_Probe_Success")"}"#
    }
    let up = addresses.count { $0.contains(#""Up""#) }
    return #"{"up":\#(up),"down":\#(4 - up),"loadBalancerBackendAddresses":[\#(addresses.joined(separator: ","))]}"#
}

/// The scale set's VMs, each with a vmHealth that turns Unhealthy now and then.
func scaleSetVMs() -> String {
    let now = ISO8601DateFormatter().string(from: Date())
    let vms = (0..<instances).map { index -> String in
        let unhealthy = (elapsed() / 45 + Int64(index)) % 23 == 0
        return #"{"id":"\#(group)/Microsoft.Compute/virtualMachineScaleSets/vmss-soak/virtualMachines/\#(index)","instanceId":"\#(index)","#
            + #""properties":{"instanceView":{"vmHealth":{"status":{"code":"HealthState/\#(unhealthy ? "unhealthy" : "healthy")","time":"\#(now)"}}}}}"#
    }
    return #"{"value":[\#(vms.joined(separator: ","))]}"#
}

let port = ManagedPort()
var logger = Logger(label: "fake-arm")
logger.logLevel = .critical
let app = Application(
    responder: CallbackResponder<BasicRequestContext> { request, _ in
        let base = "http://127.0.0.1:\(port.value)"
        let path = request.uri.path
        let query = request.uri.query ?? ""
        if path.hasSuffix("/sessionHosts") {
            let page = query.split(separator: "&").first { $0.hasPrefix("page=") }.flatMap { Int($0.dropFirst(5)) } ?? 0
            return json(.ok, hostsPage(page, base: base))
        }
        if path.hasSuffix("/sessionHostUpdateStatuses/default") {
            return json(.notFound, #"{"error":{"code":"ResourceNotFound","message":"no update"}}"#)
        }
        if path.hasSuffix("/health"), let rule = path.split(separator: "/").dropLast().last.flatMap({ Int($0.dropFirst(4)) }) {
            return json(.accepted, "", [(.location, base + "/operations/rule-\(rule)"), (HTTPField.Name("Retry-After")!, "0")])
        }
        if path.hasPrefix("/operations/rule-"), let rule = Int(path.dropFirst("/operations/rule-".count)) {
            return json(.ok, ruleHealth(rule))
        }
        if path.hasSuffix("/virtualMachines") { return json(.ok, scaleSetVMs()) }
        return json(.notFound, #"{"error":{"code":"ResourceNotFound","message":"\#(path)"}}"#)
    },
    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { channel in
        port.value = channel.localAddress?.port ?? 0
        FileHandle.standardOutput.write(Data("http://127.0.0.1:\(port.value)\n".utf8))
    },
    logger: logger
)
try await app.runService()

/// The port the server bound, once it is running.
final class ManagedPort: Sendable {
    private let port = Mutex(0)
    var value: Int {
        get { port.withLock { $0 } }
        set { port.withLock { $0 = newValue } }
    }
}
