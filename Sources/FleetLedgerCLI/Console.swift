import Foundation

/// Where commands write their output: the process's stdout and stderr, or a buffer in tests.
///
/// Commands never call `print` directly, so a test can run one in-process and read what it said.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var captured: (out: [UInt8], err: [UInt8])?
    /// Whether stderr is a terminal, so progress lines are worth drawing.
    let showsProgress: Bool

    /// The process's own stdout and stderr.
    public static let standard = Console(capturing: false)

    /// The console the running command writes to.
    @TaskLocal public static var current: Console = .standard

    private init(capturing: Bool) {
        captured = capturing ? ([], []) : nil
        showsProgress = !capturing && isatty(STDERR_FILENO) == 1
    }

    /// A console that keeps everything written to it, for tests.
    public static func capturing() -> Console { Console(capturing: true) }

    public var standardOutput: String { lock.withLock { String(decoding: captured?.out ?? [], as: UTF8.self) } }
    public var standardError: String { lock.withLock { String(decoding: captured?.err ?? [], as: UTF8.self) } }

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
        lock.withLock {
            if captured != nil {
                if toError { captured!.err += bytes } else { captured!.out += bytes }
                return
            }
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Foundation.write(toError ? STDERR_FILENO : STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                    if written <= 0 { if errno == EINTR { continue }; return }
                    offset += written
                }
            }
        }
    }
}
