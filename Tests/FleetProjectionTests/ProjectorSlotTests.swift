@testable import FleetDomains
@testable import FleetEvents
@testable import FleetProjection
import FleetDomainFixtures
import Testing

/// States kept in memory, as the store keeps them, counting the range reads a pass makes.
private final class MemorySource: StateSource {
    var states: [StreamKey: StoredState] = [:]
    var rangeReads = 0
    var pointReads = 0

    func storedState(projector: String, entity: StreamKey) throws -> StoredState? {
        pointReads += 1
        return states[entity]
    }

    func storedStates(projector: String, in range: StreamKeyRange) throws -> [(key: StreamKey, stored: StoredState)] {
        rangeReads += 1
        return states.filter { range.contains($0.key) }.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key, $0.value) }
    }
}

@Suite("a projector's slot in a pass: the states of a range")
struct ProjectorSlotTests {
    @Test("a range holds the stored entities, with what the pass folded into them, and the entities the pass created; read from the store once")
    func rangeOfStatesInAPass() throws {
        var one = HostEvents(), two = HostEvents(), three = HostEvents()
        two.host = "sh-2"
        three.host = "sh-3"
        let source = MemorySource()
        for (events, seq) in [(one.event(SessionHostRegistered.self), 1), (two.event(SessionHostRegistered.self), 2)] as [(ProjectedEvent, Int64)] {
            let state = try SessionHostProjector.fold(nil, events)
            source.states[events.stream] = StoredState(seq: seq, state: try StateCoding.encode(state))
        }
        let pass = ProjectionPass(projectors: [AnyProjector(SessionHostProjector.self)], source: source)
        try pass.apply(one.drain(true))
        try pass.apply(three.event(SessionHostRegistered.self))

        let hosts = StreamKind.sessionHost.keys(under: "hp")
        let states = try pass.slot(SessionHostProjector.self).states(in: hosts)
        #expect(states.map(\.key.rawValue) == ["sessionhost/hp/sh-1", "sessionhost/hp/sh-2", "sessionhost/hp/sh-3"])
        #expect(states.map(\.state.allowNewSession) == [false, true, true])
        #expect(source.rangeReads == 1)

        // The store writes sh-3 (as a commit would); asking again lists it once, without a new read.
        source.states[three.event(AgentHeartbeatReceived.self).stream] = StoredState(seq: 4, state: try StateCoding.encode(states[2].state))
        #expect(try pass.slot(SessionHostProjector.self).states(in: hosts).map(\.key.rawValue) == states.map(\.key.rawValue))
        #expect(source.rangeReads == 1)
        // Another range reads the store, and still lists each entity once.
        let all = try pass.slot(SessionHostProjector.self).states(in: StreamKeyRange(prefix: "sessionhost/"))
        #expect(all.map(\.key.rawValue) == states.map(\.key.rawValue) && source.rangeReads == 2)
    }

    @Test("withState reads a folded state, a stored one (read from the store once) and an absent one, and agrees with state(of:)")
    func borrowedReads() throws {
        var stored = HostEvents(), folded = HostEvents(), absent = HostEvents()
        folded.host = "sh-2"
        absent.host = "sh-3"
        let source = MemorySource()
        let registered = stored.event(SessionHostRegistered.self)
        source.states[registered.stream] = StoredState(seq: 1, state: try StateCoding.encode(try SessionHostProjector.fold(nil, registered)))
        let pass = ProjectionPass(projectors: [AnyProjector(SessionHostProjector.self)], source: source)
        try pass.apply(folded.event(SessionHostRegistered.self))
        try pass.apply(folded.drain(true))
        // A context does not keep its pass alive (the pass makes it for one event's folds).
        defer { withExtendedLifetime(pass) {} }
        let context = FoldContext(pass: pass)

        let sh1 = registered.stream, sh2 = folded.event(AgentHeartbeatReceived.self).stream, sh3 = absent.event(AgentHeartbeatReceived.self).stream
        let readsBefore = source.pointReads
        #expect(try context.withState(SessionHostProjector.self, of: sh1) { $0?.name } == "sh-1")
        #expect(source.pointReads == readsBefore + 1)
        #expect(try context.withState(SessionHostProjector.self, of: sh1) { $0?.allowNewSession } == true)
        #expect(source.pointReads == readsBefore + 1, "read from the store once")
        #expect(try context.withState(SessionHostProjector.self, of: sh2) { $0?.allowNewSession } == false)
        #expect(try context.withState(SessionHostProjector.self, of: sh3) { $0 == nil })
        for key in [sh1, sh2, sh3] {
            #expect(try context.withState(SessionHostProjector.self, of: key) { $0 } == context.state(SessionHostProjector.self, of: key))
        }
    }

