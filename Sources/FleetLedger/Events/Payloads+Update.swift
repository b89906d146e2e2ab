struct SessionHostUpdateScheduled: Equatable, Sendable {
    var hostPool: String
    /// The batch size: how many hosts are taken out of service at once (after the initial host).
    var maxVmsRemoved: Int64
    /// False keeps the original VM, deallocated.
    var deleteOriginalVm: Bool
    var logOffDelayMinutes: Int64
    var logOffMessage: String
    var scheduledDateTime: Timestamp?
    var scheduledDateTimeZone: String?

    init(_ reader: FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        maxVmsRemoved = try reader.int("maxVmsRemoved", in: 1...Int64.max)
        deleteOriginalVm = try reader.bool("deleteOriginalVm")
        logOffDelayMinutes = try reader.int("logOffDelayMinutes", in: 0...Int64.max)
        logOffMessage = try reader.string("logOffMessage", maxLength: 260)
        scheduledDateTime = try reader.optionalTimestamp("scheduledDateTime")
        scheduledDateTimeZone = try reader.optionalString("scheduledDateTimeZone")
    }
}

struct SessionHostUpdateControlled: Equatable, Sendable {
    var hostPool: String
    var action: UpdateAction
    var cancelMessage: String?

    init(_ reader: FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        action = try reader.enumValue("action")
        cancelMessage = try reader.optionalString("cancelMessage")
        if action != .cancel { try reader.forbid("cancelMessage", because: "unless action is Cancel") }
    }
}

struct SessionHostUpdateStepRecorded: Equatable, Sendable {
    var host: SessionHostID
    var step: UpdateStep
    /// The new VM's name, given with `VmCreated`.
    var vmName: String?
    /// Azure's failure code (for example `AgentRegistrationFailureGeneric`), given with `Failed`.
    var errorCode: String?
    var message: String?

    init(_ reader: FieldReader) throws(InputError) {
        host = try SessionHostID(reader)
        step = try reader.enumValue("step")
        vmName = try reader.optionalString("vmName")
        errorCode = try reader.optionalString("errorCode")
        message = try reader.optionalString("message")
        if step != .vmCreated { try reader.forbid("vmName", because: "unless step is VmCreated") }
        if step != .failed {
            try reader.forbid("errorCode", because: "unless step is Failed")
            try reader.forbid("message", because: "unless step is Failed")
        }
    }
}
