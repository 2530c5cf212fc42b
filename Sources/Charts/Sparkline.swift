import SPC

/// A word-sized chart of a measure's recent values, for tables that list thousands of measures: the line
/// of the values (a missing value breaks it), an optional dashed target, and the latest value as a dot in
/// its class's colour. Drawn thousands of times a page, so it is small and quick: no title, no
/// description and no ids (which would collide), whole numbers in tenths of a pixel, and one string
/// written in one pass after one pass for the range. An `aria-label` says it in words.
public struct Sparkline: Sendable, Equatable {
    public var values: [Double?]
    /// The class of the latest value, which colours its dot.
    public var lastClass: PointClass
    public var target: Double?
    public var width: Double
    public var height: Double

    public init(
        values: [Double?], lastClass: PointClass = .common, target: Double? = nil, width: Double = 120,
        height: Double = 28
    ) {
        self.values = values
        self.lastClass = lastClass
        self.target = target
        self.width = width
        self.height = height
    }

    public func svg() -> String {
        // One pass for the range, the count and the latest value: no filtered copy of the values.
        var low = Double.infinity
        var high = -Double.infinity
        var count = 0
        var lastIndex = 0
        for (index, value) in values.enumerated() {
            guard let value, value.isFinite else { continue }
            low = min(low, value)
            high = max(high, value)
            count += 1
            lastIndex = index
        }
        let target = self.target.flatMap { $0.isFinite ? $0 : nil }
        let latest = count > 0 ? values[lastIndex]! : 0

        var label = "No data"
        if count > 0 {
            let plain = Describe.plain(latest)
            label = count == 1 ? "One value, \(plain)" : "Trend of the last \(count) values, latest \(plain)"
            // The dot's colour is the only mark of the class here, so the words carry it too.
            switch lastClass {
            case .common: break
            case .improvement, .concern: label += ", special cause \(lastClass.rawValue)"
            case .neutral: label += ", special cause variation"
            }
            if let target { label += ", target \(Describe.plain(target))" }
        }

        // The user unit is a tenth of a pixel (the view box is ten times the size), so every coordinate is
        // a whole number: a tenth of a pixel is plenty, there is no decimal point to write, and a relative
        // step along the line is three or four characters. Written raw, past `markupEscaped`: the label is
        // fixed words and numbers, with nothing to escape.
        let n = SVGWriter.number
        var svg = SVGWriter()
        svg.reserveCapacity(480 + values.count * 8)
        svg.raw(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.tenths(width)) \(Self.tenths(height))\" "
                + "width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(label)\">")
        guard count > 0 else {
            svg.raw("</svg>")
            return svg.text
        }

        if let target {
            low = min(low, target)
            high = max(high, target)
        }
        // Everything stays `inset` from the edges, so the dot and the line's caps are never cut.
        let inset = 3.0
        let top = inset
        let bottom = height - inset
        let step = values.count > 1 ? (width - 2 * inset) / Double(values.count - 1) : 0
        // A single value sits at the right, where the latest value is on every other row.
        func x(_ index: Int) -> Int { Self.tenths(values.count > 1 ? inset + Double(index) * step : width - inset) }
        // A flat series (with no target, or the target on it) runs along the middle.
        func y(_ value: Double) -> Int {
            Self.tenths(high > low ? bottom - (value - low) / (high - low) * (bottom - top) : height / 2)
        }

        if let target {
            svg.raw(
                "<path d=\"M0 \(y(target))H\(Self.tenths(width))\" stroke=\"\(Palette.target)\" stroke-width=\"10\" "
                    + "stroke-dasharray=\"30 20\"/>")
        }

        // A move to the first value of each stretch, then relative line-tos; a missing value ends the
        // stretch. A value alone between gaps is a zero-length line, which the round cap draws as a dot.
        // The path data goes into bytes first: appending small strings point by point made the whole
        // sparkline take nearly twice as long.
        var d: [UInt8] = []
        d.reserveCapacity(values.count * 9 + 4)
        var previous: (x: Int, y: Int)? = nil
        var alone = false
        for (index, value) in values.enumerated() {
            guard let value, value.isFinite else {
                if alone { d += "h0".utf8 }
                previous = nil
                alone = false
                continue
            }
            let point = (x: x(index), y: y(value))
            if let previous {
                // The line-to command once per stretch; later pairs follow it with a space, and a minus
                // sign separates dy from dx on its own.
                let dy = point.y - previous.y
                d.append(alone ? UInt8(ascii: "l") : UInt8(ascii: " "))
                Self.digits(point.x - previous.x, into: &d)
                if dy >= 0 { d.append(UInt8(ascii: " ")) }
                Self.digits(dy, into: &d)
                alone = false
            } else {
                d.append(UInt8(ascii: "M"))
                Self.digits(point.x, into: &d)
                d.append(UInt8(ascii: " "))
                Self.digits(point.y, into: &d)
                alone = true
            }
            previous = point
        }
        if alone { d += "h0".utf8 }
        svg.raw("<path d=\"")
        svg.raw(String(decoding: d, as: UTF8.self))
        svg.raw("\" fill=\"none\" stroke=\"\(Palette.common)\" stroke-width=\"15\" stroke-linecap=\"round\"/>")

        svg.raw(
            "<circle cx=\"\(x(lastIndex))\" cy=\"\(y(latest))\" r=\"25\" fill=\"\(Palette.colour(lastClass))\"/></svg>")
        return svg.text
    }

    /// An integer's decimal digits, with a minus sign when negative.
    private static func digits(_ value: Int, into bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var power: UInt = 1
        while power <= magnitude / 10 { power *= 10 }
        while power > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / power % 10))
            power /= 10
        }
    }

    /// A length in tenths of a pixel, the sparkline's user unit.
    static func tenths(_ pixels: Double) -> Int {
        guard pixels.isFinite, abs(pixels) < 1e14 else { return 0 }
        return Int((pixels * 10).rounded())
    }
}
