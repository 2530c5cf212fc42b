import Foundation

@testable import OpenQI

extension ProgrammeIndex.Model {
    static var mock: ProgrammeIndex.Model {
        .init(
            rows: [
                .init(
                    id: Mock.id(90), name: "Access", stage: .evaluate, unitPath: "East Riverside NHS Foundation Trust",
                    priority: "Timely access to care", leads: ["Hassan Campbell"], teams: 15),
                .init(
                    id: Mock.id(91), name: "Violence reduction", stage: .deliver,
                    unitPath: "East Riverside NHS Foundation Trust", priority: nil, leads: [], teams: 24),
            ],
            canAdd: true)
    }
}

extension ProgrammeShow.Model {
    static var mock: ProgrammeShow.Model {
        .init(
            id: Mock.id(91), name: "Violence reduction", summary: "Began on one ward and spread in waves.",
            aim: "Reduce physical violence on our inpatient wards by 30% by March 2027",
            unitPath: "East Riverside NHS Foundation Trust", priority: "Reducing violence and restrictive practice",
            stage: .recruit, version: 4,
            people: [
                .init(memberID: Mock.id(92), personID: Mock.id(93), name: "Priya Raman", role: .lead),
                .init(memberID: Mock.id(94), personID: Mock.id(95), name: "Tendai Moyo", role: .participationLead),
            ],
            measures: [.init(id: Mock.id(96), name: "Violent incidents", version: 2)],
            teams: [
                .init(
                    id: Mock.id(97), title: "Reducing violence on Willow Ward", unitPath: "Trust › Willow Ward",
                    status: .active, stage: .test, score: .init(rawValue: 3))
            ],
            proposed: [
                .init(
                    id: Mock.id(98), title: "Reducing violence on Cedar Ward", unitPath: "Trust › Cedar Ward",
                    status: .proposed, stage: nil, score: nil)
            ],
            history: [
                .init(
                    from: .design, to: .recruit, decidedOn: Mock.day("2026-03-02"),
                    note: "Driver diagram and standard measures agreed at the design day.", decidedBy: "Priya Raman")
            ],
            sessions: [
                .init(
                    id: Mock.id(102), number: 1, heldOn: Mock.day("2026-10-05"), place: "Trust headquarters",
                    teamsCame: 1, plans: 1)
            ],
            missingToDeliver: [
                "It has no executive sponsor. Add one under People: a director who answers for it to the board."
            ],
            canManage: true, stageForm: FormState(values: ["decided_on": "2026-12-01"]),
            personForm: FormState(
                values: ["person": "Sam", "role": "analyst"],
                errors: [FieldError(field: "person_id", message: "2 people match “Sam”. Choose who you mean.")]),
            personChoices: [
                .init(value: Mock.id(99).uuidString, label: "Sam Whitfield — Staff, Trust"),
                .init(value: Mock.id(100).uuidString, label: "Sam Okafor — Service user, Trust"),
            ], sessionForm: FormState(values: ["held_on": "2026-11-30"]))
    }
}

extension LearningSessionPage.Model {
    static var mock: LearningSessionPage.Model {
        .init(
            id: Mock.id(102), programmeID: Mock.id(91), programmeName: "Violence reduction", number: 1,
            heldOn: Mock.day("2026-10-05"), place: "Trust headquarters", agenda: "Storyboards from every ward.",
            version: 2,
            teams: [
                .init(
                    id: Mock.id(97), title: "Reducing violence on Willow Ward", unitPath: "Trust › Willow Ward",
                    members: [
                        .init(value: Mock.id(103).uuidString, label: "Jordan Ellis"),
                        .init(value: Mock.id(95).uuidString, label: "Tendai Moyo"),
                    ], came: ["Jordan Ellis"], plan: "Twice-daily safety huddle on nights")
            ], canManage: true,
            registerForm: LearningSessionRegisterInput(
                attended: [Mock.id(97).uuidString: [Mock.id(103).uuidString]],
                plans: [Mock.id(97).uuidString: "Twice-daily safety huddle on nights"]
            ).formState,
            detailsForm: FormState(values: ["held_on": "2026-10-05", "place": "Trust headquarters"]))
    }
}

extension ProgrammeForm.Model {
    static var mock: ProgrammeForm.Model {
        .init(
            editingID: nil, editingName: nil,
            form: FormState(
                values: ["name": "", "unit_id": Mock.id(1).uuidString],
                errors: [FieldError(field: "name", message: "Enter a name.")],
                selected: ["measure_ids": [Mock.id(96).uuidString]]),
            unitOptions: [.init(value: Mock.id(1).uuidString, label: "East Riverside NHS Foundation Trust")],
            priorityOptions: [
                .init(value: Mock.id(61).uuidString, label: "Reducing violence and restrictive practice")
            ],
            measureOptions: [
                .init(value: Mock.id(96).uuidString, label: "Violent incidents"),
                .init(value: Mock.id(101).uuidString, label: "Restraints"),
            ])
    }
}

