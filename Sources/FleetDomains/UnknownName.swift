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
    /// The kind's plural, where adding an s would not do.
    package var plural: String?
    /// The names of that kind the store holds there, sorted.
    package var known: [String]

    package init(_ kind: String, _ name: String, in place: String? = nil, asOf: Timestamp? = nil, known: [String], plural: String? = nil) {
        self.plural = plural
        self.kind = kind
        self.name = name
        self.place = place
        self.asOf = asOf
        self.known = known
    }

    package var description: String {
        "there is no \(kind) \(name) \(place ?? "in the store")" + (asOf.map { " as of \($0.rfc3339)" } ?? "") + "; "
            + NameSuggestion.hint(for: name, known: known, listing: "known \(plural ?? kind + "s"):", none: place == nil ? "it holds none." : "it has none.")
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
        let close = closestMatches(to: name, among: known)
        if !close.isEmpty { return "did you mean \(alternatives(close))?" }
        let shown = known.prefix(listed).joined(separator: ", ")
        return "\(listing) \(shown)" + (known.count > listed ? " (\(known.count) in all)." : ".")
    }
}

/// A question named an entity the store knows of, but which does not exist at the question's
/// time: removed, or never had what was asked (a pool that never had an update). Like
/// `UnknownName`, a "not found" answer, not a malformed question.
package struct MissingEntity: Error, Equatable, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}
