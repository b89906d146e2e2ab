import FleetEvents

/// Why the session host update domain refuses an event at append, by rule, so a caller can tell
/// them apart; `description` is the one sentence the user reads, naming the field at fault.
package enum UpdateRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// An update scheduled while another is scheduled or running: Azure allows one per pool.
    case updateInProgress(pool: String, status: UpdateStatus)
    /// A control for a pool with no update scheduled or running.
    case nothingToControl(pool: String, action: UpdateAction)
    /// A control the update's status does not allow (Pause for a paused update).
    case controlNotAllowed(pool: String, action: UpdateAction, status: UpdateStatus)
    /// A host's step that the update's state does not allow, with the rule it broke.
    case stepRefused(host: String, step: UpdateStep, rule: StepRule)

    /// The rules a host's step must keep.
    package enum StepRule: Equatable, Sendable {
        case noRunningUpdate(pool: String)
        /// The update has not started; it waits for its scheduled time (nil: for Start).
        case notStarted(pool: String, scheduledFor: Timestamp?)
        case updateFailed(errorCode: String?)
        case updatePaused
        case notInPlan
        case otherBatch(batch: Int, running: Int)
        /// Pausing or Cancelling: no further host is taken out.
        case takingNoMoreHosts(status: UpdateStatus)
        /// Out of order: after `after` (nil: the start) comes `expected` (nil: nothing, the host is done).
        case outOfOrder(after: UpdateStep?, expected: UpdateStep?)
        /// Users signed out before `logOffDelayMinutes` after their notice; `earliest` nil: never.
        case signedOutTooEarly(notified: Timestamp, logOffDelayMinutes: Int64, earliest: Timestamp?)
    }

    package var description: String { inputError.description }

    /// The refusal as the ingest contract phrases every refusal: the field, then the rule.
    var inputError: InputError {
        switch self {
        case let .updateInProgress(pool, status):
            InputError(field: nil, "host pool \(pool) already has an update (\(status.rawValue)); Azure allows one update "
                + "scheduled or running per host pool, so cancel it or let it finish first")
        case let .nothingToControl(pool, action):
            InputError(field: "data.action", "is \(action.rawValue), but host pool \(pool) has no update scheduled or running")
        case let .controlNotAllowed(pool, action, status):
            InputError(field: "data.action", "is \(action.rawValue), but the update of host pool \(pool) is \(status.rawValue); \(Self.controlRule(action))")
        case let .stepRefused(host, step, rule):
            InputError(field: "data.step", "is \(step.rawValue) for session host \(host), but \(rule.text)")
        }
    }

    private static func controlRule(_ action: UpdateAction) -> String {
        switch action {
        case .start: "Start begins a scheduled update that has not started"
        case .pause: "Pause applies to a running update"
        case .resume: "Resume applies to a paused or pausing update"
        case .retry: "Retry applies to a failed update"
        case .cancel: "the update is already being cancelled"
        }
    }
}

extension UpdateRefusal.StepRule {
    var text: String {
        switch self {
        case let .noRunningUpdate(pool): "host pool \(pool) has no running update"
        case let .notStarted(pool, scheduled):
            "the update of host pool \(pool) has not started: it waits for \(scheduled.map { "its scheduled time \($0.rfc3339)" } ?? "Start")"
        case let .updateFailed(code): "the update failed (\(code ?? "no code")); no step is recorded until Retry or Cancel"
        case .updatePaused: "the update is paused; no host is updated until Resume"
        case .notInPlan: "it is not in the update's plan (the pool's hosts when the update started)"
        case let .otherBatch(batch, running): "it is in batch \(batch) and batch \(running) is running; hosts are updated one batch at a time"
        case let .takingNoMoreHosts(status): "the update is \(status.rawValue); no further host is taken out"
        case let .outOfOrder(after, expected):
            "it is out of order: after \(after?.rawValue ?? "the start") comes \(expected?.rawValue ?? "nothing (the host is done)")"
        case let .signedOutTooEarly(notified, delay, earliest):
            "users were notified at \(notified.rfc3339) and logOffDelayMinutes is \(delay), so they are signed out no earlier than "
                + (earliest?.rfc3339 ?? "never: that is past every time FleetLedger holds")
        }
    }
}
