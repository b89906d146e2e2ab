import FleetEvents

// The session host update events of the ingest contract (docs/events.md), each declared once (fields append only: stored
// rows name a field by its position). All three belong to the pool's stream, so an update's
// steps are ordered with its controls.

package struct SessionHostUpdateScheduled: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "SessionHostUpdateScheduled", code: 20,
        summary: "A session host update (a new image for the pool's hosts) was scheduled, with its batch size, sign-out notice and start time.",
        fields: ["hostPool", "maxVmsRemoved", "deleteOriginalVm", "logOffDelayMinutes", "logOffMessage", "scheduledDateTime", "scheduledDateTimeZone", "actor", "reason"],
        stream: .hostPool,
        sample: #"{"hostPool":"hp1","maxVmsRemoved":3,"deleteOriginalVm":false,"logOffDelayMinutes":10,"logOffMessage":"Save your work","scheduledDateTime":"2024-04-16T01:00:00Z","scheduledDateTimeZone":"UTC"}"#, decode: Self.init)

    package var hostPool: String
    /// The batch size: how many hosts are taken out of service at once (after the initial host).
    package var maxVmsRemoved: Int64
    /// False keeps the original VM, deallocated.
    package var deleteOriginalVm: Bool
    package var logOffDelayMinutes: Int64
    package var logOffMessage: String
    package var scheduledDateTime: Timestamp?
    package var scheduledDateTimeZone: String?
    package var attribution: Attribution

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        maxVmsRemoved = try reader.int("maxVmsRemoved", in: 1...Int64.max)
        deleteOriginalVm = try reader.bool("deleteOriginalVm")
        logOffDelayMinutes = try reader.int("logOffDelayMinutes", in: 0...Int64.max)
        logOffMessage = try reader.string("logOffMessage", maxLength: 260)
        scheduledDateTime = try reader.optionalTimestamp("scheduledDateTime")
        scheduledDateTimeZone = try reader.optionalString("scheduledDateTimeZone")
        attribution = try Attribution(reader)
    }
}

package struct SessionHostUpdateControlled: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "SessionHostUpdateControlled", code: 21,
        summary: "An operator started, paused, resumed, cancelled or retried the pool's session host update.",
        fields: ["hostPool", "action", "cancelMessage", "actor", "reason"],
        stream: .hostPool,
        sample: #"{"hostPool":"hp1","action":"Cancel","cancelMessage":"not today","actor":"alice","reason":"change freeze"}"#, decode: Self.init)

    package var hostPool: String
    package var action: UpdateAction
    package var cancelMessage: String?
    package var attribution: Attribution

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        action = try reader.enumValue("action")
        cancelMessage = try reader.optionalString("cancelMessage", maxLength: 260)
        attribution = try Attribution(reader)
        if action != .cancel { try reader.forbid("cancelMessage", because: "unless action is Cancel") }
    }
}

package struct SessionHostUpdateStepRecorded: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "SessionHostUpdateStepRecorded", code: 22,
        summary: "One host of the pool's update reached a step (users notified, drained, new VM created, ...), or failed.",
        fields: ["hostPool", "sessionHost", "step", "vmName", "errorCode", "message"],
        stream: .hostPool,
        sample: #"{"hostPool":"hp1","sessionHost":"sh-0","step":"VmCreated","vmName":"sh-0-2024-04-15T17-16-07"}"#, decode: Self.init)

    package var host: SessionHostID
    package var step: UpdateStep
    /// The new VM's name, given with `VmCreated`.
    package var vmName: String?
    /// Azure's failure code (for example `AgentRegistrationFailureGeneric`), given with `Failed`.
    package var errorCode: String?
    package var message: String?

    package init(_ reader: borrowing FieldReader) throws(InputError) {
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

/// Who made an operator's change and why (`actor`, `reason`): optional, kept for audits and shown
/// by `history`.
package struct Attribution: Equatable, Sendable {
    package var actor: String?
    package var reason: String?

    package init(actor: String? = nil, reason: String? = nil) {
        self.actor = actor
        self.reason = reason
    }

    init(_ reader: borrowing FieldReader) throws(InputError) {
        actor = try reader.optionalString("actor", maxLength: 256)
        reason = try reader.optionalString("reason", maxLength: 1024)
    }

    /// The fields as an event's data holds them (none when neither is known).
    package var members: [JSONMember] {
        [actor.map { JSONMember(key: "actor", value: .string($0)) }, reason.map { JSONMember(key: "reason", value: .string($0)) }]
            .compactMap { $0 }
    }

    /// "by alice: patching", "by alice", "patching", or nil.
    package var words: String? {
        switch (actor, reason) {
        case let (actor?, reason?): "by \(actor): \(reason)"
        case let (actor?, nil): "by \(actor)"
        case let (nil, reason?): reason
        case (nil, nil): nil
        }
    }
}

extension UpdateStatus: ContractEnum {}

/// What Azure reported about a pool's session host update (imported from its update status,
/// `sessionHostManagements/default/sessionHostUpdateStatuses/default`).
package struct SessionHostUpdateStatusObserved: EventData, Equatable {
    package static let declaration = EventDeclaration(
        "SessionHostUpdateStatusObserved", code: 23,
        summary: "Observed from Azure: a pool's session host update status as Azure reported it (`status`, `percentComplete`, times, error). It is the pool's update until the store records an update event of its own after it.",
        fields: ["hostPool", "status", "name", "startTime", "endTime", "percentComplete", "errorCode", "errorMessage", "resourceId"],
        stream: .hostPool,
        sample: #"{"hostPool":"hp1","status":"Failed","name":"30972f1b-b61d-4fd8-bd34-3dcfa24670f3","startTime":"2020-10-26T13:45:39Z","endTime":"2020-10-26T13:45:42Z","percentComplete":1.0,"errorCode":"BadArgument","errorMessage":"The provided database 'foo' has an invalid username."}"#,
        decode: Self.init)

    package var hostPool: String
    package var status: UpdateStatus
    /// Azure's name of the update operation.
    package var name: String?
    package var startTime: Timestamp?
    package var endTime: Timestamp?
    package var percentComplete: Double?
    package var errorCode: String?
    package var errorMessage: String?
    /// Azure's id of the update status resource.
    package var resourceId: String?

    package init(_ reader: borrowing FieldReader) throws(InputError) {
        hostPool = try reader.name("hostPool")
        status = try reader.enumValue("status")
        resourceId = try reader.optionalString("resourceId")
        name = try reader.optionalString("name")
        startTime = try reader.optionalTimestamp("startTime")
        endTime = try reader.optionalTimestamp("endTime")
        percentComplete = try reader.optionalDouble("percentComplete", atLeast: 0)
        errorCode = try reader.optionalString("errorCode")
        errorMessage = try reader.optionalString("errorMessage")
    }
}
