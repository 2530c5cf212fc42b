/// The rules a point takes part in, as a bit set so that the dashboard path stores one small
/// integer per point instead of an array.
public struct SPCSignals: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Beyond the 3σ limits (every rule set).
    public static let outside = SPCSignals(rawValue: 1 << 0)
    /// Part of a run of points on one side of the centre line (Making Data Count, IHI, Western Electric).
    public static let shift = SPCSignals(rawValue: 1 << 1)
    /// Part of a run of points each above (or below) the one before (Making Data Count, IHI).
    public static let trend = SPCSignals(rawValue: 1 << 2)
    /// Beyond the 2σ line with another of three consecutive points on the same side.
    public static let twoOfThree = SPCSignals(rawValue: 1 << 3)
    /// Beyond the 1σ line with three others of five consecutive points on the same side (Western Electric).
    public static let fourOfFive = SPCSignals(rawValue: 1 << 4)
    /// Part of 15 consecutive points within 1σ of the centre line (IHI: less variation than the limits say).
    public static let withinOneSigma = SPCSignals(rawValue: 1 << 5)
    /// In a phase whose runs test signals: Anhøj's longest run or crossings (qicharts2 marks the
    /// whole part), or, under IHI rules on a run chart, too few or too many runs.
    public static let runs = SPCSignals(rawValue: 1 << 6)

    /// Every signal with its JSON name, in the order they are listed.
    public static let named: [(signal: SPCSignals, name: String)] = [
        (.outside, "outside"), (.shift, "shift"), (.trend, "trend"), (.twoOfThree, "two_of_three"),
        (.fourOfFive, "four_of_five"), (.withinOneSigma, "within_one_sigma"), (.runs, "runs"),
    ]

    /// The JSON names of the signals in this set, e.g. ["outside", "shift"].
    public var names: [String] { Self.named.filter { contains($0.signal) }.map(\.name) }
}

/// What a point says about the process, from its strongest signal and the improvement direction.
public enum PointClass: String, Sendable, Hashable, CaseIterable, Codable {
    /// A special cause on the better side.
    case improvement
    /// A special cause on the worse side.
    case concern
    /// A special cause when neither side is better.
    case neutral
    /// No special cause.
    case common
}

/// Making Data Count's variation icon, from the latest point (NHSRplotthedots `ptd_get_icons`).
public enum VariationIcon: String, Sendable, Hashable, CaseIterable, Codable {
    case commonCause = "common_cause"
    case improvementHigh = "improvement_high"
    case improvementLow = "improvement_low"
    case concernHigh = "concern_high"
    case concernLow = "concern_low"
    case neutralHigh = "neutral_high"
    case neutralLow = "neutral_low"
}

/// Making Data Count's assurance icon: can the process be relied on to meet the target?
public enum AssuranceIcon: String, Sendable, Hashable, CaseIterable, Codable {
    /// The whole band between the limits is on the passing side of the target.
    case pass
    /// The whole band is on the failing side.
    case fail
    /// The target lies between the limits: the process will sometimes meet it, sometimes not.
    case hitAndMiss = "hit_and_miss"
}
