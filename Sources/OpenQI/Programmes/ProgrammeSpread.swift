import Fluent
import Foundation
import Plot

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
        let adapting = try await ChangeIdea.query(on: db).filter(\.$adaptedFrom.$id ~~ package.map(\.id))
            .filter(\.$project.$id ~~ teams.map(\.id)).all()
        let cycles = try await PDSACycle.query(on: db).filter(\.$changeIdea.$id ~~ adapting.compactMap(\.id))
            .sort(\.$number).all()
        let ramps = Dictionary(grouping: cycles, by: \.$changeIdea.id)
        // Each team's furthest state on each of the programme's ideas.
        var reached: [UUID: [UUID: SpreadState]] = [:]
        for idea in adapting {
            guard let ideaID = idea.id, let team = idea.$project.id, let from = idea.$adaptedFrom.id else { continue }
            let state = SpreadState.of((ramps[ideaID] ?? []).map { ($0.status, $0.decision) })
            reached[team, default: [:]][from] = max(reached[team]?[from] ?? .notStarted, state)
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
