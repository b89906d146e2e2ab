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

    func validate() throws {
        guard events >= 0 else { throw ValidationError("--events takes a whole number, not \(events).") }
    }

    func run() throws {
        guard let file = output.map({ fopen($0, "w") }) ?? fdopen(STDOUT_FILENO, "w") else {
            throw ValidationError("cannot write \(output ?? "standard output").")
        }
        FleetWorkload(events: events, seed: seed).generate { line, _ in
            fputs(line, file)
            fputc(0x0A, file)
        }
        fclose(file)
    }
}

WorkloadCommand.main()
