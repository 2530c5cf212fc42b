extension SeriesColumns {
    /// Loads rows, merging neighbours that share an x into one subgroup, as qicharts2 `qic.agg`
    /// does (it splits by x); `firstRows` receives each subgroup's first row and `phaseLabels`
    /// each phase's label.
    ///
    /// Conventions, from qicharts2 `qic` and `qic.agg`:
    /// - When the series has denominators (any row has n), a row missing y or n counts as
    ///   missing both (`complete.cases(y, n)`), and the value is Σy/Σn over the subgroup;
    ///   otherwise it is the mean of y (`agg.fun = "mean"`).
    /// - A zero Σn leaves the value undefined (qicharts2 would plot ±Inf or NaN and drop the
    ///   limits; OpenQI treats the point as missing so every JSON number is finite).
    /// - A subgroup with no values is missing. (qicharts2 sums an all-missing multi-row
    ///   subgroup to 0 for c charts; an absent count is not a zero count, so OpenQI differs.)
    /// - A phase label not seen before starts a new phase (qicharts2 `part` as labels: the first
    ///   occurrence of each label is a break point); a missing label is a label of its own.
    /// - A subgroup is excluded when any of its rows is.
    mutating func load(_ rows: [SPCPoint], firstRows: inout [Int], phaseLabels: inout [String?]) {
        firstRows.removeAll(keepingCapacity: true)
        phaseLabels.removeAll(keepingCapacity: true)
        var hasDenominators = false
        for row in rows where row.n != nil {
            hasDenominators = true
            break
        }
        // Count subgroups first so the columns are sized once.
        var subgroups = 0
        for r in rows.indices where r == 0 || rows[r].x != rows[r - 1].x { subgroups += 1 }
        reset(count: subgroups)
        clearSignals()

        var k = -1
        var phaseStart = 0
        var r = 0
        while r < rows.count {
            var end = r + 1
            while end < rows.count && rows[end].x == rows[r].x { end += 1 }
            k += 1
            firstRows.append(r)
            // A new phase label starts a phase, as long as it is not the first subgroup.
            let label = rows[r].phase
            if !phaseLabels.contains(where: { $0 == label }) {
                if k > 0 {
                    phases.append(phaseStart..<k)
                    phaseStart = k
                }
                phaseLabels.append(label)
            }
            aggregate(rows[r..<end], into: k, hasDenominators: hasDenominators)
            r = end
        }
        if subgroups > 0 { phases.append(phaseStart..<subgroups) }
    }

    private func aggregate(_ rows: ArraySlice<SPCPoint>, into k: Int, hasDenominators: Bool) {
        var ySum = 0.0
        var nSum = 0.0
        var values = 0
        var isExcluded = false
        for row in rows {
            if row.excluded { isExcluded = true }
            guard let y = usable(row, hasDenominators) else { continue }
            if hasDenominators { nSum += row.n! }
            values += 1
            ySum += y
        }
        // Two passes, as R's mean() and sd(): the mean, a correction from the residuals, then
        // the sum of squared deviations.
        var mean = ySum / Double(max(values, 1))
        var squares = 0.0
        if values > 1 {
            var residual = 0.0
            for row in rows { if let y = usable(row, hasDenominators) { residual += y - mean } }
            mean += residual / Double(values)
            for row in rows {
                if let y = usable(row, hasDenominators) { squares += (y - mean) * (y - mean) }
            }
        }
        excluded[k] = isExcluded
        size[k] = Double(values)
        sum[k] = values > 0 ? ySum : .nan
        denominator[k] = hasDenominators ? (values > 0 ? nSum : .nan) : .nan
        deviation[k] = values > 1 ? (squares / Double(values - 1)).squareRoot() : .nan
        if values == 0 {
            value[k] = .nan
        } else if hasDenominators {
            value[k] = nSum > 0 ? ySum / nSum : .nan
        } else {
            value[k] = mean
        }
    }

    /// A row's y when it counts: present, finite, and with a finite n when the series has denominators.
    private func usable(_ row: SPCPoint, _ hasDenominators: Bool) -> Double? {
        guard let y = row.y, y.isFinite else { return nil }
        if hasDenominators {
            guard let n = row.n, n.isFinite else { return nil }
        }
        return y
    }

    /// Loads one value (and denominator) per point, in one phase, with nothing excluded: the
    /// dashboard path, where rows never need merging. NaN marks a missing value.
    mutating func load(values: ArraySlice<Double>, denominators: ArraySlice<Double>?) {
        let n = values.count
        reset(count: n)
        clearSignals()
        let value = self.value
        let sum = self.sum
        let size = self.size
        let denominator = self.denominator
        deviation.update(repeating: .nan, count: n)
        excluded.update(repeating: false, count: n)
        values.withUnsafeBufferPointer { values in
            if let denominators {
                denominators.withUnsafeBufferPointer { denominators in
                    for k in 0..<n {
                        let v = values[k]
                        let den = k < denominators.count ? denominators[k] : .nan
                        let complete = v.isFinite && den.isFinite
                        value[k] = complete && den > 0 ? v / den : .nan
                        sum[k] = complete ? v : .nan
                        denominator[k] = complete ? den : .nan
                        size[k] = complete ? 1 : 0
                    }
                }
            } else {
                denominator.update(repeating: .nan, count: n)
                for k in 0..<n {
                    let v = values[k]
                    let present = v.isFinite
                    value[k] = present ? v : .nan
                    sum[k] = present ? v : .nan
                    size[k] = present ? 1 : 0
                }
            }
        }
        if n > 0 { phases.append(0..<n) }
    }
}
