import Foundation
import Vapor

/// What is being done about a slipping signal, as the project page's form sends it: the signal
/// chosen (its measure and the period it began, as the person saw it) and the action.
struct GainsResponseInput: Content, Sendable {
    var signal: String?
    var action: String?

    var formValues: [String: String] { ["signal": signal ?? "", "action": action ?? ""] }

    struct Valid: Sendable {
        let measureID: UUID
        let signalFrom: CalendarDay
        let action: String
    }

    func validate() throws -> Valid {
        var validator = Validator()
        let parts = (signal ?? "").split(separator: "@", maxSplits: 1).map(String.init)
        let measureID = parts.count == 2 ? UUID(uuidString: parts[0]) : nil
        let from = parts.count == 2 ? CalendarDay(parsing: parts[1], as: .iso) : nil
        if measureID == nil || from == nil {
            validator.fail("signal", "Choose the measure whose gains are slipping from the list.")
        }
        let action = validator.requiredText(
            action, field: "action", label: "what is being done about it", maxLength: 4000)
        return try validator.check(measureID, from) { measureID, from in
            Valid(measureID: measureID, signalFrom: from, action: action)
        }
    }
}
