import Fluent
import Foundation

/// What importing a file of past attendance would do, worked out against the organisation as it
/// stands: which cohorts it makes, who it gives a place, and which register lines it adds or
/// changes. A row is refused with its reason when its person or course is unknown, its session is
/// still to come, or its cohort cannot take it; anything refused means nothing is imported.
///
/// - A cohort the organisation does not have yet is made from its rows: a session on each day they
///   name, numbered in order, and a place for each person named.
/// - A cohort whose sessions have all been held gives a place to someone the file names who had
///   none (its capacity belonged to its time); one still running takes only people already enrolled.
/// - A line taken on a register's page or sent through the API is kept as it is; a line an earlier
///   file imported is replaced, so importing the same file again changes nothing.
struct AttendanceImport: Sendable {
    struct Counts: Sendable, Equatable {
        var added = 0
        var changed = 0
        var unchanged = 0
        /// Lines a register or the API recorded, which a file does not overwrite.
        var kept = 0

        static func + (left: Counts, right: Counts) -> Counts {
            .init(
                added: left.added + right.added, changed: left.changed + right.changed,
                unchanged: left.unchanged + right.unchanged, kept: left.kept + right.kept)
        }
    }

    /// One cohort the file names, and what importing does to it.
    struct CohortLine: Sendable, Equatable {
        let courseName: String
        let cohortName: String
        /// Nil for a cohort the import makes.
        let cohortID: UUID?
        var days: Set<CalendarDay> = []
        var people: Set<UUID> = []
        var newPlaces = 0
        var counts = Counts()
    }

    private(set) var errors: [FileRowError]
    /// The cohorts the rows name, by course and name.
    var cohorts: [CohortLine] {
        lines.values.sorted { ($0.courseName, $0.cohortName) < ($1.courseName, $1.cohortName) }
    }
    var total: Counts { lines.values.reduce(Counts()) { $0 + $1.counts } }
    /// Whether importing would change anything.
    var changesSomething: Bool { !marks.isEmpty }

    private var lines: [CohortKey: CohortLine] = [:]

    // What applying writes.
    fileprivate var newCohorts: [CohortKey: NewCohort] = [:]
    fileprivate var newPlaces: [PlaceKey: UUID?] = [:]
    fileprivate var marks: [PlannedMark] = []
    /// Every cohort touched, with its course: versions move on, completions are worked out again.
    fileprivate var touched: [CohortKey: UUID] = [:]

    /// A cohort by its course and its name as the file spells it, case aside.
    fileprivate struct CohortKey: Hashable, Comparable {
        let courseID: UUID
        let name: String

        static func < (left: Self, right: Self) -> Bool {
            (left.courseID.uuidString, left.name) < (right.courseID.uuidString, right.name)
        }
    }

    fileprivate struct PlaceKey: Hashable {
        let cohort: CohortKey
        let personID: UUID
    }

    fileprivate struct NewCohort {
        let course: Course
        let name: String
        var places: [CalendarDay: String] = [:]
    }

    fileprivate struct PlannedMark {
        let cohort: CohortKey
        let day: CalendarDay
        let personID: UUID
        let attendance: Attendance
        /// The imported line it replaces, if any.
        let replacing: UUID?
    }

    /// The check of `file` against the organisation on `db`, as of `today`.
    static func check(_ file: AttendanceFile, today: CalendarDay, on db: any Database) async throws -> Self {
        var plan = AttendanceImport(errors: file.errors)
        let found = try await Found.load(for: file.rows, on: db)
        // New cohorts first: their days come from all their rows, and a row is only good once the
        // whole cohort fits its course.
        var newDays: [CohortKey: (days: Set<CalendarDay>, firstLine: Int)] = [:]
        for row in file.rows {
            guard let course = found.courses[row.course.lowercased()], let courseID = course.id else { continue }
            let key = CohortKey(courseID: courseID, name: row.cohort.lowercased())
            guard found.cohorts[key] == nil else { continue }
            newDays[key, default: ([], row.line)].days.insert(row.day)
        }
        for row in file.rows {
            if let error = plan.add(row, found: found, newDays: newDays, today: today) { plan.errors.append(error) }
        }
        plan.errors.sort { $0.line < $1.line }
        return plan
    }

