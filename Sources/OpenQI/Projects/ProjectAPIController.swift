import Fluent
import Foundation
import Vapor

/// A project in a list: where it is and how it is going.
struct ProjectSummaryDTO: Content, Equatable {
    let id: UUID
    let title: String
    let unit_id: UUID
    let unit_path: String
    let status: ProjectStatus
    let stage: ImprovementStage?
    let progress_score: Double?
    let last_update_at: Date?
}

/// A project with everything a team works with: team, driver diagram, change ideas, PDSA cycles,
/// measures and stories.
struct ProjectDTO: Content, Equatable {
    struct Aim: Content, Equatable {
        let what: String
        let how_much: String
        let by_when: String
        let statement: String
    }

    struct PersonRef: Content, Equatable {
        let id: UUID
        let name: String
    }

    struct Member: Content, Equatable {
        let person_id: UUID
        let name: String
        let kind: PersonKind
        let role: String
        let is_lead: Bool
        let involvement: ServiceUserInvolvement
    }

    struct MeasureRef: Content, Equatable {
        let id: UUID
        let name: String
        let kind: MeasureKind
        let chart_type: String
        let frequency: DataFrequency
        let direction: String
        let target: Double?
        let chart_url: String
    }

    struct StoryRef: Content, Equatable {
        let id: UUID
        let title: String
        let publishable: Bool
    }

    let id: UUID
    let title: String
    let unit_id: UUID
    let unit_path: String
    let status: ProjectStatus
    let stage: ImprovementStage?
    let progress_score: Double?
    let what_matters: String
    let problem: String
    let aim: Aim
    /// The strategic priorities the project serves, by name, and their ids (in the same order) as
    /// `PUT` takes them.
    let priorities: [String]
    let priority_ids: [UUID]
    let partner_organisations: String?
    /// The programme the project is one team's part of, if any.
    let programme_id: UUID?
    let proposer: PersonRef
    let coach: PersonRef?
    let sponsor: PersonRef?
    let team: [Member]
    let driver_diagram: DriverDiagram
    let pdsa_cycles: [PDSACycleDTO]
    let measures: [MeasureRef]
    let stories: [StoryRef]
    /// Send it back with a `PUT` so that a change made meanwhile by someone else is refused (409)
    /// rather than overwritten.
    let version: Int
}

struct PDSACycleDTO: Content, Equatable {
    let id: UUID
    let change_idea_id: UUID
    let number: Int
    let status: PDSAStatus
    let objective: String
    let question: String
    let prediction: String
    let who: String
    let what: String
    let `where`: String
    let planned_start: String
    let planned_end: String?
    let started_on: String?
    let do_notes: String?
    let study_notes: String?
    let decision: PDSADecision?
    let act_notes: String?
    let measure_ids: [UUID]
}

/// `/api/v1/projects`: the same operations and validation as the project pages, as JSON.
enum ProjectAPIController {
    /// `?unit=ID` lists the projects of that unit and every unit below it; `?status=` narrows further.
    @Sendable static func index(req: Request) async throws -> [ProjectSummaryDTO] {
        let policy = try await req.policy(granting: .readOrganisation)
        var query = Project.query(on: req.db).sort(\.$title)
        if let unitID = try req.unitFilter("unit", in: policy.tree) {
            query = query.filter(\.$unit.$id ~~ Array(policy.tree.subtree(of: unitID)))
        }
        if let status = try req.choiceFilter("status", as: ProjectStatus.self, label: "a status") {
            query = query.filter(\.$status == status)
        }
        return try await query.all().map { project in
            .init(
                id: try project.requireID(), title: project.title, unit_id: project.$unit.id,
                unit_path: policy.tree.path(of: project.$unit.id), status: project.status, stage: project.stage,
                progress_score: project.progressScore, last_update_at: project.lastUpdateAt)
        }
    }

