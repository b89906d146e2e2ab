@testable import FleetLedgerCLI
import FleetTestSupport
import Testing

/// Tables follow the terminal's width, wrapping only their long text; every table spells its
/// headers one way and ends no line in spaces.
@Suite("tables that fit the terminal")
struct TableFitTests {
    let directory = TemporaryDirectory()
    var db: String { directory.path("demo.sqlite") }

    init() { _ = fleetledger("demo", "--db", directory.path("demo.sqlite")) }

    static let tables: [[String]] = [
        ["hosts"], ["host", "sh-finance-6", "--pool", "hp-finance"], ["route", "--pool", "hp-finance"], ["pools"],
        ["lb", "list"], ["lb", "health", "--lb", "lb-web", "--rule", "rule-http"], ["vmss", "list"], ["vmss", "health", "--scale-set", "vmss-api"],
        ["update", "status", "--pool", "hp-finance"], ["history", "--pool", "hp-finance", "--host", "sh-finance-6"], ["stats"], ["schema"],
        ["report", "availability", "--lb", "lb-web", "--since", "2024-04-15T03:00:00Z", "--until", "2024-04-15T05:15:00Z", "--format", "table"],
        ["events", "--format", "table", "--limit", "5"],
    ]

    @Test("no line ends in spaces; headers say HOST POOL, SESSION HOST, LOAD BALANCER, SCALE SET", arguments: tables)
    func spelling(arguments: [String]) {
        let result = fleetledger(arguments + (arguments == ["schema"] ? [] : ["--db", db]), tableWidth: 100)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.contains { $0.last == " " })
        for joined in ["HOSTPOOL", "SESSIONHOST", "LOADBALANCER", "SCALESET", "NEEDSASSISTANCE"] {
            #expect(!result.stdout.contains(joined))
        }
    }

    /// The lines of the table in `output`, from its header to the blank line after it.
    static func table(_ output: String) -> [Substring] {
        let lines = output.replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false)
        return Array(lines.drop { !$0.contains("SESSION HOST") }.prefix { !$0.isEmpty })
    }

    @Test("route's WHY wraps to the width; without one (a pipe) each row is one line")
    func route() {
        let table = Self.table(fleetledger(["route", "--pool", "hp-finance", "--db", db], tableWidth: 88).stdout)
        #expect(table.count > 12 && table.allSatisfy { $0.count <= 88 }, "\(table)")
        #expect(table.contains { $0.hasPrefix("x   sh-finance-8") && $0.hasSuffix("drain mode is on") })
        #expect(table.contains { $0.drop { $0 == " " }.hasPrefix("(allowNewSession is false)") })
        let whole = fleetledger(["route", "--pool", "hp-finance", "--db", db]).stdout
        #expect(whole.contains("drain mode is on (allowNewSession is false)"))
    }

    @Test("the width: a terminal's own size, else $COLUMNS; a pipe takes $COLUMNS only when set")
    func width() throws {
        #expect(Console.terminalWidth(environment: ["COLUMNS": "72"]) == 72)
        #expect(Console.terminalWidth(environment: [:]) == nil)
        #expect(Console.terminalWidth(environment: ["COLUMNS": "wide"]) == nil)
        // A pseudo-terminal 88 columns wide (util-linux's `script`): route's table fits it, where
        // $COLUMNS says otherwise.
        let fitted = try FleetLedgerProcess.run([], shell: """
            COLUMNS=200 timeout 30 script -qec "stty cols 88; \\"$FLEETLEDGER\\" route --pool hp-finance --db '\(db)'" /dev/null
            """)
        let table = Self.table(fitted.stdout)
        #expect(table.contains { $0.hasPrefix("->  sh-finance-3") })
        #expect(table.count > 12 && table.allSatisfy { $0.count <= 88 }, "\(table)")
    }
}
