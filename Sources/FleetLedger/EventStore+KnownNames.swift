import FleetDomains
import FleetEvents
import FleetStore

/// A kind of name a command's selector takes, for shell completion.
public enum KnownNameKind: Sendable {
    /// `--pool`.
    case hostPool
    /// `--host`, and `host NAME`: the hosts of the `--pool` given, else of every pool.
    case sessionHost
    /// `--lb`.
    case loadBalancer
    /// `--rule`: the rules of the `--lb` given, else of every load balancer.
    case rule
    /// `--scale-set`.
    case scaleSet
}

extension LedgerStore {
    /// The names of `kind` the store holds now, sorted: session hosts of `pool` (every pool's when
    /// nil) and rules of `loadBalancer` (every load balancer's when nil). What shell completion
    /// offers; removed hosts are left out, as a new command would rarely name one.
    public func knownNames(_ kind: KnownNameKind, pool: String? = nil, loadBalancer: String? = nil) throws -> [String] {
        let names: [String]
        switch kind {
        case .hostPool:
            names = try UpdateQueries.pools(in: projections(asOf: nil, reading: SessionHostDomain.projectors + UpdateDomain.projectors)).map(\.name)
        case .sessionHost:
            names = try SessionHostQueries.hosts(in: projections(asOf: nil, reading: SessionHostDomain.projectors), pool: pool)
                .filter { !$0.removed }.map(\.name)
        case .loadBalancer:
            names = try LoadBalancerQueries.loadBalancers(in: projections(asOf: nil, reading: LoadBalancerDomain.projectors)).map(\.name)
        case .rule:
            names = try LoadBalancerQueries.loadBalancers(in: projections(asOf: nil, reading: LoadBalancerDomain.projectors))
                .filter { loadBalancer == nil || $0.name == loadBalancer }.flatMap(\.rules.keys)
        case .scaleSet:
            names = try ScaleSetQueries.scaleSets(in: projections(asOf: nil, reading: ScaleSetDomain.projectors)).map(\.name)
        }
        return Set(names).sorted(by: NaturalOrder.less)
    }
}
