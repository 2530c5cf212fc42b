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

    /// Cohorts the import makes whose sessions are fewer than their course's completion rule asks.
    private(set) var warnings: [String] = []

    // What applying writes, with the ids of what exists already, so nothing is looked up again.
    fileprivate var newCohorts: [CohortKey: NewCohort] = [:]
    /// The cohorts the organisation has that the import changes.
    fileprivate var existingCohorts: [CohortKey: UUID] = [:]
    fileprivate var newPlaces: [PlaceKey: NewPlace] = [:]
    fileprivate var marks: [PlannedMark] = []
    /// A person at a session, as planned (by email or by id alike), with its row.
    private var planned: [PersonAtSession: Int] = [:]
    private var refusedCohorts: Set<CohortKey> = []

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

    fileprivate struct NewPlace {
        let unitID: UUID?
        /// The cohort's first day: when the place is dated.
        let since: CalendarDay
    }

    fileprivate struct PlannedMark {
        let cohort: CohortKey
        let day: CalendarDay
        let personID: UUID
        let attendance: Attendance
        /// The session and place, where they exist already.
        let sessionID: UUID?
        let enrolmentID: UUID?
        /// The imported line it replaces, if any.
        let replacing: UUID?
    }

    private struct PersonAtSession: Hashable {
        let cohort: CohortKey
        let personID: UUID
        let day: CalendarDay
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
        for cohort in plan.newCohorts.sorted(by: { $0.key < $1.key }).map(\.value)
        where cohort.places.count < cohort.course.sessionsToComplete {
            let count = cohort.places.count
            plan.warnings.append(
                "\(cohort.course.name) — \(cohort.name) will have \(count) session\(count == 1 ? "" : "s"), but the course is completed at \(cohort.course.sessionsToComplete): nobody on it will complete it. Add the rows of its other sessions if it had them."
            )
        }
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
        if found.ambiguous.contains(row.person) {
            return refuse(
                "more than one person in OpenQI has the email \(row.person.text). Name this one by the id on their page instead."
            )
        }
        guard let person = found.people[row.person], let personID = person.id else {
            switch row.person {
            case .email(let email):
                return refuse(
                    "nobody in OpenQI has the email \(email). Add them on the People page first (people from partner organisations too), or correct the email."
                )
            case .id(let id):
                return refuse(
                    "nobody in OpenQI has the id \(id.uuidString.lowercased()). Copy the id from the person’s page, or name them by their email."
                )
            }
        }
        guard CohortInput.years.contains(row.day.year) else {
            return refuse(
                "\(row.day.label) is outside the years OpenQI keeps registers for (\(CohortInput.years.lowerBound) to \(CohortInput.years.upperBound))."
            )
        }
        guard row.day <= today else {
            return refuse(
                "the session on \(row.day.label) has not been held yet; its register is taken on the day or after it.")
        }
        let key = CohortKey(courseID: courseID, name: row.cohort.lowercased())
        // The same person at the same session, whether named by email or by id.
        let markKey = PersonAtSession(cohort: key, personID: personID, day: row.day)
        if let first = planned[markKey] {
            return refuse(
                "names \(person.fullName) at the same session as row \(first) does (by email or by id). Keep one of them."
            )
        }
        planned[markKey] = row.line
        var replacing: UUID?
        var sessionID: UUID?
        var enrolmentID: UUID?
        if let cohort = found.cohorts[key], let cohortID = cohort.id {
            let cohortName = "\(course.name) — \(cohort.name)"
            func record(newPlace: Bool, _ count: (inout Counts) -> Void) {
                self.record(
                    key, course: course, cohort: cohort.name, cohortID: cohortID, day: row.day, personID: personID,
                    newPlace: newPlace, count)
            }
            guard let session = cohort.sessions.first(where: { CalendarDay(containing: $0.heldOn) == row.day }) else {
                let days = cohort.days.map(\.label).joined(separator: ", ")
                return refuse(
                    "\(cohortName) has no session on \(row.day.label); its sessions are on \(days). Correct the date or the cohort."
                )
            }
            sessionID = session.id
            let place = PlaceKey(cohort: key, personID: personID)
            if let enrolment = found.enrolments[.init(cohortID: cohortID, personID: personID)] {
                enrolmentID = enrolment.id
                guard enrolment.status == .enrolled else {
                    let where_ = enrolment.status == .waiting ? "is on the waiting list of" : "withdrew from"
                    return refuse(
                        "\(person.fullName) \(where_) \(cohortName), so has no line on its registers. Give them a place on the cohort’s page first, or correct the row."
                    )
                }
                if let id = enrolment.id, let mark = found.marks[.init(enrolmentID: id, day: row.day)] {
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
                guard let first = cohort.days.first, let last = cohort.days.last, last <= today else {
                    return refuse(
                        "\(person.fullName) has no place on \(cohortName), which still has sessions to come: enrol them on its page, where places follow its capacity and waiting list."
                    )
                }
                newPlaces[place] = NewPlace(unitID: person.$unit.id, since: first)
            }
            existingCohorts[key] = cohortID
            record(newPlace: newPlaces.keys.contains(place)) {
                if replacing == nil { $0.added += 1 } else { $0.changed += 1 }
            }
        } else {
            let days = newDays[key]?.days ?? []
            let people = Set(newPlaces.keys.filter { $0.cohort == key }.map(\.personID)).union([personID])
            let problem: String? =
                if days.count > course.sessionCount {
                    "\(course.name) has \(course.sessionCount) session\(course.sessionCount == 1 ? "" : "s"), but the rows for its cohort “\(row.cohort)”, which OpenQI does not have yet, name \(days.count) different days. A cohort’s rows name the days of its sessions only."
                } else if row.cohort.count > Self.longestCohortName {
                    "the cohort’s name is longer than \(Self.longestCohortName) characters."
                } else if people.count > CohortInput.capacityRange.upperBound {
                    "the rows for the cohort “\(row.cohort)” name more than \(CohortInput.capacityRange.upperBound) people, more than a cohort takes. Check the cohort’s name on each row."
                } else { nil }
            if let problem {
                // Said once for the cohort, at the first of its rows that gets this far.
                guard refusedCohorts.insert(key).inserted else { return nil }
                return refuse(problem)
            }
            var cohort = newCohorts[key] ?? NewCohort(course: course, name: row.cohort)
            if cohort.places[row.day] == nil || cohort.places[row.day] == AttendanceImport.placeNotRecorded {
                cohort.places[row.day] = row.place ?? AttendanceImport.placeNotRecorded
            }
            newCohorts[key] = cohort
            newPlaces[PlaceKey(cohort: key, personID: personID)] = NewPlace(
                unitID: person.$unit.id, since: days.min() ?? row.day)
            record(
                key, course: course, cohort: row.cohort, cohortID: nil, day: row.day, personID: personID, newPlace: true
            ) { $0.added += 1 }
        }
        marks.append(
            .init(
                cohort: key, day: row.day, personID: personID, attendance: row.attendance, sessionID: sessionID,
                enrolmentID: enrolmentID, replacing: replacing))
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
    /// As a cohort's form allows.
    static let longestCohortName = 120

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
        /// Emails more than one person has.
        var ambiguous: Set<AttendanceFile.PersonKey> = []
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
            // An email is unique among people whose records are in use; someone archived keeps theirs,
            // so an email may also name a leaver. The one in use is meant; a leaver only when alone.
            var byEmail: [String: [Person]] = [:]
            for chunk in Array(emails).sorted().chunked(into: 1000) {
                for person in try await Person.query(on: db).filter(\.$email ~~ chunk).all() {
                    if let email = person.email { byEmail[email.lowercased(), default: []].append(person) }
                }
            }
            for (email, people) in byEmail {
                let inUse = people.filter { !$0.isArchived }
                let candidates = inUse.isEmpty ? people : inUse
                if candidates.count == 1 {
                    found.people[.email(email)] = candidates[0]
                } else {
                    found.ambiguous.insert(.email(email))
                }
            }
            for chunk in Array(ids).sorted(by: { $0.uuidString < $1.uuidString }).chunked(into: 1000) {
                for person in try await Person.query(on: db).filter(\.$id ~~ chunk).all() {
                    if let id = person.id { found.people[.id(id)] = person }
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

    /// What the capability lead is told when the registers changed between the check and the import.
    static let changedMeanwhile = ValidationFailure(
        field: "file",
        message:
            "Nothing was imported: the registers of these cohorts changed while the file was being imported. Look at the check again, then import."
    )

    /// Checks `file` again and, when every row is good, writes the whole of it in one transaction:
    /// new cohorts and their sessions, places, register lines; each cohort it changes is held first
    /// (its version moves on, so a register or an enrolment saved meanwhile waits, then is refused
    /// rather than mixed with this) and checked once held; its completions are worked out again,
    /// and the change is audited per cohort. Throws `ValidationFailure` when a row is bad, and
    /// nothing is written.
    static func run(
        _ file: AttendanceFile, filename: String, today: CalendarDay, by actor: Actor, on db: any Database
    ) async throws -> Outcome {
        try await db.transaction { db in
            func checked() async throws -> AttendanceImport {
                let plan = try await check(file, today: today, on: db)
                guard plan.errors.isEmpty else {
                    throw ValidationFailure(
                        field: "file",
                        message:
                            "Nothing was imported: \(plan.errors.count) row\(plan.errors.count == 1 ? "" : "s") need fixing."
                    )
                }
                return plan
            }
            let first = try await checked()
            guard first.changesSomething else {
                return Outcome(counts: first.total, cohortsMade: 0, placesGiven: 0, completions: 0)
            }
            try await Cohort.hold(Array(first.existingCohorts.values), on: db)
            let plan = try await checked()
            guard plan.existingCohorts == first.existingCohorts else { throw changedMeanwhile }
            return try await plan.apply(filename: filename, by: actor, on: db)
        }
    }

    private func apply(filename: String, by actor: Actor, on db: any Database) async throws -> Outcome {
        var cohortIDs = existingCohorts
        var sessionIDs: [CohortKey: [CalendarDay: UUID]] = [:]
        for (key, planned) in newCohorts.sorted(by: { $0.key < $1.key }) {
            let people = newPlaces.keys.count { $0.cohort == key }
            let cohort = Cohort(
                courseID: key.courseID, name: planned.name, capacity: max(1, people),
                sessionsToComplete: planned.course.sessionsToComplete, openToSelfEnrolment: false)
            try await cohort.create(on: db)
            let cohortID = try cohort.requireID()
            let sessions = planned.places.keys.sorted().enumerated().map { index, day in
                CohortSession(cohortID: cohortID, number: index + 1, heldOn: day.date, place: planned.places[day] ?? "")
            }
            try await sessions.create(on: db)
            cohortIDs[key] = cohortID
            sessionIDs[key] = Dictionary(
                try sessions.map { (CalendarDay(containing: $0.heldOn), try $0.requireID()) },
                uniquingKeysWith: { first, _ in first })
        }

        // Places for those a finished or new cohort takes, dated by its first session.
        var enrolmentIDs: [PlaceKey: UUID] = [:]
        var lines: [(PlaceKey, Enrolment)] = []
        for (place, details) in newPlaces {
            guard let cohortID = cohortIDs[place.cohort] else { throw Self.changedMeanwhile }
            lines.append(
                (
                    place,
                    Enrolment(
                        cohortID: cohortID, personID: place.personID, unitID: details.unitID, projectID: nil,
                        status: .enrolled, enrolledAt: details.since.date)
                ))
        }
        for chunk in lines.chunked(into: 500) { try await chunk.map(\.1).create(on: db) }
        for (place, enrolment) in lines { enrolmentIDs[place] = try enrolment.requireID() }

        // Register lines: an imported line the file changes is replaced.
        for chunk in marks.compactMap(\.replacing).chunked(into: 1000) {
            try await AttendanceMark.query(on: db).filter(\.$id ~~ chunk).delete()
        }
        var written: [(cohort: CohortKey, mark: AttendanceMark)] = []
        for mark in marks {
            guard let sessionID = mark.sessionID ?? sessionIDs[mark.cohort]?[mark.day],
                let enrolmentID = mark.enrolmentID
                    ?? enrolmentIDs[PlaceKey(cohort: mark.cohort, personID: mark.personID)]
            else { throw Self.changedMeanwhile }
            written.append(
                (
                    mark.cohort,
                    AttendanceMark(
                        sessionID: sessionID, enrolmentID: enrolmentID, attendance: mark.attendance, source: .upload)
                ))
        }
        for chunk in written.chunked(into: 500) { try await chunk.map(\.mark).create(on: db) }

        // Each cohort changed: its sessions' registers taken, its completions, its audit line.
        var cohorts: [UUID: Cohort] = [:]
        for chunk in Array(cohortIDs.values).chunked(into: 1000) {
            for cohort in try await Cohort.query(on: db).filter(\.$id ~~ chunk).with(\.$course).all() {
                if let id = cohort.id { cohorts[id] = cohort }
            }
        }
        let byCohort = Dictionary(grouping: written, by: \.cohort)
        var completions = 0
        for (key, cohortID) in cohortIDs.sorted(by: { $0.key < $1.key }) {
            guard let cohort = cohorts[cohortID], let lines = byCohort[key] else { continue }
            let sessions = Array(Set(lines.map(\.mark.$session.id)))
            for chunk in sessions.chunked(into: 1000) {
                try await CohortSession.query(on: db).filter(\.$id ~~ chunk).filter(\.$registerTakenAt == nil)
                    .set(\.$registerTakenAt, to: AppClock.now).update()
            }
            var enrolments: [Enrolment] = []
            for chunk in Array(Set(lines.map(\.mark.$enrolment.id))).chunked(into: 1000) {
                enrolments += try await Enrolment.query(on: db).filter(\.$id ~~ chunk).filter(\.$status == .enrolled)
                    .with(\.$person).all()
            }
            let completed = try await Cohort.complete(enrolments, needing: cohort.sessionsToComplete, on: db)
            completions += completed.count
            var audit = CohortAudit(cohort: cohort, course: cohort.course)
            audit.change = ["imported": "\(lines.count) register line\(lines.count == 1 ? "" : "s") from \(filename)"]
            if !completed.isEmpty { audit.change["completed"] = "\(completed.count) people" }
            try await audit.recordAudit(newCohorts[key] == nil ? .update : .create, by: actor, on: db)
        }
        return Outcome(
            counts: total, cohortsMade: newCohorts.count, placesGiven: newPlaces.count, completions: completions)
    }
}
