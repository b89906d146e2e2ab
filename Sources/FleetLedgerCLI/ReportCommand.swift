import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports over a window of time.",
        subcommands: [AvailabilityCommand.self, TimelineCommand.self]
    )
}

/// The window and the entities a report covers, as `report availability` and `report timeline`
/// take them.
struct ReportSelection: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("The window's start (RFC 3339, a date, now or a time ago such as -2h).", valueName: "time"), transform: CommandLineTime.parse)
    var since: Timestamp
    @Option(parsing: .unconditional, help: ArgumentHelp("The window's end (RFC 3339, a date, now or a time ago such as -2h).", valueName: "time"), transform: CommandLineTime.parse)
    var until: Timestamp

    @Option(help: ArgumentHelp("The session hosts of this host pool.", valueName: "pool"), completion: .names(.hostPool))
    var pool: String?
    @Option(name: .customLong("lb"), help: ArgumentHelp("The backends of this load balancer's rules.", valueName: "name"), completion: .names(.loadBalancer))
    var loadBalancer: String?
    @Option(help: ArgumentHelp("Only this load-balancing rule (with --lb).", valueName: "rule"), completion: .names(.rule))
    var rule: String?
    @Option(help: ArgumentHelp("The instances of this scale set.", valueName: "name"), completion: .names(.scaleSet))
    var scaleSet: String?

    /// The checks both reports make, called from their own `validate()` (where a failure prints
    /// the command's usage, as the rest of its checks do).
    func check() throws {
        if rule != nil, loadBalancer == nil { throw ValidationError("--rule names a rule of the load balancer given with --lb.") }
        if since >= until { throw ValidationError("--since must be before --until.") }
    }
}

/// What `report availability --by` sums per.
enum AvailabilityGroup: String, ExpressibleByArgument, CaseIterable {
    case pool, lb, scaleSet = "scale-set"
}

struct AvailabilityCommand: StoreQuery {
    static let configuration = CommandConfiguration(
        commandName: "availability",
        abstract: "Per entity: seconds in each state, share taking traffic, transitions, longest outage and its reason.",
        discussion: """
            Session hosts (--pool), backends of load-balancing rules (--lb, with --rule for one rule) or \
            scale set instances (--scale-set); --by pool|lb|scale-set sums the rows per group, and alone \
            covers every pool, load balancer or scale set. Taking traffic: a host route would send a new \
            session to (its status takes sessions, not in drain mode), a backend Up, an instance Healthy. \
            An entity's state at --since comes from the events before it. Time before an entity existed, \
            or after it was removed, is counted as noState, and time after the log's newest event as noData; \
            both are left out of the traffic share. With --stale-after D, an entity's time more than D after \
            its own last event (a host's or an instance's own stream, a backend address's probe results and \
            reports) counts as stale, out of the share too: a feed that died does not read as uptime. \
            csv: one row per entity, one column per state, durations in seconds.
            """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var selection: ReportSelection
    var since: Timestamp { selection.since }
    var until: Timestamp { selection.until }
    var pool: String? { selection.pool }
    var loadBalancer: String? { selection.loadBalancer }
    var rule: String? { selection.rule }
    var scaleSet: String? { selection.scaleSet }

    @Option(help: ArgumentHelp("Sum the rows per pool, lb or scale-set.", valueName: "group"))
    var by: AvailabilityGroup?

    @Option(parsing: .unconditional, help: ArgumentHelp("Count an entity's time more than this after its own last event (90s, 15m, 2h, 1d, PT15M) as stale, not as its state.", valueName: "duration"), transform: CommandLineDuration.parse)
    var staleAfter: TimeSpan?

    @Option(help: ArgumentHelp("csv (default), table or json.", valueName: "format"))
    var format: ListFormat = .csv

    var scope: AvailabilityScope? {
        switch (pool, loadBalancer, rule, scaleSet, by) {
        case (let pool?, nil, nil, nil, nil), (let pool?, nil, nil, nil, .pool?): .hosts(pool: pool)
        case (nil, let lb?, let rule, nil, nil), (nil, let lb?, let rule, nil, .lb?): .backends(loadBalancer: lb, rule: rule)
        case (nil, nil, nil, let scaleSet?, nil), (nil, nil, nil, let scaleSet?, .scaleSet?): .instances(scaleSet: scaleSet)
        case (nil, nil, nil, nil, .pool?): .hosts(pool: nil)
        case (nil, nil, nil, nil, .lb?): .backends(loadBalancer: nil, rule: nil)
        case (nil, nil, nil, nil, .scaleSet?): .instances(scaleSet: nil)
        default: nil
        }
    }

    func validate() throws {
        try selection.check()
        guard scope != nil else {
            throw ValidationError("name one kind of entity: --pool P, --lb LB [--rule R] or --scale-set S, or --by pool|lb|scale-set for every one; --by must match the kind named.")
        }
    }

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        guard let scope else { return QueryAnswer(report: "") }
        let (report, note) = try store.availabilityReportWithNote(scope, since: since, until: until, staleAfter: staleAfter, byGroup: by != nil,
                                                                  format: format.report)
        return QueryAnswer(report: report, note: note)
    }
}
