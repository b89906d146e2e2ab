import Crypto
import FleetDomains
import FleetEvents
import FleetProjection

/// Why an input cannot be imported: one sentence, naming the place in the input at fault.
package struct ImportError: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}

/// One event an import makes, ready for the store's append: its stream, time and NDJSON line.
package struct ImportedEvent: Sendable, Equatable {
    /// `entity`: a configuration change a body implies (a load balancer, its rule, a backend address made known or gone).
    package enum Kind: Sendable { case healthCheckRun, heartbeat, observation, entity }

    package var kind: Kind
    /// The event's stream key.
    package var stream: String
    package var at: Timestamp
    /// The id made from its content.
    package var id: String
    package var line: String
}

/// What an import is told besides the bodies: the names and time a body does not carry itself,
/// and the store as it stands, to append changes only.
package struct ImportRequest {
    /// `--at`: the time of the fields with none of their own (a host's `allowNewSession`, a rule's health).
    package var at: Timestamp?
    /// `--lb` and `--rule`: whose health a `LoadBalancerHealthPerRule` body is.
    package var loadBalancer: String?
    package var rule: String?
    /// `--scale-set` and `--instance`: whose instance view a body is.
    package var scaleSet: String?
    package var instance: String?
    /// `--as`: the name to store the body's host pool or scale set under.
    package var renamed: String?
    /// The store's states now (nil for a new store): what an observation is compared with.
    package var view: ProjectionReader?
    /// The name the store already spells a name with, Azure's names being case-insensitive.
    package var canonical: (KnownName) -> String

    package init(view: ProjectionReader? = nil, canonical: @escaping (KnownName) -> String = { $0.name }) {
        self.view = view
        self.canonical = canonical
    }
}

