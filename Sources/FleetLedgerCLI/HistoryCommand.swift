import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore

struct HistoryCommand: StoreQuery {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "The audit trail of one entity: every event, and every derived state change with its cause.",
        discussion: """
            Name one entity: --pool P --host H (a session host: status and drain mode), --lb LB --ip IP \
            (a backend address: its state and reason code on each probed or imported rule that serves it), \
            --scale-set S --instance I (an instance: the health the Application Health extension \
            reports), or --pool P --update (the pool's session host update: status, progress, batch). \
            Rows are in log order. A change says what changed, from what to what, and the event that \
            caused it, with who and why when the event says so; it lasted until the next change of the \
            same thing, or until --until (else the newest event in the log), marked ongoing.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The host pool (with --host or --update).", valueName: "pool"), completion: .names(.hostPool))
    var pool: String?
    @Option(help: ArgumentHelp("The session host.", valueName: "host"), completion: .names(.sessionHost))
    var host: String?
    @Flag(help: "The pool's session host update.")
    var update = false
    @Option(name: .customLong("lb"), help: ArgumentHelp("The load balancer (with --ip).", valueName: "name"), completion: .names(.loadBalancer))
    var loadBalancer: String?
    @Option(help: ArgumentHelp("The backend address.", valueName: "address"))
    var ip: String?
    @Option(help: ArgumentHelp("The scale set (with --instance).", valueName: "name"), completion: .names(.scaleSet))
    var scaleSet: String?
    @Option(help: ArgumentHelp("The instance id.", valueName: "id"))
    var instance: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Only rows at or after this time (RFC 3339, a date, now or a time ago such as -2h); earlier events still decide the states.", valueName: "time"), transform: CommandLineTime.parse)
    var since: Timestamp?
    @Option(parsing: .unconditional, help: ArgumentHelp("Only events up to this time (RFC 3339, a date, now or a time ago such as -2h): the history as it stood then.", valueName: "time"), transform: CommandLineTime.parse)
    var until: Timestamp?
    @Option(parsing: .unconditional, help: ArgumentHelp("The history as it stood at this time, as every query's --as-of: the same as --until.", valueName: "time"),
            transform: CommandLineTime.parse)
    var asOf: Timestamp?
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
        if let until, let asOf, until != asOf { throw ValidationError("--as-of and --until both cut the history; give one.") }
        if let since, let until = until ?? asOf, since > until { throw ValidationError("--since must not be after --until.") }
    }

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        guard let subject else { return QueryAnswer(report: "") }
        return QueryAnswer(report: try store.historyReport(subject, since: since, until: until ?? asOf, changesOnly: changes, format: format.report))
    }
}
