@testable import FleetLedgerCLI
import FleetTestSupport
import Foundation
import Testing

/// Shell completion offers the names the store holds for each selector.
@Suite("shell completion of names from the store")
struct CompletionTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("demo.sqlite") }

    init() { _ = fleetledger("demo", "--db", directory.path("demo.sqlite")) }

    /// What argument-parser's completion scripts ask the program for `option` (`positional@0` for
    /// the first argument) while the user types `words` (the last being completed).
    func complete(_ command: [String], _ option: String, _ words: [String]) -> [String] {
        let line = ["fleetledger"] + command + words
        let result = fleetledger(["---completion"] + command + ["--", option, String(line.count - 1), String(line.last!.count)] + line)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test("pools, hosts (of the pool given), load balancers, rules (of the load balancer given) and scale sets")
    func names() {
        #expect(complete(["hosts"], "--pool", ["--db", db, "--pool", "hp-"]) == ["hp-finance"])
        #expect(complete(["host"], "positional@0", ["--db", db, "--pool", "hp-finance", "sh-finance-1"]) == ["sh-finance-1"])
        #expect(complete(["drain"], "--host", ["on", "--db", db, "--pool", "hp-finance", "--host", ""]).count == 10)
        #expect(complete(["history"], "--lb", ["--db=\(db)", "--lb", ""]) == ["lb-web"])
        #expect(complete(["lb", "health"], "--rule", ["--db", db, "--lb", "lb-web", "--rule", "rule-"]) == ["rule-api", "rule-http"])
        #expect(complete(["vmss", "health"], "--scale-set", ["--db", db, "--scale-set", "v"]) == ["vmss-api"])
        #expect(complete(["report", "availability"], "--pool", ["--db", "'\(db)'", "--pool", ""]) == ["hp-finance"], "a quoted path")
    }

    @Test("a missing store completes nothing, and is not created; an empty file is left empty")
    func missingStore() throws {
        let missing = directory.path("typo.sqlite")
        #expect(complete(["hosts"], "--pool", ["--db", missing, "--pool", ""]).isEmpty)
        #expect(fleetledger("hosts", "--db", missing).exitCode == 1)
        let empty = directory.write("empty.sqlite", "")
        #expect(complete(["hosts"], "--pool", ["--db", empty, "--pool", ""]).isEmpty)
        #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0)
    }

    @Test("--db as the shell leaves it: ~/ is the home folder, and the last --db counts, as the parser takes it")
    func pathWords() {
        let home = ["HOME": directory.path("")]
        #expect(NameCompletion.complete(.hostPool, words: ["fleetledger", "hosts", "--db", "~/demo.sqlite", "--pool", ""], prefix: "",
                                        environment: home) == ["hp-finance"])
        #expect(NameCompletion.complete(.hostPool, words: ["fleetledger", "hosts", "--db", "nowhere.sqlite", "--db", db, "--pool", ""],
                                        prefix: "", environment: [:]) == ["hp-finance"])
    }

    @Test("event types complete from the contract; a mistyped one is refused with the closest")
    func eventTypes() throws {
        let script = fleetledger("--generate-completion-script", "bash").stdout
        let events = try #require(script.range(of: "_fleetledger_events()"))
        #expect(script[events.lowerBound...].prefix(4_000).contains("ProbeResultRecorded"))
        let typo = fleetledger("events", "--type", "ProbeResult", "--db", db)
        #expect(typo.exitCode == 64 && typo.stderr.contains("there is no event type ProbeResult; did you mean ProbeResultRecorded?"))
    }

    @Test("bash's completion script, sourced in a real bash, offers the store's pools")
    func bash() throws {
        let result = try FleetLedgerProcess.run([], shell: """
            source <("$FLEETLEDGER" --generate-completion-script bash)
            COMP_WORDS=("$FLEETLEDGER" route --db '\(db)' --pool hp-f); COMP_CWORD=5
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _fleetledger fleetledger hp-f --pool
            printf '%s\\n' "${COMPREPLY[@]}"
            """)
        #expect(result.stdout == "hp-finance\n", "\(result.stderr)")
    }
}
