import Foundation

@testable import OpenQI

extension EscalationRow {
    static let pastDue = EscalationRow(
        id: Mock.id(91), from: "Adult Mental Health › Willow Ward", to: "Adult Mental Health",
        issue: "Night staffing short three shifts a week", raisedOn: Mock.calendarDay("2026-03-10"),
        due: Mock.calendarDay("2026-03-24"), response: nil, isOpen: true, isPastDue: true)
    static let answered = EscalationRow(
        id: Mock.id(92), from: "Adult Mental Health › Cedar Ward", to: "Adult Mental Health",
        issue: "No psychiatrist for the 72-hour review", raisedOn: Mock.calendarDay("2026-03-24"),
        due: Mock.calendarDay("2026-04-07"), response: "The on-call consultant covers reviews until the locum starts.",
        isOpen: true, isPastDue: false)
}

extension HuddleActionRow {
    static let overdue = HuddleActionRow(
        huddleID: Mock.id(93), issueID: Mock.id(94), heldOn: Mock.calendarDay("2026-03-10"),
        unit: "Willow Ward", issue: "Call bell in bedroom 4 not working", action: "Report to estates",
        owner: "Jordan Ellis", due: Mock.calendarDay("2026-03-17"), doneOn: nil, isOverdue: true, canComplete: true)
    static let done = HuddleActionRow(
        huddleID: Mock.id(93), issueID: Mock.id(95), heldOn: Mock.calendarDay("2026-03-10"),
        issue: "Sharps bin over the fill line", action: "Replace and check at every huddle", owner: "Ana Silva",
        due: Mock.calendarDay("2026-03-12"), doneOn: Mock.calendarDay("2026-03-11"), isOverdue: false,
        canComplete: true)
}

extension HuddlesPage.Model {
    /// A directorate's page: its wards' huddles, an escalation past due to answer.
    static let mock = HuddlesPage.Model(
        unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health", hasUnitsBelow: true, canRecord: true,
        awaiting: [.pastDue, .answered], actions: [.overdue], raised: [],
        huddles: [
            .init(
                id: Mock.id(93), unit: "Willow Ward", heldOn: Mock.calendarDay("2026-03-10"), kind: .safety, issues: 3,
                escalated: 1)
        ], huddlesThisMonth: 4, counts: .init(awaiting: 2, awaitingPastDue: 1, actions: 1, overdueActions: 1, raised: 0)
    )
}

extension HuddleForm.Model {
    static let mock = HuddleForm.Model(
        choices: HuddleChoices(
            unitID: Mock.id(3), unitName: "Willow Ward",
            owners: [.init(value: "\(Mock.id(41))", label: "Jordan Ellis")],
            escalationTargets: [
                .init(value: "\(Mock.id(2))", label: "Trust › Adult Mental Health"),
                .init(value: "\(Mock.id(1))", label: "Trust"),
            ]),
        unitPath: "Trust › Adult Mental Health › Willow Ward",
        form: FormState(
            values: [
                "held_on": "2026-03-31", "kind": "safety", "attendees": "Ana, Ben",
                "issue1_description": "Garden door alarm", "issue1_escalate_to": "\(Mock.id(5))",
            ],
            errors: [
                FieldError(
                    field: "issue1_escalate_to",
                    message:
                        "An issue is escalated to a unit above Willow Ward: choose one from the list. Nothing was saved."
                )
            ]))
}

extension HuddleShow.Model {
    static let mock = HuddleShow.Model(
        id: Mock.id(93), unitID: Mock.id(3), unitPath: "Trust › Adult Mental Health › Willow Ward",
        heldOn: Mock.calendarDay("2026-03-10"), kind: .safety, attendees: "Jordan Ellis, Ana Silva, bank nurse",
        recordedBy: "Jordan Ellis",
        issues: [
            .init(position: 1, description: "Call bell in bedroom 4 not working", action: .overdue, escalation: nil),
            .init(position: 2, description: "Sharps bin over the fill line", action: .done, escalation: nil),
            .init(
                position: 3, description: "Night staffing short three shifts a week", action: nil,
                escalation: .pastDue),
        ])
}

extension EscalationsPage.Model {
    static let mock = EscalationsPage.Model(
        status: .open, unitID: nil,
        unitOptions: [
            .init(value: "\(Mock.id(1))", label: "Trust"),
            .init(value: "\(Mock.id(2))", label: "— Adult Mental Health"),
        ],
        rows: [.pastDue, .answered], total: 2)
}

