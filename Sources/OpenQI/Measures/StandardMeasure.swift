import Fluent
import Foundation

/// A measure defined once for the whole organisation ("Incidents of violence per 1,000 occupied
/// bed days"), so that every team and ward counting it counts the same thing the same way: a
/// programme's teams, the wards early warning compares. Its definition is versioned: a change to
/// what the measures made from it copy moves `definitionVersion` on, and each of them shows which
/// definition version it follows. (`version` counts every save, for edit conflicts: a rename or an
/// archiving moves it, not the definition's.)
package final class StandardMeasure: Model, Versioned, @unchecked Sendable {
    package static let schema = "standard_measures"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @Enum(key: "kind") package var kind: MeasureKind
    @Field(key: "definition") package var definition: String
    @OptionalField(key: "unit_of_measure") package var unitOfMeasure: String?
    @Enum(key: "frequency") package var frequency: DataFrequency
    @Field(key: "chart_type") package var chartType: String
    @Field(key: "rules") package var rules: String
    @Field(key: "direction") package var direction: String
    @OptionalField(key: "target") package var target: Double?
    @Field(key: "multiply") package var multiply: Double
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    /// Moves on with every change of the definition (`Versioned`).
    @Field(key: "version") package var version: Int
    /// Moves on only when what measures made from it copy changes.
    @Field(key: "definition_version") package var definitionVersion: Int
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {
        version = 1
        definitionVersion = 1
    }

    var isArchived: Bool { archivedAt != nil }
}

extension StandardMeasure: MeasureDefinition {}

extension StandardMeasure: Archivable {
    var auditSubject: AuditSubject { .init(kind: "standard_measure", id: id, name: name, unitID: nil) }
    var auditFields: [String: String] {
        [
            "name": name, "kind": kind.rawValue, "definition": definition, "unit_of_measure": unitOfMeasure ?? "",
            "frequency": frequency.rawValue, "chart_type": chartType, "rules": rules, "direction": direction,
            "target": target.map { "\($0)" } ?? "", "multiply": "\(multiply)", "archived": isArchived ? "yes" : "no",
            "definition_version": String(definitionVersion),
        ]
    }
}

struct CreateStandardMeasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StandardMeasure.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("definition", .string, .required)
            .field("unit_of_measure", .string)
            .field("frequency", .string, .required)
            .field("chart_type", .string, .required)
            .field("rules", .string, .required)
            .field("direction", .string, .required)
            .field("target", .double)
            .field("multiply", .double, .required)
            .field("archived_at", .datetime)
            .field("version", .int, .required, .sql(.default(1)))
            .field("definition_version", .int, .required, .sql(.default(1)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StandardMeasure.schema).delete()
    }
}

/// Links measures to the standard measure they were made from, one column per step (SQLite adds
/// one at a time).
struct AddStandardsToMeasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Measure.schema)
            .field("standard_id", .uuid, .references(StandardMeasure.schema, "id")).update()
        try await database.schema(Measure.schema).field("standard_version", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Measure.schema).deleteField("standard_version").update()
        try await database.schema(Measure.schema).deleteField("standard_id").update()
    }
}

extension MeasureInput {
    /// The form as it opens on a standard measure.
    init(standard: StandardMeasure) {
        self.init(definition: standard)
        version = standard.version
    }
}

extension MeasureInput.Valid {
    /// What a measure made from a standard copies from it: everything but the name.
    var copied: MeasureInput.Valid {
        var copy = self
        copy.name = ""
        return copy
    }
}

/// The standard measure's form: a measure's, with its own version.
struct StandardMeasureInput: VersionedInput {
    let input: MeasureInput
    var version: Int? { input.version }
    var formState: FormState { input.formState }
    static var labels: [(field: String, label: String)] { MeasureInput.labels.filter { $0.field != "key" } }

    init(_ input: MeasureInput) { self.input = input }
    init(_ standard: StandardMeasure) { input = MeasureInput(standard: standard) }
}

