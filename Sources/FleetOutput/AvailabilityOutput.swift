import FleetDomains
import FleetEvents

/// Renders `fleetledger report availability`: CSV first (one row per entity, one column per
/// state, seconds), then a table and JSON with the same figures.
package enum AvailabilityOutput {
    /// The columns after the ids: one per state, then these.
    static let trailingColumns = ["noState", "noData", "trafficSeconds", "trafficShare", "transitions", "longestOutageSeconds",
                                  "longestOutageStart", "longestOutageReason"]

    package static func csvHeader(_ report: AvailabilityReport) -> [String] {
        report.idColumns + (report.idColumns.count == 1 ? ["entities"] : []) + report.states + trailingColumns
    }

    package static func csv(_ report: AvailabilityReport) -> String {
        var output = CSV.record(csvHeader(report))
        for row in report.rows {
            var fields = row.ids + (report.idColumns.count == 1 ? [String(row.entities)] : [])
            fields += report.states.map { Seconds.text(row.seconds[$0] ?? 0) }
            fields += [Seconds.text(row.noState), Seconds.text(row.noData), Seconds.text(row.traffic), row.share.map { $0.formatted(fractionDigits: 6) } ?? "",
                       String(row.transitions), row.longestOutage.map { Seconds.text($0.seconds) } ?? "",
                       row.longestOutage?.start.rfc3339 ?? "", row.longestOutage?.reason ?? ""]
            output += CSV.record(fields)
        }
        return output
    }

    package static func table(_ report: AvailabilityReport) -> String {
        let title = "availability from \(report.since.rfc3339) to \(report.until.rfc3339) (\(Seconds.words(report.windowSeconds)))"
        guard !report.rows.isEmpty else { return "\(title): no entity had a known state in this window.\n" }
        var table = TextTable(headers: report.idColumns.map { $0.uppercased() } + (report.idColumns.count == 1 ? ["ENTITIES"] : [])
            + ["TAKING TRAFFIC"] + report.states.map { $0.uppercased() } + ["NO STATE", "NO DATA", "TRANSITIONS", "LONGEST OUTAGE"])
        for row in report.rows {
            let share = row.share.map { ($0 * 100).formatted(fractionDigits: 2) + "%" } ?? "-"
            let outage = row.longestOutage.map { "\(Seconds.words($0.seconds)) from \($0.start.rfc3339): \($0.reason)" } ?? "-"
            table.append(row.ids + (report.idColumns.count == 1 ? [String(row.entities)] : []) + [share]
                + report.states.map { row.seconds[$0].map(Seconds.words) ?? "-" }
                + [row.noState > 0 ? Seconds.words(row.noState) : "-", row.noData > 0 ? Seconds.words(row.noData) : "-",
                   String(row.transitions), outage])
        }
        return title + "\n\n" + table.rendered
    }

    /// The sentence the reader gets on stderr when the window reaches past the log's data (csv and
    /// json also carry it in their noData figures).
    package static func note(_ report: AvailabilityReport) -> String? {
        guard let end = report.dataEnd else { return nil }
        let past = report.until.seconds(after: max(end, report.since))
        return "note: the log's newest event is at \(end.rfc3339); the window's \(Seconds.words(past)) after it are no data, "
            + "a column of their own and out of the share taking traffic."
    }

    package static func json(_ report: AvailabilityReport) -> String {
        OutputJSON.encode(Report(report)) + "\n"
    }

    private struct Report: Encodable {
        var since: String
        var until: String
        var windowSeconds: Double
        /// The log's newest event, when the window reaches past it; null otherwise.
        @Nullable var dataEnd: String?
        var rows: [Row]

        init(_ report: AvailabilityReport) {
            since = report.since.rfc3339
            until = report.until.rfc3339
            windowSeconds = report.windowSeconds
            dataEnd = report.dataEnd?.rfc3339
            rows = report.rows.map { Row($0, report) }
        }
    }

    /// One row: the entity's ids as keys of their own (`hostPool`, `sessionHost`), then the figures.
    private struct Row: Encodable {
        var ids: [(String, String)]
        var entities: Int
        var seconds: [String: Double]
        var noStateSeconds: Double
        var noDataSeconds: Double
        var trafficSeconds: Double
        var trafficShare: Double?
        var transitions: Int
        var longestOutage: OutageShape?

        init(_ row: AvailabilityRow, _ report: AvailabilityReport) {
            ids = Array(zip(report.idColumns, row.ids))
            entities = row.entities
            seconds = Dictionary(uniqueKeysWithValues: report.states.map { ($0, row.seconds[$0] ?? 0) })
            noStateSeconds = row.noState
            noDataSeconds = row.noData
            trafficSeconds = row.traffic
            trafficShare = row.share
            transitions = row.transitions
            longestOutage = row.longestOutage.map { OutageShape(start: $0.start.rfc3339, seconds: $0.seconds, reason: $0.reason) }
        }

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (column, value) in ids { try container.encode(value, forKey: Key(column)) }
            try container.encode(entities, forKey: Key("entities"))
            try container.encode(seconds, forKey: Key("seconds"))
            try container.encode(noStateSeconds, forKey: Key("noStateSeconds"))
            try container.encode(noDataSeconds, forKey: Key("noDataSeconds"))
            try container.encode(trafficSeconds, forKey: Key("trafficSeconds"))
            try container.encode(trafficShare, forKey: Key("trafficShare"))
            try container.encode(transitions, forKey: Key("transitions"))
            try container.encode(longestOutage, forKey: Key("longestOutage"))
        }
    }

    private struct OutageShape: Encodable {
        var start: String
        var seconds: Double
        var reason: String
    }
}
