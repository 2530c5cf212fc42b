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
    let archived: Bool
    /// Moves on with every edit; a PUT sends back the version it began from.
    let version: Int
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
        return try PersonDTO(try await PersonController.find(req), for: policy)
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
            archived: person.isArchived, version: person.version
        )
    }
}
