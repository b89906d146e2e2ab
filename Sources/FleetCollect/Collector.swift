import FleetEvents
import FleetImport
import FleetLedger
import FleetStore
import Foundation

/// The api-versions the collector asks for, in one place (named in the README).
package enum APIVersions {
    /// Desktop Virtualization: session hosts.
    package static let sessionHosts = "2024-04-03"
    /// Desktop Virtualization: a pool's session host update status (a preview API).
    package static let updateStatus = "2025-04-01-preview"
    /// Network: a load-balancing rule's health.
    package static let loadBalancer = "2024-05-01"
    /// Compute: scale set VMs with their instance view.
    package static let compute = "2024-07-01"
}

/// Polls the configured resources once per cycle and imports each answer into the store, each
/// resource in a transaction of its own: a resource that fails is reported, and the others land.
package final class Collector {
    /// One resource's poll in a cycle.
    package struct Poll: Sendable {
        package var resource: String
        package var appended = 0
        /// Events older than their entity's last, not stored.
        package var skipped = 0
        /// Nil when it went through.
        package var failure: String?
    }

    /// What one cycle did.
    package struct Cycle: Sendable {
        package var polls: [Poll] = []
        package var seconds = 0.0
        /// Stopped before every resource was polled.
        package var stopped = false
        package var appended: Int { polls.reduce(0) { $0 + $1.appended } }
        package var failures: [Poll] { polls.filter { $0.failure != nil } }

        /// The cycle's line on stderr.
        package var line: String {
            var text = "collect: \(polls.count) resource\(polls.count == 1 ? "" : "s")\(stopped ? " (stopped before the rest)" : ""), appended \(appended) event\(appended == 1 ? "" : "s") "
                + "in \(String(format: "%.1f", seconds)) s"
            let skipped = polls.reduce(0) { $0 + $1.skipped }
            if skipped > 0 { text += ", \(skipped) skipped as older than their entity's last event" }
            let failed = failures
            if !failed.isEmpty {
                text += "; \(failed.count) failed: " + failed.map { "\($0.resource): \($0.failure ?? "")" }.joined(separator: "; ")
            }
            // One line, whatever Azure's messages hold.
            return text.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
    }

    let config: CollectConfig
    let store: any LedgerStore
    let arm: ResourceManager
    let options: AppendOptions
    /// Asked between resources: true stops the cycle after the resource under way.
    let shouldStop: @Sendable () -> Bool

    package init(config: CollectConfig, store: any LedgerStore, arm: ResourceManager, options: AppendOptions,
                 shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.config = config
        self.store = store
        self.arm = arm
        self.options = options
        self.shouldStop = shouldStop
    }

    /// Cycles every `config.every` seconds (from one start to the next) until `shouldStop`, or
    /// once; each cycle is handed to `report`. Whether the last cycle had a failure. The waits go
    /// through the clock, `stopCheck` seconds at a time, so a stop is noticed promptly.
    package func run(once: Bool, stopCheck: Double = 0.2, report: (Cycle) -> Void) async -> Bool {
        while true {
            let start = arm.clock.now()
            let cycle = await self.cycle()
            report(cycle)
            if once || shouldStop() { return !cycle.failures.isEmpty }
            let next = start.addingTimeInterval(Double(config.every))
            while arm.clock.now() < next, !shouldStop() {
                try? await arm.clock.sleep(seconds: min(stopCheck, next.timeIntervalSince(arm.clock.now())))
            }
            if shouldStop() { return false }
        }
    }

    /// One cycle over every configured resource.
    package func cycle() async -> Cycle {
        let start = arm.clock.now()
        var cycle = Cycle()
        let base = "/subscriptions/\(config.subscription)/resourceGroups/"
        for pool in config.hostPools {
            let path = base + "\(pool.resourceGroup)/providers/Microsoft.DesktopVirtualization/hostPools/\(pool.name)"
            if shouldStop() { break }
            cycle.polls.append(await poll("host pool \(pool.name)'s session hosts", renamed: pool.renamed) {
                try await self.arm.list(self.arm.url(path + "/sessionHosts?api-version=\(APIVersions.sessionHosts)"))
            })
            if shouldStop() { break }
            cycle.polls.append(await poll("host pool \(pool.name)'s update status", renamed: pool.renamed) {
                try await self.arm.get(self.arm.url(path + "/sessionHostManagements/default/sessionHostUpdateStatuses/default?api-version=\(APIVersions.updateStatus)"))
            })
        }
        for balancer in config.loadBalancers {
            for rule in balancer.rules {
                if shouldStop() { break }
                let path = base + "\(balancer.resourceGroup)/providers/Microsoft.Network/loadBalancers/\(balancer.name)/loadBalancingRules/\(rule)/health"
                cycle.polls.append(await poll("rule \(rule) of load balancer \(balancer.name)", loadBalancer: balancer.renamed ?? balancer.name, rule: rule) {
                    try await self.arm.postAndPoll(self.arm.url(path + "?api-version=\(APIVersions.loadBalancer)"))
                })
            }
        }
        for scaleSet in config.scaleSets {
            if shouldStop() { break }
            let group = base + "\(scaleSet.resourceGroup)/providers/Microsoft.Compute"
            let id = group + "/virtualMachineScaleSets/\(scaleSet.name)"
            cycle.polls.append(await poll("scale set \(scaleSet.name)'s VMs", renamed: scaleSet.renamed) {
                do {
                    return try await self.arm.list(self.arm.url(id + "/virtualMachines?$expand=instanceView&api-version=\(APIVersions.compute)"))
                } catch let error as ARMError where [400, 409].contains(error.status ?? 0) {
                    // A scale set in Flexible orchestration has no scale set VMs to list: its VMs are
                    // plain VMs of the resource group, found by their scale set's id.
                    let filter = "'virtualMachineScaleSet/id' eq '\(id)'".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    return try await self.arm.list(self.arm.url(group + "/virtualMachines?$filter=\(filter)&$expand=instanceView&api-version=\(APIVersions.compute)"))
                }
            })
        }
        cycle.seconds = arm.clock.now().timeIntervalSince(start)
        let resources = config.hostPools.count * 2 + config.loadBalancers.reduce(0) { $0 + $1.rules.count } + config.scaleSets.count
        cycle.stopped = cycle.polls.count < resources
        return cycle
    }

    /// Fetches one resource and imports its answer at the time Azure answered, in one transaction.
    private func poll(_ resource: String, renamed: String? = nil, loadBalancer: String? = nil, rule: String? = nil,
                      fetch: () async throws -> (body: JSONValue, answeredAt: Date)?) async -> Poll {
        var poll = Poll(resource: resource)
        do {
            guard let (body, answeredAt) = try await fetch() else { return poll }
            var request = ImportRequest()
            request.at = Timestamp(nanoseconds: Int64(answeredAt.timeIntervalSince1970 * 1_000_000_000))
            request.renamed = renamed
            request.loadBalancer = loadBalancer
            request.rule = rule
            var options = self.options
            options.skipsOlderThanStream = true
            // The config names what each answer is: an empty list renames nothing, and is no mistake.
            let summary = try StoreImport.run([(resource, body)], into: store, request: request, options: options, checkingOptions: false).summary
            poll.appended = summary.appended
            poll.skipped = summary.olderThanStream
        } catch {
            poll.failure = "\(error)"
        }
        return poll
    }
}
