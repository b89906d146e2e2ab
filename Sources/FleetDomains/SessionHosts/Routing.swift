import FleetEvents

/// Whether one host can take the next new user session, and why.
package struct HostVerdict: Sendable, Equatable {
    package var host: SessionHostState
    package var eligible: Bool
    package var reason: String
}

/// Which session host the broker sends the next new user session to, with the reasons.
package struct RoutingDecision: Sendable, Equatable {
    package var hostPool: String
    package var loadBalancerType: LoadBalancerType
    package var maxSessionLimit: Int64?
    /// Every host of the pool, by name.
    package var verdicts: [HostVerdict]
    package var chosen: SessionHostState?
    /// One sentence: the choice and its rule, or why no host can take the session.
    package var explanation: String

    /// Applies the broker's rules: drained hosts, hosts whose status takes no new sessions and
    /// full hosts are skipped; then breadth-first picks the fewest sessions and depth-first the
    /// most below the limit. Ties go to the first host by name, so the answer is deterministic.
    ///
    /// While an update runs, hosts it has already updated (`updated`) take new sessions first, as
    /// Azure's session host update documentation says; the rest only when none of those is eligible.
    package static func decide(hostPool: String, settings: HostPoolState?, hosts: [SessionHostState],
                               updated: Set<String> = []) -> RoutingDecision {
        let type = settings?.loadBalancerType ?? .breadthFirst
        let limit = settings?.maxSessionLimit
        let verdicts = hosts.sorted { $0.name < $1.name }.map { host in
            verdict(for: host, limit: limit)
        }
        let allEligible = verdicts.filter(\.eligible).map(\.host)
        let updatedEligible = allEligible.filter { updated.contains($0.name) }
        let eligible = updatedEligible.isEmpty ? allEligible : updatedEligible
        let chosen: SessionHostState? = switch type {
        case .breadthFirst: eligible.min { ($0.sessions, $0.name) < ($1.sessions, $1.name) }
        case .depthFirst: eligible.min { (-$0.sessions, $0.name) < (-$1.sessions, $1.name) }
        }
        let explanation: String
        if let chosen {
            let rule = switch type {
            case .breadthFirst: "BreadthFirst sends it to the eligible host with the fewest sessions"
            case .depthFirst: "DepthFirst sends it to the eligible host with the most sessions below the limit"
            }
            let preference = updatedEligible.isEmpty ? "" : " among the \(updatedEligible.count) already updated by the running update"
            explanation = "\(chosen.name) takes the next session: \(rule)\(preference) (\(chosen.sessions)); "
                + "\(allEligible.count) of \(hosts.count) host\(hosts.count == 1 ? " is" : "s are") eligible."
        } else if hosts.isEmpty {
            explanation = "No session host can take a new session: host pool \(hostPool) has no session hosts."
        } else {
            explanation = "No session host in host pool \(hostPool) can take a new session: "
                + summarize(verdicts.filter { !$0.eligible }) + "."
        }
        return RoutingDecision(hostPool: hostPool, loadBalancerType: type, maxSessionLimit: limit,
                               verdicts: verdicts, chosen: chosen, explanation: explanation)
    }

    private static func verdict(for host: SessionHostState, limit: Int64?) -> HostVerdict {
        if !host.allowNewSession {
            return HostVerdict(host: host, eligible: false, reason: "drain mode is on (allowNewSession is false)")
        }
        if !host.status.takesNewSessions {
            return HostVerdict(host: host, eligible: false, reason: "status \(host.status.rawValue) takes no new sessions (\(host.derivedStatus.reason))")
        }
        if let limit, host.sessions >= limit {
            return HostVerdict(host: host, eligible: false, reason: "at the session limit (\(host.sessions) of \(limit))")
        }
        let room = limit.map { " of \(String($0))" } ?? ""
        return HostVerdict(host: host, eligible: true, reason: "\(host.status.rawValue), \(host.sessions)\(room) sessions")
    }

    private static func summarize(_ skipped: [HostVerdict]) -> String {
        var drained = 0, down: [SessionHostStatus: Int] = [:], full = 0
        for verdict in skipped {
            if !verdict.host.allowNewSession { drained += 1 }
            else if !verdict.host.status.takesNewSessions { down[verdict.host.status, default: 0] += 1 }
            else { full += 1 }
        }
        var parts: [String] = []
        if drained > 0 { parts.append("\(drained) in drain mode") }
        for status in SessionHostStatus.allCases { if let count = down[status] { parts.append("\(count) \(status.rawValue)") } }
        if full > 0 { parts.append("\(full) at the session limit") }
        return parts.joined(separator: ", ")
    }
}
