import Foundation
import SPC

@testable import OpenQI

// Mocks for the measure, forum, measure-data and dashboard pages. Every value is fixed: ids from
// `Mock.id`, dates from `Mock.day` and `Mock.now`, SVGs as small literals.

// MARK: - Measures

extension MeasureShow.Model {
    static let mock = MeasureShow.Model(
        id: Mock.id(20), name: "Falls per 1,000 bed days", kind: .outcome,
        definition:
            "Inpatient falls recorded on Datix for Willow Ward each month, over its occupied bed days, times 1,000.",
        key: "willow.falls", unitOfMeasure: "falls per 1,000 bed days", frequency: .monthly,
        chartName: "U chart (rates)", direction: .down, target: 5,
        owner: .init(label: "Fewer falls on Willow Ward", url: "/projects/\(Mock.id(30))"),
        chartSVG: "<svg role=\"img\" aria-label=\"Falls chart\"></svg>",
        summary: "12 points around a centre line of 6.1; the latest point is a special cause improvement.",
        rows: [
            .init(
                period: "1 Jan 2026", value: "4", denominator: "610", plotted: "6.56", signals: "", note: "",
                day: CalendarDay(containing: Mock.day("2026-01-01"))),
            .init(
                period: "1 Feb 2026", value: "3", denominator: "560", plotted: "5.36", signals: "",
                note: "PDSA 2: falls huddle at handover", day: CalendarDay(containing: Mock.day("2026-02-01"))),
            .init(
                period: "1 Mar 2026", value: "1", denominator: "620", plotted: "1.61",
                signals: "Special cause improvement (outside limits)", note: "",
                day: CalendarDay(containing: Mock.day("2026-03-01"))),
        ],
        canEdit: true, dataForm: FormState(), annotationForm: FormState(),
        phaseForm: FormState(
            values: ["label": "After the new rota"],
            errors: [FieldError(field: "period", message: "Enter the date the new phase starts.")]),
        preview: .init(text: "2026-03-01,1,620\n2026-04-01,2,600", added: 1, replaced: 1, errors: []),
        grid: [
            .init(period: "2026-02-01", value: "3", denominator: "560"),
            .init(period: "2026-03-01", value: "1", denominator: "620"),
            .init(period: "2026-04-01", value: "", denominator: ""),
        ],
        usesDenominator: true,
        gridErrors: ["Row 3: “two” is not a number."],
        chartNotes: [
            .init(
                isPhase: false, period: "2026-03-02", text: "PDSA 2 started: night checks",
                removeURL: "/measures/\(Mock.id(20))/annotations/\(Mock.id(21))/remove"),
            .init(
                isPhase: true, period: "2026-05-25", text: "After the new rota",
                removeURL: "/measures/\(Mock.id(20))/phases/\(Mock.id(22))/remove"),
        ])
}

extension MeasureForm.Model {
    static let mock = MeasureForm.Model(
        ownerName: "Willow Ward", action: "/units/\(Mock.id(3))/measures", cancelURL: "/units/\(Mock.id(3))/measures",
        form: FormState(
            values: [
                "name": "Falls per 1,000 bed days", "kind": "outcome", "frequency": "monthly", "chart_type": "u",
                "rules": "mdc", "direction": "down",
            ],
            errors: [
                FieldError(
                    field: "definition", message: "Write the operational definition: what is counted, and from where.")
            ]))

    /// A definition being changed, after someone else saved it first.
    static let editMock = MeasureForm.Model(
        ownerName: "Falls per 1,000 bed days", action: "/measures/\(Mock.id(4))",
        cancelURL: "/measures/\(Mock.id(4))",
        form: FormState(
            values: [
                "name": "Inpatient falls per 1,000 bed days", "kind": "outcome", "frequency": "monthly",
                "chart_type": "u", "rules": "mdc", "direction": "down", "definition": "Falls on Datix.",
                "version": "3",
            ],
            errors: [
                FieldError(
                    field: "name",
                    message:
                        "Sam Whitfield saved this measure at 10:04 on 5 December 2026, after you opened it. The name, as Sam Whitfield saved it: “Falls per 1,000 bed days”. What you typed is kept below and was not saved: save again to keep yours."
                )
            ]),
        isEdit: true)
}

