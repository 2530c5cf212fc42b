import Foundation
import Vapor

/// A cohort as its form or the API sends it, before validation: a line for each of the course's
/// sessions (its day and place) and the people who facilitate it.
struct CohortInput: Content, Sendable {
    var name: String?
    var capacity: NumberText?
    /// The form's single checkbox: ticked ("yes") when people may enrol themselves.
    var open_to_self_enrolment: [String]?
    /// A line a session: numbered fields from the form (`session_days[1]`), an array from the API.
    var session_days: NumberedTexts?
    var session_places: NumberedTexts?
    var facilitator_ids: [String]?
    /// The version an edit began from (the edit form's hidden field).
    var version: Int? = nil

    /// From a small workshop to the ILP's largest waves (130–200 people).
    static let capacityRange = 1...500
    /// The most sessions a course has (`CourseInput`), so the most lines a cohort's form sends.
    static let mostLines = CourseInput.sessionRange.upperBound
    /// Registers kept from the past and cohorts planned ahead, within reason.
    static let years = 2000...2100

    /// The form's field for session `number`'s day and place (1-based), which errors name.
    static func dayField(_ number: Int) -> String { "session_days[\(number)]" }
    static func placeField(_ number: Int) -> String { "session_places[\(number)]" }

    var formState: FormState {
        var values = ["name": name ?? "", "capacity": capacity?.text ?? "", "version": version.map(String.init) ?? ""]
        for (index, day) in (session_days?.texts ?? []).enumerated() { values[Self.dayField(index + 1)] = day }
        for (index, place) in (session_places?.texts ?? []).enumerated() { values[Self.placeField(index + 1)] = place }
        return FormState(
            values: values,
            selected: [
                "facilitator_ids": Set(facilitator_ids ?? []),
                "open_to_self_enrolment": Set(open_to_self_enrolment ?? []),
            ])
    }

    /// Checks the cohort against its course (one line per session, in date order) and the people
    /// who may facilitate (`facilitators`, by id). A cohort being changed (`editing`) keeps the
    /// number of sessions it has (`sessionCount`: one made from an old file may have fewer than its
    /// course), and a day it has already (`days`) is taken as it is, however long ago.
    func validate(
        for course: Course, among existing: [Cohort], facilitators: Set<UUID>, editing: UUID? = nil,
        sessionCount: Int? = nil, days existingDays: Set<CalendarDay> = []
    ) throws -> CohortDraft {
        let sessionCount = sessionCount ?? course.sessionCount
        var validator = Validator()
        let name = validator.requiredText(name, field: "name", label: "the cohort’s name", maxLength: 120)
        validator.uniqueName(
            name, among: existing.map { ($0.id, $0.name, false) }, editing: editing, called: "cohort of \(course.name)")
        let capacity = validator.wholeNumber(
            capacity?.text, field: "capacity", label: "the places it has", in: Self.capacityRange,
            missing: "Enter how many people the cohort takes.")
        let days = session_days?.texts ?? []
        let places = session_places?.texts ?? []
        var sessions: [CohortDraft.Session] = []
        for number in 1...max(sessionCount, 1) {
            let day = validator.day(
                days.indices.contains(number - 1) ? days[number - 1] : nil, field: Self.dayField(number),
                label: "the day of session \(number)", required: true)
            let place = validator.requiredText(
                places.indices.contains(number - 1) ? places[number - 1] : nil, field: Self.placeField(number),
                label: "where session \(number) is held", maxLength: 200)
            if let day {
                let calendarDay = CalendarDay(containing: day)
                if !Self.years.contains(calendarDay.month.year), !existingDays.contains(calendarDay) {
                    validator.fail(
                        Self.dayField(number),
                        "Give session \(number) a day from \(Self.years.lowerBound) to \(Self.years.upperBound); \(calendarDay.label) is not one."
                    )
                } else if let previous = sessions.last, calendarDay <= previous.day {
                    validator.fail(
                        Self.dayField(number),
                        "Session \(number) is not after session \(number - 1) (\(previous.day.label)): give each session a later day than the one before."
                    )
                }
                sessions.append(.init(day: calendarDay, place: place))
            }
        }
        if days.count > sessionCount || places.count > sessionCount {
            validator.fail("sessions", "The cohort has \(sessionCount) sessions; remove the lines after the last.")
        }
        let chosen = Validator.identifiers(facilitator_ids)
        if chosen.count != (facilitator_ids ?? []).count || !Set(chosen).isSubset(of: facilitators) {
            validator.fail("facilitator_ids", "Choose the facilitators from the list.")
        }
        let open = !(open_to_self_enrolment ?? []).isEmpty
        return try validator.check(capacity) { capacity in
            CohortDraft(
                name: name, capacity: capacity, openToSelfEnrolment: open, sessions: sessions, facilitatorIDs: chosen)
        }
    }
}

extension CohortInput: VersionedInput {
    /// The cohort as its form shows it, from the cohort with its sessions and facilitators loaded.
    init(_ cohort: Cohort) {
        let sessions = (cohort.$sessions.value ?? []).sorted { $0.number < $1.number }
        self.init(
            name: cohort.name, capacity: NumberText(String(cohort.capacity)),
            open_to_self_enrolment: cohort.openToSelfEnrolment ? ["yes"] : [],
            session_days: NumberedTexts(sessions.map { CalendarDay(containing: $0.heldOn).text }),
            session_places: NumberedTexts(sessions.map(\.place)),
            facilitator_ids: (cohort.$facilitators.value ?? []).map(\.$person.id.uuidString), version: cohort.version)
    }

