/// A failure of the store itself (its schema, its files, a failed check), worded for the user.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