extension ProgrammeDashboard.Model {
    static var mock: ProgrammeDashboard.Model {
        let willow = ProjectRow(
            id: Mock.id(97), title: "Reducing violence on Willow Ward", unitPath: "Trust › Willow Ward",
            status: .active, stage: .test, score: .init(rawValue: 3))
        let cedar = ProjectRow(
            id: Mock.id(98), title: "Reducing violence on Cedar Ward", unitPath: "Trust › Cedar Ward",
            status: .active, stage: .understand, score: .init(rawValue: 1))
        return .init(
            id: Mock.id(91), name: "Violence reduction",
            measures: [
                .init(value: Mock.id(96).uuidString, label: "Violent incidents"),
                .init(value: Mock.id(101).uuidString, label: "Restraints"),
            ], chosen: Mock.id(96), chosenName: "Violent incidents",
            teams: [
                .init(
                    row: willow,
                    cells: [
                        .init(measureID: Mock.id(104), latest: "14.3", variation: .improvementLow, assurance: nil),
                        nil,
                    ], stalled: nil),
                .init(
                    row: cedar,
                    cells: [.init(measureID: Mock.id(105), latest: nil, variation: nil, assurance: nil), nil],
                    stalled: "No update for six weeks"),
            ], aggregateSVG: "<svg role=\"img\"><title>All teams</title></svg>",
            smallMultiplesSVG: "<svg role=\"group\" class=\"small-multiples\"></svg>",
            withoutData: ["Reducing violence on Cedar Ward"],
            spread: SpreadMatrix(
                ideas: [
                    .init(id: Mock.id(120), title: "Twice-daily safety huddle"),
                    .init(id: Mock.id(121), title: "Broset Violence Checklist at handover"),
                ],
                rows: [
                    .init(team: willow, states: [.adopted, .testing]),
                    .init(team: cedar, states: [.abandoned, .notStarted]),
                ]),
            comparison: FunnelComparison(
                window: Mock.day("2026-08-17")...Mock.day("2026-11-02"),
                funnelSVG: "<svg role=\"img\" aria-label=\"Violent incidents funnel plot\"></svg>",
                rows: [
                    .init(
                        dot: 2, unitName: "Willow Ward", measureID: Mock.id(104), count: 24, size: 1_680, value: 14.3,
                        limits95: 8.1...21.0, limits998: 5.9...24.4, position: .within, standing: "Within the limits"),
                    .init(
                        dot: nil, unitName: "Cedar Ward", measureID: Mock.id(105), count: 0, size: 0, value: nil,
                        limits95: nil, limits998: nil, position: .noData, standing: "No data"),
                ],
                overall: 14.3),
            unitOfMeasure: "per 1,000 bed days", periodName: "weeks")
    }
}

extension ProgrammeEvaluation.Model {
    static var mock: ProgrammeEvaluation.Model {
        .init(
            id: Mock.id(90), name: "Access",
            aim: "Cut the wait for a first appointment by 20% and non-attendance by a third within two years",
            stage: .evaluate, teams: 15, aimsMet: 11, aimsPartlyMet: 2, aimsNotMet: 1, stillRunning: 1,
            learningSessions: 14,
            sections: [
                .init(
                    standardName: "Appointments not attended", unitOfMeasure: "% of booked",
                    rows: [
                        .init(
                            team: "Timely access in Memory Service", teamID: Mock.id(106), measureID: Mock.id(107),
                            changedOn: Mock.day("2025-06-02"), before: 18.2, after: 11.6, verdict: .improved),
                        .init(
                            team: "Timely access in Talking Therapies", teamID: Mock.id(108), measureID: Mock.id(109),
                            changedOn: nil, before: nil, after: nil, verdict: .notYet),
                    ])
            ])
    }
}

extension DriverDiagramPage.Model {
    /// The programme's change package, two of its ideas adapted by teams.
    static var programmeMock: DriverDiagramPage.Model {
        var model = DriverDiagramPage.Model.mock
        model.ownerKind = .programme
        model.ownerID = Mock.id(91)
        model.ownerName = "Violence reduction"
        model.breadcrumbs = [
            .init(label: "Programmes", url: "/programmes"),
            .init(label: "Violence reduction", url: "/programmes/\(Mock.id(91))"),
        ]
        model.problem = nil
        model.adaptations = [Mock.id(110): 12, Mock.id(111): 1]
        return model
    }

    /// A team in the programme: one of its ideas adapts the programme's, and its form offers them.
    static var teamMock: DriverDiagramPage.Model {
        var model = DriverDiagramPage.Model.mock
        model.problem = nil
        model.package = [
            .init(id: Mock.id(120), title: "Twice-daily safety huddle", summary: nil, driverIDs: []),
            .init(id: Mock.id(121), title: "Broset Violence Checklist at handover", summary: nil, driverIDs: []),
        ]
        let huddle = model.diagram.ideas[0]
        model.diagram = DriverDiagram(
            aim: model.diagram.aim, drivers: model.diagram.drivers,
            ideas: [
                .init(
                    id: huddle.id, title: huddle.title, summary: huddle.summary, driverIDs: huddle.driverIDs,
                    adaptedFromID: Mock.id(120))
            ] + model.diagram.ideas.dropFirst())
        return model
    }
}
