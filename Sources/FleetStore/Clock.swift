import FleetEvents
import Foundation

/// "Now": the wall clock, or the time `$FLEETLEDGER_NOW` pins (RFC 3339), for tests and
/// reproducible reports. Read for `recordedAt`, for the clock-skew check at append and for the
/// questions about now (staleness); no rule of the domain uses it.
public enum Clock {
    /// The variable that pins now.
    public static let variable = "FLEETLEDGER_NOW"

    public static func now(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Timestamp {
        if let pinned = environment[variable], !pinned.isEmpty {
            switch Timestamp.parse(pinned) {
            case .success(let time): return time
            case .failure(let error): throw StoreError("$\(variable) is \"\(pinned)\", which is not an RFC 3339 time: \(error.reason).")
            }
        }
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
