/// The working columns of one series, one entry per plotted point (subgroup), kept between
/// series by `SPCWorkspace` so that the dashboard path allocates nothing per point.
///
/// The columns are raw pointers into one block rather than arrays: the rules write several
/// columns per point, and array writes would check uniqueness (and bounds) on every store,
/// which cost more than the statistics themselves. It is a struct so that reading a column
/// pointer needs no run-time exclusivity check (as a class property would). Every index used is
/// below `count`, which the loaders set; `SPCWorkspace` keeps the block unshared (copy on
/// write), so no two threads ever write the same block.
///
/// Missing and undefined values are NaN here and become nil (JSON null) only in `SPCResult`.
struct SeriesColumns: @unchecked Sendable {
    /// Number of points in use.
    private(set) var count = 0
    private var storage = ColumnStorage(capacity: 0)

    // Subgroup statistics from the rows (qicharts2 `qic.agg`).
    /// Mean of the rows' y, or Σy/Σn when the series has denominators (qicharts2 `y`).
    private(set) var value = UnsafeMutablePointer<Double>(bitPattern: 8)!
    /// Σy over the rows with a value (qicharts2 `y.sum`): the count for c, p and u charts.
    private(set) var sum = UnsafeMutablePointer<Double>(bitPattern: 8)!
    /// Rows with a value (qicharts2 `y.length`): the subgroup size for X-bar and S charts.
    private(set) var size = UnsafeMutablePointer<Double>(bitPattern: 8)!
    /// Sample standard deviation of the rows (qicharts2 `y.sd`).
    private(set) var deviation = UnsafeMutablePointer<Double>(bitPattern: 8)!
    /// Σn over the rows with a value; NaN when the series has no denominators.
    private(set) var denominator = UnsafeMutablePointer<Double>(bitPattern: 8)!

    // Chart output, before `multiply`.
    /// The plotted statistic.
    private(set) var y = UnsafeMutablePointer<Double>(bitPattern: 8)!
    private(set) var cl = UnsafeMutablePointer<Double>(bitPattern: 8)!
    private(set) var lcl = UnsafeMutablePointer<Double>(bitPattern: 8)!
    private(set) var ucl = UnsafeMutablePointer<Double>(bitPattern: 8)!
    private(set) var lcl2 = UnsafeMutablePointer<Double>(bitPattern: 8)!
    private(set) var ucl2 = UnsafeMutablePointer<Double>(bitPattern: 8)!
    /// 1σ lines, for the Western Electric and IHI zone rules (not in the JSON).
    private(set) var lcl1 = UnsafeMutablePointer<Double>(bitPattern: 8)!
    private(set) var ucl1 = UnsafeMutablePointer<Double>(bitPattern: 8)!
    /// Scratch space for medians and transformed values.
    private(set) var scratch = UnsafeMutablePointer<Double>(bitPattern: 8)!
    /// Work space for the median's selection.
    private(set) var work1 = UnsafeMutablePointer<Double>(bitPattern: 8)!
    private(set) var work2 = UnsafeMutablePointer<Double>(bitPattern: 8)!

    private(set) var excluded = UnsafeMutablePointer<Bool>(bitPattern: 8)!
    // Rule output.
    private(set) var signals = UnsafeMutablePointer<SPCSignals>(bitPattern: 8)!
    /// +1 or −1 for a point in a rising or falling trend (NHSRplotthedots takes the later
    /// trend's direction for a point where two trends meet), else 0.
    private(set) var trendSide = UnsafeMutablePointer<Int8>(bitPattern: 8)!
    /// Where each point lies against its lines, set once per point so that the rules read one
    /// byte instead of five lines: see `Zone`.
    private(set) var zone = UnsafeMutablePointer<Zone>(bitPattern: 8)!
    /// Indices of the points the sequence rules look at (not missing, not excluded), per phase.
    private(set) var sequence = UnsafeMutablePointer<Int>(bitPattern: 8)!

    /// Whether the 1σ lines are needed (Western Electric and IHI zone rules); other rule sets
    /// skip them, leaving `lcl1` and `ucl1` unset.
    var wantsOneSigmaLines = true

    /// IHI's expected numbers of runs by useful observations, computed once per size.
    var expectedRunsCache: [Int: ClosedRange<Int>] = [:]

    /// Phases as half-open index ranges, in order.
    var phases: [Range<Int>] = []
    var runs: [RunsAnalysis] = []

