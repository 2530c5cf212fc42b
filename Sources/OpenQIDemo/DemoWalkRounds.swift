import Fluent
import Foundation
import OpenQI

/// The demo's executive WalkRounds: four executives (the demo's sign-in among them) visit one team
/// each week for the last year, a different team each time, with a follow-up or two, most closed;
/// last week's visit waits to be recorded and the next four are planned. Chosen by position, so the
/// same demo comes out every time.
enum DemoWalkRounds {
    static let weeks = 52

    static let answers: [(proud: String, improving: String, inTheWay: String, selfCare: String)] = [
        (
            "How the team kept every patient's leave going through the staffing gaps.",
            "Fewer incidents of violence at night: testing a calm-down space with service users.",
            "Agency staff who do not know the ward's routines; the broken lift to the garden.",
            "A weekly reflective practice group, and protected breaks on long days."
        ),
        (
            "Waiting times to first appointment halved since the spring.",
            "Getting discharge letters to GPs within a day.",
            "Two clinicians' posts vacant for six months, and an old patient record system that is slow.",
            "Team lunches on Fridays; the manager covers so everyone gets one."
        ),
        (
            "Service users now co-chair the team's improvement meeting.",
            "Physical health checks for everyone on antipsychotics.",
            "No phlebotomist on site; the blood test machine is shared with two other teams.",
            "Wellbeing walks at lunch, and a quiet room the team set up itself."
        ),
    ]

    static let followUps = [
        "Chase the estates job for the garden lift",
        "Ask recruitment to advertise the vacant posts again, with the team's own words",
        "Fund a phlebotomy session twice a week",
        "Share the team's discharge letter template across the directorate",
    ]

    static func load(_ organisation: DemoOrganisation, on db: any Database, now: Date = AppClock.now) async throws {
        let today = CalendarDay(containing: now)
        guard
            let trust = organisation.units.first(where: { $0.kind == .organisation }),
            let signIn = organisation.signIns.first(where: { $0.role == .executive })
        else { return }
        // Three more of the board's executives, who visit too but have no demo sign-in.
        var executives = [signIn.personID]
        for (name, title) in [
            ("Michael Adebayo", "Chief executive"), ("Rachel Lindqvist", "Medical director"),
            ("Kwame Mensah", "Director of operations"),
        ] {
            let person = Person(fullName: name, email: nil, kind: .staff, unitID: trust.id, jobTitle: title)
            try await person.create(on: db)
            try await RoleGrant(personID: try person.requireID(), unitID: trust.id, role: .executive).create(on: db)
            executives.append(try person.requireID())
        }
        let teams = organisation.units.filter { [.team, .ward, .service].contains($0.kind) }
        guard !teams.isEmpty else { return }
        let people = Dictionary(grouping: organisation.people.filter { $0.kind == .staff }, by: \.unitID)
        var visits: [WalkRound] = []
        var actions: [WalkRoundAction] = []
        // From a year ago to four weeks ahead: held until last week, which waits to be recorded.
        for week in -weeks...4 {
            let day = today.adding(days: 7 * week + 2)
            let team = teams[((week + weeks) * 7) % teams.count]
            let visit = WalkRound()
            visit.id = UUID()
            visit.$unit.id = team.id
            visit.$executive.id = week == -1 ? signIn.personID : executives[(week + weeks) % executives.count]
            visit.plannedOn = day.date
            visits.append(visit)
            guard week < -1, day < today else { continue }
            let heard = answers[(week + weeks) % answers.count]
            visit.heldOn = day.date
            (visit.proudOf, visit.improving, visit.inTheWay, visit.selfCare) =
                (heard.proud, heard.improving, heard.inTheWay, heard.selfCare)
            for position in 0..<(1 + (week + weeks) % 2) {
                let action = WalkRoundAction()
                action.$walkRound.id = visit.id!
                action.position = position + 1
                action.action = followUps[(week + weeks + position) % followUps.count]
                let staff = people[team.id] ?? []
                action.$owner.id = position == 0 || staff.isEmpty ? visit.$executive.id : staff[0].id
                let due = day.adding(days: 28)
                action.dueOn = due.date
                // Most closed within their month; every fourth still open, overdue once its day passed.
                if due < today, (week + position) % 4 != 0 { action.doneOn = due.adding(days: -5).date }
                actions.append(action)
            }
        }
        try await visits.create(on: db)
        try await actions.create(on: db)
    }
}
