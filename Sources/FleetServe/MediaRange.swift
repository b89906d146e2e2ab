import Foundation

/// The `Accept` header, as far as the API needs it: which of a route's representations the client
/// takes, by quality (RFC 9110, section 12.5.1).
enum MediaRange {
    /// The representation with the highest quality among `offered`, the first offered on a tie;
    /// the route's own first when there is no header; nil when the header takes none of them.
    static func choose(_ offered: [Representation], accepting header: String?) -> Representation? {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return offered.first }
        var best: (representation: Representation, quality: Double)?
        for representation in offered {
            let quality = Self.quality(of: representation.rawValue, in: header)
            if quality > 0, quality > (best?.quality ?? 0) { best = (representation, quality) }
        }
        return best?.representation
    }

    /// The quality the header gives `type` (`text/csv`): from its most specific range that matches
    /// (`text/csv`, then `text/*`, then `*/*`), 0 when none does.
    static func quality(of type: String, in header: String) -> Double {
        let group = type.split(separator: "/").first.map(String.init) ?? type
        var found: (specificity: Int, quality: Double)?
        for range in header.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first else { continue }
            let specificity = name == type ? 3 : name == group + "/*" ? 2 : name == "*/*" ? 1 : 0
            guard specificity > 0 else { continue }
            let quality = parts.dropFirst().compactMap { $0.hasPrefix("q=") ? Double($0.dropFirst(2)) : nil }.first ?? 1
            if specificity > (found?.specificity ?? 0) { found = (specificity, min(max(quality, 0), 1)) }
        }
        return found?.quality ?? 0
    }
}
