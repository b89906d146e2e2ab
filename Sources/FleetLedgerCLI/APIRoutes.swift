import ArgumentParser
import FleetServe
import FleetStore

/// The JSON API's routes, each one query command: the path's names and the query parameters are
/// the command's options (`asOf` is `--as-of`), parsed and checked by the command itself, so a
/// route takes what its command takes and refuses it in the same sentence.
package enum APIRoutes {
    package static let all: [APIRoute] = [
        route("/v1/hostPools", PoolsCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/hostPools/{pool}/sessionHosts", HostsCommand.self, parameters: ["status", "asOf", "staleAfter"]),
        route("/v1/hostPools/{pool}/sessionHosts/{host}", HostCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/hostPools/{pool}/route", RouteCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/hostPools/{pool}/update", UpdateStatusCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/loadBalancers", LoadBalancerListCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/loadBalancers/{lb}/rules/{rule}/health", LoadBalancerHealthCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/scaleSets", ScaleSetListCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/scaleSets/{scaleSet}/instances", ScaleSetHealthCommand.self, parameters: ["asOf", "staleAfter"]),
        route("/v1/history", HistoryCommand.self,
              parameters: ["pool", "host", "update", "lb", "ip", "scaleSet", "instance", "since", "until", "asOf", "changes"],
              flags: ["update", "changes"]),
        route("/v1/stats", StatsCommand.self, parameters: []),
        route("/v1/reports/availability", AvailabilityCommand.self,
              parameters: ["since", "until", "pool", "lb", "rule", "scaleSet", "by", "staleAfter"], required: ["since", "until"]),
        route("/v1/reports/timeline", TimelineCommand.self, parameters: ["since", "until", "pool", "lb", "rule", "scaleSet", "width"],
              required: ["since", "until"], representations: [.html]),
    ]

    /// A route answered by `command`, its path's names and `parameters` given as the command's
    /// options of the same names (camelCase to kebab-case); `flags` are options without a value
    /// (`changes`, `changes=true`; `changes=false` leaves it out).
    static func route<Command: StoreQuery>(_ path: String, _ command: Command.Type, parameters: [String], flags: Set<String> = [],
                                           required: [String] = [], representations: [Representation] = [.json, .csv]) -> APIRoute {
        APIRoute(path: path, parameters: parameters, required: required, flags: flags, representations: representations) { call, store in
            var arguments: [String] = []
            for (name, value) in call.path.sorted(by: { $0.key < $1.key }) { arguments.append("--\(option(name))=\(value)") }
            for (name, value) in call.query.sorted(by: { $0.key < $1.key }) {
                guard flags.contains(name) else {
                    arguments.append("--\(option(name))=\(value)")
                    continue
                }
                switch value {
                case "", "true": arguments.append("--\(option(name))")
                case "false": break
                default: throw APIError.badParameter("\(name) is \"\(value)\"; it is true or false.", target: name)
                }
            }
            switch call.representation {
            case .json: arguments.append("--format=json")
            case .csv: arguments.append("--format=csv")
            case .html: break
            }
            // A console of its own: the command's checks and progress must not see the server's terminal.
            return try Console.$current.withValue(.capturing()) {
                let parsed: Command
                do {
                    parsed = try Command.parse(arguments)
                } catch {
                    var sentence = Command.message(for: error)
                    // The command's words name its --format; over HTTP the format is the Accept header.
                    if sentence.contains("--format csv") { sentence += " Over HTTP, send Accept: text/csv." }
                    // The sentence is the command's; the parameter at fault, when it names just one, is the API's.
                    let named = call.query.keys.filter {
                        let spelled = "--" + option($0)
                        return sentence.hasPrefix(spelled + " ") || sentence.contains("'\(spelled) ") || sentence.contains("'\(spelled)'")
                    }
                    throw APIError.badParameter(sentence, target: named.count == 1 ? named.first : nil)
                }
                let answer = try parsed.answer(on: store)
                return APIAnswer(body: answer.report, note: answer.note)
            }
        }
    }

    /// `asOf` as the command line spells it: `as-of`.
    package static func option(_ name: String) -> String {
        var spelled = ""
        for character in name {
            if character.isUppercase { spelled += "-" + character.lowercased() } else { spelled.append(character) }
        }
        return spelled
    }
}
