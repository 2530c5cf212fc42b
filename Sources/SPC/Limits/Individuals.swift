/// Individuals charts: run, I (XmR), MR, T and G, each as one small function in the shape of
/// qicharts2's `qic.run`, `qic.i`, `qic.mr`, `qic.t` and `qic.g` (R/helper.functions.R).
extension SeriesColumns {
    /// Run chart: the values against their median; no limits.
    ///
    ///     cl = median(y of the baseline points)
    ///
    /// Source: qicharts2 `qic.run`; Anhøj & Olesen 2014 (the median makes the runs analysis
    /// independent of the distribution).
    func runChart(_ phase: PhaseSpan) {
        copyValuesToY(phase)
        setCentreOnly(in: phase.points, centre: baselineMedian(of: value, phase))
    }

    /// I chart (XmR): each value against the mean ± 3σ, σ estimated from the moving ranges.
    ///
    ///     cl = ȳ,   MRᵢ = |yᵢ − yᵢ₋₁|,   σ = mean(MR) / d₂,   d₂ = 1.128 (n = 2)
    ///
    /// With Making Data Count rules the limits are ȳ ± 2.66·mean(MR) exactly, i.e.
    /// σ = 2.66/3 · mean(MR) (NHSRplotthedots `ptd_spc_standard`: `limit <- 2.66`).
    /// Moving ranges are taken between consecutive baseline points that are not excluded; a
    /// missing value leaves a gap (both ranges next to it are missing), as in both peers.
    /// Source: Montgomery, Introduction to Statistical Quality Control, eq. 6.33 (via qicharts2 `qic.i`).
    func iChart(_ phase: PhaseSpan, mdcConstant: Bool, screen: Bool) {
        copyValuesToY(phase)
        let (centre, sigma) = individualsCentreAndSigma(value, phase, mdcConstant: mdcConstant, screen: screen)
        setLines(in: phase.points, centre: centre, sigma: sigma)
    }

    /// Mean and σ of an individuals series: the shared core of the I and T charts.
    ///
    /// Two passes over the baseline: sums of the values and of the moving ranges, then the mean's
    /// residual correction (see `baselineMean`) and the screened ranges.
    func individualsCentreAndSigma(
        _ values: UnsafeMutablePointer<Double>, _ phase: PhaseSpan, mdcConstant: Bool, screen: Bool
    ) -> (centre: Double, sigma: Double) {
        let excluded = self.excluded
        var sum = MeanAccumulator()
        var ranges = MeanAccumulator()
        var previous = Double.nan
        for i in phase.baseline where !excluded[i] {
            let v = values[i]
            sum.add(v)
            ranges.add(abs(v - previous))
            previous = v
        }
        var centre = sum.mean
        let upperRangeLimit = 3.267 * ranges.mean  // D₄ for n = 2, Montgomery table VI
        var residual = 0.0
        var kept = MeanAccumulator()
        previous = .nan
        for i in phase.baseline where !excluded[i] {
            let v = values[i]
            if !v.isNaN { residual += v - centre }
            let range = abs(v - previous)
            if range < upperRangeLimit { kept.add(range) }
            previous = v
        }
        if centre.isFinite { centre += residual / Double(sum.count) }
        let averageRange = screen ? kept.mean : ranges.mean
        // d₂ = 1.128 for ranges of two (Montgomery table VI); MDC's 2.66 = 3/1.128 rounded.
        let sigma = mdcConstant ? averageRange * 2.66 / 3 : averageRange / 1.128
        return (centre, sigma)
    }

    /// mean(MR) over consecutive included points of `range`, optionally screened.
    ///
    /// Screening (Nelson 1982; qicharts2 `qic.screenedmr`, NHSRplotthedots `screen_outliers`):
    /// moving ranges not below 3.267 · mean(MR) are dropped once and the mean recomputed. When
    /// every range is zero nothing is below 0, so the mean, σ and the limits are undefined: this
    /// is why all-equal data get null limits (and no false signals) in both peers.
    func averageMovingRange(_ values: UnsafeMutablePointer<Double>, _ range: Range<Int>, screen: Bool) -> Double {
        var all = MeanAccumulator()
        forEachMovingRange(values, range) { all.add($0) }
        guard screen else { return all.mean }
        let upperRangeLimit = 3.267 * all.mean  // D₄ for n = 2, Montgomery table VI
        var kept = MeanAccumulator()
        forEachMovingRange(values, range) { if $0 < upperRangeLimit { kept.add($0) } }
        return kept.mean
    }

    @inline(__always)
    func forEachMovingRange(_ values: UnsafeMutablePointer<Double>, _ range: Range<Int>, _ body: (Double) -> Void) {
        let excluded = self.excluded
        var previous = Double.nan
        for i in range where !excluded[i] {
            let v = values[i]
            let range = abs(v - previous)
            if !range.isNaN { body(range) }
            previous = v
        }
    }