extension EscalationShow.Model {
    static let mock = EscalationShow.Model(
        row: .answered, toUnitID: Mock.id(2), huddleID: Mock.id(93), huddle: "Safety huddle of 24 March 2026",
        action: "Ask the rota team for cover", respondedBy: "Tendai Moyo", respondedAt: Mock.now, canAnswer: true,
        form: FormState())
}

extension WalkRoundFollowUp {
    static let open = WalkRoundFollowUp(
        walkRoundID: Mock.id(96), actionID: Mock.id(97), action: "Chase the lift repair", owner: "Amara Okafor",
        unit: "Willow Ward", due: Mock.calendarDay("2026-03-20"), doneOn: nil, isOverdue: true, canComplete: true)
}

extension WalkRoundsPage.Model {
    static let mock = WalkRoundsPage.Model(
        unitID: nil, unitOptions: [.init(value: "\(Mock.id(1))", label: "Trust")], canSchedule: true, teams: 3,
        heldInYear: 2,
        planned: [
            .init(
                id: Mock.id(98), unit: "Adult Mental Health › Cedar Ward", executive: "Amara Okafor",
                plannedOn: Mock.calendarDay("2026-03-27"), heldOn: nil, isLate: true)
        ],
        unvisited: [
            .init(id: Mock.id(4), name: "Adult Mental Health › Cedar Ward", lastVisit: nil),
            .init(id: Mock.id(6), name: "Forensic Services › Oak Ward", lastVisit: Mock.calendarDay("2025-01-14")),
        ],
        months: [CalendarMonth(year: 2026, month: 2), CalendarMonth(year: 2026, month: 3)],
        byExecutive: [.init(name: "Amara Okafor", counts: [1, 1])], followUps: [.open],
        recent: [
            .init(
                id: Mock.id(96), unit: "Adult Mental Health › Willow Ward", executive: "Amara Okafor",
                plannedOn: Mock.calendarDay("2026-03-06"), heldOn: Mock.calendarDay("2026-03-06"), isLate: false)
        ])
}

extension WalkRoundForm.Model {
    static let mock = WalkRoundForm.Model(
        teams: [.init(value: "\(Mock.id(3))", label: "Trust › Adult Mental Health › Willow Ward")],
        executives: [.init(value: "\(Mock.id(42))", label: "Amara Okafor")],
        form: FormState(
            values: ["planned_on": "2027-05-01", "executive_id": "\(Mock.id(42))"],
            errors: [FieldError(field: "unit_id", message: "Choose team.")]))
}

extension WalkRoundShow.Model {
    /// Planned, with the form its executive records it on.
    static let planned = WalkRoundShow.Model(
        id: Mock.id(98), unitID: Mock.id(4), unitPath: "Trust › Adult Mental Health › Cedar Ward",
        executive: "Amara Okafor", plannedOn: Mock.calendarDay("2026-03-27"), heldOn: nil, answers: [],
        followUps: [], canRecord: true, canReschedule: true,
        owners: [.init(value: "\(Mock.id(42))", label: "Amara Okafor")],
        form: FormState(values: ["held_on": "2026-03-27"]))
    static let held = WalkRoundShow.Model(
        id: Mock.id(96), unitID: Mock.id(3), unitPath: "Trust › Adult Mental Health › Willow Ward",
        executive: "Amara Okafor", plannedOn: Mock.calendarDay("2026-03-06"), heldOn: Mock.calendarDay("2026-03-06"),
        answers: zip(WalkRound.questions, ["Leave kept going", "Fewer falls", "Two vacant posts", "Protected breaks"])
            .map { .init(question: $0.0.question, answer: $0.1) },
        followUps: [.open], canRecord: true, owners: [], form: FormState())
}

extension UnitQualityPage.Model {
    static let mock = UnitQualityPage.Model(
        unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
        plan: .init(id: Mock.id(80), title: "Adult Mental Health plan 2026/27", aim: "Safer wards", isInherited: false),
        lastWalkRound: "The last WalkRound here: Amara Okafor to Adult Mental Health › Willow Ward, 6 March 2026.",
        parts: [
            .init(id: "planning", name: "Planning", summary: "What the unit means to achieve.", figures: []),
            .init(
                id: "control", name: "Control", summary: "Watching the work day to day.",
                figures: [
                    .init(label: "open escalations sent here, 1 past due", count: 2, url: "/units/x/huddles#awaiting")
                ]),
            .init(
                id: "assurance", name: "Assurance", summary: "Seeing for ourselves.",
                figures: [.init(label: "WalkRounds in the last 12 months", count: 9, url: "/walkrounds?unit=x#recent")]),
            .init(
                id: "improvement", name: "Improvement", summary: "Changing the work.",
                figures: [.init(label: "active projects", count: 27, url: "/projects?unit=x&status=active")]),
        ])
}
