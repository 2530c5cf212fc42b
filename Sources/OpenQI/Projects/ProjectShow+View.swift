import Foundation
import Plot

extension ProjectShow {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.title }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Projects", url: SiteURL.projects(.index).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(
                        .text(model.title),
                        .span(.class("tag status-\(model.status.rawValue)"), .text(model.status.label))),
                    .if(model.canEdit, actions())
                ),
                .p(.class("lead aim"), .strong(.text("Aim: ")), .text(model.aimStatement)),
                .dl(
                    .class("details"),
                    .dt(.text("Unit")),
                    .dd(.a(.href(SiteURL.units(.show(.value(model.unitID))).relativeURL()), .text(model.unitPath))),
                    .dt(.text("Stage")), .dd(.text(model.stage?.label ?? "Not started")),
                    .dt(.text("Progress score")),
                    .dd(.text(model.score.map { "\($0.text) — \($0.label)" } ?? "No update yet")),
                    .dt(.text("Proposed by")), .dd(.text(model.proposer)),
                    .dt(.text("QI coach")), .dd(.text(model.coach ?? "Not yet allocated")),
                    .dt(.text("Sponsor")), .dd(.text(model.sponsor ?? "Not yet allocated")),
                    .dt(.text("Priorities")),
                    .dd(.text(model.priorities.isEmpty ? "None chosen" : model.priorities.joined(separator: "; "))),
                    .unwrap(model.partnerOrganisations) {
                        .group(.dt(.text("Partner organisations")), .dd(.text($0)))
                    }
                ),
                closure(),
                model.gains.section(
                    projectID: model.id, canAnswer: model.actions.answerGains, csrfToken: context.csrfToken),
                .section(.h2(.text("What matters, and to whom")), .p(.text(model.whatMatters))),
                .section(.h2(.text("The problem")), .p(.text(model.problem))),
                decisionsSection(),
                diagramSection(),
                ideasSection(),
                measuresSection(),
                teamSection(),
                updatesSection(),
                storiesSection(),
                commentsSection(),
                auditSection()
            )
        }

        private func actions() -> Node<HTML.BodyContext> {
            .div(
                .class("actions"),
                .if(
                    model.actions.editProposal,
                    .a(
                        .class("button secondary"), .href(SiteURL.projects(.edit(.value(model.id))).relativeURL()),
                        .text("Edit proposal"))),
                .if(
                    model.actions.submit,
                    .postButton(
                        "Submit to the forum", to: SiteURL.projects(.submit(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken, style: "button"
                    ))
            )
        }

        /// The result of a closed project, or, for an open one, the form to close it.
        private func closure() -> Node<HTML.BodyContext> {
            if model.status.isClosed {
                return .section(
                    .id("closure"), .class("closure"),
                    .h2(.text(model.status == .completed ? "Completed" : "Stopped")),
                    .unwrap(model.closedAt) { .p(.strong(.text("Closed on: ")), .text(CalendarDay.label($0))) },
                    .unwrap(model.aimAchieved) { .p(.strong(.text("Aim achieved: ")), .text($0.label)) },
                    .unwrap(model.learning) { .p(.strong(.text("What we learned: ")), .text($0)) },
                    .unwrap(model.sustainPlan) { .p(.strong(.text("How the gains are sustained: ")), .text($0)) }
                )
            }
            guard model.actions.close else { return .empty }
            let unfinished = model.ideas.flatMap(\.cycles).filter { $0.status != .complete }.map { "PDSA \($0.number)" }
            return FormView(
                action: SiteURL.projects(.close(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                state: model.closeForm,
                fields: [
                    FormField(
                        name: "outcome", label: "How it ends",
                        control: .select([
                            .init(value: "completed", label: "Completed"),
                            .init(value: "stopped", label: "Stopped"),
                        ]),
                        hint: unfinished.isEmpty
                            ? nil
                            : "\(unfinished.joined(separator: ", ")) \(unfinished.count == 1 ? "is" : "are") not finished: "
                                + "closing ends \(unfinished.count == 1 ? "it" : "them") without a decision. "
                                + "To keep what \(unfinished.count == 1 ? "it" : "they") taught, record Study and Act first.",
                        isRequired: true),
                    FormField(
                        name: "aim_achieved", label: "Was the aim achieved? (completed projects)",
                        control: .select(every: AimAchieved.self, none: "Choose…")),
                    FormField(
                        name: "learning", label: "What we learned", control: .textarea(rows: 4),
                        hint: "Including from what did not work: failure is learning too.", isRequired: true),
                    FormField(
                        name: "sustain_plan", label: "How the gains are sustained", control: .textarea(rows: 3)),
                ],
                submitLabel: "Close the project", anchor: "close"
            ).disclosed("Close the project")
        }

        private func decisionsSection() -> Node<HTML.BodyContext> {
            .section(
                .id("forum"),
                .h2(.text("Forum")),
                .p(
                    .text("Reviewed by the "),
                    .a(
                        .href(SiteURL.forums(.show(.value(model.forumUnitID))).relativeURL()),
                        .text("\(model.forumName) QI forum")), .text(".")),
                model.decisions.isEmpty
                    ? .p(.class("empty"), .text(model.status == .draft ? "Not yet submitted." : "No decision yet."))
                    : .ol(
                        .class("decisions"),
                        .forEach(model.decisions) { decision in
                            .li(
                                .strong(.text(decision.decision.label)),
                                .text(" on \(CalendarDay.label(decision.date)) — \(decision.text)"),
                                .unwrap(decision.meetingID) {
                                    .a(.href(SiteURL.forums(.meeting(.value($0))).relativeURL()), .text(" (meeting)"))
                                }
                            )
                        }),
                .if(
                    model.actions.decide,
                    ForumDecisionForm(
                        projectID: model.id, meetingID: nil,
                        choices: model.decisionChoices ?? .init(coaches: [], sponsors: []),
                        state: model.decisionForm, csrfToken: context.csrfToken
                    ).node)
            )
        }

        private func diagramSection() -> Node<HTML.BodyContext> {
            .section(
                .id("driver-diagram"),
                .h2(.text("Driver diagram")),
                .unwrap(model.diagramSVG) { .chart($0, kind: "driver-diagram") },
                .if(
                    model.diagramSVG == nil,
                    .p(
                        .class("empty"),
                        .text("No driver diagram yet: what drives the aim, and which ideas could move it?"))),
                .a(
                    .class("button secondary"),
                    .href(SiteURL.projects(.diagram(.value(model.id), .show)).relativeURL()),
                    .text(model.canEdit ? "Build the driver diagram" : "Open the driver diagram"))
            )
        }

        private func ideasSection() -> Node<HTML.BodyContext> {
            .section(
                .id("change-ideas"),
                .h2(.text("Change ideas and PDSA cycles")),
                model.ideas.isEmpty
                    ? .p(.class("empty"), .text("No change ideas yet. Add them on the driver diagram."))
                    : .ul(
                        .class("ramps"),
                        .forEach(model.ideas) { idea in
                            .li(
                                .strong(.text(idea.title)),
                                idea.cycles.isEmpty
                                    ? .span(.class("hint"), .text(" — not tested yet"))
                                    : .ol(
                                        .class("ramp"),
                                        .forEach(idea.cycles) { step in
                                            .li(
                                                .a(
                                                    .href(SiteURL.cycles(.show(.value(step.id))).relativeURL()),
                                                    .text(
                                                        "PDSA \(step.number) · \(step.decision?.shortLabel ?? step.status.label)"
                                                    )))
                                        }),
                                .if(
                                    model.actions.planCycle,
                                    .a(
                                        .class("button secondary small"),
                                        .href(
                                            SiteURL.projects(.newCycle(.value(model.id))).relativeURL(query: [
                                                ("idea", idea.id.uuidString)
                                            ])),
                                        .text(idea.cycles.isEmpty ? "Plan a PDSA cycle" : "Plan the next cycle")))
                            )
                        })
            )
        }

        /// The conversation around the project: coach, sponsor and team.
        private func commentsSection() -> Node<HTML.BodyContext> {
            .section(
                .id("comments"),
                .h2(.text("Comments")),
                model.comments.isEmpty
                    ? .p(.class("empty"), .text("No comments yet."))
                    : .ol(
                        .class("comments"),
                        .forEach(model.comments) { comment in
                            .li(
                                .p(
                                    .class("hint"),
                                    .text(
                                        comment.author
                                            + (comment.date.map {
                                                " · \(CalendarDay.moment($0))"
                                            } ?? ""))),
                                .p(.text(comment.text)))
                        }),
                .if(
                    model.canEdit,
                    FormView(
                        action: SiteURL.projects(.comment(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken, state: model.commentForm,
                        fields: [
                            FormField(name: "text", label: "Comment", control: .textarea(rows: 3), isRequired: true)
                        ],
                        submitLabel: "Add comment", anchor: "add-comment"
                    ).disclosed("Add a comment"))
            )
        }

        /// Who changed what, newest first: the project, its team, diagram, cycles, measures and stories.
        private func auditSection() -> Node<HTML.BodyContext> {
            .section(
                .id("audit-trail"),
                .h2(.text("Audit trail")),
                model.auditTrail.isEmpty
                    ? .p(.class("empty"), .text("No changes recorded."))
                    : .ol(
                        .class("audit-trail"),
                        .forEach(model.auditTrail) { row in
                            .li(
                                .moment(row.occurredAt),
                                .text(" \(row.actorName) \(row.actionText) \(row.subjectKind) "),
                                row.subjectURL.map { .a(.href($0), .text(row.subjectName)) } ?? .text(row.subjectName),
                                .if(
                                    !row.changes.isEmpty && row.action == .update,
                                    .span(
                                        .class("hint"),
                                        .text(" (\(row.changes.map(\.field).joined(separator: ", ")))")))
                            )
                        }),
                .p(
                    .class("hint"),
                    .text("The latest \(ProjectShow.auditTrailLength) changes; the full history is in the audit log."))
            )
        }

        private func storiesSection() -> Node<HTML.BodyContext> {
            .section(
                .id("stories"),
                .h2(.text("Stories")),
                model.stories.isEmpty
                    ? .p(.class("empty"), .text("No stories yet."))
                    : .ul(
                        .forEach(model.stories) { story in
                            .li(
                                .a(.href(SiteURL.stories(.show(.value(story.id))).relativeURL()), .text(story.title)),
                                .if(story.isPublishable, .span(.class("tag publishable"), .text("Publishable"))))
                        }),
                .if(
                    model.canEdit,
                    .a(
                        .class("button secondary"), .href(SiteURL.projects(.newStory(.value(model.id))).relativeURL()),
                        .text("Write a story")))
            )
        }

        private func measuresSection() -> Node<HTML.BodyContext> {
            .section(
                .id("measures"),
                .h2(.text("Measures")),
                model.measures.isEmpty
                    ? .p(
                        .class("empty"),
                        .text(
                            "No measures yet. Most projects have an outcome measure, a process measure or two, and a balancing measure."
                        ))
                    : .div(
                        .class("measure-grid"),
                        .forEach(model.measures) { measure in
                            .element(
                                named: "figure",
                                nodes: [
                                    .a(
                                        .href(SiteURL.measures(.show(.value(measure.id))).relativeURL()),
                                        .raw(measure.svg)),
                                    .element(
                                        named: "figcaption",
                                        nodes: [
                                            .a(
                                                .href(SiteURL.measures(.show(.value(measure.id))).relativeURL()),
                                                .text(measure.name)),
                                            .text(" · \(measure.kind.label) measure"),
                                        ]),
                                ])
                        }),
                .if(
                    model.canEdit,
                    .a(
                        .class("button secondary"),
                        .href(SiteURL.projects(.newMeasure(.value(model.id))).relativeURL()), .text("Add a measure")))
            )
        }

        private func teamSection() -> Node<HTML.BodyContext> {
            .section(
                .id("team"),
                .h2(.text("Team")),
                .scrollingTable(
                    .thead(
                        .tr(
                            .th(.text("Name")), .th(.text("Role")), .th(.text("Who")), .th(.text("Involvement")),
                            .th(.span(.class("visually-hidden"), .text("Actions"))))),
                    .tbody(
                        .forEach(model.team) { member in
                            .tr(
                                .td(
                                    .a(
                                        .href(SiteURL.people(.show(.value(member.personID))).relativeURL()),
                                        .text(member.name)),
                                    .if(member.awaitsApproval, .span(.class("tag muted"), .text("Awaiting approval")))),
                                .td(.text(member.role + (member.isLead ? " (lead)" : ""))),
                                .td(.text(member.kind.label)),
                                .td(
                                    .text(
                                        member.kind == .serviceUser || member.kind == .carer
                                            ? member.involvement.label : "")),
                                .td(
                                    .if(
                                        model.canEdit && !member.isLead,
                                        .postButton(
                                            "Remove",
                                            to: SiteURL.projects(
                                                .removeMember(project: .value(model.id), member: .value(member.id))
                                            ).relativeURL(),
                                            csrfToken: context.csrfToken
                                        )))
                            )
                        })
                ),
                .if(
                    model.canEdit,
                    FormView(
                        action: SiteURL.projects(.addMember(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken,
                        state: model.teamForm,
                        fields: [
                            FormField(
                                name: "person", label: "Who",
                                hint:
                                    "Type part of their name, their unit or their email address: the people who match are listed to choose from. A service user or carer not on the People list can be invited below.",
                                isRequired: true, autocomplete: "off")
                        ] + (model.teamChoices.isEmpty ? [] : [Self.teamChoiceField(model.teamChoices)]) + [
                            FormField(
                                name: "role", label: "Role on the team",
                                hint: "For example: Data lead, Expert by experience, Peer researcher.",
                                isRequired: true),
                            FormField(
                                name: "involvement", label: "Service user or carer involvement",
                                control: .select(
                                    ServiceUserInvolvement.allCases.map {
                                        .init(value: $0.rawValue, label: $0.label)
                                    }),
                                hint: "For service users and carers: full partners have the same say as staff."
                            ),
                        ],
                        submitLabel: "Add to team", anchor: "add-member"
                    ).disclosed("Add someone to the team")),
                .if(model.canEdit, inviteForm()),
                .if(model.canEdit, .script(.src("/team-picker.js"), .defer()))
            )
        }

        /// The people a search found, to choose one of; the team picker redraws it as the lead types.
        /// A service user or carer not on the People list joins now; their record awaits approval.
        private func inviteForm() -> Node<HTML.BodyContext> {
            FormView(
                action: SiteURL.projects(.inviteMember(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                state: model.inviteForm,
                fields: [
                    FormField(name: "full_name", label: "Full name", isRequired: true, autocomplete: "off"),
                    FormField(
                        name: "kind", label: "They are",
                        control: .radios(
                            TeamInvitationInput.kinds.map { .init(value: $0.rawValue, label: $0.label) }),
                        isRequired: true),
                    FormField(
                        name: "email", label: "Email address", control: .email,
                        hint: "If they have one they are happy to share. Only those who manage people see it."),
                    FormField(
                        name: "role", label: "Role on the team", hint: "For example: Expert by experience.",
                        isRequired: true),
                    FormField(
                        name: "involvement", label: "Involvement",
                        control: .select(every: ServiceUserInvolvement.self)),
                ],
                submitLabel: "Invite to the team", anchor: "invite-member"
            ).disclosed("Invite a service user or carer who is not on the People list")
        }

        static func teamChoiceField(_ choices: [FormField.Option]) -> FormField {
            FormField(name: "person_id", label: "Choose who you mean", control: .radios(choices), isRequired: true)
        }

        private func updateItem(_ update: Update) -> Node<HTML.ListContext> {
            .li(
                .h3(
                    .text(CalendarDay.label(update.date)),
                    .unwrap(update.score) { .span(.class("tag"), .text("Score \($0.text)")) }),
                .p(
                    .class("hint"),
                    .text("By \(update.author)" + (update.stage.map { " · \($0.label)" } ?? ""))),
                .dl(
                    .class("details"),
                    .dt(.text("What we did")), .dd(.text(update.did)),
                    .dt(.text("What we learned")), .dd(.text(update.learned)),
                    .dt(.text("What next")), .dd(.text(update.nextSteps)),
                    .unwrap(update.sponsorAsk) { ask in
                        .group(.dt(.text("The sponsor can help by")), .dd(.text(ask)))
                    }
                )
            )
        }

        private func updatesSection() -> Node<HTML.BodyContext> {
            .section(
                .id("updates"),
                .h2(.text("Progress updates")),
                .unwrap(model.progressChartSVG) { .chart($0) },
                model.updates.isEmpty
                    ? .p(.class("empty"), .text("No updates yet."))
                    : .group(
                        .ol(.class("updates"), .forEach(model.updates.reversed().prefix(6)) { updateItem($0) }),
                        .if(
                            model.updates.count > 6,
                            .element(
                                named: "details",
                                nodes: [
                                    .element(named: "summary", text: "Earlier updates (\(model.updates.count - 6))"),
                                    .ol(
                                        .class("updates"),
                                        .forEach(model.updates.reversed().dropFirst(6)) { updateItem($0) }),
                                ]))
                    ),
                .if(
                    model.actions.postUpdate,
                    FormView(
                        action: SiteURL.projects(.postUpdate(.value(model.id))).relativeURL(),
                        csrfToken: context.csrfToken,
                        state: model.updateForm,
                        fields: [
                            FormField(name: "update_date", label: "Date", control: .date, isRequired: true),
                            FormField(
                                name: "score", label: "Progress score (IHI scale)",
                                control: .select(
                                    [.init(value: "", label: "Choose…")]
                                        + ProgressScore.allCases.map {
                                            .init(value: $0.text, label: "\($0.text) — \($0.label)")
                                        }),
                                isRequired: true
                            ),
                            FormField(
                                name: "stage", label: "Stage",
                                control: .select(
                                    [.init(value: "", label: "Unchanged")]
                                        + ImprovementStage.allCases.map {
                                            .init(value: $0.rawValue, label: $0.label)
                                        })
                            ),
                            FormField(
                                name: "did", label: "What we did", control: .textarea(rows: 3), isRequired: true
                            ),
                            FormField(
                                name: "learned", label: "What we learned", control: .textarea(rows: 3),
                                isRequired: true),
                            FormField(
                                name: "next_steps", label: "What next", control: .textarea(rows: 2),
                                isRequired: true),
                            FormField(
                                name: "sponsor_ask", label: "What the sponsor can unblock",
                                control: .textarea(rows: 2)),
                        ],
                        submitLabel: "Post update", anchor: "post-update"
                    ).disclosed("Post an update"))
            )
        }
    }
}