// MARK: - Forums

extension ForumShow.Model {
    static let mock = ForumShow.Model(
        unitID: Mock.id(2), name: "Trust › Adult Mental Health", chairs: ["Aisha Khan", "Ben Hughes"],
        meetings: [
            .init(id: Mock.id(50), date: Mock.day("2026-04-14"), decisions: 0),
            .init(id: Mock.id(51), date: Mock.day("2026-03-10"), decisions: 3),
        ],
        waiting: [
            .init(
                id: Mock.id(1), title: "Fewer falls on Willow Ward", unitName: "Willow Ward", status: .proposed,
                submittedAt: Mock.day("2026-04-02")),
            .init(
                id: Mock.id(2), title: "Calmer nights on Cedar Ward", unitName: "Cedar Ward", status: .deferred,
                submittedAt: Mock.day("2026-02-20"), returnsOn: Mock.day("2026-05-12")),
        ],
        slipping: [
            .init(
                id: Mock.id(32), title: "Fewer missed doses on Birch Ward", unitName: "Birch Ward",
                described: "Missed doses per week, special cause of concern from 9 March 2026 to 6 April 2026")
        ],
        canChair: true,
        form: FormState(values: ["notes": "Boardroom, Trust HQ. Bring your latest run charts."]))
}

extension ForumAgenda.Model {
    static let mock = ForumAgenda.Model(
        meetingID: Mock.id(50), date: Mock.day("2026-04-14"), forumUnitID: Mock.id(2),
        forumName: "Trust › Adult Mental Health", notes: "Boardroom, Trust HQ, 2pm.",
        proposals: [
            .init(
                project: ProjectRow(
                    id: Mock.id(40), title: "Safer nights on Cedar Ward",
                    unitPath: "Trust › Adult Mental Health › Cedar Ward", status: .proposed, stage: nil,
                    score: ProgressScore(rawValue: 1.0)!),
                aim: "Reduce incidents of restraint at night by 30% by March 2027.",
                reason: "Submitted 3 March"),
            .init(
                project: ProjectRow(
                    id: Mock.id(41), title: "Welcome packs for new admissions",
                    unitPath: "Trust › Adult Mental Health › Willow Ward", status: .inReview, stage: nil, score: nil),
                aim: "90% of service users receive a welcome pack within 24 hours of admission by October 2026.",
                reason: "Submitted 17 February"),
        ],
        reviews: [
            .init(
                project: ProjectRow(
                    id: Mock.id(30), title: "Fewer falls on Willow Ward",
                    unitPath: "Trust › Adult Mental Health › Willow Ward", status: .active, stage: nil,
                    score: ProgressScore(rawValue: 2.5)!),
                aim: "Reduce falls per 1,000 bed days by 25% by September 2026.",
                reason: "No update for 7 weeks")
        ],
        slipping: [
            .init(
                project: ProjectRow(
                    id: Mock.id(32), title: "Fewer missed doses on Birch Ward",
                    unitPath: "Trust › Adult Mental Health › Birch Ward", status: .completed, stage: nil,
                    score: ProgressScore(rawValue: 4.0)!),
                aim: "Halve missed doses by December 2025.",
                reason:
                    "Gains slipping: Missed doses per week, special cause of concern from 9 March 2026 to 6 April 2026")
        ],
        celebrations: [
            .init(
                project: ProjectRow(
                    id: Mock.id(31), title: "Protected mealtimes on Cedar Ward",
                    unitPath: "Trust › Adult Mental Health › Cedar Ward", status: .completed, stage: nil,
                    score: ProgressScore(rawValue: 4.5)!),
                aim: "Every mealtime protected from non-urgent activity by January 2026.",
                reason: "Completed 20 March · aim achieved: yes")
        ],
        decisions: [Mock.id(41): "Changes requested"], canDecide: true,
        choices: [
            Mock.id(40): .init(
                coaches: [
                    .init(
                        value: Mock.id(11).uuidString,
                        label: "Aisha Khan — Adult Mental Health · coaches 2 active projects"),
                    .init(value: Mock.id(12).uuidString, label: "Aisha Khan — Cedar Ward · coaches no active projects"),
                ],
                sponsors: [
                    .init(value: Mock.id(13).uuidString, label: "Dr Priya Shah — Trust · sponsors 1 active project")
                ])
        ],
        decisionForms: [
            Mock.id(40): FormState(
                values: ["decision": "approve"],
                errors: [FieldError(field: "coach_id", message: "Choose a QI coach to approve the project.")])
        ])
}

