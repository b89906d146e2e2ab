/// How a transaction takes its locks.
public enum TransactionKind: String, Sendable {
    /// Takes the write lock at BEGIN, so a writer never fails half-way on a lock it could not upgrade.
    case immediate = "IMMEDIATE"
    /// Takes locks when first needed: right for read-only work.
    case deferred = "DEFERRED"
}

extension Database {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Called inside another transaction, it becomes a savepoint, so the inner work rolls back
    /// alone on throw.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if !isAutocommit { return try savepoint(body) }
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
        let result: T
        do {
            result = try body()
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
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
