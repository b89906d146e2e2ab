import FleetEvents


package enum UpdateAction: String, ContractEnum {
    case start = "Start"
    case pause = "Pause"
    case resume = "Resume"
    case cancel = "Cancel"
    case retry = "Retry"
}

/// The steps of one host's update, in the order they happen (`failed` may come at any point).
package enum UpdateStep: String, ContractEnum {
    case usersNotified = "UsersNotified"
    case usersSignedOut = "UsersSignedOut"
    case drained = "Drained"
    case removed = "Removed"
    case vmCreated = "VmCreated"
    case joined = "Joined"
    case drainDisabled = "DrainDisabled"
    case originalDeallocated = "OriginalDeallocated"
    case originalDeleted = "OriginalDeleted"
    case succeeded = "Succeeded"
    case failed = "Failed"
}