/// Turns what Azure reports into the store's own events: raw outcomes (health check runs,
/// heartbeats) where Azure reports them, and observations of the state Azure derived (a host's
/// status, a backend's health, an instance's `vmHealth`, an update's status), changes only.
///
/// Every event's id is made from its content and time, so importing the same body again, or the
/// rest after a failure, appends each exactly once; an observation equal to what the store last
/// observed for its entity is not made at all.
package final class AzureImport {
    /// The shapes `add(_:)` recognizes, for the sentence that refuses any other.
    package static let knownShapes = "a SessionHost or a list of them, a rule's LoadBalancerHealthPerRule, scale set VMs "
        + "with their instance view or one instance view, a session host update status, or Log Analytics "
        + "WVDAgentHealthStatus rows (the query API's {\"tables\": [...]} or az monitor log-analytics query's array of rows)"

    let request: ImportRequest
    private(set) var made: [ImportedEvent] = []
    private var seen: Set<String> = []
    /// The observations this import made so far, by entity and field: what the next is compared with.
    var observedHere: [String: String] = [:]
    /// The store's hosts of each pool this import met, read once.
    var hostsByPool: [String: [String: SessionHostState]] = [:]
    /// Each pool's resource id (through `hostPools/NAME`): the store's, else the first this import met.
    var poolIDs: [String: String] = [:]
    /// Observations not made, each equal to what the store (or this import) last observed.
    package private(set) var unchanged = 0
    /// Which of the request's names some body needed: the others were given for nothing.
    var usedRule = false, usedInstance = false, usedRename = false
    /// The resource `--as` renamed, once met.
    var renamedResource: String?
    /// The earliest `vmHealth` time of the scale set VM list being read.
    var earliestHealthTime: Timestamp?

    package init(_ request: ImportRequest) { self.request = request }

    /// The events `values` report, in time order.
    package static func events(from value: JSONValue, _ request: ImportRequest = ImportRequest()) throws(ImportError) -> [ImportedEvent] {
        let batch = AzureImport(request)
        try batch.add(value)
        return batch.events
    }

    /// Everything added so far, in time order (equal times keep the order they were made in).
    package var events: [ImportedEvent] {
        made.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    /// Reads one body: recognized by its content, refused when it is none of `knownShapes`.
    package func add(_ value: JSONValue) throws(ImportError) {
        if let rows = try AgentHealthRows.rows(in: value) { return try addAgentHealth(rows) }
        // An empty list (a pool with no hosts, a scale set with no VMs) reports nothing.
        if case .object(let members) = value, case .array(let items)? = members["value"], items.isEmpty { return }
        if try addSessionHosts(value) { return }
        if try addRuleHealth(value) { return }
        if try addScaleSetVMs(value) { return }
        if try addUpdateStatus(value) { return }
        if case .object(let members) = value, case .object(let error)? = members["error"] {
            let code = if case .string(let text)? = error["code"] { text } else { "?" }
            let message = if case .string(let text)? = error["message"] { ": \(text)" } else { "" }
            throw ImportError("is an error Azure returned (\(code)\(message)), not a report")
        }
        throw ImportError("is not a shape import knows: it reads \(Self.knownShapes)")
    }

    /// `--as`, when given: the name for the body's host pool or scale set `name` (resource `id`).
    /// One import renames one resource: rows or bodies of two would otherwise be merged.
    func renamed(_ name: String, id: String) throws(ImportError) -> String? {
        guard let renamed = request.renamed else { return nil }
        usedRename = true
        if let first = renamedResource, first.lowercased() != id.lowercased() {
            throw ImportError("--as \(renamed) renames one resource, and the input names two: \(first) and \(id)")
        }
        renamedResource = id
        return renamed
    }

    /// The JSON text of `value`, as ids and comparisons use it: its own writer's, so no
    /// description of a type can change an id.
    static func canonicalText(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.write(value)
        return writer.text
    }

    /// Counts an observation left out as equal to the last one.
    func noteUnchanged() { unchanged += 1 }

    /// Refuses names given for no body: `--lb` and `--rule` with no rule's health among the inputs,
    /// `--scale-set` and `--instance` with no single instance view, `--as` with no body it renames.
    package func checkOptionsUsed() throws(ImportError) {
        if request.loadBalancer != nil, !usedRule {
            throw ImportError("--lb and --rule name the rule of a LoadBalancerHealthPerRule body, and no input is one")
        }
        if request.scaleSet != nil, !usedInstance {
            throw ImportError("--scale-set and --instance name the VM of one instance view, and no input is one (a list of scale set VMs names its own; --as renames its scale set)")
        }
        if request.renamed != nil, !usedRename {
            throw ImportError("--as renames a body's host pool or scale set, and no input names one")
        }
    }

    /// Keeps `event` unless this import made it already.
    func keep(_ event: ImportedEvent) {
        if seen.insert(event.id).inserted { made.append(event) }
    }

    /// A field's own time, else `--at`, else the refusal naming the field that needs it.
    func requireAt(for field: String, unless ownTime: Timestamp? = nil) throws(ImportError) -> Timestamp {
        if let ownTime { return ownTime }
        guard let at = request.at else {
            throw ImportError("\(field) has no time of its own: give --at T, when the response was fetched (never the clock's guess)")
        }
        return at
    }

    private func addAgentHealth(_ rows: [AgentHealthRow]) throws(ImportError) {
        let canonical = request.canonical
        var heartbeats: [String: (hostPool: String, host: String, times: Set<Timestamp>)] = [:]
        /// For checks with no time of their own: each host's last result of each check, by row.
        var undated: [String: (result: HealthCheckResult, errorCode: Int64?, message: String?)] = [:]
        for row in rows {
            guard let pool = Self.segment(after: "hostpools", in: row.resourceId) else {
                throw ImportError("a row's _ResourceId is \"\(row.resourceId)\", which names no host pool (.../hostpools/NAME)")
            }
            let hostPool = try renamed(pool, id: Self.prefix(of: row.resourceId, through: "hostpools"))
                ?? canonical(KnownName(kind: .hostPool, name: pool, hostPool: nil))
            let host = canonical(KnownName(kind: .sessionHost, name: row.sessionHostName, hostPool: hostPool))
            let stream = "sessionhost/\(hostPool)/\(host)"
            for check in row.checks {
                // A check's run is its own time; a row without one dates it by the row, and only
                // a change from the row before is a run worth keeping.
                if check.ranAt == nil {
                    let key = stream + "/" + check.name.rawValue
                    let outcome = (check.result, check.errorCode, check.message)
                    if let last = undated[key], last == outcome { continue }
                    undated[key] = outcome
                }
                keep(healthCheckRun(pool: hostPool, host: host, name: check.name, result: check.result, errorCode: check.errorCode,
                                    message: check.message, at: check.ranAt ?? row.timeGenerated))
            }
            if let beat = row.lastHeartBeat { heartbeats[stream, default: (hostPool, host, [])].times.insert(beat) }
        }
        for (stream, beats) in heartbeats.sorted(by: { $0.key < $1.key }) {
            for beat in Self.keptHeartbeats(beats.times) {
                keep(Self.make("AgentHeartbeatReceived", at: beat,
                                   data: [JSONMember(key: "hostPool", value: .string(beats.hostPool)), JSONMember(key: "sessionHost", value: .string(beats.host))],
                                   stream: stream, kind: .heartbeat, identity: [beats.hostPool, beats.host]))
            }
        }
    }

    /// The heartbeats an import keeps: those in the first `heartbeatWindow` of every
    /// `heartbeatSpacing` of UTC time (the agent beats every 30 seconds, so about one each).
    static let heartbeatSpacing: Int64 = 300
    static let heartbeatWindow: Int64 = 30

    /// Of one host's heartbeat times, the kept ones in time order: chosen by each time alone, so an
    /// export that starts or ends elsewhere keeps the same ones.
    static func keptHeartbeats(_ times: Set<Timestamp>) -> [Timestamp] {
        times.filter { $0.nanoseconds.floorDivided(by: 1_000_000_000).0.floorDivided(by: heartbeatSpacing).1 < heartbeatWindow }.sorted()
    }

    /// The segment after `type` in a resource id (`hostPools`, `virtualMachines`, ...), any case.
    static func segment(after type: String, in id: String) -> String? {
        let segments = id.split(separator: "/")
        guard let index = segments.firstIndex(where: { $0.lowercased() == type.lowercased() }), index + 1 < segments.count else { return nil }
        return String(segments[index + 1])
    }

    static func make(_ type: String, at: Timestamp, data: [JSONMember], stream: String, kind: ImportedEvent.Kind,
                             identity: [String]) -> ImportedEvent {
        let id = contentID([type, at.rfc3339] + identity.map { $0.lowercased() })
        var writer = JSONWriter()
        writer.write(.object([
            JSONMember(key: "type", value: .string(type)), JSONMember(key: "at", value: .string(at.rfc3339)),
            JSONMember(key: "id", value: .string(id)), JSONMember(key: "data", value: .object(data)),
        ]), sortingKeys: false)
        return ImportedEvent(kind: kind, stream: stream, at: at, id: id, line: writer.text)
    }

    /// A UUID made from `parts` (SHA-256, version 8 as RFC 9562 allows for a hash of one's own):
    /// the same run imported twice has the same id, which the store then skips.
    /// The prefix is the first import's name, kept for every shape so that ids already stored stay the same.
    static func contentID(_ parts: [String]) -> String {
        let digest = Array(SHA256.hash(data: Array(("WVDAgentHealthStatus\u{0}" + parts.joined(separator: "\u{0}")).utf8)).prefix(16))
        var bytes = digest
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}

/// A name an import meets, for matching with the store's spelling of it.
package struct KnownName: Sendable, Hashable {
    package enum Kind: Sendable { case hostPool, sessionHost }

    package var kind: Kind
    package var name: String
    /// The host's pool, for a host.
    package var hostPool: String?
}
