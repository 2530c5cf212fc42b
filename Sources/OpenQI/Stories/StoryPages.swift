import Fluent
import Foundation
import Plot
import Vapor

/// A story as the reader sees it: the Markdown rendered, with its charts live from the data.
enum StoryShow {
    struct Model: Sendable, Equatable {
        var id: UUID
        var title: String
        var projectID: UUID
        var projectTitle: String
        var author: String
        var updatedAt: Date?
        var isPublishable: Bool
        var html: String
        var canEdit: Bool
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.title }

        override func breadcrumbs() -> [PageContext.Link] {
            .project(model.projectID, named: model.projectTitle)
        }

        override func content() -> Node<HTML.BodyContext> {
            .article(
                .class("story"),
                .pageHeading(
                    .h1(
                        .text(model.title),
                        .span(
                            .class(model.isPublishable ? "tag publishable" : "tag"),
                            .text(model.isPublishable ? "Publishable" : "Internal"))),
                    .if(
                        model.canEdit,
                        .a(
                            .class("button secondary"), .href(SiteURL.stories(.edit(.value(model.id))).relativeURL()),
                            .text("Edit the story")))
                ),
                .p(
                    .class("hint"),
                    .text(
                        "By \(model.author)"
                            + (model.updatedAt.map { " · \(CalendarDay.label($0))" } ?? ""))),
                .div(.class("story-body"), .raw(model.html))
            )
        }
    }
}

extension StoryShow.Model {
    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard let story = try await Story.query(on: db).filter(\.$id == id).with(\.$author).first(),
            let project = try await Project.withTeam(id: story.$project.id, on: db)
        else { throw NotFound("story") }
        return .init(
            id: id, title: story.title, projectID: try project.requireID(), projectTitle: project.title,
            author: story.author.fullName, updatedAt: story.updatedAt, isPublishable: story.isPublishable,
            html: StoryMarkdown.html(story.body, charts: try await charts(in: story.body, on: db)),
            canEdit: policy.allows(.editProject(project.access)))
    }

    /// The SVG of every chart the story embeds, drawn from the measure's current data.
    static func charts(in markdown: String, on db: any Database) async throws -> [UUID: String] {
        let ids = StoryMarkdown.chartIDs(in: markdown)
        guard !ids.isEmpty else { return [:] }
        let measures = try await Measure.query(on: db).filter(\.$id ~~ ids).all()
        var charts: [UUID: String] = [:]
        for chart in try await MeasureSeries.charts(of: measures, idPrefix: "story-chart", on: db) {
            charts[chart.id] = chart.svg
        }
        return charts
    }
}

/// Writing or editing a story.
enum StoryForm {
    struct Model: Sendable, Equatable {
        var projectID: UUID
        var projectTitle: String
        var storyID: UUID?
        var form: FormState
        /// The project's measures, with the line that embeds each one's chart.
        var charts: [ChartEmbed]
    }

    struct ChartEmbed: Sendable, Equatable {
        let name: String
        let embed: String
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.storyID == nil ? "Write a story" : "Edit the story" }

        override func breadcrumbs() -> [PageContext.Link] {
            .project(model.projectID, named: model.projectTitle)
        }

        override func content() -> Node<HTML.BodyContext> {
            let action =
                model.storyID.map { SiteURL.stories(.update(.value($0))).relativeURL() }
                ?? SiteURL.projects(.addStory(.value(model.projectID))).relativeURL()
            let cancel =
                model.storyID.map { SiteURL.stories(.show(.value($0))).relativeURL() }
                ?? SiteURL.projects(.show(.value(model.projectID))).relativeURL()
            return .group(
                .heading(
                    pageTitle(),
                    lead:
                        "Tell what the team did, what changed for the people it matters to, and what you learned. Write in Markdown: **bold**, *italic*, # headings, - lists, [links](https://…)."
                ),
                .if(
                    !model.charts.isEmpty,
                    .element(
                        named: "details",
                        nodes: [
                            .element(named: "summary", text: "Embed a chart"),
                            .p(
                                .class("hint"), .text("Copy a line into the story; the chart stays live with the data.")
                            ),
                            .ul(
                                .class("chart-embeds"),
                                .forEach(model.charts) { chart in
                                    .li(.text("\(chart.name): "), .code(.text(chart.embed)))
                                }),
                        ])),
                FormView(
                    action: action, csrfToken: context.csrfToken, state: model.form,
                    fields: [
                        FormField(name: "title", label: "Title", isRequired: true),
                        FormField(name: "body", label: "The story", control: .textarea(rows: 16), isRequired: true),
                        FormField(
                            name: "publishable", label: "Sharing",
                            control: .checkboxes([
                                .init(
                                    value: "yes",
                                    label:
                                        "Publishable: it may be shared outside the organisation, and everyone in it has agreed"
                                )
                            ])),
                    ],
                    submitLabel: model.storyID == nil ? "Save the story" : "Save changes", cancelURL: cancel
                ).node
            )
        }
    }
}
