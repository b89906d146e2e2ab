import FleetEvents
import Foundation

/// The wall clock, read only for `recordedAt` and bookkeeping; no rule of the domain uses it.
enum Clock {
    static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
