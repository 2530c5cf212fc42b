import Fluent
import Foundation

/// The groups a dose of training is planned for: IHI's dosing gives each group the depth of
/// training its role needs (ELFT's 2019 table counts each group against an estimate of the need).
/// Who belongs is read from the records, and each group says how (`membership`).
package enum DosingGroup: String, Codable, CaseIterable, Sendable {
    case allStaff = "all_staff"
    case newStarters = "new_starters"
    case teamLeaders = "team_leaders"
    case projectLeads = "project_leads"
    case coaches
    case sponsors
    case improvementAdvisors = "improvement_advisors"
    case board
    case serviceUsersAndCarers = "service_users_and_carers"

    package var label: String {
        switch self {
        case .allStaff: "All staff"
        case .newStarters: "New starters"
        case .teamLeaders: "Team leaders"
        case .projectLeads: "Project leads"
        case .coaches: "QI coaches"
        case .sponsors: "Sponsors"
        case .improvementAdvisors: "Improvement advisors"
        case .board: "Executives and board"
        case .serviceUsersAndCarers: "Service users and carers"
        }
    }

    /// Who counts, in the words the dosing page uses.
    var membership: String {
        switch self {
        case .allStaff: "Staff whose unit is here (not partner organisations’ people)"
        case .newStarters: "Staff who started in the year, by the start day on their record"
        case .teamLeaders: "People who administer a ward, team or service here"
        case .projectLeads: "People leading an active or completed project here"
        case .coaches: "People holding the QI coach role"
        case .sponsors: "People holding the sponsor role"
        case .improvementAdvisors: "People holding the improvement advisor role"
        case .board: "People who read the organisation’s board report (its viewers)"
        case .serviceUsersAndCarers: "Service users and carers whose unit is here"
        }
    }

    /// The levels planned for the group, as ELFT doses them: an introduction for everyone, the
    /// Improvement Leaders’ Programme for those who lead teams and projects (and the executives),
    /// coaching and advisor development for those roles, and the service users’ own introduction.
    var levels: [CourseLevel] {
        switch self {
        case .allStaff, .newStarters: [.introductory]
        case .teamLeaders: [.introductory, .practitioner]
        case .projectLeads: [.practitioner]
        case .coaches: [.practitioner, .coach]
        case .sponsors: [.practitioner, .leadership]
        case .improvementAdvisors: [.coach, .advisor]
        case .board: [.practitioner, .board]
        case .serviceUsersAndCarers: [.serviceUsers]
        }
    }

    /// Every group and level the plan asks a number for.
    static var planned: [(group: DosingGroup, level: CourseLevel)] {
        allCases.flatMap { group in group.levels.map { (group, $0) } }
    }
}

/// How many people of a group a unit means to have trained to a level, for a year.
package final class DosingTarget: Model, @unchecked Sendable {
    package static let schema = "dosing_targets"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "unit_id") package var unit: Unit
    @Field(key: "year") package var year: Int
    @Field(key: "group") package var group: DosingGroup
    @Field(key: "level") package var level: CourseLevel
    @Field(key: "needed") package var needed: Int

    package init() {}

    package init(unitID: UUID, year: Int, group: DosingGroup, level: CourseLevel, needed: Int) {
        self.$unit.id = unitID
        self.year = year
        self.group = group
        self.level = level
        self.needed = needed
    }
}

/// The dosing plan's targets, one a unit, year, group and level; and the day each person started,
/// which tells new starters apart.
struct CreateDosingPlan: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DosingTarget.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("group", .string, .required)
            .field("level", .string, .required)
            .field("needed", .int, .required)
            .unique(on: "unit_id", "year", "group", "level")
            .create()
        try await database.schema(Person.schema).field("started_on", .date).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).deleteField("started_on").update()
        try await database.schema(DosingTarget.schema).delete()
    }
}
