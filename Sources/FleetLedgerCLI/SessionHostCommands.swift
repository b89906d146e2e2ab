import ArgumentParser
import FleetDomains
import FleetEvents
import FleetLedger
import FleetStore
import Foundation

struct HostsCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "List session hosts with their status, drain mode and sessions.",
        discussion: """
            json is an array of Azure SessionHost resources; table reads like the portal's session \
            host list; csv has one row per host.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(help: ArgumentHelp("Only the hosts of this host pool.", valueName: "pool"), completion: .names(.hostPool))
    var pool: String?

    @Option(help: ArgumentHelp("Only hosts in this status.", valueName: "status"))
    var status: SessionHostStatus?

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.hostsReport(pool: pool, status: status, asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report))
    }
}

struct HostCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Show one session host with its health check results."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Argument(help: ArgumentHelp("The session host's name (or give it with --host, as drain and history take it).", valueName: "name"), completion: .names(.sessionHost))
    var name: String?

    @Option(name: .customLong("host"), help: ArgumentHelp("The session host's name.", valueName: "host"), completion: .names(.sessionHost))
    var hostOption: String?

    @Option(help: ArgumentHelp("The host pool the host belongs to.", valueName: "pool"), completion: .names(.hostPool))
    var pool: String

    @Option(help: ArgumentHelp("table (default), json (an Azure SessionHost resource) or csv (one row, with the hosts command's columns).",
                               valueName: "format"))
    var format: ListFormat = .table

    func validate() throws {
        switch (name, hostOption) {
        case (nil, nil): throw ValidationError("name the session host: fleetledger host NAME --pool P, or --host NAME.")
        case let (positional?, option?) where positional != option:
            throw ValidationError("the host is named twice, as \(positional) and --host \(option); give it once.")
        default: break
        }
        try validateStaleness()
    }

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.hostReport(pool: pool, host: name ?? hostOption ?? "", asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report))
    }
}

struct RouteCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Say which session host takes the next new user session, and why.",
        discussion: """
            Drained hosts, hosts whose status takes no new sessions (Shutdown, Unavailable) and hosts \
            at the pool's session limit are skipped; BreadthFirst then picks the fewest sessions, \
            DepthFirst the most below the limit, ties going to the first host by name. Exits 1, \
            after printing why, when no host can take the session.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(help: ArgumentHelp("The host pool.", valueName: "pool"), completion: .names(.hostPool))
    var pool: String

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        let (report, routed) = try store.routeReport(pool: pool, asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report)
        return QueryAnswer(report: report, failed: !routed)
    }
}

/// `on` puts a host in drain mode (no new sessions); `off` lets it take sessions again.
enum DrainSwitch: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

struct DrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Turn drain mode on or off for a session host (appends DrainModeChanged).",
        discussion: "A drained host takes no new sessions and keeps its existing ones until users sign out."
    )

    @OptionGroup var store: WriterOptions

    @Argument(help: ArgumentHelp("on or off.", valueName: "on|off"))
    var mode: DrainSwitch

    @Option(help: ArgumentHelp("The host pool.", valueName: "pool"), completion: .names(.hostPool))
    var pool: String

    @Option(help: ArgumentHelp("The session host.", valueName: "host"), completion: .names(.sessionHost))
    var host: String

    @Option(parsing: .unconditional, help: ArgumentHelp("When the change happened (RFC 3339, a date, now or a time ago such as -2h; default: now).", valueName: "time"), transform: CommandLineTime.parse)
    var at: Timestamp?

    @OptionGroup var attribution: AttributionOptions

    func run() throws {
        let store = try store.openStore()
        guard let allows = try store.allowsNewSessions(pool: pool, host: host) else {
            throw StoreError("there is no session host \(host) in host pool \(pool); drain mode was not changed.")
        }
        guard allows != (mode == .off) else {
            // Said, not appended: a second DrainModeChanged would add a row to the host's history
            // that changed nothing.
            Console.current.line("drain mode is already \(mode.rawValue) for \(host) in \(pool); nothing was appended.")
            return
        }
        let time = try at ?? Clock.now().truncatedToMilliseconds
        let line = DrainCommandLine.line(pool: pool, host: host, allowNewSession: mode == .off,
                                         actor: attribution.actor, reason: attribution.reason, at: time)
        let summary = try self.store.appendCommandLine(line, command: "drain \(mode.rawValue)", atGiven: at != nil, to: store)
        Console.current.line("drain mode \(mode.rawValue) for \(host) in \(pool) (seq \(summary.lastSeq.map(String.init) ?? "-")).")
    }
}