    /// MR chart: the moving ranges themselves.
    ///
    ///     MRᵢ = |yᵢ − yᵢ₋₁|,  cl = mean(MR),  ucl = D₄·cl = 3.267·cl,  lcl = 0,  ucl2 = (3.267/3)·2·cl
    ///
    /// Ranges are between neighbouring points of the phase (the first has none); the centre
    /// line averages those of baseline points not excluded; no screening (as qicharts2 `qic.mr`).
    /// Source: Montgomery eq. 6.33 and table VI (via qicharts2 `qic.mr`).
    func mrChart(_ phase: PhaseSpan) {
        var previous = Double.nan
        for i in phase.points {
            y[i] = abs(value[i] - previous)
            previous = value[i]
        }
        let c = baselineMean(y, phase)
        let step = 3.267 / 3 * c  // qicharts2 draws the 2σ line at (3.267/3)·2·cl
        for i in phase.points {
            cl[i] = c
            ucl[i] = clip(3.267 * c, 0, .infinity)
            ucl2[i] = clip(2 * step, 0, .infinity)
            ucl1[i] = clip(step, 0, .infinity)
            let zero = c.isFinite ? 0.0 : Double.nan
            lcl[i] = zero
            lcl2[i] = zero
            lcl1[i] = zero
        }
    }

    /// T chart: time between rare events, made near-normal by a power transform.
    ///
    ///     yᵢ' = yᵢ^(1/3.6),  I chart on y',  then cl, limits (and the 1σ, 2σ lines) ^ 3.6
    ///
    /// A lower limit below 0 becomes 0; a 2σ line below 0 has no real power and stays undefined,
    /// as in qicharts2 (which also sets the lower limit to 0 when σ is undefined; here it stays
    /// undefined, like the upper limit). Times must be positive: qicharts2 stops on zero or
    /// negative times; here they are treated as missing, and `SPCChart.validate` reports them.
    /// Source: Montgomery section 7.3.5, Nelson 1994 (via qicharts2 `qic.t`).
    func tChart(_ phase: PhaseSpan, mdcConstant: Bool, screen: Bool) {
        for i in phase.points {
            let v = value[i]
            scratch[i] = v > 0 ? RealFunctions.pow(v, 1 / 3.6) : .nan
        }
        let (centre, sigma) = individualsCentreAndSigma(scratch, phase, mdcConstant: mdcConstant, screen: screen)
        let back = { (x: Double) -> Double in RealFunctions.pow(x, 3.6) }
        let lower = centre - 3 * sigma
        for i in phase.points {
            // The plotted value goes through the same round trip as the centre line (as in
            // qicharts2), so equal times sit exactly on the line rather than an ulp off it.
            y[i] = back(scratch[i])
            cl[i] = back(centre)
            ucl[i] = clip(back(centre + 3 * sigma), -.infinity, .infinity)
            lcl[i] = lower.isNaN ? .nan : (lower < 0 ? 0 : back(lower))
            ucl2[i] = clip(back(centre + 2 * sigma), -.infinity, .infinity)
            lcl2[i] = clip(back(centre - 2 * sigma), -.infinity, .infinity)
            ucl1[i] = clip(back(centre + sigma), -.infinity, .infinity)
            lcl1[i] = clip(back(centre - sigma), -.infinity, .infinity)
        }
    }

    /// G chart: opportunities (cases, days) between rare events, a geometric distribution.
    ///
    ///     m̄ = mean(y),  σ = √(m̄(m̄ + 1)),  limits m̄ ± 3σ, lower at least 0;  cl = median(y)
    ///
    /// The limits come from the mean, but the centre line shown (and used by the runs analysis)
    /// is the median, because the geometric distribution is skewed: half the points fall on
    /// either side of the median, not of the mean.
    /// Source: Montgomery p. 319; Provost & Murray 2011 (via qicharts2 `qic.g`).
    func gChart(_ phase: PhaseSpan) {
        copyValuesToY(phase)
        let m = baselineMean(value, phase)
        let sigma = (m * (m + 1)).squareRoot()
        setLines(in: phase.points, centre: m, sigma: sigma, floor: 0)
        fill(cl, phase.points, baselineMedian(of: value, phase))
    }

    // MARK: Helpers

    func copyValuesToY(_ phase: PhaseSpan) {
        (y + phase.points.lowerBound).update(from: value + phase.points.lowerBound, count: phase.points.count)
    }

    /// Median of the baseline's included, present values (R `median(x, na.rm = TRUE)`).
    func baselineMedian(of values: UnsafeMutablePointer<Double>, _ phase: PhaseSpan) -> Double {
        var n = 0
        for i in phase.baseline where !excluded[i] {
            let v = values[i]
            if !v.isNaN {
                scratch[n] = v
                n += 1
            }
        }
        return median(ofFirst: n, in: scratch, work: work1, work2)
    }
}