    @Sendable static func show(req: Request) async throws -> ProjectDTO {
        let policy = try await req.policy(granting: .readOrganisation)
        return try await ProjectDTO.query(id: try req.idParameter("projectID"), tree: policy.tree, on: req.db)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let draft = try req.content.decode(ProjectInput.self)
            .validate(
                in: policy.tree, priorities: try await PriorityChoices.forProject(on: req.db),
                programmes: try await ProgrammeOffer.forProject(on: req.db))
        let project = try await Project.propose(
            draft, proposer: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
        return try await ProjectDTO.query(id: try project.requireID(), tree: policy.tree, on: req.db)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> ProjectDTO {
        let (project, policy) = try await req.editableProject()
        var input = try req.content.decode(ProjectInput.self)
        // A client that does not send the programme (one written before projects had them) keeps it.
        if input.programme_id == nil { input.programme_id = project.$programme.id?.uuidString ?? "" }
        let draft = try input.validate(
            in: policy.tree, priorities: try await PriorityChoices.forProject(project, on: req.db),
            programmes: try await ProgrammeOffer.forProject(project, on: req.db))
        guard let version = input.version else { throw ValidationFailure.versionMissing(of: "project") }
        do {
            try await project.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
        } catch let conflict as EditConflict<Project> {
            throw conflict.refusal(of: "project", from: version)
        }
        return try await ProjectDTO.query(id: try project.requireID(), tree: policy.tree, on: req.db)
    }

    @Sendable static func addDriver(req: Request) async throws -> Response {
        try await addBox(req) { owner, diagram, actor in
            let valid = try req.content.decode(DriverInput.self).validate(in: diagram)
            let driver = try await owner.addDriver(valid, by: actor, on: req.db)
            return DriverDiagram.DriverBox(
                id: try driver.requireID(), level: driver.level, text: driver.text, primaryIDs: valid.primaryIDs)
        }
    }

    @Sendable static func addChangeIdea(req: Request) async throws -> Response {
        try await addBox(req) { owner, diagram, actor in
            let package = try await owner.changePackage(on: req.db)
            let valid = try req.content.decode(ChangeIdeaInput.self).validate(in: diagram, package: package)
            let idea = try await owner.addChangeIdea(valid, by: actor, on: req.db)
            return DriverDiagram.IdeaBox(idea, driverIDs: valid.driverIDs)
        }
    }

    /// Adds a box to the project's driver diagram, checked against the diagram as it stands, and
    /// answers 201 with the box as the diagram's JSON shows it.
    private static func addBox<Box: Content>(
        _ req: Request, add: (DiagramOwner, DriverDiagram, Actor) async throws -> Box
    ) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let diagram = try await DriverDiagram.load(for: project, on: req.db)
        return try await add(.project(project), diagram, policy.viewer.actor).encodeResponse(
            status: .created, for: req)
    }

    @Sendable static func planCycle(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let input = try req.content.decode(PDSAPlanInput.self)
        let cycle = try await project.planCycle(
            try await PDSAController.validate(input, for: project, on: req.db), by: policy.viewer.actor, on: req.db)
        try await cycle.$watchedMeasures.load(on: req.db)
        return try await PDSACycleDTO(cycle).encodeResponse(status: .created, for: req)
    }
}

extension PDSACycleDTO {
    /// Needs the watched measures loaded.
    init(_ cycle: PDSACycle) throws {
        self.init(
            id: try cycle.requireID(), change_idea_id: cycle.$changeIdea.id, number: cycle.number,
            status: cycle.status, objective: cycle.objective, question: cycle.question, prediction: cycle.prediction,
            who: cycle.who, what: cycle.what, where: cycle.place, planned_start: CalendarDay.text(cycle.plannedStart),
            planned_end: cycle.plannedEnd.map(CalendarDay.text), started_on: cycle.startedOn.map(CalendarDay.text),
            do_notes: cycle.doNotes, study_notes: cycle.studyNotes, decision: cycle.decision,
            act_notes: cycle.actNotes, measure_ids: cycle.watchedMeasures.compactMap(\.id))
    }
}

extension ProjectDTO {
    static func query(id: UUID, tree: UnitTree, on db: any Database) async throws -> ProjectDTO {
        let project = try await Project.withPeople(id: id, on: db)
        let diagram = try await DriverDiagram.load(for: project, on: db)
        let cycles = try await PDSACycle.query(on: db).filter(\.$project.$id == id).with(\.$watchedMeasures)
            .sort(\.$createdAt).sort(\.$number).all()
        let measures = try await Measure.inUse(byProject: id, on: db)
        let stories = try await Story.told(inProject: id, on: db)
        func person(_ person: Person?) -> PersonRef? {
            person.flatMap { person in person.id.map { PersonRef(id: $0, name: person.fullName) } }
        }
        return ProjectDTO(
            id: id, title: project.title, unit_id: project.$unit.id, unit_path: tree.path(of: project.$unit.id),
            status: project.status, stage: project.stage, progress_score: project.progressScore,
            what_matters: project.whatMatters, problem: project.problem,
            aim: .init(
                what: project.aimWhat, how_much: project.aimHowMuch, by_when: CalendarDay.text(project.aimByWhen),
                statement: project.aimStatement),
            priorities: project.priorities.sorted { $0.name < $1.name }.map(\.name),
            priority_ids: project.priorities.sorted { $0.name < $1.name }.compactMap(\.id),
            partner_organisations: project.partnerOrganisations, programme_id: project.$programme.id,
            proposer: person(project.proposer)!, coach: person(project.coach), sponsor: person(project.sponsor),
            team: project.team.map {
                .init(
                    person_id: $0.$person.id, name: $0.person.fullName, kind: $0.person.kind, role: $0.role,
                    is_lead: $0.isLead, involvement: $0.involvement)
            },
            driver_diagram: diagram,
            pdsa_cycles: try cycles.map(PDSACycleDTO.init),
            measures: try measures.map {
                let measureID = try $0.requireID()
                return .init(
                    id: measureID, name: $0.name, kind: $0.kind, chart_type: $0.chartType, frequency: $0.frequency,
                    direction: $0.direction, target: $0.target,
                    chart_url: SiteURL.api(.measureChart(.value(measureID))).relativeURL())
            },
            stories: try stories.map { .init(id: try $0.requireID(), title: $0.title, publishable: $0.isPublishable) },
            version: project.version)
    }
}
