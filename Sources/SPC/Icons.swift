/// Making Data Count's icons (NHS England, "Making Data Count: getting started", 2019).
extension VariationIcon {
    /// The icon for the latest point, from its class and side.
    ///
    /// Improvement is drawn high when higher is better, low when lower is better, and concern
    /// the other way round; with no preferred direction, a special cause is neutral high or low.
    /// Source: NHSRplotthedots `ptd_get_icons` (R/geom_ptd_icon.R).
    init(pointClass: PointClass, side: Int, direction: ImprovementDirection) {
        switch pointClass {
        case .common: self = .commonCause
        case .neutral: self = side > 0 ? .neutralHigh : .neutralLow
        case .improvement: self = direction == .down ? .improvementLow : .improvementHigh
        case .concern: self = direction == .down ? .concernHigh : .concernLow
        }
    }
}

extension AssuranceIcon {
    /// Whether the latest point's limits put the target always met, never met, or sometimes.
    ///
    ///     higher is better: target < lcl → pass,  target > ucl → fail,  else hit and miss
    ///     lower is better:  target > ucl → pass,  target < lcl → fail,  else hit and miss
    ///
    /// nil with no target, no preferred direction, or limits that are undefined (NHSRplotthedots
    /// would call undefined limits "inconsistent"; without limits there is nothing to assure).
    /// Source: NHSRplotthedots `ptd_calculate_assurance_type`.
    init?(target: Double?, direction: ImprovementDirection, lcl: Double?, ucl: Double?) {
        guard let target, direction != .neutral, let lcl, let ucl else { return nil }
        let higherIsBetter = direction == .up
        if target > ucl {
            self = higherIsBetter ? .fail : .pass
        } else if target < lcl {
            self = higherIsBetter ? .pass : .fail
        } else {
            self = .hitAndMiss
        }
    }
}
