import Crypto
import FleetDomains
import FleetEvents

/// Why an input cannot be imported: one sentence, naming the place in the input at fault.
package struct ImportError: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}

/// One event an import makes, ready for the store's append: its stream, time and NDJSON line.
package struct ImportedEvent: Sendable, Equatable {
    package enum Kind: Sendable { case healthCheckRun, heartbeat }

    package var kind: Kind
    /// The event's stream key.
    package var stream: String
    package var at: Timestamp
    /// The id made from its content.
    package var id: String
    package var line: String
}

/// Turns what Azure reports into the store's own events.
///
/// Today: Log Analytics' `WVDAgentHealthStatus` rows. Each check run a row carries (host, check
/// and its `LastHealthCheckDateTime`) becomes one `HealthCheckCompleted`, however many rows repeat
/// it (the agent reports every 30 seconds, a check runs far less often), and each distinct
/// `LastHeartBeat` one `AgentHeartbeatReceived`: real raw outcomes, which the store's own status
/// rules then judge. A check with no time of its own is dated by its row, and imported only when
/// its result differs from the host's row before. Heartbeats come every 30 seconds, 2,880 a host a
/// day: an import keeps those in the first 30 seconds of every 5 minutes of UTC time, about one per
/// 5 minutes, which staleness and availability need, chosen by the heartbeat's own time so that
/// every export holding it chooses it. Every event's id is made from its content and time, so
/// importing the same rows again, overlapping exports, or the rest after a failure, appends each
/// exactly once.
package enum AzureImport {
    /// The shapes `events(from:)` recognizes, for the sentence that refuses any other.
    package static let knownShapes = "Log Analytics WVDAgentHealthStatus rows (the query API's {\"tables\": [...]} "
        + "or az monitor log-analytics query's array of rows)"

    /// The events `value` reports, in time order. `canonical` gives the name the store already
    /// spells a host pool or host with, Azure's names being case-insensitive (Log Analytics
    /// lower-cases resource ids).
    package static func events(from value: JSONValue, canonical: (KnownName) -> String = { $0.name }) throws(ImportError) -> [ImportedEvent] {
        guard let rows = try AgentHealthRows.rows(in: value) else {
            throw ImportError("is not a shape import knows: it reads \(knownShapes)")
        }
        var events: [ImportedEvent] = []
        var seen: Set<String> = []
        var heartbeats: [String: (hostPool: String, host: String, times: Set<Timestamp>)] = [:]
        /// For checks with no time of their own: each host's last result of each check, by row.
        var undated: [String: (result: HealthCheckResult, errorCode: Int64?, message: String?)] = [:]
        for row in rows {
            guard let pool = hostPool(ofResource: row.resourceId) else {
                throw ImportError("a row's _ResourceId is \"\(row.resourceId)\", which names no host pool (.../hostpools/NAME)")
            }
            let hostPool = canonical(KnownName(kind: .hostPool, name: pool, hostPool: nil))
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
                let at = check.ranAt ?? row.timeGenerated
                var data: [JSONMember] = [
                    JSONMember(key: "hostPool", value: .string(hostPool)), JSONMember(key: "sessionHost", value: .string(host)),
                    JSONMember(key: "healthCheckName", value: .string(check.name.rawValue)),
                    JSONMember(key: "healthCheckResult", value: .string(check.result.rawValue)),
                ]
                if let code = check.errorCode { data.append(JSONMember(key: "errorCode", value: .int(code))) }
                if let message = check.message { data.append(JSONMember(key: "message", value: .string(message))) }
                let event = make("HealthCheckCompleted", at: at, data: data, stream: stream, kind: .healthCheckRun,
                                 identity: [hostPool, host, check.name.rawValue])
                if seen.insert(event.id).inserted { events.append(event) }
            }
            if let beat = row.lastHeartBeat { heartbeats[stream, default: (hostPool, host, [])].times.insert(beat) }
        }
        for (stream, beats) in heartbeats.sorted(by: { $0.key < $1.key }) {
            for beat in keptHeartbeats(beats.times) {
                events.append(make("AgentHeartbeatReceived", at: beat,
                                   data: [JSONMember(key: "hostPool", value: .string(beats.hostPool)), JSONMember(key: "sessionHost", value: .string(beats.host))],
                                   stream: stream, kind: .heartbeat, identity: [beats.hostPool, beats.host]))
            }
        }
        // Each stream's events must go forward in time; equal times keep the rows' order.
        return events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
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

    /// The host pool a resource id names: the segment after `hostPools/`, any case.
    static func hostPool(ofResource id: String) -> String? {
        let segments = id.split(separator: "/")
        guard let index = segments.firstIndex(where: { $0.lowercased() == "hostpools" }), index + 1 < segments.count else { return nil }
        return String(segments[index + 1])
    }

    private static func make(_ type: String, at: Timestamp, data: [JSONMember], stream: String, kind: ImportedEvent.Kind,
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
