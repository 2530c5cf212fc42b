import Foundation

@testable import OpenQI

extension CourseIndex.Model {
    static let mock = CourseIndex.Model(
        rows: [
            .init(
                id: Mock.id(170), name: "Pocket QI", level: .introductory,
                audience: "Every member of staff, within three months of starting", rule: "The session", cohorts: 84,
                completed: 1044, isArchived: false),
            .init(
                id: Mock.id(171), name: "Improvement Leaders’ Programme", level: .practitioner,
                audience: "Team leaders bringing a project a forum has approved", rule: "4 of 5 sessions", cohorts: 8,
                completed: 979, isArchived: false),
            .init(
                id: Mock.id(172), name: "Improvement Coaching Programme", level: .coach,
                audience: "Improvement Leaders’ Programme graduates", rule: "All 6 sessions", cohorts: 7,
                completed: 117, isArchived: false),
        ], canManage: true)
}

extension CourseShow.Model {
    static let mock = CourseShow.Model(
        id: Mock.id(171), name: "Improvement Leaders’ Programme", level: .practitioner,
        audience: "Team leaders bringing a project a forum has approved", sessions: "5 sessions of 7 hours",
        rule: "4 of 5 sessions", requiresApprovedProject: true,
        cohorts: [
            .init(
                id: Mock.id(175), name: "Wave 9", firstDay: Mock.calendarDay("2026-09-14"),
                lastDay: Mock.calendarDay("2027-01-11"),
                enrolled: 148, waiting: 6, capacity: 150, completed: 0),
            .init(
                id: Mock.id(176), name: "Wave 8", firstDay: Mock.calendarDay("2025-09-15"),
                lastDay: Mock.calendarDay("2026-01-12"),
                enrolled: 161, waiting: 0, capacity: 180, completed: 139),
        ], canManage: true)
}

extension CourseForm.Model {
    static let mock = CourseForm.Model(
        editingID: nil, editingName: nil,
        form: FormState(
            values: [
                "name": "Pocket QI", "level": "introductory", "audience": "Every member of staff",
                "session_count": "1", "session_minutes": "120", "sessions_to_complete": "2",
            ],
            errors: [
                FieldError(
                    field: "sessions_to_complete", message: "Someone cannot attend 2 of 1 sessions: enter 1 or fewer.")
            ]))
}

extension CohortForm.Model {
    static let mock = CohortForm.Model(
        courseID: Mock.id(172), courseName: "Improvement Coaching Programme", sessionCount: 2,
        form: FormState(
            values: [
                "name": "2026", "capacity": "20", CohortInput.dayField(1): "2026-10-05",
                CohortInput.placeField(1): "Robert Dolan House", CohortInput.dayField(2): "2026-09-07",
            ],
            errors: [
                FieldError(
                    field: CohortInput.dayField(2),
                    message:
                        "Session 2 is not after session 1 (5 October 2026): give each session a later day than the one before."
                ),
                FieldError(field: CohortInput.placeField(2), message: "Enter where session 2 is held."),
            ], selected: ["open_to_self_enrolment": ["yes"], "facilitator_ids": ["\(Mock.id(180))"]]),
        facilitatorOptions: [
            .init(value: "\(Mock.id(180))", label: "Amar Shah"), .init(value: "\(Mock.id(181))", label: "Jo Elliott"),
        ])
}

