/// How a transaction takes its locks.
public enum TransactionKind: String, Sendable {
    /// Takes the write lock at BEGIN, so a writer never fails half-way on a lock it could not upgrade.
    case immediate = "IMMEDIATE"
    /// Takes locks when first needed: right for read-only work.
    case deferred = "DEFERRED"
}

extension Database {
    /// Opens a transaction that stays open across calls until `commit()` or `rollBack()`: for
    /// work that commits in steps, such as an append every N lines. Everything else uses
    /// `transaction(_:_:)`, which is built on these three.
    public func begin(_ kind: TransactionKind = .immediate) throws {
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
    }

    /// Commits the open transaction; on failure it is rolled back and the error thrown.
    public func commit() throws {
        do {
            try execute("COMMIT")
        } catch {
            rollBack()
            throw error
        }
    }

    /// Abandons the open transaction, if any: nothing it wrote remains.
    public func rollBack() {
        guard !isAutocommit else { return }
        try? execute("ROLLBACK")
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Called inside another transaction, it becomes a savepoint, so the inner work rolls back
    /// alone on throw.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if !isAutocommit { return try savepoint(body) }
        try begin(kind)
        let result: T
        do {
            result = try body()
        } catch {
            rollBack()
            throw error
        }
        try commit()
        return result
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT fleet_nested")
        do {
            let result = try body()
            try execute("RELEASE fleet_nested")
            return result
        } catch {
            try? execute("ROLLBACK TO fleet_nested")
            try? execute("RELEASE fleet_nested")
            throw error
        }
    }
}
