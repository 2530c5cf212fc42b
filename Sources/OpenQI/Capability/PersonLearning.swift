import Fluent
import Foundation
import Plot

/// A person's learning, as their page shows it: each course they have been on, how far they got,
/// and the cohorts they facilitate.
struct PersonLearning: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        let course: String
        let level: CourseLevel
        let cohort: PageContext.Link
        /// "Completed 12 March 2026", "Enrolled", "On the waiting list", "Withdrawn".
        let standing: String
        /// The cohort's first session, for ordering.
        let starts: CalendarDay?
    }

    var lines: [Line] = []
    var teaching: [PageContext.Link] = []

    var isEmpty: Bool { lines.isEmpty && teaching.isEmpty }

    /// A person's enrolments and the cohorts they facilitate, each cohort with its course and sessions.
    static func records(of personID: UUID, on db: any Database) async throws -> (
        enrolments: [Enrolment], facilitating: [Cohort]
    ) {
        let enrolments = try await Enrolment.query(on: db).filter(\.$person.$id == personID)
            .with(\.$cohort) { $0.with(\.$course).with(\.$sessions) }.all()
        let facilitated = try await CohortFacilitator.query(on: db).filter(\.$person.$id == personID)
            .with(\.$cohort) { $0.with(\.$course).with(\.$sessions) }.all()
        return (enrolments, facilitated.map(\.cohort))
    }

    /// A cohort as a link named by its course: "Pocket QI — March 2026".
    static func link(_ cohort: Cohort) -> PageContext.Link {
        .init(
            label: "\(cohort.course.name) — \(cohort.name)",
            url: cohort.id.map { SiteURL.cohorts(.show(.value($0))).relativeURL() } ?? "")
    }

    static func query(of personID: UUID, on db: any Database) async throws -> PersonLearning {
        let (enrolments, facilitated) = try await records(of: personID, on: db)
        func first(_ cohort: Cohort) -> CalendarDay? { cohort.days.first }
        let lines = enrolments.map { enrolment in
            let cohort = enrolment.cohort
            let standing =
                enrolment.completedOn.map { "Completed \(CalendarDay.label($0))" } ?? enrolment.status.label
            return Line(
                course: cohort.course.name, level: cohort.course.level,
                cohort: .init(label: cohort.name, url: link(cohort).url), standing: standing, starts: first(cohort))
        }
        return PersonLearning(
            lines: lines.sorted { ($0.starts ?? .init(daysSince1970: 0)) > ($1.starts ?? .init(daysSince1970: 0)) },
            teaching: facilitated.sorted {
                (first($0) ?? .init(daysSince1970: 0)) > (first($1) ?? .init(daysSince1970: 0))
            }.map(link))
    }
}

extension Node where Context == HTML.BodyContext {
    /// A person's courses, newest first, and the cohorts they facilitate.
    static func personLearning(_ learning: PersonLearning) -> Node {
        guard !learning.isEmpty else { return .p(.class("empty"), .text("No courses yet.")) }
        return .group(
            .if(
                !learning.lines.isEmpty,
                .scrollingTable(
                    .caption(.class("visually-hidden"), .text("Courses, newest first")),
                    .thead(
                        .tr(
                            .th(.scope("col"), .text("Course")), .th(.scope("col"), .text("Level")),
                            .th(.scope("col"), .text("Cohort")), .th(.scope("col"), .text("Where they are")))),
                    .tbody(
                        .forEach(learning.lines) { line in
                            .tr(
                                .th(.scope("row"), .text(line.course)), .td(.text(line.level.label)),
                                .td(.a(.href(line.cohort.url), .text(line.cohort.label))), .td(.text(line.standing)))
                        }))),
            .if(
                !learning.teaching.isEmpty,
                .group(
                    .h3(.text("Facilitates")),
                    .ul(.forEach(learning.teaching) { cohort in .li(.a(.href(cohort.url), .text(cohort.label))) })))
        )
    }
}
