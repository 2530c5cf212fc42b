import OpenQI

/// Foundation has a `Unit` too (for measurements); here, `Unit` is OpenQI's organisation unit.
typealias Unit = OpenQI.Unit
