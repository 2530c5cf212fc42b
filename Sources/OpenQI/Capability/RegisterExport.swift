import Fluent
import Foundation

/// A cohort's registers as CSV, one line per person with a place per session, in the columns the
/// attendance import reads (`AttendanceFile`), with the person's name and the session's number
/// beside them for people reading it. Importing it again changes nothing: its lines are the
/// registers'.
enum RegisterExport {
    static let header = "person,name,course,cohort,session,date,place,attendance"

    static func csv(cohortID: UUID, on db: any Database) async throws -> (csv: String, filename: String) {
        guard let cohort = try await Cohort.query(on: db).filter(\.$id == cohortID).with(\.$course).first() else {
            throw NotFound("cohort")
        }
        let sessions = try await CohortSession.query(on: db).filter(\.$cohort.$id == cohortID).sort(\.$number).all()
        // Those with a place: a line of someone who withdrew or waits is not theirs to import again.
        let enrolments = try await Enrolment.query(on: db).filter(\.$cohort.$id == cohortID)
            .filter(\.$status == .enrolled).with(\.$person).all()
        let people = Dictionary(uniqueKeysWithValues: enrolments.map { ($0.id!, $0.person) })
        let marks = try await AttendanceMark.query(on: db).filter(\.$enrolment.$id ~~ Array(people.keys)).all()
        let bySession = Dictionary(grouping: marks, by: \.$session.id)
        var csv = header + "\n"
        for session in sessions {
            let lines = (bySession[session.id!] ?? []).compactMap { mark in
                people[mark.$enrolment.id].map { ($0, mark) }
            }
            .sorted { $0.0.fullName < $1.0.fullName }
            for (person, mark) in lines {
                let key = person.email ?? person.id!.uuidString.lowercased()
                let cells = [
                    CSVText.cell(key), CSVText.cell(person.fullName), CSVText.cell(cohort.course.name),
                    CSVText.cell(cohort.name), String(session.number), CalendarDay(containing: session.heldOn).text,
                    CSVText.cell(session.place), mark.attendance.rawValue,
                ]
                csv += cells.joined(separator: ",") + "\n"
            }
        }
        let slug = cohort.name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return (csv, "registers-\(String(slug).prefix(40)).csv")
    }
}
