import Foundation

@testable import OpenQI

/// Fixed values for page models: the same ids and dates on every run, so a page drawn from a mock
/// is the same HTML every time.
enum Mock {
    static func id(_ number: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", number))!
    }

    /// 31 March 2026, 09:30 UTC.
    static let now = CalendarDay(year: 2026, month: 3, day: 31)!.date.addingTimeInterval(9.5 * 3600)

    static func day(_ text: String) -> Date { CalendarDay(parsing: text, as: .iso)!.date }

    /// The frame every mocked page is drawn in.
    static let context = PageContext(
        viewerName: "Tendai Moyo", csrfToken: "csrf-token", navigation: [.init(label: "Units", url: "/units")],
        notice: nil, currentPath: "/units")
}

extension ErrorPage.Model {
    static let mock = ErrorPage.Model(status: .notFound, reason: nil)
}

extension SignIn.Model {
    static let mock = SignIn.Model(
        form: FormState(
            values: ["email": "nurse@example.org"],
            errors: [
                FieldError(field: "password", message: "The email or password is not right.")
            ]),
        demoSignIns: [DemoSignIn(role: "Coach", email: "coach@example.org")])
}

extension SignIn.Model {
    /// An installation that signs people in through its identity provider only, after a refusal.
    static let singleSignOnMock = SignIn.Model(
        form: FormState(
            values: ["next": "/projects"],
            errors: [
                FieldError(
                    field: "sign-in",
                    message:
                        "Nobody in OpenQI has the email address nurse@example.org. Ask your QI team to add you with that address, then sign in again."
                )
            ]),
        demoSignIns: [], singleSignOn: SignIn.Provider(name: "NHSmail"), passwordSignIn: false)
}

extension ChangePassword.Model {
    static let mock = ChangePassword.Model(form: FormState(), isFirstSignIn: true)
}

extension Home.Model {
    static let mock = Home.Model(
        viewerName: "Tendai Moyo", roles: ["Coach in Adult Mental Health"], unitCount: 12, peopleCount: 140,
        serviceUserCount: 18,
        tasks: [MyTask(text: "Post an update on “Fewer falls on Willow Ward”", url: "/projects/\(Mock.id(1))")],
        projects: [
            PersonProject(
                title: "Fewer falls on Willow Ward", url: "/projects/\(Mock.id(1))", part: "Coach", status: .active,
                score: ProgressScore(rawValue: 3.5), latestData: "30 Nov 2026",
                due: "Update due; data overdue: Falls per week"),
            PersonProject(
                title: "Calmer nights on Cedar Ward", url: "/projects/\(Mock.id(2))", part: "Lead, Sponsor",
                status: .proposed, score: nil, latestData: nil),
        ],
        places: [
            MyPlace(
                heading: "QI coach for Trust › Adult Mental Health",
                links: [
                    .init(label: "Coaching load", url: "/units/\(Mock.id(2))/portfolio/coaches"),
                    .init(label: "Portfolio", url: "/units/\(Mock.id(2))/portfolio"),
                ])
        ],
        training: MyTraining(
            learning: [
                .init(
                    cohort: .init(label: "Improvement Coaching Programme — 2027", url: "/cohorts/\(Mock.id(30))"),
                    detail: "Enrolled: next session 14 January 2027, Trust HQ")
            ],
            completed: ["Improvement Leaders’ Programme (3 March 2026)", "Pocket QI (12 May 2025)"],
            facilitating: [
                .init(
                    cohort: .init(label: "Pocket QI — December 2026", url: "/cohorts/\(Mock.id(31))"),
                    detail: "next session 9 December 2026, Mile End Hospital",
                    register: .init(
                        label: "Take the register of session 1 (2 December 2026)",
                        url: "/cohorts/\(Mock.id(31))/sessions/\(Mock.id(32))/register"))
            ],
            open: [
                .init(
                    cohort: .init(label: "Senior Clinical Leaders — 2027", url: "/cohorts/\(Mock.id(33))"),
                    detail: "starts 2 February 2027; 4 places left")
            ]))
}

extension UnitIndex.Model {
    static let mock = UnitIndex.Model(
        query: "", includeArchived: false,
        rows: [
            .init(id: Mock.id(1), name: "Trust", kind: .organisation, depth: 0, path: "Trust", isArchived: false),
            .init(
                id: Mock.id(2), name: "Adult Mental Health", kind: .directorate, depth: 1,
                path: "Trust › Adult Mental Health", isArchived: false),
            .init(
                id: Mock.id(3), name: "Willow Ward", kind: .ward, depth: 2,
                path: "Trust › Adult Mental Health › Willow Ward", isArchived: false),
        ],
        canCreate: true)
}

extension UnitShow.Model {
    static let mock = UnitShow.Model(
        id: Mock.id(3), name: "Willow Ward", kind: .ward, summary: "Twenty beds for older adults.", isArchived: false,
        ancestors: [.init(label: "Trust", url: "/units/\(Mock.id(1))")], children: [],
        people: [.init(id: Mock.id(10), name: "Ben Hughes", kind: .serviceUser, jobTitle: nil)], peopleCount: 1,
        grants: [.init(personID: Mock.id(11), personName: "Aisha Khan", role: .coach)], canManage: true,
        canManagePeople: true,
        capability: [
            .init(group: .allStaff, level: .introductory, members: 24, have: 9, needed: nil),
            .init(group: .projectLeads, level: .practitioner, members: 3, have: 2, needed: 3),
        ])
}

extension PersonIndex.Model {
    static let mock = PersonIndex.Model(
        query: "Ben", kind: nil, unitID: nil, includeArchived: false,
        rows: [
            .init(
                id: Mock.id(10), name: "Ben Hughes", kind: .serviceUser, unitPath: "Trust › Willow Ward",
                jobTitle: nil, isArchived: false),
            .init(
                id: Mock.id(12), name: "Ben Hughes", kind: .staff, unitPath: "Trust › Cedar Ward",
                jobTitle: "Staff nurse", isArchived: false),
        ],
        total: 2, page: 1, pageSize: 50, canCreate: true,
        unitOptions: [.init(value: "\(Mock.id(3))", label: "Willow Ward")])
}

extension ForumIndex.Model {
    static let mock = ForumIndex.Model(rows: [
        .init(
            unitID: Mock.id(2), name: "Adult Mental Health", chairs: ["Aisha Khan", "Ben Hughes"], waiting: 3,
            nextMeeting: Mock.day("2026-04-14"))
    ])
}

extension AuditLog.Model {
    static let mock = AuditLog.Model(
        filter: .init(), form: FormState(),
        rows: [
            .init(
                occurredAt: Mock.now, actorName: "Aisha Khan", action: .update, actionText: "updated",
                subjectKind: "unit", subjectName: "Willow Ward", subjectURL: "/units/\(Mock.id(3))",
                unitPath: "Trust › Willow Ward", changes: [])
        ],
        unitOptions: [], personOptions: [], limit: 200)
}