    /// Plans one row; returns what is wrong with it instead, if anything.
    private mutating func add(
        _ row: AttendanceFile.Row, found: Found, newDays: [CohortKey: (days: Set<CalendarDay>, firstLine: Int)],
        today: CalendarDay
    ) -> FileRowError? {
        func refuse(_ message: String) -> FileRowError { .init(line: row.line, message: "Row \(row.line): \(message)") }
        guard let course = found.courses[row.course.lowercased()], let courseID = course.id else {
            let names = found.courseNames.prefix(12).joined(separator: ", ")
            return refuse("there is no course “\(row.course)”. The courses are: \(names).")
        }
        guard let person = found.people[row.person], let personID = person.id else {
            switch row.person {
            case .email(let email):
                return refuse(
                    "nobody in OpenQI has the email \(email). Add them on the People page first (people from partner organisations too), or correct the email."
                )
            case .id(let id):
                return refuse("nobody in OpenQI has the id \(id.uuidString.lowercased()).")
            }
        }
        guard row.day <= today else {
            return refuse(
                "the session on \(row.day.label) has not been held yet; its register is taken on the day or after it.")
        }
        let key = CohortKey(courseID: courseID, name: row.cohort.lowercased())
        var replacing: UUID?
        if let cohort = found.cohorts[key] {
            let cohortID = cohort.id!
            let cohortName = "\(course.name) — \(cohort.name)"
            func record(newPlace: Bool, _ count: (inout Counts) -> Void) {
                self.record(
                    key, course: course, cohort: cohort.name, cohortID: cohortID, day: row.day, personID: personID,
                    newPlace: newPlace, count)
            }
            guard cohort.sessions.contains(where: { CalendarDay(containing: $0.heldOn) == row.day }) else {
                let days = cohort.days.map(\.label).joined(separator: ", ")
                return refuse(
                    "\(cohortName) has no session on \(row.day.label); its sessions are on \(days). Correct the date or the cohort."
                )
            }
            let place = PlaceKey(cohort: key, personID: personID)
            if let enrolment = found.enrolments[.init(cohortID: cohortID, personID: personID)] {
                guard enrolment.status == .enrolled else {
                    let where_ = enrolment.status == .waiting ? "is on the waiting list of" : "withdrew from"
                    return refuse(
                        "\(person.fullName) \(where_) \(cohortName), so has no line on its registers. Give them a place on the cohort’s page first, or correct the row."
                    )
                }
                if let mark = found.marks[.init(enrolmentID: enrolment.id!, day: row.day)] {
                    guard mark.source == .upload else {
                        record(newPlace: false) { $0.kept += 1 }
                        return nil
                    }
                    guard mark.attendance != row.attendance else {
                        record(newPlace: false) { $0.unchanged += 1 }
                        return nil
                    }
                    replacing = mark.id
                }
            } else {
                guard let last = cohort.days.last, last <= today else {
                    return refuse(
                        "\(person.fullName) has no place on \(cohortName), which still has sessions to come: enrol them on its page, where places follow its capacity and waiting list."
                    )
                }
                newPlaces.updateValue(person.$unit.id, forKey: place)
            }
            touched[key] = courseID
            record(newPlace: newPlaces.keys.contains(place)) {
                if replacing == nil { $0.added += 1 } else { $0.changed += 1 }
            }
        } else {
            let days = newDays[key]?.days ?? []
            guard days.count <= course.sessionCount else {
                // Said once, at the cohort's first row.
                guard newDays[key]?.firstLine == row.line else { return nil }
                return refuse(
                    "\(course.name) has \(course.sessionCount) session\(course.sessionCount == 1 ? "" : "s"), but the rows for its cohort “\(row.cohort)”, which OpenQI does not have yet, name \(days.count) different days. A cohort’s rows name the days of its sessions only."
                )
            }
            var cohort = newCohorts[key] ?? NewCohort(course: course, name: row.cohort)
            if cohort.places[row.day] == nil || cohort.places[row.day] == AttendanceImport.placeNotRecorded {
                cohort.places[row.day] = row.place ?? AttendanceImport.placeNotRecorded
            }
            newCohorts[key] = cohort
            newPlaces.updateValue(person.$unit.id, forKey: PlaceKey(cohort: key, personID: personID))
            touched[key] = courseID
            record(
                key, course: course, cohort: row.cohort, cohortID: nil, day: row.day, personID: personID, newPlace: true
            ) { $0.added += 1 }
        }
        marks.append(
            .init(cohort: key, day: row.day, personID: personID, attendance: row.attendance, replacing: replacing))
        return nil
    }

