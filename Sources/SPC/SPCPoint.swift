/// One row of input: a period's value, with its denominator, phase and flags.
///
/// Rows that share an x next to each other form one subgroup, as in qicharts2 (which aggregates
/// by x): an X-bar or S chart needs several rows per x, and for other charts several rows of
/// one period are summarised (y summed over n for ratio charts, the mean of y otherwise).
public struct SPCPoint: Sendable, Hashable {
    /// The x label: a date, number or name, kept as written.
    public var x: String
    /// The value, count or numerator; nil when missing.
    public var y: Double?
    /// The denominator, exposure or subgroup size; nil when not given.
    public var n: Double?
    /// The phase label; a label not seen before starts a new phase with its own centre line and
    /// limits (qicharts2 `part` given as labels).
    public var phase: String?
    /// Drawn and tested against the limits, but left out of the centre line, the limits and the
    /// runs analysis (qicharts2 `exclude`).
    public var excluded: Bool
    /// A free-text annotation, e.g. "PDSA 2 started".
    public var note: String?

    public init(
        x: String, y: Double?, n: Double? = nil, phase: String? = nil, excluded: Bool = false,
        note: String? = nil
    ) {
        self.x = x
        self.y = y
        self.n = n
        self.phase = phase
        self.excluded = excluded
        self.note = note
    }
}
