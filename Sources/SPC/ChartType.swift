/// The kind of chart: which statistic is plotted and how its centre line and limits are found.
///
/// Raw values are the names used by the command line (`--chart`), the web API and qicharts2's
/// `chart` argument, so a user who knows one knows the others.
public enum ChartType: String, Sendable, Hashable, CaseIterable, Codable {
    /// Run chart: the values against their median; no limits.
    case run
    /// Individuals (XmR) chart: each value against the mean ± 3σ from the average moving range.
    case i
    /// Moving range chart: |yᵢ − yᵢ₋₁| against its mean, upper limit 3.267 · mean.
    case mr
    /// X-bar chart: subgroup means (rows sharing an x form a subgroup).
    case xbar
    /// S chart: subgroup standard deviations.
    case s
    /// T chart: time between rare events, an I chart on y^(1/3.6) transformed back.
    case t
    /// P chart: proportions y/n (numerator over denominator).
    case p
    /// Laney p′ chart: a p chart widened for between-period variation in large denominators.
    case pp
    /// C chart: counts of events in equal areas of opportunity.
    case c
    /// U chart: rates y/n (events per unit of exposure).
    case u
    /// Laney u′ chart: a u chart widened for between-period variation in large exposures.
    case up
    /// G chart: opportunities (e.g. cases or days) between rare events.
    case g

    /// Whether y is a count (of events, of cases between events), so never below 0.
    public var valuesAreCounts: Bool {
        switch self {
        case .c, .g, .p, .pp, .u, .up: true
        default: false
        }
    }

    /// Whether the chart divides y by a denominator n.
    public var usesDenominator: Bool {
        switch self {
        case .p, .pp, .u, .up: true
        default: false
        }
    }

    /// Whether the chart has control limits (every chart but the run chart).
    public var hasLimits: Bool { self != .run }
}

/// Which rules turn the points of a chart into signals.
public enum RuleSet: String, Sendable, Hashable, CaseIterable, Codable {
    /// Anhøj: points outside the 3σ limits plus the runs analysis (longest run and crossings) of
    /// each phase, as qicharts2. The default.
    case anhoej
    /// NHS England's Making Data Count, as NHSRplotthedots: outside, shift, trend, two of three.
    case mdc
    /// Provost & Murray, The Health Care Data Guide (IHI).
    case ihi
    /// Western Electric Statistical Quality Control Handbook (1956) zone rules.
    case we
}

/// Which way is better for a measure.
public enum ImprovementDirection: String, Sendable, Hashable, CaseIterable, Codable {
    /// Higher is better (NHSRplotthedots "increase").
    case up
    /// Lower is better (NHSRplotthedots "decrease").
    case down
    /// Neither: special causes are only "high" or "low".
    case neutral
}
