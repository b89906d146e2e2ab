import FleetEvents

/// Azure's `updateStatus` values for a session host update (docs/domain-rules.md, "Session host updates").
package enum UpdateStatus: String, Codable, Sendable, CaseIterable {
    case scheduled = "Scheduled"
    case validatingSessionHostUpdate = "ValidatingSessionHostUpdate"
    case updatingSessionHosts = "UpdatingSessionHosts"
    case pausing = "Pausing"
    case paused = "Paused"
    case cancelling = "Cancelling"
    case cancelled = "Cancelled"
    case succeeded = "Succeeded"
    case failed = "Failed"
    /// Azure's status for a failure of the update service itself; no event here reports one.
    case error = "Error"

    /// Whether the update has ended, well or not: its end time is when its status was reached.
    package var hasEnded: Bool { [.succeeded, .failed, .cancelled, .error].contains(self) }
    /// Whether the update is over, so that the pool may schedule another.
    package var isFinished: Bool { self == .succeeded || self == .cancelled }
    /// Whether the update has started and hosts may be taken out.
    package var hasStarted: Bool { ![.scheduled, .succeeded, .cancelled].contains(self) }
}

/// One host's place in an update.
package struct UpdateHostProgress: Codable, Equatable, Sendable {
    package var name: String
    /// The last step recorded for the host in this update (nil: not started).
    package var step: UpdateStep?
    package var vmName: String?
    /// When its users were notified: `UsersSignedOut` may come `logOffDelayMinutes` later.
    package var notifiedAt: Timestamp?

    package var isFinished: Bool { step == .succeeded }
    package var isInFlight: Bool { step != nil && step != .succeeded && step != .failed }
}

/// A host pool's current (or last) session host update, if it ever had one.
package struct PoolUpdate: Codable, Equatable, Sendable {
    package var current: UpdateState?
    /// Azure's last reported update status (what an import compares the next report with).
    package var observed: UpdateState?
    /// True once the store recorded an update event of its own after Azure's last report.
    package var ownEventsSinceObserved: Bool?

    /// The update a question answers with: Azure's report while it is the newer word, else the store's.
    package var shown: UpdateState? { ownEventsSinceObserved == true ? current : observed ?? current }
}

/// A host pool's session host update, folded from the pool's stream.
package struct UpdateState: Codable, Equatable, Sendable {
    package var hostPool: String
    /// The update's own id (Azure's `name`), derived from the pool and the schedule's position.
    package var id: String
    package var maxVmsRemoved: Int64
    package var deleteOriginalVm: Bool
    package var logOffDelayMinutes: Int64
    package var logOffMessage: String
    package var scheduledDateTime: Timestamp?
    package var scheduledDateTimeZone: String?
    package var status: UpdateStatus = .scheduled
    package var startTime: Timestamp?
    package var endTime: Timestamp?
    /// Batch 0 holds the initial host; then batches of `maxVmsRemoved`, hosts by name.
    package var plan: [[String]] = []
    package var hosts: [String: UpdateHostProgress] = [:]
    /// The batch being updated.
    package var batch = 0
    package var errorCode: String?
    package var errorMessage: String?
    package var cancelMessage: String?
    /// Azure's id of the update status, when observed from Azure.
    package var resourceId: String?
    /// True for an update status observed from Azure rather than folded from the store's events.
    package var observedFromAzure: Bool?
    /// Azure's `percentComplete`, for an update status observed from Azure.
    package var observedPercentComplete: Double?

    package var totalSessionHosts: Int { plan.reduce(0) { $0 + $1.count } }
    package var completed: Int { hosts.values.count(where: \.isFinished) }
    package var inProgress: Int { hosts.values.count(where: \.isInFlight) }
    /// Moves only when a host finishes.
    package var percentComplete: Double {
        if observedFromAzure == true { return observedPercentComplete ?? 0 }
        return totalSessionHosts == 0 ? (status == .succeeded ? 100 : 0) : Double(completed) * 100 / Double(totalSessionHosts)
    }
    /// The batch a host belongs to.
    package func batch(of host: String) -> Int? { plan.firstIndex { $0.contains(host) } }
}

/// Orders names as people read them: `sh-2` before `sh-10` (runs of digits compare as numbers).
package enum NaturalOrder {
    package static func less(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var i = 0, j = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        while i < a.count, j < b.count {
            if isDigit(a[i]), isDigit(b[j]) {
                var x: UInt64 = 0, y: UInt64 = 0
                while i < a.count, isDigit(a[i]) { x = x &* 10 &+ UInt64(a[i] - 48); i += 1 }
                while j < b.count, isDigit(b[j]) { y = y &* 10 &+ UInt64(b[j] - 48); j += 1 }
                if x != y { return x < y }
            } else {
                if a[i] != b[j] { return a[i] < b[j] }
                i += 1
                j += 1
            }
        }
        if a.count - i != b.count - j { return a.count - i < b.count - j }
        return lhs < rhs
    }
}