    /// Counts a good row on its cohort's line.
    private mutating func record(
        _ key: CohortKey, course: Course, cohort: String, cohortID: UUID?, day: CalendarDay, personID: UUID,
        newPlace: Bool, _ count: (inout Counts) -> Void
    ) {
        var line = lines[key] ?? CohortLine(courseName: course.name, cohortName: cohort, cohortID: cohortID)
        line.days.insert(day)
        if newPlace, !line.people.contains(personID) { line.newPlaces += 1 }
        line.people.insert(personID)
        count(&line.counts)
        lines[key] = line
    }

    /// The place of a session the file does not name one for.
    static let placeNotRecorded = "Not recorded"

    private init(errors: [FileRowError]) { self.errors = errors }
}

// MARK: What the rows name, read once

extension AttendanceImport {
    fileprivate struct EnrolmentKey: Hashable {
        let cohortID: UUID
        let personID: UUID
    }

    fileprivate struct MarkKey: Hashable {
        let enrolmentID: UUID
        let day: CalendarDay
    }

    /// The courses, people, cohorts, places and register lines a file's rows name.
    fileprivate struct Found {
        var courses: [String: Course] = [:]
        var courseNames: [String] = []
        var people: [AttendanceFile.PersonKey: Person] = [:]
        var cohorts: [CohortKey: Cohort] = [:]
        var enrolments: [EnrolmentKey: Enrolment] = [:]
        var marks: [MarkKey: AttendanceMark] = [:]

        static func load(for rows: [AttendanceFile.Row], on db: any Database) async throws -> Found {
            var found = Found()
            let courses = try await Course.query(on: db).sort(\.$name).all()
            found.courseNames = courses.filter { $0.archivedAt == nil }.map(\.name)
            for course in courses { found.courses[course.name.lowercased()] = course }

            var emails = Set<String>()
            var ids = Set<UUID>()
            for row in rows {
                switch row.person {
                case .email(let email): emails.insert(email)
                case .id(let id): ids.insert(id)
                }
            }
            for chunk in Array(emails).sorted().chunked(into: 1000) {
                for person in try await Person.query(on: db).filter(\.$email ~~ chunk).all() {
                    if let email = person.email { found.people[.email(email.lowercased())] = person }
                }
            }
            for chunk in Array(ids).sorted(by: { $0.uuidString < $1.uuidString }).chunked(into: 1000) {
                for person in try await Person.query(on: db).filter(\.$id ~~ chunk).all() {
                    found.people[.id(person.id!)] = person
                }
            }

            let courseIDs = Set(rows.compactMap { found.courses[$0.course.lowercased()]?.id })
            guard !courseIDs.isEmpty else { return found }
            let cohorts = try await Cohort.query(on: db).filter(\.$course.$id ~~ Array(courseIDs)).with(\.$sessions)
                .all()
            for cohort in cohorts {
                found.cohorts[CohortKey(courseID: cohort.$course.id, name: cohort.name.lowercased())] = cohort
            }
            // Only the cohorts the rows name: their places and register lines.
            let named = Set(
                rows.compactMap { row -> UUID? in
                    guard let courseID = found.courses[row.course.lowercased()]?.id else { return nil }
                    return found.cohorts[CohortKey(courseID: courseID, name: row.cohort.lowercased())]?.id
                })
            var sessionDays: [UUID: CalendarDay] = [:]
            for cohort in cohorts where named.contains(cohort.id!) {
                for session in cohort.sessions { sessionDays[session.id!] = CalendarDay(containing: session.heldOn) }
            }
            for chunk in Array(named).sorted(by: { $0.uuidString < $1.uuidString }).chunked(into: 500) {
                for enrolment in try await Enrolment.query(on: db).filter(\.$cohort.$id ~~ chunk).all() {
                    found.enrolments[.init(cohortID: enrolment.$cohort.id, personID: enrolment.$person.id)] =
                        enrolment
                }
            }
            for chunk in Array(sessionDays.keys).sorted(by: { $0.uuidString < $1.uuidString }).chunked(into: 1000) {
                for mark in try await AttendanceMark.query(on: db).filter(\.$session.$id ~~ chunk).all() {
                    guard let day = sessionDays[mark.$session.id] else { continue }
                    found.marks[.init(enrolmentID: mark.$enrolment.id, day: day)] = mark
                }
            }
            return found
        }
    }
}

