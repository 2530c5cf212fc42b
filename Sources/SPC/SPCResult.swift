/// A computed chart: every point with its lines and signals, every phase with its runs
/// analysis, and the Making Data Count icons.
public struct SPCResult: Sendable, Hashable {
    public var chart: ChartType
    public var rules: RuleSet
    public var direction: ImprovementDirection
    public var target: Double?
    public var points: [Point]
    public var phases: [Phase]
    public var variation: VariationIcon
    public var assurance: AssuranceIcon?

    /// One plotted point (one subgroup: rows sharing an x).
    public struct Point: Sendable, Hashable {
        public var x: String
        /// The plotted statistic (after `multiply`); nil when missing or undefined (zero denominator).
        public var y: Double?
        /// The denominator (summed over the subgroup's rows); nil when none was given.
        public var n: Double?
        /// 1-based phase number.
        public var phase: Int
        public var excluded: Bool
        /// Centre line; nil where undefined (e.g. a phase with no values).
        public var cl: Double?
        /// 3σ limits; nil where undefined (a zero denominator, every moving range screened out).
        public var lcl: Double?
        public var ucl: Double?
        /// 2σ lines.
        public var lcl2: Double?
        public var ucl2: Double?
        public var signals: SPCSignals
        public var pointClass: PointClass
        public var note: String?

        public init(
            x: String, y: Double?, n: Double?, phase: Int, excluded: Bool, cl: Double?, lcl: Double?,
            ucl: Double?, lcl2: Double?, ucl2: Double?, signals: SPCSignals, pointClass: PointClass,
            note: String?
        ) {
            self.x = x
            self.y = y
            self.n = n
            self.phase = phase
            self.excluded = excluded
            self.cl = cl
            self.lcl = lcl
            self.ucl = ucl
            self.lcl2 = lcl2
            self.ucl2 = ucl2
            self.signals = signals
            self.pointClass = pointClass
            self.note = note
        }
    }

    /// One phase: its centre line and the Anhøj runs analysis of its points (qicharts2 `summary.qic`).
    public struct Phase: Sendable, Hashable {
        /// 1-based phase number.
        public var phase: Int
        /// The phase label from the input, if any.
        public var label: String?
        /// 0-based indices of the phase's first and last point.
        public var first: Int
        public var last: Int
        /// Centre line (after `multiply`); nil when the phase has no usable values.
        public var cl: Double?
        /// Points neither missing, excluded nor on the centre line.
        public var useful: Int
        /// Longest run on one side of the centre line, and the most expected: round(log₂ useful) + 3.
        public var longestRun: Int?
        public var longestRunMax: Int?
        /// Times the line crosses the centre line, and the fewest expected: qbinom(0.05, useful − 1, ½).
        public var crossings: Int?
        public var crossingsMin: Int?
        /// The Anhøj runs test signals (longest run too long or too few crossings).
        public var runsSignal: Bool
        /// Some point of the phase lies outside its limits.
        public var sigmaSignal: Bool
        /// Fewer than 12 points: trial limits, as NHSRplotthedots warns.
        public var trial: Bool

        public init(
            phase: Int, label: String?, first: Int, last: Int, cl: Double?, useful: Int, longestRun: Int?,
            longestRunMax: Int?, crossings: Int?, crossingsMin: Int?, runsSignal: Bool, sigmaSignal: Bool,
            trial: Bool
        ) {
            self.phase = phase
            self.label = label
            self.first = first
            self.last = last
            self.cl = cl
            self.useful = useful
            self.longestRun = longestRun
            self.longestRunMax = longestRunMax
            self.crossings = crossings
            self.crossingsMin = crossingsMin
            self.runsSignal = runsSignal
            self.sigmaSignal = sigmaSignal
            self.trial = trial
        }
    }

    public init(
        chart: ChartType, rules: RuleSet, direction: ImprovementDirection, target: Double?, points: [Point],
        phases: [Phase], variation: VariationIcon, assurance: AssuranceIcon?
    ) {
        self.chart = chart
        self.rules = rules
        self.direction = direction
        self.target = target
        self.points = points
        self.phases = phases
        self.variation = variation
        self.assurance = assurance
    }
}

/// How many points took part in each rule, and how many were classed improvement or concern.
public struct SignalCounts: Sendable, Hashable {
    public var outside = 0
    public var shift = 0
    public var trend = 0
    public var twoOfThree = 0
    public var fourOfFive = 0
    public var withinOneSigma = 0
    public var runs = 0
    public var improvement = 0
    public var concern = 0
    public var neutral = 0

    public init() {}

    mutating func add(_ signals: SPCSignals, _ pointClass: PointClass) {
        if signals.contains(.outside) { outside += 1 }
        if signals.contains(.shift) { shift += 1 }
        if signals.contains(.trend) { trend += 1 }
        if signals.contains(.twoOfThree) { twoOfThree += 1 }
        if signals.contains(.fourOfFive) { fourOfFive += 1 }
        if signals.contains(.withinOneSigma) { withinOneSigma += 1 }
        if signals.contains(.runs) { runs += 1 }
        switch pointClass {
        case .improvement: improvement += 1
        case .concern: concern += 1
        case .neutral: neutral += 1
        case .common: break
        }
    }
}

/// One series summarised for a dashboard: the `--by series` line of SPC.md.
public struct SeriesSummary: Sendable, Hashable {
    /// The series name (the `series` column).
    public var series: String
    /// Number of plotted points (subgroups).
    public var points: Int
    /// The latest point, as in `SPCResult.points`; nil for an empty series.
    public var last: SPCResult.Point?
    /// The last phase, as in `SPCResult.phases`; nil for an empty series.
    public var phase: SPCResult.Phase?
    public var counts: SignalCounts
    public var variation: VariationIcon
    public var assurance: AssuranceIcon?

    public init(
        series: String, points: Int, last: SPCResult.Point?, phase: SPCResult.Phase?, counts: SignalCounts,
        variation: VariationIcon, assurance: AssuranceIcon?
    ) {
        self.series = series
        self.points = points
        self.last = last
        self.phase = phase
        self.counts = counts
        self.variation = variation
        self.assurance = assurance
    }
}
