import Foundation
import Synchronization

/// Where commands write their output: the process's stdout and stderr, or a buffer in tests.
///
/// Commands never call `print` directly, so a test can run one in-process and read what it said.
public final class Console: Sendable {
    /// What a capturing console has kept; nil for the process's own streams. The mutex also
    /// keeps two threads' writes from interleaving within a line.
    private let captured: Mutex<(out: [UInt8], err: [UInt8])?>
    /// Whether stderr is a terminal, so progress lines are worth drawing.
    let showsProgress: Bool
    /// Whether stdout is a terminal, where a page of HTML is no use.
    let writesToTerminal: Bool
    /// The width tables are fitted to: on a terminal its own size, then `$COLUMNS`, else 100;
    /// elsewhere `$COLUMNS` when set, else none (a file or a pipe gets each row whole).
    let tableWidth: Int?

    /// The process's own stdout and stderr.
    public static let standard = Console(capturing: false)

    /// The console the running command writes to.
    @TaskLocal public static var current: Console = .standard

    private init(capturing: Bool, tableWidth: Int? = nil) {
        captured = Mutex(capturing ? ([], []) : nil)
        showsProgress = !capturing && isatty(STDERR_FILENO) == 1
        writesToTerminal = !capturing && isatty(STDOUT_FILENO) == 1
        self.tableWidth = capturing ? tableWidth : Self.terminalWidth(environment: ProcessInfo.processInfo.environment)
    }

    /// A console that keeps everything written to it, for tests, fitting tables to `tableWidth`.
    public static func capturing(tableWidth: Int? = nil) -> Console { Console(capturing: true, tableWidth: tableWidth) }

    /// The width of stdout's terminal, as `tableWidth` describes it.
    static func terminalWidth(environment: [String: String]) -> Int? {
        let columns = environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        guard isatty(STDOUT_FILENO) == 1 else { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return columns ?? 100
    }

    public var standardOutput: String { captured.withLock { String(decoding: $0?.out ?? [], as: UTF8.self) } }
    public var standardError: String { captured.withLock { String(decoding: $0?.err ?? [], as: UTF8.self) } }

    /// Writes `text` to stdout as is.
    public func write(_ text: String) {
        write(Array(text.utf8), toError: false)
    }

    /// Writes `text` and a line break to stdout.
    public func line(_ text: String = "") {
        write(text + "\n")
    }

    /// Writes `text` and a line break to stderr.
    public func error(_ text: String) {
        write(Array((text + "\n").utf8), toError: true)
    }

    /// Redraws a one-line progress note on stderr, only when stderr is a terminal.
    func progress(_ text: String) {
        guard showsProgress else { return }
        write(Array("\r\u{1B}[K\(text)".utf8), toError: true)
    }

    func endProgress() {
        guard showsProgress else { return }
        write(Array("\r\u{1B}[K".utf8), toError: true)
    }

    private func write(_ bytes: [UInt8], toError: Bool) {
        captured.withLock { captured in
            guard captured == nil else {
                if toError { captured!.err += bytes } else { captured!.out += bytes }
                return
            }
            // A closed pipe (`| head`) ends the process with SIGPIPE, as it ends any filter; where a
            // parent ignores SIGPIPE the write fails instead, and what was not read is dropped.
            try? (toError ? FileHandle.standardError : FileHandle.standardOutput).write(contentsOf: bytes)
        }
    }
}
