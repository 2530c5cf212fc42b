extension SeriesColumns {
    /// Computes lines and signals for every phase of the loaded points.
    mutating func analyse(_ options: SPCOptions) {
        wantsOneSigmaLines = options.rules == .we || options.rules == .ihi
        for range in phases {
            let phase = PhaseSpan(points: range, freeze: options.freeze)
            computeLines(phase, options)
            let (anyOutside, sequenceCount) = placePoints(range)
            var runsAnalysis = anhoejRunsAnalysis(range)
            runsAnalysis.applies = options.chart != .mr
            runsAnalysis.anyOutside = anyOutside
            runs.append(runsAnalysis)
            applyRules(range, sequenceCount, runsAnalysis, options)
        }
    }

    /// Dispatches to the chart's function (the `qic.<chart>` of qicharts2).
    private func computeLines(_ phase: PhaseSpan, _ options: SPCOptions) {
        let mdc = options.rules == .mdc
        let screen = options.screenMovingRanges
        switch options.chart {
        case .run: runChart(phase)
        case .i: iChart(phase, mdcConstant: mdc, screen: screen)
        case .mr: mrChart(phase)
        case .xbar: xbarChart(phase)
        case .s: sChart(phase)
        case .t: tChart(phase, mdcConstant: mdc, screen: screen)
        case .p: pChart(phase)
        case .pp: pPrimeChart(phase, screen: screen)
        case .c: cChart(phase)
        case .u: uChart(phase)
        case .up: uPrimeChart(phase, screen: screen)
        case .g: gChart(phase)
        }
    }

    /// Sets each point's zone and marks points beyond the 3σ limits, strictly (qicharts2
    /// `sigma.signal`: y > ucl | y < lcl). Excluded points are tested too: they are drawn and
    /// judged, only left out of the lines.
    ///
    /// In the same pass it lists in `sequence` the points that the sequence rules look at:
    /// present and not excluded (an excluded point is out of the runs analysis, a missing one has
    /// no position). Returns whether any point is outside, and how many are in the sequence.
    private func placePoints(_ range: Range<Int>) -> (anyOutside: Bool, sequenceCount: Int) {
        let y = self.y
        let cl = self.cl
        let lcl = self.lcl
        let ucl = self.ucl
        let lcl2 = self.lcl2
        let ucl2 = self.ucl2
        let signals = self.signals
        let zone = self.zone
        let excluded = self.excluded
        let sequence = self.sequence
        var anyOutside = false
        var m = 0
        for i in range {
            let v = y[i]
            var z = Zone.side(of: v, centre: cl[i])
            if v > ucl[i] || v < lcl[i] {
                z.insert(.outside)
                signals[i].insert(.outside)
                anyOutside = true
            } else if v > ucl2[i] || v < lcl2[i] {
                z.insert(.close)
            }
            zone[i] = z
            sequence[m] = i
            m &+= bit(!excluded[i]) & bit(!v.isNaN)
        }
        return (anyOutside, m)
    }

    private mutating func applyRules(_ range: Range<Int>, _ m: Int, _ runsAnalysis: RunsAnalysis, _ options: SPCOptions)
    {
        switch options.rules {
        case .anhoej:
            // qicharts2 marks the whole part when its runs analysis signals; the points of an
            // unusually long run are classed by their side too.
            if runsAnalysis.signal { markPhase(range, .runs) }
            if runsAnalysis.signal, runsAnalysis.longestRun > runsAnalysis.longestRunMax {
                markLongRuns(range, longerThan: runsAnalysis.longestRunMax)
            }
        case .mdc:
            if let length = options.effectiveShiftLength { markShifts(count: m, length: length, ties: .breaksRun) }
            if let length = options.effectiveTrendLength { markTrends(count: m, length: length, ties: .breaksRun) }
            markMakingDataCountTwoOfThree(count: m)
        case .ihi:
            if let length = options.effectiveShiftLength { markShifts(count: m, length: length, ties: .skipped) }
            if let length = options.effectiveTrendLength { markTrends(count: m, length: length, ties: .skipped) }
            if options.chart == .run {
                if tooFewOrTooManyRuns(runsAnalysis) { markPhase(range, .runs) }
            } else {
                markZoneRule(count: m, window: 3, needed: 2, beyond: .twoSigma, signal: .twoOfThree)
                markWithinOneSigma(count: m)
            }
        case .we:
            if let length = options.effectiveShiftLength { markShifts(count: m, length: length, ties: .breaksRun) }
            if let length = options.effectiveTrendLength { markTrends(count: m, length: length, ties: .breaksRun) }
            markZoneRule(count: m, window: 3, needed: 2, beyond: .twoSigma, signal: .twoOfThree)
            markZoneRule(count: m, window: 5, needed: 4, beyond: .oneSigma, signal: .fourOfFive)
        }
    }

    /// IHI's runs test on the phase's useful observations (runs = crossings + 1).
    private mutating func tooFewOrTooManyRuns(_ analysis: RunsAnalysis) -> Bool {
        let n = analysis.useful
        if expectedRunsCache[n] == nil {
            guard let expected = RunsCountTest.expectedRuns(useful: n) else { return false }
            expectedRunsCache[n] = expected
        }
        return !(expectedRunsCache[n]!.contains(analysis.crossings + 1))
    }

    private func markPhase(_ range: Range<Int>, _ signal: SPCSignals) {
        for i in range { signals[i].insert(signal) }
    }

    /// The point's class and the side (+1 high, −1 low, 0 none) that decided it.
    ///
    /// The strongest signal with a side decides, in Making Data Count's precedence
    /// outside > trend > two of three > shift (NHSRplotthedots `ptd_special_cause_type`), with
    /// four of five placed after two of three. An outside point's side is that of the centre
    /// line; a trend's is its direction. Signals without a side (runs, within 1σ) do not class,
    /// except a point of an Anhøj run longer than its limit, classed by its side.
    func pointClass(_ i: Int, direction: ImprovementDirection) -> (PointClass, Int) {
        let s = signals[i]
        let side: Int
        if s.contains(.outside) {
            side = y[i] > cl[i] ? 1 : -1
        } else if s.contains(.trend) {
            side = Int(trendSide[i])
        } else if !s.isDisjoint(with: [.twoOfThree, .fourOfFive, .shift]) || zone[i].contains(.longRun) {
            side = zone[i].side
        } else {
            side = 0
        }
        if side == 0 { return (.common, 0) }
        switch direction {
        case .neutral: return (.neutral, side)
        case .up: return (side > 0 ? .improvement : .concern, side)
        case .down: return (side < 0 ? .improvement : .concern, side)
        }
    }
}
