import Charts
import Fluent
import Foundation
import SQLKit
import Vapor

/// A project's, a programme's or an annual plan's driver diagram as one value: aim → primary drivers → secondary drivers → change ideas.
/// The levels keep it acyclic: a secondary driver hangs off primaries, a change idea off drivers.
/// The API sends it as it is (`DriverDiagram`, `Driver` and `ChangeIdea` in openapi.json), under
/// the API's snake_case names.
struct DriverDiagram: Content, Equatable {
    struct DriverBox: Content, Equatable {
        let id: UUID
        let level: DriverLevel
        let text: String
        /// For a secondary driver, the primary drivers it moves.
        let primaryIDs: [UUID]
        /// The version the editor's form begins from; not sent by the API, which edits no box.
        var version = 1

        private enum CodingKeys: String, CodingKey {
            case id, level, text
            case primaryIDs = "primary_ids"
        }
    }

    struct IdeaBox: Content, Equatable {
        let id: UUID
        let title: String
        let summary: String?
        let driverIDs: [UUID]
        /// For a team's idea, the programme's change idea it adapts.
        var adaptedFromID: UUID? = nil
        /// The version the editor's form begins from; not sent by the API, which edits no box.
        var version = 1

        private enum CodingKeys: String, CodingKey {
            case id, title
            case summary = "description"
            case driverIDs = "driver_ids"
            case adaptedFromID = "adapted_from_id"
        }

        init(id: UUID, title: String, summary: String?, driverIDs: [UUID], adaptedFromID: UUID? = nil, version: Int = 1)
        {
            self.id = id
            self.title = title
            self.summary = summary
            self.driverIDs = driverIDs
            self.adaptedFromID = adaptedFromID
            self.version = version
        }

        init(_ idea: ChangeIdea, driverIDs: [UUID]) {
            self.init(
                id: idea.id!, title: idea.title, summary: idea.summary, driverIDs: driverIDs,
                adaptedFromID: idea.$adaptedFrom.id, version: idea.version)
        }
    }

    let aim: String
    let drivers: [DriverBox]
    let ideas: [IdeaBox]

    private enum CodingKeys: String, CodingKey {
        case aim, drivers
        case ideas = "change_ideas"
    }

    var primaries: [DriverBox] { drivers.filter { $0.level == .primary } }
    var secondaries: [DriverBox] { drivers.filter { $0.level == .secondary } }
    var isEmpty: Bool { drivers.isEmpty && ideas.isEmpty }

    func driver(_ id: UUID) -> DriverBox? { drivers.first { $0.id == id } }

    static func load(for project: Project, on db: any Database) async throws -> DriverDiagram {
        try await load(for: .project(project), on: db)
    }

    static func load(for owner: DiagramOwner, on db: any Database) async throws -> DriverDiagram {
        let drivers = try await owner.drivers(on: db).with(\.$primaries).sort(\.$position).all()
        let ideas = try await owner.ideas(on: db).with(\.$drivers).sort(\.$position).all()
        return try assembled(aim: owner.aim, drivers: drivers, ideas: ideas)
    }

    /// Many plans' diagrams, in the plans' order, in four queries rather than four a plan (the
    /// strategy's API sends every plan's).
    static func load(forPlans plans: [AnnualPlan], on db: any Database) async throws -> [DriverDiagram] {
        let ids = try plans.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let drivers = Dictionary(
            grouping: try await Driver.query(on: db).filter(\.$plan.$id ~~ ids).with(\.$primaries)
                .sort(\.$position).all(), by: \.$plan.id)
        let ideas = Dictionary(
            grouping: try await ChangeIdea.query(on: db).filter(\.$plan.$id ~~ ids).with(\.$drivers)
                .sort(\.$position).all(), by: \.$plan.id)
        return try zip(plans, ids).map { plan, id in
            try assembled(aim: DiagramOwner.plan(plan).aim, drivers: drivers[id] ?? [], ideas: ideas[id] ?? [])
        }
    }

    /// The diagram of one owner's drivers (with their primaries) and change ideas (with their
    /// drivers), each in its order.
    private static func assembled(aim: String, drivers: [Driver], ideas: [ChangeIdea]) throws -> DriverDiagram {
        DriverDiagram(
            aim: aim,
            drivers: try drivers.map { driver in
                DriverBox(
                    id: try driver.requireID(), level: driver.level, text: driver.text,
                    primaryIDs: driver.primaries.compactMap(\.id), version: driver.version)
            },
            ideas: ideas.map { IdeaBox($0, driverIDs: $0.drivers.compactMap(\.id)) })
    }

    func chart(width: Double = 960, idPrefix: String = "driver-diagram") -> DriverDiagramChart {
        DriverDiagramChart(
            aim: aim,
            primary: primaries.map { .init(id: $0.id.uuidString, text: $0.text) },
            secondary: secondaries.map { .init(id: $0.id.uuidString, text: $0.text) },
            changeIdeas: ideas.map { .init(id: $0.id.uuidString, text: $0.title) },
            links: secondaries.flatMap { secondary in
                secondary.primaryIDs.map { .init(from: $0.uuidString, to: secondary.id.uuidString) }
            }
                + ideas.flatMap { idea in
                    idea.driverIDs.map { .init(from: $0.uuidString, to: idea.id.uuidString) }
                },
            width: width, idPrefix: idPrefix)
    }

    /// Boxes that would be left hanging if `driverID` went: secondaries whose only primary it is, and
    /// change ideas whose only driver it is.
    func dependentsOnlyOn(_ driverID: UUID) -> [String] {
        secondaries.filter { $0.primaryIDs == [driverID] }.map(\.text)
            + ideas.filter { $0.driverIDs == [driverID] }.map(\.title)
    }
}

extension ChangeIdea {
    /// For each of a programme's change ideas, the teams its forum let into that programme whose
    /// own ideas adapt it (a team with two such ideas counts once; a proposal, or a team that
    /// left the programme, not at all).
    static func adaptingTeams(of programmeIdeas: [UUID], on db: any Database) async throws -> [UUID: Set<UUID>] {
        guard !programmeIdeas.isEmpty else { return [:] }
        // Only the two columns counted: a programme of 200 teams has thousands of adapting ideas.
        struct Row: Decodable {
            let idea: UUID
            let team: UUID
        }
        let joined = SQLList(ProgrammeShow.Model.joined.map { SQLBind($0.rawValue) })
        let rows = try await db.sql.raw(
            """
            SELECT DISTINCT own.adapted_from_id AS idea, p.id AS team \
            FROM change_ideas own JOIN projects p ON p.id = own.project_id \
            JOIN change_ideas adapted ON adapted.id = own.adapted_from_id \
            WHERE own.adapted_from_id IN (\(SQLList(programmeIdeas.map { SQLBind($0) }))) \
            AND p.programme_id = adapted.programme_id AND CAST(p.status AS TEXT) IN (\(joined))
            """
        ).all(decoding: Row.self)
        return rows.reduce(into: [:]) { teams, row in teams[row.idea, default: []].insert(row.team) }
    }
}
