/// The Anhøj runs analysis of one phase (qicharts2 `runs.analysis`, R/helper.functions.R).
///
/// Useful observations are the points that are neither missing, excluded nor on the centre line;
/// points on the line neither extend nor break a run. Two tests, each with a false-signal rate
/// near 5% whatever the number of points:
///
///     longest run on one side > round(log₂ n) + 3                 (Schilling 2012)
///     crossings of the centre line < qbinom(0.05, n − 1, ½)       (Chen 2010, eq. 7)
///
/// Source: Anhøj & Olesen, Run charts revisited, PLoS ONE 2014; Anhøj 2015.
struct RunsAnalysis: Sendable, Hashable {
    var useful = 0
    var longestRun = 0
    var longestRunMax = 0
    var crossings = 0
    var crossingsMin = 0
    /// qicharts2 reports the runs analysis of an MR chart but never signals on it: consecutive
    /// moving ranges share a point, so they are not independent and the runs limits do not hold.
    var applies = true
    /// Some point of the phase is beyond its limits (qicharts2 `sigma.signal`).
    var anyOutside = false

    /// The Anhøj signal; never for a phase without useful observations.
    var signal: Bool {
        applies && useful > 0 && (longestRun > longestRunMax || crossings < crossingsMin)
    }
}

extension SeriesColumns {
    /// Runs analysis of the included, present points of a phase against its centre line.
    func anhoejRunsAnalysis(_ phase: Range<Int>) -> RunsAnalysis {
        let zone = self.zone
        let excluded = self.excluded
        var result = RunsAnalysis()
        var side = 0  // side of the current run: +1 above, −1 below, 0 before the first
        var run = 0
        var useful = 0
        var crossings = 0
        var longest = 0
        for i in phase {
            let s = zone[i].side
            if s == 0 || excluded[i] { continue }  // on the line, missing or excluded: skipped
            useful &+= 1
            // Arithmetic instead of branches: whether a point continues the run is a coin toss.
            let same = bit(s == side)
            crossings &+= bit(side != 0) & (1 &- same)
            run = run &* same &+ 1
            longest = max(longest, run)
            side = s
        }
        result.useful = useful
        result.crossings = crossings
        result.longestRun = longest
        if result.useful > 0 {
            result.longestRunMax = roundedLog2(result.useful) + 3
            result.crossingsMin = Binomial.crossingsMinimum(useful: result.useful)
        }
        return result
    }

    /// Marks each point of a run longer than the phase's limit (`Zone.longRun`), so that words,
    /// classes and icons agree with the runs signal (`../shared/SPC.md`, rule set `anhoej`). Runs
    /// are counted as `anhoejRunsAnalysis` counts them: points on the line, missing or excluded
    /// neither extend nor break a run, and are not marked.
    func markLongRuns(_ phase: Range<Int>, longerThan limit: Int) {
        let zone = self.zone
        let excluded = self.excluded
        var side = 0
        var members: [Int] = []
        func close() {
            if members.count > limit { for i in members { zone[i].insert(.longRun) } }
            members.removeAll(keepingCapacity: true)
        }
        for i in phase {
            let s = zone[i].side
            if s == 0 || excluded[i] { continue }
            if s != side { close() }
            side = s
            members.append(i)
        }
        close()
    }
}
