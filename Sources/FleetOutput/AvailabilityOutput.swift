import FleetDomains
import FleetEvents

/// Renders `fleetledger report availability`: CSV first (one row per entity, one column per
/// state, seconds), then a table and JSON with the same figures.
package enum AvailabilityOutput {
    /// The columns after the ids: one per state, then these, then `staleSeconds` with
    /// `--stale-after` (last, as the other commands add their staleness columns, so that the
    /// others keep their places).
    static let trailingColumns = ["noState", "noData", "trafficSeconds", "trafficShare", "transitions", "longestOutageSeconds",
                                  "longestOutageStart", "longestOutageReason"]

    package static func csvHeader(_ report: AvailabilityReport) -> [String] {
        report.idColumns + (report.idColumns.count == 1 ? ["entities"] : []) + report.states + trailingColumns
            + (report.staleAfter != nil ? ["staleSeconds"] : [])
    }

    package static func csv(_ report: AvailabilityReport) -> String {
        var output = CSV.record(csvHeader(report))
        for row in report.rows {
            var fields = row.ids + (report.idColumns.count == 1 ? [String(row.entities)] : [])
            fields += report.states.map { Seconds.text(row.seconds[$0] ?? 0) }
            fields += [Seconds.text(row.noState), Seconds.text(row.noData), Seconds.text(row.traffic), row.share.map { $0.formatted(fractionDigits: 6) } ?? "",
                       String(row.transitions), row.longestOutage.map { Seconds.text($0.seconds) } ?? "",
                       row.longestOutage?.start.rfc3339 ?? "", row.longestOutage?.reason ?? ""]
            if report.staleAfter != nil { fields.append(Seconds.text(row.stale)) }
            output += CSV.record(fields)
        }
        return output
    }

    /// The table leaves out the states, and the no state and no data columns, that no row spent a
    /// second in, and says so, so it fits a terminal; csv and json keep every column.
    package static func table(_ report: AvailabilityReport) -> String {
        var title = "availability from \(report.since.rfc3339) to \(report.until.rfc3339) (\(Seconds.words(report.windowSeconds)))"
            + (report.staleAfter.map { ", stale \($0) after an entity's own last event" } ?? "")
        guard !report.rows.isEmpty else { return "\(title): no entity had a known state in this window.\n" }
        let states = report.states.filter { state in report.rows.contains { ($0.seconds[state] ?? 0) > 0 } }
        let unseen = report.states.filter { !states.contains($0) }
        if !unseen.isEmpty { title += "\nno time in: " + unseen.joined(separator: ", ") }
        // Each optional column: its header and a row's figure; shown when any row has some.
        let optional: [(header: String, seconds: (AvailabilityRow) -> Double)] = [("NO STATE", \.noState), ("NO DATA", \.noData), ("STALE", \.stale)]
            .filter { column in column.header == "STALE" ? report.staleAfter != nil : report.rows.contains { column.seconds($0) > 0 } }
        var table = TextTable(headers: report.idColumns.map(TextTable.header(forField:)) + (report.idColumns.count == 1 ? ["ENTITIES"] : [])
            + ["TAKING TRAFFIC"] + states.map(TextTable.header(forField:)) + optional.map(\.header) + ["TRANSITIONS", "LONGEST OUTAGE"],
                              wrapping: ["LONGEST OUTAGE"])
        for row in report.rows {
            let share = row.share.map { ($0 * 100).formatted(fractionDigits: 2) + "%" } ?? "-"
            let outage = row.longestOutage.map { "\(Seconds.words($0.seconds)) from \($0.start.rfc3339): \($0.reason)" } ?? "-"
            table.append(row.ids + (report.idColumns.count == 1 ? [String(row.entities)] : []) + [share]
                + states.map { row.seconds[$0].map(Seconds.words) ?? "-" }
                + optional.map { Self.duration($0.seconds(row)) } + [String(row.transitions), outage])
        }
        return title + "\n\n" + table.rendered
    }

    /// A duration in words, or "-" for none.
    private static func duration(_ seconds: Double) -> String { seconds > 0 ? Seconds.words(seconds) : "-" }

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
        /// `--stale-after` in seconds, when given; null otherwise.
        @Nullable var staleAfterSeconds: Double?
        var rows: [Row]

        init(_ report: AvailabilityReport) {
            since = report.since.rfc3339
            until = report.until.rfc3339
            windowSeconds = report.windowSeconds
            dataEnd = report.dataEnd?.rfc3339
            staleAfterSeconds = report.staleAfter.map { Double($0.nanoseconds) / 1e9 }
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
        var staleSeconds: Double
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
            staleSeconds = row.stale
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
            try container.encode(staleSeconds, forKey: Key("staleSeconds"))
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
