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

func fleetledger(_ arguments: [String], tableWidth: Int? = nil) -> CLIResult {
    let console = Console.capturing(tableWidth: tableWidth)
    let code = FleetLedgerCommand.run(arguments, console: console)
    return CLIResult(exitCode: code, stdout: console.standardOutput, stderr: console.standardError)
}

/// Four valid events with ids, as an NDJSON file's text: a probe, an address in a pool, and two
/// results of the probe against it.
let fourEvents = """
    {"type":"HealthProbeConfigured","at":"2024-04-15T17:16:07Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a21","data":{"loadBalancer":"lb-a","probe":"p","protocol":"Tcp","port":80}}
    {"type":"BackendAddressAdded","at":"2024-04-15T17:16:07Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a20","data":{"loadBalancer":"lb-a","backendPool":"pool","ipAddress":"10.0.0.4"}}
    {"type":"ProbeResultRecorded","at":"2024-04-15T17:16:07.250Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a22","data":{"loadBalancer":"lb-a","probe":"p","ipAddress":"10.0.0.4","outcome":"Success"}}
    {"type":"ProbeResultRecorded","at":"2024-04-15T17:16:12Z","id":"0b7c6f0e-2f55-4d3c-9a43-5f0f3c1f8a23","data":{"loadBalancer":"lb-a","probe":"p","ipAddress":"10.0.0.4","outcome":"TcpTimeout"}}

    """
