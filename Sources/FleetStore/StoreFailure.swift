import FleetEvents
import FleetSQLite
import Foundation

/// Turns SQLite's failures into the sentence a user acts on: what happened to which store, and
/// what to do. (The command line has no SQLite layer of its own: it asks here.)
public enum StoreFailure {
    /// What went wrong with a store, and what to do about it.
    public struct Problem: Sendable, Equatable {
        public var what: String
        public var advice: String
    }

    /// The sentence for `error` when it is SQLite's; nil for other errors, which describe themselves.
    public static func sentence(for error: any Error, store: String) -> String? {
        problem(for: error, store: store).map { "\($0.what); nothing was changed. \($0.advice)." }
    }

    /// The problem `error` reports, when it is SQLite's failure to read or write the store (not a
    /// rule of the store's own, such as a constraint).
    public static func problem(for error: any Error, store: String) -> Problem? {
        guard let error = error as? SQLiteError else { return nil }
        let path = error.path ?? store
        switch error.code {
        case SQLiteError.Code.notADatabase:
            return Problem(what: "\(path) is not a FleetLedger store (it is not an SQLite database)",
                           advice: "Choose another --db, or move the file away")
        case SQLiteError.Code.corrupt:
            return Problem(what: "the store \(path) is damaged (SQLite: \(error.message))",
                           advice: "Restore it from a backup (fleetledger backup), and run fleetledger verify on a copy of this one")
        case SQLiteError.Code.cannotOpen:
            return cannotOpen(path)
        case SQLiteError.Code.readOnly where !FileManager.default.fileExists(atPath: path):
            return cannotOpen(path)
        case SQLiteError.Code.readOnly:
            return Problem(what: "the store \(path) cannot be written: the file or its folder is read-only",
                           advice: "Check their permissions; queries still work")
        case SQLiteError.Code.full:
            return Problem(what: "the disk holding \(path) is full, or a file-size limit was reached",
                           advice: "Free some space and run the command again")
        case SQLiteError.Code.ioError where error.extendedCode == SQLiteError.Code.ioErrorWrite || [ENOSPC, EFBIG, EDQUOT].contains(error.systemErrno):
            // SQLite reports a write cut short by a size limit (EFBIG) as a write error, not as full.
            return Problem(what: "writing \(path) failed: the disk is full, or a file-size limit was reached (or the disk failed)",
                           advice: "Free some space and run the command again")
        case SQLiteError.Code.busy, SQLiteError.Code.locked:
            return Problem(what: "the store \(path) stayed locked by another writer for longer than the busy timeout (5 s)",
                           advice: "Run the command again once the other writer has finished")
        case SQLiteError.Code.ioError:
            return Problem(what: "reading or writing \(path) failed (SQLite: \(error.message))",
                           advice: "Check the disk and the file")
        default:
            return nil
        }
    }

    /// Why a store cannot be opened: a missing folder, a folder that cannot be written, or else.
    private static func cannotOpen(_ path: String) -> Problem {
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return Problem(what: "cannot open the store \(path): the folder \(directory) does not exist",
                           advice: "Create it, or choose another --db")
        }
        if !FileManager.default.fileExists(atPath: path) {
            return Problem(what: "cannot create the store \(path): the folder \(directory) cannot be written",
                           advice: "Choose a writable folder with --db")
        }
        return Problem(what: "cannot open the store \(path)",
                       advice: "Check that it is a file you may read and write, in a folder you may write")
    }
}
