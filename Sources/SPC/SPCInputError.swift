/// Input that cannot make a chart, with a one-line message that names the place and the fix.
///
/// Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
public enum SPCInputError: Error, Sendable, Hashable {
    case emptyInput
    case missingColumn(name: String)
    case unknownColumn(name: String, allowed: [String])
    case duplicateColumn(name: String)
    case wrongFieldCount(row: Int, expected: Int, found: Int)
    case unterminatedQuote(row: Int)
    case notANumber(row: Int, column: String, value: String)
    case notAFlag(row: Int, column: String, value: String)
    case negativeDenominator(row: Int, value: Double)
    case invalidValue(row: Int, column: String, value: Double, reason: String)
    case missingValue(row: Int, column: String, reason: String)
    case seriesNotContiguous(row: Int, series: String)
    case invalidOption(name: String, value: String, reason: String)
    case unknownChoice(option: String, value: String, allowed: [String])

    /// One line for a person: where, what, and how to fix it.
    public var message: String {
        switch self {
        case .emptyInput:
            "The file is empty. Start with a header row, e.g. x,y."
        case .missingColumn(let name):
            "Row 1: no “\(name)” column. Add a column named \(name) to the header."
        case .unknownColumn(let name, let allowed):
            "Row 1, column “\(name)”: unknown column. Use \(allowed.joined(separator: ", "))."
        case .duplicateColumn(let name):
            "Row 1, column “\(name)”: the column appears twice. Keep one."
        case .wrongFieldCount(let row, let expected, let found):
            "Row \(row): \(found) fields but the header has \(expected). Check for a missing or extra comma."
        case .unterminatedQuote(let row):
            "Row \(row): a quoted field is never closed. Add the closing \"."
        case .notANumber(let row, let column, let value):
            "Row \(row), \(column): “\(value)” is not a number. Use digits, e.g. 12 or 3.5, or leave it empty."
        case .notAFlag(let row, let column, let value):
            "Row \(row), \(column): “\(value)” is not yes or no. Use true/false, yes/no, 1/0, or leave it empty."
        case .negativeDenominator(let row, let value):
            "Row \(row), n: \(format(value)) is a negative denominator. Use a count or exposure of 0 or more."
        case .invalidValue(let row, let column, let value, let reason):
            "Row \(row), \(column): \(format(value)) cannot be used: \(reason)."
        case .missingValue(let row, let column, let reason):
            "Row \(row), \(column): missing: \(reason)."
        case .seriesNotContiguous(let row, let series):
            "Row \(row), series: “\(series)” appeared earlier with other series between. Keep each series' rows together."
        case .invalidOption(let name, let value, let reason):
            "Option \(name): \(value) \(reason)."
        case .unknownChoice(let option, let value, let allowed):
            "Option \(option): “\(value)” is unknown. Use one of \(allowed.joined(separator: ", "))."
        }
    }
}

extension SPCInputError: CustomStringConvertible {
    public var description: String { message }
}

/// Whole numbers without a trailing ".0", so messages echo what the user typed.
private func format(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
}
