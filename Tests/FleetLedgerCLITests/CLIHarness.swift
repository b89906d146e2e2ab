import FleetLedgerCLI
import FleetTestSupport

/// What one in-process run of `fleetledger` did.
struct CLIResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}

/// Runs `fleetledger` with `arguments` in-process, capturing its output.
func fleetledger(_ arguments: String...) -> CLIResult {
    fleetledger(arguments)
}

func fleetledger(_ arguments: [String]) -> CLIResult {
    let console = Console.capturing()
    let code = FleetLedgerCommand.run(arguments, console: console)
    return CLIResult(exitCode: code, stdout: console.standardOutput, stderr: console.standardError)
}

/// Three valid events with ids, as an NDJSON file's text.
let threeEvents = """
    {"type":"HealthProbeConfigured","at":"2024-04-15T17:16:07Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a21","data":{"loadBalancer":"lb-a","probe":"p","protocol":"Tcp","port":80}}
    {"type":"ProbeResultRecorded","at":"2024-04-15T17:16:07.250Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a22","data":{"loadBalancer":"lb-a","probe":"p","ipAddress":"10.0.0.4","outcome":"Success"}}
    {"type":"ProbeResultRecorded","at":"2024-04-15T17:16:12Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a23","data":{"loadBalancer":"lb-a","probe":"p","ipAddress":"10.0.0.4","outcome":"TcpTimeout"}}

    """
