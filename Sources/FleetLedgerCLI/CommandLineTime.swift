import ArgumentParser
import FleetEvents
import FleetStore

/// A time given on the command line: RFC 3339, `now`, a date (midnight UTC), or a time ago
/// (`-15m`, `-2h`, `-7d`, from now: the clock, or `$FLEETLEDGER_NOW`).
enum CommandLineTime {
    static let forms = "RFC 3339 (2024-04-15T03:10:00Z), a date (2024-04-15, midnight UTC), now, or a time ago (-15m, -2h, -7d)"

    static func parse(_ text: String) throws -> Timestamp {
        try parse(text) { try Clock.now() }
    }

    static func parse(_ text: String, now: () throws -> Timestamp) throws -> Timestamp {
        if text.lowercased() == "now" { return try now() }
        if text.hasPrefix("--") { throw ValidationError("a time is missing before \(text): give \(forms).") }
        if text.hasPrefix("-") {
            guard let span = TimeSpan(String(text.dropFirst())) else {
                throw ValidationError("\"\(text)\" is not a time ago: after the minus comes a length such as 15m, 2h or 7d.")
            }
            return Timestamp(nanoseconds: try now().nanoseconds - span.nanoseconds)
        }
        if text.count == 10, text.allSatisfy({ $0.isNumber || $0 == "-" }), case .success(let day) = Timestamp.parse(text + "T00:00:00Z") {
            return day
        }
        switch Timestamp.parse(text) {
        case .success(let time): return time
        case .failure(let error): throw ValidationError("\"\(text)\" is not a time: \(error.reason); give \(forms).")
        }
    }
}
