/// The candidate closest to a misspelt `word`, when one is close enough to be a likely typo.
///
/// Close means equal ignoring case, at most two single-character edits apart, or the only
/// candidate that starts with the word (a name cut short).
package func closestMatch(to word: String, among candidates: some Sequence<String>) -> String? {
    let lowered = word.lowercased()
    var best: (candidate: String, distance: Int)?
    var extensions: [String] = []
    for candidate in candidates {
        let candidateLowered = candidate.lowercased()
        if candidateLowered == lowered { return candidate }
        let distance = editDistance(Array(lowered.utf8), Array(candidateLowered.utf8))
        if distance <= 2, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        if lowered.count >= 3, candidateLowered.hasPrefix(lowered) { extensions.append(candidate) }
    }
    return best?.candidate ?? (extensions.count == 1 ? extensions[0] : nil)
}

/// Levenshtein distance between two byte strings.
package func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// `" (did you mean "X"?)"` when a close match exists, else empty.
package func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
    closestMatch(to: word, among: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
}

/// The candidates nearest to `word`, if within a few edits of it (a third of its length, at least
/// two), case ignored: those at the least distance, at most three, for a sentence that lists the
/// closest known names.
package func closestMatches(to word: String, among candidates: some Sequence<String>) -> [String] {
    let lowered = Array(word.lowercased().utf8)
    let limit = max(2, lowered.count / 3)
    let near = candidates.map { (name: $0, distance: editDistance(lowered, Array($0.lowercased().utf8))) }
        .filter { $0.distance <= limit }
    guard let nearest = near.map(\.distance).min() else { return [] }
    return Array(near.filter { $0.distance == nearest }.map(\.name).sorted().prefix(3))
}

/// `X`, `X or Y`, `X, Y or Z`: names joined for a sentence.
package func alternatives(_ names: [String]) -> String {
    guard let last = names.last else { return "" }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
}

/// The same with each name quoted: `"X", "Y" or "Z"`.
package func quotedAlternatives(_ names: [String]) -> String {
    alternatives(names.map { "\"\($0)\"" })
}
