import FleetWorkload
import Foundation

/// The workload, written to a file once so that every store of every run reads the same bytes the
/// same way, with what the floors need worked out before any clock starts: each line's stream id
/// and its producer id.
struct WorkloadFile {
    var path: String
    var bytes: Int
    var streams: Int
    /// The stream id of each line.
    var streamOfLine: [UInt32]
    /// The 16-byte producer id of each line (all zero when a line has none).
    var idOfLine: [(UInt64, UInt64)]

    static func generate(events: Int, seed: UInt64, path: String) throws -> WorkloadFile {
        guard let file = fopen(path, "w") else { throw BenchError("cannot write \(path)") }
        nonisolated(unsafe) var streamIDs: [String: UInt32] = [:]
        nonisolated(unsafe) var streamOfLine: [UInt32] = []
        nonisolated(unsafe) var idOfLine: [(UInt64, UInt64)] = []
        streamOfLine.reserveCapacity(events)
        idOfLine.reserveCapacity(events)
        FleetWorkload(events: events, seed: seed).generate { line, stream in
            fputs(line, file)
            fputc(0x0A, file)
            let id = streamIDs[stream] ?? { let next = UInt32(streamIDs.count); streamIDs[stream] = next; return next }()
            streamOfLine.append(id)
            idOfLine.append(producerID(in: line))
        }
        fclose(file)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return WorkloadFile(path: path, bytes: bytes, streams: streamIDs.count, streamOfLine: streamOfLine, idOfLine: idOfLine)
    }

    /// The UUID after `"id":"` in a line, as two 64-bit halves.
    private static func producerID(in line: String) -> (UInt64, UInt64) {
        guard let start = line.range(of: #""id":""#)?.upperBound else { return (0, 0) }
        var high: UInt64 = 0, low: UInt64 = 0, digits = 0
        for character in line[start...] {
            if character == "\"" { break }
            guard let value = character.hexDigitValue else { continue }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        return (high, low)
    }
}
