/// Why one input event was refused: the field at fault, when there is one, and the rule it broke.
///
/// `description` is a phrase such as `field "data.port" must be an integer, not a string`; the
/// ingest layer adds the file and line to make the sentence the user sees.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSON path of the culprit (`type`, `at`, `data.outcome`), or nil for a whole-event rule.
    public var field: String?
    /// The rule, as the rest of the phrase after the field's name.
    public var rule: String

    public init(field: String?, _ rule: String) {
        self.field = field
        self.rule = rule
    }

    public var description: String {
        guard let field else { return rule }
        return "field \"\(field)\" \(rule)"
    }
}
