/// JSON in the shape of SPC.md: snake_case names, `class` for the point class, and explicit
/// `null` for every missing value, so the command line and the web API print the same document
/// with any `JSONEncoder`.
extension SPCResult: Encodable {
    private enum Key: String, CodingKey {
        case chart, rules, direction, target, points, phases, variation, assurance
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeFields([
            Key.chart: chart, .rules: rules, .direction: direction, .target: target, .points: points, .phases: phases,
            .variation: variation, .assurance: assurance,
        ])
    }
}

extension SPCResult.Point: Encodable {
    private enum Key: String, CodingKey {
        case x, y, n, phase, excluded, cl, lcl, ucl, lcl2, ucl2, signals
        case pointClass = "class"
        case note
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeFields([
            Key.x: x, .y: y, .n: n, .phase: phase, .excluded: excluded, .cl: cl, .lcl: lcl, .ucl: ucl, .lcl2: lcl2,
            .ucl2: ucl2, .signals: signals.names, .pointClass: pointClass, .note: note,
        ])
    }
}

extension SPCResult.Phase: Encodable {
    private enum Key: String, CodingKey {
        case phase, label, first, last, cl, useful
        case longestRun = "longest_run"
        case longestRunMax = "longest_run_max"
        case crossings
        case crossingsMin = "crossings_min"
        case runsSignal = "runs_signal"
        case sigmaSignal = "sigma_signal"
        case trial
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeFields([
            Key.phase: phase, .label: label, .first: first, .last: last, .cl: cl, .useful: useful,
            .longestRun: longestRun, .longestRunMax: longestRunMax, .crossings: crossings, .crossingsMin: crossingsMin,
            .runsSignal: runsSignal, .sigmaSignal: sigmaSignal, .trial: trial,
        ])
    }
}

extension SignalCounts: Encodable {
    private enum Key: String, CodingKey {
        case outside, shift, trend
        case twoOfThree = "two_of_three"
        case fourOfFive = "four_of_five"
        case withinOneSigma = "within_one_sigma"
        case runs, improvement, concern, neutral
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeFields([
            Key.outside: outside, .shift: shift, .trend: trend, .twoOfThree: twoOfThree, .fourOfFive: fourOfFive,
            .withinOneSigma: withinOneSigma, .runs: runs, .improvement: improvement, .concern: concern,
            .neutral: neutral,
        ])
    }
}

extension SeriesSummary: Encodable {
    private enum Key: String, CodingKey {
        case series, points, last, phase, counts, variation, assurance
    }

    public func encode(to encoder: any Encoder) throws {
        try encoder.encodeFields([
            Key.series: series, .points: points, .last: last, .phase: phase, .counts: counts, .variation: variation,
            .assurance: assurance,
        ])
    }
}

extension Encoder {
    /// An object of SPC.md: every field in the order given, and an explicit null for a missing
    /// value (the synthesised `encodeIfPresent` would leave the key out, and SPC.md promises every field).
    func encodeFields<Key: CodingKey>(_ fields: KeyValuePairs<Key, (any Encodable)?>) throws {
        var c = container(keyedBy: Key.self)
        for (key, value) in fields {
            if let value {
                try c.encode(value, forKey: key)
            } else {
                try c.encodeNil(forKey: key)
            }
        }
    }
}
