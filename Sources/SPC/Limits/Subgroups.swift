/// Charts of subgroups: X-bar and S, in the shape of qicharts2 `qic.xbar` and `qic.s`.
extension SeriesColumns {
    /// X-bar chart: subgroup means against the weighted grand mean.
    ///
    ///     cl = Σ nᵢx̄ᵢ / Σ nᵢ   (Montgomery eq. 6.30)
    ///     s̄ = mean(sᵢ) for equal sizes, else √(Σ(nᵢ − 1)sᵢ² / Σ(nᵢ − 1))   (eq. 6.29 / 6.31)
    ///     limits cl ± A₃(nᵢ)·s̄
    ///
    /// Sizes count the rows with a value; whether sizes vary is judged over the whole phase, as
    /// qicharts2 does. A subgroup of one row has no A₃, so no limits. (qicharts2 lets a subgroup
    /// with no values add −1 to the pooled degrees of freedom; it adds none here.)
    func xbarChart(_ phase: PhaseSpan) {
        for i in phase.points { y[i] = size[i] > 0 ? value[i] : .nan }
        var weighted = 0.0
        var rows = 0.0
        for i in phase.baseline where !excluded[i] && size[i] > 0 {
            weighted += size[i] * value[i]
            rows += size[i]
        }
        var centre = rows > 0 ? weighted / rows : .nan
        if centre.isFinite {
            // The same residual correction as `baselineMean`, so equal means give exactly that mean.
            var residual = 0.0
            for i in phase.baseline where !excluded[i] && size[i] > 0 { residual += size[i] * (value[i] - centre) }
            centre += residual / rows
        }
        let s = pooledDeviation(phase)
        for i in phase.points {
            cl[i] = centre
            let n = size[i]
            lcl[i] = clip(centre - SubgroupConstants.a3(n) * s, -.infinity, .infinity)
            ucl[i] = clip(centre + SubgroupConstants.a3(n) * s, -.infinity, .infinity)
            lcl2[i] = clip(centre - SubgroupConstants.a3(n, sigmas: 2) * s, -.infinity, .infinity)
            ucl2[i] = clip(centre + SubgroupConstants.a3(n, sigmas: 2) * s, -.infinity, .infinity)
            lcl1[i] = clip(centre - SubgroupConstants.a3(n, sigmas: 1) * s, -.infinity, .infinity)
            ucl1[i] = clip(centre + SubgroupConstants.a3(n, sigmas: 1) * s, -.infinity, .infinity)
        }
    }

    /// S chart: subgroup standard deviations against s̄.
    ///
    ///     cl = s̄ (as for X-bar),   ucl = B₄(nᵢ)·cl,   lcl = B₃(nᵢ)·cl
    ///
    /// Source: Montgomery eq. 6.27–6.31 (via qicharts2 `qic.s`).
    func sChart(_ phase: PhaseSpan) {
        for i in phase.points { y[i] = deviation[i] }
        let centre = pooledDeviation(phase)
        for i in phase.points {
            cl[i] = centre
            let n = size[i]
            lcl[i] = clip(SubgroupConstants.b3(n) * centre, -.infinity, .infinity)
            ucl[i] = clip(SubgroupConstants.b4(n) * centre, -.infinity, .infinity)
            lcl2[i] = clip(SubgroupConstants.b3(n, sigmas: 2) * centre, -.infinity, .infinity)
            ucl2[i] = clip(SubgroupConstants.b4(n, sigmas: 2) * centre, -.infinity, .infinity)
            lcl1[i] = clip(SubgroupConstants.b3(n, sigmas: 1) * centre, -.infinity, .infinity)
            ucl1[i] = clip(SubgroupConstants.b4(n, sigmas: 1) * centre, -.infinity, .infinity)
        }
    }

    /// s̄: the mean SD when every subgroup of the phase has the same size, else the pooled SD.
    private func pooledDeviation(_ phase: PhaseSpan) -> Double {
        var sizesVary = false
        if let first = phase.points.first {
            for i in phase.points where size[i] != size[first] {
                sizesVary = true
                break
            }
        }
        if sizesVary {
            var squares = 0.0
            var freedom = 0.0
            for i in phase.baseline where !excluded[i] && size[i] > 0 {
                if !deviation[i].isNaN { squares += (size[i] - 1) * deviation[i] * deviation[i] }
                freedom += size[i] - 1
            }
            return freedom > 0 ? (squares / freedom).squareRoot() : .nan
        }
        return baselineMean(deviation, phase)
    }
}
