import FleetEvents

/// What `fleetledger collect --config FILE` polls: a subscription's host pools, load balancers
/// with their rules, and scale sets, each optionally stored under another name (`"as"`).
package struct CollectConfig: Sendable, Equatable {
    /// One Azure resource to poll.
    package struct Resource: Sendable, Equatable {
        package var resourceGroup: String
        package var name: String
        /// The name to store it under, when not its own.
        package var renamed: String?
        /// A load balancer's rules (empty for the other kinds).
        package var rules: [String] = []

        package init(resourceGroup: String, name: String, renamed: String? = nil, rules: [String] = []) {
            self.resourceGroup = resourceGroup
            self.name = name
            self.renamed = renamed
            self.rules = rules
        }
    }

    package var subscription: String
    /// Seconds between two cycles' starts.
    package var every: Int64 = 60
    package var hostPools: [Resource] = []
    package var loadBalancers: [Resource] = []
    package var scaleSets: [Resource] = []

    package init(subscription: String, every: Int64 = 60, hostPools: [Resource] = [], loadBalancers: [Resource] = [], scaleSets: [Resource] = []) {
        self.subscription = subscription
        self.every = every
        self.hostPools = hostPools
        self.loadBalancers = loadBalancers
        self.scaleSets = scaleSets
    }

    /// The config in `text`, or one sentence naming the key at fault.
    package static func parse(_ text: String) throws(ConfigError) -> CollectConfig {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw ConfigError("is not JSON: \(error.description)") }
        guard case .object(let members) = value else { throw ConfigError("is not a JSON object of subscription, every, hostPools, loadBalancers and scaleSets") }
        try refuseUnknown(members, known: ["subscription", "every", "hostPools", "loadBalancers", "scaleSets"], at: "")
        guard case .string(let subscription)? = members["subscription"], !subscription.isEmpty else {
            throw ConfigError("key subscription is missing or not a string: it names the subscription to poll")
        }
        guard subscription.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw ConfigError("key subscription is \"\(subscription)\", which is not a subscription id (a GUID)")
        }
        var config = CollectConfig(subscription: subscription)
        switch members["every"] {
        case nil: break
        case .string(let text)?:
            guard let span = TimeSpan(text), span.nanoseconds >= 1_000_000_000 else {
                throw ConfigError("key every is \"\(text)\", which is not a length of at least 1 s (such as \"60s\" or \"5m\")")
            }
            config.every = span.nanoseconds / 1_000_000_000
        case let other?: throw ConfigError("key every is \(other.kindDescription), not a length such as \"60s\"")
        }
        config.hostPools = try resources(members["hostPools"], key: "hostPools", withRules: false)
        config.loadBalancers = try resources(members["loadBalancers"], key: "loadBalancers", withRules: true)
        config.scaleSets = try resources(members["scaleSets"], key: "scaleSets", withRules: false)
        guard !(config.hostPools.isEmpty && config.loadBalancers.isEmpty && config.scaleSets.isEmpty) else {
            throw ConfigError("names no resource: give hostPools, loadBalancers or scaleSets")
        }
        return config
    }

    private static func resources(_ value: JSONValue?, key: String, withRules: Bool) throws(ConfigError) -> [Resource] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw ConfigError("key \(key) is \(value.kindDescription), not an array") }
        var resources: [Resource] = []
        for (index, item) in items.enumerated() {
            let place = "\(key)[\(index)]"
            guard case .object(let members) = item else { throw ConfigError("\(place) is \(item.kindDescription), not an object") }
            try refuseUnknown(members, known: ["resourceGroup", "name", "as"] + (withRules ? ["rules"] : []), at: place)
            var resource = Resource(resourceGroup: try name(members, "resourceGroup", at: place), name: try name(members, "name", at: place))
            if members["as"] != nil { resource.renamed = try name(members, "as", at: place) }
            if withRules {
                guard case .array(let rules)? = members["rules"], !rules.isEmpty else {
                    throw ConfigError("key \(place).rules is missing or empty: a load balancer is polled by its rules' health")
                }
                for (number, rule) in rules.enumerated() {
                    guard case .string(let text) = rule, isName(text) else { throw ConfigError("key \(place).rules[\(number)] is not a rule's name") }
                    resource.rules.append(text)
                }
            }
            resources.append(resource)
        }
        return resources
    }

    private static func name(_ members: [JSONMember], _ key: String, at place: String) throws(ConfigError) -> String {
        guard case .string(let text)? = members[key], isName(text) else {
            throw ConfigError("key \(place).\(key) is missing or not a name (non-empty, without / ? # or spaces)")
        }
        return text
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && !text.contains(where: { "/?#% ".contains($0) })
    }

    private static func refuseUnknown(_ members: [JSONMember], known: [String], at place: String) throws(ConfigError) {
        let unknown = members.map(\.key).filter { !known.contains($0) }
        guard unknown.isEmpty else {
            let where_ = place.isEmpty ? "" : " in \(place)"
            throw ConfigError("key\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", "))\(where_) \(unknown.count == 1 ? "is" : "are") not known: the keys are \(known.joined(separator: ", "))")
        }
    }
}

/// Why a collector config cannot be used: one sentence naming the key.
package struct ConfigError: Error, Sendable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}
