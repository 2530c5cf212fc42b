import Fluent
import Foundation
import Plot
import SQLKit

/// How far one of a programme's change ideas has got in one team, read from the PDSA cycles of the
/// team's ideas that adapt it.
enum SpreadState: Int, Sendable, Equatable, Comparable, CaseIterable {
    case notStarted, abandoned, testing, adopted

    var label: String {
        switch self {
        case .notStarted: "Not started"
        case .abandoned: "Abandoned"
        case .testing: "Testing"
        case .adopted: "Adopted"
        }
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The state once the team's project has closed (if it has): testing becomes abandoned.
    func closing(_ closed: Bool) -> SpreadState { closed && self == .testing ? .abandoned : self }

    /// One idea's ramp, in the order of its cycles, read from its last cycle: under way is testing
    /// (or adopted, if an earlier cycle adopted it and this one spreads it); otherwise its
    /// decision. A last cycle that ended without a decision (its project closed) leaves the idea
    /// as the last decision had it, or let go: abandoned.
    static func of(_ ramp: [(status: PDSAStatus, decision: PDSADecision?)]) -> SpreadState {
        guard let last = ramp.last else { return .notStarted }
        let lastDecision = ramp.last { $0.decision != nil }?.decision
        if last.status != .complete { return lastDecision == .adopt ? .adopted : .testing }
        switch last.decision {
        case .adopt: return .adopted
        case .abandon: return .abandoned
        case .adapt: return .testing
        case nil: return lastDecision == .adopt ? .adopted : .abandoned
        }
    }
}

/// The spread matrix: the programme's teams against its change ideas, each cell how far the team
/// has got with the idea (the furthest of its ideas adapting it: adopted, then testing, then
/// abandoned).
struct SpreadMatrix: Sendable, Equatable {
    struct Idea: Sendable, Equatable {
        let id: UUID
        let title: String
    }

    struct Row: Sendable, Equatable {
        let team: ProjectRow
        /// One per idea, in the order of `ideas`.
        let states: [SpreadState]
    }

    let ideas: [Idea]
    let rows: [Row]

    /// How many teams have reached `state` on each idea, in the order of `ideas`.
    func count(_ state: SpreadState) -> [Int] {
        ideas.indices.map { index in rows.filter { $0.states[index] == state }.count }
    }

    static func query(programme id: UUID, teams: [ProjectRow], on db: any Database) async throws -> SpreadMatrix {
        let package = try await ChangeIdea.query(on: db).filter(\.$programme.$id == id).sort(\.$position).all()
            .compactMap { idea in idea.id.map { Idea(id: $0, title: idea.title) } }
        guard !package.isEmpty, !teams.isEmpty else { return SpreadMatrix(ideas: package, rows: []) }
        // Each of the teams' ideas adapting the programme's, with its cycles in order: only the
        // columns the state needs (a programme of 200 teams has thousands of cycles, and reading
        // each as a whole model was a sixth of drawing its dashboard).
        struct Step: Decodable {
            let own: UUID
            let team: UUID
            let adapts: UUID
            let project_status: String
            let status: String?
            let decision: String?
        }
        let steps = try await db.sql.raw(
            """
            SELECT ci.id AS own, ci.project_id AS team, ci.adapted_from_id AS adapts, \
            CAST(p.status AS TEXT) AS project_status, \
            CAST(pc.status AS TEXT) AS status, CAST(pc.decision AS TEXT) AS decision \
            FROM change_ideas ci JOIN projects p ON p.id = ci.project_id \
            JOIN change_ideas adapted ON adapted.id = ci.adapted_from_id \
            LEFT JOIN pdsa_cycles pc ON pc.change_idea_id = ci.id \
            WHERE p.programme_id = \(bind: id) AND adapted.programme_id = \(bind: id) \
            ORDER BY ci.id, pc.number
            """
        ).all(decoding: Step.self)
        let teamIDs = Set(teams.map(\.id))
        // Each team's furthest state on each of the programme's ideas.
        var reached: [UUID: [UUID: SpreadState]] = [:]
        for (_, ramp) in Dictionary(grouping: steps.filter { teamIDs.contains($0.team) }, by: \.own) {
            guard let first = ramp.first else { continue }
            let cycles = ramp.compactMap { step in
                step.status.flatMap { PDSAStatus(rawValue: $0) }.map {
                    (status: $0, decision: step.decision.flatMap { PDSADecision(rawValue: $0) })
                }
            }
            // A team whose project has closed is testing nothing any more: what it had not
            // adopted it let go.
            let closed = [ProjectStatus.completed.rawValue, ProjectStatus.stopped.rawValue].contains(
                first.project_status)
            let state = SpreadState.of(cycles).closing(closed)
            reached[first.team, default: [:]][first.adapts] = max(
                reached[first.team]?[first.adapts] ?? .notStarted, state)
        }
        return SpreadMatrix(
            ideas: package,
            rows: teams.map { team in
                Row(team: team, states: package.map { reached[team.id]?[$0.id] ?? .notStarted })
            })
    }
}

extension Node where Context == HTML.BodyContext {
    /// The spread matrix as a table: a row per team, a column per change idea, the furthest each
    /// team has got in words (and colour), and how many teams have adopted each idea.
    static func spreadMatrix(_ matrix: SpreadMatrix, diagramURL: String) -> Node {
        guard !matrix.ideas.isEmpty else {
            return .p(
                .class("empty"),
                .text("The programme has no change ideas yet: "),
                .a(.href(diagramURL), .text("draw its driver diagram")),
                .text(" so teams can say which they adapt."))
        }
        guard !matrix.rows.isEmpty else { return .p(.class("empty"), .text("No team has joined yet.")) }
        let adopted = matrix.count(.adopted)
        return .scrollingTable(
            .caption(
                .class("visually-hidden"),
                .text("How far each team has got with each of the programme’s change ideas")),
            .thead(
                .tr(
                    .th(.scope("col"), .text("Team")),
                    .forEach(matrix.ideas) { .th(.scope("col"), .text($0.title)) })),
            .tbody(
                .forEach(matrix.rows) { row in
                    .tr(
                        .th(.scope("row"), .a(.href(row.team.url), .text(row.team.title))),
                        .forEach(row.states) { state in
                            .td(.class("spread \(String(describing: state))"), .text(state.label))
                        })
                }),
            .tfoot(
                .tr(
                    .th(.scope("row"), .text("Adopted")),
                    .forEach(adopted) { .td(.class("number"), .text("\($0) of \(matrix.rows.count)")) })))
    }
}
