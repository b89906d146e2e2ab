/// A closed set of string values from the contract, spelled exactly as Azure spells them.
///
/// Decoding a value outside the set is refused with the list of allowed values.
public protocol ContractEnum: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {}
