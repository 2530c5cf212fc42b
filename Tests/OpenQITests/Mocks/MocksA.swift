import Foundation

@testable import OpenQI

// Mocks for the project, PDSA cycle, driver diagram, story, person and unit-form pages. Every value
// is fixed: ids from `Mock.id`, dates from `Mock.day` and `Mock.now`, SVGs as small literals.
//
// Ids shared with the other mocks: units 1 Trust, 2 Adult Mental Health, 3 Willow Ward; people
// 10 Ben Hughes (service user), 11 Aisha Khan (coach); measures 20 and 21; project 30.
// Ids of this file's own records start at 100.

// MARK: - Projects

extension ProjectShow.Model {
    static let mock = ProjectShow.Model(
        id: Mock.id(30),
        title: "Fewer falls on Willow Ward",
        unitID: Mock.id(3),
        unitPath: "Trust › Adult Mental Health › Willow Ward",
        status: .active,
        stage: .test,
        score: ProgressScore(rawValue: 3.0)!,
        whatMatters:
            "Older adults on Willow Ward told us that after a fall they are frightened to walk, and families worry most at night.",
        problem:
            "Willow Ward recorded 38 falls in the last twelve months, two thirds of them between 10pm and 6am, most on the way to the toilet.",
        aimStatement: "Reduce falls on Willow Ward by half by 31 December 2026.",
        priorities: ["Older adults", "Safe care"],
        partnerOrganisations: "Age UK East London",
        proposer: "Grace Adeyemi",
        coach: "Aisha Khan",
        sponsor: "Dr Sam Okafor",
        team: [
            ProjectShow.Member(
                id: Mock.id(100), personID: Mock.id(13), name: "Grace Adeyemi", kind: .staff, role: "Ward manager",
                isLead: true, involvement: .none),
            ProjectShow.Member(
                id: Mock.id(101), personID: Mock.id(10), name: "Ben Hughes", kind: .serviceUser,
                role: "Expert by experience", isLead: false, involvement: .fullPartner),
        ],
        updates: [
            ProjectShow.Update(
                date: Mock.day("2026-02-02"), score: ProgressScore(rawValue: 2.5)!, stage: .strategy,
                did: "Mapped the night-time route to the toilet with Ben and two other patients.",
                learned: "Most falls happen where the corridor light is off and walking aids are out of reach.",
                nextSteps: "Test a falls huddle at the evening handover.", sponsorAsk: nil, author: "Grace Adeyemi"),
            ProjectShow.Update(
                date: Mock.day("2026-03-02"), score: ProgressScore(rawValue: 3.0)!, stage: .test,
                did: "Ran the falls huddle at every evening handover for two weeks (PDSA 1).",
                learned: "The huddle takes five minutes once the night team leads it.",
                nextSteps: "Spread the huddle to the morning handover (PDSA 2).",
                sponsorAsk: "Funding for motion-sensor night-lights in ten bedrooms.", author: "Grace Adeyemi"),
        ],
        decisions: [
            ProjectShow.Decision(
                date: Mock.day("2026-01-13"), decision: .approve,
                text: "By Priya Shah; coach Aisha Khan; sponsor Dr Sam Okafor", meetingID: Mock.id(150))
        ],
        measures: [
            MeasureSeries.Chart(
                id: Mock.id(20), name: "Falls per 1,000 bed days", kind: .outcome,
                svg: "<svg role=\"img\" aria-label=\"Falls chart\"></svg>"),
            MeasureSeries.Chart(
                id: Mock.id(21), name: "Falls risk assessed within 24 hours", kind: .process,
                svg: "<svg role=\"img\" aria-label=\"Risk assessment chart\"></svg>"),
        ],
        diagramSVG: "<svg role=\"img\" aria-label=\"Driver diagram\"></svg>",
        ideas: [
            ProjectShow.IdeaRamp(
                id: Mock.id(110), title: "Falls huddle at handover",
                cycles: [
                    PDSAShow.RampStep(id: Mock.id(120), number: 1, status: .complete, decision: .adapt),
                    PDSAShow.RampStep(id: Mock.id(121), number: 2, status: .running, decision: nil),
                ]),
            ProjectShow.IdeaRamp(id: Mock.id(111), title: "Night-light in every bedroom", cycles: []),
        ],
        stories: [
            ProjectShow.StoryLink(id: Mock.id(130), title: "Walking with confidence again", isPublishable: true)
        ],
        comments: [
            ProjectShow.Comment(
                author: "Aisha Khan", date: Mock.now,
                text: "Great progress. Shall we add the night-light idea to the next forum update?")
        ],
        commentForm: FormState(),
        auditTrail: [
            AuditLog.Row(
                occurredAt: Mock.now, actorName: "Grace Adeyemi", action: .update, actionText: "updated",
                subjectKind: "project", subjectName: "Fewer falls on Willow Ward",
                subjectURL: "/projects/\(Mock.id(30))",
                unitPath: "Trust › Adult Mental Health › Willow Ward",
                changes: [AuditLog.Change(field: "stage", before: "strategy", after: "test")])
        ],
        forumUnitID: Mock.id(2),
        forumName: "Trust › Adult Mental Health",
        progressChartSVG: "<svg role=\"img\" aria-label=\"Progress score chart\"></svg>",
        access: ProjectAccess(
            unitID: Mock.id(3), team: [Mock.id(13), Mock.id(10)], coachID: Mock.id(11), sponsorID: Mock.id(14)),
        canEdit: true,
        actions: ProjectShow.Actions(status: .active, canEdit: true),
        teamForm: FormState(values: ["involvement": "full_partner"]),
        updateForm: FormState(values: ["update_date": "2026-03-31", "score": "3.0", "stage": "test"]),
        teamChoices: [],
        closeForm: FormState(values: ["outcome": "completed"]),
        aimAchieved: nil,
        learning: nil,
        sustainPlan: nil)

