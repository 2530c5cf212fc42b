/// JSON in the shape of SPC.md: snake_case names, `class` for the point class, and explicit
/// `null` for every missing value, so the command line and the web API print the same document
/// with any `JSONEncoder`.
extension SPCResult: Encodable {
    private enum Key: String, CodingKey {
        case chart, rules, direction, target, points, phases, variation, assurance
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(chart, forKey: .chart)
        try c.encode(rules, forKey: .rules)
        try c.encode(direction, forKey: .direction)
        try c.encodeOrNull(target, forKey: .target)
        try c.encode(points, forKey: .points)
        try c.encode(phases, forKey: .phases)
        try c.encode(variation, forKey: .variation)
        try c.encodeOrNull(assurance, forKey: .assurance)
    }
}

extension SPCResult.Point: Encodable {
    private enum Key: String, CodingKey {
        case x, y, n, phase, excluded, cl, lcl, ucl, lcl2, ucl2, signals
        case pointClass = "class"
        case note
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(x, forKey: .x)
        try c.encodeOrNull(y, forKey: .y)
        try c.encodeOrNull(n, forKey: .n)
        try c.encode(phase, forKey: .phase)
        try c.encode(excluded, forKey: .excluded)
        try c.encodeOrNull(cl, forKey: .cl)
        try c.encodeOrNull(lcl, forKey: .lcl)
        try c.encodeOrNull(ucl, forKey: .ucl)
        try c.encodeOrNull(lcl2, forKey: .lcl2)
        try c.encodeOrNull(ucl2, forKey: .ucl2)
        try c.encode(signals.names, forKey: .signals)
        try c.encode(pointClass, forKey: .pointClass)
        try c.encodeOrNull(note, forKey: .note)
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
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(phase, forKey: .phase)
        try c.encodeOrNull(label, forKey: .label)
        try c.encode(first, forKey: .first)
        try c.encode(last, forKey: .last)
        try c.encodeOrNull(cl, forKey: .cl)
        try c.encode(useful, forKey: .useful)
        try c.encodeOrNull(longestRun, forKey: .longestRun)
        try c.encodeOrNull(longestRunMax, forKey: .longestRunMax)
        try c.encodeOrNull(crossings, forKey: .crossings)
        try c.encodeOrNull(crossingsMin, forKey: .crossingsMin)
        try c.encode(runsSignal, forKey: .runsSignal)
        try c.encode(sigmaSignal, forKey: .sigmaSignal)
        try c.encode(trial, forKey: .trial)
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
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(outside, forKey: .outside)
        try c.encode(shift, forKey: .shift)
        try c.encode(trend, forKey: .trend)
        try c.encode(twoOfThree, forKey: .twoOfThree)
        try c.encode(fourOfFive, forKey: .fourOfFive)
        try c.encode(withinOneSigma, forKey: .withinOneSigma)
        try c.encode(runs, forKey: .runs)
        try c.encode(improvement, forKey: .improvement)
        try c.encode(concern, forKey: .concern)
        try c.encode(neutral, forKey: .neutral)
    }
}

extension SeriesSummary: Encodable {
    private enum Key: String, CodingKey {
        case series, points, last, phase, counts, variation, assurance
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(series, forKey: .series)
        try c.encode(points, forKey: .points)
        try c.encodeOrNull(last, forKey: .last)
        try c.encodeOrNull(phase, forKey: .phase)
        try c.encode(counts, forKey: .counts)
        try c.encode(variation, forKey: .variation)
        try c.encodeOrNull(assurance, forKey: .assurance)
    }
}

extension KeyedEncodingContainer {
    /// Encodes the value, or an explicit null when it is nil (the synthesised `encodeIfPresent`
    /// would leave the key out, and SPC.md promises every field).
    mutating func encodeOrNull<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value {
            try encode(value, forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }
}
