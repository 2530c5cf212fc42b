/// Making Data Count's "two of three" rule (NHS England; NHSRplotthedots `ptd_two_in_three`,
/// `ptd_part_of_two_in_three` in R/ptd_calculate_point_type.R).
extension SeriesColumns {
    /// Marks points close to a limit — strictly between the 2σ line and the 3σ limit — that have
    /// another close point within three consecutive points all on the same side of the mean.
    ///
    /// Only the close points are flagged: a point beyond the limit is already an outside point
    /// and does not count towards the two, and the third point may be anywhere on that side
    /// (but not on the mean). One pass with a sliding window of three.
    func markMakingDataCountTwoOfThree(count m: Int) {
        guard m >= 3 else { return }
        let sequence = self.sequence
        let signals = self.signals
        let zone = self.zone
        // Window of the last three points: index, side (−1, 0, +1) and whether close.
        var i0 = 0
        var i1 = 0
        var side0 = 0
        var side1 = 0
        var close0 = false
        var close1 = false
        for k in 0..<m {
            let i2 = sequence[k]
            let side2 = zone[i2].side
            let close2 = zone[i2].contains(.close)
            // One branch, rarely taken: the window test itself is arithmetic (see `bit`).
            let sameSide = bit(side2 != 0) & bit(side0 == side2) & bit(side1 == side2)
            let closeCount = bit(close0) &+ bit(close1) &+ bit(close2)
            if bit(k >= 2) & sameSide & bit(closeCount >= 2) != 0 {
                if close0 { signals[i0].insert(.twoOfThree) }
                if close1 { signals[i1].insert(.twoOfThree) }
                if close2 { signals[i2].insert(.twoOfThree) }
            }
            (i0, side0, close0) = (i1, side1, close1)
            (i1, side1, close1) = (i2, side2, close2)
        }
    }
}
