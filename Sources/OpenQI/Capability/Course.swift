import Fluent
import Foundation

/// How deep a course goes: IHI's "dosing" gives each group of people the depth its role needs,
/// from an hour's introduction for everyone to the improvement advisors' year.
package enum CourseLevel: String, Codable, CaseIterable, FormChoice, Sendable, Comparable {
    case introductory
    case practitioner
    case coach
    case advisor
    case leadership
    case board
    /// Service users' and carers' own introduction, designed with them.
    case serviceUsers = "service_users"

    package var label: String {
        switch self {
        case .introductory: "Introductory"
        case .practitioner: "Practitioner"
        case .coach: "Coach"
        case .advisor: "Improvement advisor"
        case .leadership: "Leadership"
        case .board: "Board"
        case .serviceUsers: "Service users and carers"
        }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A course the organisation runs again and again in cohorts: Pocket QI, the Improvement Leaders'
/// Programme, the Improvement Coaching Programme.
package final class Course: Model, @unchecked Sendable {
    package static let schema = "courses"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @Field(key: "level") package var level: CourseLevel
    /// Who it is for, in the organisation's words ("every member of staff", "team leaders bringing a project").
    @Field(key: "audience") package var audience: String
    @Field(key: "session_count") package var sessionCount: Int
    /// How long each session lasts, in minutes.
    @Field(key: "session_minutes") package var sessionMinutes: Int
    /// The completion rule: attending this many of the sessions (all of them, or four of five days).
    @Field(key: "sessions_to_complete") package var sessionsToComplete: Int
    /// Whoever enrols names a project a forum has approved (the ILP: everyone brings real work).
    @Field(key: "requires_approved_project") package var requiresApprovedProject: Bool
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    @Children(for: \.$course) package var cohorts: [Cohort]
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(
        name: String, level: CourseLevel, audience: String, sessionCount: Int, sessionMinutes: Int,
        sessionsToComplete: Int, requiresApprovedProject: Bool
    ) {
        self.name = name
        self.level = level
        self.audience = audience
        self.sessionCount = sessionCount
        self.sessionMinutes = sessionMinutes
        self.sessionsToComplete = sessionsToComplete
        self.requiresApprovedProject = requiresApprovedProject
        self.version = 1
    }

    var isArchived: Bool { archivedAt != nil }

    /// "All 5 sessions" or "4 of 5 sessions".
    var completionRule: String { Self.completionRule(attending: sessionsToComplete, of: sessionCount) }

    static func completionRule(attending needed: Int, of sessions: Int) -> String {
        needed == sessions
            ? (sessions == 1 ? "The session" : "All \(sessions) sessions") : "\(needed) of \(sessions) sessions"
    }
}

extension Course: Versioned {}

/// A course in the audit trail: the organisation's, so under no unit.
struct CourseAudit: Auditable {
    let course: Course

    var auditSubject: AuditSubject { .init(kind: "course", id: course.id, name: course.name, unitID: nil) }
    var auditFields: [String: String] {
        [
            "name": course.name, "level": course.level.label, "audience": course.audience,
            "sessions": String(course.sessionCount), "session_minutes": String(course.sessionMinutes),
            "completion": course.completionRule,
            "requires_approved_project": course.requiresApprovedProject ? "yes" : "no",
        ]
    }
}

/// One wave of a course: its sessions, who facilitates, and how many it takes.
package final class Cohort: Model, @unchecked Sendable {
    package static let schema = "cohorts"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "course_id") package var course: Course
    /// "Wave 8", "March 2026, Mile End".
    @Field(key: "name") package var name: String
    @Field(key: "capacity") package var capacity: Int
    /// The course's completion rule when the cohort was planned: a course changed later does not
    /// move the completions of waves already run.
    @Field(key: "sessions_to_complete") package var sessionsToComplete: Int
    /// People may enrol themselves while it has not started.
    @Field(key: "open_to_self_enrolment") package var openToSelfEnrolment: Bool
    @Children(for: \.$cohort) package var sessions: [CohortSession]
    @Children(for: \.$cohort) package var enrolments: [Enrolment]
    @Children(for: \.$cohort) package var facilitators: [CohortFacilitator]
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Moves on with every change to its details, its enrolments or its registers (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(courseID: UUID, name: String, capacity: Int, sessionsToComplete: Int, openToSelfEnrolment: Bool) {
        self.$course.id = courseID
        self.name = name
        self.capacity = capacity
        self.sessionsToComplete = sessionsToComplete
        self.openToSelfEnrolment = openToSelfEnrolment
        self.version = 1
    }
}

extension Cohort: Versioned {}

extension Cohort {
    /// Its sessions' days in order, and its places, from its sessions and enrolments as loaded
    /// (`with(\.$sessions)`, `with(\.$enrolments)`): what the course page and the API list.
    var days: [CalendarDay] { sessions.map { CalendarDay(containing: $0.heldOn) }.sorted() }
    var placesTaken: Int { enrolments.filter { $0.status == .enrolled }.count }
    var waitingCount: Int { enrolments.filter { $0.status == .waiting }.count }
    var completions: Int { enrolments.filter { $0.completedOn != nil }.count }
}

/// A cohort in the audit trail: "Pocket QI — March 2026, Mile End".
struct CohortAudit: Auditable {
    let cohort: Cohort
    let course: Course
    /// What changed besides its details: an enrolment, a register.
    var change: [String: String] = [:]

    var auditSubject: AuditSubject {
        .init(kind: "cohort", id: cohort.id, name: "\(course.name) — \(cohort.name)", unitID: nil)
    }
    var auditFields: [String: String] {
        [
            "name": cohort.name, "capacity": String(cohort.capacity),
            "self_enrolment": cohort.openToSelfEnrolment ? "open" : "closed",
        ]
        .merging(change) { $1 }
    }
}

/// A day of a cohort: when and where.
package final class CohortSession: Model, @unchecked Sendable {
    package static let schema = "cohort_sessions"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "cohort_id") package var cohort: Cohort
    /// 1 for the first session.
    @Field(key: "number") package var number: Int
    /// The calendar day it is held.
    @Field(key: "held_on") package var heldOn: Date
    @Field(key: "place") package var place: String
    /// Set once its register has been taken.
    @OptionalField(key: "register_taken_at") package var registerTakenAt: Date?

    package init() {}

    package init(cohortID: UUID, number: Int, heldOn: Date, place: String) {
        self.$cohort.id = cohortID
        self.number = number
        self.heldOn = heldOn
        self.place = place
    }
}

/// Someone who runs a cohort's sessions and takes their registers.
package final class CohortFacilitator: Model, @unchecked Sendable {
    package static let schema = "cohort_facilitators"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "cohort_id") package var cohort: Cohort
    @Parent(key: "person_id") package var person: Person

    package init() {}

    package init(cohortID: UUID, personID: UUID) {
        self.$cohort.id = cohortID
        self.$person.id = personID
    }
}

