import Foundation

@testable import OpenQI

extension StrategyPage.Model {
    static var mock: StrategyPage.Model {
        let objectives = [
            StrategyPage.Objective(
                id: Mock.id(60), name: "Improved experience of care",
                summary: "Care that service users and carers say is right for them.", isArchived: false,
                measures: [
                    .init(
                        id: Mock.id(65), name: "Service users who would recommend us",
                        recent: [84, 85, 83, nil, 86, 88, 89, 90], latestClass: .improvement, latestValue: 90,
                        latestPeriod: Mock.day("2026-11-01"), variation: .improvementHigh, assurance: .pass,
                        target: 90)
                ],
                priorities: [
                    .init(
                        id: Mock.id(61), name: "Reducing violence and restrictive practice",
                        summary: "Safer wards for everyone on them.", isArchived: false, active: 12, completed: 30,
                        programmes: 1),
                    .init(
                        id: Mock.id(62), name: "Timely access to care", summary: nil, isArchived: true, active: 0,
                        completed: 4),
                ]),
            StrategyPage.Objective(
                id: Mock.id(63), name: "Improved value", summary: nil, isArchived: true, measures: [],
                priorities: []),
        ]
        let unfiled = [
            StrategyPage.PriorityRow(
                id: Mock.id(64), name: "Reducing harm", summary: nil, isArchived: false, active: 1, completed: 0)
        ]
        let aim = "The best quality of life for all the communities we serve"
        return StrategyPage.Model(
            aim: aim, objectives: objectives, unfiled: unfiled, unaligned: 7,
            diagramSVG: StrategyPage.Model.diagram(aim: aim, objectives: objectives, unfiled: unfiled).svg(),
            canManage: true,
            plans: [
                .init(
                    id: Mock.id(150), title: "Trust plan 2026/27", aim: "Safer wards and timely care this year",
                    boxes: 2, projects: 0, programmes: 2, measures: 0),
                .init(
                    id: Mock.id(151), title: "Adult Mental Health plan 2026/27",
                    aim: "Fewer people harmed and shorter waits by March 2027", boxes: 6, projects: 4, programmes: 2,
                    measures: 2),
            ], canPlan: true)
    }
}

extension StrategyForm.Model {
    static let mock = StrategyForm.Model(
        subject: .priority, editingID: Mock.id(61), editingName: "Reducing violence and restrictive practice",
        form: FormState(
            values: ["name": "", "objective_id": "\(Mock.id(60))", "description": "Safer wards.", "version": "3"],
            errors: [FieldError(field: "name", message: "Enter a name.")]),
        objectiveOptions: [
            FormField.Option(value: "\(Mock.id(60))", label: "Improved experience of care"),
            FormField.Option(value: "\(Mock.id(63))", label: "Improved value (archived)"),
        ])
}

extension StandardMeasureIndex.Model {
    static let mock = StandardMeasureIndex.Model(
        rows: [
            .init(
                id: Mock.id(70), name: "Violent incidents per 1,000 occupied bed days", kind: .outcome,
                frequency: .monthly, version: 3, isArchived: false, followers: 22),
            .init(
                id: Mock.id(71), name: "Restraint", kind: .process, frequency: .weekly, version: 1, isArchived: true,
                followers: 0),
        ], canManage: true)
}

extension StandardMeasureShow.Model {
    static let mock = StandardMeasureShow.Model(
        id: Mock.id(70),
        standard: .init(
            name: "Violent incidents per 1,000 occupied bed days", key: nil, kind: .outcome,
            definition: "Incidents of violence or aggression recorded on Datix, per 1,000 occupied bed days.",
            unitOfMeasure: "per 1,000 bed days", frequency: .monthly, chart: .u, rules: .mdc, direction: .down,
            target: nil, multiply: 1000),
        version: 3, isArchived: false,
        followers: [
            .init(id: Mock.id(72), name: "Violent incidents", owner: "Safer Willow Ward", version: 3),
            .init(
                id: Mock.id(73), name: "Violence on Cedar", owner: "Trust › Adult Mental Health › Cedar Ward",
                version: 2),
        ], canManage: true)
}

extension MeasureForm.Model {
    static let standardMock = MeasureForm.Model(
        ownerName: "the organisation", action: "/standard-measures", cancelURL: "/standard-measures",
        form: FormState(
            values: ["name": "Restraint", "kind": "process", "frequency": "weekly", "chart_type": "run"],
            errors: [FieldError(field: "definition", message: "Enter the operational definition.")]),
        isStandard: true)
}
