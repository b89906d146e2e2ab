import ArgumentParser
import FleetEvents
import FleetStore

/// A time given on the command line: RFC 3339, `now`, a date (midnight UTC), or a time ago
/// (`-15m`, `-2h`, `-7d`, from now: the clock, or `$FLEETLEDGER_NOW`).
enum CommandLineTime {
    static let forms = "RFC 3339 (2024-04-15T03:10:00Z), a date (2024-04-15, midnight UTC), now, or a time ago (-15m, -2h, -7d)"

    static func parse(_ text: String) throws -> Timestamp {
        try parse(text) { try Clock.nowToTheSecond() }
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
        if text.count == 10, text.allSatisfy({ $0.isNumber || $0 == "-" }) {
            switch Timestamp.parse(text + "T00:00:00Z") {
            case .success(let day): return day
            case .failure(let error): throw ValidationError("\"\(text)\" is not a date: \(error.reason); give \(forms).")
            }
        }
        switch Timestamp.parse(text) {
        case .success(let time): return time
        case .failure(let error): throw ValidationError("\"\(text)\" is not a time: \(error.reason); give \(forms).")
        }
    }
}

/// A length of time given on the command line (`--stale-after`, `--max-clock-skew`): a number and
/// a unit (`90s`, `15m`, `2h`, `1d`, combined as `1h30m`) or ISO 8601 (`PT15M`); a wrong one is
/// explained, not just called invalid.
enum CommandLineDuration {
    static let forms = "a number and a unit (90s, 15m, 2h, 1d, or combined as 1h30m) or ISO 8601 (PT15M)"

    static func parse(_ text: String) throws -> TimeSpan {
        if let span = TimeSpan(text) { return span }
        if text.hasPrefix("--") { throw ValidationError("a length of time is missing before \(text): give \(forms).") }
        if text.hasPrefix("-") { throw ValidationError("\"\(text)\" is negative; a length of time is at least 1 second: give \(forms).") }
        if !text.isEmpty, text.allSatisfy(\.isNumber) {
            throw ValidationError("\"\(text)\" has no unit: give \(text)s, \(text)m, \(text)h or \(text)d.")
        }
        if let digits = Int(text.filter(\.isNumber)), digits == 0 {
            throw ValidationError("\"\(text)\" is no length; a length of time is at least 1 second: give \(forms).")
        }
        throw ValidationError("\"\(text)\" is not a length of time (or is longer than 10,000,000 of its unit): give \(forms).")
    }
}
