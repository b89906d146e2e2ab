// fleetledger-workload: writes a realistic fleet's events as NDJSON, for benchmarks and trials.
// Usage: fleetledger-workload [--events N] [--seed S] [--output FILE]   (default: 100000 events, seed 1, stdout)
import FleetWorkload
import Foundation

var events = 100_000
var seed: UInt64 = 1
var output: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--events": events = arguments.popFirst().flatMap(Int.init) ?? -1
    case "--seed": seed = arguments.popFirst().flatMap(UInt64.init) ?? 0
    case "--output": output = arguments.popFirst()
    case "-h", "--help":
        print("usage: fleetledger-workload [--events N] [--seed S] [--output FILE]")
        exit(0)
    default:
        FileHandle.standardError.write(Data("fleetledger-workload: unknown argument \(argument)\n".utf8))
        exit(64)
    }
}
guard events >= 0 else {
    FileHandle.standardError.write(Data("fleetledger-workload: --events takes a whole number\n".utf8))
    exit(64)
}
guard let file = output.map({ fopen($0, "w") }) ?? fdopen(STDOUT_FILENO, "w") else {
    FileHandle.standardError.write(Data("fleetledger-workload: cannot write \(output ?? "")\n".utf8))
    exit(1)
}
FleetWorkload(events: events, seed: seed).generate { line, _ in
    fputs(line, file)
    fputc(0x0A, file)
}
fclose(file)