    static var labels: [(field: String, label: String)] {
        [("name", "Name"), ("capacity", "Places")]
            + (1...mostLines).flatMap { number in
                [
                    (dayField(number), "Session \(number): day"), (placeField(number), "Session \(number): place"),
                ]
            }
    }
}

/// A session's register as its form sends it: each line's mark (`marks[enrolmentID]`), and the
/// cohort's version the page showed.
struct RegisterInput: Content, Sendable {
    var marks: [String: String]? = nil
    var version: Int? = nil

    static func markField(_ enrolmentID: UUID) -> String { "marks[\(enrolmentID.uuidString)]" }

    var formState: FormState {
        var values = (marks ?? [:]).reduce(into: [String: String]()) { values, mark in
            if let id = UUID(uuidString: mark.key) { values[Self.markField(id)] = mark.value }
        }
        values["version"] = version.map(String.init) ?? ""
        return FormState(values: values)
    }

    /// Each line's mark, for the people the register lists (`lines`); a line left unmarked is not
    /// recorded. At least one mark, and only the marks there are.
    func validate(lines: Set<UUID>) throws -> [UUID: Attendance] {
        var validator = Validator()
        var valid: [UUID: Attendance] = [:]
        for (key, value) in marks ?? [:] {
            guard let id = UUID(uuidString: key), lines.contains(id) else {
                validator.fail(
                    "marks",
                    "The register names someone without a place on this cohort. Reload it and mark the people it lists."
                )
                continue
            }
            if let mark = validator.choice(
                value, field: RegisterInput.markField(id), label: "attended, apologies or absent", as: Attendance.self)
            {
                valid[id] = mark
            }
        }
        if (marks ?? [:]).isEmpty { validator.fail("marks", "Mark at least one person before saving the register.") }
        try validator.check()
        return valid
    }
}

/// A session's register as the API sends it: `{"session_id": …, "marks": [{"person_id": …,
/// "attendance": "attended"}], "version": …}`. The version, when sent, is the cohort's the client
/// last read; without it the register is taken against the cohort as it is.
struct AttendanceInput: Content, Sendable {
    struct Line: Content, Sendable {
        var person_id: String?
        var attendance: String?
    }

    var session_id: String?
    var marks: [Line]?
    var version: Int?

    /// A register as long as the largest cohort.
    static let maximumMarks = CohortInput.capacityRange.upperBound

    struct Valid: Sendable, Equatable {
        let sessionID: UUID
        /// Each enrolment's mark.
        let marks: [UUID: Attendance]
    }

    /// Checks the register against the people with a place (`places`: each person's enrolment).
    func validate(places: [UUID: UUID]) throws -> Valid {
        var validator = Validator()
        let session = validator.identifier(session_id, field: "session_id", label: "the session", required: true)
        let lines = marks ?? []
        if lines.isEmpty { validator.fail("marks", "Send at least one mark.") }
        if lines.count > Self.maximumMarks {
            validator.fail("marks", "Send at most \(Self.maximumMarks) marks, one for each person with a place.")
        }
        var valid: [UUID: Attendance] = [:]
        var seen = Set<UUID>()
        for (index, line) in lines.prefix(Self.maximumMarks).enumerated() {
            let field = "marks[\(index)]"
            let person = validator.identifier(
                line.person_id, field: field + ".person_id", label: "the person", required: true)
            let mark = validator.choice(
                line.attendance, field: field + ".attendance", label: "attended, apologies or absent",
                as: Attendance.self)
            guard let person, let mark else { continue }
            guard seen.insert(person).inserted else {
                validator.fail(field + ".person_id", "This person is marked twice; send one mark each.")
                continue
            }
            guard let enrolment = places[person] else {
                validator.fail(
                    field + ".person_id",
                    "This person has no place on the cohort (they may be waiting, or have withdrawn). Mark only those with a place."
                )
                continue
            }
            valid[enrolment] = mark
        }
        return try validator.check(session) { Valid(sessionID: $0, marks: valid) }
    }
}

/// Texts sent as a list: a JSON array, or form fields numbered from 1 (`session_days[1]`,
/// `session_days[2]`), which a form's error summary can point at one by one. A number beyond
/// `CohortInput.mostLines` is refused rather than filled up to.
struct NumberedTexts: Codable, Sendable, Equatable, ExpressibleByArrayLiteral {
    var texts: [String]

    init(arrayLiteral texts: String...) { self.texts = texts }
    init(_ texts: [String]) { self.texts = texts }

    init(from decoder: any Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([String].self) {
            texts = list
            return
        }
        let numbered = try decoder.container(keyedBy: AnyKey.self)
        var byNumber: [Int: String] = [:]
        for key in numbered.allKeys {
            guard let number = Int(key.stringValue), (1...CohortInput.mostLines).contains(number) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: numbered, debugDescription: "“\(key.stringValue)” is not a session’s number.")
            }
            byNumber[number] = try numbered.decode(String.self, forKey: key)
        }
        texts = (0..<(byNumber.keys.max() ?? 0)).map { byNumber[$0 + 1] ?? "" }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(texts)
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { Int(stringValue) }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { stringValue = String(intValue) }
    }
}
