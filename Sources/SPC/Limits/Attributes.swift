/// Charts of counts and proportions: P, P′, C, U and U′, in the shape of qicharts2 `qic.p`,
/// `qic.pp`, `qic.c`, `qic.u` and `qic.up`.
extension SeriesColumns {
    /// P chart: proportions yᵢ/nᵢ; each point has its own limits because denominators differ.
    ///
    ///     p̄ = Σy / Σn,   σᵢ = √(p̄(1 − p̄)/nᵢ),   limits p̄ ± 3σᵢ clipped to [0, 1]
    ///
    /// Source: Montgomery eq. 7.7–7.8 (via qicharts2 `qic.p`).
    func pChart(_ phase: PhaseSpan) {
        copyValuesToY(phase)
        let p = pooledRatio(phase)
        for i in phase.points {
            setLines(at: i, centre: p, sigma: (p * (1 - p) / denominator[i]).squareRoot(), floor: 0, ceiling: 1)
        }
    }

    /// Laney p′ chart: a p chart whose σ is widened (or narrowed) by the variation between
    /// periods, for large denominators where the plain p chart flags almost every point.
    ///
    ///     zᵢ = (pᵢ − p̄)/σᵢ,   σz = mean(|zᵢ − zᵢ₋₁|)/1.128,   limits p̄ ± 3·σᵢ·σz clipped to [0, 1]
    ///
    /// The moving ranges of z are screened like an I chart's when screening is on.
    /// Source: Laney 2002, Improved control charts for attributes (via qicharts2 `qic.pp`).
    func pPrimeChart(_ phase: PhaseSpan, screen: Bool) {
        copyValuesToY(phase)
        let p = pooledRatio(phase)
        let sigmaZ = laneySigmaZ(phase, centre: p, screen: screen) { p, n in (p * (1 - p) / n).squareRoot() }
        for i in phase.points {
            let sigma = (p * (1 - p) / denominator[i]).squareRoot() * sigmaZ
            setLines(at: i, centre: p, sigma: sigma, floor: 0, ceiling: 1)
        }
    }

    /// C chart: counts of events in equal areas of opportunity (a Poisson count).
    ///
    ///     c̄ = mean(y),   σ = √c̄,   limits c̄ ± 3σ, lower at least 0
    ///
    /// Source: Montgomery eq. 7.17 (via qicharts2 `qic.c`).
    func cChart(_ phase: PhaseSpan) {
        (y + phase.points.lowerBound).update(from: sum + phase.points.lowerBound, count: phase.points.count)
        let c = baselineMean(sum, phase)
        setLines(in: phase.points, centre: c, sigma: c.squareRoot(), floor: 0)
    }

    /// U chart: events per unit of exposure, e.g. falls per 1,000 bed days.
    ///
    ///     ū = Σy / Σn,   σᵢ = √(ū / nᵢ),   limits ū ± 3σᵢ, lower at least 0
    ///
    /// Source: Montgomery eq. 7.19 (via qicharts2 `qic.u`).
    func uChart(_ phase: PhaseSpan) {
        copyValuesToY(phase)
        let u = pooledRatio(phase)
        for i in phase.points { setLines(at: i, centre: u, sigma: (u / denominator[i]).squareRoot(), floor: 0) }
    }

    /// Laney u′ chart: the u chart's σᵢ = √(ū/nᵢ) widened by σz as in the p′ chart.
    ///
    /// Source: Laney 2002 (via qicharts2 `qic.up`).
    func uPrimeChart(_ phase: PhaseSpan, screen: Bool) {
        copyValuesToY(phase)
        let u = pooledRatio(phase)
        let sigmaZ = laneySigmaZ(phase, centre: u, screen: screen) { u, n in (u / n).squareRoot() }
        for i in phase.points {
            setLines(at: i, centre: u, sigma: (u / denominator[i]).squareRoot() * sigmaZ, floor: 0)
        }
    }

    /// Σy / Σn over the baseline points not excluded (each sum ignoring missing values).
    private func pooledRatio(_ phase: PhaseSpan) -> Double {
        var numerator = 0.0
        var denominators = 0.0
        for i in phase.baseline where !excluded[i] {
            if !sum[i].isNaN { numerator += sum[i] }
            if !denominator[i].isNaN { denominators += denominator[i] }
        }
        return numerator / denominators
    }

    /// σz: the average moving range of the standardised values zᵢ = (yᵢ − centre)/σᵢ over d₂.
    private func laneySigmaZ(
        _ phase: PhaseSpan, centre: Double, screen: Bool, sigma: (Double, Double) -> Double
    ) -> Double {
        for i in phase.baseline {
            let z = (y[i] - centre) / sigma(centre, denominator[i])
            scratch[i] = z.isFinite ? z : .nan
        }
        return averageMovingRange(scratch, phase.baseline, screen: screen) / 1.128
    }
}
