import Foundation
import Vapor

/// A course as its form or the API sends it, before validation.
struct CourseInput: Content, Sendable {
    var name: String?
    var level: String?
    var audience: String?
    var session_count: NumberText?
    var session_minutes: NumberText?
    var sessions_to_complete: NumberText?
    /// The form's single checkbox: ticked ("yes") when enrolment names an approved project.
    var requires_approved_project: [String]?
    /// The version an edit began from: the edit form's hidden field.
    var version: Int? = nil

    static let sessionRange = 1...52
    /// A session from a quarter of an hour to a long day.
    static let minutesRange = 15...600

    var formState: FormState {
        FormState(
            values: [
                "name": name ?? "", "level": level ?? "", "audience": audience ?? "",
                "session_count": session_count?.text ?? "", "session_minutes": session_minutes?.text ?? "",
                "sessions_to_complete": sessions_to_complete?.text ?? "", "version": version.map(String.init) ?? "",
            ], selected: ["requires_approved_project": Set(requires_approved_project ?? [])])
    }

    func validate(among existing: [Course], editing: UUID? = nil) throws -> CourseDraft {
        var validator = Validator()
        let name = validator.requiredText(name, field: "name", label: "the course’s name", maxLength: 120)
        validator.uniqueName(
            name, among: existing.map { ($0.id, $0.name, $0.isArchived) }, editing: editing, called: "course")
        let level = validator.choice(level, field: "level", label: "the course’s level", as: CourseLevel.self)
        let audience = validator.requiredText(audience, field: "audience", label: "who it is for", maxLength: 500)
        let count = validator.wholeNumber(
            session_count?.text, field: "session_count", label: "the number of sessions", in: Self.sessionRange,
            missing: "Enter how many sessions the course has.")
        let minutes = validator.wholeNumber(
            session_minutes?.text, field: "session_minutes", label: "each session’s length in minutes",
            in: Self.minutesRange, missing: "Enter how long each session lasts, in minutes.")
        let needed = validator.wholeNumber(
            sessions_to_complete?.text, field: "sessions_to_complete", label: "the sessions needed to complete it",
            in: Self.sessionRange, missing: "Enter how many sessions someone attends to complete the course.")
        if let count, let needed, needed > count {
            validator.fail(
                "sessions_to_complete",
                "Someone cannot attend \(needed) of \(count) sessions: enter \(count) or fewer.")
        }
        let requiresProject = !(requires_approved_project ?? []).isEmpty
        return try validator.check(level, count, minutes, needed) { level, count, minutes, needed in
            CourseDraft(
                name: name, level: level, audience: audience, sessionCount: count, sessionMinutes: minutes,
                sessionsToComplete: needed, requiresApprovedProject: requiresProject)
        }
    }
}

extension CourseInput: VersionedInput {
    init(_ course: Course) {
        self.init(
            name: course.name, level: course.level.rawValue, audience: course.audience,
            session_count: NumberText(String(course.sessionCount)),
            session_minutes: NumberText(String(course.sessionMinutes)),
            sessions_to_complete: NumberText(String(course.sessionsToComplete)),
            requires_approved_project: course.requiresApprovedProject ? ["yes"] : [], version: course.version)
    }

    static let labels: [(field: String, label: String)] = [
        ("name", "Name"), ("level", "Level"), ("audience", "Who it is for"), ("session_count", "Sessions"),
        ("session_minutes", "Minutes a session"), ("sessions_to_complete", "Sessions to complete it"),
        ("requires_approved_project", "Needs an approved project"),
    ]
}
