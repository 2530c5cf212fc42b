/// Statistical process control charts: the entry point for one chart.
///
///     let result = SPCChart.compute(points: points, options: SPCOptions(chart: .p, rules: .anhoej))
///
/// For many series at once, reuse an `SPCWorkspace`.
public enum SPCChart {
    /// Computes centre lines, limits, signals and icons for one series.
    public static func compute(points: [SPCPoint], options: SPCOptions) -> SPCResult {
        var workspace = SPCWorkspace()
        return workspace.compute(points, options: options)
    }

    /// Checks what the chart cannot use, so a command line or form can say which row is wrong.
    ///
    /// `compute` never fails: it treats such values as missing. Errors name the row as
    /// `firstRow` + the point's index: pass 2 for points read from a CSV file with a header.
    /// - T charts need positive times between events (qicharts2 `qic.t` stops otherwise).
    /// - Denominators cannot be negative; P, P′, U and U′ charts need one on every row with a value.
    /// - Counts for C, G, P and U charts cannot be negative.
    /// - `multiply` must be positive and finite, `freeze` at least 1.
    public static func validate(points: [SPCPoint], options: SPCOptions, firstRow: Int = 1) throws(SPCInputError) {
        if !(options.multiply > 0 && options.multiply.isFinite) {
            throw .invalidOption(name: "multiply", value: "\(options.multiply)", reason: "must be a positive number")
        }
        if let freeze = options.freeze, freeze < 1 {
            throw .invalidOption(name: "freeze", value: "\(freeze)", reason: "must be at least 1")
        }
        for (index, point) in points.enumerated() {
            let row = firstRow + index
            if let n = point.n, n < 0 { throw .negativeDenominator(row: row, value: n) }
            guard let y = point.y else { continue }
            if options.chart == .t && y <= 0 {
                throw .invalidValue(row: row, column: "y", value: y, reason: "a time between events must be above 0")
            }
            if options.chart.valuesAreCounts && y < 0 {
                throw .invalidValue(row: row, column: "y", value: y, reason: "a count cannot be negative")
            }
            if options.chart.usesDenominator && point.n == nil {
                throw .missingValue(row: row, column: "n", reason: "a \(options.chart.rawValue) chart divides y by n")
            }
        }
    }
}