// MARK: - Measure data

extension APITokenPage.Model {
    static let mock = APITokenPage.Model(
        tokens: [
            .init(
                id: Mock.id(60), name: "Data warehouse nightly load", unitPath: "Trust › Adult Mental Health",
                hint: "oqi_7f3a", issuedBy: "Tendai Moyo", issuedAt: Mock.day("2026-01-12"),
                lastUsedAt: Mock.day("2026-03-31"), revokedAt: nil, expiresAt: Mock.day("2027-01-12"),
                isExpired: false, issuerStillAdministers: true),
            .init(
                id: Mock.id(62), name: "Ward dashboard feed", unitPath: "Trust › Adult Mental Health › Cedar Ward",
                hint: "oqi_b40e", issuedBy: "Sam Whitfield", issuedAt: Mock.day("2026-01-20"),
                lastUsedAt: Mock.day("2026-02-27"), revokedAt: nil, expiresAt: Mock.day("2026-07-19"),
                isExpired: false, issuerStillAdministers: false),
            .init(
                id: Mock.id(61), name: "Old test feed", unitPath: "Trust › Adult Mental Health › Willow Ward",
                hint: "oqi_19c2", issuedBy: "Aisha Khan", issuedAt: Mock.day("2025-11-03"), lastUsedAt: nil,
                revokedAt: nil, expiresAt: Mock.day("2025-12-03"), isExpired: true,
                issuerStillAdministers: true),
        ],
        units: [
            .init(value: Mock.id(2).uuidString, label: "Trust › Adult Mental Health"),
            .init(value: Mock.id(3).uuidString, label: "Trust › Adult Mental Health › Willow Ward"),
        ],
        form: FormState(), newSecret: "oqi_7f3a0000000000000000000000000000")
}

extension DataUploadPage.FormModel {
    static let mock = DataUploadPage.FormModel(
        unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
        examples: [
            .init(key: "cedar.restraint", usesDenominator: false),
            .init(key: "willow.falls", usesDenominator: true),
        ],
        keyedMeasures: 14,
        form: FormState(errors: [FieldError(field: "file", message: "Choose a CSV file, or paste the data.")]))
}

extension DataUploadPage.Model {
    /// A check with bad rows: nothing can be imported yet.
    static let mock = DataUploadPage.Model(
        uploadID: Mock.id(70), unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
        filename: "march-safety.csv", rows: 48, counts: .init(added: 20, changed: 2, unchanged: 23),
        measures: [
            .init(
                measureID: Mock.id(21), name: "Restraint incidents", key: "cedar.restraint", owner: "Cedar Ward",
                counts: .init(added: 8, changed: 0, unchanged: 12)),
            .init(
                measureID: Mock.id(20), name: "Falls per 1,000 bed days", key: "willow.falls", owner: "Willow Ward",
                counts: .init(added: 12, changed: 2, unchanged: 11)),
        ],
        errors: [.init(line: 7, message: "Line 7: “2026-13-01” is not a date.")], errorCount: 3)

    /// A clean check, ready to import.
    static let mockReady = DataUploadPage.Model(
        uploadID: Mock.id(71), unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
        filename: "march-safety.csv", rows: 45, counts: .init(added: 20, changed: 2, unchanged: 23),
        measures: [
            .init(
                measureID: Mock.id(20), name: "Falls per 1,000 bed days", key: "willow.falls", owner: "Willow Ward",
                counts: .init(added: 12, changed: 2, unchanged: 11))
        ],
        errors: [], errorCount: 0)
}

// MARK: - Dashboards

