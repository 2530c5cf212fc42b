/// Reusable working memory for computing many charts: create one per thread (or task) and call
/// it for each series. Its columns keep their capacity between calls, so summarising a
/// dashboard of thousands of series allocates nothing per point.
///
///     var workspace = SPCWorkspace()
///     for (name, points) in table {
///         let summary = workspace.summarise(points, options: options, series: name)
///     }
public struct SPCWorkspace: Sendable {
    private var columns = SeriesColumns()
    private var firstRows: [Int] = []
    private var phaseLabels: [String?] = []

    public init() {}

    /// Copy on write: a copy of a workspace gets its own columns the first time it is used, so
    /// two copies never write the same memory.
    private mutating func ownColumns() {
        columns.makeUnique()
    }

    /// The full chart of one series: every point, every phase and the icons.
    public mutating func compute(_ points: [SPCPoint], options: SPCOptions) -> SPCResult {
        ownColumns()
        columns.load(points, firstRows: &firstRows, phaseLabels: &phaseLabels)
        columns.analyse(options)
        var results: [SPCResult.Point] = []
        results.reserveCapacity(columns.count)
        var phaseIndex = 0
        for k in 0..<columns.count {
            while columns.phases[phaseIndex].upperBound <= k { phaseIndex += 1 }
            let rowEnd = k + 1 < firstRows.count ? firstRows[k + 1] : points.count
            results.append(
                point(
                    k, x: points[firstRows[k]].x, note: note(points[firstRows[k]..<rowEnd]),
                    phase: phaseIndex, options: options))
        }
        let last = columns.count - 1
        return SPCResult(
            chart: options.chart, rules: options.rules, direction: options.direction, target: options.target,
            points: results, phases: columns.phases.indices.map { phase($0, options) },
            variation: variation(options), assurance: last >= 0 ? assurance(results[last], options) : nil)
    }

    /// A one-line summary of one series, as `openqi spc --by series` prints it.
    public mutating func summarise(_ points: [SPCPoint], options: SPCOptions, series: String = "") -> SeriesSummary {
        ownColumns()
        columns.load(points, firstRows: &firstRows, phaseLabels: &phaseLabels)
        columns.analyse(options)
        let last = columns.count - 1
        let lastPoint =
            last >= 0
            ? point(
                last, x: points[firstRows[last]].x, note: note(points[firstRows[last]...]),
                phase: columns.phases.count - 1, options: options)
            : nil
        return summary(series: series, last: lastPoint, options: options)
    }

    /// A one-line summary of a series given as plain numbers: one value per period (NaN when
    /// missing), optional denominators, one phase, nothing excluded. The dashboard's fast path;
    /// the last point's x is its 1-based position.
    public mutating func summarise(
        values: ArraySlice<Double>, denominators: ArraySlice<Double>? = nil, options: SPCOptions, series: String = ""
    ) -> SeriesSummary {
        ownColumns()
        columns.load(values: values, denominators: denominators)
        phaseLabels.removeAll(keepingCapacity: true)
        columns.analyse(options)
        let last = columns.count - 1
        let lastPoint =
            last >= 0
            ? point(last, x: String(last + 1), note: nil, phase: columns.phases.count - 1, options: options) : nil
        return summary(series: series, last: lastPoint, options: options)
    }

    /// Same as `summarise(values:denominators:options:series:)` for whole arrays.
    public mutating func summarise(
        values: [Double], denominators: [Double]? = nil, options: SPCOptions, series: String = ""
    ) -> SeriesSummary {
        summarise(values: values[...], denominators: denominators?[...], options: options, series: series)
    }

    // MARK: Building results

    private func summary(series: String, last: SPCResult.Point?, options: SPCOptions) -> SeriesSummary {
        var counts = SignalCounts()
        for k in 0..<columns.count {
            let signals = columns.signals[k]
            if signals.isEmpty {
                continue
            }
            counts.add(signals, columns.pointClass(k, direction: options.direction).0)
        }
        return SeriesSummary(
            series: series, points: columns.count, last: last,
            phase: columns.phases.isEmpty ? nil : phase(columns.phases.count - 1, options), counts: counts,
            variation: variation(options), assurance: last.flatMap { assurance($0, options) })
    }

    private func point(_ k: Int, x: String, note: String?, phase: Int, options: SPCOptions) -> SPCResult.Point {
        let c = columns
        let scale = options.multiply
        return SPCResult.Point(
            x: x, y: defined(c.y[k] * scale), n: defined(c.denominator[k]), phase: phase + 1,
            excluded: c.excluded[k], cl: defined(c.cl[k] * scale), lcl: defined(c.lcl[k] * scale),
            ucl: defined(c.ucl[k] * scale), lcl2: defined(c.lcl2[k] * scale), ucl2: defined(c.ucl2[k] * scale),
            signals: c.signals[k], pointClass: c.pointClass(k, direction: options.direction).0, note: note)
    }

    private func phase(_ p: Int, _ options: SPCOptions) -> SPCResult.Phase {
        let range = columns.phases[p]
        let runs = columns.runs[p]
        let hasRuns = runs.useful > 0
        return SPCResult.Phase(
            phase: p + 1, label: p < phaseLabels.count ? phaseLabels[p] : nil, first: range.lowerBound,
            last: range.upperBound - 1, cl: defined(columns.cl[range.lowerBound] * options.multiply),
            useful: runs.useful, longestRun: hasRuns ? runs.longestRun : nil,
            longestRunMax: hasRuns ? runs.longestRunMax : nil, crossings: hasRuns ? runs.crossings : nil,
            crossingsMin: hasRuns ? runs.crossingsMin : nil, runsSignal: runs.signal, sigmaSignal: runs.anyOutside,
            // NHSRplotthedots warns that phases of fewer than 12 points have trial limits.
            trial: range.count < 12)
    }

    /// The variation icon from the latest point, as NHSRplotthedots takes the last row.
    private func variation(_ options: SPCOptions) -> VariationIcon {
        guard columns.count > 0 else { return .commonCause }
        let (pointClass, side) = columns.pointClass(columns.count - 1, direction: options.direction)
        return VariationIcon(pointClass: pointClass, side: side, direction: options.direction)
    }

    private func assurance(_ last: SPCResult.Point, _ options: SPCOptions) -> AssuranceIcon? {
        AssuranceIcon(target: options.target, direction: options.direction, lcl: last.lcl, ucl: last.ucl)
    }

    /// The distinct notes of a subgroup's rows joined with " | " (qicharts2 `fixnotes`).
    private func note(_ rows: ArraySlice<SPCPoint>) -> String? {
        if rows.count == 1 { return rows.first?.note.flatMap { $0.isEmpty ? nil : $0 } }
        var notes: [String] = []
        for row in rows {
            if let note = row.note, !note.isEmpty, !notes.contains(note) { notes.append(note) }
        }
        return notes.isEmpty ? nil : notes.joined(separator: " | ")
    }
}

/// nil for NaN and infinities: undefined values are JSON null.
@inline(__always)
func defined(_ x: Double) -> Double? { x.isFinite ? x : nil }