extension CohortShow.Model {
    static let mock = CohortShow.Model(
        id: Mock.id(175), courseID: Mock.id(171), courseName: "Improvement Leaders’ Programme", name: "Wave 9",
        capacity: 2, rule: "4 of 5 sessions", isOpen: false, requiresProject: true,
        sessions: [
            .init(
                id: Mock.id(185), number: 1, day: Mock.calendarDay("2026-01-12"), place: "Robert Dolan House",
                isHeld: true,
                attended: 2),
            .init(
                id: Mock.id(186), number: 2, day: Mock.calendarDay("2026-02-09"), place: "Robert Dolan House",
                isHeld: true,
                attended: nil),
            .init(
                id: Mock.id(187), number: 3, day: Mock.calendarDay("2026-04-13"), place: "Trust headquarters",
                isHeld: false,
                attended: nil),
        ],
        facilitators: ["Amar Shah", "Jo Elliott"],
        enrolled: [
            .init(
                enrolmentID: Mock.id(190), personID: Mock.id(40), name: "Amara Okafor",
                about: "Staff, Trust › Adult Mental Health › Willow Ward",
                project: .init(label: "Fewer falls on Willow Ward", url: "/projects/\(Mock.id(97))"), attended: 1,
                completedOn: nil),
            .init(
                enrolmentID: Mock.id(191), personID: Mock.id(41), name: "Ben Hughes",
                about: "Service user, Trust › Adult Mental Health",
                project: .init(label: "Calmer nights on Cedar Ward", url: "/projects/\(Mock.id(98))"), attended: 1,
                completedOn: nil),
        ],
        waiting: [
            .init(
                enrolmentID: Mock.id(192), personID: Mock.id(42), name: "Dev Patel",
                about: "Staff, Partner: Bart’s Health",
                project: .init(label: "Quicker discharge letters", url: "/projects/\(Mock.id(99))"), attended: 0,
                completedOn: nil)
        ],
        canManage: true, canTakeRegisters: true, canEnrolSelf: false,
        enrolForm: FormState(
            values: ["person": "Pat"],
            errors: [FieldError(field: "person_id", message: "2 people match “Pat”. Choose who you mean.")]),
        personChoices: [
            .init(value: "\(Mock.id(43))", label: "Pat Green — Staff, Trust › Community Health"),
            .init(value: "\(Mock.id(44))", label: "Pat Jones — Carer, Trust › Adult Mental Health"),
        ])
}

extension RegisterPage.Model {
    static let mock = RegisterPage.Model(
        cohortID: Mock.id(175), sessionID: Mock.id(186), title: "Wave 9", courseName: "Improvement Leaders’ Programme",
        courseID: Mock.id(171), number: 2, day: Mock.calendarDay("2026-02-09"), place: "Robert Dolan House",
        lines: [
            .init(
                enrolmentID: Mock.id(190), name: "Amara Okafor",
                about: "Staff, Trust › Adult Mental Health › Willow Ward"),
            .init(enrolmentID: Mock.id(191), name: "Ben Hughes", about: "Service user, Trust › Adult Mental Health"),
        ], version: 4,
        form: FormState(values: [RegisterInput.markField(Mock.id(190)): "attended", "version": "4"]))
}

extension CapabilityPage.Model {
    static let mock: CapabilityPage.Model = {
        var figures = DosingFigures(unitID: Mock.id(1), year: 2026)
        figures.lines = [
            .init(group: .allStaff, level: .introductory, members: 350, have: 71, needed: 123),
            .init(group: .projectLeads, level: .practitioner, members: 40, have: 28, needed: 40),
            .init(group: .coaches, level: .coach, members: 9, have: 9, needed: 9),
            .init(group: .serviceUsersAndCarers, level: .serviceUsers, members: 80, have: 24, needed: nil),
        ]
        figures.byYear = [
            .init(year: 2026, byLevel: [.introductory: 30, .practitioner: 11, .coach: 4]),
            .init(year: 2025, byLevel: [.introductory: 28, .practitioner: 9]),
        ]
        figures.practitionerAndCoachCompletions = 15
        figures.partnerCompletions = 3
        figures.byCourse = [
            .init(course: "Pocket QI", level: .introductory, completions: 30, fromPartners: 2),
            .init(course: "Improvement Leaders’ Programme", level: .practitioner, completions: 11, fromPartners: 3),
            .init(course: "Improvement Coaching Programme", level: .coach, completions: 4, fromPartners: 0),
        ]
        figures.newStarters = [
            .init(
                name: "Kemi Adebayo", personID: Mock.id(60), unit: "Adult Mental Health › Willow Ward",
                started: Mock.calendarDay("2026-06-01"))
        ]
        figures.newStartersCount = 1
        return CapabilityPage.Model(
            unitID: Mock.id(1), unitName: "Trust", year: 2026, figures: figures,
            monthChartSVG: "<svg role=\"img\" aria-label=\"People trained\"></svg>",
            unitChoices: [
                .init(value: "\(Mock.id(1))", label: "Trust"),
                .init(value: "\(Mock.id(2))", label: "— Adult Mental Health"),
            ], canPlan: true)
    }()
}

