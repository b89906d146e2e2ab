import ArgumentParser
import FleetLedger
import FleetStore
import Foundation

/// Shell completion of the names a selector takes (`--pool`, `--host`, `--lb`, `--rule`,
/// `--scale-set`), read from the store the command line names: its `--db`, else
/// `$FLEETLEDGER_DB`, else the default path, opened to read only (a TAB never writes, migrates or
/// waits long for a writer). A store that is missing, unreadable or not up to date completes
/// nothing rather than fail in the middle of the user's typing.
enum NameCompletion {
    static func complete(_ kind: KnownNameKind, words: [String], prefix: String,
                         environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let path = StoreOptions.storePath(db: value(of: "--db", in: words, environment: environment), environment: environment)
        guard let store = try? StoreLocation(path, environment: environment).openReadingOnly(),
              let names = try? store.knownNames(kind, pool: value(of: "--pool", in: words), loadBalancer: value(of: "--lb", in: words))
        else { return [] }
        return names.filter { $0.hasPrefix(prefix) }
    }

    /// The value given to `option` in the shell's words (`--db x` or `--db=x`), the last one as
    /// the parser takes it, unquoted and with a leading `~/` expanded as the shell would.
    static func value(of option: String, in words: [String], environment: [String: String] = [:]) -> String? {
        var found: String?
        for (index, word) in words.enumerated() {
            if word == option, index + 1 < words.count { found = words[index + 1] }
            if word.hasPrefix(option + "=") { found = String(word.dropFirst(option.count + 1)) }
        }
        return found.map { expanded(unquoted($0), environment: environment) }
    }

    /// The shell passes words as typed: a name in quotes loses them here (escapes are rare in names).
    private static func unquoted(_ word: String) -> String {
        guard word.count >= 2, let first = word.first, first == word.last, first == "'" || first == "\"" else { return word }
        return String(word.dropFirst().dropLast())
    }

    private static func expanded(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }
}

extension CompletionKind {
    /// Completes the names of `kind` the store holds.
    static func names(_ kind: KnownNameKind) -> CompletionKind {
        .custom { words, _, prefix in NameCompletion.complete(kind, words: words, prefix: prefix) }
    }
}
