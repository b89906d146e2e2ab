@testable import FleetDomains
import FleetEvents
@testable import FleetProjection
import Testing

/// Every domain (`Domain.all`), with the tracker that describes its events in `history`.
private var domains: [(name: String, events: [any EventData.Type], projectors: [AnyProjector], tracker: any Tracker)] {
    Domain.all.map { domain in
        let tracker: any Tracker = switch domain.name {
        case "session hosts": SessionHostTracker(pool: nil)
        case "session host updates": UpdateTracker(pool: "hp1")
        case "load balancers": BackendTracker(loadBalancer: nil)
        case "scale sets": InstanceTracker(scaleSet: nil)
        default: preconditionFailure("domain \(domain.name) has no tracker here: add the one its history uses")
        }
        return (domain.name, domain.events, domain.projectors, tracker)
    }
}

private var allProjectors: [AnyProjector] { domains.flatMap(\.projectors) }
private var allTypes: [any EventData.Type] { domains.flatMap(\.events) }
private let allTypeNames: [String] = allTypes.map { $0.declaration.name }

/// The declaration's own sample as an event, decoded as the store decodes input.
private func sampleEvent(_ type: any EventData.Type, seq: Int64 = 1) throws -> ProjectedEvent {
    let declaration = type.declaration, members = declaration.sampleMembers
    let data = try declaration.decode(members, checking: .append)
    return ProjectedEvent(seq: seq, at: Timestamp(nanoseconds: 1_713_201_367_000_000_000), stream: declaration.streamKey(of: members), data: data)
}

/// What the domains are told to do for each event type, checked for every type they declare, so
/// that a type added to a domain's `events` fails here, by name, until its fold and its words exist.
@Suite("The domain contract, for every event type")
struct DomainContractTests {
    @Test("every declared type has a valid sample that decodes to its own type", arguments: allTypeNames)
    func samples(type name: String) throws {
        let type = try #require(allTypes.first { $0.declaration.name == name })
        let event = try sampleEvent(type)
        #expect(event.declaration === type.declaration, "\(name)'s sample decodes to \(event.declaration.name)")
    }

    @Test("every declared type is folded by some projector", arguments: allTypeNames)
    func folded(type name: String) throws {
        let type = try #require(allTypes.first { $0.declaration.name == name })
        #expect(allProjectors.contains { $0.codes.contains(type.declaration.code) },
                "no projector lists \(name) in its folds: add it to the projector that folds it")
    }

    @Test("every projector has a case for every type it folds and checks", arguments: allTypeNames)
    func foldCases(type name: String) throws {
        let type = try #require(allTypes.first { $0.declaration.name == name })
        let event = try sampleEvent(type)
        for checking in [false, true] {
            let pass = ProjectionPass(projectors: allProjectors, source: nil)
            do {
                try pass.apply(event, checking: checking)
            } catch let error as UnhandledEvent {
                let advice = "add one to the switch of its fold (docs/contributing.md, add an event type, step 3)"
                Issue.record("the projector named \"\(error.handler)\" folds \(name) but has no case for it: \(advice)")
            } catch {
                // A rule refusing the lone sample (a probe result for a probe not configured) is a case that ran.
                #expect(checking, "folding \(name)'s sample failed: \(error)")
            }
        }
    }

    @Test("every type has words in the history of every tracker whose streams hold it", arguments: allTypeNames)
    func describedInHistory(type name: String) throws {
        let type = try #require(allTypes.first { $0.declaration.name == name })
        let event = try sampleEvent(type)
        let trackers = domains.filter { $0.tracker.streams.contains(event.stream) }
        #expect(trackers.contains { $0.events.contains { $0.declaration.name == name } }, "\(name) is in no history of its own domain")
        for (domain, _, _, tracker) in trackers {
            let view = ProjectionPass(projectors: tracker.reading, source: nil)
            do {
                let words = try tracker.describe(event, view)
                #expect(!words.isEmpty && words != name, "the \(domain) history describes \(name) as \"\(words)\"")
            } catch {
                let advice = "add its case to the tracker's describe (docs/contributing.md, add an event type, step 4)"
                Issue.record("the \(domain) history (\(String(describing: Swift.type(of: tracker)))) cannot describe \(name): \(advice); \(error)")
            }
        }
    }

    @Test("every event of an entity's own stream is a row in that entity's history, a setting in no one's; update events in their pool's", arguments: allTypeNames)
    func rowInHistory(type name: String) throws {
        let type = try #require(allTypes.first { $0.declaration.name == name })
        let event = try sampleEvent(type)
        let values = event.stream.values.map(String.init)
        let isUpdate = UpdateDomain.events.contains { $0.declaration.name == name }
        var concerned: [any Tracker] = [], unconcerned: [any Tracker] = []
        switch type.declaration.stream {
        case .sessionHost: concerned.append(SessionHostTracker(pool: values[0], host: values[1]))
        case .backendAddress: concerned.append(BackendTracker(loadBalancer: values[0], ipAddress: values[2]))
        case .loadBalancerAddress: concerned.append(BackendTracker(loadBalancer: values[0], ipAddress: values[1]))
        case .scaleSetInstance: concerned.append(InstanceTracker(scaleSet: values[0], instanceId: values[1]))
        case .hostPool, .loadBalancer, .scaleSet:
            // A pool's, a load balancer's or a scale set's settings: no host, backend or instance
            // lists them as a row (an update's step, which names its host, is that host's).
            if !isUpdate { unconcerned.append(SessionHostTracker(pool: nil)) }
            unconcerned += [BackendTracker(loadBalancer: "lb-web", ipAddress: "10.0.0.4"), InstanceTracker(scaleSet: nil)]
        default:
            Issue.record("\(name) is on a stream kind this test does not know (\(type.declaration.stream.prefix)): say whose history lists it")
        }
        if isUpdate { concerned.append(UpdateTracker(pool: values[0])) }
        if type == SessionHostUpdateStepRecorded.self { concerned.append(SessionHostTracker(pool: values[0], host: "sh-0")) }
        for tracker in concerned {
            #expect(tracker.concerns(event), "\(name) is no row in the history of \(Swift.type(of: tracker)) for \(event.stream.rawValue)")
        }
        for tracker in unconcerned {
            #expect(!tracker.concerns(event), "\(name) is a row in the history of \(Swift.type(of: tracker))")
        }
    }

    @Test("every field a type declares is read by its decoder: a value of the wrong kind is refused, naming the field", arguments: allTypeNames)
    func everyFieldIsRead(type name: String) throws {
        let declaration = try #require(allTypes.first { $0.declaration.name == name }).declaration
        for field in declaration.fields {
            // An array is no field's kind: a decoder that reads the field refuses it, one that never reads it lets it by.
            let data = declaration.sampleMembers.filter { $0.key != field } + [JSONMember(key: field, value: .array([]))]
            do {
                _ = try declaration.decode(data, checking: .append)
                Issue.record("\(name) accepts an array as \(field): its decoder never reads the field")
            } catch {
                #expect(error.field == "data.\(field)", "\(name) with an array as \(field) was refused for \(error)")
            }
        }
    }

    @Test("a fold without a case for a type it is handed says so, naming both")
    func unhandledIsNamed() throws {
        // The load balancer's projector does not fold probe results: handed one, it must not pass it by.
        let probe = try sampleEvent(ProbeResultRecorded.self)
        let error = #expect(throws: UnhandledEvent.self) { _ = try LoadBalancerProjector.fold(nil, probe) }
        #expect(error?.description == "load-balancers has no case for ProbeResultRecorded events, though it is handed them: "
            + "a mistake in this build of FleetLedger, not in the input")
    }
}
