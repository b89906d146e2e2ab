import FleetLedgerCLI
import Foundation

exit(FleetLedgerCommand.run(Array(CommandLine.arguments.dropFirst())))
