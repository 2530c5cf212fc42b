import Foundation
import Vapor

/// The dosing plan form: the unit and year, and a number for each group and level (`need_GROUP_LEVEL`),
/// an empty one meaning no target.
struct DosingPlanInput: Sendable {
    let fields: [String: String]

    init(_ fields: [String: String]) { self.fields = fields }

    static let years = 2000...2100
    static let largestNeed = 1_000_000

    static func field(_ group: DosingGroup, _ level: CourseLevel) -> String {
        "need_\(group.rawValue)_\(level.rawValue)"
    }

    var formState: FormState { FormState(values: fields) }

    /// The fingerprint of the plan the form was opened with (`DosingPlan.fingerprint`).
    var read: String? { fields["plan_read"] }

    func validate(in tree: UnitTree) throws -> DosingPlan {
        var validator = Validator()
        let unitID = validator.identifier(fields["unit_id"], field: "unit_id", label: "the unit", required: true)
        validator.unitInUse(unitID, field: "unit_id", in: tree)
        let year = validator.wholeNumber(
            fields["year"], field: "year", label: "the year", in: Self.years, missing: "Enter the year the plan is for."
        )
        if (read ?? "").isEmpty {
            validator.fail(
                "plan_read",
                "This form does not say which plan it was opened with, so a change saved meanwhile could be lost. The plan is shown as it is now: enter your numbers again and save."
            )
        }
        var needs: [DosingPlan.Key: Int] = [:]
        for (group, level) in DosingGroup.planned {
            let name = Self.field(group, level)
            if let needed = validator.wholeNumber(
                fields[name], field: name,
                label: "how many of “\(group.label)” need the \(level.label.lowercased()) level",
                in: 0...Self.largestNeed)
            {
                needs[.init(group: group, level: level)] = needed
            }
        }
        return try validator.check(unitID, year) { unitID, year in DosingPlan(unitID: unitID, year: year, needs: needs)
        }
    }
}

extension Request {
    /// `?unit=ID` for a unit's figures: the organisation's when absent, nil when there is none yet.
    func capabilityUnit(in tree: UnitTree) throws -> UUID? {
        try unitFilter("unit", in: tree) ?? tree.organisationID
    }

    /// `?year=2027` for one year's figures: this year when absent; refused, saying so, for anything
    /// not a year OpenQI plans for.
    func yearParameter() throws -> Int {
        guard let text = query[String.self, at: "year"], !text.isEmpty else { return AppClock.today.year }
        guard text.utf8.count <= 4, let year = Int(text), DosingPlanInput.years.contains(year) else {
            throw ValidationFailure(
                field: "year",
                message:
                    "“\(text.prefix(20))” is not a year of the plan: give one from \(DosingPlanInput.years.lowerBound) to \(DosingPlanInput.years.upperBound)."
            )
        }
        return year
    }
}
