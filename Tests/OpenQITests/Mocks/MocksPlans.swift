import Foundation

@testable import OpenQI

extension AnnualPlanShow.Model {
    static var mock: AnnualPlanShow.Model {
        let safer = AnnualPlanShow.Box(
            box: .driver(Mock.id(152)), kind: "Primary driver", text: "Safer care",
            projects: [],
            programmes: [
                .init(
                    linkID: Mock.id(160), name: "Violence reduction", url: "/programmes/\(Mock.id(91))",
                    state: "Deliver")
            ],
            measures: [
                .init(
                    id: Mock.id(65), name: "Falls per 1,000 bed days", recent: [4.1, 3.8, 4.4, 3.2, 2.9, 2.7],
                    latestClass: .improvement, latestValue: 2.7, latestPeriod: Mock.day("2026-11-02"),
                    variation: .improvementLow, assurance: nil, target: 3)
            ],
            measureLinks: [Mock.id(65): Mock.id(161)])
        let huddles = AnnualPlanShow.Box(
            box: .idea(Mock.id(153)), kind: "Change idea", text: "Safety huddles on every ward",
            projects: [
                .init(
                    linkID: Mock.id(162), name: "Calmer nights on Cedar Ward", url: "/projects/\(Mock.id(97))",
                    state: "Active")
            ], programmes: [], measures: [], measureLinks: [:])
        let waits = AnnualPlanShow.Box(
            box: .driver(Mock.id(154)), kind: "Primary driver", text: "Timely access", projects: [], programmes: [],
            measures: [], measureLinks: [:])
        return .init(
            id: Mock.id(151), title: "Adult Mental Health plan 2026/27", unitPath: "Trust › Adult Mental Health",
            yearLabel: "2026/27", aim: "Fewer people harmed and shorter waits by March 2027",
            parent: .init(label: "Trust plan 2026/27", url: "/plans/\(Mock.id(150))"), below: [],
            svg: "<svg role=\"img\" aria-label=\"Driver diagram\"></svg>", boxes: [safer, huddles, waits],
            canManage: true,
            boxOptions: [
                .init(value: PlanBox.driver(Mock.id(152)).value, label: "Safer care (primary driver)"),
                .init(value: PlanBox.idea(Mock.id(153)).value, label: "Safety huddles on every ward (change idea)"),
            ],
            workOptions: [
                .init(value: PlanWork.project(Mock.id(97)).value, label: "Project: Calmer nights on Cedar Ward"),
                .init(value: PlanWork.programme(Mock.id(91)).value, label: "Programme: Violence reduction"),
            ],
            linkForm: FormState(
                values: ["box": PlanBox.idea(Mock.id(153)).value],
                errors: [FieldError(field: "work", message: "Choose a project, programme or measure from the list.")]))
    }
}

extension AnnualPlanForm.Model {
    static let mock = AnnualPlanForm.Model(
        editingID: nil, editingTitle: nil,
        form: FormState(
            values: ["unit_id": "\(Mock.id(2))", "year": "2026", "aim": ""],
            errors: [FieldError(field: "aim", message: "Enter what the unit will achieve this year.")]),
        unitOptions: [.init(value: "\(Mock.id(2))", label: "— Adult Mental Health")],
        parentOptions: [.init(value: "\(Mock.id(150))", label: "Trust plan 2026/27")])
}
