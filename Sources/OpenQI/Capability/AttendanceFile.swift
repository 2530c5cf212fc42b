import Foundation

/// Past attendance as a capability lead keeps it in a spreadsheet: a header line naming the
/// columns person, course, cohort, date and attendance (in any order, others ignored; place may
/// name where a session was held), then one row per person per session. Every bad row is reported
/// with its reason; `AttendanceImport` then checks the good ones against the organisation.
///
/// The registers' own export (`RegisterExport`) writes this shape, so a file exported and imported
/// again changes nothing.
struct AttendanceFile: Sendable {
    /// How a row names its person: an email, or OpenQI's id for someone without one (a partner
    /// organisation's staff, a service user), as people's pages, CSVs and the API show it.
    enum PersonKey: Hashable, Sendable {
        case email(String)
        case id(UUID)

        var text: String {
            switch self {
            case .email(let email): email
            case .id(let id): id.uuidString.lowercased()
            }
        }
    }

    struct Row: Sendable, Equatable {
        let line: Int
        let person: PersonKey
        let course: String
        let cohort: String
        let day: CalendarDay
        let place: String?
        let attendance: Attendance
    }

    /// About eight years of a large trust's training in one file; more goes in parts.
    static let maximumRows = 150_000
    static let longestCell = 200
    static let columns = ["person", "course", "cohort", "date", "attendance"]
    /// What spreadsheets also call the columns.
    static let otherNames = [
        "email": "person", "person id": "person", "wave": "cohort", "day": "date", "session date": "date",
        "attended": "attendance",
    ]

    private(set) var rows: [Row] = []
    private(set) var errors: [FileRowError] = []

    init(text: String) {
        let table = DelimitedText(text)
        guard let headerIndex = table.records.firstIndex(where: { !table.cells($0).allSatisfy(\.isEmpty) }) else {
            errors = [
                .init(
                    line: 0,
                    message:
                        "The file is empty. Its first line names the columns person, course, cohort, date and attendance; each row after it is one person at one session."
                )
            ]
            return
        }
        var position: [String: Int] = [:]
        for (index, cell) in table.cells(table.records[headerIndex]).enumerated() {
            let name = cell.lowercased()
            position[Self.otherNames[name] ?? name] = position[Self.otherNames[name] ?? name] ?? index
        }
        let missing = Self.columns.filter { position[$0] == nil }
        guard missing.isEmpty else {
            let number = headerIndex + 1
            errors = [
                .init(
                    line: number,
                    message:
                        "Row \(number) must name the columns person, course, cohort, date and attendance, in any order; it has no \(missing.joined(separator: ", ")). Add the header line, or rename the column."
                )
            ]
            return
        }
        var seen: [SeenKey: Int] = [:]
        for index in (headerIndex + 1)..<table.records.count {
            let number = index + 1
            let cells = table.cells(table.records[index])
            if cells.allSatisfy(\.isEmpty) { continue }
            if table.unclosedQuote == index {
                errors.append(.init(line: number, message: table.unclosedQuoteMessage(row: number)))
                continue
            }
            if rows.count + errors.count >= Self.maximumRows {
                errors.append(
                    .init(
                        line: number,
                        message:
                            "Row \(number): more than \(Self.maximumRows) rows. Import the file in parts, a year or a course at a time."
                    ))
                break
            }
            func cell(_ column: String) -> String {
                Self.unguarded(position[column].flatMap { $0 < cells.count ? cells[$0] : nil } ?? "")
            }
            switch Self.check(
                line: number, person: cell("person"), course: cell("course"), cohort: cell("cohort"),
                date: cell("date"), place: cell("place"), attendance: cell("attendance"))
            {
            case .failure(let error): errors.append(error)
            case .success(let row):
                let key = SeenKey(row)
                if let first = seen[key] {
                    errors.append(
                        .init(
                            line: number,
                            message:
                                "Row \(number): repeats row \(first): the same person at the same cohort’s session on \(row.day.label). Keep one of them."
                        ))
                } else {
                    seen[key] = number
                    rows.append(row)
                }
            }
        }
        if rows.isEmpty, errors.isEmpty {
            errors.append(
                .init(line: 0, message: "There are no rows after the header line: one row per person per session."))
        }
    }

    /// One person at one session of one cohort: a file names each once.
    private struct SeenKey: Hashable {
        let person: PersonKey
        let course: String
        let cohort: String
        let day: CalendarDay

        init(_ row: Row) {
            person = row.person
            course = row.course.lowercased()
            cohort = row.cohort.lowercased()
            day = row.day
        }
    }

    /// One row's cells read, or the first thing wrong with them.
    static func check(
        line: Int, person: String, course: String, cohort: String, date: String, place: String, attendance: String
    ) -> Result<Row, FileRowError> {
        func failure(_ message: String) -> Result<Row, FileRowError> {
            .failure(.init(line: line, message: "Row \(line): \(message)"))
        }
        for (name, cell) in [("person", person), ("course", course), ("cohort", cohort), ("date", date)]
        where cell.isEmpty {
            return failure("the \(name) is empty.")
        }
        for (name, cell) in [("person", person), ("course", course), ("cohort", cohort), ("place", place)]
        where cell.count > longestCell {
            return failure("the \(name) is longer than \(longestCell) characters.")
        }
        let key: PersonKey
        if person.contains("@") {
            key = .email(Account.normalise(email: person))
        } else if let id = UUID(uuidString: person) {
            key = .id(id)
        } else {
            return failure(
                "“\(person)” is neither an email nor an OpenQI person id. Name each person by their email, or by the id on their page if they have none."
            )
        }
        // A month alone (2026-03) is a period, not the day a session was held.
        let isMonth = date.utf8.count(where: { $0 == UInt8(ascii: "-") }) == 1 && !date.contains("/")
        guard !isMonth, let day = CalendarDay(parsing: date, as: .spreadsheet) else {
            return failure("the date “\(date)” is not a day. Write the session’s day as 2026-03-31 or 31/03/2026.")
        }
        guard let mark = Self.attendance(attendance) else {
            return failure(
                "“\(attendance)” is not attended, apologies or absent (yes and no are read as attended and absent).")
        }
        return .success(
            Row(
                line: line, person: key, course: course, cohort: cohort, day: day, place: place.isEmpty ? nil : place,
                attendance: mark))
    }

    /// A cell as typed: OpenQI's own CSVs put an apostrophe before text a spreadsheet would take
    /// for a formula (`CSVText`), which is taken off again here.
    static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@".contains(next) else { return cell }
        return String(cell.dropFirst())
    }

    /// What a register's cell says, in the words registers use.
    static func attendance(_ cell: String) -> Attendance? {
        switch cell.lowercased() {
        case "attended", "present", "yes", "y", "1", "true": .attended
        case "apologies", "apology", "sent apologies": .apologies
        case "absent", "no", "n", "0", "false", "did not attend", "dna": .absent
        default: nil
        }
    }
}
