// fleetledger-workload: writes a realistic fleet's events as NDJSON, for benchmarks and trials.
import ArgumentParser
import FleetWorkload
import Foundation

struct WorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetledger-workload",
        abstract: "Write a realistic fleet's events as NDJSON (the same size and seed give the same bytes)."
    )

    @Option(help: "How many events to write.")
    var events = 100_000

    @Option(help: "The seed.")
    var seed: UInt64 = 1

    @Option(help: "The file to write (default: standard output).")
    var output: String?

    @Option(help: ArgumentHelp("Instead of events: the session host list Azure reports this many seconds into the import benchmark's day.", valueName: "seconds"))
    var azureSessionHostsAt: Int64?

    @Option(help: ArgumentHelp("Instead of events: the import benchmark's WVDAgentHealthStatus rows of this hour (0 to 23).", valueName: "hour"))
    var azureAgentRowsHour: Int64?

    @Option(help: "Session hosts in the import benchmark's host pool.")
    var hosts = 500

    @Option(help: ArgumentHelp("Instead of the fleet: 2,000 load balancer backends as the collector stores Azure's health of them (a BackendHealthObserved when it changed) over this many days, --events in all.", valueName: "days"))
    var observedBackendsDays: Int?

    func validate() throws {
        guard events >= 0 else { throw ValidationError("--events takes a whole number, not \(events).") }
        if let days = observedBackendsDays, days < 1 { throw ValidationError("--observed-backends-days takes a number of days from 1.") }
    }

    func run() throws {
        guard let file = output.map({ fopen($0, "w") }) ?? fdopen(STDOUT_FILENO, "w") else {
            throw ValidationError("cannot write \(output ?? "standard output").")
        }
        if let second = azureSessionHostsAt {
            fputs(AzureDay(hosts: hosts).sessionHostList(at: second), file)
        } else if let hour = azureAgentRowsHour {
            fputs(AzureDay(hosts: hosts).agentHealthRows(hour: hour), file)
        } else if let days = observedBackendsDays {
            ObservedBackends(events: events, days: days, seed: seed).generate { line in
                fputs(line, file)
                fputc(0x0A, file)
            }
        } else {
            FleetWorkload(events: events, seed: seed).generate { line, _ in
                fputs(line, file)
                fputc(0x0A, file)
            }
        }
        fclose(file)
    }
}

WorkloadCommand.main()
