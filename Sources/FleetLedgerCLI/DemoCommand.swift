import ArgumentParser
import FleetEvents
import FleetLedger
import FleetStore
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a built-in fleet scenario into the store, then print its state.",
        discussion: """
            The scenario goes through the same append path as real input. Its events carry fixed \
            ids, so running the demo again appends nothing twice.
            """
    )

    @OptionGroup var store: WriterOptions

    func run() throws {
        let console = Console.current
        let store = try store.openOrCreateStore()
        let summary = try store.append(from: [.bytes(name: "demo scenario", DemoScenario.ndjson)], options: self.store.appendOptions())
        let where_ = try self.store.store.location()
        let location = where_.description
        console.line("demo: \(summary.sentence) into \(location)")
        console.line()
        console.line("Session hosts (fleetledger hosts):")
        console.write(try store.hostsReport(pool: nil, status: nil, asOf: nil, format: .table))
        for pool in DemoScenario.hostPools {
            console.line()
            console.line("Next user session in \(pool) (fleetledger route --pool \(pool)):")
            console.write(try store.routeReport(pool: pool, asOf: nil, format: .table).report)
        }
        for pool in DemoScenario.hostPools {
            console.line()
            console.line("Session host update of \(pool) (fleetledger update status --pool \(pool)):")
            console.write(try store.updateStatusReport(pool: pool, asOf: nil, format: .table))
        }
        for (loadBalancer, rule) in DemoScenario.loadBalancingRules {
            console.line()
            console.line("Backend health of rule \(rule) (fleetledger lb health --lb \(loadBalancer) --rule \(rule)):")
            console.write(try store.loadBalancerHealthReport(loadBalancer: loadBalancer, rule: rule, asOf: nil, format: .table))
        }
        for scaleSet in DemoScenario.scaleSets {
            console.line()
            console.line("Instance health of scale set \(scaleSet) (fleetledger vmss health --scale-set \(scaleSet)):")
            console.write(try store.scaleSetHealthReport(scaleSet: scaleSet, asOf: nil, format: .table))
        }
        console.line()
        console.line("The log holds \(try store.eventCount()) events. Explore further:")
        let db = self.store.resolvedPath == StoreOptions.storePath(db: nil, environment: [:]) ? "" : " --db \(where_.forCommands)"
        let window = "--since \(DemoScenario.window.since.rfc3339) --until \(DemoScenario.window.until.rfc3339)"
        for command in [
            "history --pool hp-finance --host sh-finance-2 --changes    # the update's failure and retry, drains",
            "history --pool hp-finance --host sh-finance-3              # a trust failure and its recovery",
            "history --lb lb-web --ip 10.0.2.4 --changes                # flaps, an admin override",
            "history --scale-set vmss-api --instance 2                  # Initializing, grace period, Healthy",
            "history --pool hp-finance --update --changes               # the update's status and progress",
            "report availability --pool hp-finance \(window) --format table",
            "report availability --lb lb-web --rule rule-api \(window) --format table",
            "report timeline \(window) --output night.html   # the night as a picture",
            "hosts --as-of 2024-04-15T03:10:00Z --stale-after 5m",
            "events --format table",
            "stats",
            "verify",
            "serve                                    # the store over HTTP: JSON API, /metrics, event stream",
        ] {
            console.line("  fleetledger \(insert(db, into: command))")
        }
    }

    /// `command` with the store's option before its trailing comment, if any.
    private func insert(_ db: String, into command: String) -> String {
        guard !db.isEmpty else { return command }
        guard let comment = command.range(of: "  #") else { return command + db }
        let head = command[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
        return head + db + "  " + command[comment.lowerBound...].trimmingCharacters(in: .whitespaces)
    }
}
