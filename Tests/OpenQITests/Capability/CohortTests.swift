import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Courses and cohorts")
struct CohortTests {
    static let actor = Actor(accountID: nil, name: "Capability lead")

    /// The Improvement Leaders' Programme (five days, four to complete, an approved project), and
    /// a wave of it with room for `capacity`, its days a month apart from `firstDay`.
    static func leadersProgramme(capacity: Int, firstDay: CalendarDay, on db: any Database) async throws
        -> (Course, Cohort)
    {
        let course = try await Course.create(
            CourseDraft(
                name: "Improvement Leaders’ Programme", level: .practitioner,
                audience: "Team leaders bringing a project a forum has approved", sessionCount: 5, sessionMinutes: 420,
                sessionsToComplete: 4, requiresApprovedProject: true),
            by: actor, on: db)
        let cohort = try await Cohort.plan(
            CohortDraft(
                name: "Wave 9", capacity: capacity, openToSelfEnrolment: false,
                sessions: (0..<5).map { .init(day: firstDay.adding(months: $0), place: "Robert Dolan House") },
                facilitatorIDs: []),
            of: course, by: actor, on: db)
        return (course, cohort)
    }

    /// Pocket QI: one two-hour session, for everyone.
    static func pocketQI(on db: any Database) async throws -> Course {
        try await Course.create(
            CourseDraft(
                name: "Pocket QI", level: .introductory, audience: "Every member of staff", sessionCount: 1,
                sessionMinutes: 120, sessionsToComplete: 1, requiresApprovedProject: false),
            by: actor, on: db)
    }

    /// A cohort of a one-session course, meeting on `day`.
    static func oneSession(
        _ name: String, of course: Course, on day: CalendarDay, capacity: Int, open: Bool, db: any Database
    ) async throws -> Cohort {
        try await Cohort.plan(
            CohortDraft(
                name: name, capacity: capacity, openToSelfEnrolment: open, sessions: [.init(day: day, place: "Bow")],
                facilitatorIDs: []),
            of: course, by: actor, on: db)
    }

    static func fresh(_ cohort: Cohort, on db: any Database) async throws -> Cohort {
        try #require(try await Cohort.find(cohort.id, on: db))
    }

