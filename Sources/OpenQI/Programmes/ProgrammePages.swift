import Fluent
import Foundation
import Plot
import SQLKit

/// The organisation's large-scale programmes and collaboratives: where each stands and how many
/// teams it has.
enum ProgrammeIndex {
    struct Row: Sendable, Equatable {
        let id: UUID
        let name: String
        let stage: ProgrammeStage
        let unitPath: String
        let priority: String?
        let leads: [String]
        /// Teams its forums approved, at work or finished.
        let teams: Int
    }

    struct Model: Sendable, Equatable {
        var rows: [Row]
        var canAdd: Bool
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Programmes" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("Programmes")),
                    .if(
                        model.canAdd,
                        .a(
                            .class("button secondary"), .href(SiteURL.programmes(.new).relativeURL()),
                            .text("Start a programme")))),
                .p(
                    .class("lead"),
                    .text(
                        "Large-scale programmes and collaboratives: a strategic priority delivered by many teams at once, each counting the same measures, learning together and spreading what works."
                    )),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("No programmes yet."))
                    : .scrollingTable(
                        .caption(.text("\(model.rows.count) programme\(model.rows.count == 1 ? "" : "s")")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Programme")), .th(.scope("col"), .text("Stage")),
                                .th(.scope("col"), .text("Run by")), .th(.scope("col"), .text("Priority")),
                                .th(.scope("col"), .text("Led by")),
                                .th(.scope("col"), .class("number"), .text("Teams")))),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    .th(
                                        .scope("row"),
                                        .a(
                                            .href(SiteURL.programmes(.show(.value(row.id))).relativeURL()),
                                            .text(row.name))),
                                    .td(.text(row.stage.label)), .td(.text(row.unitPath)),
                                    .td(.text(row.priority ?? "None")),
                                    .td(.text(row.leads.isEmpty ? "No lead yet" : row.leads.joined(separator: ", "))),
                                    .td(.class("number"), .text(String(row.teams))))
                            }))
            )
        }
    }
}

extension ProgrammeIndex.Model {
    static func query(policy: Policy, on db: any Database) async throws -> Self {
        struct Count: Decodable {
            let id: UUID
            let n: Int
        }
        let statuses = SQLList(ProgrammeShow.Model.joined.map { SQLLiteral.string($0.rawValue) })
        let joined = Dictionary(
            uniqueKeysWithValues: try await db.sql.raw(
                """
                SELECT programme_id AS id, COUNT(*) AS n FROM projects
                WHERE programme_id IS NOT NULL AND status IN (\(statuses)) GROUP BY programme_id
                """
            ).all(decoding: Count.self).map { ($0.id, $0.n) })
        let programmes = try await Programme.query(on: db).with(\.$priority).with(\.$people) { $0.with(\.$person) }
            .sort(\.$name).all()
        return .init(
            rows: try programmes.map { programme in
                let id = try programme.requireID()
                return .init(
                    id: id, name: programme.name, stage: programme.stage,
                    unitPath: policy.tree.path(of: programme.$unit.id), priority: programme.priority?.name,
                    leads: programme.people.filter { $0.role == .lead }.map(\.person.fullName).sorted(),
                    teams: joined[id] ?? 0)
            },
            canAdd: policy.allows(.startProgrammes))
    }
}

/// Starting or editing a programme: what it is, who runs it, the priority it delivers and the
/// standard measures every team counts.
enum ProgrammeForm {
    struct Model: Sendable, Equatable {
        var editingID: UUID?
        var editingName: String?
        var form: FormState
        var unitOptions: [FormField.Option]
        var priorityOptions: [FormField.Option]
        var measureOptions: [FormField.Option]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.editingName.map { "Edit \($0)" } ?? "Start a programme" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Programmes", url: SiteURL.programmes(.index).relativeURL())]
                + (model.editingID.map { id in
                    [
                        .init(
                            label: model.editingName ?? "Programme",
                            url: SiteURL.programmes(.show(.value(id))).relativeURL())
                    ]
                } ?? [])
        }

        override func content() -> Node<HTML.BodyContext> {
            let (action, cancel) = SiteURL.Programmes.form(editing: model.editingID)
            return FormView(
                action: action, csrfToken: context.csrfToken, state: model.form, fields: fields,
                submitLabel: model.editingID == nil ? "Start the programme" : "Save changes", cancelURL: cancel,
                anchor: "programme-form"
            ).page(pageTitle())
        }

        private var fields: [FormField] {
            [
                FormField(
                    name: "name", label: "Name", hint: "For example “Violence reduction” or “Access collaborative”.",
                    isRequired: true),
                FormField(
                    name: "unit_id", label: "Run by",
                    control: .select([.init(value: "", label: "Choose…")] + model.unitOptions),
                    hint: "Its administrators and QI team manage the programme with its leads.", isRequired: true),
                FormField(
                    name: "priority_id", label: "Strategic priority it delivers",
                    control: .select([.init(value: "", label: "None")] + model.priorityOptions)),
                FormField(
                    name: "aim", label: "Aim", control: .textarea(rows: 2),
                    hint: "What it will achieve, how much, by when: needed before teams deliver."),
                FormField(name: "description", label: "Description", control: .textarea(rows: 4)),
                FormField(
                    name: "measure_ids", label: "Standard measures every team counts",
                    control: .checkboxes(model.measureOptions),
                    hint: model.measureOptions.isEmpty
                        ? "There are no standard measures yet: define them on the Standard measures page."
                        : "Each team that joins gets these, with identical definitions."),
            ]
        }
    }

    /// The units the viewer may run a programme from, and the programme's own (`keeping`).
    static func units(policy: Policy, keeping: UUID?) -> [FormField.Option] {
        policy.tree.parentOptions().filter { option in
            guard let id = UUID(uuidString: option.value) else { return false }
            return id == keeping || policy.allows(.manageProgrammes(in: id))
        }
    }
}

extension ProgrammeChoices {
    /// What the form may choose from: the viewer's units, priorities in use, standard measures in
    /// use, and whatever the programme already has.
    static func query(for programme: Programme?, policy: Policy, on db: any Database) async throws -> Self {
        let priorities = try await Priority.query(on: db).sort(\.$name).all()
        let kept = programme?.$priority.id
        let counted = Set((programme?.$measures.value ?? []).compactMap(\.id))
        let standards = try await StandardMeasure.query(on: db).sort(\.$name).all().filter {
            !$0.isArchived || $0.id.map(counted.contains) == true
        }
        /// A choice of a stored record, marked when it is archived.
        func option(_ id: UUID?, _ name: String, archived: Bool) -> FormField.Option? {
            id.map { .init(value: $0.uuidString, label: name + (archived ? " (archived)" : "")) }
        }
        return .init(
            units: ProgrammeForm.units(policy: policy, keeping: programme?.$unit.id),
            priorities: PriorityChoices(priorities, kept: Set([kept].compactMap { $0 })),
            priorityOptions: priorities.filter { !$0.isArchived || $0.id == kept }.compactMap {
                option($0.id, $0.name, archived: $0.isArchived)
            },
            measures: standards.compactMap { option($0.id, $0.name, archived: $0.isArchived) })
    }
}
