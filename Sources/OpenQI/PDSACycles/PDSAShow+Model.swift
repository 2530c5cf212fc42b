import Fluent
import Foundation
import Vapor

enum PDSAShow {
    struct RampStep: Sendable, Equatable {
        let id: UUID
        let number: Int
        let status: PDSAStatus
        let decision: PDSADecision?
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var number: Int
        var projectID: UUID
        var projectTitle: String
        var ideaID: UUID
        var ideaTitle: String
        var status: PDSAStatus
        var objective: String
        var question: String
        var prediction: String
        var who: String
        var what: String
        var place: String
        var plannedStart: Date
        var plannedEnd: Date?
        var startedOn: Date?
        var doNotes: String?
        var studyNotes: String?
        var decision: PDSADecision?
        var actNotes: String?
        var completedOn: Date?
        var watched: [MeasureSeries.Chart]
        var ramp: [RampStep]
        var canEdit: Bool
        var startForm: FormState
        var recordForm: FormState
        var actForm: FormState
    }
}

extension PDSAShow.Model {
    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard
            let cycle = try await PDSACycle.query(on: db).filter(\.$id == id).with(\.$changeIdea)
                .with(\.$watchedMeasures).first(),
            let project = try await Project.withTeam(id: cycle.$project.id, on: db)
        else { throw NotFound("PDSA cycle") }
        let ramp = try await PDSACycle.query(on: db).filter(\.$changeIdea.$id == cycle.$changeIdea.id)
            .sort(\.$number).all()
        let watched = try await MeasureSeries.charts(
            of: cycle.watchedMeasures.sorted(by: { $0.name < $1.name }), width: 560, height: 280,
            idPrefix: "watched", on: db)
        return .init(
            id: id, number: cycle.number, projectID: try project.requireID(), projectTitle: project.title,
            ideaID: cycle.$changeIdea.id, ideaTitle: cycle.changeIdea.title, status: cycle.status,
            objective: cycle.objective, question: cycle.question, prediction: cycle.prediction, who: cycle.who,
            what: cycle.what, place: cycle.place, plannedStart: cycle.plannedStart, plannedEnd: cycle.plannedEnd,
            startedOn: cycle.startedOn, doNotes: cycle.doNotes, studyNotes: cycle.studyNotes,
            decision: cycle.decision, actNotes: cycle.actNotes, completedOn: cycle.completedOn, watched: watched,
            ramp: try ramp.map {
                .init(id: try $0.requireID(), number: $0.number, status: $0.status, decision: $0.decision)
            },
            canEdit: policy.allows(.editProject(project.access)),
            startForm: PDSAStartInput(cycle).formState, recordForm: PDSARecordInput(cycle).formState,
            actForm: PDSAActInput(cycle).formState)
    }
}