    @Test(
        "a cohort is changed from its form: more places before it starts go to the waiting list in order, never fewer than taken; a held session keeps its day; a change saved meanwhile is shown"
    )
    func changeACohort() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .capabilityLead, at: world.trust)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let course = try await Course.create(
                CourseDraft(
                    name: "Coaching", level: .coach, audience: "Coaches", sessionCount: 2, sessionMinutes: 420,
                    sessionsToComplete: 2, requiresApprovedProject: false),
                by: Self.actor, on: db)
            let first = AppClock.today.adding(days: 30)
            let second = AppClock.today.adding(days: 60)
            let cohort = try await Cohort.plan(
                CohortDraft(
                    name: "Spring", capacity: 1, openToSelfEnrolment: false,
                    sessions: [.init(day: first, place: "Bow"), .init(day: second, place: "Bow")], facilitatorIDs: []),
                of: course, by: Self.actor, on: db)
            let amara = try await fixtures.person("Amara Okafor", unit: world.willow)
            let ben = try await fixtures.person("Ben Adams", unit: world.willow)
            _ = try await cohort.enrol(amara, bringing: nil, course: course, by: Self.actor, on: db)
            let waiting = try await cohort.enrol(ben, bringing: nil, course: course, by: Self.actor, on: db)
            #expect(waiting.status == .waiting)
            let path = "/cohorts/\(try cohort.requireID())"

            let form = try await lead.get(path + "/edit")
            #expect(form.status == .ok && form.body.contains(#"value="Spring""#))
            let version = try TestBrowser.hiddenValue("version", in: form)
            // Two places, the first session moved nearer and elsewhere: Ben takes the new place.
            var fields = [
                "name": "Spring", "capacity": "2", "session_days[1]": AppClock.today.adding(days: 45).text,
                "session_places[1]": "Mile End", "session_days[2]": second.text, "session_places[2]": "Bow",
                "version": version,
            ]
            let saved = try await lead.post(path, form: fields)
            #expect(saved.status == .seeOther)
            let changed = try await Cohort.query(on: db).filter(\.$id == cohort.requireID()).with(\.$sessions)
                .with(\.$enrolments).first()
            #expect(changed?.capacity == 2)
            #expect(
                changed?.sessions.sorted { $0.number < $1.number }.map {
                    "\(CalendarDay(containing: $0.heldOn).text) \($0.place)"
                }
                    == ["\(AppClock.today.adding(days: 45).text) Mile End", "\(second.text) Bow"])
            #expect(changed?.enrolments.allSatisfy { $0.status == .enrolled } == true, "Ben was given the new place")
            let entry = try #require(
                try await AuditEntry.query(on: db).filter(\.$subjectKind == "cohort").sort(\.$occurredAt, .descending)
                    .first())
            #expect(entry.after["enrolment"] == "Ben Adams: enrolled from the waiting list")
            #expect(entry.before["capacity"] == "1" && entry.after["capacity"] == "2")

            // Fewer places than people holding one is refused, with nothing saved.
            let current = String(try #require(changed?.version))
            fields["version"] = current
            fields["capacity"] = "1"
            let fewer = try await lead.post(path, form: fields)
            #expect(fewer.status == .unprocessableEntity)
            #expect(fewer.body.contains("2 people have places on Spring: give it at least 2"))

            // A change someone saved meanwhile is shown, and what was typed is kept.
            fields["version"] = version
            fields["capacity"] = "3"
            let stale = try await lead.post(path, form: fields)
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("after you opened it"))
            #expect(try await Cohort.find(cohort.id, on: db)?.capacity == 2)

            // A session whose register is taken keeps its day.
            let past = try await Cohort.plan(
                CohortDraft(
                    name: "Autumn", capacity: 5, openToSelfEnrolment: false,
                    sessions: [
                        .init(day: AppClock.today.adding(days: -10), place: "Bow"), .init(day: second, place: "Bow"),
                    ], facilitatorIDs: []),
                of: course, by: Self.actor, on: db)
            let held = try #require(
                try await CohortSession.query(on: db).filter(\.$cohort.$id == past.requireID())
                    .filter(\.$number == 1).first())
            try await past.takeRegister(
                of: held, marks: [:], course: course, today: AppClock.today, expecting: past.version, by: Self.actor,
                on: db)
            let pastVersion = try #require(try await Cohort.find(past.id, on: db)?.version)
            let moved = try await lead.post(
                "/cohorts/\(try past.requireID())",
                form: [
                    "name": "Autumn", "capacity": "5", "session_days[1]": AppClock.today.adding(days: -9).text,
                    "session_places[1]": "Bow", "session_days[2]": second.text, "session_places[2]": "Bow",
                    "version": String(pastVersion),
                ])
            #expect(moved.status == .unprocessableEntity)
            #expect(moved.body.contains("Session 1’s register is taken, so its day stays"))
        }
    }

    @Test("a course that asks for an approved project takes only someone on the team of one, each refusal naming why")
    func approvedProjectRequired() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let (course, cohort) = try await Self.leadersProgramme(
                capacity: 10, firstDay: AppClock.today.adding(days: -60), on: db)
            let lead = try await fixtures.person("Amara Okafor", unit: world.willow)
            let other = try await fixtures.person("Dev Patel", unit: world.willow)
            let approved = try await fixtures.approvedProject(
                "Fewer falls", unit: world.willow, lead: lead, approvedAt: AppClock.now)
            let proposal = try await fixtures.approvedProject(
                "Calmer nights", unit: world.willow, lead: other, approvedAt: AppClock.now)
            proposal.status = .proposed
            try await proposal.save(on: db)

            let without = await #expect(throws: ValidationFailure.self) {
                try await cohort.enrol(lead, bringing: nil, course: course, by: Self.actor, on: db)
            }
            #expect(without?.message(for: "project_id")?.contains("choose Amara Okafor’s project") == true)
            let notApproved = await #expect(throws: ValidationFailure.self) {
                try await cohort.enrol(other, bringing: proposal, course: course, by: Self.actor, on: db)
            }
            #expect(
                notApproved?.message(for: "project_id")?.contains("“Calmer nights” is proposed, not approved") == true)
            let notTheirs = await #expect(throws: ValidationFailure.self) {
                try await cohort.enrol(other, bringing: approved, course: course, by: Self.actor, on: db)
            }
            #expect(notTheirs?.message(for: "project_id")?.contains("Dev Patel is not on the team") == true)
            #expect(try await Enrolment.query(on: db).count() == 0, "nothing was saved for a refusal")

            let enrolment = try await cohort.enrol(lead, bringing: approved, course: course, by: Self.actor, on: db)
            #expect(enrolment.status == .enrolled && enrolment.$project.id == approved.id)
            let twice = await #expect(throws: ValidationFailure.self) {
                try await Self.fresh(cohort, on: db).enrol(
                    lead, bringing: approved, course: course, by: Self.actor, on: db)
            }
            #expect(twice?.message(for: "person_id") == "Amara Okafor is already on Wave 9.")
        }
    }

    @Test(
        "a full cohort puts the next person on its waiting list, and a withdrawal gives the place to the first waiting")
    func waitingList() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let course = try await Self.pocketQI(on: db)
            let cohort = try await Self.oneSession(
                "March", of: course, on: AppClock.today.adding(days: 20), capacity: 2, open: true, db: db)
            var people: [Person] = []
            for name in ["Ana", "Ben", "Cal", "Dee"] {
                people.append(try await fixtures.person(name, unit: world.cedar))
            }
            var statuses: [EnrolmentStatus] = []
            for person in people {
                statuses.append(
                    try await Self.fresh(cohort, on: db).enrol(
                        person, bringing: nil, course: course, by: Self.actor, on: db
                    ).status)
            }
            #expect(statuses == [.enrolled, .enrolled, .waiting, .waiting])

            let ana = try #require(try await Enrolment.query(on: db).filter(\.$person.$id == people[0].id!).first())
            let promoted = try await Self.fresh(cohort, on: db).withdraw(
                ana, course: course, today: AppClock.today, by: Self.actor, on: db)
            #expect(promoted?.fullName == "Cal", "the first on the waiting list takes the place")
            let places = try await Enrolment.query(on: db).filter(\.$status == .enrolled).with(\.$person).all()
            #expect(Set(places.map(\.person.fullName)) == ["Ben", "Cal"])
            #expect(try await AuditEntry.query(on: db).filter(\.$subjectKind == "cohort").count() == 6)
        }
    }

    @Test(
        "a register cannot be taken before its session; completion follows the course's rule, dated by the session that met it"
    )
    func registersAndCompletion() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            // Sessions 60, 30 days ago… so the first three are held, the last two not yet.
            let first = AppClock.today.adding(months: -2)
            let (course, cohort) = try await Self.leadersProgramme(capacity: 10, firstDay: first, on: db)
            let lead = try await fixtures.person("Amara Okafor", unit: world.willow)
            let project = try await fixtures.approvedProject(
                "Fewer falls", unit: world.willow, lead: lead, approvedAt: AppClock.now)
            let enrolment = try await cohort.enrol(lead, bringing: project, course: course, by: Self.actor, on: db)
            let enrolmentID = try enrolment.requireID()
            let sessions = try await CohortSession.query(on: db).filter(\.$cohort.$id == cohort.id!)
                .sort(\.$number).all()
            #expect(sessions.map(\.number) == [1, 2, 3, 4, 5])

            let early = await #expect(throws: ValidationFailure.self) {
                let now = try await Self.fresh(cohort, on: db)
                try await now.takeRegister(
                    of: sessions[3], marks: [enrolmentID: .attended], course: course, today: AppClock.today,
                    expecting: now.version, by: Self.actor, on: db)
            }
            #expect(early?.message(for: "session")?.contains("Session 4 is on") == true)
            #expect(try await AttendanceMark.query(on: db).count() == 0)

            for (index, mark) in [Attendance.attended, .apologies, .attended].enumerated() {
                let now = try await Self.fresh(cohort, on: db)
                try await now.takeRegister(
                    of: sessions[index], marks: [enrolmentID: mark], course: course, today: AppClock.today,
                    expecting: now.version, by: Self.actor, on: db)
            }
            #expect(try await Enrolment.find(enrolmentID, on: db)?.completedOn == nil, "two of four attended")

            // Two months on, the last two sessions are held and attended: four of five completes it,
            // on the day of the fourth session attended (the fifth, after apologies for the second).
            let later = first.adding(months: 4)
            for index in [3, 4] {
                let now = try await Self.fresh(cohort, on: db)
                try await now.takeRegister(
                    of: sessions[index], marks: [enrolmentID: .attended], course: course, today: later,
                    expecting: now.version, by: Self.actor, on: db)
            }
            let completed = try #require(try await Enrolment.find(enrolmentID, on: db)?.completedOn)
            #expect(CalendarDay(containing: completed) == first.adding(months: 4))

            // A register corrected later can take the completion back.
            let now = try await Self.fresh(cohort, on: db)
            try await now.takeRegister(
                of: sessions[4], marks: [enrolmentID: .absent], course: course, today: later,
                expecting: now.version, by: Self.actor, on: db)
            try await Self.fresh(cohort, on: db).takeRegister(
                of: sessions[3], marks: [enrolmentID: .absent], course: course, today: later,
                expecting: try await Self.fresh(cohort, on: db).version, by: Self.actor, on: db)
            #expect(try await Enrolment.find(enrolmentID, on: db)?.completedOn == nil)

            // A register begun from an older version of the cohort is refused whole.
            await #expect(throws: EditConflict<Cohort>.self) {
                try await cohort.takeRegister(
                    of: sessions[4], marks: [enrolmentID: .attended], course: course, today: later,
                    expecting: 1, by: Self.actor, on: db)
            }
            let marks = try await AttendanceMark.query(on: db).filter(\.$session.$id == sessions[4].id!).all()
            #expect(marks.map(\.attendance) == [.absent])

            // Withdrawn and enrolled again, they start afresh: their first attempt's registers go.
            let line = try #require(try await Enrolment.find(enrolmentID, on: db))
            _ = try await Self.fresh(cohort, on: db).withdraw(
                line, course: course, today: later, by: Self.actor, on: db)
            let again = try await Self.fresh(cohort, on: db).enrol(
                lead, bringing: project, course: course, by: Self.actor, on: db)
            #expect(again.id == enrolmentID && again.status == .enrolled)
            #expect(try await AttendanceMark.query(on: db).filter(\.$enrolment.$id == enrolmentID).count() == 0)
        }
    }

    @Test(
        "the capability lead and the QI team of the organisation run training; a facilitator takes only their cohort's registers"
    )
    func whoMay() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let tree = try await UnitTree.load(on: app.db)
            func policy(_ grants: [(Role, Unit)], person: UUID = UUID()) -> Policy {
                Policy(
                    viewer: Viewer(
                        accountID: UUID(), personID: person, name: "Someone", email: "someone@test.example",
                        isAdministrator: false, mustChangePassword: false, sessionID: UUID(), csrfToken: "t",
                        grants: Set(grants.map { RoleGrant.Scope(unitID: $0.1.id!, role: $0.0) })),
                    tree: tree)
            }
            #expect(policy([(.capabilityLead, world.trust)]).allows(.manageCapability))
            #expect(policy([(.qiTeam, world.trust)]).allows(.manageCapability))
            #expect(!policy([(.capabilityLead, world.directorate)]).allows(.manageCapability))
            #expect(!policy([(.coach, world.trust)]).allows(.manageCapability))
            let facilitator = try await fixtures.person("Fola", unit: world.willow)
            #expect(policy([], person: facilitator.id!).allows(.takeRegisters(facilitatorIDs: [facilitator.id!])))
            #expect(!policy([]).allows(.takeRegisters(facilitatorIDs: [facilitator.id!])))
            #expect(policy([(.capabilityLead, world.trust)]).allows(.takeRegisters(facilitatorIDs: [])))
        }
    }

    @Test(
        "a course's and a cohort's forms name each mistake: sessions to complete beyond the sessions, a missing or misordered day, a facilitator not offered"
    )
    func badInput() throws {
        let course = CourseInput(
            name: "Pocket QI", level: "introductory", audience: "Every member of staff", session_count: NumberText("3"),
            session_minutes: NumberText("5"), sessions_to_complete: NumberText("4"), requires_approved_project: nil)
        let refused = #expect(throws: ValidationFailure.self) { try course.validate(among: []) }
        #expect(
            refused?.message(for: "sessions_to_complete") == "Someone cannot attend 4 of 3 sessions: enter 3 or fewer.")
        #expect(refused?.message(for: "session_minutes")?.contains("from 15 to 600") == true)

        let threeDays = Course(
            name: "Coaching", level: .coach, audience: "Coaches", sessionCount: 3, sessionMinutes: 240,
            sessionsToComplete: 3, requiresApprovedProject: false)
        let known = UUID()
        let cohort = CohortInput(
            name: "2026", capacity: NumberText("20"), open_to_self_enrolment: ["yes"],
            session_days: ["2026-03-02", "2026-02-01", ""], session_places: ["Mile End", "Mile End", "Bow"],
            facilitator_ids: [known.uuidString, UUID().uuidString])
        let wrong = #expect(throws: ValidationFailure.self) {
            try cohort.validate(for: threeDays, among: [], facilitators: [known])
        }
        #expect(wrong?.message(for: "session_days[2]")?.contains("Session 2 is not after session 1") == true)
        #expect(wrong?.message(for: "session_days[3]") == "Enter the day of session 3.")
        #expect(wrong?.message(for: "facilitator_ids") == "Choose the facilitators from the list.")

        var right = cohort
        right.session_days = ["2026-01-05", "2026-02-02", "2026-03-02"]
        right.facilitator_ids = [known.uuidString]
        let draft = try right.validate(for: threeDays, among: [], facilitators: [known])
        #expect(draft.sessions.map(\.day.text) == ["2026-01-05", "2026-02-02", "2026-03-02"])
        #expect(draft.openToSelfEnrolment && draft.capacity == 20 && draft.facilitatorIDs == [known])
    }

    @Test(
        "through the pages: a capability lead adds the ILP and plans a wave; enrolment finds a lead's approved project and refuses one without; a facilitator takes two registers; the course counts the completion"
    )
    func journey() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let db = app.db
            try await fixtures.signIn("lead@test.example", role: .capabilityLead, at: world.trust)
            let facilitator = try await fixtures.signIn("ia@test.example", role: .improvementAdvisor, at: world.trust)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")

            let refused = try await lead.post(
                "/courses",
                form: [
                    "name": "Improvement Leaders’ Programme", "level": "practitioner", "audience": "Team leaders",
                    "session_count": "2", "session_minutes": "420", "sessions_to_complete": "3",
                    "requires_approved_project[]": "yes",
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("Someone cannot attend 3 of 2 sessions: enter 2 or fewer."))
            #expect(refused.body.contains(">Team leaders</textarea>"), "what was typed is kept")
            let added = try await lead.post(
                "/courses",
                form: [
                    "name": "Improvement Leaders’ Programme", "level": "practitioner", "audience": "Team leaders",
                    "session_count": "2", "session_minutes": "420", "sessions_to_complete": "2",
                    "requires_approved_project[]": "yes",
                ])
            #expect(added.status == .seeOther)
            let course = try #require(try await Course.query(on: db).first())
            #expect(course.requiresApprovedProject && course.sessionsToComplete == 2)

            let form = try await lead.get("/courses/\(course.id!)/cohorts/new")
            #expect(
                form.body.contains("Session 2: day") && form.body.contains("Ia"),
                "a line a session; the advisor offered")
            let first = AppClock.today.adding(days: -14)
            // Sent as the page names its fields: a line a session, numbered.
            #expect(form.body.contains(#"name="session_days[2]""#) && form.body.contains(#"name="session_places[1]""#))
            let planned = try await lead.post(
                "/courses/\(course.id!)/cohorts",
                fields: [
                    ("name", "Wave 1"), ("capacity", "30"), ("session_days[1]", first.text),
                    ("session_days[2]", first.adding(days: 7).text), ("session_places[1]", "Mile End"),
                    ("session_places[2]", "Bow"), ("facilitator_ids[]", facilitator.id!.uuidString),
                ])
            #expect(planned.status == .seeOther)
            let cohort = try #require(try await Cohort.query(on: db).first())
            #expect(planned.location == "/cohorts/\(cohort.id!)")

            let amara = try await fixtures.person("Amara Okafor", unit: world.willow)
            try await fixtures.person("Dev Patel", unit: world.cedar)
            let project = try await fixtures.approvedProject(
                "Fewer falls", unit: world.willow, lead: amara, approvedAt: AppClock.now)
            let none = try await lead.post("/cohorts/\(cohort.id!)/enrolments", form: ["person": "Dev Patel"])
            #expect(none.status == .unprocessableEntity)
            #expect(none.body.contains("Dev Patel is on the team of no project a forum has approved."))
            #expect(try await Enrolment.query(on: db).count() == 0)
            let enrolled = try await lead.post("/cohorts/\(cohort.id!)/enrolments", form: ["person": "Amara Okafor"])
            #expect(enrolled.status == .seeOther)
            let enrolment = try #require(try await Enrolment.query(on: db).first())
            #expect(enrolment.$person.id == amara.id && enrolment.$project.id == project.id)

            // The lead may not take registers; the facilitator may.
            let sessions = try await CohortSession.query(on: db).sort(\.$number).all()
            let registerPath = "/cohorts/\(cohort.id!)/sessions/\(sessions[0].id!)/register"
            #expect(try await lead.get(registerPath).status == .ok, "whoever runs the training may")
            let advisor = TestBrowser(app: app)
            _ = try await advisor.signIn("ia@test.example")
            for session in sessions {
                let path = "/cohorts/\(cohort.id!)/sessions/\(session.id!)/register"
                let saved = try await advisor.post(
                    path, editing: path, form: [RegisterInput.markField(enrolment.id!): "attended"])
                #expect(saved.status == .seeOther, "\(saved.body.prefix(400))")
            }
            let done = try #require(try await Enrolment.find(enrolment.id, on: db))
            #expect(done.completedOn.map(CalendarDay.init(containing:)) == first.adding(days: 7))
            let page = try await lead.get("/courses/\(course.id!)").body
            #expect(page.contains("Wave 1") && page.contains(">1</td>"), "one completed")
            let cohortPage = try await advisor.get("/cohorts/\(cohort.id!)").body
            #expect(cohortPage.contains("Fewer falls") && cohortPage.contains(first.adding(days: 7).label))
            #expect(!cohortPage.contains("Enrol someone"), "a facilitator does not enrol people")

            // Each person's page shows their learning: what they completed, and what they teach.
            let learner = try await lead.get("/people/\(amara.id!)").body
            #expect(
                learner.contains("Improvement Leaders’ Programme")
                    && learner.contains("Completed \(first.adding(days: 7).label)"))
            let teacher = try await lead.get("/people/\(facilitator.id!)").body
            #expect(teacher.contains("Facilitates") && teacher.contains("Improvement Leaders’ Programme — Wave 1"))

            // The API says the same.
            let courses = try JSONDecoder().decode(
                [CourseDTO].self, from: Data(try await advisor.get("/api/v1/courses").body.utf8))
            #expect(courses.map(\.name) == ["Improvement Leaders’ Programme"])
            #expect(courses[0].cohorts.map(\.completed) == [1] && courses[0].cohorts[0].starts_on == first.text)
            let json = try JSONDecoder().decode(
                CohortDTO.self, from: Data(try await advisor.get("/api/v1/cohorts/\(cohort.id!)").body.utf8))
            #expect(json.sessions.map(\.held_on) == [first.text, first.adding(days: 7).text])
            #expect(json.facilitator_ids == [facilitator.id!] && json.sessions_to_complete == 2)
            #expect(json.enrolments.count == 1 && json.enrolments[0].project_id == project.id)
            #expect(json.enrolments[0].completed_on == first.adding(days: 7).text)
            #expect(json.enrolments[0].attendance.map(\.attendance) == [.attended, .attended])
            #expect(try await advisor.get("/api/v1/cohorts/\(UUID())").status == .notFound)

            // A register through the API: by person, each refusal naming the line, nothing half-saved.
            struct Mark: Encodable {
                let person_id: String
                let attendance: String
            }
            struct Register: Encodable {
                let session_id: String
                let marks: [Mark]
            }
            let path = "/api/v1/cohorts/\(cohort.id!)/attendance"
            let wrong = try await advisor.json(
                .POST, path,
                encoding: Register(
                    session_id: sessions[1].id!.uuidString,
                    marks: [
                        .init(person_id: amara.id!.uuidString, attendance: "absent"),
                        .init(person_id: UUID().uuidString, attendance: "attended"),
                    ]))
            #expect(wrong.status == .unprocessableEntity && wrong.body.contains("marks[1].person_id"))
            #expect(try await Enrolment.find(enrolment.id, on: db)?.completedOn != nil, "nothing saved")
            let corrected = try await advisor.json(
                .POST, path,
                encoding: Register(
                    session_id: sessions[1].id!.uuidString,
                    marks: [.init(person_id: amara.id!.uuidString, attendance: "absent")]))
            #expect(corrected.status == .ok)
            let after = try JSONDecoder().decode(CohortDTO.self, from: Data(corrected.body.utf8))
            #expect(after.enrolments[0].completed_on == nil, "a corrected register takes the completion back")
            #expect(
                try await AttendanceMark.query(on: db).filter(\.$source == .api).count() == 1,
                "the line says where it came from")

            let stranger = TestBrowser(app: app)
            try await fixtures.signIn("nurse@test.example", role: .member, at: world.willow)
            _ = try await stranger.signIn("nurse@test.example")
            #expect(try await stranger.get(registerPath).status == .forbidden)
        }
    }

    @Test(
        "places hold under people enrolling at once; a withdrawal frees a place only before the first session; a completion stays, and a course changed later leaves past waves' completions alone"
    )
    func placesAndCompletionsHold() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let course = try await Self.pocketQI(on: db)
            let cohort = try await Self.oneSession(
                "Next month", of: course, on: AppClock.today.adding(days: 20), capacity: 2, open: true, db: db)
            var people: [Person] = []
            for index in 0..<6 { people.append(try await fixtures.person("Person \(index)", unit: world.cedar)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for person in people {
                    group.addTask {
                        _ = try await Self.fresh(cohort, on: db).enrol(
                            person, bringing: nil, course: course, by: Self.actor, on: db)
                    }
                }
                try await group.waitForAll()
            }
            let enrolled = try await Enrolment.query(on: db).filter(\.$status == .enrolled).all()
            #expect(enrolled.count == 2, "never more places than the cohort has")
            #expect(try await Enrolment.query(on: db).filter(\.$status == .waiting).count() == 4)

            // Before the first session a withdrawal gives the place on; the one who left, coming
            // back, joins the end of the waiting list.
            let leaver = enrolled[0]
            let promoted = try await Self.fresh(cohort, on: db).withdraw(
                leaver, course: course, today: AppClock.today, by: Self.actor, on: db)
            #expect(promoted != nil)
            let person = try #require(try await Person.find(leaver.$person.id, on: db))
            let back = try await Self.fresh(cohort, on: db).enrol(
                person, bringing: nil, course: course, by: Self.actor, on: db)
            #expect(back.status == .waiting && back.id == leaver.id, "their old line, waiting")
            let queue = try await Enrolment.query(on: db).filter(\.$status == .waiting).sort(\.$enrolledAt).all()
            #expect(queue.last?.id == leaver.id)

            // After the session, a withdrawal frees nothing: nobody joining could complete it.
            let later = AppClock.today.adding(days: 21)
            let place = try #require(try await Enrolment.query(on: db).filter(\.$status == .enrolled).first())
            #expect(
                try await Self.fresh(cohort, on: db).withdraw(
                    place, course: course, today: later, by: Self.actor, on: db) == nil)
            #expect(try await Enrolment.query(on: db).filter(\.$status == .enrolled).count() == 1)
            // Pressed twice, a withdrawal gives nothing away a second time; and a newcomer does not
            // take the freed place ahead of those waiting.
            #expect(
                try await Self.fresh(cohort, on: db).withdraw(
                    place, course: course, today: later, by: Self.actor, on: db) == nil)
            let newcomer = try await fixtures.person("Newcomer", unit: world.cedar)
            let late = try await Self.fresh(cohort, on: db).enrol(
                newcomer, bringing: nil, course: course, by: Self.actor, on: db)
            #expect(late.status == .waiting)
            #expect(try await Enrolment.query(on: db).filter(\.$status == .enrolled).count() == 1)
        }
    }

    @Test("a completion stays when the course's rule changes later, and cannot be withdrawn")
    func completionsStay() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let first = AppClock.today.adding(months: -5)
            let (course, cohort) = try await Self.leadersProgramme(capacity: 10, firstDay: first, on: db)
            let lead = try await fixtures.person("Amara Okafor", unit: world.willow)
            let project = try await fixtures.approvedProject(
                "Fewer falls", unit: world.willow, lead: lead, approvedAt: AppClock.now)
            let enrolment = try await cohort.enrol(lead, bringing: project, course: course, by: Self.actor, on: db)
            let sessions = try await CohortSession.query(on: db).filter(\.$cohort.$id == cohort.id!)
                .sort(\.$number).all()
            for index in 0..<4 {
                let now = try await Self.fresh(cohort, on: db)
                try await now.takeRegister(
                    of: sessions[index], marks: [enrolment.id!: .attended], course: course, today: AppClock.today,
                    expecting: now.version, by: Self.actor, on: db)
            }
            let completed = try #require(try await Enrolment.find(enrolment.id, on: db)?.completedOn)

            // The course now asks for five of six: the wave planned under four of five keeps its rule.
            try await course.update(
                with: CourseDraft(
                    name: course.name, level: .practitioner, audience: course.audience, sessionCount: 6,
                    sessionMinutes: 420, sessionsToComplete: 5, requiresApprovedProject: true),
                expecting: course.version, by: Self.actor, on: db)
            let now = try await Self.fresh(cohort, on: db)
            try await now.takeRegister(
                of: sessions[4], marks: [enrolment.id!: .apologies], course: course, today: AppClock.today,
                expecting: now.version, by: Self.actor, on: db)
            #expect(try await Enrolment.find(enrolment.id, on: db)?.completedOn == completed)

            let refused = await #expect(throws: ValidationFailure.self) {
                try await Self.fresh(cohort, on: db).withdraw(
                    try #require(try await Enrolment.find(enrolment.id, on: db)), course: course, today: AppClock.today,
                    by: Self.actor, on: db)
            }
            #expect(refused?.message(for: "enrolment")?.contains("a completion stays") == true)
        }
    }

    @Test(
        "people enrol themselves on an open cohort that has not started, once; a register begun before someone's place changed is refused whole, keeping its marks"
    )
    func selfEnrolmentAndStaleRegisters() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .capabilityLead, at: world.trust)
            let nurse = try await fixtures.signIn("nurse@test.example", role: .member, at: world.willow)
            let course = try await Self.pocketQI(on: db)
            func plan(_ name: String, on day: CalendarDay, open: Bool) async throws -> Cohort {
                try await Self.oneSession(name, of: course, on: day, capacity: 10, open: open, db: db)
            }
            let open = try await plan("Next month", on: AppClock.today.adding(days: 20), open: true)
            let closed = try await plan("By invitation", on: AppClock.today.adding(days: 20), open: false)
            let past = try await plan("Last month", on: AppClock.today.adding(days: -20), open: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("nurse@test.example")
            #expect(try await browser.get("/cohorts/\(open.id!)").body.contains("Enrol me"))
            let enrolled = try await browser.post("/cohorts/\(open.id!)/enrol-me")
            #expect(enrolled.status == .seeOther)
            #expect(try await browser.get("/cohorts/\(open.id!)").body.contains("You have a place on Next month"))
            let twice = try await browser.post("/cohorts/\(open.id!)/enrol-me")
            #expect(twice.status == .seeOther)
            #expect(try await browser.get("/cohorts/\(open.id!)").body.contains("You are already on Next month."))
            for (cohort, why) in [
                (closed, "By invitation is not open for people to enrol themselves"),
                (past, "Last month started on \(AppClock.today.adding(days: -20).label)"),
            ] {
                #expect(!(try await browser.get("/cohorts/\(cohort.id!)").body.contains("Enrol me")))
                _ = try await browser.post("/cohorts/\(cohort.id!)/enrol-me")
                #expect(try await browser.get("/cohorts/\(cohort.id!)").body.contains(why))
            }
            #expect(try await Enrolment.query(on: db).count() == 1)
            #expect(
                try await Enrolment.query(on: db).first()?.$unit.id == world.willow.id, "their unit when they enrolled")

            // The past cohort's register, opened; meanwhile the lead enrols someone else.
            let ben = try await fixtures.person("Ben Hughes", kind: .serviceUser, unit: world.willow)
            _ = try await Self.fresh(past, on: db).enrol(nurse, bringing: nil, course: course, by: Self.actor, on: db)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            let session = try #require(try await CohortSession.query(on: db).filter(\.$cohort.$id == past.id!).first())
            let path = "/cohorts/\(past.id!)/sessions/\(session.id!)/register"
            let page = try await lead.get(path)
            let version = try TestBrowser.hiddenValue("version", in: page)
            let nurseLine = try #require(try await Enrolment.query(on: db).filter(\.$cohort.$id == past.id!).first())
            _ = try await Self.fresh(past, on: db).enrol(ben, bringing: nil, course: course, by: Self.actor, on: db)
            let stale = try await lead.post(
                path, form: [RegisterInput.markField(nurseLine.id!): "attended", "version": version])
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("after you opened the register"))
            #expect(stale.body.contains("value=\"attended\" checked"), "the marks typed are kept")
            #expect(try await AttendanceMark.query(on: db).count() == 0, "nothing saved")
        }
    }

    @Test(
        "completing the coaching programme offers the coach role at the person's unit to whoever may grant it there, once"
    )
    func coachRoleOffered() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("admin@test.example", role: .admin, at: world.directorate)
            try await fixtures.signIn("lead@test.example", role: .capabilityLead, at: world.trust)
            let course = try await Course.create(
                CourseDraft(
                    name: "Improvement Coaching Programme", level: .coach, audience: "ILP graduates",
                    sessionCount: 1, sessionMinutes: 420, sessionsToComplete: 1, requiresApprovedProject: false),
                by: Self.actor, on: db)
            let cohort = try await Self.oneSession(
                "2026", of: course, on: AppClock.today.adding(days: -1), capacity: 10, open: false, db: db)
            let amara = try await fixtures.person("Amara Okafor", unit: world.willow)
            let enrolment = try await cohort.enrol(amara, bringing: nil, course: course, by: Self.actor, on: db)
            let session = try #require(try await CohortSession.query(on: db).first())
            let now = try await Self.fresh(cohort, on: db)
            try await now.takeRegister(
                of: session, marks: [enrolment.id!: .attended], course: course, today: AppClock.today,
                expecting: now.version, by: Self.actor, on: db)

            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            #expect(!(try await lead.get("/cohorts/\(cohort.id!)").body.contains("Make them a QI coach")))
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("admin@test.example")
            let page = try await admin.get("/cohorts/\(cohort.id!)").body
            #expect(page.contains("Make them a QI coach") && page.contains("value=\"\(world.willow.id!.uuidString)\""))
            let granted = try await admin.post(
                "/people/\(amara.id!)/roles", form: ["role": "coach", "unit_id": world.willow.id!.uuidString])
            #expect(granted.status == .seeOther)
            #expect(
                try await RoleGrant.query(on: db).filter(\.$person.$id == amara.id!).filter(\.$role == .coach).count()
                    == 1)
            #expect(!(try await admin.get("/cohorts/\(cohort.id!)").body.contains("Make them a QI coach")))
        }
    }

    @Test(
        "home's My training: the next session of each cohort one is on, completions, a register waiting for its facilitator, and open cohorts one may join"
    )
    func myTrainingAtHome() async throws {
        try await withOpenQI { app in
            let db = app.db
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let nurse = try await fixtures.signIn("nurse@test.example", role: .member, at: world.willow)
            let today = AppClock.today
            let pocket = try await Self.pocketQI(on: db)
            let done = try await Self.oneSession(
                "Spring", of: pocket, on: today.adding(days: -60), capacity: 9, open: false, db: db)
            let enrolment = try await done.enrol(nurse, bringing: nil, course: pocket, by: Self.actor, on: db)
            let doneSession = try #require(
                try await CohortSession.query(on: db).filter(\.$cohort.$id == done.id!).first())
            let now = try await Self.fresh(done, on: db)
            try await now.takeRegister(
                of: doneSession, marks: [enrolment.id!: .attended], course: pocket, today: today,
                expecting: now.version, by: Self.actor, on: db)
            let coaching = try await Course.create(
                CourseDraft(
                    name: "Improvement Coaching Programme", level: .coach, audience: "ILP graduates", sessionCount: 2,
                    sessionMinutes: 420, sessionsToComplete: 2, requiresApprovedProject: false),
                by: Self.actor, on: db)
            let wave = try await Cohort.plan(
                CohortDraft(
                    name: "Coaches 2027", capacity: 2, openToSelfEnrolment: true,
                    sessions: [
                        .init(day: today.adding(days: 10), place: "Trust HQ"),
                        .init(day: today.adding(days: 40), place: "Bow"),
                    ],
                    facilitatorIDs: []),
                of: coaching, by: Self.actor, on: db)
            // A later cohort of the same course: offered until one is on the earlier one.
            _ = try await Cohort.plan(
                CohortDraft(
                    name: "Coaches autumn", capacity: 20, openToSelfEnrolment: true,
                    sessions: [
                        .init(day: today.adding(days: 100), place: "Bow"),
                        .init(day: today.adding(days: 130), place: "Bow"),
                    ],
                    facilitatorIDs: []),
                of: coaching, by: Self.actor, on: db)
            let taught = try await Cohort.plan(
                CohortDraft(
                    name: "Teaching", capacity: 20, openToSelfEnrolment: false,
                    sessions: [.init(day: today.adding(days: -3), place: "Bow")], facilitatorIDs: [nurse.id!]),
                of: pocket, by: Self.actor, on: db)
            _ = try await Cohort.plan(
                CohortDraft(
                    name: "By invitation", capacity: 9, openToSelfEnrolment: false,
                    sessions: [
                        .init(day: today.adding(days: 30), place: "Bow"),
                        .init(day: today.adding(days: 60), place: "Bow"),
                    ],
                    facilitatorIDs: []),
                of: coaching, by: Self.actor, on: db)
            _ = try await Self.oneSession(
                "Another Pocket QI", of: pocket, on: today.adding(days: 30), capacity: 9, open: true, db: db)
            _ = try await Self.leadersProgramme(capacity: 9, firstDay: today.adding(days: 30), on: db)

            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("nurse@test.example")
            func training() async throws -> String {
                let home = try await browser.get("/").body
                return try #require(home.components(separatedBy: #"class="my-training""#).dropFirst().first)
                    .components(separatedBy: "</section>")[0]
            }
            var section = try await training()
            #expect(section.contains("Completed: Pocket QI (\(today.adding(days: -60).label))"))
            let joinable = try #require(section.components(separatedBy: "Open for you to join").dropFirst().first)
            #expect(
                joinable.contains(
                    "Improvement Coaching Programme — Coaches 2027</a>: starts \(today.adding(days: 10).label); 2 places left"
                ))
            #expect(!joinable.contains("By invitation"), "a cohort not open to enrol oneself")
            #expect(!joinable.contains("Another Pocket QI"), "a course already completed")
            #expect(!joinable.contains("Wave 9"), "a course taking people with an approved project")
            #expect(joinable.contains("Coaches autumn"))
            let session = try #require(
                try await CohortSession.query(on: db).filter(\.$cohort.$id == taught.id!).first())
            #expect(section.contains("Cohorts I facilitate"))
            #expect(section.contains("/cohorts/\(taught.id!)/sessions/\(session.id!)/register"))

            _ = try await browser.post("/cohorts/\(wave.id!)/enrol-me")
            section = try await training()
            #expect(
                section.contains("Coaches 2027</a>: Enrolled: next session \(today.adding(days: 10).label), Trust HQ"))
            #expect(!section.contains("Open for you to join"), "nor a later cohort of a course one is on")

            // The people API gives one person's learning the same way.
            struct Answer: Decodable {
                struct Learning: Decodable {
                    let course: String
                    let status: String
                    let completed_on: String?
                }
                let learning: [Learning]?
                let facilitates: [UUID]?
            }
            let answer = try JSONDecoder().decode(
                Answer.self, from: Data(try await browser.get("/api/v1/people/\(nurse.id!)").body.utf8))
            #expect(
                answer.learning?.contains {
                    $0.course == "Pocket QI" && $0.completed_on == today.adding(days: -60).text
                } == true)
            #expect(
                answer.learning?.contains { $0.course == "Improvement Coaching Programme" && $0.status == "enrolled" }
                    == true)
            #expect(answer.facilitates == [taught.id!])
            #expect(!(try await browser.get("/api/v1/people").body.contains("\"learning\"")), "not in a list")
        }
    }
}
