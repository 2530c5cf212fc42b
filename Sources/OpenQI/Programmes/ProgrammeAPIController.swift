import Fluent
import Foundation
import Vapor

/// A programme as the API lists it.
struct ProgrammeSummaryDTO: Content, Equatable {
    let id: UUID
    let name: String
    let stage: ProgrammeStage
    let unit_id: UUID
    let priority_id: UUID?
    let version: Int
}

/// A programme with its people, standard measures, teams and stage decisions.
struct ProgrammeDTO: Content, Equatable {
    struct Member: Content, Equatable {
        let person_id: UUID
        let name: String
        let role: ProgrammeRole
    }

    struct StandardRef: Content, Equatable {
        let id: UUID
        let name: String
        /// The version of its definition that teams' measures made from it now follow.
        let version: Int
    }

    struct Team: Content, Equatable {
        let project_id: UUID
        let title: String
        let unit_id: UUID
        let status: ProjectStatus
    }

    struct StageDecision: Content, Equatable {
        let from: ProgrammeStage
        let to: ProgrammeStage
        let decided_on: String
        let note: String
    }

    struct Session: Content, Equatable {
        struct Attendee: Content, Equatable {
            let project_id: UUID
            let person_id: UUID
        }

        struct Plan: Content, Equatable {
            let project_id: UUID
            let plan: String
        }

        let id: UUID
        let held_on: String
        let place: String
        let agenda: String?
        /// Who came, for which team.
        let attendance: [Attendee]
        /// What each team will test before the next session.
        let plans: [Plan]
    }

    let id: UUID
    let name: String
    let description: String?
    let aim: String?
    let stage: ProgrammeStage
    let unit_id: UUID
    let priority_id: UUID?
    let people: [Member]
    let standard_measures: [StandardRef]
    /// Every project proposed for the programme, whatever its status.
    let teams: [Team]
    /// Newest first.
    let stage_decisions: [StageDecision]
    /// By date.
    let learning_sessions: [Session]
    /// The change package: what drives the aim and the ideas teams adapt.
    let driver_diagram: DriverDiagram
    let version: Int
}

/// `/api/v1/programmes`: what the programmes' pages show, as JSON.
enum ProgrammeAPIController {
    @Sendable static func index(req: Request) async throws -> [ProgrammeSummaryDTO] {
        try await req.policy().require(.readOrganisation)
        return try await Programme.query(on: req.db).sort(\.$name).all().map { programme in
            .init(
                id: try programme.requireID(), name: programme.name, stage: programme.stage,
                unit_id: programme.$unit.id, priority_id: programme.$priority.id, version: programme.version)
        }
    }

    @Sendable static func show(req: Request) async throws -> ProgrammeDTO {
        try await req.policy().require(.readOrganisation)
        let id = try req.idParameter("programmeID")
        guard
            let programme = try await Programme.query(on: req.db).filter(\.$id == id).with(\.$measures)
                .with(\.$people, { $0.with(\.$person) }).first()
        else { throw NotFound("programme") }
        let teams = try await Project.query(on: req.db).filter(\.$programme.$id == id).sort(\.$title).all()
        let sessions = try await LearningSession.query(on: req.db).filter(\.$programme.$id == id)
            .with(\.$attendance).with(\.$plans).sort(\.$heldOn).all()
        let decisions = try await ProgrammeStageChange.query(on: req.db).filter(\.$programme.$id == id)
            .sort(\.$decidedOn, .descending).sort(\.$createdAt, .descending).all()
        let diagram = try await DriverDiagram.load(for: .programme(programme), on: req.db)
        return ProgrammeDTO(
            id: id, name: programme.name, description: programme.summary, aim: programme.aim, stage: programme.stage,
            unit_id: programme.$unit.id, priority_id: programme.$priority.id,
            people: programme.people.map { .init(person_id: $0.$person.id, name: $0.person.fullName, role: $0.role) }
                .sorted {
                    ($0.role.order, $0.name) < ($1.role.order, $1.name)
                },
            standard_measures: try programme.measures.sorted { $0.name < $1.name }.map {
                .init(id: try $0.requireID(), name: $0.name, version: $0.definitionVersion)
            },
            teams: try teams.map {
                .init(project_id: try $0.requireID(), title: $0.title, unit_id: $0.$unit.id, status: $0.status)
            },
            stage_decisions: decisions.map {
                .init(from: $0.from, to: $0.to, decided_on: CalendarDay.text($0.decidedOn), note: $0.note)
            },
            learning_sessions: try sessions.map { session in
                .init(
                    id: try session.requireID(), held_on: CalendarDay.text(session.heldOn), place: session.place,
                    agenda: session.agenda,
                    attendance: session.attendance.map { .init(project_id: $0.$team.id, person_id: $0.$person.id) }
                        .sorted {
                            ($0.project_id.uuidString, $0.person_id.uuidString) < (
                                $1.project_id.uuidString, $1.person_id.uuidString
                            )
                        },
                    plans: session.plans.map { .init(project_id: $0.$team.id, plan: $0.plan) }
                        .sorted { $0.project_id.uuidString < $1.project_id.uuidString })
            },
            driver_diagram: diagram, version: programme.version)
    }
}
