import SPC

/// Charts in words: the `<desc>` of every chart and the text alternative beside it, written the way
/// Making Data Count explains charts to non-statisticians.
public enum Describe {
    public static func chartName(_ chart: ChartType) -> String {
        switch chart {
        case .run: "Run chart"
        case .i: "Individuals (XmR) chart"
        case .mr: "Moving range chart"
        case .xbar: "X-bar chart"
        case .s: "S chart"
        case .t: "T chart (time between events)"
        case .p: "P chart (proportions)"
        case .pp: "Laney P′ chart (proportions)"
        case .c: "C chart (counts)"
        case .u: "U chart (rates)"
        case .up: "Laney U′ chart (rates)"
        case .g: "G chart (opportunities between events)"
        }
    }

    public static func variation(_ icon: VariationIcon) -> String {
        switch icon {
        case .commonCause: "Common cause variation: no special cause in the latest points."
        case .improvementHigh: "Special cause improvement: the latest points are unusually high, and high is better."
        case .improvementLow: "Special cause improvement: the latest points are unusually low, and low is better."
        case .concernHigh: "Special cause concern: the latest points are unusually high, and high is worse."
        case .concernLow: "Special cause concern: the latest points are unusually low, and low is worse."
        case .neutralHigh: "Special cause variation: the latest points are unusually high."
        case .neutralLow: "Special cause variation: the latest points are unusually low."
        }
    }

    public static func assurance(_ icon: AssuranceIcon) -> String {
        switch icon {
        case .pass: "The process will consistently meet the target."
        case .fail: "The process will consistently fail the target unless something changes."
        case .hitAndMiss: "The process will sometimes meet and sometimes miss the target (hit and miss)."
        }
    }

    /// The variation icon in a few words, for a table that shows the icon beside them.
    public static func variationInBrief(_ icon: VariationIcon) -> String {
        switch icon {
        case .commonCause: "Common cause"
        case .improvementHigh: "Improvement (high)"
        case .improvementLow: "Improvement (low)"
        case .concernHigh: "Concern (high)"
        case .concernLow: "Concern (low)"
        case .neutralHigh: "Special cause (high)"
        case .neutralLow: "Special cause (low)"
        }
    }

    /// The assurance icon in a few words.
    public static func assuranceInBrief(_ icon: AssuranceIcon) -> String {
        switch icon {
        case .pass: "Meets the target"
        case .fail: "Fails the target"
        case .hitAndMiss: "Hit and miss"
        }
    }

    public static func chart(_ result: SPCResult) -> String {
        var sentences: [String] = []
        let values = result.points.compactMap(\.y)
        sentences.append("\(chartName(result.chart)) of \(values.count) point\(values.count == 1 ? "" : "s").")
        if let phase = result.phases.last, let point = result.points.last(where: { $0.phase == phase.phase }),
            let cl = point.cl
        {
            let centre = result.chart == .run || result.chart == .g ? "median" : "mean"
            var sentence = "The \(centre) is \(plain(cl))"
            if let lcl = point.lcl, let ucl = point.ucl {
                sentence += ", with limits from \(plain(lcl)) to \(plain(ucl))"
            }
            if result.phases.count > 1 { sentence += " in the latest of \(result.phases.count) phases" }
            sentences.append(sentence + ".")
        }
        let episodes = specialCauseEpisodes(result)
        let runsSignal = result.phases.last?.runsSignal ?? false
        if episodes.isEmpty {
            sentences.append(
                runsSignal
                    ? "No single point signals a special cause."
                    : "Only common cause variation: no point signals a special cause.")
        } else {
            sentences += episodes
        }
        if runsSignal {
            let centre = result.chart == .run || result.chart == .g ? "median" : "centre line"
            sentences.append(
                "The runs analysis signals a non-random pattern: a run too long or too few crossings of the \(centre).")
        }
        if result.chart != .run {
            sentences.append(variation(result.variation))
        }
        if let target = result.target {
            sentences.append("Target \(plain(target)).")
            if let icon = result.assurance { sentences.append(assurance(icon)) }
        }
        return sentences.joined(separator: " ")
    }

    /// "Special cause improvement: 7 points above the mean since March 2024." One sentence per run of
    /// consecutive points with the same class.
    static func specialCauseEpisodes(_ result: SPCResult) -> [String] {
        var sentences: [String] = []
        var start: Int? = nil
        func flush(_ end: Int) {
            guard let first = start else { return }
            let points = result.points[first...end].filter { $0.y != nil }
            let pointClass = result.points[first].pointClass
            let above = points.allSatisfy { p in p.cl.map { p.y! > $0 } ?? false }
            let below = points.allSatisfy { p in p.cl.map { p.y! < $0 } ?? false }
            let centre = result.chart == .run || result.chart == .g ? "median" : "mean"
            let side = above ? " above the \(centre)" : below ? " below the \(centre)" : ""
            let kind = pointClass == .neutral ? "Special cause variation" : "Special cause \(pointClass.rawValue)"
            let count = points.count
            let when =
                count == 1
                ? "at \(TimeLabels.spoken(result.points[first].x))"
                : "since \(TimeLabels.spoken(result.points[first].x))"
            sentences.append("\(kind): \(count) point\(count == 1 ? "" : "s")\(side) \(when).")
            start = nil
        }
        for (index, point) in result.points.enumerated() {
            if point.pointClass == .common || point.y == nil {
                if start != nil { flush(index - 1) }
            } else if let first = start, result.points[first].pointClass != point.pointClass {
                flush(index - 1)
                start = index
            } else if start == nil {
                start = index
            }
        }
        if start != nil { flush(result.points.count - 1) }
        return sentences
    }

    /// The rules a point took part in, in words for the data table: "outside the limits; part of a
    /// shift". The rule definitions are in SPC.md and `SPCSignals`.
    public static func signals(_ signals: SPCSignals, centre: String) -> String {
        var words: [String] = []
        if signals.contains(.outside) { words.append("outside the limits") }
        if signals.contains(.shift) { words.append("part of a run on one side of the \(centre)") }
        if signals.contains(.trend) { words.append("part of a steady rise or fall") }
        if signals.contains(.twoOfThree) { words.append("two of three points near a limit") }
        if signals.contains(.fourOfFive) { words.append("four of five points beyond one sigma") }
        if signals.contains(.withinOneSigma) { words.append("fifteen points hugging the \(centre)") }
        if signals.contains(.runs) { words.append("in a non-random run pattern") }
        return words.joined(separator: "; ")
    }

    /// A number as a person would say it: up to three significant decimals, no trailing zeros.
    public static func plain(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        var text = formatted(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
