import SPC

/// The Making Data Count icons, drawn once here for both the control chart's corner and standalone use
/// (a measures table shows them on every row): variation as a ring round H, L or ~ in the class's
/// colour, assurance as a filled disc with P, F or ?. The letter says what the colour says, so the icons
/// read without colour.
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

    /// A ring round the letter, in the variation's colour. `titled` puts the explanation inside the
    /// group, as a tooltip in a chart; a standalone icon has it as the `<svg>`'s own title instead, which
    /// is what names an image for screen readers.
    static func drawVariation(
        _ icon: VariationIcon, x: Double, y: Double, radius: Double, titled: Bool = true, into svg: inout SVGWriter
    ) {
        let n = SVGWriter.number
        let colour = Palette.colour(icon)
        svg.open("g", group("variation \(icon.rawValue)", radius: radius))
        if titled { svg.element("title", [], content: Describe.variation(icon)) }
        svg.element(
            "circle",
            [
                ("cx", n(x)), ("cy", n(y)), ("r", n(radius)), ("fill", "#FFFFFF"), ("stroke", colour),
                ("stroke-width", n(radius * 3 / 16)),
            ])
        svg.element("text", [("x", n(x)), ("y", n(y + radius / 4)), ("fill", colour)], content: letter(icon))
        svg.close("g")
    }

    /// A disc in the assurance's colour with a white letter.
    static func drawAssurance(
        _ icon: AssuranceIcon, x: Double, y: Double, radius: Double, titled: Bool = true, into svg: inout SVGWriter
    ) {
        let n = SVGWriter.number
        svg.open("g", group("assurance \(icon.rawValue)", radius: radius))
        if titled { svg.element("title", [], content: Describe.assurance(icon)) }
        svg.element("circle", [("cx", n(x)), ("cy", n(y)), ("r", n(radius)), ("fill", colour(icon))])
        svg.element("text", [("x", n(x)), ("y", n(y + radius / 4)), ("fill", "#FFFFFF")], content: letter(icon))
        svg.close("g")
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

    /// The icon's group: a class for CSS and tests, and a bold centred letter three quarters of the radius.
    private static func group(_ name: String, radius: Double) -> [(String, String)] {
        [
            ("class", "icon \(name)"), ("font-size", SVGWriter.number(radius * 0.75)), ("font-weight", "700"),
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
