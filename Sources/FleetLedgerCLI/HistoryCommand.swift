import ArgumentParser
import FleetEvents
import FleetLedger

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The audit trail of one entity: every event, and every derived state change with its cause.",
        discussion: """
            Name one entity: --pool P --host H (a session host: status and drain mode), --lb LB --ip IP \
            (a backend address: its state and reason code on each probed rule that serves it), \
            --scale-set S --instance I (an instance: the health the Application Health extension \
            reports), or --pool P --update (the pool's session host update: status, progress, batch). \
            Rows are in log order. A change says what changed, from what to what, and the event that \
            caused it, with who and why when the event says so; it lasted until the next change of the \
            same thing, or until --until (else the newest event in the log), marked ongoing.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The host pool (with --host or --update).", valueName: "pool"))
    var pool: String?
    @Option(help: ArgumentHelp("The session host.", valueName: "host"))
    var host: String?
    @Flag(help: "The pool's session host update.")
    var update = false
    @Option(name: .customLong("lb"), help: ArgumentHelp("The load balancer (with --ip).", valueName: "name"))
    var loadBalancer: String?
    @Option(help: ArgumentHelp("The backend address.", valueName: "address"))
    var ip: String?
    @Option(help: ArgumentHelp("The scale set (with --instance).", valueName: "name"))
    var scaleSet: String?
    @Option(help: ArgumentHelp("The instance id.", valueName: "id"))
    var instance: String?

    @Option(help: ArgumentHelp("Only rows at or after this time (RFC 3339); earlier events still decide the states.", valueName: "time"))
    var since: Timestamp?
    @Option(help: ArgumentHelp("Only events up to this time (RFC 3339): the history as it stood then.", valueName: "time"))
    var until: Timestamp?
    @Flag(help: "Only the state changes, each with how long it lasted.")
    var changes = false

    @Option(help: ArgumentHelp("table (default), csv or json.", valueName: "format"))
    var format: ListFormat = .table

    var subject: HistorySubject? {
        switch (pool, host, update, loadBalancer, ip, scaleSet, instance) {
        case let (pool?, host?, false, nil, nil, nil, nil): .host(pool: pool, host: host)
        case let (pool?, nil, true, nil, nil, nil, nil): .update(pool: pool)
        case let (nil, nil, false, loadBalancer?, ip?, nil, nil): .backend(loadBalancer: loadBalancer, ipAddress: ip)
        case let (nil, nil, false, nil, nil, scaleSet?, instance?): .instance(scaleSet: scaleSet, instanceId: instance)
        default: nil
        }
    }

    func validate() throws {
        guard subject != nil else {
            throw ValidationError("name one entity: --pool P --host H, --pool P --update, --lb LB --ip IP, or --scale-set S --instance I.")
        }
        if let since, let until, since > until { throw ValidationError("--since must not be after --until.") }
    }

    func run() throws {
        guard let subject else { return }
        Console.current.write(try store.openStore().snapshot { try $0.historyReport(subject, since: since, until: until, changesOnly: changes,
                                                                  format: format.report) })
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports over a window of time.",
        subcommands: [AvailabilityCommand.self]
    )
}

/// What `report availability --by` sums per.
enum AvailabilityGroup: String, ExpressibleByArgument, CaseIterable {
    case pool, lb, scaleSet = "scale-set"
}

struct AvailabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "availability",
        abstract: "Per entity: seconds in each state, share taking traffic, transitions, longest outage and its reason.",
        discussion: """
            Session hosts (--pool), backends of load-balancing rules (--lb, with --rule for one rule) or \
            scale set instances (--scale-set); --by pool|lb|scale-set sums the rows per group, and alone \
            covers every pool, load balancer or scale set. Taking traffic: a host route would send a new \
            session to (its status takes sessions, not in drain mode), a backend Up, an instance Healthy. \
            An entity's state at --since comes from the events before it. Time before an entity existed, \
            or after it was removed, is counted as noState and left out of the traffic share. \
            csv: one row per entity, one column per state, durations in seconds.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The window's start (RFC 3339).", valueName: "time"))
    var since: Timestamp
    @Option(help: ArgumentHelp("The window's end (RFC 3339).", valueName: "time"))
    var until: Timestamp

    @Option(help: ArgumentHelp("The session hosts of this host pool.", valueName: "pool"))
    var pool: String?
    @Option(name: .customLong("lb"), help: ArgumentHelp("The backends of this load balancer's probed rules.", valueName: "name"))
    var loadBalancer: String?
    @Option(help: ArgumentHelp("Only this load-balancing rule (with --lb).", valueName: "rule"))
    var rule: String?
    @Option(help: ArgumentHelp("The instances of this scale set.", valueName: "name"))
    var scaleSet: String?
    @Option(help: ArgumentHelp("Sum the rows per pool, lb or scale-set.", valueName: "group"))
    var by: AvailabilityGroup?

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
        if rule != nil, loadBalancer == nil { throw ValidationError("--rule names a rule of the load balancer given with --lb.") }
        guard scope != nil else {
            throw ValidationError("name one kind of entity: --pool P, --lb LB [--rule R] or --scale-set S, or --by pool|lb|scale-set for every one; --by must match the kind named.")
        }
        if since >= until { throw ValidationError("--since must be before --until.") }
    }

    func run() throws {
        guard let scope else { return }
        Console.current.write(try store.openStore().snapshot { try $0.availabilityReport(scope, since: since, until: until, byGroup: by != nil,
                                                                       format: format.report) })
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "What the store holds: events, streams and entities per domain, events per type, first and last at, size."
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("table (default) or json.", valueName: "format"))
    var format: DetailFormat = .table

    func run() throws {
        Console.current.write(try store.openStore().snapshot { try $0.statsReport(format: format.report) })
    }
}
