import FleetLedgerCLI
import Foundation

// A file-size limit (ulimit -f) must fail a write, which SQLite reports as a full disk, rather
// than kill the process mid-transaction.
signal(SIGXFSZ, SIG_IGN)
exit(FleetLedgerCommand.run(Array(CommandLine.arguments.dropFirst())))