    /// The same project completed, with one outcome measure slipping and an earlier signal answered.
    static let completedMock: ProjectShow.Model = {
        var model = ProjectShow.Model.mock
        model.status = .completed
        model.actions = ProjectShow.Actions(status: .completed, canEdit: true, canSustain: true)
        model.aimAchieved = .yes
        model.learning = "A huddle at handover changed more than the new policy did."
        model.sustainPlan = "The ward manager reviews the falls chart at the monthly huddle."
        model.closedAt = Mock.day("2025-09-30")
        model.gains = ProjectGains(
            slipping: [
                SlippingGains.Signal(
                    projectID: Mock.id(30), measureID: Mock.id(20), measureName: "Falls per 1,000 bed days",
                    from: CalendarDay(parsing: "2026-03-09", as: .iso)!,
                    to: CalendarDay(parsing: "2026-04-06", as: .iso)!)
            ],
            answers: [
                ProjectGains.Answer(
                    measureName: "Falls per 1,000 bed days", signalFrom: CalendarDay(parsing: "2025-11-03", as: .iso)!,
                    action: "Night staff retrained on the huddle; the coach checks in fortnightly until it holds.",
                    recordedBy: "Grace Adeyemi", recordedAt: Mock.day("2025-12-01"))
            ],
            form: FormState(
                values: ["signal": "\(Mock.id(20).uuidString)@2026-03-09"],
                errors: [FieldError(field: "action", message: "Enter what is being done about it.")]))
        return model
    }()
}

extension ProjectIndex.Model {
    static let mock = ProjectIndex.Model(
        query: "falls",
        status: .active,
        unitID: Mock.id(2),
        focus: ProjectIndex.Focus(stage: .test),
        focusDescription: "stage Test (PDSA cycles)",
        rows: [
            ProjectRow(
                id: Mock.id(30), title: "Fewer falls on Willow Ward",
                unitPath: "Trust › Adult Mental Health › Willow Ward", status: .active, stage: .test,
                score: ProgressScore(rawValue: 3.0)!),
            ProjectRow(
                id: Mock.id(31), title: "Safer falls checks on Cedar Ward",
                unitPath: "Trust › Adult Mental Health › Cedar Ward", status: .active, stage: .test, score: nil),
        ],
        total: 2,
        unitOptions: [
            FormField.Option(value: "\(Mock.id(1))", label: "Trust"),
            FormField.Option(value: "\(Mock.id(2))", label: "— Adult Mental Health"),
            FormField.Option(value: "\(Mock.id(3))", label: "— — Willow Ward"),
        ])
}

