import Fluent
import Foundation
import SQLKit

/// A unit's capability figures for a year, from the records: for each group and level, how many
/// have the level against the plan's need; completions by month and year; the share from partner
/// organisations; and the new starters still without the introductory course. The dosing page, the
/// unit's page and the capability API all read these.
package struct DosingFigures: Sendable, Equatable {
    package struct Line: Sendable, Equatable {
        package let group: DosingGroup
        package let level: CourseLevel
        /// People in the group.
        package let members: Int
        /// Of them, those who have completed a course of the level.
        let have: Int
        /// The plan's number, when the plan sets one.
        let needed: Int?
        var gap: Int? { needed.map { max(0, $0 - have) } }
    }

    struct MonthCount: Sendable, Equatable {
        let month: CalendarMonth
        let count: Int
    }

    struct YearCounts: Sendable, Equatable {
        let year: Int
        /// Completions at each level that year, in `CourseLevel` order.
        let byLevel: [CourseLevel: Int]
        var total: Int { byLevel.values.reduce(0, +) }
    }

    /// One course's completions in the year: who completed what, for the annual review.
    struct CourseCount: Sendable, Equatable {
        let course: String
        let level: CourseLevel
        let completions: Int
        /// Of them, people from partner organisations.
        let fromPartners: Int
    }

    struct NewStarter: Sendable, Equatable {
        let name: String
        let personID: UUID
        let unit: String
        let started: CalendarDay
    }

    let unitID: UUID
    let year: Int
    package var lines: [Line] = []
    /// People trained (courses completed) each month, the latest 24 up to the year's end or today.
    var byMonth: [MonthCount] = []
    /// The latest five years up to `year`.
    var byYear: [YearCounts] = []
    /// Completions in the year, course by course, by level and then name.
    var byCourse: [CourseCount] = []
    /// Completions of the practitioner and coach levels in the year, and how many of them were by
    /// partner organisations' people (ELFT: 20–25% by 2023).
    var partnerCompletions = 0
    var practitionerAndCoachCompletions = 0
    /// Staff who started in the last year, more than three months ago, without the introductory
    /// course, the longest waiting first; at most `newStartersShown`, of `newStartersCount`.
    var newStarters: [NewStarter] = []
    var newStartersCount = 0

    static let newStartersShown = 100
    /// New starters are asked to take the introductory course within this many months.
    static let introductoryWithinMonths = 3

    var completionsThisYear: Int { byYear.first { $0.year == year }?.total ?? 0 }

    /// The figures of a unit for a year on a day, kept until the records change.
    struct Key: ResultKey {
        let unit: UUID
        let year: Int
        let day: CalendarDay
    }

    /// `query`, kept in `cache`: the unit's page, the CSV, the API and the plan's form read the same.
    static func cached(
        unitID: UUID, year: Int, tree: UnitTree, today: CalendarDay, cache: CachedResults, on db: any Database
    ) async throws -> DosingFigures {
        try await cache.value(Key(unit: unitID, year: year, day: today)) {
            try await query(unitID: unitID, year: year, tree: tree, today: today, on: db)
        }
    }

    package static func query(unitID: UUID, year: Int, tree: UnitTree, today: CalendarDay, on db: any Database)
        async throws -> DosingFigures
    {
        // The organisation's figures take in its partner organisations' people (partners sit at
        // the top of the tree beside it): they train with it, and ELFT counts their share.
        var scope = tree.subtree(of: unitID)
        if unitID == tree.organisationID {
            for partner in tree.children(of: nil) where partner.kind == .partner && !partner.isArchived {
                scope.formUnion(tree.subtree(of: partner.id))
            }
        }
        // Partners' units, worked out once from the tree rather than per person.
        var partnerUnits = Set<UUID>()
        for node in tree.nodes.values where node.kind == .partner { partnerUnits.formUnion(tree.subtree(of: node.id)) }
        func atPartner(_ unit: UUID?) -> Bool { unit.map(partnerUnits.contains) ?? false }
        let rows = try await Rows.load(on: db)
        let people = rows.people
        let here = people.filter { $0.unit_id.map(scope.contains) ?? false }
        let hereIDs = Set(here.map(\.id))
        let yearStart = CalendarDay(year: year, month: 1, day: 1)!.date
        let yearEnd = CalendarDay(year: year + 1, month: 1, day: 1)!.date
        // A past year counts the staff it had: not those who started after it.
        let staff = here.filter {
            $0.kind == .staff && !atPartner($0.unit_id) && !(($0.started_on ?? yearStart) >= yearEnd)
        }
        // A role held at a unit since archived is no role any more.
        func holding(_ role: Role, where unitMatches: (UUID) -> Bool = { _ in true }) -> Set<UUID> {
            Set(
                rows.grants.filter {
                    $0.role == role && tree.nodes[$0.unit_id]?.isArchived == false && unitMatches($0.unit_id)
                }.map(\.person_id)
            ).intersection(hereIDs)
        }
        let leads = rows.leads.filter { scope.contains($0.unit_id) }.map(\.proposer_id)
        let members: [DosingGroup: Set<UUID>] = [
            .allStaff: Set(staff.map(\.id)),
            .newStarters: Set(
                staff.filter { $0.started_on.map { $0 >= yearStart && $0 < yearEnd } ?? false }.map(\.id)),
            .teamLeaders: holding(.admin) { [.ward, .team, .service].contains(tree.nodes[$0]?.kind) },
            .projectLeads: Set(leads).intersection(hereIDs),
            .coaches: holding(.coach),
            .sponsors: holding(.sponsor),
            .improvementAdvisors: holding(.improvementAdvisor),
            .board: holding(.viewer) { tree.nodes[$0]?.kind == .organisation },
            .serviceUsersAndCarers: Set(here.filter { [.serviceUser, .carer].contains($0.kind) }.map(\.id)),
        ]

        let completions = rows.completions
        let asOf = min(today, CalendarDay(year: year, month: 12, day: 31)!)
        var holders: [CourseLevel: Set<UUID>] = [:]
        for completion in completions where completion.day <= asOf {
            holders[completion.level, default: []].insert(completion.person)
        }
        let plan = try await DosingPlan.load(unitID: unitID, year: year, on: db)
        var figures = DosingFigures(unitID: unitID, year: year)
        figures.lines = DosingGroup.planned.map { group, level in
            let people = members[group] ?? []
            return Line(
                group: group, level: level, members: people.count,
                have: people.intersection(holders[level] ?? []).count,
                needed: plan.needs[.init(group: group, level: level)])
        }

        // Completions by the unit's people: where they enrolled from, or their unit now.
        let homes = Dictionary(people.map { ($0.id, $0.unit_id) }) { first, _ in first }
        let counted = completions.filter { completion in
            (completion.unit ?? homes[completion.person] ?? nil).map(scope.contains) ?? false
        }
        let lastMonth = asOf.month
        let months = (0..<24).map { lastMonth.advanced(by: $0 - 23) }
        let perMonth = Dictionary(grouping: counted, by: \.day.month).mapValues(\.count)
        figures.byMonth = months.map { MonthCount(month: $0, count: perMonth[$0] ?? 0) }
        figures.byYear = ((year - 4)...year).reversed().map { year in
            YearCounts(
                year: year,
                byLevel: Dictionary(grouping: counted.filter { $0.day.year == year }, by: \.level).mapValues(\.count))
        }
        let partners = Set(people.filter { $0.kind == .partner }.map(\.id))
        func fromPartner(_ completion: Rows.Completion) -> Bool {
            partners.contains(completion.person) || atPartner(completion.unit ?? homes[completion.person] ?? nil)
        }
        let inYear = counted.filter { $0.day.year == year }
        let practice = inYear.filter { [.practitioner, .coach].contains($0.level) }
        figures.practitionerAndCoachCompletions = practice.count
        figures.partnerCompletions = practice.filter(fromPartner).count
        figures.byCourse = Dictionary(grouping: inYear, by: \.course).map { course, completions in
            CourseCount(
                course: course, level: completions[0].level, completions: completions.count,
                fromPartners: completions.filter(fromPartner).count)
        }.sorted { ($0.level, $0.course) < ($1.level, $1.course) }

        // Who waits for the introduction is a question about today, whichever year is shown.
        let due = today.adding(months: -introductoryWithinMonths).date
        let newcomers = today.adding(months: -12).date
        let introduced = Set(completions.filter { $0.level == .introductory }.map(\.person))
        let currentStaff = here.filter { $0.kind == .staff && !atPartner($0.unit_id) }
        let waiting = currentStaff.compactMap { person -> (Rows.Member, Date)? in
            guard let started = person.started_on, started > newcomers, started <= due,
                !introduced.contains(person.id)
            else { return nil }
            return (person, started)
        }
        figures.newStartersCount = waiting.count
        // The longest waiting are named; the rest are counted.
        let longest = waiting.sorted { ($0.1, $0.0.id.uuidString) < ($1.1, $1.0.id.uuidString) }
            .prefix(newStartersShown)
        let names = try await Rows.names(of: longest.map(\.0.id), on: db)
        figures.newStarters = longest.map { person, started in
            NewStarter(
                name: names[person.id] ?? "", personID: person.id,
                unit: person.unit_id.map { tree.path(of: $0, below: unitID) } ?? "",
                started: CalendarDay(containing: started))
        }.sorted { ($0.started, $0.name) < ($1.started, $1.name) }
        return figures
    }
}

