import Fluent
import Foundation

/// A completed project's sustaining of its gains, as its page shows it: the outcome measures whose
/// gains are slipping now, and what has been recorded as being done about earlier signals.
struct ProjectGains: Sendable, Equatable {
    struct Answer: Sendable, Equatable {
        let measureName: String
        let signalFrom: CalendarDay
        let action: String
        let recordedBy: String
        let recordedAt: Date
    }

    var slipping: [SlippingGains.Signal] = []
    /// Newest first.
    var answers: [Answer] = []
    /// What was typed into the answer form that could not be saved.
    var form = FormState()

    var isEmpty: Bool { slipping.isEmpty && answers.isEmpty }

    /// Only a completed project is watched; the answers stay with it.
    static func query(projectID: UUID, status: ProjectStatus, on db: any Database) async throws -> Self {
        guard status == .completed else { return .init() }
        let answers = try await GainsResponse.query(on: db).filter(\.$project.$id == projectID)
            .with(\.$measure).with(\.$recordedBy).sort(\.$recordedAt, .descending).all()
        return .init(
            slipping: try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: db),
            answers: answers.map {
                .init(
                    measureName: $0.measure.name, signalFrom: CalendarDay(containing: $0.signalFrom),
                    action: $0.action, recordedBy: $0.recordedBy.fullName, recordedAt: $0.recordedAt)
            })
    }
}
