import SPC

/// The Making Data Count icons, drawn once here for both the control chart's corner and standalone use
/// (a measures table shows them on every row), in the shapes NHS England publishes: variation as a
/// small run of points in a ring, assurance as a process line against a dashed target. The letter
/// (H, L; P, F, ?) and the shape say what the colour says, so the icons read without colour.
public enum MDCIcons {
    /// The variation icon as a self-contained `<svg>` of `size` pixels, named by its `<title>`.
    public static func variation(_ icon: VariationIcon, size: Double = 24) -> String {
        opening(size: size) + variationBodies[icon]!
    }

    /// The assurance icon as a self-contained `<svg>` of `size` pixels, named by its `<title>`.
    public static func assurance(_ icon: AssuranceIcon, size: Double = 24) -> String {
        opening(size: size) + assuranceBodies[icon]!
    }

    /// Every icon once, as `<symbol>`s in a hidden `<svg>`, for a page that shows icons on thousands of
    /// rows: each row then refers to its icon with `variationReference`/`assuranceReference` (about a
    /// third of the bytes of a self-contained icon).
    public static let symbols: String = {
        var svg = SVGWriter()
        svg.raw(
            #"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" style="position:absolute" aria-hidden="true" font-family="system-ui, sans-serif">"#
        )
        for icon in VariationIcon.allCases {
            svg.open("symbol", [("id", symbolID(icon)), ("viewBox", "0 0 36 36")])
            drawVariation(icon, x: centre, y: centre, radius: radius, titled: false, into: &svg)
            svg.close("symbol")
        }
        for icon in AssuranceIcon.allCases {
            svg.open("symbol", [("id", symbolID(icon)), ("viewBox", "0 0 36 36")])
            drawAssurance(icon, x: centre, y: centre, radius: radius, titled: false, into: &svg)
            svg.close("symbol")
        }
        svg.close("svg")
        return svg.text
    }()

    /// The variation icon drawn from `symbols` (which the page must include once), named by its title.
    public static func variationReference(_ icon: VariationIcon, size: Double = 24) -> String {
        reference(symbolID(icon), title: Describe.variation(icon), size: size)
    }

    /// The assurance icon drawn from `symbols`, named by its title.
    public static func assuranceReference(_ icon: AssuranceIcon, size: Double = 24) -> String {
        reference(symbolID(icon), title: Describe.assurance(icon), size: size)
    }

    static func symbolID(_ icon: VariationIcon) -> String { "mdc-variation-\(icon.rawValue)" }
    static func symbolID(_ icon: AssuranceIcon) -> String { "mdc-assurance-\(icon.rawValue)" }

    private static func reference(_ id: String, title: String, size: Double) -> String {
        let n = SVGWriter.number
        return "<svg width=\"\(n(size))\" height=\"\(n(size))\" role=\"img\" class=\"mdc-icon\"><title>"
            + title.markupEscaped + "</title><use href=\"#\(id)\"/></svg>"
    }

    /// The chart's icon geometry. A standalone icon draws the same in a 36-unit view box and lets `size`
    /// scale it, so only its width and height change with the size.
    static let radius = 16.0
    private static let centre = 18.0

    /// Each standalone icon after its size, drawn once: a table asks for the same ten icons on each of
    /// thousands of rows.
    private static let variationBodies = Dictionary(
        uniqueKeysWithValues: VariationIcon.allCases.map { icon in
            (
                icon,
                body(title: Describe.variation(icon)) {
                    drawVariation(icon, x: centre, y: centre, radius: radius, titled: false, into: &$0)
                }
            )
        })
    private static let assuranceBodies = Dictionary(
        uniqueKeysWithValues: AssuranceIcon.allCases.map { icon in
            (
                icon,
                body(title: Describe.assurance(icon)) {
                    drawAssurance(icon, x: centre, y: centre, radius: radius, titled: false, into: &$0)
                }
            )
        })

