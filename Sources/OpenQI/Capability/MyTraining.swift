import Fluent
import Foundation
import Plot

/// The training part of a person's home page: the cohorts they are on and their next session, what
/// they have completed, the cohorts they run (with a register waiting to be taken), and the open
/// cohorts they could join, so "in doses" reaches each person where they start their day.
struct MyTraining: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        let cohort: PageContext.Link
        /// "Enrolled: next session 14 January 2027, Trust HQ"; "On the waiting list".
        let detail: String
        /// For a facilitator: the register of a session held and not yet taken.
        var register: PageContext.Link?
    }

    var learning: [Line] = []
    /// "Pocket QI (3 March 2026)".
    var completed: [String] = []
    var facilitating: [Line] = []
    var open: [Line] = []

    /// Open cohorts offered at most, soonest first.
    static let openShown = 3

    var isEmpty: Bool { learning.isEmpty && completed.isEmpty && facilitating.isEmpty && open.isEmpty }

    static func query(of personID: UUID, today: CalendarDay, on db: any Database) async throws -> MyTraining {
        let (enrolments, facilitating) = try await PersonLearning.records(of: personID, on: db)
        let link = PersonLearning.link
        func next(_ cohort: Cohort) -> CohortSession? {
            cohort.sessions.filter { CalendarDay(containing: $0.heldOn) >= today }.min { $0.heldOn < $1.heldOn }
        }
        func nextText(_ cohort: Cohort) -> String {
            next(cohort).map { "next session \(CalendarDay.label($0.heldOn)), \($0.place)" } ?? "no session to come"
        }
        var training = MyTraining()
        // Still to come: a place, or a wait for one that can still come before the first session.
        let current = enrolments.filter { enrolment in
            guard enrolment.completedOn == nil, next(enrolment.cohort) != nil else { return false }
            switch enrolment.status {
            case .enrolled: return true
            case .waiting: return (enrolment.cohort.days.first ?? today) > today
            case .withdrawn: return false
            }
        }
        training.learning = current.sorted { next($0.cohort)!.heldOn < next($1.cohort)!.heldOn }.map {
            Line(cohort: link($0.cohort), detail: "\($0.status.label): \(nextText($0.cohort))")
        }
        training.completed = enrolments.compactMap { enrolment in
            enrolment.completedOn.map { (day: $0, text: "\(enrolment.cohort.course.name) (\(CalendarDay.label($0)))") }
        }.sorted { $0.day > $1.day }.map(\.text)
        training.facilitating = facilitating.filter { cohort in
            next(cohort) != nil || cohort.sessions.contains { $0.registerTakenAt == nil }
        }.sorted { ($0.days.first ?? today) < ($1.days.first ?? today) }.map { cohort in
            let untaken = cohort.sessions.filter {
                $0.registerTakenAt == nil && CalendarDay(containing: $0.heldOn) <= today
            }
            .min { $0.heldOn < $1.heldOn }
            return Line(
                cohort: link(cohort), detail: nextText(cohort),
                register: untaken.flatMap { session in
                    guard let cohortID = cohort.id, let sessionID = session.id else { return nil }
                    return .init(
                        label:
                            "Take the register of \(cohort.name), session \(session.number) (\(CalendarDay.label(session.heldOn)))",
                        url: SiteURL.cohorts(.register(cohort: .value(cohortID), session: .value(sessionID)))
                            .relativeURL())
                })
        }
        // Courses one has completed, or is on (or waiting for), are not offered again.
        let busy = Set(
            enrolments.filter { $0.completedOn != nil || $0.status != .withdrawn }.map { $0.cohort.$course.id })
        // Only cohorts with a session still to come are read: the cohorts of years past are many.
        let upcoming = Set(
            try await CohortSession.query(on: db).filter(\.$heldOn > today.date).field(\.$cohort.$id).all()
                .map(\.$cohort.id))
        let offered =
            upcoming.isEmpty
            ? []
            : try await Cohort.query(on: db).filter(\.$id ~~ Array(upcoming))
                .filter(\.$openToSelfEnrolment == true)
                .join(Course.self, on: \Cohort.$course.$id == \Course.$id)
                .filter(Course.self, \.$archivedAt == nil).filter(Course.self, \.$requiresApprovedProject == false)
                .with(\.$course).with(\.$sessions).with(\.$enrolments).all()
        training.open =
            offered.filter { cohort in
                guard let first = cohort.days.first, first > today else { return false }
                return !busy.contains(cohort.$course.id)
            }
            .sorted { $0.days.first! < $1.days.first! }.prefix(openShown).map { cohort in
                let left = cohort.capacity - cohort.placesTaken
                return Line(
                    cohort: link(cohort),
                    detail: "starts \(cohort.days.first!.label); "
                        + (left > 0
                            ? "\(left) \(left == 1 ? "place" : "places") left"
                            : "full: you would join its waiting list"))
            }
        return training
    }
}

extension Node where Context == HTML.BodyContext {
    /// The home page's "My training" section.
    static func myTraining(_ training: MyTraining) -> Node {
        func lines(_ lines: [MyTraining.Line]) -> Node {
            .ul(
                .forEach(lines) { line in
                    .li(
                        .a(.href(line.cohort.url), .text(line.cohort.label)), .text(": \(line.detail)"),
                        .unwrap(line.register) { register in
                            .group(.text(". "), .a(.href(register.url), .text(register.label)))
                        })
                })
        }
        return .section(
            .class("my-training"),
            .h2(.text("My training")),
            .if(
                training.learning.isEmpty && training.completed.isEmpty,
                .p(.class("empty"), .text("You are on no course yet."))),
            .if(!training.learning.isEmpty, lines(training.learning)),
            .if(!training.completed.isEmpty, .p(.text("Completed: \(training.completed.joined(separator: "; "))."))),
            .p(
                .a(.href(SiteURL.courses(.index).relativeURL()), .text("All courses")), .text(" · "),
                .a(.href(SiteURL.capability(.dashboard).relativeURL()), .text("The organisation’s capability"))),
            .if(
                !training.facilitating.isEmpty, .group(.h3(.text("Cohorts I facilitate")), lines(training.facilitating))
            ),
            .if(!training.open.isEmpty, .group(.h3(.text("Open for you to join")), lines(training.open)))
        )
    }
}
