import Fluent
import Foundation
import Vapor

/// A person as the API returns it; `email` is null unless the caller may see it
/// (`Permission.readContactDetails`).
struct PersonDTO: Content, Equatable {
    let id: UUID
    let full_name: String
    let email: String?
    let kind: PersonKind
    let unit_id: UUID?
    let job_title: String?
    let coaching_capacity: Int?
    let started_on: String?
    let archived: Bool
    /// Moves on with every edit; a PUT sends back the version it began from.
    let version: Int
    /// Their courses and the cohorts they facilitate: one person's answer only, not a list's.
    var learning: [Learning]? = nil
    var facilitates: [UUID]? = nil

    struct Learning: Content, Equatable {
        let course_id: UUID
        let course: String
        let level: CourseLevel
        let cohort_id: UUID
        let status: EnrolmentStatus
        let completed_on: String?
    }
}

/// `/api/v1/people`: the same operations and validation as the people pages, as JSON.
enum PersonAPIController {
    @Sendable static func index(req: Request) async throws -> [PersonDTO] {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await PersonIndex.Model.query(
            search: try req.searchFilter(),
            kind: try req.choiceFilter("kind", as: PersonKind.self, label: "a kind of person"),
            unitID: try req.unitFilter("unit", in: policy.tree),
            includeArchived: try req.yesNoFilter("archived"),
            page: try req.pageFilter(),
            policy: policy, on: req.db
        )
        let people = try await Person.query(on: req.db).filter(\.$id ~~ model.rows.map(\.id)).sort(\.$fullName).all()
        return try people.map { try PersonDTO($0, for: policy) }
    }

    @Sendable static func show(req: Request) async throws -> PersonDTO {
        let policy = try await req.policy(granting: .readOrganisation)
        let person = try await PersonController.find(req)
        var dto = try PersonDTO(person, for: policy)
        let (enrolments, facilitating) = try await PersonLearning.records(of: try person.requireID(), on: req.db)
        dto.learning = try enrolments.sorted { ($0.enrolledAt, $0.cohort.name) < ($1.enrolledAt, $1.cohort.name) }
            .map { enrolment in
                PersonDTO.Learning(
                    course_id: try enrolment.cohort.course.requireID(), course: enrolment.cohort.course.name,
                    level: enrolment.cohort.course.level, cohort_id: try enrolment.cohort.requireID(),
                    status: enrolment.status, completed_on: enrolment.completedOn.map(CalendarDay.text))
            }
        dto.facilitates = try facilitating.map { try $0.requireID() }
        return dto
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let input = try req.content.decode(PersonInput.self)
        if let unit = input.namedUnit(in: policy.tree) { try policy.require(.managePeople(in: unit)) }
        let draft = try await input.validate(in: policy.tree, on: req.db)
        try policy.require(.managePeople(in: draft.unitID))
        let person = try await Person.create(draft, by: policy.viewer.actor, on: req.db)
        return try await PersonDTO(person, for: policy).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> PersonDTO {
        let policy = try await req.policy()
        let person = try await PersonController.find(req)
        try policy.require(.managePerson(try await PersonRights.load(for: person, on: req.db)))
        let input = try req.content.decode(PersonInput.self)
        let draft = try await input.validate(in: policy.tree, editing: try person.requireID(), on: req.db)
        guard let version = input.version else { throw ValidationFailure.versionMissing(of: "person") }
        try policy.require(.managePeople(in: draft.unitID))
        do {
            try await person.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
        } catch let conflict as EditConflict<Person> {
            throw conflict.refusal(of: "person", from: version)
        }
        return try PersonDTO(person, for: policy)
    }
}

extension PersonDTO {
    init(_ person: Person, for policy: Policy) throws {
        let id = try person.requireID()
        let contact = policy.allows(.readContactDetails(personID: id, homeUnitID: person.$unit.id))
        self.init(
            id: id, full_name: person.fullName, email: contact ? person.email : nil, kind: person.kind,
            unit_id: person.$unit.id, job_title: person.jobTitle, coaching_capacity: person.coachingCapacity,
            started_on: person.startedOn.map(CalendarDay.text), archived: person.isArchived, version: person.version
        )
    }
}