// MARK: Importing

extension AttendanceImport {
    /// What importing did, for the notice.
    struct Outcome: Sendable, Equatable {
        let counts: Counts
        let cohortsMade: Int
        let placesGiven: Int
        let completions: Int

        /// What the capability lead is told.
        var summary: String {
            func count(_ number: Int, _ one: String, _ many: String) -> String {
                "\(number) \(number == 1 ? one : many)"
            }
            let imported = counts.added + counts.changed
            guard imported > 0 else {
                return "Nothing changed: every line of the file was already in OpenQI."
            }
            return
                "Imported \(count(imported, "register line", "register lines")): \(counts.added) new, \(counts.changed) changed, \(counts.unchanged) unchanged, \(counts.kept) kept as taken on a register’s page. \(count(cohortsMade, "new cohort", "new cohorts")), \(count(placesGiven, "place", "places")) given, \(count(completions, "completion", "completions"))."
        }
    }

    /// Checks `file` again and, when every row is good, writes the whole of it in one transaction:
    /// new cohorts and their sessions, places, register lines; each touched cohort's version moves
    /// on (a register open elsewhere is then refused, not saved over this), its completions are
    /// worked out again, and the change is audited per cohort. Throws `ValidationFailure` when a
    /// row is bad, and nothing is written.
    static func run(
        _ file: AttendanceFile, filename: String, today: CalendarDay, by actor: Actor, on db: any Database
    ) async throws -> Outcome {
        try await db.transaction { db in
            let plan = try await check(file, today: today, on: db)
            guard plan.errors.isEmpty else {
                throw ValidationFailure(
                    field: "file",
                    message:
                        "Nothing was imported: \(plan.errors.count) row\(plan.errors.count == 1 ? "" : "s") need fixing."
                )
            }
            guard plan.changesSomething else {
                return Outcome(counts: plan.total, cohortsMade: 0, placesGiven: 0, completions: 0)
            }
            return try await plan.apply(filename: filename, by: actor, on: db)
        }
    }

