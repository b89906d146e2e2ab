import ArgumentParser
import FleetLedger
import FleetStore
import Foundation

/// Shell completion of the names a selector takes (`--pool`, `--host`, `--lb`, `--rule`,
/// `--scale-set`), read from the store the command line names: its `--db`, else
/// `$FLEETLEDGER_DB`, else the default path. A store that is missing or unreadable completes
/// nothing rather than fail in the middle of the user's typing.
enum NameCompletion {
    static func complete(_ kind: KnownNameKind, words: [String], prefix: String,
                         environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let path = StoreOptions.storePath(db: value(of: "--db", in: words), environment: environment)
        guard FileManager.default.fileExists(atPath: path),
              let store = try? EventStore(path: path),
              let names = try? store.knownNames(kind, pool: value(of: "--pool", in: words), loadBalancer: value(of: "--lb", in: words))
        else { return [] }
        return names.filter { $0.hasPrefix(prefix) }
    }

    /// The value given to `option` in the shell's words (`--db x` or `--db=x`), unquoted.
    static func value(of option: String, in words: [String]) -> String? {
        for (index, word) in words.enumerated() {
            if word == option, index + 1 < words.count { return unquoted(words[index + 1]) }
            if word.hasPrefix(option + "=") { return unquoted(String(word.dropFirst(option.count + 1))) }
        }
        return nil
    }

    /// The shell passes words as typed: a name in quotes loses them here (escapes are rare in names).
    private static func unquoted(_ word: String) -> String {
        guard word.count >= 2, let first = word.first, first == word.last, first == "'" || first == "\"" else { return word }
        return String(word.dropFirst().dropLast())
    }
}

extension CompletionKind {
    /// Completes the names of `kind` the store holds.
    static func names(_ kind: KnownNameKind) -> CompletionKind {
        .custom { words, _, prefix in NameCompletion.complete(kind, words: words, prefix: prefix) }
    }
}
