import FleetEvents
import Foundation

/// "Now": the wall clock, or the time `$FLEETLEDGER_NOW` pins (RFC 3339), for tests and
/// reproducible reports. Read for the clock-skew check at append and for the questions about now
/// (staleness, times ago); no rule of the domain uses it. What the store records of its own
/// doings (`recordedAt`, when a migration ran) takes the real clock, which nothing pins.
package enum Clock {
    /// The variable that pins now.
    package static let variable = "FLEETLEDGER_NOW"

    /// Now: the pinned time when `$FLEETLEDGER_NOW` is set (a time that is not RFC 3339 is refused,
    /// saying why), else the wall clock.
    package static func now(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Timestamp {
        if let pinned = environment[variable], !pinned.isEmpty {
            switch Timestamp.parse(pinned) {
            case .success(let time): return time
            case .failure(let error): throw StoreError("$\(variable) is \"\(pinned)\", which is not an RFC 3339 time: \(error.reason).")
            }
        }
        return wall()
    }

    /// Now to the whole second, for the questions about now a person reads ("stale ... before
    /// 11:29:03Z (now)"; `--since -2h --until now`, which reads it twice, is then two hours exactly
    /// unless a second turns between the readings). The events the commands write take `now()`,
    /// so that they are not dated before an event logged earlier in the same second.
    package static func nowToTheSecond(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Timestamp {
        let now = try now(environment: environment).nanoseconds
        return Timestamp(nanoseconds: now - now % 1_000_000_000)
    }

    /// The machine's clock, never pinned.
    package static func wall() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
