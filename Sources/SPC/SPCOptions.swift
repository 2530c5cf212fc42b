/// How to draw and read a chart.
public struct SPCOptions: Sendable, Hashable {
    /// The chart type.
    public var chart: ChartType
    /// The rules that produce signals.
    public var rules: RuleSet
    /// Which way is improvement, for classing points and the icons.
    public var direction: ImprovementDirection
    /// A target in plotted units (after `multiply`), for the assurance icon.
    public var target: Double?
    /// Compute centre and limits from the first `freeze` points of each phase and extend them;
    /// the rules still look at every point. nil uses all points.
    public var freeze: Int?
    /// Multiplies the plotted statistic, centre and limits, e.g. 100 for percentages; applied
    /// last, after p limits are clipped to [0, 1] (qicharts2 `multiply`). Must be positive.
    public var multiply: Double
    /// Drop moving ranges not below 3.267 · mean(MR) once and recompute the mean (Nelson 1982),
    /// as qicharts2 (`qic.screenedmr`) and NHSRplotthedots (`screen_outliers`) do by default.
    public var screenMovingRanges: Bool
    /// Points in a row on one side of the centre line that make a shift; nil takes the rule
    /// set's length (Making Data Count 7, IHI 8 or 6 on a run chart, Western Electric 8).
    public var shiftLength: Int?
    /// Points in a row each above (or below) the one before that make a trend; nil takes the
    /// rule set's length (Making Data Count 7, IHI 6 or 5 on a run chart).
    public var trendLength: Int?

    public init(
        chart: ChartType = .run, rules: RuleSet = .anhoej, direction: ImprovementDirection = .neutral,
        target: Double? = nil, freeze: Int? = nil, multiply: Double = 1, screenMovingRanges: Bool = true,
        shiftLength: Int? = nil, trendLength: Int? = nil
    ) {
        self.chart = chart
        self.rules = rules
        self.direction = direction
        self.target = target
        self.freeze = freeze
        self.multiply = multiply
        self.screenMovingRanges = screenMovingRanges
        self.shiftLength = shiftLength
        self.trendLength = trendLength
    }

    /// The shift length in force: the option, or the rule set's default; nil when the rule set
    /// has no shift rule (Anhøj uses the longest-run test instead).
    public var effectiveShiftLength: Int? {
        if let shiftLength { return max(shiftLength, 1) }
        switch rules {
        case .anhoej: return nil
        case .mdc: return 7  // NHSRplotthedots ptd_seven_point_one_side_mean
        case .ihi: return chart == .run ? 6 : 8  // Provost & Murray 2011, ch. 3 and ch. 5
        case .we: return 8  // Western Electric Handbook (1956), rule 4
        }
    }

    /// The trend length in force (in points, so 7 means 6 steps the same way); nil when the rule
    /// set has no trend rule (Anhøj, whose simulations found it useless; Western Electric).
    public var effectiveTrendLength: Int? {
        if let trendLength { return max(trendLength, 2) }
        switch rules {
        case .anhoej, .we: return nil
        case .mdc: return 7  // NHSRplotthedots ptd_seven_point_trend
        case .ihi: return chart == .run ? 5 : 6  // Provost & Murray 2011
        }
    }
}
