import Fluent
import Foundation
import SPC
import Vapor

/// A measure's definition as typed into the form or sent to the API, before validation.
struct MeasureInput: Content, Sendable, VersionedInput {
    var name: String?
    var key: String?
    var kind: String?
    var definition: String?
    var unit_of_measure: String?
    var frequency: String?
    var chart_type: String?
    var rules: String?
    var direction: String?
    var target: String?
    var multiply: String?
    /// The version of the measure an edit began from (the edit form's hidden field).
    var version: Int?
    /// The standard measure a new measure is made from (the form's hidden field), whose definition
    /// it takes.
    var standard_id: String? = nil

    var formValues: [String: String] {
        [
            "name": name ?? "", "key": key ?? "", "kind": kind ?? "", "definition": definition ?? "",
            "unit_of_measure": unit_of_measure ?? "",
            "frequency": frequency ?? "", "chart_type": chart_type ?? "", "rules": rules ?? "",
            "direction": direction ?? "",
            "target": target ?? "", "multiply": multiply ?? "", "version": version.map(String.init) ?? "",
            "standard_id": standard_id ?? "",
        ]
    }

    var formState: FormState { FormState(values: formValues) }

    static let labels: [(field: String, label: String)] = [
        ("name", "The name"), ("key", "The key for bulk data"), ("kind", "The kind"),
        ("definition", "The operational definition"), ("unit_of_measure", "The unit of measure"),
        ("frequency", "How often it is collected"), ("chart_type", "The chart"), ("rules", "The rules"),
        ("direction", "Which way is better"), ("target", "The target"), ("multiply", "What values are multiplied by"),
    ]

    struct Valid: Sendable, Equatable {
        var name: String
        let key: String?
        let kind: MeasureKind
        let definition: String
        let unitOfMeasure: String?
        let frequency: DataFrequency
        let chart: ChartType
        let rules: RuleSet
        let direction: ImprovementDirection
        let target: Double?
        let multiply: Double
    }

    func validate() throws -> Valid {
        var validator = Validator()
        let name = validator.requiredText(name, field: "name", label: "a name for the measure", maxLength: 160)
        let key = validator.measureKey(key, field: "key")
        let kind = validator.choice(kind, field: "kind", label: "the kind of measure", as: MeasureKind.self)
        let definition = validator.requiredText(
            definition, field: "definition", label: "the operational definition (what is counted, how and when)",
            maxLength: 4000)
        let unitOfMeasure = validator.optionalText(
            unit_of_measure, field: "unit_of_measure", label: "the unit of measure", maxLength: 80)
        let frequency = validator.choice(
            frequency, field: "frequency", label: "how often data are collected", as: DataFrequency.self)
        let chart = validator.choice(chart_type, field: "chart_type", label: "the chart type", as: ChartType.self)
        let rules = validator.choice(rules, field: "rules", label: "the rules", as: RuleSet.self)
        let direction = validator.choice(
            direction, field: "direction", label: "which way is better", as: ImprovementDirection.self)
        let target = validator.decimal(
            self.target, field: "target", label: "the target (or leave it empty if there is none)",
            in: -DataImport.largestValue...DataImport.largestValue)
        let multiply =
            validator.decimal(
                self.multiply, field: "multiply", label: "what to multiply by (100 for percentages)",
                in: 0.000_001...1_000_000) ?? 1
        return try validator.check(kind, frequency, chart, rules, direction) {
            kind, frequency, chart, rules, direction in
            Valid(
                name: name, key: key, kind: kind, definition: definition, unitOfMeasure: unitOfMeasure,
                frequency: frequency,
                chart: chart,
                rules: rules, direction: direction, target: target, multiply: multiply
            )
        }
    }
}

extension MeasureInput {
    /// The form as it opens on a saved measure.
    init(_ measure: Measure) {
        self.init(definition: measure)
        key = measure.key
        version = measure.version
    }

    /// The fields of a definition, as a form shows them.
    init(definition: some MeasureDefinition) {
        name = definition.name
        kind = definition.kind.rawValue
        self.definition = definition.definition
        unit_of_measure = definition.unitOfMeasure
        frequency = definition.frequency.rawValue
        chart_type = definition.chartType
        rules = definition.rules
        direction = definition.direction
        target = definition.target.map(Self.typed)
        multiply = Self.typed(definition.multiply)
    }

    /// A number as someone would type it: 100, not 100.0.
    private static func typed(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension MeasureInput.Valid {
    /// A saved definition as it stands, for showing it: a page that reads it never fails a check
    /// made since it was saved (a code no longer known reads as the default).
    init(_ saved: some MeasureDefinition) {
        self.init(
            name: saved.name, key: nil, kind: saved.kind, definition: saved.definition,
            unitOfMeasure: saved.unitOfMeasure, frequency: saved.frequency,
            chart: ChartType(rawValue: saved.chartType) ?? .run, rules: RuleSet(rawValue: saved.rules) ?? .anhoej,
            direction: ImprovementDirection(rawValue: saved.direction) ?? .neutral, target: saved.target,
            multiply: saved.multiply)
    }
}

extension MeasureInput {
    /// The fields in which definition `to` differs from `from`, the name and key aside, as the
    /// form labels them: what taking a standard's new version would change on a measure.
    static func differences(from: some MeasureDefinition, to: some MeasureDefinition) -> [String] {
        let before = MeasureInput(definition: from).formValues
        let after = MeasureInput(definition: to).formValues
        return labels.filter { !["name", "key"].contains($0.field) && before[$0.field] != after[$0.field] }
            .map { $0.label.prefix(1).lowercased() + $0.label.dropFirst() }
    }
}
