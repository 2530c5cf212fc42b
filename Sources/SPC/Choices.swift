/// Reading the chart type, rule set and direction from a command-line option or a form field,
/// with the error SPC.md asks for ("unknown chart type" naming the allowed values).
extension ChartType {
    /// The chart type named `value` (e.g. "xbar"); `option` names the field in the error.
    public init(parsing value: String, option: String = "--chart") throws(SPCInputError) {
        self = try choice(value, option: option)
    }
}

extension RuleSet {
    /// The rule set named `value` (e.g. "mdc").
    public init(parsing value: String, option: String = "--rules") throws(SPCInputError) {
        self = try choice(value, option: option)
    }
}

extension ImprovementDirection {
    /// The direction named `value` ("up", "down" or "neutral").
    public init(parsing value: String, option: String = "--direction") throws(SPCInputError) {
        self = try choice(value, option: option)
    }
}

private func choice<T: RawRepresentable & CaseIterable>(_ value: String, option: String) throws(SPCInputError) -> T
where T.RawValue == String {
    let trimmed = value.lowercased()
    guard let found = T(rawValue: trimmed) else {
        throw .unknownChoice(option: option, value: value, allowed: T.allCases.map(\.rawValue))
    }
    return found
}
