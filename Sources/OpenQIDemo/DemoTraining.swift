import Fluent
import Foundation
import OpenQI

/// The demo's training, after ELFT's "dosing" (its 2019 figures, at the demo's scale): the seven
/// courses, Pocket QI every month for two years (four in the large trust) taken by about a fifth
/// of the staff, a wave of the Improvement Leaders' Programme each year for its project leads, and
/// a coaching cohort each year. Registers are taken for every session held; most attend all.
enum DemoTraining {
    static func load(
        _ organisation: DemoOrganisation, size: DemoSize, on db: any Database, now: Date = AppClock.now
    ) async throws {
        let courses = [
            Course(
                name: "Pocket QI", level: .introductory,
                audience: "Every member of staff, within three months of starting", sessionCount: 1,
                sessionMinutes: 120, sessionsToComplete: 1, requiresApprovedProject: false),
            Course(
                name: "Improvement Leaders’ Programme", level: .practitioner,
                audience: "Team leaders and clinicians bringing a project a forum has approved", sessionCount: 5,
                sessionMinutes: 420, sessionsToComplete: 4, requiresApprovedProject: true),
            Course(
                name: "Improvement Coaching Programme", level: .coach,
                audience: "Improvement Leaders’ Programme graduates who will coach teams half a day a week",
                sessionCount: 6, sessionMinutes: 420, sessionsToComplete: 5, requiresApprovedProject: false),
            Course(
                name: "Improvement Advisor development", level: .advisor,
                audience: "Those who will lead large-scale programmes’ improvement science", sessionCount: 10,
                sessionMinutes: 420, sessionsToComplete: 9, requiresApprovedProject: false),
            Course(
                name: "Senior Clinical Leaders", level: .leadership,
                audience: "Senior clinicians and managers who sponsor projects", sessionCount: 3, sessionMinutes: 420,
                sessionsToComplete: 3, requiresApprovedProject: false),
            Course(
                name: "Service users’ and carers’ introduction", level: .serviceUsers,
                audience: "Service users and carers joining project teams", sessionCount: 2, sessionMinutes: 180,
                sessionsToComplete: 2, requiresApprovedProject: false),
            Course(
                name: "Board development", level: .board, audience: "The executive and non-executive directors",
                sessionCount: 2, sessionMinutes: 240, sessionsToComplete: 2, requiresApprovedProject: false),
        ]
        try await courses.create(on: db)
        let today = CalendarDay(containing: now)
        let homes = Dictionary(organisation.people.map { ($0.id, $0.unitID) }) { first, _ in first }
        var cohorts: [Cohort] = []
        var sessions: [CohortSession] = []
        var enrolments: [Enrolment] = []
        var marks: [AttendanceMark] = []
        /// A cohort of `course` whose sessions fall on `days`, and its people, each attending every
        /// held session but for one in eleven who misses the last.
        func cohort(_ course: Course, _ name: String, days: [CalendarDay], people: [UUID], capacity: Int, open: Bool) {
            let cohort = Cohort(
                courseID: course.id!, name: name, capacity: capacity, sessionsToComplete: course.sessionsToComplete,
                openToSelfEnrolment: open)
            cohort.id = UUID()
            cohorts.append(cohort)
            let planned = days.enumerated().map { index, day in
                let session = CohortSession(
                    cohortID: cohort.id!, number: index + 1, heldOn: day.date, place: "Mile End")
                session.id = UUID()
                if day <= today { session.registerTakenAt = day.date }
                return session
            }
            sessions += planned
            for (index, person) in people.enumerated() {
                let enrolment = Enrolment(
                    cohortID: cohort.id!, personID: person, unitID: homes[person], projectID: nil,
                    status: index < capacity ? .enrolled : .waiting, enrolledAt: days[0].adding(days: -30).date)
                enrolment.id = UUID()
                enrolments.append(enrolment)
                guard enrolment.status == .enrolled else { continue }
                var attended: [CalendarDay] = []
                for (number, session) in planned.enumerated() where session.registerTakenAt != nil {
                    let missed = index % 11 == 10 && number == planned.count - 1
                    marks.append(
                        AttendanceMark(
                            sessionID: session.id!, enrolmentID: enrolment.id!,
                            attendance: missed ? .apologies : .attended, source: .register))
                    if !missed { attended.append(days[number]) }
                }
                if attended.count >= course.sessionsToComplete {
                    enrolment.completedOn = attended[course.sessionsToComplete - 1].date
                }
            }
        }

        let staff = organisation.people.filter { $0.kind == .staff }.map(\.id)
        let pocketQI = courses[0]
        let months = size == .small ? 24 : 48
        // About a fifth of the staff, spread over the months, in turn.
        let takers = stride(from: 0, to: staff.count, by: 5).map { staff[$0] }
        let perMonth = max(1, takers.count / months)
        for month in 0..<months {
            let day = today.month.advanced(by: month - months + 2).firstDay.adding(days: 9)
            let group = Array(takers.dropFirst(month * perMonth).prefix(perMonth))
            cohort(
                pocketQI, "Pocket QI, \(day.month.label)", days: [day], people: group, capacity: 50, open: day > today)
        }

        // A wave of the ILP each September for the project leads of that year's approved projects.
        let leaders = try await Project.query(on: db).filter(\.$status ~~ [.active, .completed]).sort(\.$approvedAt)
            .all()
        let waves = size == .small ? 3 : 8
        // About a third of the leads of approved projects, as the ILP takes 130–200 a year.
        let perWave = max(1, min(180, leaders.count / (waves * 3)))
        for wave in 0..<waves {
            let year = today.month.year - waves + wave + (today.month.month >= 9 ? 1 : 0)
            guard let start = CalendarDay(year: year, month: 9, day: 14) else { continue }
            // One project a lead: someone leading two brings one.
            var seen = Set<UUID>()
            let projects = leaders.dropFirst(wave * perWave).prefix(perWave).filter {
                seen.insert($0.$proposer.id).inserted
            }
            let before = enrolments.count
            cohort(
                courses[1], "Wave \(wave + 1)", days: (0..<5).map { start.adding(months: $0) },
                people: projects.map(\.$proposer.id), capacity: 200, open: false)
            for (enrolment, project) in zip(enrolments[before...], projects) { enrolment.$project.id = project.id }
        }

        // A coaching cohort a year from the ILP's graduates.
        let coachesPerYear = size == .small ? 4 : 15
        for year in 0..<(size == .small ? 2 : 7) {
            let graduates = enrolments.filter { $0.$cohort.id == cohorts.first { $0.name == "Wave \(year + 1)" }?.id }
                .prefix(coachesPerYear).map(\.$person.id)
            guard let start = CalendarDay(year: today.month.year - 1 - year, month: 10, day: 5) else { continue }
            cohort(
                courses[2], "Coaching \(start.month.year)", days: (0..<6).map { start.adding(months: $0) },
                people: Array(graduates), capacity: 20, open: false)
        }

        try await cohorts.create(on: db)
        for batch in sessions.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in enrolments.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in marks.chunked(into: 500) { try await Array(batch).create(on: db) }
    }
}
