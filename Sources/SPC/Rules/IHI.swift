/// Rules of the IHI rule set that the others lack (Provost & Murray, The Health Care Data
/// Guide, 2011; Perla, Provost & Murray, The run chart, BMJ Qual Saf 2011).
extension SeriesColumns {
    /// Marks 15 or more consecutive points strictly inside the 1σ lines (less variation than the
    /// limits say: often a sign that the data mix sources, or the limits are wrong).
    ///
    /// Points exactly on the centre line are passed over, so that all-equal data — which have
    /// zero-width or undefined 1σ lines — give no signal.
    func markWithinOneSigma(count m: Int, length: Int = 15) {
        var runStart = 0
        var runLength = 0
        for k in 0..<m {
            let i = sequence[k]
            if y[i] == cl[i] { continue }
            if y[i] > lcl1[i] && y[i] < ucl1[i] {
                if runLength == 0 { runStart = k }
                runLength += 1
            } else {
                flagWithin(from: runStart, to: k, length: runLength, minimum: length)
                runLength = 0
            }
        }
        flagWithin(from: runStart, to: m, length: runLength, minimum: length)
    }

    private func flagWithin(from start: Int, to end: Int, length: Int, minimum: Int) {
        guard length >= minimum else { return }
        for k in start..<end {
            let i = sequence[k]
            if y[i] != cl[i] { signals[i].insert(.withinOneSigma) }
        }
    }
}

/// IHI's "too few or too many runs" test for run charts.
///
/// A run is a series of points on one side of the median (points on it are skipped), so
/// runs = crossings + 1. Under randomness with n useful observations split ⌊n/2⌋ / ⌈n/2⌉ either
/// side, the number of runs R has the distribution of Swed & Eisenhart (1943):
///
///     P(R = 2k)     = 2·C(n₁−1, k−1)·C(n₂−1, k−1) / C(n, n₁)
///     P(R = 2k + 1) = [C(n₁−1, k−1)·C(n₂−1, k) + C(n₁−1, k)·C(n₂−1, k−1)] / C(n, n₁)
///
/// Provost & Murray's table of limits comes from these tails at about 5% in all; here the test
/// signals when P(R ≤ runs) ≤ 2.5% (too few) or P(R ≥ runs) ≤ 2.5% (too many), computed exactly
/// rather than read from the printed table (which stops at 60 points).
enum RunsCountTest {
    /// Whether `runs` runs among `useful` observations is too few or too many; false below 10
    /// useful observations, where the book does not apply the test.
    static func signals(runs: Int, useful n: Int) -> Bool {
        guard let expected = expectedRuns(useful: n) else { return false }
        return !expected.contains(runs)
    }

    /// The numbers of runs that are not a signal for `n` useful observations: from the fewest
    /// with P(R ≤ r) > 2.5% to the most with P(R ≥ r) > 2.5%; nil below 10 observations.
    static func expectedRuns(useful n: Int) -> ClosedRange<Int>? {
        guard n >= 10 else { return nil }
        let n1 = n / 2
        let n2 = n - n1
        let total = logChoose(n, n1)
        var fewest = 2
        var tail = 0.0
        while fewest < n {
            tail += probabilityOfRuns(fewest, n1, n2, logTotal: total)
            if tail > 0.025 { break }
            fewest += 1
        }
        var most = n
        tail = 0
        while most > fewest {
            tail += probabilityOfRuns(most, n1, n2, logTotal: total)
            if tail > 0.025 { break }
            most -= 1
        }
        return fewest...most
    }

    private static func probabilityOfRuns(_ r: Int, _ n1: Int, _ n2: Int, logTotal: Double) -> Double {
        if r % 2 == 0 {
            let k = r / 2
            return 2 * exp(logChoose(n1 - 1, k - 1) + logChoose(n2 - 1, k - 1) - logTotal)
        }
        let k = (r - 1) / 2
        return exp(logChoose(n1 - 1, k - 1) + logChoose(n2 - 1, k) - logTotal)
            + exp(logChoose(n1 - 1, k) + logChoose(n2 - 1, k - 1) - logTotal)
    }

    /// ln C(n, k) = ln n! − ln k! − ln (n − k)!; −∞ when k is out of range.
    private static func logChoose(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, n >= 0, k <= n else { return -.infinity }
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k)
    }

    private static func logFactorial(_ n: Int) -> Double {
        if n < logFactorials.count { return logFactorials[n] }
        var total = logFactorials[logFactorials.count - 1]
        for j in logFactorials.count...max(n, logFactorials.count) { total += RealFunctions.log(Double(j)) }
        return total
    }

    /// ln k! for k < 2,048, built once on first use.
    private static let logFactorials: [Double] = {
        var table = [0.0]
        for k in 1..<2048 { table.append(table[k - 1] + RealFunctions.log(Double(k))) }
        return table
    }()

    private static func exp(_ x: Double) -> Double { x == -.infinity ? 0 : RealFunctions.exp(x) }
}