extension ProjectForm.Model {
    static let mock = ProjectForm.Model(
        projectID: Mock.id(30),
        projectTitle: "Fewer falls on Willow Ward",
        form: FormState(
            values: [
                "title": "Fewer falls on Willow Ward",
                "unit_id": "\(Mock.id(3))",
                "what_matters":
                    "Older adults on Willow Ward told us that after a fall they are frightened to walk.",
                "problem": "38 falls in twelve months, two thirds of them at night.",
                "aim_what": "Falls on Willow Ward",
                "aim_how_much": "Reduce by half",
                "aim_by_when": "",
                "partner_organisations": "Age UK East London",
            ],
            errors: [FieldError(field: "aim_by_when", message: "Enter the date the aim is to be met by.")],
            selected: ["priority_ids": ["\(Mock.id(160))"]]),
        unitOptions: [
            FormField.Option(value: "\(Mock.id(1))", label: "Trust"),
            FormField.Option(value: "\(Mock.id(2))", label: "— Adult Mental Health"),
            FormField.Option(value: "\(Mock.id(3))", label: "— — Willow Ward"),
        ],
        priorities: [
            FormField.Option(value: "\(Mock.id(160))", label: "Safe care"),
            FormField.Option(value: "\(Mock.id(161))", label: "Older adults"),
        ],
        similar: [
            ProjectRow(
                id: Mock.id(31), title: "Safer falls checks on Cedar Ward",
                unitPath: "Trust › Adult Mental Health › Cedar Ward", status: .active, stage: nil, score: nil)
        ])
}

// MARK: - PDSA cycles

extension PDSAShow.Model {
    static let mock = PDSAShow.Model(
        id: Mock.id(121),
        number: 2,
        projectID: Mock.id(30),
        projectTitle: "Fewer falls on Willow Ward",
        ideaID: Mock.id(110),
        ideaTitle: "Falls huddle at handover",
        status: .running,
        objective: "Test the falls huddle at the morning handover as well as the evening one.",
        question: "Can the day team run the huddle in five minutes?",
        prediction: "The huddle will take under five minutes and name every patient at high risk of falling.",
        who: "Grace Adeyemi and the day team, with Ben Hughes observing",
        what: "A five-minute huddle at the 7:30 handover on who is at risk and why.",
        place: "Willow Ward nurses' station",
        plannedStart: Mock.day("2026-03-09"),
        plannedEnd: Mock.day("2026-03-22"),
        startedOn: Mock.day("2026-03-09"),
        doNotes: "Ran on 10 of 14 mornings; missed on two weekends when the ward was short of staff.",
        studyNotes: "Huddles took four minutes on average; no falls in the mornings of huddle days.",
        decision: nil,
        actNotes: nil,
        completedOn: nil,
        watched: [
            MeasureSeries.Chart(
                id: Mock.id(20), name: "Falls per 1,000 bed days", kind: .outcome,
                svg: "<svg role=\"img\" aria-label=\"Falls chart\"></svg>")
        ],
        ramp: [
            PDSAShow.RampStep(id: Mock.id(120), number: 1, status: .complete, decision: .adapt),
            PDSAShow.RampStep(id: Mock.id(121), number: 2, status: .running, decision: nil),
        ],
        canEdit: true,
        startForm: FormState(values: ["started_on": "2026-03-09"], selected: ["annotate": ["yes"]]),
        recordForm: FormState(values: [
            "do_notes": "Ran on 10 of 14 mornings; missed on two weekends when the ward was short of staff.",
            "study_notes": "Huddles took four minutes on average; no falls in the mornings of huddle days.",
        ]),
        actForm: FormState())
}