extension EarlyWarningPage.Model {
    static let mock = EarlyWarningPage.Model(
        unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
        indicators: ["Falls per 1,000 bed days", "Restraint incidents", "Bank and agency shifts"],
        wards: [
            .init(
                id: Mock.id(4), name: "Cedar Ward",
                cells: [
                    "Falls per 1,000 bed days": .init(
                        measureID: Mock.id(22), variation: .concernHigh, latestValue: 9.4,
                        latestPeriod: Mock.day("2026-03-01"), isStale: false),
                    "Restraint incidents": .init(
                        measureID: Mock.id(21), variation: .concernHigh, latestValue: 11,
                        latestPeriod: Mock.day("2026-03-23"), isStale: false),
                    "Bank and agency shifts": .init(
                        measureID: Mock.id(23), variation: .commonCause, latestValue: 34,
                        latestPeriod: Mock.day("2025-12-01"), isStale: true),
                ], lastHuddle: Mock.calendarDay("2026-03-30"), openEscalations: 2),
            .init(
                id: Mock.id(3), name: "Willow Ward",
                cells: [
                    "Falls per 1,000 bed days": .init(
                        measureID: Mock.id(20), variation: .improvementLow, latestValue: 1.61,
                        latestPeriod: Mock.day("2026-03-01"), isStale: false),
                    "Restraint incidents": .init(
                        measureID: Mock.id(24), variation: nil, latestValue: nil, latestPeriod: nil,
                        isStale: false),
                ]),
        ])
}

extension CompareUnitsPage.Model {
    static let mock = CompareUnitsPage.Model(
        unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
        shared: [
            .init(value: "falls per 1,000 bed days", label: "Falls per 1,000 bed days"),
            .init(value: "restraint incidents", label: "Restraint incidents"),
        ],
        chosen: "falls per 1,000 bed days", chosenName: "Falls per 1,000 bed days", periods: 12,
        unitOfMeasure: "falls per 1,000 bed days", explanation: nil, leftOut: ["Birch Ward (run chart, weekly)"],
        comparison: FunnelComparison(
            window: Mock.day("2025-04-01")...Mock.day("2026-03-01"),
            funnelSVG: "<svg role=\"img\" aria-label=\"Falls funnel plot\"></svg>",
            rows: [
                .init(
                    dot: 1, unitName: "Cedar Ward", measureID: Mock.id(22), count: 68, size: 6_900, value: 9.86,
                    limits95: 4.6...8.1, limits998: 3.9...8.9, position: .above998,
                    standing: "Above the 99.8% limit: worse than chance alone explains"),
                .init(
                    dot: 2, unitName: "Willow Ward", measureID: Mock.id(20), count: 41, size: 7_300, value: 5.62,
                    limits95: 4.7...8.0, limits998: 4.0...8.8, position: .within,
                    standing: "Within the limits: differs only by chance"),
            ],
            overall: 6.3, widenedFor: 1.4))
}

extension MeasureSummaryPage.Model {
    static let mock = MeasureSummaryPage.Model(
        unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health", filter: .init(), total: 3, concerns: 1,
        failing: 1, matching: 3,
        rows: [
            .init(
                id: Mock.id(20), name: "Falls per 1,000 bed days", kind: .outcome,
                owner: .init(label: "Fewer falls on Willow Ward", url: "/projects/\(Mock.id(30))"),
                recent: [6.56, 5.36, nil, 1.61], latestClass: .improvement, latestValue: 1.61,
                latestPeriod: Mock.day("2026-03-01"), variation: .improvementLow, assurance: .hitAndMiss, target: 5,
                unitOfMeasure: "falls per 1,000 bed days", isOverdue: true),
            .init(
                id: Mock.id(21), name: "Restraint incidents", kind: .balancing,
                owner: .init(label: "Cedar Ward", url: "/units/\(Mock.id(4))"), recent: [6, 7, 9, 11],
                latestClass: .concern, latestValue: 11, latestPeriod: Mock.day("2026-03-23"),
                variation: .concernHigh, assurance: .fail, target: 4, unitOfMeasure: "incidents", isOverdue: false),
            .init(
                id: Mock.id(25), name: "Care plans reviewed within 7 days", kind: .process,
                owner: .init(label: "Willow Ward", url: "/units/\(Mock.id(3))"), recent: [82, 85, 88, 86],
                latestClass: .common, latestValue: 86, latestPeriod: Mock.day("2026-03-23"),
                variation: .commonCause, assurance: nil, target: nil, unitOfMeasure: "%", isOverdue: false),
        ],
        canAdd: true)
}

