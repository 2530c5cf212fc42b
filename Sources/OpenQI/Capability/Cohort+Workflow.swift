import Fluent
import Foundation

/// A course's details as validated (`CourseInput`).
struct CourseDraft: Sendable, Equatable {
    let name: String
    let level: CourseLevel
    let audience: String
    let sessionCount: Int
    let sessionMinutes: Int
    let sessionsToComplete: Int
    let requiresApprovedProject: Bool
}

/// A cohort's details as validated (`CohortInput`): its sessions in order, and who facilitates.
struct CohortDraft: Sendable, Equatable {
    struct Session: Sendable, Equatable {
        let day: CalendarDay
        let place: String
    }

    let name: String
    let capacity: Int
    let openToSelfEnrolment: Bool
    let sessions: [Session]
    let facilitatorIDs: [UUID]
}

// MARK: Courses

extension Course {
    /// Adds a course to the organisation's offer, audited.
    static func create(_ draft: CourseDraft, by actor: Actor, on db: any Database) async throws -> Course {
        let course = Course()
        course.apply(draft)
        try await nameTaken(draft.name, by: "course") {
            try await db.transaction { db in
                try await course.create(on: db)
                try await CourseAudit(course: course).recordAudit(.create, by: actor, on: db)
            }
        }
        return course
    }

    /// Changes the course; throws `EditConflict` when someone saved it since `expected`. Cohorts
    /// already run keep the completions they gave.
    func update(with draft: CourseDraft, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        let before = CourseAudit(course: self).auditFields
        try await nameTaken(draft.name, by: "course") {
            try await db.transaction { db in
                try await self.claimNextVersion(after: expected, on: db)
                self.apply(draft)
                try await self.save(on: db)
                try await CourseAudit(course: self).recordAudit(.update, by: actor, before: before, on: db)
            }
        }
    }

    private func apply(_ draft: CourseDraft) {
        name = draft.name
        level = draft.level
        audience = draft.audience
        sessionCount = draft.sessionCount
        sessionMinutes = draft.sessionMinutes
        sessionsToComplete = draft.sessionsToComplete
        requiresApprovedProject = draft.requiresApprovedProject
    }
}

// MARK: Cohorts

extension Cohort {
    /// Plans a wave of `course`: its sessions (numbered in the order given) and facilitators.
    /// A course's cohort has as many sessions as the course.
    static func plan(_ draft: CohortDraft, of course: Course, by actor: Actor, on db: any Database) async throws
        -> Cohort
    {
        guard draft.sessions.count == course.sessionCount else {
            throw ValidationFailure(
                field: "sessions",
                message:
                    "\(course.name) has \(course.sessionCount) session\(course.sessionCount == 1 ? "" : "s"); give the day and place of each (\(draft.sessions.count) given)."
            )
        }
        let cohort = Cohort(
            courseID: try course.requireID(), name: draft.name, capacity: draft.capacity,
            sessionsToComplete: course.sessionsToComplete, openToSelfEnrolment: draft.openToSelfEnrolment)
        try await nameTaken(draft.name, by: "cohort of \(course.name)") {
            try await db.transaction { db in
                try await cohort.create(on: db)
                let id = try cohort.requireID()
                try await draft.sessions.enumerated().map { index, session in
                    CohortSession(cohortID: id, number: index + 1, heldOn: session.day.date, place: session.place)
                }.create(on: db)
                let facilitators = draft.facilitatorIDs.map { CohortFacilitator(cohortID: id, personID: $0) }
                if !facilitators.isEmpty { try await facilitators.create(on: db) }
                try await CohortAudit(cohort: cohort, course: course).recordAudit(.create, by: actor, on: db)
            }
        }
        return cohort
    }