extension StandardMeasureInput {
    /// The measure's checks, and a name no other standard measure has.
    func validate(among standards: [StandardMeasure], editing: UUID? = nil) throws -> MeasureInput.Valid {
        var names = Validator()
        names.uniqueName(
            input.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "",
            among: standards.map { ($0.id, $0.name, $0.isArchived) }, editing: editing, called: "standard measure")
        let valid: MeasureInput.Valid
        do {
            valid = try input.validate()
        } catch let failure as ValidationFailure {
            throw ValidationFailure(failure.errors + names.errors)
        }
        try names.check()
        return valid
    }
}

extension StandardMeasure {
    /// Adds a standard measure, audited.
    static func create(_ valid: MeasureInput.Valid, by actor: Actor, on db: any Database) async throws
        -> StandardMeasure
    {
        let standard = StandardMeasure()
        standard.applyDefinition(valid)
        try await nameTaken(valid.name, by: "standard measure") {
            try await standard.saveAudited(.create, by: actor, on: db)
        }
        return standard
    }

    /// Changes the definition, moving the version on; throws `EditConflict` when someone saved it
    /// since `expected`. The measures made from it keep the version they follow until their teams
    /// take the new one.
    func update(with valid: MeasureInput.Valid, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        let before = auditFields
        let copied = MeasureInput.Valid(self).copied
        applyDefinition(valid)
        if MeasureInput.Valid(self).copied != copied { definitionVersion += 1 }
        try await nameTaken(valid.name, by: "standard measure") {
            try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db)
        }
    }
}

extension MeasureInput {
    /// What a measure made from `standard` is: the standard's definition, under the name and key
    /// typed here (a ward may call its copy "Violence on Cedar").
    func following(_ standard: StandardMeasure) -> MeasureInput {
        var input = MeasureInput(standard: standard)
        input.name = name
        input.key = key
        input.version = version
        return input
    }

    /// The measure's own definition under the name and key typed here: a measure made from a
    /// standard changes its definition only by taking the standard's next version.
    func keeping(_ measure: Measure) -> MeasureInput {
        var input = MeasureInput(measure)
        input.name = name
        input.key = key
        input.version = version
        return input
    }
}

extension Measure {
    /// Takes the standard measure's definition version `shown` (its name and key stay), moving the
    /// measure's version on, audited, with the chart's summary redrawn; throws `EditConflict` when
    /// someone saved the measure since `expected`, and refuses a version other than the one shown.
    func followStandard(version shown: Int, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        guard let standardID = $standard.id, let standard = try await StandardMeasure.find(standardID, on: db) else {
            throw ValidationFailure(field: "standard", message: "“\(name)” is not made from a standard measure.")
        }
        guard standardVersion != standard.definitionVersion else {
            throw ValidationFailure(
                field: "standard",
                message: "“\(name)” already follows version \(standard.definitionVersion) of “\(standard.name)”.")
        }
        guard shown == standard.definitionVersion else {
            throw ValidationFailure(
                field: "standard",
                message: "“\(standard.name)” changed again since this page was opened: it is now at version "
                    + "\(standard.definitionVersion). Read what changed below, and take it if it is right for this measure."
            )
        }
        let before = auditFields
        apply(try MeasureInput(self).following(standard).validate())
        standardVersion = standard.definitionVersion
        try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db) { db in
            try await self.refreshSummary(on: db)
        }
    }
}

extension Measure {
    /// A project's measure made from a standard measure: its name and definition, and the version
    /// of that definition it follows, as the standard has them now.
    package static func made(from standard: StandardMeasure, for project: Project) -> Measure {
        let measure = Measure()
        measure.$project.id = project.id
        measure.$unit.id = project.$unit.id
        measure.applyDefinition(MeasureInput.Valid(standard))
        measure.$standard.id = standard.id
        measure.standardVersion = standard.definitionVersion
        return measure
    }
}