/// Where an enrolment stands.
package enum EnrolmentStatus: String, Codable, CaseIterable, Sendable {
    /// Has a place.
    case enrolled
    /// Waits for a place: the cohort was full.
    case waiting
    case withdrawn

    package var label: String {
        switch self {
        case .enrolled: "Enrolled"
        case .waiting: "On the waiting list"
        case .withdrawn: "Withdrawn"
        }
    }
}

/// A person's place on a cohort (or on its waiting list), and when they completed it.
package final class Enrolment: Model, @unchecked Sendable {
    package static let schema = "enrolments"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "cohort_id") package var cohort: Cohort
    @Parent(key: "person_id") package var person: Person
    /// The approved project they bring, where the course asks for one.
    @OptionalParent(key: "project_id") package var project: Project?
    /// The unit they belonged to when they enrolled: a wave's share from partner organisations
    /// stays what it was when people move on.
    @OptionalParent(key: "unit_id") package var unit: Unit?
    @Field(key: "status") package var status: EnrolmentStatus
    /// The day of the session at which they met the course's completion rule.
    @OptionalField(key: "completed_on") package var completedOn: Date?
    /// When they last asked for a place: the waiting list is served in this order, and someone who
    /// withdrew and comes back joins its end.
    @Field(key: "enrolled_at") package var enrolledAt: Date
    @Children(for: \.$enrolment) package var marks: [AttendanceMark]

    package init() {}

    package init(
        cohortID: UUID, personID: UUID, unitID: UUID?, projectID: UUID?, status: EnrolmentStatus, enrolledAt: Date
    ) {
        self.$cohort.id = cohortID
        self.$person.id = personID
        self.$unit.id = unitID
        self.$project.id = projectID
        self.status = status
        self.enrolledAt = enrolledAt
    }
}