    /// Changes the cohort's details, sessions and facilitators; throws `EditConflict` (with the
    /// cohort as saved, its sessions and facilitators loaded) when someone changed it since
    /// `expected`. A session whose register is taken keeps its day, which dates the completions it
    /// gave; places are never fewer than the people holding one; places added before the first
    /// session go to the waiting list in the order it was joined.
    func update(
        with draft: CohortDraft, course: Course, expecting expected: Int, today: CalendarDay, by actor: Actor,
        on db: any Database
    ) async throws {
        let id = try requireID()
        let sessions = try await CohortSession.query(on: db).filter(\.$cohort.$id == id).sort(\.$number).all()
        var errors: [FieldError] = []
        for (index, session) in sessions.enumerated() where session.registerTakenAt != nil {
            let day = CalendarDay(containing: session.heldOn)
            guard draft.sessions.indices.contains(index), draft.sessions[index].day != day else { continue }
            errors.append(
                FieldError(
                    field: CohortInput.dayField(index + 1),
                    message:
                        "Session \(index + 1)’s register is taken, so its day stays \(day.label): the completions it gave are dated by it. Its place may change."
                ))
        }
        let placesTaken = try await Enrolment.query(on: db).filter(\.$cohort.$id == id)
            .filter(\.$status == .enrolled).count()
        if draft.capacity < placesTaken {
            errors.append(
                FieldError(
                    field: "capacity",
                    message:
                        "\(placesTaken) people have places on \(name): give it at least \(placesTaken), or withdraw some first."
                ))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        // Started as it will stand: a register taken, or the first day as now given gone by.
        let started =
            sessions.contains { $0.registerTakenAt != nil } || (draft.sessions.first.map { $0.day <= today } ?? true)
        let facilitatorsBefore = try await CohortFacilitator.query(on: db).filter(\.$cohort.$id == id).with(\.$person)
            .all().map(\.person.fullName)
        let facilitatorsAfter = try await Person.query(on: db).filter(\.$id ~~ draft.facilitatorIDs).all()
            .map(\.fullName)
        @Sendable func names(_ people: [String]) -> String {
            people.isEmpty ? "none" : people.sorted().joined(separator: ", ")
        }
        var beforeChange = Self.sessionsAudit(sessions)
        beforeChange["facilitators"] = names(facilitatorsBefore)
        let before = CohortAudit(cohort: self, course: course, change: beforeChange).auditFields
        try await nameTaken(draft.name, by: "cohort of \(course.name)") {
            try await db.transaction { db in
                do {
                    try await self.claimNextVersion(after: expected, on: db)
                } catch is EditConflict<Cohort> {
                    guard
                        let saved = try await Cohort.query(on: db).filter(\.$id == id).with(\.$sessions)
                            .with(\.$facilitators).first()
                    else { throw NotFound("cohort") }
                    throw EditConflict(saved: saved)
                }
                self.name = draft.name
                self.capacity = draft.capacity
                self.openToSelfEnrolment = draft.openToSelfEnrolment
                try await self.save(on: db)
                // Days move in two steps, through days no cohort meets on, so no two sessions
                // share one on the way (a session a day).
                let moved = sessions.enumerated().filter { index, session in
                    draft.sessions.indices.contains(index)
                        && CalendarDay(containing: session.heldOn) != draft.sessions[index].day
                }
                for (step, (_, session)) in moved.enumerated() {
                    session.heldOn = CalendarDay(year: 1900, month: 1, day: 1)!.adding(days: step).date
                    try await session.save(on: db)
                }
                for (index, session) in sessions.enumerated() where draft.sessions.indices.contains(index) {
                    session.heldOn = draft.sessions[index].day.date
                    session.place = draft.sessions[index].place
                    try await session.save(on: db)
                }
                try await CohortFacilitator.query(on: db).filter(\.$cohort.$id == id).delete()
                let facilitators = draft.facilitatorIDs.map { CohortFacilitator(cohortID: id, personID: $0) }
                if !facilitators.isEmpty { try await facilitators.create(on: db) }
                var change = Self.sessionsAudit(sessions)
                change["facilitators"] = names(facilitatorsAfter)
                if !started, draft.capacity > placesTaken {
                    let promoted = try await Enrolment.query(on: db).filter(\.$cohort.$id == id)
                        .filter(\.$status == .waiting).sort(\.$enrolledAt).sort(\.$id)
                        .range(..<(draft.capacity - placesTaken)).with(\.$person).all()
                    for enrolment in promoted {
                        enrolment.status = .enrolled
                        try await enrolment.save(on: db)
                    }
                    if !promoted.isEmpty {
                        change["enrolment"] =
                            promoted.map { "\($0.person.fullName): enrolled from the waiting list" }
                            .joined(separator: "; ")
                    }
                }
                try await CohortAudit(cohort: self, course: course, change: change).recordAudit(
                    .update, by: actor, before: before, on: db)
            }
        }
    }

    /// Each session's day and place, as the audit trail records them.
    private static func sessionsAudit(_ sessions: [CohortSession]) -> [String: String] {
        Dictionary(
            sessions.map { ("session \($0.number)", "\(CalendarDay(containing: $0.heldOn).text), \($0.place)") }
        ) { $1 }
    }

    /// Gives `person` a place, or a place on the waiting list when the cohort is full. A course
    /// that asks for an approved project is refused without one the person is on the team of;
    /// nobody is enrolled twice. Returns the enrolment, which says which it was.
    func enrol(
        _ person: Person, bringing project: Project?, course: Course, by actor: Actor, on db: any Database
    ) async throws -> Enrolment {
        guard !person.isArchived else {
            throw ValidationFailure(
                field: "person_id", message: "\(person.fullName) is archived. Choose someone whose record is in use.")
        }
        if course.requiresApprovedProject {
            try await Self.requireApproved(project, for: person, course: course, on: db)
        }
        let personID = try person.requireID()
        let id = try requireID()
        return try await db.transaction { db in
            try await self.hold(on: db)
            // Someone who withdrew and comes back takes up their old line (one per person and
            // cohort), at the end of any waiting list and with nothing of their first attempt.
            let line = try await Enrolment.query(on: db).filter(\.$cohort.$id == id)
                .filter(\.$person.$id == personID).first()
            if let line, line.status != .withdrawn {
                throw ValidationFailure(field: "person_id", message: "\(person.fullName) is already on \(self.name).")
            }
            let taken = try await Enrolment.query(on: db).filter(\.$cohort.$id == id).filter(\.$status == .enrolled)
                .count()
            // Nobody overtakes the waiting list: a place freed after the first session stays free.
            let waiting = try await Enrolment.query(on: db).filter(\.$cohort.$id == id).filter(\.$status == .waiting)
                .count()
            let status: EnrolmentStatus = taken < self.capacity && waiting == 0 ? .enrolled : .waiting
            let enrolment =
                line
                ?? Enrolment(
                    cohortID: id, personID: personID, unitID: nil, projectID: nil, status: status,
                    enrolledAt: AppClock.now)
            if let line {
                // Their first attempt's registers go with it.
                try await AttendanceMark.query(on: db).filter(\.$enrolment.$id == line.requireID()).delete()
            }
            enrolment.status = status
            enrolment.enrolledAt = AppClock.now
            enrolment.completedOn = nil
            enrolment.$unit.id = person.$unit.id
            enrolment.$project.id = course.requiresApprovedProject ? project?.id : nil
            try await enrolment.save(on: db)
            var audit = CohortAudit(cohort: self, course: course)
            audit.change = ["enrolment": "\(person.fullName): \(status.label.lowercased())"]
            try await audit.recordAudit(.update, by: actor, on: db)
            return enrolment
        }
    }

    /// Why `person` may not enrol themselves (nil when they may): the cohort must be open to it,
    /// not yet started, and its course must not ask for an approved project (its organisers
    /// enrol those, with the project).
    func selfEnrolmentRefusal(course: Course, firstDay: CalendarDay?, today: CalendarDay) -> String? {
        if !openToSelfEnrolment {
            return "\(name) is not open for people to enrol themselves: ask the capability lead."
        }
        if let firstDay, firstDay <= today {
            return "\(name) started on \(firstDay.label): enrol on a later cohort of \(course.name)."
        }
        if course.requiresApprovedProject {
            return
                "\(course.name) takes people bringing a project a forum has approved: the capability lead enrols them with it."
        }
        return nil
    }

    /// A person enrolling themselves, where `selfEnrolmentRefusal` allows it; as `enrol` otherwise.
    func enrolSelf(_ person: Person, course: Course, today: CalendarDay, by actor: Actor, on db: any Database)
        async throws -> Enrolment
    {
        let firstDay = try await CohortSession.query(on: db).filter(\.$cohort.$id == requireID())
            .sort(\.$heldOn).first().map { CalendarDay(containing: $0.heldOn) }
        if let refusal = selfEnrolmentRefusal(course: course, firstDay: firstDay, today: today) {
            throw ValidationFailure(field: "cohort", message: refusal)
        }
        // Said to the person themselves (`enrol` checks again, under the cohort's hold).
        if try await Enrolment.query(on: db).filter(\.$cohort.$id == requireID())
            .filter(\.$person.$id == person.requireID()).filter(\.$status != .withdrawn).count() > 0
        {
            throw ValidationFailure(field: "cohort", message: "You are already on \(name).")
        }
        return try await enrol(person, bringing: nil, course: course, by: actor, on: db)
    }

    /// Takes `enrolment` off the cohort and, before the first session, gives its place to the
    /// first on the waiting list (after it, nobody joining could still complete). Someone who has
    /// completed the course keeps it. Returns who got the place, if anyone.
    func withdraw(
        _ enrolment: Enrolment, course: Course, today: CalendarDay, by actor: Actor, on db: any Database
    ) async throws -> Person? {
        let person = try await enrolment.$person.get(on: db)
        if let completed = enrolment.completedOn {
            throw ValidationFailure(
                field: "enrolment",
                message:
                    "\(person.fullName) completed \(course.name) on \(CalendarDay.label(completed)): a completion stays. Correct the registers if it was recorded in error."
            )
        }
        let id = try requireID()
        let started =
            try await CohortSession.query(on: db).filter(\.$cohort.$id == id)
            .filter(\.$heldOn <= today.date).count() > 0
        let enrolmentID = try enrolment.requireID()
        return try await db.transaction { db -> Person? in
            try await self.hold(on: db)
            // Read again under the hold: of two withdrawals of one person at once (a button
            // pressed twice), the second finds them gone and gives no second place away.
            guard let current = try await Enrolment.find(enrolmentID, on: db), current.status != .withdrawn else {
                return nil
            }
            let hadPlace = current.status == .enrolled
            current.status = .withdrawn
            try await current.save(on: db)
            enrolment.status = .withdrawn
            var change = ["enrolment": "\(person.fullName): withdrawn"]
            var promoted: Person?
            if hadPlace, !started,
                let next = try await Enrolment.query(on: db).filter(\.$cohort.$id == id)
                    .filter(\.$status == .waiting).sort(\.$enrolledAt).sort(\.$id).with(\.$person).first()
            {
                next.status = .enrolled
                try await next.save(on: db)
                promoted = next.person
                change["enrolment", default: ""] += "; \(next.person.fullName): enrolled from the waiting list"
            }
            var audit = CohortAudit(cohort: self, course: course)
            audit.change = change
            try await audit.recordAudit(.update, by: actor, on: db)
            return promoted
        }
    }

    /// Inside the transaction of a change to the cohort's places: moves its version on whatever it
    /// was, which holds the cohort's row until the transaction ends on PostgreSQL (SQLite has one
    /// writer anyway). Enrolments and withdrawals then count the places one after another, and
    /// the last place goes to one of two people asking at once, never to both.
    private func hold(on db: any Database) async throws {
        try await Self.hold([try requireID()], on: db)
    }

    /// `hold` for many cohorts at once, as an import of their registers does.
    static func hold(_ ids: [UUID], on db: any Database) async throws {
        for chunk in ids.chunked(into: 1000) {
            try await db.sql.raw(
                "UPDATE \(ident: schema) SET version = version + 1 WHERE id IN (\(binds: Array(chunk)))"
            ).run()
        }
    }

    /// Records a session's register: a mark for each enrolled person shown. A session not yet held
    /// has no register. Each person who has now attended as many sessions as the course's rule asks
    /// completes it on the day of the session at which they reached it. Throws `EditConflict` when
    /// the cohort changed since `expected`.
    func takeRegister(
        of session: CohortSession, marks: [UUID: Attendance], course: Course, today: CalendarDay,
        expecting expected: Int, from source: AttendanceSource = .register, by actor: Actor, on db: any Database
    ) async throws {
        let heldOn = CalendarDay(containing: session.heldOn)
        guard heldOn <= today else {
            throw ValidationFailure(
                field: "session",
                message:
                    "Session \(session.number) is on \(heldOn.label): take its register on the day or after it.")
        }
        let id = try requireID()
        let sessionID = try session.requireID()
        let enrolled = try await Enrolment.query(on: db).filter(\.$cohort.$id == id).filter(\.$status == .enrolled)
            .with(\.$person).all()
        let known = Set(enrolled.compactMap(\.id))
        if let stranger = marks.keys.first(where: { !known.contains($0) }) {
            throw ValidationFailure(
                field: "marks",
                message:
                    "The register names someone who has no place on \(name) (\(stranger.uuidString)). Reload the register and mark the people it lists."
            )
        }
        try await db.transaction { db in
            try await self.claimNextVersion(after: expected, on: db)
            try await AttendanceMark.query(on: db).filter(\.$session.$id == sessionID)
                .filter(\.$enrolment.$id ~~ Array(marks.keys)).delete()
            let lines = marks.map {
                AttendanceMark(sessionID: sessionID, enrolmentID: $0.key, attendance: $0.value, source: source)
            }
            if !lines.isEmpty { try await lines.create(on: db) }
            session.registerTakenAt = AppClock.now
            try await session.save(on: db)
            let completed = try await Self.complete(enrolled, needing: self.sessionsToComplete, on: db)
            var audit = CohortAudit(cohort: self, course: course)
            let attended = marks.values.filter { $0 == .attended }.count
            audit.change = ["register \(session.number)": "\(attended) of \(marks.count) attended"]
            if !completed.isEmpty { audit.change["completed"] = completed.sorted().joined(separator: ", ") }
            try await audit.recordAudit(.update, by: actor, on: db)
        }
    }

    /// Sets or clears each enrolment's completion by the cohort's rule (attending `needed`
    /// sessions), from the registers as they now stand (a register corrected later can undo a
    /// completion). Returns who newly completed.
    static func complete(_ enrolments: [Enrolment], needing needed: Int, on db: any Database) async throws
        -> [String]
    {
        let ids = enrolments.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let marks = try await AttendanceMark.query(on: db).filter(\.$enrolment.$id ~~ ids)
            .filter(\.$attendance == .attended).with(\.$session).all()
        let attendedDays = Dictionary(grouping: marks, by: \.$enrolment.id).mapValues { marks in
            marks.map { CalendarDay(containing: $0.session.heldOn) }.sorted()
        }
        var newly: [String] = []
        for enrolment in enrolments {
            guard let id = enrolment.id else { continue }
            let days = attendedDays[id] ?? []
            let reached = days.count >= needed ? days[needed - 1].date : nil
            guard reached != enrolment.completedOn else { continue }
            if enrolment.completedOn == nil { newly.append(enrolment.person.fullName) }
            enrolment.completedOn = reached
            try await enrolment.save(on: db)
        }
        return newly
    }

    /// A course that asks for an approved project takes only someone on the team of a project a
    /// forum has approved (approved, or active since).
    private static func requireApproved(
        _ project: Project?, for person: Person, course: Course, on db: any Database
    ) async throws {
        guard let project else {
            throw ValidationFailure(
                field: "project_id",
                message:
                    "\(course.name) is for people bringing a project a forum has approved: choose \(person.fullName)’s project."
            )
        }
        guard [.approved, .active].contains(project.status) else {
            throw ValidationFailure(
                field: "project_id",
                message:
                    "“\(project.title)” is \(project.status.label.lowercased()), not approved: \(course.name) takes a project once a forum has approved it."
            )
        }
        let onTeam =
            try await TeamMember.query(on: db).filter(\.$project.$id == project.requireID())
            .filter(\.$person.$id == person.requireID()).count() > 0
        guard onTeam || project.$proposer.id == person.id else {
            throw ValidationFailure(
                field: "project_id",
                message:
                    "\(person.fullName) is not on the team of “\(project.title)”. Add them to its team first, or choose their own project."
            )
        }
    }
}