    private func apply(filename: String, by actor: Actor, on db: any Database) async throws -> Outcome {
        var cohortIDs: [CohortKey: UUID] = [:]
        var sessionIDs: [CohortKey: [CalendarDay: UUID]] = [:]
        var courses: [UUID: Course] = [:]

        // The cohorts the organisation already has, and the new ones with their sessions.
        let existingKeys = touched.keys.filter { newCohorts[$0] == nil }
        let existingIDs = lines.values.compactMap(\.cohortID)
        let existing = try await Cohort.query(on: db).filter(\.$id ~~ existingIDs).with(\.$sessions).with(\.$course)
            .all()
        for cohort in existing {
            let key = CohortKey(courseID: cohort.$course.id, name: cohort.name.lowercased())
            guard existingKeys.contains(key) else { continue }
            cohortIDs[key] = cohort.id!
            courses[cohort.$course.id] = cohort.course
            sessionIDs[key] = Dictionary(
                cohort.sessions.map { (CalendarDay(containing: $0.heldOn), $0.id!) },
                uniquingKeysWith: { first, _ in first })
        }
        for (key, planned) in newCohorts.sorted(by: { $0.key < $1.key }) {
            let people = newPlaces.keys.filter { $0.cohort == key }.count
            let cohort = Cohort(
                courseID: key.courseID, name: planned.name, capacity: max(1, people),
                sessionsToComplete: planned.course.sessionsToComplete, openToSelfEnrolment: false)
            try await cohort.create(on: db)
            let sessions = planned.places.keys.sorted().enumerated().map { index, day in
                CohortSession(cohortID: cohort.id!, number: index + 1, heldOn: day.date, place: planned.places[day]!)
            }
            try await sessions.create(on: db)
            cohortIDs[key] = cohort.id!
            courses[key.courseID] = planned.course
            sessionIDs[key] = Dictionary(
                uniqueKeysWithValues: sessions.map { (CalendarDay(containing: $0.heldOn), $0.id!) })
        }

        // Places: a new line for each person a finished or new cohort takes, dated by its first session.
        var enrolmentIDs: [PlaceKey: UUID] = [:]
        let newLines = newPlaces.map { place, unitID in
            let firstDay = sessionIDs[place.cohort]?.keys.min() ?? AppClock.today
            return (
                place,
                Enrolment(
                    cohortID: cohortIDs[place.cohort]!, personID: place.personID, unitID: unitID, projectID: nil,
                    status: .enrolled, enrolledAt: firstDay.date)
            )
        }
        for chunk in newLines.chunked(into: 500) {
            try await chunk.map(\.1).create(on: db)
        }
        for (place, enrolment) in newLines { enrolmentIDs[place] = enrolment.id! }
        let placed = Array(Set(marks.map(\.personID)))
        for chunk in placed.chunked(into: 1000) {
            for enrolment in try await Enrolment.query(on: db).filter(\.$cohort.$id ~~ Array(cohortIDs.values))
                .filter(\.$person.$id ~~ chunk).all()
            {
                guard let key = cohortIDs.first(where: { $0.value == enrolment.$cohort.id })?.key else { continue }
                enrolmentIDs[PlaceKey(cohort: key, personID: enrolment.$person.id)] = enrolment.id!
            }
        }

        // Register lines: an imported line the file changes is replaced.
        let replaced = marks.compactMap(\.replacing)
        for chunk in replaced.chunked(into: 1000) {
            try await AttendanceMark.query(on: db).filter(\.$id ~~ chunk).delete()
        }
        let lines = marks.map { mark in
            AttendanceMark(
                sessionID: sessionIDs[mark.cohort]![mark.day]!,
                enrolmentID: enrolmentIDs[PlaceKey(cohort: mark.cohort, personID: mark.personID)]!,
                attendance: mark.attendance, source: .upload)
        }
        for chunk in lines.chunked(into: 500) { try await chunk.create(on: db) }

        // Each touched cohort: its version, its sessions' registers, its completions, its audit line.
        var completions = 0
        for (key, cohortID) in cohortIDs.sorted(by: { $0.key < $1.key }) {
            guard let cohort = try await Cohort.find(cohortID, on: db), let course = courses[key.courseID] else {
                continue
            }
            let isNew = newCohorts[key] != nil
            if !isNew {
                cohort.version += 1
                try await cohort.save(on: db)
            }
            let days = Set(marks.filter { $0.cohort == key }.map(\.day))
            let sessions = sessionIDs[key]!.filter { days.contains($0.key) }.map(\.value)
            try await CohortSession.query(on: db).filter(\.$id ~~ sessions).filter(\.$registerTakenAt == nil)
                .set(\.$registerTakenAt, to: AppClock.now).update()
            let people = Set(marks.filter { $0.cohort == key }.map(\.personID))
            let enrolments = try await Enrolment.query(on: db).filter(\.$cohort.$id == cohortID)
                .filter(\.$status == .enrolled).filter(\.$person.$id ~~ Array(people)).with(\.$person).all()
            let completed = try await Cohort.complete(enrolments, needing: cohort.sessionsToComplete, on: db)
            completions += completed.count
            var audit = CohortAudit(cohort: cohort, course: course)
            let count = marks.filter { $0.cohort == key }.count
            audit.change = ["imported": "\(count) register line\(count == 1 ? "" : "s") from \(filename)"]
            if !completed.isEmpty { audit.change["completed"] = "\(completed.count) people" }
            try await audit.recordAudit(isNew ? .create : .update, by: actor, on: db)
        }
        return Outcome(
            counts: total, cohortsMade: newCohorts.count, placesGiven: newPlaces.count, completions: completions)
    }
}
