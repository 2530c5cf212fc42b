import Fluent
import Foundation
import SPC
import Vapor

@testable import OpenQI

/// Builds the records tests need, straight into the database.
struct Fixtures {
    let app: Application
    var db: any Database { app.db }

    static let password = "correct horse battery"

    @discardableResult
    func unit(_ name: String, kind: UnitKind, parent: Unit? = nil) async throws -> Unit {
        let unit = Unit(name: name, kind: kind, parentID: parent?.id)
        try await unit.create(on: db)
        return unit
    }

    @discardableResult
    func person(_ name: String, kind: PersonKind = .staff, unit: Unit?, email: String? = nil) async throws -> Person {
        let person = Person(fullName: name, email: email, kind: kind, unitID: unit?.id)
        try await person.create(on: db)
        return person
    }

    /// A person who can sign in, with an optional role at a unit.
    @discardableResult
    func signIn(
        _ email: String, role: Role? = nil, at unit: Unit? = nil, administrator: Bool = false,
        mustChangePassword: Bool = false
    ) async throws -> Person {
        let person = try await self.person(email.split(separator: "@")[0].capitalized, unit: unit, email: email)
        let hash = try await app.password.async.hash(Self.password).get()
        try await Account(
            personID: try person.requireID(), email: email, passwordHash: hash,
            isAdministrator: administrator, mustChangePassword: mustChangePassword
        ).create(on: db)
        if let role, let unit {
            try await RoleGrant(personID: try person.requireID(), unitID: try unit.requireID(), role: role).create(
                on: db)
        }
        return person
    }
}

extension Fixtures {
    /// What an installation administrator may do, over the organisation as it now stands.
    func administratorPolicy() async throws -> Policy {
        Policy(
            viewer: Viewer(
                accountID: UUID(), personID: UUID(), name: "Administrator", email: "admin@test.example",
                isAdministrator: true, mustChangePassword: false, sessionID: UUID(), csrfToken: "t", grants: []),
            tree: try await UnitTree.load(on: db))
    }

    /// A project the forum approved on `approvedAt`, with its latest update on `lastUpdateAt`: active,
    /// or completed on `completedAt`.
    @discardableResult
    func approvedProject(
        _ title: String, unit: Unit, lead: Person, approvedAt: Date, lastUpdateAt: Date? = nil, coach: Person? = nil,
        completedAt: Date? = nil
    ) async throws -> Project {
        let project = Project()
        project.title = title
        project.$unit.id = try unit.requireID()
        project.status = completedAt == nil ? .active : .completed
        project.closedAt = completedAt
        project.stage = .test
        project.whatMatters = "What matters to the people on the ward."
        project.problem = "The problem, as the team sees it."
        project.aimWhat = "Reduce falls"
        project.aimHowMuch = "by 30%"
        project.aimByWhen = approvedAt.addingTimeInterval(365 * 86_400)
        project.$proposer.id = try lead.requireID()
        project.$coach.id = try coach?.requireID()
        project.approvedAt = approvedAt
        project.lastUpdateAt = lastUpdateAt
        try await project.create(on: db)
        return project
    }

    /// A measure with a point at each of `periods` (`values`, or a small repeating pattern), its
    /// summary refreshed as every change to data does. Lower is better.
    @discardableResult
    func measure(
        _ name: String, project: Project? = nil, unit: Unit, frequency: DataFrequency = .weekly,
        chart: ChartType = .i, periods: [Date] = [], values: [Double]? = nil, archived: Bool = false
    ) async throws -> Measure {
        let measure = Measure()
        measure.$project.id = try project?.requireID()
        measure.$unit.id = try unit.requireID()
        measure.name = name
        measure.kind = .outcome
        measure.definition = "As the team counts it."
        measure.frequency = frequency
        measure.chartType = chart.rawValue
        measure.rules = RuleSet.mdc.rawValue
        measure.direction = "down"
        measure.multiply = 1
        measure.archivedAt = archived ? Date() : nil
        try await measure.create(on: db)
        let id = try measure.requireID()
        try await DataPoint.upsert(
            periods.enumerated().map {
                DataPoint(
                    measureID: id, period: $1, value: values?[$0] ?? Double($0 % 4),
                    denominator: chart.usesDenominator ? 10 : nil, note: nil)
            }, on: db)
        try await measure.refreshSummary(on: db)
        return measure
    }
}

extension Fixtures {
    /// Makes the database refuse (or accept again) the audit entries of data loads: the last thing a
    /// load writes, after its points and summaries in the same transaction, so a test can see that a
    /// load failing part-way keeps nothing.
    func refuseDataLoadAudits(_ refuse: Bool) async throws {
        let sql = db.sql
        switch (refuse, TestDatabase.isPostgres) {
        case (true, true):
            try await sql.raw(
                """
                CREATE FUNCTION refuse_data_audit() RETURNS trigger AS $$ BEGIN
                IF NEW.subject_kind = 'measure_data' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                RETURN NEW; END $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER refuse_data_audit BEFORE INSERT ON audit_entries FOR EACH ROW
                EXECUTE FUNCTION refuse_data_audit()
                """
            ).run()
        case (true, false):
            try await sql.raw(
                """
                CREATE TRIGGER refuse_data_audit BEFORE INSERT ON audit_entries
                WHEN NEW.subject_kind = 'measure_data' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """
            ).run()
        case (false, true): try await sql.raw("DROP TRIGGER refuse_data_audit ON audit_entries").run()
        case (false, false): try await sql.raw("DROP TRIGGER refuse_data_audit").run()
        }
    }
}

extension Fixtures {
    /// How many projects the list at `url` shows: a link of the portfolio or the board report, read
    /// as the project list reads it.
    func projectsListed(at url: String, policy: Policy, now: Date = Date()) async throws -> Int {
        let items = Dictionary((URLComponents(string: url)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }) {
            $1
        }
        func month(_ name: String) -> CalendarMonth? { items[name].flatMap(CalendarMonth.init) }
        let focus = ProjectIndex.Focus(
            coachID: items["coach"].flatMap(UUID.init(uuidString:)), fullPartners: items["full_partners"] == "yes",
            stalled: items["stalled"] == "yes",
            staleData: items["stale_data"] == "yes", gainsSlipping: items["gains"] == "slipping",
            approvedIn: month("approved_in"), activeIn: month("active_in"),
            completedIn: month("completed_in"))
        return try await ProjectIndex.Model.query(
            search: nil, status: items["status"].flatMap(ProjectStatus.init(rawValue:)),
            unitID: items["unit"].flatMap(UUID.init(uuidString:)), focus: focus, policy: policy, on: db, now: now
        ).total
    }
}

/// Foundation has a `Unit` too (for measurements); in the tests, `Unit` is OpenQI's organisation unit.
typealias Unit = OpenQI.Unit

extension Application {
    /// Every stored data point, by measure and then period.
    func storedDataPoints() async throws -> [DataPoint] {
        let ids = try await Measure.query(on: db).all().compactMap(\.id).sorted { $0.uuidString < $1.uuidString }
        let series = try await DataPoint.series(of: ids, on: db)
        return ids.flatMap { id in
            (series[id] ?? []).map {
                DataPoint(measureID: id, period: $0.period, value: $0.value, denominator: $0.denominator, note: $0.note)
            }
        }
    }
}

extension CalendarDay {
    /// The day a test writes as text (`2026-01-05`, or any way a spreadsheet writes one), as stored.
    static func date(_ text: String) -> Date? { CalendarDay(parsing: text, as: .spreadsheet)?.date }
}
