import Fluent
import Foundation
import OpenQI

/// The demo's training, after ELFT's "dosing" (its 2019 figures, at the demo's scale): the seven
/// courses; Pocket QI for about a fifth of the staff and half the partners' people, every quarter
/// (every month for eight years, and half the staff, in the large trust), the next one with a waiting list; a wave of the Improvement
/// Leaders' Programme each September for leads of projects approved in the year before; coaching
/// each October for the graduates of the wave a year before, and a few of those coaches through
/// the improvement advisors' course; sponsors through Senior Clinical Leaders, service users and
/// carers through their own introduction, and the board. Improvement advisors and the QI team
/// facilitate. Registers are taken for every session held: one in eleven misses a last session.
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
        var facilitating: [CohortFacilitator] = []
        func cohort(
            _ course: Course, _ name: String, days: [CalendarDay], people: [UUID], capacity: Int, open: Bool,
            facilitators: [UUID]
        ) {
            let cohort = Cohort(
                courseID: course.id!, name: name, capacity: capacity, sessionsToComplete: course.sessionsToComplete,
                openToSelfEnrolment: open)
            cohort.id = UUID()
            cohorts.append(cohort)
            facilitating += facilitators.map { CohortFacilitator(cohortID: cohort.id!, personID: $0) }
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

        let people = organisation.people
        let parents = Dictionary(organisation.units.map { ($0.id, $0.parentID) }) { first, _ in first }
        let partners = Set(organisation.units.filter { $0.kind == .partner }.map(\.id))
        func atPartner(_ unit: UUID) -> Bool {
            var current: UUID? = unit
            while let id = current {
                if partners.contains(id) { return true }
                current = parents[id] ?? nil
            }
            return false
        }
        func demoPerson(_ role: Role) -> UUID? {
            people.first { $0.email == DemoOrganisation.email(for: role) }?.id
        }
        // The improvement advisors deliver Pocket QI and the ILP, with the QI team.
        let teachers = [demoPerson(.improvementAdvisor), demoPerson(.qiTeam)].compactMap { $0 }

        // Pocket QI: about a fifth of the staff, and partners' people too, every quarter in the small
        // trust (a trust of 500 fills a room four times a year); every month for eight years in the
        // large one, which has reached half its staff.
        let staff = people.filter { $0.kind == .staff && !atPartner($0.unitID) }.map(\.id)
        let partnerStaff = people.filter { $0.kind == .partner || ($0.kind == .staff && atPartner($0.unitID)) }
            .map(\.id)
        // The demo's ward manager has a place on the next one, to show it on their home page.
        let wardManager = demoPerson(.member)
        // The large trust has run it for eight years, long enough for most of its staff.
        let staffShare = size == .small ? 5 : 2
        let takers =
            (stride(from: 0, to: staff.count, by: staffShare).map { staff[$0] }
            + stride(from: 0, to: partnerStaff.count, by: 2).map { partnerStaff[$0] }).filter { $0 != wardManager }
        var wardManagerPlaced = false
        let every = size == .small ? 3 : 1
        let rounds = (size == .small ? 24 : 96) / every
        let perRound = max(1, takers.count / rounds)
        for round in 0..<rounds {
            let day = today.month.advanced(by: (round - rounds + 1) * every + 1).firstDay.adding(days: 9)
            var group = Array(takers.dropFirst(round * perRound).prefix(perRound))
            if day > today, !wardManagerPlaced, let wardManager {
                group.insert(wardManager, at: 0)
                wardManagerPlaced = true
            }
            // The next one is popular: a few wait for a place.
            let capacity = day > today ? max(1, perRound - 2) : max(50, perRound)
            cohort(
                courses[0], "Pocket QI, \(day.month.label)", days: [day], people: group, capacity: capacity,
                open: day > today, facilitators: teachers)
        }

        // A wave of the ILP each September, for leads of projects their forum approved in the year
        // before it (about a third of them: the ILP takes 130–200 a year).
        let approved = try await Project.query(on: db).filter(\.$status ~~ [.active, .completed])
            .filter(\.$approvedAt != nil).sort(\.$approvedAt).all()
        let waves = size == .small ? 3 : 8
        var graduates: [(start: CalendarDay, people: [UUID])] = []
        var used = Set<UUID>()
        for wave in 0..<waves {
            let year = today.month.year - waves + wave + (today.month.month >= 9 ? 1 : 0)
            guard let start = CalendarDay(year: year, month: 9, day: 14) else { continue }
            var leads = Set<UUID>()
            let candidates = approved.filter { project in
                guard let at = project.approvedAt, let id = project.id else { return false }
                let day = CalendarDay(containing: at)
                return day < start && day >= start.adding(months: -12) && !used.contains(id)
            }
            let projects = candidates.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
                .filter { leads.insert($0.$proposer.id).inserted }.prefix(180)
            used.formUnion(projects.compactMap(\.id))
            let before = enrolments.count
            cohort(
                courses[1], "Wave \(wave + 1)", days: (0..<5).map { start.adding(months: $0) },
                people: projects.map(\.$proposer.id), capacity: 200, open: false, facilitators: teachers)
            for (enrolment, project) in zip(enrolments[before...], projects) { enrolment.$project.id = project.id }
            graduates.append((start, enrolments[before...].filter { $0.completedOn != nil }.map(\.$person.id)))
        }

        // A coaching cohort each October from the graduates of the wave a year before, with the
        // people the forums have made coaches shared among them (ELFT trains every coach); a few of
        // the coaches go on to become improvement advisors.
        let coachesPerYear = size == .small ? 4 : 15
        let runs = graduates.filter { $0.start.adding(months: 12).adding(days: 21) <= today.adding(days: 60) }
            .filter { !$0.people.isEmpty }
        let appointed = Array(
            Set(try await RoleGrant.query(on: db).filter(\.$role == .coach).all().map(\.$person.id))
        ).sorted { $0.uuidString < $1.uuidString }.filter { $0 != demoPerson(.coach) }
        let perCohort = runs.isEmpty ? 0 : (appointed.count + runs.count - 1) / runs.count
        var coaches: [UUID] = []
        var firstCoachingEnds: CalendarDay?
        for (number, (start, people)) in runs.enumerated() {
            let begins = start.adding(months: 12).adding(days: 21)
            var chosen = Array(people.prefix(coachesPerYear))
            chosen += appointed.dropFirst(number * perCohort).prefix(perCohort).filter { !chosen.contains($0) }
            // The demo's coach was trained in the first cohort: fifth on its list, after those who
            // go on to be advisors, and before any who miss a session (every eleventh).
            if coaches.isEmpty, let coach = demoPerson(.coach) { chosen.insert(coach, at: min(4, chosen.count)) }
            coaches += chosen
            firstCoachingEnds = firstCoachingEnds ?? begins.adding(months: 5)
            cohort(
                courses[2], "Coaching \(begins.month.year)", days: (0..<6).map { begins.adding(months: $0) },
                people: chosen, capacity: chosen.count, open: false, facilitators: teachers)
        }
        // Advisors come from coaches who have finished their own programme.
        if let first = coaches.first, let ended = firstCoachingEnds, ended.adding(months: 3) <= today.adding(days: 60) {
            let begins = ended.adding(months: 3)
            cohort(
                courses[3], "Advisors \(begins.month.year)", days: (0..<10).map { begins.adding(months: $0) },
                people: [first] + coaches.dropFirst().prefix(size == .small ? 1 : 3), capacity: 6, open: false,
                facilitators: [])
        }

        // Sponsors through Senior Clinical Leaders, service users and carers through their own
        // introduction each spring, and the board once.
        let sponsors = Array(Set(approved.compactMap(\.$sponsor.id))).sorted { $0.uuidString < $1.uuidString }
        if let begins = CalendarDay(year: today.month.year - 1, month: 5, day: 4) {
            cohort(
                courses[4], "Senior leaders \(begins.month.year)", days: (0..<3).map { begins.adding(months: $0) },
                people: Array(sponsors.prefix(size == .small ? 10 : 35)), capacity: 40, open: false,
                facilitators: teachers)
        }
        let serviceUsers = people.filter { [.serviceUser, .carer].contains($0.kind) }.map(\.id)
        for year in 0..<2 {
            guard let begins = CalendarDay(year: today.month.year - 1 - year, month: 3, day: 2) else { continue }
            cohort(
                courses[5], "Service users and carers \(begins.month.year)", days: [begins, begins.adding(days: 7)],
                people: Array(serviceUsers.dropFirst(year * 12).prefix(12)), capacity: 15, open: false,
                facilitators: teachers)
        }
        if let begins = CalendarDay(year: today.month.year - 1, month: 6, day: 1) {
            let board = [demoPerson(.viewer), demoPerson(.sponsor), demoPerson(.admin)].compactMap { $0 }
            cohort(
                courses[6], "Board \(begins.month.year)", days: [begins, begins.adding(months: 1)], people: board,
                capacity: 15, open: false, facilitators: teachers)
        }

        try await cohorts.create(on: db)
        if !facilitating.isEmpty { try await facilitating.create(on: db) }
        for batch in sessions.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in enrolments.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in marks.chunked(into: 500) { try await Array(batch).create(on: db) }
        try await plan(year: today.year, today: today, on: db)
        if let advisor = demoPerson(.improvementAdvisor) {
            try await supervise(appointed + [demoPerson(.coach)].compactMap { $0 }, by: advisor, today: today, on: db)
        }
    }

    /// The advisors' monthly supervision of the coaches: most met in each of the last few months;
    /// one in three has not been seen lately, so the coaches' page has some to list.
    static func supervise(_ coaches: [UUID], by advisor: UUID, today: CalendarDay, on db: any Database) async throws {
        var records: [Supervision] = []
        for (index, coach) in coaches.enumerated() where index % 3 != 0 {
            for month in 0..<(1 + index % 4) {
                records.append(
                    Supervision(
                        coachID: coach, advisorID: advisor, heldOn: today.adding(days: -(5 + 30 * month)).date,
                        notes: "Talked through their teams’ run charts and the next PDSA cycles."))
            }
        }
        for batch in records.chunked(into: 500) { try await Array(batch).create(on: db) }
    }

    /// This year's dosing plan for the organisation, as ELFT set its need: an introduction for a
    /// good share of all staff and every new starter, the Improvement Leaders' Programme for those
    /// who lead teams and projects, the executives and sponsors, and each role's own course for all
    /// who hold it.
    static func plan(year: Int, today: CalendarDay, on db: any Database) async throws {
        let tree = try await UnitTree.load(on: db)
        guard let organisation = tree.organisationID else { return }
        let figures = try await DosingFigures.query(unitID: organisation, year: year, tree: tree, today: today, on: db)
        let share: [DosingGroup: Double] = [.allStaff: 0.35, .serviceUsersAndCarers: 0.5]
        let targets = figures.lines.map { line in
            let fraction = line.group == .sponsors && line.level == .leadership ? 0.6 : share[line.group] ?? 1
            return DosingTarget(
                unitID: organisation, year: year, group: line.group, level: line.level,
                needed: Int((Double(line.members) * fraction).rounded()))
        }
        try await targets.create(on: db)
    }
}
