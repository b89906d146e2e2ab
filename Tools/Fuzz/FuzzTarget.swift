import FleetLedger
import FleetFuzzing
import FleetStore
import Foundation

// The fuzz target for the decoders that read outside bytes: NDJSON lines and stored rows.
//
// Built by Tools/fuzz.sh with -sanitize=fuzzer,address and -DFUZZING, it is a libFuzzer binary:
// libFuzzer's main calls LLVMFuzzerTestOneInput with generated inputs. Built plainly (as
// `swift build` does), it replays files or folders given as arguments, so a crash input can be
// reproduced and checked without the fuzzer. The first byte of an input picks the decoder.

func runOne(_ bytes: UnsafeRawBufferPointer) {
    DecoderFuzzing.run(bytes, schema: Fleet.schema)
}

#if FUZZING
/// libFuzzer's driver, for a program that has its own entry point (SwiftPM gives executables one).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct Fuzzer {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in
            runOne(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        })
    }
}
#else
@main
struct CorpusReplay {
    static func main() throws {
        if CommandLine.arguments.dropFirst().first == "--write-seeds", let folder = CommandLine.arguments.dropFirst(2).first {
            for seed in DecoderFuzzing.seeds(schema: Fleet.schema) {
                try Data(seed.bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(seed.name))
            }
            return
        }
        var files: [URL] = []
        for argument in CommandLine.arguments.dropFirst() {
            let url = URL(fileURLWithPath: argument)
            if let entries = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) {
                for case let entry as URL in entries where !entry.hasDirectoryPath { files.append(entry) }
            } else {
                files.append(url)
            }
        }
        for file in files.sorted(by: { $0.path < $1.path }) {
            let bytes = try Data(contentsOf: file)
            bytes.withUnsafeBytes { runOne($0) }
        }
        print("replayed \(files.count) inputs without a crash")
    }
}
#endif