    init() {}

    /// Gives this copy its own block if another copy shares it (copy on write).
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { self = SeriesColumns() }
    }

    /// Makes room for `n` points and resets the per-series lists. Column contents are left as
    /// they are: the loaders write every input column, and each chart every output column.
    mutating func reset(count n: Int) {
        if n > storage.capacity { grow(to: max(n, 2 * storage.capacity, 64)) }
        count = n
        phases.removeAll(keepingCapacity: true)
        runs.removeAll(keepingCapacity: true)
    }

    private mutating func grow(to newCapacity: Int) {
        storage = ColumnStorage(capacity: newCapacity)
        let raw = storage.block
        var offset = 0
        func column(_ pointer: inout UnsafeMutablePointer<Double>) {
            pointer = (raw + offset).bindMemory(to: Double.self, capacity: newCapacity)
            offset += newCapacity * 8
        }
        column(&value)
        column(&sum)
        column(&size)
        column(&deviation)
        column(&denominator)
        column(&y)
        column(&cl)
        column(&lcl)
        column(&ucl)
        column(&lcl2)
        column(&ucl2)
        column(&lcl1)
        column(&ucl1)
        column(&scratch)
        column(&work1)
        column(&work2)
        sequence = (raw + offset).bindMemory(to: Int.self, capacity: newCapacity)
        offset += newCapacity * 8
        signals = (raw + offset).bindMemory(to: SPCSignals.self, capacity: newCapacity)
        offset += newCapacity * 2
        trendSide = (raw + offset).bindMemory(to: Int8.self, capacity: newCapacity)
        offset += newCapacity
        excluded = (raw + offset).bindMemory(to: Bool.self, capacity: newCapacity)
        offset += newCapacity
        zone = (raw + offset).bindMemory(to: Zone.self, capacity: newCapacity)
    }

    /// Clears the rule outputs (chart functions overwrite every line of every point).
    func clearSignals() {
        signals.update(repeating: [], count: count)
        trendSide.update(repeating: 0, count: count)
    }
}

/// Owns the memory of the columns: one block, freed when the last `SeriesColumns` using it goes.
final class ColumnStorage {
    let capacity: Int
    let block: UnsafeMutableRawPointer

    /// Bytes per point: 16 Double columns and one Int column, the 2-byte signals, and three
    /// 1-byte columns (trend side, excluded, zone).
    static let bytesPerPoint = 16 * 8 + 8 + 2 + 1 + 1 + 1

    init(capacity: Int) {
        self.capacity = capacity
        block = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1) * Self.bytesPerPoint, alignment: 16)
    }

    deinit { block.deallocate() }
}

/// A point's position against its centre line and limits, as bits.
struct Zone: OptionSet, Sendable {
    let rawValue: UInt8
    /// Strictly above the centre line.
    static let above = Zone(rawValue: 1)
    /// Strictly below the centre line.
    static let below = Zone(rawValue: 2)
    /// Strictly beyond a 3σ limit.
    static let outside = Zone(rawValue: 4)
    /// Strictly beyond a 2σ line but not outside: NHSRplotthedots' `close_to_limits`.
    static let close = Zone(rawValue: 8)
    /// In a run on one side of the centre line longer than the Anhøj limit, so that the point is
    /// classed by its side (`../shared/SPC.md`, rule set `anhoej`).
    static let longRun = Zone(rawValue: 16)

    /// +1 above, −1 below, 0 on the line (or no value).
    var side: Int { Int(rawValue & 1) &- Int((rawValue >> 1) & 1) }

    /// .above, .below or neither, without branching.
    @inline(__always)
    static func side(of value: Double, centre: Double) -> Zone {
        Zone(rawValue: UInt8(truncatingIfNeeded: bit(value > centre) | bit(value < centre) << 1))
    }
}

/// The points of a phase that set its centre line and limits: the first `freeze` points when
/// frozen (NHSRplotthedots `fix_after_n_points`, per phase), else all of them; excluded points
/// are skipped by each chart.
struct PhaseSpan {
    var points: Range<Int>
    var baseline: Range<Int>

    init(points: Range<Int>, freeze: Int?) {
        self.points = points
        if let freeze, freeze >= 1 {
            baseline = points.lowerBound..<min(points.upperBound, points.lowerBound + freeze)
        } else {
            baseline = points
        }
    }
}
