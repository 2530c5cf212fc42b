import SPC

/// NHS Making Data Count's colours (NHSRplotthedots `ptd_spc_colours`), with a shape per class too,
/// so the chart reads without colour.
enum Palette {
    static let common = "#7B7D7D"
    static let improvement = "#289DE0"
    static let concern = "#FAB428"
    static let neutral = "#361475"
    static let line = "#A6A6A6"
    static let centre = "#231F20"
    static let limit = "#595959"
    static let twoSigma = "#9A9A9A"
    static let target = "#C2185B"
    static let grid = "#E8E8E8"
    static let text = "#231F20"
    static let muted = "#5B6670"

    static func colour(_ pointClass: PointClass) -> String {
        switch pointClass {
        case .common: common
        case .improvement: improvement
        case .concern: concern
        case .neutral: neutral
        }
    }

    static func colour(_ icon: VariationIcon) -> String {
        switch icon {
        case .commonCause: common
        case .improvementHigh, .improvementLow: improvement
        case .concernHigh, .concernLow: concern
        case .neutralHigh, .neutralLow: neutral
        }
    }
}

/// The marker of a point: circle for common cause, diamond for improvement, square for concern,
/// triangle for neutral; an open circle for an excluded point.
enum Marker {
    static func draw(_ pointClass: PointClass, excluded: Bool, x: Double, y: Double, into svg: inout SVGWriter) {
        let n = SVGWriter.number
        if excluded {
            svg.element(
                "circle",
                [
                    ("cx", n(x)), ("cy", n(y)), ("r", "4"), ("fill", "#FFFFFF"), ("stroke", Palette.common),
                    ("stroke-width", "1.5"),
                ])
            return
        }
        let colour = Palette.colour(pointClass)
        switch pointClass {
        case .common:
            svg.element("circle", [("cx", n(x)), ("cy", n(y)), ("r", "3.5"), ("fill", colour)])
        case .improvement:
            svg.element(
                "path",
                [
                    ("d", "M\(n(x)) \(n(y - 6))L\(n(x + 6)) \(n(y))L\(n(x)) \(n(y + 6))L\(n(x - 6)) \(n(y))Z"),
                    ("fill", colour),
                ])
        case .concern:
            svg.element(
                "rect", [("x", n(x - 5)), ("y", n(y - 5)), ("width", "10"), ("height", "10"), ("fill", colour)])
        case .neutral:
            svg.element(
                "path",
                [("d", "M\(n(x)) \(n(y - 6))L\(n(x + 6)) \(n(y + 5))L\(n(x - 6)) \(n(y + 5))Z"), ("fill", colour)])
        }
    }
}
