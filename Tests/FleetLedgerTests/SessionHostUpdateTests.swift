@testable import FleetDomains
@testable import FleetEvents
@testable import FleetLedger
@testable import FleetStore
import Testing

/// Builds a host pool's history for update tests, one second per event from 03:00.
struct PoolEvents {
    var pool = "hp"
    private(set) var lines: [String] = []
    private(set) var second: Int64 = 0
    static let start = Timestamp(rfc3339: "2024-04-15T03:00:00Z")!
    var now: Timestamp { Self.start.adding(seconds: second) }

    mutating func add(_ type: String, _ data: String, after seconds: Int64 = 1) {
        second += seconds
        lines.append(eventLine(type, #""hostPool":"\#(pool)""# + (data.isEmpty ? "" : "," + data), at: now.rfc3339))
    }

    /// The pool with hosts sh-1 ... sh-count.
    mutating func hosts(_ count: Int) {
        add("HostPoolConfigured", #""loadBalancerType":"BreadthFirst""#)
        for index in 1...count { add("SessionHostRegistered", #""sessionHost":"sh-\#(index)""#) }
    }

    mutating func schedule(batch: Int = 3, deleteOriginal: Bool = false, delayMinutes: Int = 0, at scheduled: String? = nil) {
        add("SessionHostUpdateScheduled", #""maxVmsRemoved":\#(batch),"deleteOriginalVm":\#(deleteOriginal),"logOffDelayMinutes":\#(delayMinutes),"logOffMessage":"Please sign out""#
            + (scheduled.map { #","scheduledDateTime":"\#($0)""# } ?? ""))
    }

    mutating func control(_ action: String, message: String? = nil) {
        add("SessionHostUpdateControlled", #""action":"\#(action)""# + (message.map { #","cancelMessage":"\#($0)""# } ?? ""))
    }

    mutating func step(_ host: String, _ step: String, _ extra: String = "", after seconds: Int64 = 1) {
        add("SessionHostUpdateStepRecorded", #""sessionHost":"\#(host)","step":"\#(step)""# + extra, after: seconds)
    }

    static let keepSteps = ["UsersNotified", "UsersSignedOut", "Drained", "Removed", "VmCreated", "Joined", "DrainDisabled", "OriginalDeallocated", "Succeeded"]
}

/// A store that takes a pool's events a few at a time.
final class PoolTrace {
    let fixture: StoreFixture
    var events = PoolEvents()
    private var appended = 0

    init(_ setUp: (inout PoolEvents) -> Void) throws {
        fixture = try StoreFixture()
        setUp(&events)
        try flush()
    }

    func step(_ change: (inout PoolEvents) -> Void) throws {
        change(&events)
        try flush()
    }

    /// Appends what `change` adds and returns the error it is refused with.
    func refusal(_ change: (inout PoolEvents) -> Void) throws -> String {
        var copy = events
        change(&copy)
        let error = try #require(throws: AppendError.self) { try fixture.append(Array(copy.lines[appended...])) }
        return error.reason
    }

    var update: UpdateState? {
        get throws { try fixture.store.projections(asOf: nil).state(UpdateProjector.self, of: StreamKind.hostPool.key(events.pool))?.current }
    }

    var hosts: [SessionHostState] {
        get throws { try SessionHostQueries.hosts(in: try fixture.store.projections(asOf: nil), pool: events.pool) }
    }

    /// Hosts the broker may send a new session to.
    var takingSessions: Int {
        get throws { try hosts.count { $0.allowNewSession && $0.status.takesNewSessions } }
    }

    private func flush() throws {
        try fixture.append(Array(events.lines[appended...]))
        appended = events.lines.count
    }
}

@Suite("Session host update")
struct SessionHostUpdateTests {
    @Test("an update of 10 hosts (docs/domain-rules.md): batches of 3 after one initial host; never fewer than 7 take sessions; progress in tens")
    func seedExample() throws {
        let trace = try PoolTrace { $0.hosts(10); $0.schedule(batch: 3) }
        #expect(try trace.update?.status == .scheduled)
        try trace.step { $0.control("Start") }
        let update = try #require(try trace.update)
        #expect(update.plan == [["sh-1"], ["sh-2", "sh-3", "sh-4"], ["sh-5", "sh-6", "sh-7"], ["sh-8", "sh-9", "sh-10"]])
        #expect(update.status == .validatingSessionHostUpdate)
        var progress: [Double] = [try trace.update!.percentComplete]
        for (index, batch) in update.plan.enumerated() {
            for step in PoolEvents.keepSteps {
                for host in batch {
                    try trace.step { $0.step(host, step) }
                    #expect(try trace.takingSessions >= (index == 0 ? 9 : 7), "after \(step) of \(host)")
                    let current = try #require(try trace.update)
                    if step != "Succeeded" {
                        #expect(current.status == (index == 0 ? .validatingSessionHostUpdate : .updatingSessionHosts))
                    }
                    if progress.last != current.percentComplete { progress.append(current.percentComplete) }
                }
            }
        }
        #expect(progress == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
        let done = try #require(try trace.update)
        #expect(done.status == .succeeded && done.endTime != nil)
        #expect(try trace.takingSessions == 10)
    }

    @Test("VmCreated names the new VM <host>-<yyyy-MM-ddTHH-mm-ss> from its time, unless it gives vmName")
    func vmNames() throws {
        let trace = try PoolTrace { $0.hosts(2); $0.schedule(batch: 1); $0.control("Start") }
        for step in PoolEvents.keepSteps.prefix(4) { try trace.step { $0.step("sh-1", step) } }
        try trace.step { $0.step("sh-1", "VmCreated") }
        #expect(try trace.update?.hosts["sh-1"]?.vmName == "sh-1-" + String(trace.events.now.rfc3339.prefix(19)).replacingAll(":", with: "-"))
        for step in PoolEvents.keepSteps.dropFirst(5) { try trace.step { $0.step("sh-1", step) } }
        for step in PoolEvents.keepSteps.prefix(4) { try trace.step { $0.step("sh-2", step) } }
        try trace.step { $0.step("sh-2", "VmCreated", #","vmName":"sh-2-new""#) }
        #expect(try trace.update?.hosts["sh-2"]?.vmName == "sh-2-new")
    }

    @Test("hosts are planned in name order as people read it: sh-2 before sh-10")
    func naturalOrder() throws {
        let trace = try PoolTrace { $0.hosts(11); $0.schedule(batch: 5); $0.control("Start") }
        #expect(try trace.update?.plan == [["sh-1"], ["sh-2", "sh-3", "sh-4", "sh-5", "sh-6"], ["sh-7", "sh-8", "sh-9", "sh-10", "sh-11"]])
    }

    @Test("a scheduled time starts the update with its first step at or after it; before, steps are refused")
    func scheduledTime() throws {
        let trace = try PoolTrace { $0.hosts(2); $0.schedule(batch: 1, at: "2024-04-15T03:00:30Z") }
        #expect(try trace.refusal { $0.step("sh-1", "UsersNotified") }.contains("has not started: it waits for its scheduled time 2024-04-15T03:00:30Z"))
        try trace.step { $0.step("sh-1", "UsersNotified", after: 40) }
        #expect(try trace.update?.status == .validatingSessionHostUpdate)
        #expect(try trace.update?.startTime == trace.events.now)
    }

    @Test("without a scheduled time the update waits for Start")
    func waitsForStart() throws {
        let trace = try PoolTrace { $0.hosts(2); $0.schedule() }
        #expect(try trace.refusal { $0.step("sh-1", "UsersNotified", after: 3600) }.contains("it waits for Start"))
    }

    @Test("a host drained before the update stays drained; others get their drain mode back; power is untouched")
    func drainRestored() throws {
        let trace = try PoolTrace {
            $0.hosts(3)
            $0.add("DrainModeChanged", #""sessionHost":"sh-2","allowNewSession":false"#)
            $0.add("PowerStateChanged", #""sessionHost":"sh-3","powerState":"Deallocated""#)
            $0.schedule(batch: 2)
            $0.control("Start")
        }
        for host in ["sh-1", "sh-2", "sh-3"] {
            for step in PoolEvents.keepSteps {
                try trace.step { $0.step(host, step) }
                if step == "Drained" { #expect(try trace.hosts.first { $0.name == host }?.allowNewSession == false) }
            }
        }
        let hosts = try trace.hosts
        #expect(hosts.map(\.allowNewSession) == [true, false, true])
        #expect(hosts[2].powerState == .deallocated)
    }

    @Test("while an update runs, new sessions go to hosts already updated first")
    func routePrefersUpdated() throws {
        let trace = try PoolTrace { $0.hosts(4); $0.schedule(batch: 1); $0.control("Start") }
        for step in PoolEvents.keepSteps { try trace.step { $0.step("sh-1", step) } }
        try trace.step { $0.add("UserSessionStarted", #""sessionHost":"sh-1","user":"ana""#) }
        let decision = try SessionHostQueries.route(in: try trace.fixture.store.projections(asOf: nil), pool: "hp")
        #expect(decision.chosen?.name == "sh-1", "breadth-first would pick an empty host, but sh-1 is already updated")
        #expect(decision.explanation.contains("among the 1 already updated by the running update"))
    }

    @Test("Pause gives Pausing until the hosts in flight finish, then Paused; Resume runs on")
    func pauseAndResume() throws {
        let trace = try PoolTrace { $0.hosts(4); $0.schedule(batch: 3); $0.control("Start") }
        for step in PoolEvents.keepSteps { try trace.step { $0.step("sh-1", step) } }
        try trace.step { $0.step("sh-2", "UsersNotified"); $0.control("Pause") }
        #expect(try trace.update?.status == .pausing)
        #expect(try trace.refusal { $0.step("sh-3", "UsersNotified") }.contains("the update is Pausing; no further host is taken out"))
        for step in PoolEvents.keepSteps.dropFirst() { try trace.step { $0.step("sh-2", step) } }
        #expect(try trace.update?.status == .paused)
        #expect(try trace.refusal { $0.step("sh-3", "UsersNotified") }.contains("the update is paused; no host is updated until Resume"))
        #expect(try trace.refusal { $0.control("Pause") }.contains("Pause applies to a running update"))
        try trace.step { $0.control("Resume") }
        #expect(try trace.update?.status == .updatingSessionHosts)
        try trace.step { $0.step("sh-3", "UsersNotified") }
    }

    @Test("a failure stops the update with its code; Retry runs the failed host again from its first step")
    func failureAndRetry() throws {
        let trace = try PoolTrace { $0.hosts(2); $0.schedule(batch: 1); $0.control("Start") }
        for step in PoolEvents.keepSteps.prefix(5) { try trace.step { $0.step("sh-1", step) } }
        try trace.step { $0.step("sh-1", "Failed", #","errorCode":"AgentRegistrationFailureGeneric","message":"the agent did not register""#) }
        let failed = try #require(try trace.update)
        #expect(failed.status == .failed && failed.errorCode == "AgentRegistrationFailureGeneric")
        #expect(try trace.refusal { $0.step("sh-1", "Joined") }.contains("the update failed (AgentRegistrationFailureGeneric); no step is recorded until Retry or Cancel"))
        #expect(try trace.refusal { $0.control("Resume") }.contains("Resume applies to a paused or pausing update"))
        try trace.step { $0.control("Retry") }
        #expect(try trace.update?.status == .validatingSessionHostUpdate && trace.update?.errorCode == nil)
        #expect(try trace.refusal { $0.step("sh-1", "Joined") }.contains("out of order: after the start comes UsersNotified"))
        for step in PoolEvents.keepSteps { try trace.step { $0.step("sh-1", step) } }
        for step in PoolEvents.keepSteps { try trace.step { $0.step("sh-2", step) } }
        #expect(try trace.update?.status == .succeeded)
    }

    @Test("Cancel gives Cancelling until the hosts in flight finish, then Cancelled; a new update may follow")
    func cancel() throws {
        let trace = try PoolTrace { $0.hosts(3); $0.schedule(batch: 2); $0.control("Start") }
        try trace.step { $0.step("sh-1", "UsersNotified"); $0.control("Cancel", message: "not today") }
        #expect(try trace.update?.status == .cancelling && trace.update?.cancelMessage == "not today")
        for step in PoolEvents.keepSteps.dropFirst() { try trace.step { $0.step("sh-1", step) } }
        #expect(try trace.update?.status == .cancelled && trace.update?.endTime != nil)
        try trace.step { $0.schedule(batch: 1) }
        #expect(try trace.update?.status == .scheduled)
    }

    @Test("one update per pool at a time; two pools update at once")
    func onePerPool() throws {
        let trace = try PoolTrace { $0.hosts(2); $0.schedule() }
        #expect(try trace.refusal { $0.schedule() }.contains("host pool hp already has an update (Scheduled); Azure allows one update scheduled or running per host pool"))
        var other = PoolEvents(pool: "hp2")
        other.hosts(2)
        other.schedule(batch: 1)
        other.control("Start")
        try trace.fixture.append(other.lines.map { $0.replacingAll("T03:", with: "T04:") })
        try trace.step { $0.control("Start") }
        let view = try trace.fixture.store.projections(asOf: nil)
        #expect(try view.state(UpdateProjector.self, of: StreamKind.hostPool.key("hp2"))?.current?.status == .validatingSessionHostUpdate)
        #expect(try trace.update?.status == .validatingSessionHostUpdate)
    }

    @Test("a sign-out after a delay longer than time itself is refused, not trapped on", arguments: [Int.max, 150_000_000])
    func hugeLogOffDelay(minutes: Int) throws {
        // Int.max minutes overflow as nanoseconds; 150,000,000 minutes (9.0e18 ns) fit, but not added to a 2024 time.
        let trace = try PoolTrace { $0.hosts(2); $0.schedule(batch: 1, delayMinutes: minutes); $0.control("Start"); $0.step("sh-1", "UsersNotified") }
        #expect(try trace.refusal { $0.step("sh-1", "UsersSignedOut", after: 600) }
            .contains("logOffDelayMinutes is \(minutes), so they are signed out no earlier than never"))
    }

    @Test("steps out of order, too early, of the wrong original, or outside the running batch are refused")
    func stepRefusals() throws {
        let trace = try PoolTrace { $0.hosts(4); $0.schedule(batch: 2, delayMinutes: 10); $0.control("Start") }
        #expect(try trace.refusal { $0.step("sh-1", "Drained") }.contains("it is out of order: after the start comes UsersNotified"))
        #expect(try trace.refusal { $0.step("sh-2", "UsersNotified") }.contains("it is in batch 1 and batch 0 is running"))
        #expect(try trace.refusal { $0.step("sh-9", "UsersNotified") }.contains("it is not in the update's plan"))
        try trace.step { $0.step("sh-1", "UsersNotified") }
        #expect(try trace.refusal { $0.step("sh-1", "UsersSignedOut", after: 300) }.contains("logOffDelayMinutes is 10, so they are signed out no earlier than"))
        try trace.step { $0.step("sh-1", "UsersSignedOut", after: 600) }
        for step in ["Drained", "Removed", "VmCreated", "Joined", "DrainDisabled"] { try trace.step { $0.step("sh-1", step) } }
        #expect(try trace.refusal { $0.step("sh-1", "OriginalDeleted") }.contains("after DrainDisabled comes OriginalDeallocated"))
        #expect(try trace.refusal { $0.control("Start") }.contains("Start begins a scheduled update that has not started"))
        #expect(try trace.refusal { $0.control("Retry") }.contains("Retry applies to a failed update"))
        let deleting = try PoolTrace { $0.hosts(1); $0.schedule(batch: 1, deleteOriginal: true); $0.control("Start") }
        for step in PoolEvents.keepSteps.prefix(7) { try deleting.step { $0.step("sh-1", step) } }
        #expect(try deleting.refusal { $0.step("sh-1", "OriginalDeallocated") }.contains("after DrainDisabled comes OriginalDeleted"))
        let none = try PoolTrace { $0.hosts(1) }
        #expect(try none.refusal { $0.control("Pause") }.contains("host pool hp has no update scheduled or running"))
        #expect(try none.refusal { $0.step("sh-1", "UsersNotified") }.contains("host pool hp has no running update"))
    }

    @Test("the update's state as of any time equals a store holding only the events up to then")
    func asOf() throws {
        var events = PoolEvents()
        events.hosts(3)
        events.schedule(batch: 2)
        events.control("Start")
        for host in ["sh-1", "sh-2"] { for step in PoolEvents.keepSteps { events.step(host, step) } }
        events.control("Pause")
        let full = try StoreFixture()
        try full.append(events.lines)
        for second in stride(from: Int64(0), through: events.second, by: 3) {
            let time = PoolEvents.start.adding(seconds: second)
            let partial = try StoreFixture()
            try partial.append(events.lines.filter { try! decode($0).at <= time })
            guard try partial.store.newestEventTime() != nil else {
                // Before the pool's first event both refuse the name, as of then and now.
                #expect(throws: UnknownName("host pool", "hp", asOf: time, known: [])) {
                    try full.store.hostsReport(pool: "hp", status: nil, asOf: time, format: .csv)
                }
                #expect(throws: UnknownName("host pool", "hp", known: [])) {
                    try partial.store.hostsReport(pool: "hp", status: nil, asOf: nil, format: .csv)
                }
                continue
            }
            let key = StreamKind.hostPool.key("hp")
            #expect(try full.store.projections(asOf: time).state(UpdateProjector.self, of: key)
                == (try partial.store.projections(asOf: nil).state(UpdateProjector.self, of: key)))
            #expect(try full.store.hostsReport(pool: "hp", status: nil, asOf: time, format: .csv)
                == (try partial.store.hostsReport(pool: "hp", status: nil, asOf: nil, format: .csv)))
        }
    }
}
