import Charts
import Fluent
import Foundation
import Plot
import SPC
import SQLKit

/// The organisation's standard measures: what each counts, and how many measures follow it.
enum StandardMeasureIndex {
    struct Row: Sendable, Equatable {
        let id: UUID
        let name: String
        let kind: MeasureKind
        let frequency: DataFrequency
        let version: Int
        let isArchived: Bool
        /// Measures made from it.
        let followers: Int
    }

    struct Model: Sendable, Equatable {
        var rows: [Row]
        var canManage: Bool
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Standard measures" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Strategy", url: SiteURL.strategy(.show).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("Standard measures")),
                    .if(
                        model.canManage,
                        .a(
                            .class("button secondary"), .href(SiteURL.standardMeasures(.new).relativeURL()),
                            .text("Add a standard measure")))),
                .p(
                    .class("lead"),
                    .text(
                        "Measures defined once for the whole organisation, so that every team and ward counting one counts the same thing the same way. Teams add a measure from one on their project’s or unit’s page."
                    )),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("No standard measures yet."))
                    : .scrollingTable(
                        .caption(.text("\(model.rows.count) standard measure\(model.rows.count == 1 ? "" : "s")")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Standard measure")), .th(.scope("col"), .text("Kind")),
                                .th(.scope("col"), .text("Collected")), .th(.scope("col"), .text("Version")),
                                .th(.scope("col"), .class("number"), .text("Measures made from it")))),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    .class(row.isArchived ? "archived" : ""),
                                    .th(
                                        .scope("row"),
                                        .a(
                                            .href(SiteURL.standardMeasures(.show(.value(row.id))).relativeURL()),
                                            .text(row.name)),
                                        .if(row.isArchived, .span(.class("tag muted"), .text("Archived")))),
                                    .td(.text(row.kind.label)), .td(.text(row.frequency.label)),
                                    .td(.text(String(row.version))),
                                    .td(.class("number"), .text(String(row.followers))))
                            }))
            )
        }
    }
}

extension StandardMeasureIndex.Model {
    static func query(policy: Policy, on db: any Database) async throws -> Self {
        struct Followers: Decodable {
            let id: UUID
            let n: Int
        }
        // Counted by the database: the demo's wards alone make hundreds of followers.
        let followers = Dictionary(
            uniqueKeysWithValues: try await db.sql.raw(
                """
                SELECT standard_id AS id, COUNT(*) AS n FROM measures
                WHERE standard_id IS NOT NULL AND archived_at IS NULL GROUP BY standard_id
                """
            ).all(decoding: Followers.self).map { ($0.id, $0.n) })
        let standards = try await StandardMeasure.query(on: db).sort(\.$name).all()
        return .init(
            rows: try standards.map { standard in
                let id = try standard.requireID()
                return .init(
                    id: id, name: standard.name, kind: standard.kind, frequency: standard.frequency,
                    version: standard.definitionVersion, isArchived: standard.isArchived,
                    followers: followers[id] ?? 0)
            }.sorted { !$0.isArchived && $1.isArchived },
            canManage: policy.allows(.manageStandardMeasures))
    }
}

/// One standard measure: its whole definition, and the measures made from it with the version
/// each follows.
enum StandardMeasureShow {
    struct Follower: Sendable, Equatable {
        let id: UUID
        let name: String
        /// The project or unit it belongs to.
        let owner: String
        let version: Int
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        /// What it counts and how its chart reads, as its form checked it.
        var standard: MeasureInput.Valid
        var version: Int
        var isArchived: Bool
        var followers: [Follower]
        var canManage: Bool
    }

    final class View: ModelPage<Model> {
        private var standard: MeasureInput.Valid { model.standard }

        override func pageTitle() -> String { standard.name }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Strategy", url: SiteURL.strategy(.show).relativeURL()),
                .init(label: "Standard measures", url: SiteURL.standardMeasures(.index).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(
                        .text(standard.name), .span(.class("tag"), .text("Version \(model.version)")),
                        .if(model.isArchived, .span(.class("tag muted"), .text("Archived")))),
                    .if(model.canManage, actions())),
                .dl(
                    .class("details"),
                    .dt(.text("Operational definition")), .dd(.text(standard.definition)),
                    .dt(.text("Kind")), .dd(.text(standard.kind.label)),
                    .dt(.text("Unit of measure")), .dd(.text(standard.unitOfMeasure ?? "None given")),
                    .dt(.text("Collected")), .dd(.text(standard.frequency.label)),
                    .dt(.text("Chart")), .dd(.text(Describe.chartName(standard.chart))),
                    .dt(.text("Rules")), .dd(.text(standard.rules.label)),
                    .dt(.text("Better is")), .dd(.text(standard.direction.label)),
                    .dt(.text("Target")), .dd(.text(standard.target.map { Describe.plain($0) } ?? "None")),
                    .dt(.text("Values multiplied by")), .dd(.text(Describe.plain(standard.multiply)))),
                .section(
                    .h2(.text("Measures made from it (\(model.followers.count))")),
                    model.followers.isEmpty
                        ? .p(.class("empty"), .text("No measure is made from it yet."))
                        : .ul(
                            .forEach(model.followers) { follower in
                                .li(
                                    .a(
                                        .href(SiteURL.measures(.show(.value(follower.id))).relativeURL()),
                                        .text(follower.name)),
                                    .text(" — \(follower.owner)"),
                                    follower.version == model.version
                                        ? .span(.class("tag"), .text("Follows version \(follower.version)"))
                                        : .span(
                                            .class("tag concern"),
                                            .text("Follows version \(follower.version): not yet this one")))
                            }))
            )
        }

        private func actions() -> Node<HTML.BodyContext> {
            .div(
                .class("actions"),
                .a(
                    .class("button secondary"),
                    .href(SiteURL.standardMeasures(.edit(.value(model.id))).relativeURL()),
                    .text("Change the definition")),
                .postButton(
                    model.isArchived ? "Restore" : "Archive",
                    to: SiteURL.standardMeasures(
                        model.isArchived ? .restore(.value(model.id)) : .archive(.value(model.id))
                    ).relativeURL(), csrfToken: context.csrfToken))
        }
    }
}

extension StandardMeasureShow.Model {
    static func query(_ standard: StandardMeasure, policy: Policy, on db: any Database) async throws -> Self {
        let id = try standard.requireID()
        let followers = try await Measure.query(on: db).filter(\.$standard.$id == id).filter(\.$archivedAt == nil)
            .with(\.$project).sort(\.$name).all()
        return .init(
            id: id, standard: MeasureInput.Valid(standard), version: standard.definitionVersion,
            isArchived: standard.isArchived,
            followers: try followers.map { measure in
                .init(
                    id: try measure.requireID(), name: measure.name,
                    owner: measure.project?.title ?? policy.tree.path(of: measure.$unit.id),
                    version: measure.standardVersion ?? standard.definitionVersion)
            },
            canManage: policy.allows(.manageStandardMeasures))
    }
}
