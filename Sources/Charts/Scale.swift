/// A linear map from data values to pixels, with "nice" tick values (1, 2 or 5 × 10ᵏ apart,
/// after Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
struct LinearScale: Sendable, Equatable {
    let domain: ClosedRange<Double>
    let range: ClosedRange<Double>
    /// Whether larger values go towards `range.lowerBound` (true for y, where SVG grows downwards).
    let inverted: Bool

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let fraction = span == 0 ? 0.5 : (value - domain.lowerBound) / span
        let pixels = range.upperBound - range.lowerBound
        return inverted ? range.upperBound - fraction * pixels : range.lowerBound + fraction * pixels
    }

    /// A scale whose domain covers `values` with a little room, widened to nice tick values.
    static func nice(covering values: [Double], range: ClosedRange<Double>, inverted: Bool, tickCount: Int = 5) -> (
        LinearScale, ticks: [Double]
    ) {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceStep((high - low) / Double(max(tickCount - 1, 1)))
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        // Counted, not stepped to the top: past about 1e16 adding a step no longer moves a value,
        // and a loop waiting for it would never end.
        let intervals = ((high - low) / step).rounded()
        let ticks: [Double] =
            intervals.isFinite && intervals >= 1 && intervals <= 100
            ? (0...Int(intervals)).map { index in
                let tick = low + Double(index) * step
                return abs(tick) < step * 1e-9 ? 0 : tick
            }
            : [low, high]
        return (LinearScale(domain: low...high, range: range, inverted: inverted), ticks)
    }

    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= rough { magnitude *= 10 }
        while magnitude > rough { magnitude /= 10 }
        let fraction = rough / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    /// How many decimals the tick labels need, from the step between ticks.
    static func decimals(forStep step: Double) -> Int {
        var decimals = 0
        var scaled = abs(step)
        while decimals < 6, scaled > 0, (scaled - scaled.rounded()).magnitude > 1e-9 {
            scaled *= 10
            decimals += 1
        }
        return decimals
    }
}

/// A value written with a fixed number of decimals, for axis labels and descriptions.
func formatted(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "–" }
    var factor = 1.0
    for _ in 0..<decimals { factor *= 10 }
    let scaled = (abs(value) * factor).rounded()
    // Past 2⁵³ a Double holds no fraction and past 2⁶³ no Int64 holds it: say it as Swift does.
    guard scaled < 9e15 else { return "\(value)" }
    let whole = Int64(scaled / factor)
    var text = String(whole)
    if decimals > 0 {
        let fraction = Int64(scaled) - whole * Int64(factor)
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return (value < 0 && scaled != 0 ? "-" : "") + text
}
