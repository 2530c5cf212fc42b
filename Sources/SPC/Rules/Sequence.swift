/// What a rule does with a point exactly on the centre line (or, for trends, equal to the one before).
enum TieHandling {
    /// The point ends the run (Making Data Count: "a point exactly on the mean breaks it").
    case breaksRun
    /// The point is passed over: it neither extends nor breaks the run (Anhøj, and IHI: "skip
    /// values that fall on the median", "if two points are the same, ignore one").
    case skipped
}

extension SeriesColumns {
    /// Marks shifts: `length` or more consecutive points on one side of the centre line.
    ///
    /// Source: NHSRplotthedots `ptd_seven_point_one_side_mean` (Making Data Count, 7 points);
    /// Provost & Murray 2011 (IHI, 8 points, or 6 on a run chart); Western Electric rule 4 (8).
    func markShifts(count m: Int, length: Int, ties: TieHandling) {
        let sequence = self.sequence
        let zone = self.zone
        var runStart = 0  // position in `sequence` where the current run began
        var runLength = 0
        var side = 0
        for k in 0..<m {
            let s = zone[sequence[k]].side
            if s == 0 {
                if ties == .skipped { continue }
                flagRun(.shift, from: runStart, to: k, length: runLength, minimum: length)
                runLength = 0
                side = 0
                continue
            }
            // Branch-free bookkeeping (see `bit`); only the rare end of a long run branches.
            let same = bit(s == side)
            if (1 &- same) & bit(runLength >= length) != 0 {
                flagRun(.shift, from: runStart, to: k, length: runLength, minimum: length)
            }
            runStart = runStart &* same &+ k &* (1 &- same)
            runLength = runLength &* same &+ 1
            side = s
        }
        flagRun(.shift, from: runStart, to: m, length: runLength, minimum: length)
    }

    /// Flags the off-line points among sequence positions start..<end when the run is long enough.
    private func flagRun(_ signal: SPCSignals, from start: Int, to end: Int, length: Int, minimum: Int) {
        guard length >= minimum else { return }
        let zone = self.zone
        let sequence = self.sequence
        let signals = self.signals
        for k in start..<end {
            let i = sequence[k]
            if zone[i].side != 0 { signals[i].insert(signal) }
        }
    }

    /// Marks trends: `length` or more consecutive points each strictly above (or below) the one
    /// before, i.e. length − 1 steps the same way. A trend may cross the centre line.
    ///
    /// With ties `.breaksRun` an equal neighbour ends the trend (NHSRplotthedots
    /// `ptd_seven_point_trend`: `sign(diff(y))` must be all 1 or all −1); with `.skipped` the
    /// repeated point is ignored and the comparison is with the last point that counted (IHI).
    /// Each point records the trend's direction; where a falling trend starts at the peak of a
    /// rising one the point takes the later trend's direction, as NHSRplotthedots does.
    func markTrends(count m: Int, length: Int, ties: TieHandling) {
        guard m > 1 else { return }
        let y = self.y
        let sequence = self.sequence
        var runStart = 0
        var steps = 0
        var direction = 0
        var previous = y[sequence[0]]
        var previousPosition = 0  // the point the next step is measured from
        for k in 1..<m {
            let v = y[sequence[k]]
            let step = v - previous
            if step == 0 {
                if ties == .skipped { continue }
                flagTrend(from: runStart, through: k - 1, steps: steps, minimum: length, direction: direction)
                runStart = k
                steps = 0
                direction = 0
                previous = v
                previousPosition = k
                continue
            }
            // Branch-free bookkeeping (see `bit`); only the rare end of a long trend branches.
            let s = bit(step > 0) &* 2 &- 1
            let same = bit(s == direction)
            if (1 &- same) & bit(steps &+ 1 >= length) != 0 {
                flagTrend(from: runStart, through: k - 1, steps: steps, minimum: length, direction: direction)
            }
            // A new trend starts at the turning point, which belongs to both.
            runStart = runStart &* same &+ previousPosition &* (1 &- same)
            steps = steps &* same &+ 1
            direction = s
            previous = v
            previousPosition = k
        }
        flagTrend(from: runStart, through: m - 1, steps: steps, minimum: length, direction: direction)
    }

    private func flagTrend(from start: Int, through end: Int, steps: Int, minimum: Int, direction: Int) {
        guard steps + 1 >= minimum, direction != 0 else { return }
        let side: Int8 = direction > 0 ? 1 : -1
        var last = Double.nan
        for k in start...end {
            let i = sequence[k]
            if y[i] == last { continue }  // a skipped tie is not part of the trend
            signals[i].insert(.trend)
            trendSide[i] = side
            last = y[i]
        }
    }
}
