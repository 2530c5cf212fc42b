/// Where a project is in its life: proposed to a forum, decided, run, closed.
///
///     draft → proposed → in review → approved | declined | deferred → active → completed | stopped
package enum ProjectStatus: String, Codable, CaseIterable, FormChoice, Sendable {
    case draft, proposed
    case inReview = "in_review"
    case approved, declined, deferred, active, completed, stopped

    var label: String {
        switch self {
        case .draft: "Draft"
        case .proposed: "Proposed"
        case .inReview: "In review"
        case .approved: "Approved"
        case .declined: "Declined"
        case .deferred: "Deferred"
        case .active: "Active"
        case .completed: "Completed"
        case .stopped: "Stopped"
        }
    }

    /// A team still edits the proposal while it is a draft or has been sent back.
    var isProposal: Bool { [.draft, .proposed, .inReview, .deferred].contains(self) }

    /// Running: takes updates, PDSA cycles and data.
    var isOpen: Bool { self == .active || self == .approved }

    /// A draft, or a proposal the forum sent back, goes (again) to the forum.
    var canBeSubmitted: Bool { self == .draft || self == .deferred }

    /// With the forum: submitted, being reviewed, or deferred to a later meeting.
    var awaitsDecision: Bool { Self.awaitingDecision.contains(self) }
    static let awaitingDecision: [Self] = [.proposed, .inReview, .deferred]

    /// Approved once: the team reports its progress, until and after it closes.
    var takesUpdates: Bool { !isProposal && self != .declined }

    /// Completed or stopped, with its learning.
    var isClosed: Bool { self == .completed || self == .stopped }
}

/// ELFT's sequence of improvement, which an active project moves through.
package enum ImprovementStage: String, Codable, CaseIterable, Sendable {
    case understand
    case strategy
    case test
    case implement
    case sustain

    var label: String {
        switch self {
        case .understand: "Understand the problem"
        case .strategy: "Develop strategy and change ideas"
        case .test: "Test (PDSA cycles)"
        case .implement: "Implement"
        case .sustain: "Sustain and spread"
        }
    }
}

/// How much service users and carers on a team take part (ELFT found projects with full partners
/// 2.8 times more likely to achieve their aim).
package enum ServiceUserInvolvement: String, Codable, CaseIterable, FormChoice, Sendable {
    case none
    case occasional
    case fullPartner = "full_partner"

    var label: String {
        switch self {
        case .none: "Not involved"
        case .occasional: "Consulted occasionally"
        case .fullPartner: "Full partner"
        }
    }
}

/// The IHI progress score of a project, 0.5 (intent to participate) to 5.0 (outstanding
/// sustainable results), in half steps.
struct ProgressScore: RawRepresentable, Codable, Hashable, Comparable, Sendable, CaseIterable {
    let rawValue: Double

    init?(rawValue: Double) {
        guard (0.5...5.0).contains(rawValue), (rawValue * 2).rounded() == rawValue * 2 else { return nil }
        self.rawValue = rawValue
    }

    static let allCases: [ProgressScore] = stride(from: 0.5, through: 5.0, by: 0.5).compactMap(
        ProgressScore.init(rawValue:))

    /// The IHI scale's words for each score.
    var label: String {
        switch rawValue {
        case 0.5: "Intent to participate"
        case 1.0: "Forming team"
        case 1.5: "Planning for the project has begun"
        case 2.0: "Activity, but no changes"
        case 2.5: "Changes tested, but no improvement"
        case 3.0: "Modest improvement"
        case 3.5: "Improvement"
        case 4.0: "Significant improvement"
        case 4.5: "Sustainable improvement"
        default: "Outstanding sustainable results"
        }
    }

    /// "3.5" as typed and shown.
    var text: String { rawValue == rawValue.rounded() ? "\(Int(rawValue)).0" : "\(rawValue)" }

    static func < (lhs: ProgressScore, rhs: ProgressScore) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Whether a completed project achieved its aim.
package enum AimAchieved: String, Codable, CaseIterable, FormChoice, Sendable {
    case yes, partly, no

    var label: String {
        switch self {
        case .yes: "Yes"
        case .partly: "Partly"
        case .no: "No"
        }
    }
}
