import FleetDomains
import FleetEvents

/// Rows of Log Analytics' `WVDAgentHealthStatus` table, in the two forms users get them: the
/// query API's `{"tables": [{"columns": [...], "rows": [[...]]}]}`, and `az monitor
/// log-analytics query`'s array of row objects keyed by column name (every value a string).
///
/// Only the columns the store uses are read; a row lacking one of them is refused, naming it.
struct AgentHealthRow: Sendable {
    var timeGenerated: Timestamp
    var sessionHostName: String
    /// The host pool's resource id, lower-cased by Log Analytics.
    var resourceId: String
    var lastHeartBeat: Timestamp?
    /// `SessionHostHealthCheckResult`: the checks the agent last ran.
    var checks: [AgentHealthCheck]
}

/// One element of a row's `SessionHostHealthCheckResult`, its indexes turned into the names the
/// REST API and the store use.
struct AgentHealthCheck: Sendable, Equatable {
    var name: HealthCheckName
    var result: HealthCheckResult
    var errorCode: Int64?
    var message: String?
    /// `AdditionalFailureDetails.LastHealthCheckDateTime`: when the check ran.
    var ranAt: Timestamp?
}

enum AgentHealthRows {
    /// `HealthCheckName` indexes, from Azure Monitor's published queries for the table: the order
    /// of the REST enum `HealthCheckName` in the Desktop Virtualization specification.
    static let checkNames: [HealthCheckName] = [
        .domainJoinedCheck, .domainTrustCheck, .fsLogixHealthCheck, .sxsStackListenerCheck, .urlsAccessibleCheck,
        .monitoringAgentCheck, .domainReachable, .webRTCRedirectorCheck, .supportedEncryptionCheck, .metaDataServiceCheck,
        .appAttachHealthCheck,
    ]
    /// `HealthCheckResult` indexes.
    static let results: [HealthCheckResult] = [.unknown, .healthCheckSucceeded, .healthCheckFailed, .sessionHostShutdown]

    /// Whether `value` is one of the table's two forms; nil when it is neither.
    static func rows(in value: JSONValue) throws(ImportError) -> [AgentHealthRow]? {
        if case .object(let members) = value, case .array(let tables)? = members["tables"] {
            var rows: [AgentHealthRow] = []
            for (number, table) in tables.enumerated() {
                guard case .object(let table) = table, case .array(let columns)? = table["columns"], case .array(let values)? = table["rows"] else {
                    throw ImportError("tables[\(number)] has no columns and rows, as the Log Analytics query API gives them")
                }
                let names = columns.map { column -> String in
                    if case .object(let column) = column, case .string(let name)? = column["name"] { return name }
                    return ""
                }
                guard names.contains("SessionHostName") else {
                    throw ImportError("tables[\(number)] has no SessionHostName column: import reads WVDAgentHealthStatus rows "
                        + "(TimeGenerated, SessionHostName, _ResourceId, LastHeartBeat, SessionHostHealthCheckResult)")
                }
                for (index, row) in values.enumerated() {
                    guard case .array(let cells) = row, cells.count == names.count else {
                        throw ImportError("tables[\(number)].rows[\(index)] does not have one value per column (\(names.count))")
                    }
                    rows.append(try parse(Dictionary(zip(names, cells), uniquingKeysWith: { first, _ in first }), at: "tables[\(number)].rows[\(index)]"))
                }
            }
            return rows
        }
        // `az` prints [] when the query found no rows.
        if case .array(let elements) = value,
           elements.allSatisfy({ if case .object(let row) = $0 { row["SessionHostName"] != nil } else { false } }) {
            return try elements.enumerated().map { index, element throws(ImportError) in
                guard case .object(let members) = element else { throw ImportError("[\(index)] is not a row") }
                return try parse(Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }), at: "[\(index)]")
            }
        }
        return nil
    }

    private static func parse(_ row: [String: JSONValue], at place: String) throws(ImportError) -> AgentHealthRow {
        func text(_ column: String) throws(ImportError) -> String {
            guard case .string(let text)? = row[column], !text.isEmpty else { throw ImportError("\(place) has no \(column)") }
            return text
        }
        func time(_ column: String, required: Bool) throws(ImportError) -> Timestamp? {
            guard case .string(let text)? = row[column], !text.isEmpty else {
                if required { throw ImportError("\(place) has no \(column)") }
                return nil
            }
            switch Timestamp.parse(text) {
            case .success(let time): return time
            case .failure(let error): throw ImportError("\(place).\(column) is \"\(text)\", which is not a time: \(error.reason)")
            }
        }
        let checks: [AgentHealthCheck]
        switch row["SessionHostHealthCheckResult"] {
        case nil, .null?, .string("")?, .string("null")?, .string("[]")?:
            // A row from before the agent reported checks, or from a host that reports none.
            checks = []
        case .string(let text)?:
            // Exports carry the array as a string of JSON.
            do {
                checks = try parseChecks(try JSONParser.parse(text), at: place)
            } catch let error as ImportError {
                throw error
            } catch {
                throw ImportError("\(place).SessionHostHealthCheckResult is not JSON: \(error)")
            }
        case let value?: checks = try parseChecks(value, at: place)
        }
        return AgentHealthRow(timeGenerated: try time("TimeGenerated", required: true)!, sessionHostName: try text("SessionHostName"),
                              resourceId: try text("_ResourceId"), lastHeartBeat: try time("LastHeartBeat", required: false), checks: checks)
    }

    private static func parseChecks(_ value: JSONValue, at place: String) throws(ImportError) -> [AgentHealthCheck] {
        guard case .array(let elements) = value else { throw ImportError("\(place).SessionHostHealthCheckResult is not an array") }
        return try elements.enumerated().map { index, element throws(ImportError) in
            let where_ = "\(place).SessionHostHealthCheckResult[\(index)]"
            guard case .object(let check) = element else { throw ImportError("\(where_) is not an object") }
            let name = try Self.index(check["HealthCheckName"], in: checkNames, at: "\(where_).HealthCheckName")
            let result = try Self.index(check["HealthCheckResult"], in: results, at: "\(where_).HealthCheckResult")
            var parsed = AgentHealthCheck(name: name, result: result)
            if case .object(let details)? = check["AdditionalFailureDetails"] {
                parsed.errorCode = integer(details["ErrorCode"]).flatMap { $0 == 0 ? nil : $0 }
                if case .string(let message)? = details["Message"], !message.isEmpty { parsed.message = message }
                if case .string(let text)? = details["LastHealthCheckDateTime"], !text.isEmpty, !text.hasPrefix("0001-01-01") {
                    // .NET writes 0001-01-01 for a check that has not run: no time, as if absent.
                    switch Timestamp.parse(text) {
                    case .success(let time): parsed.ranAt = time
                    case .failure(let error):
                        throw ImportError("\(where_).AdditionalFailureDetails.LastHealthCheckDateTime is \"\(text)\", which is not a time: \(error.reason)")
                    }
                }
            }
            return parsed
        }
    }

    private static func index<Value>(_ value: JSONValue?, in table: [Value], at place: String) throws(ImportError) -> Value {
        guard let index = integer(value), table.indices.contains(Int(index)) else {
            throw ImportError("\(place) is \(value.map(describe) ?? "missing"), not an index from 0 to \(table.count - 1)")
        }
        return table[Int(index)]
    }

    private static func integer(_ value: JSONValue?) -> Int64? {
        switch value {
        case .int(let number)?: number
        case .double(let number)? where number.rounded() == number && abs(number) < 1e15: Int64(number)
        case .string(let text)?: Int64(text)
        default: nil
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.write(value)
        return writer.text
    }
}
