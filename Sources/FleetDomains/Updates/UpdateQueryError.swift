/// Why an update question has no answer; `description` is the one sentence the user reads.
package enum UpdateQueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pool is known but no session host update was ever scheduled for it.
    case noUpdate(pool: String)

    package var description: String {
        switch self {
        case let .noUpdate(pool):
            "host pool \(pool) has no session host update; schedule one with fleetledger update schedule --pool \(pool)."
        }
    }
}
