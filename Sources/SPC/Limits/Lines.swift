extension SeriesColumns {
    /// Sets a point's centre line and its 1σ, 2σ and 3σ lines, clipped to what the statistic
    /// can take.
    ///
    ///     lcl = cl − 3σ,  lcl2 = cl − 2σ,  lcl1 = cl − σ   (and + for the upper lines)
    ///
    /// Clipping follows qicharts2: a finite line beyond the floor or ceiling is moved onto it; an
    /// infinite or NaN line stays undefined (qicharts2 turns every non-finite line into NA).
    func setLines(at i: Int, centre: Double, sigma: Double, floor: Double = -.infinity, ceiling: Double = .infinity) {
        cl[i] = centre
        lcl[i] = clip(centre - 3 * sigma, floor, ceiling)
        ucl[i] = clip(centre + 3 * sigma, floor, ceiling)
        lcl2[i] = clip(centre - 2 * sigma, floor, ceiling)
        ucl2[i] = clip(centre + 2 * sigma, floor, ceiling)
        if wantsOneSigmaLines {
            lcl1[i] = clip(centre - sigma, floor, ceiling)
            ucl1[i] = clip(centre + sigma, floor, ceiling)
        }
    }

    /// The same lines for every point of a phase (charts whose σ does not depend on the point),
    /// computed once and filled in bulk.
    func setLines(
        in range: Range<Int>, centre: Double, sigma: Double, floor: Double = -.infinity, ceiling: Double = .infinity
    ) {
        fill(cl, range, centre)
        fill(lcl, range, clip(centre - 3 * sigma, floor, ceiling))
        fill(ucl, range, clip(centre + 3 * sigma, floor, ceiling))
        fill(lcl2, range, clip(centre - 2 * sigma, floor, ceiling))
        fill(ucl2, range, clip(centre + 2 * sigma, floor, ceiling))
        if wantsOneSigmaLines {
            fill(lcl1, range, clip(centre - sigma, floor, ceiling))
            fill(ucl1, range, clip(centre + sigma, floor, ceiling))
        }
    }

    /// A centre line and no limits (run chart).
    func setCentreOnly(in range: Range<Int>, centre: Double) {
        setLines(in: range, centre: centre, sigma: .nan)
    }

    @inline(__always)
    func fill(_ column: UnsafeMutablePointer<Double>, _ range: Range<Int>, _ value: Double) {
        (column + range.lowerBound).update(repeating: value, count: range.count)
    }
}

/// 1 for true, 0 for false, as a data dependency rather than a branch. The rules step through
/// noisy data where "above or below?" and "same side as before?" are coin tosses; written as
/// `? 1 : 0` the compiler may emit a jump, which is then mispredicted half the time.
@inline(__always)
func bit(_ condition: Bool) -> Int {
    Int(unsafeBitCast(condition, to: UInt8.self))
}

@inline(__always)
func clip(_ x: Double, _ floor: Double, _ ceiling: Double) -> Double {
    guard x.isFinite else { return .nan }
    return x < floor ? floor : (x > ceiling ? ceiling : x)
}

extension SeriesColumns {
    /// Mean of the present values of the phase's baseline points that are not excluded, as R's
    /// `mean(x, na.rm = TRUE)`: the sum over the count, then corrected by the mean residual.
    ///
    /// The second pass is what makes the mean of equal values that value exactly (a plain sum
    /// of thirty 0.1s is not 30 × 0.1), so that all-equal data lie on their centre line and give
    /// no false signal. NaN when there are none.
    func baselineMean(_ values: UnsafeMutablePointer<Double>, _ phase: PhaseSpan) -> Double {
        let excluded = self.excluded
        var first = MeanAccumulator()
        for i in phase.baseline where !excluded[i] { first.add(values[i]) }
        let mean = first.mean
        guard mean.isFinite else { return mean }
        var residual = 0.0
        for i in phase.baseline where !excluded[i] && !values[i].isNaN { residual += values[i] - mean }
        return mean + residual / Double(first.count)
    }
}

/// Running mean that ignores NaN, as R's `mean(x, na.rm = TRUE)`; NaN when nothing was added.
struct MeanAccumulator {
    private(set) var sum = 0.0
    private(set) var count = 0

    @inline(__always)
    mutating func add(_ x: Double) {
        if !x.isNaN {
            sum += x
            count += 1
        }
    }

    var mean: Double { count == 0 ? .nan : sum / Double(count) }
}
