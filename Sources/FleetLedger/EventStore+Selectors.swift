import FleetDomains
import FleetEvents
import FleetProjection
import FleetStore

/// The names a command's selectors (`--pool`, `--host`, `--lb`, `--rule`, `--ip`, `--scale-set`,
/// `--instance`) are checked against before it answers: a name the store does not hold is refused
/// with the closest known names, never answered with an empty list. Checked against every name the
/// log held up to the question's time (`asOf`, nil for now; removed hosts and deleted instances
/// included), so that a question as of T is answered as a store holding only the events up to T
/// would answer it.
extension LedgerStore {
    /// `query`'s answer; an unknown name it meets says it was looked for as of `asOf`.
    func naming<Answer>(asOf: Timestamp?, _ query: () throws -> Answer) throws -> Answer {
        do {
            return try query()
        } catch var unknown as UnknownName {
            unknown.asOf = asOf
            throw unknown
        }
    }

    func requireHostPool(_ pool: String, asOf: Timestamp? = nil) throws {
        let view = try projections(asOf: asOf, reading: SessionHostDomain.projectors + UpdateDomain.projectors)
        guard try !SessionHostQueries.knowsHostPool(in: view, pool: pool) else { return }
        throw UnknownName("host pool", pool, asOf: asOf, known: try UpdateQueries.pools(in: view).map(\.name))
    }

    func requireSessionHost(_ host: String, pool: String, asOf: Timestamp? = nil) throws {
        try requireHostPool(pool, asOf: asOf)
        let view = try projections(asOf: asOf, reading: SessionHostDomain.projectors + UpdateDomain.projectors)
        guard try SessionHostQueries.host(in: view, pool: pool, name: host) == nil else { return }
        throw UnknownName("session host", host, in: "in host pool \(pool)", asOf: asOf,
                          known: try SessionHostQueries.hosts(in: view, pool: pool).map(\.name).sorted(by: NaturalOrder.less))
    }

    @discardableResult
    func requireLoadBalancer(_ name: String) throws -> LoadBalancerState {
        try LoadBalancerQueries.loadBalancer(name, in: try projections(asOf: nil, reading: LoadBalancerDomain.projectors))
    }

    func requireRule(_ rule: String, loadBalancer: String) throws {
        let balancer = try requireLoadBalancer(loadBalancer)
        guard balancer.rules[rule] == nil else { return }
        throw LoadBalancerQueryError.unknownRule(rule: rule, loadBalancer: loadBalancer, knownRules: balancer.rules.keys.sorted())
    }

    func requireRuleOfAnyLoadBalancer(_ rule: String) throws {
        let balancers = try LoadBalancerQueries.loadBalancers(in: try projections(asOf: nil, reading: LoadBalancerDomain.projectors))
        let rules = Set(balancers.flatMap(\.rules.keys))
        guard !rules.contains(rule) else { return }
        throw UnknownName("load-balancing rule", rule, in: "in any load balancer", known: rules.sorted(by: NaturalOrder.less))
    }

    func requireBackendAddress(_ ipAddress: String, loadBalancer: String) throws {
        try requireLoadBalancer(loadBalancer)
        let view = try projections(asOf: nil, reading: [AnyProjector(BackendAddressProjector.self)])
        let addresses = Set(try view.states(BackendAddressProjector.self, in: StreamKind.backendAddress.keys(under: loadBalancer))
            .map(\.state.ipAddress))
        guard !addresses.contains(ipAddress) else { return }
        throw UnknownName("backend address", ipAddress, in: "in load balancer \(loadBalancer)", known: addresses.sorted(by: NaturalOrder.less),
                          plural: "backend addresses")
    }

    func requireScaleSet(_ name: String) throws {
        let view = try projections(asOf: nil, reading: ScaleSetDomain.projectors)
        guard try view.state(ScaleSetProjector.self, of: StreamKind.scaleSet.key(name)) == nil else { return }
        throw UnknownName("scale set", name, known: try ScaleSetQueries.scaleSets(in: view).map(\.name))
    }

    func requireInstance(_ instanceId: String, scaleSet: String) throws {
        try requireScaleSet(scaleSet)
        let view = try projections(asOf: nil, reading: ScaleSetDomain.projectors)
        let instances = try view.states(InstanceHealthProjector.self, in: StreamKind.scaleSetInstance.keys(under: scaleSet)).map(\.state.instanceId)
        guard !instances.contains(instanceId) else { return }
        throw UnknownName("instance", instanceId, in: "in scale set \(scaleSet)", known: instances.sorted(by: NaturalOrder.less))
    }
}
