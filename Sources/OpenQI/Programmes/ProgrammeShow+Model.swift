import Fluent
import Foundation

/// A programme's page: where it stands, who runs it, what every team counts, the teams, and each
/// stage decision.
enum ProgrammeShow {
    struct Person: Sendable, Equatable {
        /// The membership, for taking it away.
        let memberID: UUID
        let personID: UUID
        let name: String
        let role: ProgrammeRole
    }

    struct StandardRow: Sendable, Equatable {
        let id: UUID
        let name: String
        let version: Int
    }

    struct StageDecision: Sendable, Equatable {
        let from: ProgrammeStage
        let to: ProgrammeStage
        let decidedOn: Date
        let note: String
        let decidedBy: String?
    }

    struct SessionRow: Sendable, Equatable {
        let id: UUID
        let number: Int
        let heldOn: Date
        let place: String
        /// Teams with someone there.
        let teamsCame: Int
        let plans: Int
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var name: String
        var summary: String?
        var aim: String?
        var unitPath: String
        var priority: String?
        var stage: ProgrammeStage
        var version: Int
        var people: [Person]
        var measures: [StandardRow]
        var teams: [ProjectRow]
        /// Proposals for the programme waiting for their forums.
        var proposed: [ProjectRow]
        var history: [StageDecision]
        var sessions: [SessionRow]
        /// What it lacks before it may deliver, while that is still ahead.
        var missingToDeliver: [String]
        var canManage: Bool
        /// Starts with today as the day decided.
        var stageForm = FormState(values: ["decided_on": CalendarDay.text(AppClock.now)])
        var personForm = FormState()
        /// People a search found, to choose from.
        var personChoices: [FormField.Option] = []
        /// Planning the next learning session: eight weeks after the last, by default.
        var sessionForm = FormState()
    }
}

extension ProgrammeShow.Model {
    /// The statuses of a team its forum let into the programme.
    static let joined: [ProjectStatus] = [.approved, .active, .completed, .stopped]

    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard
            let programme = try await Programme.query(on: db).filter(\.$id == id).with(\.$priority)
                .with(\.$measures).with(\.$people, { $0.with(\.$person) }).first()
        else { throw NotFound("programme") }
        let projects = try await Project.query(on: db).filter(\.$programme.$id == id).sort(\.$title).all()
        let history = try await ProgrammeStageChange.query(on: db).filter(\.$programme.$id == id)
            .with(\.$decidedBy).sort(\.$decidedOn, .descending).sort(\.$createdAt, .descending).all()
        let sessions = try await LearningSession.query(on: db).filter(\.$programme.$id == id).with(\.$attendance)
            .with(\.$plans).sort(\.$heldOn).all()
        let nextSession = sessions.last.map { $0.heldOn.addingTimeInterval(56 * 24 * 3600) } ?? AppClock.now
        let stagesBeforeDelivery: Set<ProgrammeStage> = [.scope, .design, .recruit]
        let rows = try projects.map { try ProjectRow($0, id: $0.requireID(), tree: policy.tree) }
        return .init(
            id: id, name: programme.name, summary: programme.summary, aim: programme.aim,
            unitPath: policy.tree.path(of: programme.$unit.id), priority: programme.priority?.name,
            stage: programme.stage, version: programme.version,
            people: try programme.people.map { member in
                .init(
                    memberID: try member.requireID(), personID: member.$person.id, name: member.person.fullName,
                    role: member.role)
            }.sorted {
                ($0.role.order, $0.name) < ($1.role.order, $1.name)
            },
            measures: try programme.measures.sorted { $0.name < $1.name }.map {
                .init(id: try $0.requireID(), name: $0.name, version: $0.definitionVersion)
            },
            teams: rows.filter { Self.joined.contains($0.status) },
            proposed: rows.filter(\.status.isProposal),
            history: history.map {
                .init(
                    from: $0.from, to: $0.to, decidedOn: $0.decidedOn, note: $0.note, decidedBy: $0.decidedBy?.fullName)
            },
            sessions: try sessions.enumerated().map { index, session in
                .init(
                    id: try session.requireID(), number: index + 1, heldOn: session.heldOn, place: session.place,
                    teamsCame: Set(session.attendance.map(\.$team.id)).count, plans: session.plans.count)
            },
            missingToDeliver: stagesBeforeDelivery.contains(programme.stage)
                ? try await programme.missingToDeliver(on: db).map(\.message) : [],
            canManage: policy.allows(.manageProgramme(programme.access)),
            sessionForm: FormState(values: ["held_on": CalendarDay.text(nextSession)]))
    }
}
