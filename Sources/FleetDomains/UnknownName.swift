import FleetEvents

/// A question named an entity the store does not hold; `description` is the one sentence the user
/// reads, naming the closest known names (or the known names, when none is close).
package struct UnknownName: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was asked for, in words: "load balancer", "scale set", "host pool".
    package var kind: String
    package var name: String
    /// Where it was looked for, when not the whole store: "in host pool hp".
    package var place: String?
    /// The time the question was asked as of; nil for now.
    package var asOf: Timestamp?
    /// The names of that kind the store holds there, sorted.
    package var known: [String]

    package init(_ kind: String, _ name: String, in place: String? = nil, asOf: Timestamp? = nil, known: [String]) {
        self.kind = kind
        self.name = name
        self.place = place
        self.asOf = asOf
        self.known = known
    }

    package var description: String {
        "there is no \(kind) \(name) \(place ?? "in the store")" + (asOf.map { " as of \($0.rfc3339)" } ?? "") + "; "
            + NameSuggestion.hint(for: name, known: known, listing: "known \(kind)s:", none: place == nil ? "it holds none." : "it has none.")
    }
}

/// The closest of the known names to a mistyped one, for the sentence that refuses it.
package enum NameSuggestion {
    /// At most this many names are listed when none is close.
    static let listed = 5

    /// "did you mean X?" for the closest known names; else `listing` and the known names, the first
    /// few when there are many; `none` when nothing is known.
    package static func hint(for name: String, known: [String], listing: String, none: String) -> String {
        guard !known.isEmpty else { return none }
        let close = closest(to: name, among: known)
        if let last = close.last {
            return "did you mean " + (close.count == 1 ? last : close.dropLast().joined(separator: ", ") + " or " + last) + "?"
        }
        let shown = known.prefix(listed).joined(separator: ", ")
        return "\(listing) \(shown)" + (known.count > listed ? " (\(known.count) in all)." : ".")
    }

    /// The known names within a few edits of `name` (a third of its length, at least two), nearest
    /// first, at most three; case is ignored, as a mistyped name's case often is.
    package static func closest(to name: String, among known: [String]) -> [String] {
        let target = Array(name.lowercased().unicodeScalars)
        let limit = max(2, target.count / 3)
        return known.map { (name: $0, distance: distance(target, Array($0.lowercased().unicodeScalars))) }
            .filter { $0.distance <= limit }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
            .prefix(3).map(\.name)
    }

    /// Edits (insertions, deletions, substitutions and swaps of neighbours) from `a` to `b`: the
    /// optimal string alignment distance.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
