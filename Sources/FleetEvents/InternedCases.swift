/// A contract enumeration's cases by the position of their raw value in the log's table of
/// interned strings (`PayloadCodec.internedStrings`), which is how the log stores every
/// enumeration value Azure defines.
///
/// Reading a stored value through this table skips making its string and matching the string
/// against each case's raw value, the string switch `init(rawValue:)` runs
/// (Tools/Benchmark/HISTORY.md, item 30). A decoding thread makes one table per enumeration
/// type, the first time it reads one (`StreamKeyInterner.internedCases`).
public final class InternedCases<Value: ContractEnum> {
    /// Indexed by the interned string's position; nil where that string is no case of `Value`.
    @usableFromInline let cases: [Value?]

    @usableFromInline
    init() {
        cases = PayloadCodec.internedStrings.map { Value(rawValue: $0) }
    }
}
