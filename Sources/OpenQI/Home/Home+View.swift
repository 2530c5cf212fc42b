import Foundation
import Plot

/// The home page: where the viewer is, and what they can reach from here.
enum Home {
    struct Model: Sendable, Equatable {
        var viewerName: String
        var roles: [String]
        var unitCount: Int
        var peopleCount: Int
        var serviceUserCount: Int
        var tasks: [MyTask]
        var projects: [PersonProject] = []
        var places: [MyPlace] = []
        var training = MyTraining()
    }

    final class View: ModelPage<Model> {

        override func pageTitle() -> String { "Home" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("Welcome, \(model.viewerName)")),
                model.roles.isEmpty
                    ? .p(.class("lead"), .text("You can read everything in the organisation."))
                    : .p(.class("lead"), .text("Your roles: \(model.roles.joined(separator: "; ")).")),
                .section(
                    .class("my-projects"),
                    .h2(.text("My projects")),
                    model.projects.isEmpty
                        ? .p(
                            .class("empty"),
                            .text("You are not on a project team, nor a coach or sponsor, yet. "),
                            .a(.href(SiteURL.projects(.new).relativeURL()), .text("Propose a project")))
                        : .group(
                            .personProjects(model.projects, partHeading: "My part"),
                            .p(
                                .a(
                                    .href(SiteURL.projects(.index).relativeURL(query: [("mine", "any")])),
                                    .text("All my projects")))
                        )
                ),
                .section(
                    .class("my-tasks"),
                    .h2(.text("My tasks")),
                    model.tasks.isEmpty
                        ? .p(.class("empty"), .text("Nothing needs you right now."))
                        : .ul(.forEach(model.tasks) { task in .li(.a(.href(task.url), .text(task.text))) })
                ),
                .myTraining(model.training),
                .if(
                    !model.places.isEmpty,
                    .section(
                        .class("my-places"),
                        .h2(.text("Where my roles work")),
                        .ul(
                            .forEach(model.places) { place in
                                .li(
                                    .span(.class("place"), .text(place.heading)),
                                    .ul(
                                        .class("place-links"),
                                        .forEach(place.links) { link in .li(.a(.href(link.url), .text(link.label))) }))
                            }))),
                .ul(
                    .class("figures"),
                    .li(
                        .a(
                            .href(SiteURL.units(.index).relativeURL()), .strong(.text("\(model.unitCount)")),
                            .text(" units"))),
                    .li(
                        .a(
                            .href(SiteURL.people(.index).relativeURL()), .strong(.text("\(model.peopleCount)")),
                            .text(" people"))),
                    .li(
                        .a(
                            .href(
                                SiteURL.people(.index).relativeURL(query: [("kind", PersonKind.serviceUser.rawValue)])),
                            .strong(.text("\(model.serviceUserCount)")), .text(" service users"))
                    )
                )
            )
        }
    }
}