extension BoardReportPage.Model {
    static let mock = BoardReportPage.Model(
        unitID: Mock.id(1), unitPath: "Trust", month: CalendarMonth(year: 2026, month: 3), isWritten: true,
        groups: [
            .init(
                aim: .experienceAndQuality,
                charts: [
                    .init(
                        measureID: Mock.id(20), name: "Falls per 1,000 bed days",
                        svg: "<svg role=\"img\" aria-label=\"Falls chart\"></svg>",
                        rows: [
                            .init(
                                period: "2026-02-01", value: "3", denominator: "560", plotted: "5.36", signals: "",
                                note: ""),
                            .init(
                                period: "2026-03-01", value: "1", denominator: "620", plotted: "1.61",
                                signals: "Special cause improvement (outside limits)", note: ""),
                        ],
                        narrative:
                            "Falls fell below the lower limit in March.\n\nThe handover huddle spreads to Cedar Ward.",
                        latest: .init(
                            value: 1.61, period: Mock.day("2026-03-01"), variation: .improvementLow,
                            assurance: .hitAndMiss),
                        target: 2
                    ),
                    .init(
                        measureID: Mock.id(21), name: "Restraint incidents",
                        svg: "<svg role=\"img\" aria-label=\"Restraint chart\"></svg>", rows: [], narrative: nil,
                        latest: nil, target: nil),
                ])
        ],
        patientStory: .init(
            title: "Feeling safe at night", source: "In a service user’s own words",
            html: "<p>The night staff sat with me when I could not sleep.</p>"),
        improvementStory: .init(
            title: "How Willow Ward cut falls", source: "Fewer falls on Willow Ward",
            html: "<p>We started a two-minute falls huddle at every handover.</p>"),
        headline: [
            .init(label: "projects approved by a forum in March 2026", count: 3, url: "/projects?approved_in=2026-03"),
            .init(label: "projects active at the end of March 2026", count: 27, url: "/projects?active_in=2026-03"),
            .init(label: "projects completed in March 2026", count: 2, url: "/projects?completed_in=2026-03"),
        ],
        writtenMonths: [CalendarMonth(year: 2026, month: 3), CalendarMonth(year: 2026, month: 2)],
        mayEdit: true)
}

extension BoardReportPage.FormModel {
    static let mock = BoardReportPage.FormModel(
        unitID: Mock.id(1), unitPath: "Trust", month: CalendarMonth(year: 2026, month: 3),
        measures: [
            .init(measureID: Mock.id(20), name: "Falls per 1,000 bed days"),
            .init(measureID: Mock.id(21), name: "Restraint incidents"),
        ],
        stories: [
            .init(value: Mock.id(80).uuidString, label: "How Willow Ward cut falls — Fewer falls on Willow Ward")
        ],
        form: FormState(
            values: [
                "aim-\(Mock.id(20).uuidString)": "experience_quality",
                "narrative-\(Mock.id(20).uuidString)": "Falls on Willow Ward fell below the lower limit in March.",
                "aim-\(Mock.id(21).uuidString)": "",
                "narrative-\(Mock.id(21).uuidString)": "",
                "patient_story_title": "Feeling safe at night",
                "patient_story": "The night staff sat with me when I could not sleep.",
                "improvement_story": Mock.id(80).uuidString,
                "version": "3",
            ]))
}