    /// The Making Data Count variation icon (as NHS England publishes it, after NHSRplotthedots'
    /// `inst/icons/variation`): a white disc in a ring of the variation's colour, holding a small run
    /// of five points — grey, and for a special cause the last two in the colour, above the others
    /// for high and below them for low — with H or L beside them. Positions are in the published
    /// icon's units (radius 151), scaled to `radius`. `titled` puts the explanation inside the group,
    /// as a tooltip in a chart; a standalone icon has it as the `<svg>`'s own title instead, which is
    /// what names an image for screen readers.
    static func drawVariation(
        _ icon: VariationIcon, x: Double, y: Double, radius: Double, titled: Bool = true, into svg: inout SVGWriter
    ) {
        let n = SVGWriter.number
        let k = radius / 151
        let colour = Palette.colour(icon)
        svg.open("g", group("variation \(icon.rawValue)", radius: radius))
        if titled { svg.element("title", [], content: Describe.variation(icon)) }
        ring(x: x, y: y, radius: radius, colour: colour, into: &svg)
        let high = [.improvementHigh, .concernHigh, .neutralHigh].contains(icon)
        let rises: [Double] = [21.5, 40, 21.5, -24, -9]
        let heights: [Double] =
            switch icon {
            case .commonCause: [6, 44, -35.5, 32.5, 17.5]
            default: high ? rises : rises.map { -$0 }
            }
        let points = zip([-92.0, -46, 0, 46, 92], heights).map { (x: x + $0 * k, y: y + $1 * k) }
        svg.element(
            "polyline",
            [
                ("points", points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")), ("fill", "none"),
                ("stroke", Palette.common), ("stroke-width", n(9 * k)),
            ])
        for (index, point) in points.enumerated() {
            let special = icon != .commonCause && index >= 3
            svg.element(
                "circle",
                [
                    ("cx", n(point.x)), ("cy", n(point.y)), ("r", n(20.5 * k)),
                    ("fill", special ? colour : Palette.common),
                ])
        }
        if icon != .commonCause {
            // H above the run, L below it, on the left where the run stays level.
            svg.element(
                "text", [("x", n(x - 41 * k)), ("y", n(y + (high ? -17 : 101) * k)), ("fill", colour)],
                content: letter(icon))
        }
        svg.close("g")
    }

    /// The Making Data Count assurance icon (after NHSRplotthedots' `inst/icons/assurance`): a white
    /// disc in a ring of the assurance's colour, with the target as a dashed line across it and the
    /// process as a grey line — below the target for fail, above it for pass, across it for hit and
    /// miss — and P, F or ? on the side away from the process.
    static func drawAssurance(
        _ icon: AssuranceIcon, x: Double, y: Double, radius: Double, titled: Bool = true, into svg: inout SVGWriter
    ) {
        let n = SVGWriter.number
        let k = radius / 151
        let colour = colour(icon)
        svg.open("g", group("assurance \(icon.rawValue)", radius: radius))
        if titled { svg.element("title", [], content: Describe.assurance(icon)) }
        ring(x: x, y: y, radius: radius, colour: colour, into: &svg)
        // Pass is fail turned upside down: the process above the target, the letter below.
        let flip: Double = icon == .pass ? -1 : 1
        let target = -3.5 * flip
        svg.element(
            "line",
            [
                ("x1", n(x - 150 * k)), ("x2", n(x + 150 * k)), ("y1", n(y + target * k)), ("y2", n(y + target * k)),
                ("stroke", colour), ("stroke-width", n(8.7 * k)), ("stroke-dasharray", "\(n(26 * k)) \(n(8.7 * k))"),
            ])
        let wave: [(Double, Double)] =
            icon == .hitAndMiss
            ? [(-116, 30), (-60, -28), (0, 26), (30, -20), (60, 24), (114, -14)]
            : [(-116.5, 49.8), (-59.4, 11.5), (3.6, 52.3), (23.8, 27.7), (44, 51.5), (113.5, 47.2)]
        svg.element(
            "polyline",
            [
                ("points", wave.map { "\(n(x + $0.0 * k)),\(n(y + $0.1 * flip * k))" }.joined(separator: " ")),
                ("fill", "none"), ("stroke", Palette.common), ("stroke-width", n(10.7 * k)),
            ])
        svg.element(
            "text", [("x", n(x)), ("y", n(y + (icon == .pass ? 115 : -31) * k)), ("fill", colour)],
            content: letter(icon))
        svg.close("g")
    }

    /// The icon's white disc and coloured ring.
    private static func ring(x: Double, y: Double, radius: Double, colour: String, into svg: inout SVGWriter) {
        let n = SVGWriter.number
        svg.element(
            "circle",
            [
                ("cx", n(x)), ("cy", n(y)), ("r", n(radius)), ("fill", "#FFFFFF"), ("stroke", colour),
                ("stroke-width", n(radius * 20 / 151)),
            ])
    }

    static func letter(_ icon: VariationIcon) -> String {
        switch icon {
        case .improvementHigh, .concernHigh, .neutralHigh: "H"
        case .improvementLow, .concernLow, .neutralLow: "L"
        case .commonCause: "~"
        }
    }

    static func letter(_ icon: AssuranceIcon) -> String {
        switch icon {
        case .pass: "P"
        case .fail: "F"
        case .hitAndMiss: "?"
        }
    }

    /// Pass is improvement blue, fail concern amber, hit and miss common-cause grey.
    static func colour(_ icon: AssuranceIcon) -> String {
        switch icon {
        case .pass: Palette.improvement
        case .fail: Palette.concern
        case .hitAndMiss: Palette.common
        }
    }

    /// The icon's group: a class for CSS and tests, and a bold centred letter (117 units high in the
    /// published icon of radius 151).
    private static func group(_ name: String, radius: Double) -> [(String, String)] {
        [
            ("class", "icon \(name)"), ("font-size", SVGWriter.number(radius * 117 / 151)), ("font-weight", "700"),
            ("text-anchor", "middle"),
        ]
    }

    /// The start of a standalone icon's `<svg>` tag, up to its size; `body` finishes it.
    private static func opening(size: Double) -> String {
        let n = SVGWriter.number
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(centre * 2)) \(n(centre * 2))\" "
            + "width=\"\(n(size))\" height=\"\(n(size))\""
    }

    /// The rest of a standalone icon: an image named by its title, as the svg's first child. The short
    /// font list (a letter, in the interface font as in the charts) keeps thousands of icons light.
    private static func body(title: String, draw: (inout SVGWriter) -> Void) -> String {
        var svg = SVGWriter()
        svg.raw(#" role="img" font-family="system-ui, sans-serif" class="mdc-icon">"#)
        svg.element("title", [], content: title)
        draw(&svg)
        svg.close("svg")
        return svg.text
    }
}
