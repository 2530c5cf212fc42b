import Foundation
import Vapor

/// The supervision form: its day, the projects talked through (`project_ids[]`) and notes.
struct SupervisionInput: Content, Sendable {
    var held_on: String?
    var project_ids: [String]?
    var notes: String?

    var formState: FormState {
        FormState(
            values: ["held_on": held_on ?? "", "notes": notes ?? ""], selected: ["project_ids": Set(project_ids ?? [])])
    }

    /// `offered`: the coach's projects, the only ones a supervision may name.
    func validate(offered: Set<UUID>, today: CalendarDay) throws -> SupervisionDraft {
        var validator = Validator()
        let heldOn = validator.day(held_on, field: "held_on", label: "the day of the supervision", required: true)
            .map(CalendarDay.init(containing:))
        if let heldOn, heldOn > today {
            validator.fail("held_on", "Record a supervision once it has happened: \(heldOn.label) is still to come.")
        }
        let projectIDs = (project_ids ?? []).filter { !$0.isEmpty }.compactMap { text -> UUID? in
            guard let id = UUID(uuidString: text), offered.contains(id) else {
                validator.fail(
                    "project_ids", "“\(text.prefix(40))” is not one of this coach’s projects. Choose from the list.")
                return nil
            }
            return id
        }
        let notes =
            validator.optionalText(notes, field: "notes", label: "the notes", maxLength: 4000) ?? ""
        return try validator.check(heldOn) { heldOn in
            SupervisionDraft(
                heldOn: heldOn, projectIDs: Array(Set(projectIDs)).sorted { $0.uuidString < $1.uuidString },
                notes: notes)
        }
    }
}
