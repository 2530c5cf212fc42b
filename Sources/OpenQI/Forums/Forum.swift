import Foundation

/// Which forum looks after a unit: each directorate has one; units outside any directorate go to
/// the forum of the organisation (or partner organisation) at the top of their tree.
extension UnitTree {
    func forumUnit(for unitID: UUID) -> UUID {
        let chain = selfAndAncestors(of: unitID)
        return chain.first { nodes[$0]?.kind == .directorate } ?? chain.last ?? unitID
    }

    /// The units that hold forums: every directorate, and every top-level unit.
    var forumUnits: [Node] {
        outline().map(\.node).filter { $0.kind == .directorate || $0.parentID == nil }
    }
}

/// The thresholds that put an active project on a forum's agenda for review.
enum ReviewThresholds {
    /// The progress score has not moved for three months.
    static let scoreStalled: TimeInterval = 91 * 24 * 3600
    /// Data are overdue when more than this many periods have passed since the latest one.
    static let periodsWithoutData = 2.0
}

/// How up to date a measure's data are, for the forum's "data overdue" review.
struct MeasureFreshness: Sendable, Equatable {
    let name: String
    let frequency: DataFrequency
    let latestPeriod: Date?
    let createdAt: Date?

    /// Two periods gone by without data (a weekly measure with nothing for a fortnight after its
    /// latest week), or no data six weeks after the measure was defined.
    func isOverdue(on date: Date) -> Bool {
        let day: TimeInterval = 24 * 3600
        if let latestPeriod {
            return date.timeIntervalSince(latestPeriod)
                > (ReviewThresholds.periodsWithoutData + 1) * frequency.days * day
        }
        return createdAt.map { date.timeIntervalSince($0) >= Stalled.noUpdateFor } ?? false
    }
}
