import FleetDomains
import FleetEvents
import FleetOutput
import FleetProjection
import FleetStore

extension LedgerStore {
    /// `fleetledger report timeline`: one self-contained HTML page with a lane per entity of each
    /// scope (a pool's update above its hosts) over `since..<until`, `width` pixels across;
    /// `progress` hears the events read so far, every million or so.
    /// The page comes with the sentence the reader gets on stderr when the window reaches past the
    /// log's newest event, or holds no entity at all.
    public func timelineReport(_ scopes: [AvailabilityScope], since: Timestamp, until: Timestamp, width: Int,
                               progress: ((Int) -> Void)? = nil) throws -> (page: String, note: String?) {
        let page = try timelinePage(scopes, since: since, until: until, width: width, progress: progress)
        return (TimelineOutput.html(page), TimelineOutput.note(page))
    }

    func timelinePage(_ scopes: [AvailabilityScope], since: Timestamp, until: Timestamp, width: Int,
                      progress: ((Int) -> Void)? = nil) throws -> TimelinePage {
        var read = 0
        func count() {
            read += 1
            if read & 0xF_FFFF == 0 { progress?(read) }
        }
        guard since < until else { throw StoreError("--since \(since.rfc3339) must be before --until \(until.rfc3339).") }
        let newest = try newestEventTime()
        let dataEnd = newest.flatMap { $0 < until ? $0 : nil }
        var sections: [TimelineSection] = []
        for scope in scopes {
            switch try requireNames(of: scope) {
            case var .hosts(hosts):
                hosts.marking = true
                var hostLanes = LaneRecorder(hosts, since: since, until: until)
                var updateLanes = LaneRecorder(UpdateTracker(pool: hosts.pool), since: since, until: until)
                try replay(hosts.streams, reading: hosts.reading, notAfter: until) {
                    count()
                    try hostLanes.record($0, $1)
                    try updateLanes.record($0, $1)
                }
                sections.append(TimelineSection(title: "Session hosts", groupColumns: 1,
                                                sets: [updateLanes.finish(dataEnd: dataEnd), hostLanes.finish(dataEnd: dataEnd)]) { "host pool \($0[0])" })
            case let .backends(tracker):
                sections.append(TimelineSection(title: "Load balancer backends", groupColumns: 2,
                                                sets: [try lanes(tracker, since: since, until: until, dataEnd: dataEnd, count: count)]) {
                    "load balancer \($0[0]), rule \($0[1])"
                })
            case let .instances(tracker):
                sections.append(TimelineSection(title: "Scale set instances", groupColumns: 1,
                                                sets: [try lanes(tracker, since: since, until: until, dataEnd: dataEnd, count: count)],
                                                lanePrefix: "instance ") { "scale set \($0[0])" })
            }
        }
        return TimelinePage(since: since, until: until, dataEnd: dataEnd, sections: sections, width: width)
    }

    private func lanes<T: Tracker>(_ tracker: T, since: Timestamp, until: Timestamp, dataEnd: Timestamp?, count: () -> Void) throws -> LaneSet {
        var recorder = LaneRecorder(tracker, since: since, until: until)
        try replay(tracker.streams, reading: tracker.reading, notAfter: until) {
            count()
            try recorder.record($0, $1)
        }
        return recorder.finish(dataEnd: dataEnd)
    }
}