extension DosingFigures {
    /// What the figures are counted from, read as plain rows: building Fluent's models of the
    /// tens of thousands of people, projects and completions of a large trust cost far more than
    /// reading them (its page took 1.4 s so).
    struct Rows {
        struct Member: Decodable {
            let id: UUID
            let kind: PersonKind
            let unit_id: UUID?
            let started_on: Date?
        }

        struct Grant: Decodable {
            let person_id: UUID
            let role: Role
            let unit_id: UUID
        }

        struct Lead: Decodable {
            let proposer_id: UUID
            let unit_id: UUID
        }

        struct Completion: Decodable {
            let person: UUID
            let unit: UUID?
            let completedOn: Date
            let level: CourseLevel
            let course: String
            var day: CalendarDay { CalendarDay(containing: completedOn) }

            enum CodingKeys: String, CodingKey {
                case person = "person_id"
                case unit = "unit_id"
                case completedOn = "completed_on"
                case level, course
            }
        }

        let people: [Member]
        let grants: [Grant]
        let leads: [Lead]
        let completions: [Completion]

        static func load(on db: any Database) async throws -> Rows {
            let sql = db.sql
            let roles = [Role.admin, .coach, .sponsor, .improvementAdvisor, .viewer].map(\.rawValue)
            let running = [ProjectStatus.active, .completed].map(\.rawValue)
            return Rows(
                people: try await sql.raw(
                    """
                    SELECT id, CAST(kind AS TEXT) AS kind, unit_id, started_on FROM \(ident: Person.schema)
                    WHERE archived_at IS NULL
                    """
                ).all(decoding: Member.self),
                grants: try await sql.raw(
                    """
                    SELECT person_id, CAST(role AS TEXT) AS role, unit_id FROM \(ident: RoleGrant.schema)
                    WHERE CAST(role AS TEXT) IN (\(binds: roles))
                    """
                ).all(decoding: Grant.self),
                leads: try await sql.raw(
                    """
                    SELECT DISTINCT proposer_id, unit_id FROM \(ident: Project.schema)
                    WHERE CAST(status AS TEXT) IN (\(binds: running))
                    """
                ).all(decoding: Lead.self),
                completions: try await sql.raw(
                    """
                    SELECT e.person_id, e.unit_id, e.completed_on, c.level, c.name AS course
                    FROM \(ident: Enrolment.schema) e JOIN \(ident: Cohort.schema) h ON h.id = e.cohort_id
                    JOIN \(ident: Course.schema) c ON c.id = h.course_id WHERE e.completed_on IS NOT NULL
                    """
                ).all(decoding: Completion.self))
        }

        /// The names of `ids`, who are few.
        static func names(of ids: [UUID], on db: any Database) async throws -> [UUID: String] {
            var names: [UUID: String] = [:]
            for chunk in ids.chunked(into: 1000) {
                for person in try await Person.query(on: db).filter(\.$id ~~ chunk).field(\.$id).field(\.$fullName)
                    .all()
                {
                    if let id = person.id { names[id] = person.fullName }
                }
            }
            return names
        }
    }
}

extension DosingFigures {
    /// The figures as a spreadsheet: a row for each group and level.
    var csv: String {
        var text = "year,group,level,people,have,needed,gap\n"
        for line in lines {
            let cells = [
                String(year), CSVText.cell(line.group.label), CSVText.cell(line.level.label), String(line.members),
                String(line.have), line.needed.map(String.init) ?? "", line.gap.map(String.init) ?? "",
            ]
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }
}
