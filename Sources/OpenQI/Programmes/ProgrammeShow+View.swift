import Foundation
import Plot

extension ProgrammeShow {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.name }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Programmes", url: SiteURL.programmes(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text(model.name), .span(.class("tag"), .text(model.stage.label))),
                    .div(
                        .class("actions"),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.programmes(.diagram(.value(model.id), .show)).relativeURL()),
                            .text("Driver diagram")),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.programmes(.dashboard(.value(model.id))).relativeURL()),
                            .text("Dashboard")),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.programmes(.evaluation(.value(model.id))).relativeURL()),
                            .text("Evaluation")),
                        .if(
                            model.canManage,
                            .a(
                                .class("button secondary"),
                                .href(SiteURL.programmes(.edit(.value(model.id))).relativeURL()),
                                .text("Edit the programme"))))),
                stageTrack(),
                .dl(
                    .class("details"),
                    .dt(.text("Aim")), .dd(.text(model.aim ?? "Not set yet")),
                    .dt(.text("Run by")), .dd(.text(model.unitPath)),
                    .dt(.text("Strategic priority")), .dd(.text(model.priority ?? "None")),
                    .unwrap(model.summary) { .group(.dt(.text("Description")), .dd(.text($0))) }),
                readiness(),
                peopleSection(),
                measuresSection(),
                teamsSection(),
                sessionsSection(),
                stageSection()
            )
        }

        private func stageTrack() -> Node<HTML.BodyContext> {
            .element(
                named: "nav",
                nodes: [
                    .class("ramp"), .attribute(named: "aria-label", value: "Stages of the programme"),
                    .ol(
                        .class("ramp"),
                        .forEach(ProgrammeStage.allCases) { stage in
                            .li(
                                stage == model.stage
                                    ? .strong(.attribute(named: "aria-current", value: "step"), .text(stage.label))
                                    : .span(.text(stage.label)))
                        }),
                ])
        }

        private func readiness() -> Node<HTML.BodyContext> {
            .if(
                !model.missingToDeliver.isEmpty,
                .section(
                    .class("awaiting-approval"),
                    .h2(.text("Before teams can deliver")),
                    .ul(.forEach(model.missingToDeliver) { .li(.text($0)) })))
        }

        private func peopleSection() -> Node<HTML.BodyContext> {
            .section(
                .id("people"),
                .h2(.text("People")),
                model.people.isEmpty
                    ? .p(.class("empty"), .text("Nobody yet: add a programme lead and an executive sponsor."))
                    : .scrollingTable(
                        .caption(.class("visually-hidden"), .text("People of the programme")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Name")), .th(.scope("col"), .text("Role")),
                                .if(
                                    model.canManage,
                                    .th(.scope("col"), .span(.class("visually-hidden"), .text("Actions")))))),
                        .tbody(
                            .forEach(model.people) { person in
                                .tr(
                                    .th(
                                        .scope("row"),
                                        .a(
                                            .href(SiteURL.people(.show(.value(person.personID))).relativeURL()),
                                            .text(person.name))),
                                    .td(.text(person.role.label)),
                                    .if(
                                        model.canManage,
                                        .td(
                                            .postButton(
                                                "Remove",
                                                to: SiteURL.programmes(
                                                    .removePerson(
                                                        programme: .value(model.id), member: .value(person.memberID))
                                                ).relativeURL(), csrfToken: context.csrfToken))))
                            })),
                .if(
                    model.canManage,
                    FormView(
                        action: SiteURL.programmes(.addPerson(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken, state: model.personForm,
                        fields: [
                            FormField(
                                name: "person", label: "Who",
                                hint: "Type part of their name, their unit or their email address.", isRequired: true,
                                autocomplete: "off")
                        ]
                            + (model.personChoices.isEmpty
                                ? []
                                : [
                                    FormField(
                                        name: "person_id", label: "Choose who you mean",
                                        control: .radios(model.personChoices), isRequired: true)
                                ]) + [
                                FormField(
                                    name: "role", label: "Role in the programme",
                                    control: .select(every: ProgrammeRole.self, none: "Choose…"), isRequired: true)
                            ],
                        submitLabel: "Add to the programme", anchor: "add-person"
                    ).disclosed("Add a person"))
            )
        }

        private func measuresSection() -> Node<HTML.BodyContext> {
            .section(
                .id("measures"),
                .h2(.text("Standard measures every team counts")),
                model.measures.isEmpty
                    ? .p(.class("empty"), .text("None chosen yet."))
                    : .ul(
                        .forEach(model.measures) { standard in
                            .li(
                                .a(
                                    .href(SiteURL.standardMeasures(.show(.value(standard.id))).relativeURL()),
                                    .text(standard.name)),
                                .span(.class("tag"), .text("Version \(standard.version)")))
                        }))
        }

        private func teamsSection() -> Node<HTML.BodyContext> {
            .section(
                .id("teams"),
                .h2(.text("Teams (\(model.teams.count))")),
                .p(
                    .class("hint"),
                    .text(
                        model.stage.takesTeams
                            ? "A team joins by proposing its project for this programme; its forum approves it, with a coach and a sponsor, as any other."
                            : "Teams join while the programme recruits or delivers.")),
                model.teams.isEmpty
                    ? .p(.class("empty"), .text("No team has joined yet."))
                    : teamTable(model.teams, caption: "Teams in the programme"),
                .if(
                    !model.proposed.isEmpty,
                    .group(
                        .h3(.text("Proposed, waiting for their forums (\(model.proposed.count))")),
                        teamTable(model.proposed, caption: "Proposals for the programme")))
            )
        }

        private func teamTable(_ rows: [ProjectRow], caption: String) -> Node<HTML.BodyContext> {
            .scrollingTable(
                .caption(.class("visually-hidden"), .text(caption)),
                .thead(
                    .tr(
                        .th(.scope("col"), .text("Project")), .th(.scope("col"), .text("Unit")),
                        .th(.scope("col"), .text("Status")), .th(.scope("col"), .text("Stage")),
                        .th(.scope("col"), .text("Progress score")))),
                .tbody(
                    .forEach(rows) { row in
                        .tr(
                            .th(.scope("row"), .a(.href(row.url), .text(row.title))),
                            .td(.text(row.unitPath)), .td(.text(row.status.label)),
                            .td(.text(row.stage?.label ?? "")), .td(.text(row.score?.text ?? "")))
                    }))
        }

        private func sessionsSection() -> Node<HTML.BodyContext> {
            .section(
                .id("learning-sessions"),
                .h2(.text("Learning sessions")),
                model.sessions.isEmpty
                    ? .p(.class("empty"), .text("None yet: teams meet about every eight weeks."))
                    : .scrollingTable(
                        .caption(.class("visually-hidden"), .text("Learning sessions")),
                        .thead(
                            .tr(
                                .th(.scope("col"), .text("Session")), .th(.scope("col"), .text("Held on")),
                                .th(.scope("col"), .text("Place")),
                                .th(.scope("col"), .class("number"), .text("Teams there")),
                                .th(.scope("col"), .class("number"), .text("Plans made")))),
                        .tbody(
                            .forEach(model.sessions) { session in
                                .tr(
                                    .th(
                                        .scope("row"),
                                        .a(
                                            .href(SiteURL.learningSessions(.show(.value(session.id))).relativeURL()),
                                            .text("Learning session \(session.number)"))),
                                    .td(.text(CalendarDay.label(session.heldOn))), .td(.text(session.place)),
                                    .td(.class("number"), .text("\(session.teamsCame) of \(model.teams.count)")),
                                    .td(.class("number"), .text(String(session.plans))))
                            })),
                .if(
                    model.canManage,
                    FormView(
                        action: SiteURL.programmes(.planSession(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken, state: model.sessionForm,
                        fields: LearningSessionPage.View.detailFields, submitLabel: "Plan the session",
                        anchor: "plan-session"
                    ).disclosed("Plan a learning session"))
            )
        }

        private func stageSection() -> Node<HTML.BodyContext> {
            let moves = [model.stage.next, model.stage.previous].compactMap { $0 }
            return .section(
                .id("stages"),
                .h2(.text("Stage decisions")),
                .if(
                    model.canManage,
                    FormView(
                        action: SiteURL.programmes(.moveStage(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken, state: model.stageForm,
                        fields: [
                            FormField(
                                name: "stage", label: "Move to",
                                control: .radios(
                                    moves.map {
                                        .init(
                                            value: $0.rawValue,
                                            label: ($0 == model.stage.next ? "" : "Back to ")
                                                + "\($0.label): \($0.summary)")
                                    }), isRequired: true),
                            FormField(name: "decided_on", label: "Decided on", control: .date, isRequired: true),
                            FormField(
                                name: "note", label: "Note", control: .textarea(rows: 3),
                                hint: "What was agreed, by whom, and why now.", isRequired: true),
                        ],
                        submitLabel: "Record the decision", hiddenFields: ["version": String(model.version)],
                        anchor: "stage-form"
                    ).node),
                model.history.isEmpty
                    ? .p(.class("empty"), .text("No stage decision yet: the programme is being scoped."))
                    : .ol(
                        .class("updates"),
                        .forEach(model.history) { decision in
                            .li(
                                .h3(
                                    .text(
                                        "\(CalendarDay.label(decision.decidedOn)): \(decision.from.label) → \(decision.to.label)"
                                    )),
                                .p(.text(decision.note)),
                                .unwrap(decision.decidedBy) { .p(.class("hint"), .text("Recorded by \($0)")) })
                        })
            )
        }
    }
}
