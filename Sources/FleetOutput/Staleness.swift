import FleetEvents

/// Which entities of an answer have heard nothing for longer than `--stale-after`: a flag beside
/// Azure's status, never a change of it. Measured from the query's time: the as-of time, or now
/// (the clock, or `$FLEETLEDGER_NOW`), since the question is whether anything is stale now.
package struct Staleness: Sendable {
    package var after: TimeSpan
    /// What staleness is measured from: the `--as-of` time, else now.
    package var queryTime: Timestamp
    /// Whether `queryTime` is now (the clock, or `$FLEETLEDGER_NOW`) rather than an `--as-of` time.
    package var isNow: Bool
    /// The `at` of each entity's newest event up to the query's time, by the entity's id in the answer.
    package var newest: [String: Timestamp]

    package init(after: TimeSpan, queryTime: Timestamp, isNow: Bool, newest: [String: Timestamp]) {
        self.after = after
        self.queryTime = queryTime
        self.isNow = isNow
        self.newest = newest
    }

    /// How an answer names an entity to its staleness: its ids within the answer, joined
    /// (`hp-finance/sh-3`, `lb-web/10.0.2.4`, `vmss-api/2`, or an address alone in one rule's answer).
    package static func id(_ parts: String...) -> String { parts.joined(separator: "/") }

    package func isStale(_ id: String) -> Bool {
        guard let last = newest[id] else { return true }
        return queryTime.nanoseconds(since: last) > after.nanoseconds
    }

    static let csvColumns = ["lastEventAt", "stale"]
    static let tableColumns = ["LAST EVENT", "STALE"]

    func csvCells(_ id: String) -> [String] { [newest[id]?.rfc3339 ?? "", isStale(id) ? "true" : "false"] }
    func tableCells(_ id: String) -> [String] { [newest[id]?.rfc3339 ?? "-", isStale(id) ? "stale" : "-"] }

    /// The line above a table that says what "stale" meant.
    var legend: String { "stale: no event for more than \(after) before \(queryTime.rfc3339) (\(isNow ? "now" : "--as-of"))\n" }
}

extension Optional where Wrapped == Staleness {
    func csvColumns() -> [String] { self == nil ? [] : Staleness.csvColumns }
    func tableColumns() -> [String] { self == nil ? [] : Staleness.tableColumns }
    func csvCells(_ id: String) -> [String] { self?.csvCells(id) ?? [] }
    /// For a summary row: the column that counts its stale entities.
    func countColumn(_ name: String) -> [String] { self == nil ? [] : [name] }
    func count(_ ids: [String]) -> [String] { self.map { staleness in [String(ids.count { staleness.isStale($0) })] } ?? [] }
    func tableCells(_ id: String) -> [String] { self?.tableCells(id) ?? [] }
    var legend: String { self.map { $0.legend + "\n" } ?? "" }
}
