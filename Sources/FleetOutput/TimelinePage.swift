import FleetDomains
import FleetEvents

/// What `report timeline` draws: the window, where the data ends, and a section per kind of entity.
package struct TimelinePage: Sendable {
    package var since: Timestamp
    package var until: Timestamp
    /// The log's newest event, when the window reaches past it: the rest is drawn as no data.
    package var dataEnd: Timestamp?
    package var sections: [TimelineSection]
    /// Pixels across the window.
    package var width: Int

    package init(since: Timestamp, until: Timestamp, dataEnd: Timestamp?, sections: [TimelineSection], width: Int) {
        self.since = since
        self.until = until
        self.dataEnd = dataEnd
        self.sections = sections
        self.width = width
    }
}

/// One kind of entity on the page (session hosts, backends, instances): its lane sets, grouped by
/// their first `groupColumns` ids under a heading each.
package struct TimelineSection: Sendable {
    package var title: String
    package var groupColumns: Int
    /// The heading of a group, from its ids (`host pool hp-finance`).
    package var groupTitle: @Sendable ([String]) -> String
    /// Lane sets sharing the groups; within a group, the first set's lanes come first (a pool's
    /// update above its hosts).
    package var sets: [LaneSet]
    /// Before a lane's name under its heading (`instance ` for a scale set's `0`).
    package var lanePrefix: String

    package init(title: String, groupColumns: Int, sets: [LaneSet], lanePrefix: String = "",
                 groupTitle: @escaping @Sendable ([String]) -> String) {
        self.title = title
        self.groupColumns = groupColumns
        self.sets = sets
        self.lanePrefix = lanePrefix
        self.groupTitle = groupTitle
    }

    package var laneCount: Int { sets.reduce(0) { $0 + $1.lanes.count } }
}

/// How the page paints a state: a colour from Okabe and Ito's palette, told apart under the common
/// colour vision deficiencies, and a text colour that reads on it. A state that takes no traffic is
/// also striped, so the picture reads in greyscale too.
struct StatePaint {
    var fill: String
    var ink: String

    /// By the state's meaning, the same across kinds: taking traffic green, failing vermillion,
    /// degraded yellow, off grey, changing sky blue.
    static func of(_ state: String) -> StatePaint {
        switch state {
        case "Available", "Up", "Healthy", "Succeeded": StatePaint(fill: "#009E73", ink: "#fff")
        case "Unavailable", "Down", "Unhealthy", "Failed", "Error": StatePaint(fill: "#D55E00", ink: "#fff")
        case "NeedsAssistance", "Initializing", "Pausing", "Paused": StatePaint(fill: "#F0E442", ink: "#000")
        case "Shutdown", "PoweredOff", "Unknown", "Scheduled", "Cancelling", "Cancelled": StatePaint(fill: "#999999", ink: "#000")
        case "Upgrading", "ValidatingSessionHostUpdate", "UpdatingSessionHosts": StatePaint(fill: "#56B4E9", ink: "#000")
        case "UpgradeFailed": StatePaint(fill: "#CC79A7", ink: "#000")
        // The statuses only Azure reports (NoHeartbeat, Disconnected, ...), and any state to come.
        default: StatePaint(fill: "#E69F00", ink: "#000")
        }
    }
}
