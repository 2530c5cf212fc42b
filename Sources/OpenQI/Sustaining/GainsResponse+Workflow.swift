import Fluent
import Foundation

extension Project {
    /// Records what is being done about one slipping signal on the project's outcome measures,
    /// audited under the project, and returns the signal answered. The signal must still be
    /// slipping and be the one the person saw: if the chart has moved on (another signal, or
    /// someone answered it first), nothing is saved and the message says what changed. Two answers
    /// at once take turns on the measure's row, so the second sees the first.
    @discardableResult
    func answerSlippingGains(
        _ input: GainsResponseInput.Valid, recordedBy personID: UUID, by actor: Actor, on db: any Database
    ) async throws -> SlippingGains.Signal {
        let projectID = try requireID()
        return try await db.transaction { db in
            guard
                let measure = try await Measure.query(on: db).filter(\.$id == input.measureID)
                    .filter(\.$project.$id == projectID).first()
            else {
                throw ValidationFailure(field: "signal", message: "Choose one of this project’s outcome measures.")
            }
            try await measure.holdForWriting(on: db)
            let signals = try await SlippingGains.signals(where: "p.id = \(bind: projectID)", on: db)
            guard let signal = signals.first(where: { $0.measureID == input.measureID }) else {
                throw ValidationFailure(
                    field: "signal",
                    message:
                        "The gains of “\(measure.name)” are not slipping now: someone may have recorded what is being done already. Nothing was saved."
                )
            }
            guard signal.from == input.signalFrom else {
                throw ValidationFailure(
                    field: "signal",
                    message:
                        "The chart of “\(signal.measureName)” changed since this page was opened: the signal now begins on \(signal.from.label). Read it again, then record what is being done."
                )
            }
            let response = GainsResponse()
            response.$project.id = projectID
            response.$measure.id = signal.measureID
            response.signalFrom = signal.from.date
            response.signalTo = signal.to.date
            response.coversUntil = SlippingGains.coverage(of: signal, frequency: measure.frequency).date
            response.action = input.action
            response.$recordedBy.id = personID
            response.recordedAt = AppClock.now
            try await response.create(on: db)
            try await ProjectPartAudit(
                kind: "gains_response", id: response.id, name: "Gains slipping on \(signal.measureName)",
                project: self,
                auditFields: [
                    "measure": signal.measureName, "signal": signal.described, "action": input.action,
                ]
            ).recordAudit(.create, by: actor, on: db)
            return signal
        }
    }
}