extension PDSAForm.Model {
    static let mock = PDSAForm.Model(
        projectID: Mock.id(30),
        projectTitle: "Fewer falls on Willow Ward",
        cycleID: nil,
        cycleName: nil,
        form: FormState(
            values: [
                "change_idea_id": "\(Mock.id(111))",
                "objective": "Test a motion-sensor night-light in one bedroom.",
                "question": "Do patients find the light helpful rather than disturbing?",
                "prediction": "The patient will sleep as well and will not need to call for help to find the toilet.",
                "who": "Night team, with Ben Hughes asking the patient in the morning",
                "what": "",
                "where": "Bedroom 4, Willow Ward",
                "planned_start": "2026-04-06",
                "planned_end": "2026-04-12",
            ],
            errors: [FieldError(field: "what", message: "Describe what will be done.")],
            selected: ["measure_ids": ["\(Mock.id(20))"]]),
        ideaOptions: [
            FormField.Option(value: "\(Mock.id(110))", label: "Falls huddle at handover"),
            FormField.Option(value: "\(Mock.id(111))", label: "Night-light in every bedroom"),
        ],
        measureOptions: [
            FormField.Option(value: "\(Mock.id(20))", label: "Falls per 1,000 bed days"),
            FormField.Option(value: "\(Mock.id(21))", label: "Falls risk assessed within 24 hours"),
        ])
}

// MARK: - Driver diagrams

extension DriverDiagramPage.Model {
    static let mock = DriverDiagramPage.Model(
        ownerKind: .project,
        ownerID: Mock.id(30),
        ownerName: "Fewer falls on Willow Ward",
        breadcrumbs: .project(Mock.id(30), named: "Fewer falls on Willow Ward"),
        diagram: DriverDiagram(
            aim: "Reduce falls on Willow Ward by half by 31 December 2026.",
            drivers: [
                DriverDiagram.DriverBox(id: Mock.id(102), level: .primary, text: "Safe mobility", primaryIDs: []),
                DriverDiagram.DriverBox(
                    id: Mock.id(103), level: .primary, text: "A safe environment at night", primaryIDs: []),
                DriverDiagram.DriverBox(
                    id: Mock.id(104), level: .secondary, text: "Access to walking aids", primaryIDs: [Mock.id(102)]),
            ],
            ideas: [
                DriverDiagram.IdeaBox(
                    id: Mock.id(110), title: "Falls huddle at handover",
                    summary: "Five minutes at each handover on who is at risk tonight.", driverIDs: [Mock.id(102)]),
                DriverDiagram.IdeaBox(
                    id: Mock.id(111), title: "Night-light in every bedroom", summary: nil, driverIDs: [Mock.id(103)]),
                DriverDiagram.IdeaBox(
                    id: Mock.id(112), title: "Walking aid within reach at bedtime",
                    summary: "Checked on the last round.", driverIDs: [Mock.id(104)]),
            ]),
        svg: "<svg role=\"img\" aria-label=\"Driver diagram\"></svg>",
        canEdit: true,
        primaryForm: FormState(),
        secondaryForm: FormState(),
        ideaForm: FormState(),
        editing: nil,
        problem:
            "“Safe mobility” cannot be removed: “Falls huddle at handover” acts on it and on no other driver.")
}

// MARK: - Stories

extension StoryShow.Model {
    static let mock = StoryShow.Model(
        id: Mock.id(130),
        title: "Walking with confidence again",
        projectID: Mock.id(30),
        projectTitle: "Fewer falls on Willow Ward",
        author: "Ben Hughes",
        updatedAt: Mock.now,
        isPublishable: true,
        html:
            "<p>After my fall I stopped walking to the toilet at night. The huddle meant the night team knew, and came.</p>\n<figure><svg role=\"img\" aria-label=\"Falls chart\"></svg><figcaption>Falls per 1,000 bed days</figcaption></figure>",
        canEdit: true)
}

extension StoryForm.Model {
    static let mock = StoryForm.Model(
        projectID: Mock.id(30),
        projectTitle: "Fewer falls on Willow Ward",
        storyID: Mock.id(130),
        form: FormState(
            values: [
                "title": "Walking with confidence again",
                "body":
                    "After my fall I stopped walking to the toilet at night.\n\n![Falls per 1,000 bed days](chart:\(Mock.id(20).uuidString))",
            ],
            selected: ["publishable": ["yes"]]),
        charts: [
            StoryForm.ChartEmbed(
                name: "Falls per 1,000 bed days",
                embed: "![Falls per 1,000 bed days](chart:\(Mock.id(20).uuidString))")
        ])
}

