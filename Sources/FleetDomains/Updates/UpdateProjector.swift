import FleetEvents
import FleetProjection

/// Folds a host pool's update events into its update: settings, plan, each host's step, status.
package enum UpdateProjector: Projector {
    package typealias State = PoolUpdate
    package static let name = "session-host-updates"
    package static let folds: [any EventData.Type] = [
        SessionHostUpdateScheduled.self, SessionHostUpdateControlled.self, SessionHostUpdateStepRecorded.self,
        SessionHostUpdateStatusObserved.self,
    ]
    /// The plan is made from the pool's hosts when the update starts.
    package static let reads: [any Projector.Type] = [SessionHostProjector.self]

    /// The steps of one host, in order, for an update that keeps or deletes the original VM.
    static func steps(deleteOriginalVm: Bool) -> [UpdateStep] {
        [.usersNotified, .usersSignedOut, .drained, .removed, .vmCreated, .joined, .drainDisabled,
         deleteOriginalVm ? .originalDeleted : .originalDeallocated, .succeeded]
    }

    package static func fold(_ state: consuming PoolUpdate?, _ event: ProjectedEvent, entity: StreamKey, _ context: FoldContext) throws -> PoolUpdate {
        var pool = state ?? PoolUpdate()
        if let observed = event.data(as: SessionHostUpdateStatusObserved.self) {
            pool.observed = observation(observed)
            pool.ownEventsSinceObserved = nil
            return pool
        }
        // The store's own update event is newer than any report of Azure's before it.
        if pool.observed != nil { pool.ownEventsSinceObserved = true }
        switch event.data {
        case let scheduled as SessionHostUpdateScheduled:
            pool.current = UpdateState(
                hostPool: scheduled.hostPool, id: updateID(pool: scheduled.hostPool, scheduledAt: event.at),
                maxVmsRemoved: scheduled.maxVmsRemoved, deleteOriginalVm: scheduled.deleteOriginalVm,
                logOffDelayMinutes: scheduled.logOffDelayMinutes, logOffMessage: scheduled.logOffMessage,
                scheduledDateTime: scheduled.scheduledDateTime, scheduledDateTimeZone: scheduled.scheduledDateTimeZone)
        case let control as SessionHostUpdateControlled:
            guard var update = pool.current else { break }
            try apply(control, to: &update, at: event.at, context)
            pool.current = update
        case let step as SessionHostUpdateStepRecorded:
            guard var update = pool.current else { break }
            if update.status == .scheduled { try begin(&update, at: event.at, context) }
            record(step, in: &update, at: event.at)
            pool.current = update
        default:
            throw UnhandledEvent(name, event)
        }
        return pool
    }

    /// Azure's update status as an update with no plan: Azure reports no batches.
    private static func observation(_ observed: SessionHostUpdateStatusObserved) -> UpdateState {
        var update = UpdateState(hostPool: observed.hostPool, id: observed.name ?? "", maxVmsRemoved: 1, deleteOriginalVm: false,
                                 logOffDelayMinutes: 0, logOffMessage: "", scheduledDateTime: nil, scheduledDateTimeZone: nil)
        update.status = observed.status
        update.startTime = observed.startTime
        update.endTime = observed.endTime
        update.errorCode = observed.errorCode
        update.errorMessage = observed.errorMessage
        update.observedFromAzure = true
        update.resourceId = observed.resourceId
        update.observedPercentComplete = observed.percentComplete
        return update
    }

    private static func apply(_ control: SessionHostUpdateControlled, to update: inout UpdateState, at time: Timestamp, _ context: FoldContext) throws {
        switch control.action {
        case .start:
            if update.status == .scheduled { try begin(&update, at: time, context) }
        case .pause:
            if update.status == .validatingSessionHostUpdate || update.status == .updatingSessionHosts {
                update.status = update.inProgress > 0 ? .pausing : .paused
            }
        case .resume:
            if update.status == .paused || update.status == .pausing { proceed(&update, at: time) }
        case .retry:
            // Retry runs the failed hosts again from their first step.
            guard update.status == .failed else { break }
            for (name, host) in update.hosts where host.step == .failed {
                update.hosts[name] = UpdateHostProgress(name: name)
            }
            update.errorCode = nil
            update.errorMessage = nil
            proceed(&update, at: time)
        case .cancel:
            update.cancelMessage = control.cancelMessage
            if update.inProgress > 0 {
                update.status = .cancelling
            } else {
                update.status = .cancelled
                update.endTime = time
            }
        }
    }

    /// Starts the update: the plan is the pool's hosts now, by name; the initial host goes first.
    private static func begin(_ update: inout UpdateState, at time: Timestamp, _ context: FoldContext) throws {
        let names = try context.states(SessionHostProjector.self, in: StreamKind.sessionHost.keys(under: update.hostPool))
            .map(\.state).filter { !$0.removed }.map(\.name).sorted(by: NaturalOrder.less)
        update.plan = names.isEmpty ? [] : [[names[0]]] + stride(from: 1, to: names.count, by: Int(update.maxVmsRemoved)).map {
            Array(names[$0..<min($0 + Int(update.maxVmsRemoved), names.count)])
        }
        update.hosts = Dictionary(uniqueKeysWithValues: names.map { ($0, UpdateHostProgress(name: $0)) })
        update.startTime = time
        update.batch = 0
        update.status = .validatingSessionHostUpdate
        if names.isEmpty {
            update.status = .succeeded
            update.endTime = time
        }
    }

    private static func record(_ step: SessionHostUpdateStepRecorded, in update: inout UpdateState, at time: Timestamp) {
        let name = step.host.sessionHost
        var host = update.hosts[name] ?? UpdateHostProgress(name: name)
        host.step = step.step
        switch step.step {
        case .usersNotified: host.notifiedAt = time
        case .vmCreated: host.vmName = step.vmName ?? "\(name)-\(vmNameTime(time))"
        case .failed:
            update.status = .failed
            update.errorCode = step.errorCode
            update.errorMessage = step.message
        default: break
        }
        update.hosts[name] = host
        guard step.step == .succeeded else { return }
        switch update.status {
        case .pausing where update.inProgress == 0: update.status = .paused
        case .cancelling where update.inProgress == 0:
            update.status = .cancelled
            update.endTime = time
        case .validatingSessionHostUpdate, .updatingSessionHosts: proceed(&update, at: time)
        default: break
        }
    }

    /// Runs on: the next batch once every host of this one finished, or the end.
    private static func proceed(_ update: inout UpdateState, at time: Timestamp) {
        while update.batch < update.plan.count, update.plan[update.batch].allSatisfy({ update.hosts[$0]?.isFinished == true }) {
            update.batch += 1
        }
        if update.batch >= update.plan.count {
            update.status = .succeeded
            update.endTime = time
        } else {
            update.status = update.batch == 0 ? .validatingSessionHostUpdate : .updatingSessionHosts
        }
    }

    // MARK: Refusals at append

    package static func check(_ event: ProjectedEvent, _ context: FoldContext) throws {
        let pool = String(event.stream.values[0])
        let current = try context.state(Self.self, of: event.stream)?.current
        switch event.data {
        case is SessionHostUpdateScheduled:
            if let current, !current.status.isFinished {
                throw UpdateRefusal.updateInProgress(pool: pool, status: current.status)
            }
        case let control as SessionHostUpdateControlled:
            try checkControl(control.action, current, pool: pool)
        case let step as SessionHostUpdateStepRecorded:
            try checkStep(step, at: event.at, current, pool: pool, context)
        case is SessionHostUpdateStatusObserved:
            break
        default:
            throw UnhandledEvent(name, event)
        }
    }

    private static func checkControl(_ action: UpdateAction, _ update: UpdateState?, pool: String) throws {
        guard let update, !update.status.isFinished else {
            throw UpdateRefusal.nothingToControl(pool: pool, action: action)
        }
        let status = update.status
        let allowed: Bool = switch action {
        case .start: status == .scheduled
        case .pause: status == .validatingSessionHostUpdate || status == .updatingSessionHosts
        case .resume: status == .paused || status == .pausing
        case .retry: status == .failed
        case .cancel: status != .cancelling
        }
        guard allowed else { throw UpdateRefusal.controlNotAllowed(pool: pool, action: action, status: status) }
    }

    private static func checkStep(_ event: SessionHostUpdateStepRecorded, at time: Timestamp, _ current: UpdateState?, pool: String, _ context: FoldContext) throws {
        let name = event.host.sessionHost
        func refuse(_ rule: UpdateRefusal.StepRule) -> UpdateRefusal { .stepRefused(host: name, step: event.step, rule: rule) }
        guard var update = current, !update.status.isFinished else { throw refuse(.noRunningUpdate(pool: pool)) }
        if update.status == .scheduled {
            guard let scheduled = update.scheduledDateTime, time >= scheduled else {
                throw refuse(.notStarted(pool: pool, scheduledFor: update.scheduledDateTime))
            }
            try begin(&update, at: time, context)
        }
        switch update.status {
        case .failed:
            throw refuse(.updateFailed(errorCode: update.errorCode))
        case .paused:
            throw refuse(.updatePaused)
        default:
            break
        }
        guard let batch = update.batch(of: name), let host = update.hosts[name] else {
            throw refuse(.notInPlan)
        }
        guard batch == update.batch else {
            throw refuse(.otherBatch(batch: batch, running: update.batch))
        }
        if host.step == nil, update.status == .pausing || update.status == .cancelling {
            throw refuse(.takingNoMoreHosts(status: update.status))
        }
        if event.step == .failed { return }
        let sequence = steps(deleteOriginalVm: update.deleteOriginalVm)
        let next = host.step.flatMap { sequence.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
        guard next < sequence.count, sequence[next] == event.step else {
            throw refuse(.outOfOrder(after: host.step, expected: next < sequence.count ? sequence[next] : nil))
        }
        if event.step == .usersSignedOut, let notified = host.notifiedAt {
            // Any delay the contract accepts (logOffDelayMinutes >= 0, no upper bound) is checked
            // without overflow: one past the times a timestamp holds is never reached.
            let (delay, delayOverflows) = update.logOffDelayMinutes.multipliedReportingOverflow(by: 60_000_000_000)
            let (earliest, sumOverflows) = notified.nanoseconds.addingReportingOverflow(delay)
            guard !delayOverflows, !sumOverflows, time.nanoseconds >= earliest else {
                let reachable = !delayOverflows && !sumOverflows ? Timestamp(nanoseconds: earliest) : nil
                throw refuse(.signedOutTooEarly(notified: notified, logOffDelayMinutes: update.logOffDelayMinutes, earliest: reachable))
            }
        }
    }

    /// `2024-04-15T17-16-07`: the time in a new VM's name.
    static func vmNameTime(_ time: Timestamp) -> String {
        String(time.rfc3339.prefix(19).map { $0 == ":" ? "-" : $0 })
    }

    /// A GUID-shaped id, the same for the same pool and schedule on every replay, and in every
    /// store holding the schedule: made from the pool and the schedule's `at`, never its position
    /// in the log (an as-of answer must equal the answer of a store holding only the earlier events).
    static func updateID(pool: String, scheduledAt: Timestamp) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in pool.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let high = String(hash, radix: 16).leftPadded(16)
        let low = String(UInt64(bitPattern: scheduledAt.nanoseconds) ^ hash, radix: 16).leftPadded(16)
        return "\(high.prefix(8))-\(high.dropFirst(8).prefix(4))-4\(high.dropFirst(13).prefix(3))-8\(low.prefix(3))-\(low.suffix(12))"
    }
}

private extension StringProtocol {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
