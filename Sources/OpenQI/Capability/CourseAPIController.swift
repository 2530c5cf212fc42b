import Fluent
import Foundation
import Vapor

/// A course as the API lists it, with its cohorts' places.
struct CourseDTO: Content, Equatable {
    struct CohortSummary: Content, Equatable {
        let id: UUID
        let name: String
        let capacity: Int
        /// Its first session's day; left out for a cohort without sessions.
        let starts_on: String?
        let enrolled: Int
        let waiting: Int
        let completed: Int
    }

    let id: UUID
    let name: String
    let level: CourseLevel
    let audience: String
    let session_count: Int
    let session_minutes: Int
    let sessions_to_complete: Int
    let requires_approved_project: Bool
    let archived: Bool
    /// Newest first.
    let cohorts: [CohortSummary]
    let version: Int
}

/// A cohort with its sessions, facilitators, and each enrolment's attendance.
struct CohortDTO: Content, Equatable {
    struct Session: Content, Equatable {
        let id: UUID
        let number: Int
        let held_on: String
        let place: String
        /// Whether its register has been taken.
        let register_taken: Bool
    }

    struct Mark: Content, Equatable {
        let session_id: UUID
        let attendance: Attendance
    }

    struct Enrolment: Content, Equatable {
        let id: UUID
        let person_id: UUID
        let status: EnrolmentStatus
        /// The approved project they bring, where the course asks for one.
        let project_id: UUID?
        let completed_on: String?
        let attendance: [Mark]
    }

    let id: UUID
    let course_id: UUID
    let name: String
    let capacity: Int
    /// The completion rule it was planned under: attending this many of its sessions.
    let sessions_to_complete: Int
    let open_to_self_enrolment: Bool
    let sessions: [Session]
    let facilitator_ids: [UUID]
    /// Places first, then the waiting list in its order, then those who withdrew.
    let enrolments: [Enrolment]
    let version: Int
}

/// `/api/v1/courses` and `/api/v1/cohorts/ID`: what the training's pages show, as JSON.
enum CourseAPIController {
    @Sendable static func index(req: Request) async throws -> [CourseDTO] {
        try await req.policy().require(.readOrganisation)
        let courses = try await Course.query(on: req.db).with(\.$cohorts) { $0.with(\.$sessions).with(\.$enrolments) }
            .sort(\.$name).all()
        return try courses.map { course in
            .init(
                id: try course.requireID(), name: course.name, level: course.level, audience: course.audience,
                session_count: course.sessionCount, session_minutes: course.sessionMinutes,
                sessions_to_complete: course.sessionsToComplete,
                requires_approved_project: course.requiresApprovedProject, archived: course.isArchived,
                cohorts: try course.cohorts.sorted {
                    ($0.days.first?.daysSince1970 ?? 0, $0.name) > ($1.days.first?.daysSince1970 ?? 0, $1.name)
                }.map { cohort in
                    .init(
                        id: try cohort.requireID(), name: cohort.name, capacity: cohort.capacity,
                        starts_on: cohort.days.first?.text, enrolled: cohort.placesTaken, waiting: cohort.waitingCount,
                        completed: cohort.completions)
                },
                version: course.version)
        }
    }

    @Sendable static func cohort(req: Request) async throws -> CohortDTO {
        try await req.policy().require(.readOrganisation)
        return try await dto(of: try req.idParameter("cohortID"), on: req.db)
    }

    /// Takes a session's register: the cohort's facilitators, and whoever runs the training.
    /// Answers the cohort as it now is.
    @Sendable static func takeRegister(req: Request) async throws -> CohortDTO {
        let policy = try await req.policy()
        let (cohort, course) = try await CohortController.find(req)
        let id = try cohort.requireID()
        let facilitators = try await CohortFacilitator.query(on: req.db).filter(\.$cohort.$id == id).all()
        try policy.require(.takeRegisters(facilitatorIDs: Set(facilitators.map(\.$person.id))))
        let input = try req.content.decode(AttendanceInput.self)
        let places = try await Enrolment.query(on: req.db).filter(\.$cohort.$id == id).filter(\.$status == .enrolled)
            .all()
        let register = try input.validate(
            places: Dictionary(try places.map { ($0.$person.id, try $0.requireID()) }) { first, _ in first })
        guard
            let session = try await CohortSession.query(on: req.db).filter(\.$id == register.sessionID)
                .filter(\.$cohort.$id == id).first()
        else { throw ValidationFailure(field: "session_id", message: "The cohort has no such session.") }
        let version = input.version ?? cohort.version
        do {
            try await cohort.takeRegister(
                of: session, marks: register.marks, course: course, today: AppClock.today, expecting: version,
                from: .api, by: policy.viewer.actor, on: req.db)
        } catch let conflict as EditConflict<Cohort> {
            throw conflict.refusal(of: "cohort", from: version)
        }
        return try await dto(of: id, on: req.db)
    }

    private static func dto(of id: UUID, on db: any Database) async throws -> CohortDTO {
        guard
            let cohort = try await Cohort.query(on: db).filter(\.$id == id).with(\.$sessions)
                .with(\.$facilitators).with(\.$enrolments, { $0.with(\.$marks) }).first()
        else { throw NotFound("cohort") }
        let order: [EnrolmentStatus: Int] = [.enrolled: 0, .waiting: 1, .withdrawn: 2]
        return CohortDTO(
            id: id, course_id: cohort.$course.id, name: cohort.name, capacity: cohort.capacity,
            sessions_to_complete: cohort.sessionsToComplete, open_to_self_enrolment: cohort.openToSelfEnrolment,
            sessions: try cohort.sessions.sorted { $0.number < $1.number }.map { session in
                .init(
                    id: try session.requireID(), number: session.number, held_on: CalendarDay.text(session.heldOn),
                    place: session.place, register_taken: session.registerTakenAt != nil)
            },
            facilitator_ids: cohort.facilitators.map(\.$person.id).sorted { $0.uuidString < $1.uuidString },
            enrolments: try cohort.enrolments.sorted {
                (order[$0.status] ?? 3, $0.enrolledAt, $0.id?.uuidString ?? "")
                    < (order[$1.status] ?? 3, $1.enrolledAt, $1.id?.uuidString ?? "")
            }.map { enrolment in
                .init(
                    id: try enrolment.requireID(), person_id: enrolment.$person.id, status: enrolment.status,
                    project_id: enrolment.$project.id, completed_on: enrolment.completedOn.map(CalendarDay.text),
                    attendance: enrolment.marks.map { .init(session_id: $0.$session.id, attendance: $0.attendance) }
                        .sorted { $0.session_id.uuidString < $1.session_id.uuidString })
            }, version: cohort.version)
    }
}