// MARK: - People

extension PersonShow.Model {
    static let mock = PersonShow.Model(
        id: Mock.id(11),
        fullName: "Aisha Khan",
        contact: PersonShow.ContactDetails(
            email: "aisha.khan@example.org",
            signIn: PersonShow.SignInStatus(
                email: "aisha.khan@example.org", lastSignInAt: Mock.now.addingTimeInterval(-20 * 3600),
                lockedUntil: nil, mustChangePassword: true)),
        kind: .staff,
        unitID: Mock.id(2),
        unitPath: "Trust › Adult Mental Health",
        jobTitle: "QI coach",
        coachingCapacity: 2, startedOn: CalendarDay(year: 2019, month: 4, day: 1),
        isArchived: false,
        grants: [
            PersonShow.Grant(
                id: Mock.id(140), role: .coach, unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
                canRevoke: true),
            PersonShow.Grant(
                id: Mock.id(141), role: .member, unitID: Mock.id(3),
                unitPath: "Trust › Adult Mental Health › Willow Ward", canRevoke: true),
        ],
        canEdit: true,
        grantableUnits: [
            FormField.Option(value: "\(Mock.id(2))", label: "Adult Mental Health"),
            FormField.Option(value: "\(Mock.id(3))", label: "— Willow Ward"),
        ],
        canIssueSignIn: true,
        grantForm: FormState(values: ["unit_id": "\(Mock.id(2))"]),
        oneTimePassword: "amber-heron-4827",
        projects: [
            PersonProject(
                title: "Fewer falls on Willow Ward", url: "/projects/\(Mock.id(1))", part: "Coach", status: .active,
                score: ProgressScore(rawValue: 3.5), latestData: "30 Nov 2026")
        ],
        learning: PersonLearning(
            lines: [
                .init(
                    course: "Improvement Coaching Programme", level: .coach,
                    cohort: .init(label: "Coaching 2025", url: "/cohorts/\(Mock.id(177))"),
                    standing: "Completed 6 April 2026", starts: CalendarDay(year: 2025, month: 10, day: 6)),
                .init(
                    course: "Pocket QI", level: .introductory,
                    cohort: .init(label: "Pocket QI, March 2024", url: "/cohorts/\(Mock.id(178))"),
                    standing: "Completed 11 March 2024", starts: CalendarDay(year: 2024, month: 3, day: 11)),
            ],
            teaching: [.init(label: "Pocket QI — Pocket QI, January 2027", url: "/cohorts/\(Mock.id(179))")]))
}

extension PersonForm.Model {
    static let mock = PersonForm.Model(
        personID: Mock.id(10),
        personName: "Ben Hughes",
        form: FormState(
            values: [
                "full_name": "Ben Hughes",
                "kind": "service_user",
                "unit_id": "\(Mock.id(3))",
                "email": "ben.hughes@example",
                "job_title": "Expert by experience",
                "coaching_capacity": "",
            ],
            errors: [FieldError(field: "email", message: "Enter an email address like name@example.org.")]),
        unitOptions: [
            FormField.Option(value: "\(Mock.id(1))", label: "Trust"),
            FormField.Option(value: "\(Mock.id(2))", label: "— Adult Mental Health"),
            FormField.Option(value: "\(Mock.id(3))", label: "— — Willow Ward"),
        ])
}

// MARK: - Units

extension UnitForm.Model {
    static let mock = UnitForm.Model(
        unitID: Mock.id(3),
        unitName: "Willow Ward",
        form: FormState(values: [
            "name": "Willow Ward",
            "kind": "ward",
            "parent_id": "\(Mock.id(2))",
            "description": "Twenty beds for older adults.",
        ]),
        parentOptions: [
            FormField.Option(value: "\(Mock.id(1))", label: "Trust"),
            FormField.Option(value: "\(Mock.id(2))", label: "— Adult Mental Health"),
        ])
}
