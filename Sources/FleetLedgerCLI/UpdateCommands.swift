import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore
import Foundation

struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Session host updates: their status, and the actions that schedule and control them.",
        subcommands: [UpdateStatusCommand.self, UpdateScheduleCommand.self, UpdateStartCommand.self, UpdatePauseCommand.self,
                      UpdateResumeCommand.self, UpdateRetryCommand.self, UpdateCancelCommand.self]
    )
}

struct UpdateStatusCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a host pool's update: status, progress, batches and each host's step.",
        discussion: "json has the shape of Azure's session host update status resource, plus a plan array of batches (batch 0 is the initial host)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(help: ArgumentHelp("The host pool.", valueName: "pool"), completion: .names(.hostPool))
    var pool: String

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.updateStatusReport(pool: pool, asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report))
    }
}

/// Options every update action takes: the pool, and when the action happened.
struct UpdateActionOptions: ParsableArguments {
    @OptionGroup var store: WriterOptions

    @Option(help: ArgumentHelp("The host pool.", valueName: "pool"), completion: .names(.hostPool))
    var pool: String

    @Option(parsing: .unconditional, help: ArgumentHelp("When the action happened (RFC 3339, a date, now or a time ago such as -2h; default: now).", valueName: "time"), transform: CommandLineTime.parse)
    var at: Timestamp?

    @OptionGroup var attribution: AttributionOptions

    var time: Timestamp { get throws { try at ?? Clock.now().truncatedToMilliseconds } }

    /// Appends `line` as the input of `command` and says what was appended; refusals keep their
    /// one-sentence errors, naming the command.
    func append(_ line: String, as command: String, saying what: String) throws {
        let summary = try store.appendCommandLine(line, command: "update \(command)", atGiven: at != nil, to: store.openStore())
        Console.current.line("\(what) for host pool \(pool) (seq \(summary.lastSeq.map(String.init) ?? "-")).")
    }
}

struct UpdateScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Schedule a session host update (appends SessionHostUpdateScheduled).",
        discussion: "Without --scheduled-date-time the update waits for update start; with it, Start or the first step at or after that time starts it."
    )

    @OptionGroup var options: UpdateActionOptions

    @Option(help: ArgumentHelp("The batch size: hosts taken out at once after the initial host (at least 1).", valueName: "N"))
    var maxVmsRemoved: Int

    @Flag(help: "Delete the original VMs instead of keeping them deallocated.")
    var deleteOriginalVm = false

    @Option(help: ArgumentHelp("Minutes between the users' notice and their sign-out.", valueName: "M"))
    var logOffDelayMinutes: Int

    @Option(help: ArgumentHelp("The message users get (at most 260 characters).", valueName: "text"))
    var logOffMessage: String

    @Option(parsing: .unconditional, help: ArgumentHelp("When the update should start (RFC 3339, a date, now or a time ago such as -2h).", valueName: "time"), transform: CommandLineTime.parse)
    var scheduledDateTime: Timestamp?

    func run() throws {
        try options.append(UpdateCommandLine.schedule(
            pool: options.pool, maxVmsRemoved: maxVmsRemoved, deleteOriginalVm: deleteOriginalVm, logOffDelayMinutes: logOffDelayMinutes,
            logOffMessage: logOffMessage, scheduledDateTime: scheduledDateTime,
            actor: options.attribution.actor, reason: options.attribution.reason, at: try options.time), as: "schedule", saying: "update scheduled")
    }
}

/// One of the actions that take nothing but the pool.
protocol UpdateActionCommand: ParsableCommand {
    static var action: String { get }
    var options: UpdateActionOptions { get }
}

extension UpdateActionCommand {
    func run() throws {
        try options.append(UpdateCommandLine.control(pool: options.pool, action: Self.action, cancelMessage: nil,
                                                         actor: options.attribution.actor, reason: options.attribution.reason, at: try options.time),
                           as: Self.action.lowercased(), saying: "\(Self.action) recorded")
    }
}

struct UpdateStartCommand: UpdateActionCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the pool's scheduled update.")
    static let action = "Start"
    @OptionGroup var options: UpdateActionOptions
}

struct UpdatePauseCommand: UpdateActionCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause the pool's update once the hosts in flight finish.")
    static let action = "Pause"
    @OptionGroup var options: UpdateActionOptions
}

struct UpdateResumeCommand: UpdateActionCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume the pool's paused update.")
    static let action = "Resume"
    @OptionGroup var options: UpdateActionOptions
}

struct UpdateRetryCommand: UpdateActionCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Retry the pool's failed update: its failed hosts start again.")
    static let action = "Retry"
    @OptionGroup var options: UpdateActionOptions
}

struct UpdateCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel the pool's update once the hosts in flight finish.")

    @OptionGroup var options: UpdateActionOptions

    @Option(help: ArgumentHelp("Why it was cancelled (at most 260 characters).", valueName: "text"))
    var message: String?

    func run() throws {
        try options.append(UpdateCommandLine.control(pool: options.pool, action: "Cancel", cancelMessage: message,
                                                         actor: options.attribution.actor, reason: options.attribution.reason, at: try options.time),
                           as: "cancel", saying: "Cancel recorded")
    }
}

struct PoolsCommand: StaleQuery {
    static let configuration = CommandConfiguration(
        commandName: "pools",
        abstract: "List host pools: load balancing, session limit, hosts by status, sessions, drained hosts, update status."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var time: AsOfOption
    @OptionGroup var stale: StaleOption

    @Option(help: ArgumentHelp("table (default), json or csv.", valueName: "format"))
    var format: ListFormat = .table

    func answer(on store: any LedgerStore) throws -> QueryAnswer {
        QueryAnswer(report: try store.poolsReport(asOf: time.asOf, staleAfter: stale.staleAfter, format: format.report))
    }
}

/// Who makes an operator's change and why, stored on its event for audits (`history` shows them).
struct AttributionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Who made the change, for the audit trail.", valueName: "name"))
    var actor: String?

    @Option(help: ArgumentHelp("Why, for the audit trail.", valueName: "text"))
    var reason: String?
}
