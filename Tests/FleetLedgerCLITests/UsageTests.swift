import Testing

/// Usage errors exit 64 wherever they are made, and help says what the command really does.
@Suite("Usage and help")
struct UsageTests {
    @Test("help of an unknown command is a usage error, as the unknown command is; help of a known one is its help")
    func helpOfUnknown() {
        let unknown = fleetledger("help", "nosuch")
        #expect(unknown.exitCode == 64)
        #expect(unknown.stderr == "Error: there is no command nosuch. See 'fleetledger --help'.\n")
        #expect(fleetledger("help", "lb", "helth").stderr == "Error: there is no command helth under lb; did you mean health? See 'fleetledger --help'.\n")
        #expect(fleetledger("nosuch").exitCode == 64)
        let known = fleetledger("help", "lb", "health")
        #expect(known.exitCode == 0 && known.stdout.contains("USAGE: fleetledger lb health"))
    }

    @Test("the lists' --stale-after help says they count stale entities; writers alone take --durability")
    func helpTexts() {
        // Help is wrapped to the terminal: compared with its words rejoined.
        let pools = fleetledger("pools", "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(pools.contains("pools, lb list and vmss list add a count of stale hosts, backends or instances"))
        #expect(fleetledger("append", "--help").stdout.contains("--durability"))
        #expect(fleetledger("append", "--help").stdout.contains("--max-clock-skew"))
        #expect(!fleetledger("hosts", "--help").stdout.contains("--durability"))
        #expect(!fleetledger("verify", "--help").stdout.contains("--durability"))
    }
}
