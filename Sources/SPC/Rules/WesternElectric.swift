/// Zone rules of the Western Electric Statistical Quality Control Handbook (1956), also used by
/// the IHI rule set (Provost & Murray, The Health Care Data Guide, 2011, ch. 5).
extension SeriesColumns {
    /// Which line a zone rule counts points beyond.
    enum SigmaLine {
        case twoSigma
        case oneSigma
    }

    /// Marks `needed` of `window` consecutive points beyond the given line on the same side:
    /// 2 of 3 beyond 2σ (rule 2) and 4 of 5 beyond 1σ (rule 3). Points beyond the 3σ limit count
    /// too, as the handbook's zones are cumulative. The points beyond the line in a qualifying
    /// window are flagged.
    func markZoneRule(count m: Int, window: Int, needed: Int, beyond line: SigmaLine, signal: SPCSignals) {
        guard m >= window else { return }
        for k in 0...(m - window) {
            var above = 0
            var below = 0
            for j in k..<(k + window) {
                let side = sideBeyond(line, sequence[j])
                if side > 0 { above += 1 } else if side < 0 { below += 1 }
            }
            if above >= needed { flagBeyond(line, side: 1, from: k, count: window, signal) }
            if below >= needed { flagBeyond(line, side: -1, from: k, count: window, signal) }
        }
    }

    private func flagBeyond(_ line: SigmaLine, side: Int, from k: Int, count window: Int, _ signal: SPCSignals) {
        for j in k..<(k + window) where sideBeyond(line, sequence[j]) == side { signals[sequence[j]].insert(signal) }
    }

    @inline(__always)
    private func sideBeyond(_ line: SigmaLine, _ i: Int) -> Int {
        let v = y[i]
        switch line {
        case .twoSigma: return v > ucl2[i] ? 1 : (v < lcl2[i] ? -1 : 0)
        case .oneSigma: return v > ucl1[i] ? 1 : (v < lcl1[i] ? -1 : 0)
        }
    }
}