/// What a register says of one person at one session.
package enum Attendance: String, Codable, CaseIterable, FormChoice, Sendable {
    case attended
    case apologies
    case absent

    package var label: String {
        switch self {
        case .attended: "Attended"
        case .apologies: "Apologies"
        case .absent: "Absent"
        }
    }
}

/// Where a line of a register came from.
package enum AttendanceSource: String, Codable, CaseIterable, Sendable {
    /// Taken on the register's page.
    case register
    /// Imported from a file of past attendance.
    case upload
    /// Sent through the API.
    case api
}

/// One line of a session's register.
package final class AttendanceMark: Model, @unchecked Sendable {
    package static let schema = "attendance_marks"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "session_id") package var session: CohortSession
    @Parent(key: "enrolment_id") package var enrolment: Enrolment
    @Field(key: "attendance") package var attendance: Attendance
    /// A register taken on its page is not overwritten by importing an old file again.
    @Field(key: "source") package var source: AttendanceSource

    package init() {}

    package init(sessionID: UUID, enrolmentID: UUID, attendance: Attendance, source: AttendanceSource) {
        self.$session.id = sessionID
        self.$enrolment.id = enrolmentID
        self.attendance = attendance
        self.source = source
    }
}

/// Courses, their cohorts, sessions, facilitators, enrolments and registers. Levels, statuses and
/// marks are stored as text: a new level is then a new value, not a change to a database type.
struct CreateCourses: AsyncMigration {
    /// Beyond the unique constraints, which lead with the cohort or the session: a person's
    /// learning, the projects brought, completions by month and year, and sessions by day.
    static let indexes: [(table: String, columns: [String])] = [
        ("cohort_sessions", ["held_on"]),
        ("cohort_facilitators", ["person_id"]),
        ("enrolments", ["person_id", "completed_on"]),
        ("enrolments", ["completed_on"]),
        ("enrolments", ["project_id"]),
        ("attendance_marks", ["enrolment_id"]),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema(Course.schema)
            .id()
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("audience", .string, .required)
            .field("session_count", .int, .required)
            .field("session_minutes", .int, .required)
            .field("sessions_to_complete", .int, .required)
            .field("requires_approved_project", .bool, .required)
            .field("archived_at", .datetime)
            .field("version", .int, .required, .sql(.default(1)))
            .unique(on: "name")
            .create()
        try await database.schema(Cohort.schema)
            .id()
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("capacity", .int, .required)
            .field("sessions_to_complete", .int, .required)
            .field("open_to_self_enrolment", .bool, .required)
            .field("created_at", .datetime)
            .field("version", .int, .required, .sql(.default(1)))
            .unique(on: "course_id", "name")
            .create()
        try await database.schema(CohortSession.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("held_on", .date, .required)
            .field("place", .string, .required)
            .field("register_taken_at", .datetime)
            // Sessions are found by their day (an imported register names the day): one a day.
            .unique(on: "cohort_id", "held_on")
            .create()
        try await database.schema(CohortFacilitator.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .unique(on: "cohort_id", "person_id")
            .create()
        try await database.schema(Enrolment.schema)
            .id()
            .field("cohort_id", .uuid, .required, .references(Cohort.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("project_id", .uuid, .references(Project.schema, "id", onDelete: .setNull))
            .field("unit_id", .uuid, .references(Unit.schema, "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("completed_on", .date)
            .field("enrolled_at", .datetime, .required)
            .unique(on: "cohort_id", "person_id")
            .create()
        try await database.schema(AttendanceMark.schema)
            .id()
            .field("session_id", .uuid, .required, .references(CohortSession.schema, "id", onDelete: .cascade))
            .field("enrolment_id", .uuid, .required, .references(Enrolment.schema, "id", onDelete: .cascade))
            .field("attendance", .string, .required)
            .field("source", .string, .required)
            .unique(on: "session_id", "enrolment_id")
            .create()
        try await CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        for schema in [
            AttendanceMark.schema, Enrolment.schema, CohortFacilitator.schema, CohortSession.schema, Cohort.schema,
            Course.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}

/// The capability lead is granted like any other role.
struct AddCapabilityLeadRole: AsyncMigration {
    func prepare(on database: any Database) async throws {
        _ = try await database.enum("role").case(Role.capabilityLead.rawValue).update()
    }

    func revert(on database: any Database) async throws {
        _ = try await database.enum("role").deleteCase(Role.capabilityLead.rawValue).update()
    }
}
