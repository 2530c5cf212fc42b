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
    /// No update for six weeks.
    static let updateOverdue: TimeInterval = 42 * 24 * 3600
    /// The progress score has not moved for three months.
    static let scoreStalled: TimeInterval = 91 * 24 * 3600
}