extension PortfolioPage.Model {
    static let mock = PortfolioPage.Model(
        unitID: Mock.id(2), unitPath: "Trust › Adult Mental Health",
        total: .init(label: "projects", count: 42, url: "/projects?unit=\(Mock.id(2))"),
        byStatus: [
            .init(label: "Proposed", count: 4, url: "/projects?unit=\(Mock.id(2))&status=proposed"),
            .init(label: "Active", count: 27, url: "/projects?unit=\(Mock.id(2))&status=active"),
            .init(label: "Completed", count: 11, url: "/projects?unit=\(Mock.id(2))&status=completed"),
        ],
        byStage: [
            .init(
                label: "Understand the problem", count: 6,
                url: "/projects?unit=\(Mock.id(2))&status=active&stage=understand"),
            .init(
                label: "Test (PDSA cycles)", count: 15, url: "/projects?unit=\(Mock.id(2))&status=active&stage=test"),
        ],
        byScore: [
            .init(label: "2.0", count: 9, url: "/projects?unit=\(Mock.id(2))&status=active&score=2.0"),
            .init(label: "3.5", count: 4, url: "/projects?unit=\(Mock.id(2))&status=active&score=3.5"),
        ],
        byPriority: [
            .init(
                label: "Reducing restrictive practice", count: 12,
                url: "/projects?unit=\(Mock.id(2))&priority=\(Mock.id(90))"),
            .init(label: "No priority or plan", count: 5, url: "/projects?unit=\(Mock.id(2))&priority=none"),
        ],
        active: .init(label: "active projects", count: 27, url: "/projects?unit=\(Mock.id(2))&status=active"),
        fullPartners: .init(
            label: "with a service user or carer as a full partner", count: 9,
            url: "/projects?unit=\(Mock.id(2))&status=active&full_partners=yes"),
        aims: [
            .init(label: "Yes", count: 7, url: "/projects?unit=\(Mock.id(2))&status=completed&aim_achieved=yes"),
            .init(label: "Partly", count: 3, url: "/projects?unit=\(Mock.id(2))&status=completed&aim_achieved=partly"),
            .init(label: "No", count: 1, url: "/projects?unit=\(Mock.id(2))&status=completed&aim_achieved=no"),
        ],
        stalledUpdates: .init(
            label: "active projects with no update for 6 weeks", count: 3,
            url: "/projects?unit=\(Mock.id(2))&stalled=yes"),
        stalledData: .init(
            label: "active projects with no data for 8 weeks", count: 2,
            url: "/projects?unit=\(Mock.id(2))&stale_data=yes"),
        gainsSlipping: .init(
            label: "completed projects whose gains are slipping", count: 1,
            url: "/projects?unit=\(Mock.id(2))&gains=slipping"),
        coaches: [
            .init(
                name: "Aisha Khan",
                here: .init(
                    label: "here", count: 3, url: "/projects?unit=\(Mock.id(2))&status=active&coach=\(Mock.id(11))"),
                inAll: .init(label: "in all", count: 4, url: "/projects?status=active&coach=\(Mock.id(11))"),
                capacity: 2),
            .init(
                name: "Ben Hughes",
                here: .init(
                    label: "here", count: 1, url: "/projects?unit=\(Mock.id(2))&status=active&coach=\(Mock.id(12))"),
                inAll: .init(label: "in all", count: 1, url: "/projects?status=active&coach=\(Mock.id(12))"),
                capacity: 2),
        ],
        activeChartSVG: "<svg role=\"img\" aria-label=\"Active projects chart\"></svg>",
        activeMonths: [
            .init(label: "2026-02", count: 25, url: "/projects?unit=\(Mock.id(2))&active_in=2026-02"),
            .init(label: "2026-03", count: 27, url: "/projects?unit=\(Mock.id(2))&active_in=2026-03"),
        ],
        completionsChartSVG: "<svg role=\"img\" aria-label=\"Projects completed chart\"></svg>",
        completionMonths: [
            .init(label: "2026-01", count: 1, url: "/projects?unit=\(Mock.id(2))&completed_in=2026-01"),
            .init(label: "2026-02", count: 2, url: "/projects?unit=\(Mock.id(2))&completed_in=2026-02"),
        ])
}

extension InvolvementAnalysis {
    static let mock = InvolvementAnalysis(
        unitID: Mock.id(1), unitPath: "Trust",
        overall: .init(
            label: "Trust",
            byInvolvement: [
                .fullPartner: .init(completed: 40, achieved: 30), .occasional: .init(completed: 20, achieved: 8),
                .none: .init(completed: 60, achieved: 19),
            ]),
        byPart: [
            .init(
                label: "Adult Mental Health",
                byInvolvement: [
                    .fullPartner: .init(completed: 25, achieved: 19), .none: .init(completed: 30, achieved: 11),
                ]),
            .init(label: "Forensic Services", byInvolvement: [.fullPartner: .init(completed: 2, achieved: 2)]),
        ],
        byYear: [
            .init(
                label: "2026",
                byInvolvement: [
                    .fullPartner: .init(completed: 18, achieved: 14), .occasional: .init(completed: 9, achieved: 3),
                ])
        ])
}