    @Test("an entity in a range already read whole is known without asking the store: held, or absent")
    func pointReadsAfterARange() throws {
        var one = HostEvents(), other = HostEvents()
        other.pool = "hp2"
        let source = MemorySource()
        let registered = one.event(SessionHostRegistered.self)
        source.states[registered.stream] = StoredState(seq: 1, state: try StateCoding.encode(try SessionHostProjector.fold(nil, registered)))
        let slot = ProjectionPass(projectors: [AnyProjector(SessionHostProjector.self)], source: source).slot(SessionHostProjector.self)
        _ = try slot.states(in: StreamKind.sessionHost.keys(under: "hp"))
        #expect(try slot.state(of: registered.stream) != nil)
        #expect(try slot.state(of: StreamKind.sessionHost.key("hp", "sh-9")) == nil)
        #expect(source.pointReads == 0)
        // Outside the ranges read, the store is asked.
        #expect(try slot.state(of: other.event(AgentHeartbeatReceived.self).stream) == nil)
        #expect(source.pointReads == 1)
    }

    @Test("a fold changes the state the pass holds, never a copy read from the pass before it")
    func foldOwnsTheStateItChanges() throws {
        var host = HostEvents()
        let pass = ProjectionPass(projectors: [AnyProjector(SessionHostProjector.self)], source: nil)
        try pass.apply(host.event(SessionHostRegistered.self))
        try pass.apply(host.check(.domainJoinedCheck, .healthCheckSucceeded))
        let key = host.event(AgentHeartbeatReceived.self).stream
        let before = try #require(try pass.state(SessionHostProjector.self, of: key))

        try pass.apply(host.check(.domainJoinedCheck, .healthCheckFailed, errorCode: 5))
        try pass.apply(host.check(.fsLogixHealthCheck, .healthCheckSucceeded))
        #expect(before.healthChecks.keys.sorted() == ["DomainJoinedCheck"])
        #expect(before.healthChecks["DomainJoinedCheck"]?.result == .healthCheckSucceeded)
        let after = try #require(try pass.state(SessionHostProjector.self, of: key))
        #expect(after.healthChecks.keys.sorted() == ["DomainJoinedCheck", "FSLogixHealthCheck"])
        #expect(after.healthChecks["DomainJoinedCheck"]?.result == .healthCheckFailed)
    }

    @Test("a pass whose fold threw passes the error on, and stops the process if it is used again")
    func abandonedAfterAFoldThrew() async throws {
        var host = HostEvents()
        let pass = ProjectionPass(projectors: [AnyProjector(SessionHostProjector.self)], source: FailingSource())
        #expect(throws: FailingSource.Unreadable.self) { try pass.apply(host.event(SessionHostRegistered.self)) }

        await #expect(processExitsWith: .failure) {
            var host = HostEvents()
            let pass = ProjectionPass(projectors: [AnyProjector(SessionHostProjector.self)], source: FailingSource())
            _ = try? pass.apply(host.event(SessionHostRegistered.self))
            _ = try? pass.takeChanges()
        }
    }
}

/// A store whose states cannot be read.
private final class FailingSource: StateSource {
    struct Unreadable: Error {}

    func storedState(projector: String, entity: StreamKey) throws -> StoredState? { throw Unreadable() }

    func storedStates(projector: String, in range: StreamKeyRange) throws -> [(key: StreamKey, stored: StoredState)] { throw Unreadable() }
}
