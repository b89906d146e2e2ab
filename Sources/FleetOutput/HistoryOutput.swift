import FleetDomains
import FleetEvents

/// Renders `fleetledger history`: a table an operator reads, CSV and JSON with the same columns.
package enum HistoryOutput {
    package static let csvHeader = ["seq", "at", "kind", "subject", "type", "aspect", "from", "to", "detail", "actor", "reason",
                                    "lastedSeconds", "ongoing"]

    package static func csv(_ entries: [HistoryEntry]) -> String {
        var output = CSV.record(csvHeader)
        for entry in entries {
            output += CSV.record([
                String(entry.seq), entry.at.rfc3339, entry.kind.rawValue, entry.subject, entry.type, entry.aspect ?? "",
                entry.from ?? "", entry.to ?? "", entry.detail, entry.actor ?? "", entry.reason ?? "",
                entry.lasted.map(Seconds.text) ?? "", entry.kind == .change ? String(entry.ongoing) : "",
            ])
        }
        return output
    }

    package static func json(_ entries: [HistoryEntry]) -> String {
        OutputJSON.encode(entries.map(Row.init)) + "\n"
    }

    /// Events as `at  subject  words`; changes indented under them as `aspect: from -> to`.
    package static func table(_ entries: [HistoryEntry], title: String) -> String {
        guard !entries.isEmpty else { return "\(title): nothing in this window.\n" }
        var table = TextTable(headers: ["AT", "SEQ", "SUBJECT", "WHAT", "LASTED"], wrapping: ["WHAT"])
        for entry in entries {
            let what: String
            switch entry.kind {
            case .event:
                what = entry.detail
            case .change:
                what = "\(entry.aspect ?? "") \(entry.from ?? "") -> \(entry.to ?? ""): \(entry.detail)"
            }
            let lasted = entry.lasted.map { Seconds.words($0) + (entry.ongoing ? " (ongoing)" : "") } ?? ""
            table.append([entry.at.rfc3339, String(entry.seq), entry.subject, (entry.kind == .change ? "  * " : "") + what, lasted])
        }
        return "\(title)\n\n" + table.rendered
    }

    private struct Row: Encodable {
        var seq: Int64
        var at: String
        var kind: String
        var subject: String
        var type: String
        @Nullable var aspect: String?
        @Nullable var from: String?
        @Nullable var to: String?
        var detail: String
        @Nullable var actor: String?
        @Nullable var reason: String?
        @Nullable var lastedSeconds: Double?
        @Nullable var ongoing: Bool?

        init(_ entry: HistoryEntry) {
            seq = entry.seq
            at = entry.at.rfc3339
            kind = entry.kind.rawValue
            subject = entry.subject
            type = entry.type
            aspect = entry.aspect
            from = entry.from
            to = entry.to
            detail = entry.detail
            actor = entry.actor
            reason = entry.reason
            lastedSeconds = entry.lasted
            ongoing = entry.kind == .change ? entry.ongoing : nil
        }
    }
}

/// Durations in seconds, as reports print them.
package enum Seconds {
    /// Seconds with at most three decimals (`90`, `0.25`).
    package static func text(_ seconds: Double) -> String { seconds.formatted(fractionDigits: 3) }

    /// `1h 02m 05s`, `4m 30s`, `12s`, `0.25s`: how a person reads a duration.
    package static func words(_ seconds: Double) -> String {
        guard seconds >= 60 else { return "\(seconds.formatted(fractionDigits: seconds < 10 ? 2 : 0))s" }
        let total = Int64(seconds.rounded())
        let (days, hours, minutes, rest) = (total / 86_400, total / 3_600 % 24, total / 60 % 60, total % 60)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if days > 0 { return "\(days)d \(two(hours))h \(two(minutes))m" }
        if hours > 0 { return "\(hours)h \(two(minutes))m \(two(rest))s" }
        return "\(minutes)m \(two(rest))s"
    }
}
