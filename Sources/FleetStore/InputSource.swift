import FleetEvents
import Foundation

/// Where NDJSON input comes from: a file, standard input, or bytes already in memory.
public enum InputSource: Sendable {
    case file(path: String)
    case standardInput
    case bytes(name: String, [UInt8])

    /// How the source is named in messages ("events.ndjson", "stdin").
    public var name: String {
        switch self {
        case .file(let path): path
        case .standardInput: "stdin"
        case .bytes(let name, _): name
        }
    }

    /// `-` is standard input, anything else a file path.
    public init(argument: String) {
        self = argument == "-" ? .standardInput : .file(path: argument)
    }
}

/// A line longer than `LineReader.maxLineBytes`: reading stops there, memory stays bounded.
struct LineTooLong: Error {
    var line: Int
}

/// Reads lines from a source in fixed-size chunks, so memory stays bounded however large the input.
enum LineReader {
    /// The longest line read, in bytes: an event is a few hundred; a probe's body may be kilobytes.
    static let maxLineBytes = 1 << 20
    static let chunkSize = maxLineBytes

    /// Calls `body` with each non-blank line (without its line break), its 1-based number, and
    /// whether a line break ended it (false only for a last line the input stops in the middle of
    /// or without a final line break). Throws `LineTooLong` at a line over `maxLineBytes`.
    static func forEachLine(
        in source: InputSource,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Bool) throws -> Void
    ) throws {
        switch source {
        case .bytes(_, let bytes):
            try bytes.withUnsafeBufferPointer { buffer in
                var lineNumber = 0
                _ = try splitLines(buffer, isEnd: true, lineNumber: &lineNumber, body)
            }
        case .standardInput:
            try readLines(fileDescriptor: STDIN_FILENO, body)
        case .file(let path):
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw StoreError("cannot read \(path): \(String(cString: strerror(errno))).")
            }
            defer { close(descriptor) }
            try readLines(fileDescriptor: descriptor, body)
        }
    }

    private static func readLines(fileDescriptor: Int32, _ body: (UnsafeBufferPointer<UInt8>, Int, Bool) throws -> Void) throws {
        // One line more than the longest allowed fits, with its line break.
        var buffer = [UInt8](repeating: 0, count: chunkSize + 2)
        var filled = 0
        var lineNumber = 0
        while true {
            // A full buffer holding no line break: the line is longer than any allowed.
            if filled == buffer.count { throw LineTooLong(line: lineNumber + 1) }
            let count = buffer.withUnsafeMutableBytes { raw in
                read(fileDescriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError("cannot read input: \(String(cString: strerror(errno))).")
            }
            filled += count
            let atEnd = count == 0
            let consumed = try buffer.withUnsafeBufferPointer { all in
                try splitLines(UnsafeBufferPointer(rebasing: all[0..<filled]), isEnd: atEnd, lineNumber: &lineNumber, body)
            }
            if atEnd { return }
            // Keep the unfinished last line at the front of the buffer for the next read.
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, filled - consumed)
                }
                filled -= consumed
            }
        }
    }

    /// Hands every complete line of `bytes` to `body`; returns how many bytes were consumed.
    private static func splitLines(
        _ bytes: UnsafeBufferPointer<UInt8>, isEnd: Bool, lineNumber: inout Int,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Bool) throws -> Void
    ) throws -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count {
            // memchr, not `firstIndex(of:)`: it looks at a vector of bytes at a time, where the
            // generic search looked at each (Tools/Benchmark/HISTORY.md, item 32).
            guard let found = memchr(base + start, 0x0A, bytes.count - start) else {
                guard isEnd else { return start }
                lineNumber += 1
                try emit(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), lineNumber, complete: false, body)
                return bytes.count
            }
            let newline = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            lineNumber += 1
            try emit(UnsafeBufferPointer(rebasing: bytes[start..<newline]), lineNumber, complete: true, body)
            start = newline + 1
        }
        return start
    }

    private static func emit(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, complete: Bool,
                             _ body: (UnsafeBufferPointer<UInt8>, Int, Bool) throws -> Void) throws {
        var start = 0, end = line.count
        if end > 0, line[end - 1] == 0x0D { end -= 1 }  // tolerate CRLF line ends
        // A UTF-8 byte order mark before the first line, as Windows PowerShell 5.1 writes one.
        if number == 1, end >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF { start = 3 }
        if end > maxLineBytes { throw LineTooLong(line: number) }
        let trimmed = UnsafeBufferPointer(rebasing: line[start..<end])
        if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        try body(trimmed, number, complete)
    }
}
