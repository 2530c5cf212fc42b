import Fluent
import Vapor

/// What an edit form of a `Versioned` record typed: its values, the version it began from, and
/// the labels of the fields a person types, so a conflict can be shown field by field.
protocol VersionedInput {
    associatedtype Record: Versioned
    /// The version the edit began from (the form's hidden field).
    var version: Int? { get }
    /// The form's values and choices as typed.
    var formState: FormState { get }
    /// The fields a person types, with the labels the form gives them, in the form's order.
    static var labels: [(field: String, label: String)] { get }
    /// The record as its form shows it.
    init(_ record: Record)
}

extension Request {
    /// `saveForm` for an edit of a `Versioned` record. `save` gets the version the form began from
    /// (a form without one is refused: it could overwrite unseen). When someone saved the record
    /// after the form opened, the form comes back (409) with this person's text kept, what was
    /// saved beside each field that differs, who saved it, and the version moved on, so that
    /// saving again is a knowing choice. `shownAs` gives the words for a saved value that is not
    /// itself readable (a unit's id).
    func saveEdit<Input: VersionedInput>(
        _ input: Input, of record: Input.Record, called name: String,
        shownAs: (Input.Record) async throws -> [String: String] = { _ in [:] },
        save: (_ version: Int) async throws -> Response,
        redraw: (_ record: Input.Record, _ state: FormState) async throws -> Response
    ) async throws -> Response {
        do {
            return try await saveForm(typed: input.formState) {
                guard let version = input.version else { throw ValidationFailure.versionMissing(of: name) }
                return try await save(version)
            } redraw: { state in
                try await redraw(record, state)
            }
        } catch let conflict as EditConflict<Input.Record> {
            let saved = conflict.saved
            let latest = try await AuditEntry.latest(about: saved.requireID(), on: db)
            var state = input.formState
            state.errors = FieldError.conflict(
                typed: state.values, saved: Input(saved).formState.values, labels: Input.labels,
                savedBy: latest?.actorName, at: latest?.occurredAt, record: name, shownAs: try await shownAs(saved))
            state.values["version"] = String(saved.version)
            let page = try await redraw(saved, state)
            page.status = .conflict
            return page
        }
    }
}
