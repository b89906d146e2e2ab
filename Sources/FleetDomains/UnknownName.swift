import FleetEvents

/// A question named an entity the store does not hold; `description` is the one sentence the user
/// reads, listing the names it does hold.
package struct UnknownName: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was asked for, in words: "load balancer", "scale set", "host pool".
    package var kind: String
    package var name: String
    /// The names of that kind the store holds, sorted.
    package var known: [String]

    package init(_ kind: String, _ name: String, known: [String]) {
        self.kind = kind
        self.name = name
        self.known = known
    }

    package var description: String {
        let holds = known.isEmpty ? "it holds none." : "known \(kind)s: \(known.joined(separator: ", "))."
        return "there is no \(kind) \(name) in the store; \(holds)"
    }
}