extension DosingPlanForm.Model {
    static let mock = DosingPlanForm.Model(
        unitID: Mock.id(1), unitName: "Trust", year: 2026,
        form: FormState(
            values: ["need_all_staff_introductory": "120", "need_coaches_coach": "ten"],
            errors: [
                FieldError(
                    field: "need_coaches_coach",
                    message:
                        "Enter how many of “QI coaches” need the coach level as a whole number from 0 to 1000000; “ten” is not one."
                )
            ]),
        hints: ["need_all_staff_introductory": "Staff whose unit is here: 350 now, 71 of them with the level."],
        read: "all_staff.introductory=120")
}

extension CoachesPage.Model {
    static let mock = CoachesPage.Model(rows: [
        .init(
            personID: Mock.id(61), name: "Sam Whitfield", unit: "Trust › Adult Mental Health", coaching: 3, capacity: 2,
            lastSupervised: nil, isDue: true, canSupervise: true),
        .init(
            personID: Mock.id(62), name: "Ade Bello", unit: "Trust › Community Health", coaching: 1, capacity: 2,
            lastSupervised: Mock.calendarDay("2026-11-20"), isDue: false, canSupervise: false),
    ])
}

extension SupervisionForm.Model {
    static let mock = SupervisionForm.Model(
        coachID: Mock.id(61), coachName: "Sam Whitfield",
        projectChoices: [.init(value: "\(Mock.id(1))", label: "Fewer falls on Willow Ward")],
        form: FormState(
            values: ["held_on": "2026-12-20", "notes": "Run chart reviewed"],
            errors: [
                FieldError(
                    field: "held_on",
                    message: "Record a supervision once it has happened: 20 December 2026 is still to come.")
            ],
            selected: ["project_ids": ["\(Mock.id(1))"]]),
        records: [
            .init(
                heldOn: Mock.calendarDay("2026-10-14"), advisor: "Nadia Haddad",
                projects: ["Fewer falls on Willow Ward"],
                notes: "Agreed to add a balancing measure.")
        ])
}

extension Mock {
    static func calendarDay(_ text: String) -> CalendarDay { CalendarDay(containing: day(text)) }
}

extension AttendanceImportPage.FormModel {
    static let mock = AttendanceImportPage.FormModel(
        courseNames: ["Improvement Leaders’ Programme", "Pocket QI"],
        form: FormState(errors: [FieldError(field: "file", message: "Choose a CSV file, or paste the rows.")]))
}

extension AttendanceImportPage.Model {
    /// A file with one bad row among good ones for an existing wave and a cohort the import would make.
    static let mock = AttendanceImportPage.Model(
        uploadID: Mock.id(70), filename: "registers-2019.csv", rows: 41,
        counts: .init(added: 36, changed: 2, unchanged: 1, kept: 1),
        cohorts: [
            .init(
                courseName: "Improvement Leaders’ Programme", cohortName: "Wave 1", cohortID: Mock.id(71),
                days: Set([Mock.day("2019-03-12"), Mock.day("2019-04-09")].map { CalendarDay(containing: $0) }),
                people: [Mock.id(72), Mock.id(73)], newPlaces: 1,
                counts: .init(added: 2, changed: 2, unchanged: 1, kept: 1)),
            .init(
                courseName: "Pocket QI", cohortName: "March 2019", cohortID: nil,
                days: [CalendarDay(containing: Mock.day("2019-03-20"))], people: Set((74..<108).map(Mock.id)),
                newPlaces: 34, counts: .init(added: 34)),
        ],
        errors: [
            .init(
                line: 17,
                message:
                    "Row 17: nobody in OpenQI has the email j.smith@trust.example. Add them on the People page first (people from partner organisations too), or correct the email."
            )
        ],
        errorCount: 1, changesSomething: true)
}
