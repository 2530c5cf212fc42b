import Fluent
import Foundation
import Vapor

/// A person as typed into the form or sent to the API, before validation.
struct PersonInput: Content, Sendable {
    var full_name: String?
    var email: String?
    var kind: String?
    var unit_id: String?
    var job_title: String?
    var coaching_capacity: NumberText?
    var started_on: String? = nil
    /// The version an edit began from: the edit form's hidden field, and required by the API's PUT.
    var version: Int? = nil

    var formState: FormState {
        FormState(values: [
            "full_name": full_name ?? "", "email": email ?? "", "kind": kind ?? "", "unit_id": unit_id ?? "",
            "job_title": job_title ?? "", "coaching_capacity": coaching_capacity?.text ?? "",
            "started_on": started_on ?? "",
            "version": version.map(String.init) ?? "",
        ])
    }
}

/// A valid person, ready to save.
struct PersonDraft: Sendable, Equatable {
    var fullName: String
    var email: String?
    var kind: PersonKind
    var unitID: UUID
    var jobTitle: String?
    var coachingCapacity: Int?
    var startedOn: Date? = nil
}

extension PersonInput: VersionedInput {
    init(_ person: Person) {
        self.init(
            full_name: person.fullName, email: person.email, kind: person.kind.rawValue,
            unit_id: person.$unit.id?.uuidString, job_title: person.jobTitle,
            coaching_capacity: person.coachingCapacity.map { NumberText(String($0)) },
            started_on: person.startedOn.map(CalendarDay.text), version: person.version
        )
    }

    static let labels: [(field: String, label: String)] = [
        ("full_name", "Full name"), ("kind", "Kind"), ("unit_id", "Unit"), ("email", "Email"),
        ("job_title", "Role or job title"), ("coaching_capacity", "Projects they can coach at once"),
        ("started_on", "Started in the organisation"),
    ]

    /// The unit the input names, when it names one of the tree's (archived or not): whoever may not
    /// manage its people is refused before anything about the input is checked.
    func namedUnit(in tree: UnitTree) -> UUID? {
        unit_id.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }.flatMap {
            tree.nodes[$0] == nil ? nil : $0
        }
    }

    /// Checks the fields, that the unit is in use, and that no other person has the same email.

    func validate(in tree: UnitTree, editing: UUID? = nil, on db: any Database) async throws -> PersonDraft {
        var validator = Validator()
        let name = validator.requiredText(
            full_name, field: "full_name", label: "the person’s full name", maxLength: 120)
        let email = validator.email(email, field: "email", required: false)
        let kind = validator.choice(kind, field: "kind", label: "the kind of person", as: PersonKind.self)
        let unitID = validator.identifier(unit_id, field: "unit_id", label: "the unit they belong to", required: true)
        let jobTitle = validator.optionalText(
            job_title, field: "job_title", label: "the role or job title", maxLength: 120)
        let coachingCapacity = validator.wholeNumber(
            coaching_capacity?.text, field: "coaching_capacity", label: "the projects they can coach", in: 0...50)
        let startedOn = validator.day(
            started_on, field: "started_on", label: "the day they started in the organisation", required: false)
        if let startedOn, startedOn > AppClock.now {
            validator.fail(
                "started_on",
                "Enter a day they have already started on: \(CalendarDay.label(startedOn)) is still to come.")
        }
        validator.unitInUse(unitID, field: "unit_id", in: tree)
        if let email, validator.errors.allSatisfy({ $0.field != "email" }) {
            var others = Person.query(on: db).filter(\.$email == email).filter(\.$archivedAt == nil)
            if let editing { others = others.filter(\.$id != editing) }
            if let other = try await others.first() {
                validator.fail(
                    "email",
                    "\(other.fullName) already has the email \(email). Each person needs their own email address.")
            }
        }
        return try validator.check(kind, unitID) { kind, unitID in
            PersonDraft(
                fullName: name, email: email, kind: kind, unitID: unitID, jobTitle: jobTitle,
                coachingCapacity: coachingCapacity, startedOn: startedOn)
        }
    }
}
