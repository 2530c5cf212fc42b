import Charts
import Fluent
import Foundation
import Vapor

enum ProjectShow {
    static let auditTrailLength = 20

    struct Member: Sendable, Equatable {
        let id: UUID
        let personID: UUID
        let name: String
        let kind: PersonKind
        let role: String
        let isLead: Bool
        let involvement: ServiceUserInvolvement
        /// Invited by the team and not yet approved by someone who manages people.
        var awaitsApproval = false
    }

    struct Update: Sendable, Equatable {
        let date: Date
        let score: ProgressScore?
        let stage: ImprovementStage?
        let did: String
        let learned: String
        let nextSteps: String
        let sponsorAsk: String?
        let author: String
    }

    struct Decision: Sendable, Equatable {
        let date: Date
        let decision: ForumDecisionKind
        let text: String
        let meetingID: UUID?
    }

    /// A change idea with the PDSA cycles that test it, in ramp order.
    struct IdeaRamp: Sendable, Equatable {
        let id: UUID
        let title: String
        let cycles: [PDSAShow.RampStep]
    }

    struct Comment: Sendable, Equatable {
        let author: String
        let date: Date?
        let text: String
    }

    struct StoryLink: Sendable, Equatable {
        let id: UUID
        let title: String
        let isPublishable: Bool
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var title: String
        var unitID: UUID
        var unitPath: String
        var status: ProjectStatus
        var stage: ImprovementStage?
        var score: ProgressScore?
        var whatMatters: String
        var problem: String
        var aimStatement: String
        var priorities: [String]
        var partnerOrganisations: String?
        var proposer: String
        var coach: String?
        var sponsor: String?
        var team: [Member]
        var updates: [Update]
        var decisions: [Decision]
        var measures: [MeasureSeries.Chart]
        var diagramSVG: String?
        var ideas: [IdeaRamp]
        var stories: [StoryLink]
        var comments: [Comment]
        var commentForm = FormState()
        /// The latest changes to the project and its parts, newest first.
        var auditTrail: [AuditLog.Row]
        var forumUnitID: UUID
        var forumName: String
        var progressChartSVG: String?
        /// Who may change the project; `canEdit` is what that means for this viewer.
        var access: ProjectAccess
        var canEdit: Bool
        /// What this viewer may do with the project as it stands: the policy and the workflow's rules.
        var actions = Actions()
        var teamForm: FormState
        /// Inviting a service user or carer who is not on the People list yet.
        var inviteForm = FormState(values: [
            "kind": PersonKind.serviceUser.rawValue, "involvement": ServiceUserInvolvement.fullPartner.rawValue,
        ])
        var updateForm: FormState
        /// The people a search for a new team member found, to choose from; none until one runs.
        var teamChoices: [FormField.Option] = []
        var closeForm: FormState
        /// The coaches and sponsors a forum chair may appoint, while the project waits for a decision.
        var decisionChoices: ForumDecisionChoices?
        var decisionForm = FormState()
        var aimAchieved: AimAchieved?
        var learning: String?
        var sustainPlan: String?
        /// Once completed: outcome measures whose gains slip, and what is being done about them.
        var gains = ProjectGains()
        /// When it was completed or stopped: its outcome measures are watched from then.
        var closedAt: Date? = nil
    }
}

extension ProjectShow {
    /// The page's model as everyone sees it; its forms carry today's date, so it serves its day only.
    struct ModelKey: ResultKey {
        let project: UUID
        let day: CalendarDay
    }

    /// The page's content as drawn for every viewer who may do the same things with it.
    struct PageKey: ResultKey {
        let project: UUID
        let day: CalendarDay
        let actions: Actions
        let canEdit: Bool

        init(_ model: Model, day: CalendarDay) {
            project = model.id
            self.day = day
            actions = model.actions
            canEdit = model.canEdit
        }
    }

    /// The buttons and forms the page offers: each one an action the viewer may take now.
    struct Actions: Sendable, Hashable {
        var editProposal = false
        var submit = false
        var planCycle = false
        var postUpdate = false
        var close = false
        /// Record the forum's decision: for its chair, while the project waits for one.
        var decide = false
        /// Record what is being done when the gains of the completed project slip.
        var answerGains = false

        init() {}

        init(status: ProjectStatus, canEdit: Bool, canChair: Bool = false, canSustain: Bool = false) {
            decide = canChair && status.awaitsDecision
            answerGains = canSustain && status == .completed
            editProposal = canEdit && status.isProposal
            submit = canEdit && status.canBeSubmitted
            planCycle = canEdit && status.isOpen
            postUpdate = canEdit && status.takesUpdates
            close = canEdit && status.isOpen
        }
    }
}

extension ProjectShow.Model {
    /// The page, from the cache while nothing has changed; what the viewer may do is decided per
    /// request. The forms carry today's date, so a kept page serves its day only.
    static func query(id: UUID, policy: Policy, cache: CachedResults = .none, on db: any Database) async throws
        -> Self
    {
        let tree = policy.tree
        var model = try await cache.value(ProjectShow.ModelKey(project: id, day: AppClock.today)) {
            try await compute(id: id, tree: tree, cache: cache, on: db)
        }
        model.canEdit = policy.allows(.editProject(model.access))
        model.actions = .init(
            status: model.status, canEdit: model.canEdit, canChair: policy.allows(.chairForum(model.forumUnitID)),
            canSustain: policy.allows(.sustainGains(model.access)))
        return model
    }

    private static func compute(id: UUID, tree: UnitTree, cache: CachedResults, on db: any Database) async throws
        -> Self
    {
        let project = try await Project.withPeople(id: id, on: db)
        let updates = try await ProgressUpdate.query(on: db).filter(\.$project.$id == id).with(\.$author)
            .sort(\.$date).sort(\.$createdAt).all()
        let decisions = try await ForumDecision.query(on: db).filter(\.$project.$id == id)
            .with(\.$coach).with(\.$sponsor).with(\.$decidedBy).sort(\.$decidedAt).all()
        let forumUnit = tree.forumUnit(for: project.$unit.id)
        let measures = try await Measure.inUse(byProject: id, on: db)
        let measureCharts = try await MeasureSeries.charts(
            of: measures, width: 560, height: 280, idPrefix: "measure", cache: cache, on: db)
        let diagram = try await DriverDiagram.load(for: project, on: db)
        let cycles = try await PDSACycle.query(on: db).filter(\.$project.$id == id).sort(\.$number).all()
        let stories = try await Story.told(inProject: id, on: db)
        let comments = try await ProjectComment.query(on: db).filter(\.$project.$id == id).with(\.$author)
            .sort(\.$createdAt).all()
        let trail = try await AuditEntry.query(on: db).filter(\.$projectID == id).sort(\.$occurredAt, .descending)
            .limit(ProjectShow.auditTrailLength).all()
        let words = try await AuditWords.load(for: trail, tree: tree, on: db)
        let team = project.team.sorted {
            ($0.isLead ? 0 : 1, $0.person.fullName) < ($1.isLead ? 0 : 1, $1.person.fullName)
        }
        let access = project.access
        return .init(
            id: id, title: project.title, unitID: project.$unit.id, unitPath: tree.path(of: project.$unit.id),
            status: project.status, stage: project.stage, score: project.score, whatMatters: project.whatMatters,
            problem: project.problem, aimStatement: project.aimStatement,
            priorities: project.priorities.map(\.name).sorted(),
            partnerOrganisations: project.partnerOrganisations,
            proposer: project.proposer.fullName, coach: project.coach?.fullName, sponsor: project.sponsor?.fullName,
            team: team.compactMap { member in
                member.id.map {
                    .init(
                        id: $0, personID: member.$person.id, name: member.person.fullName, kind: member.person.kind,
                        role: member.role, isLead: member.isLead, involvement: member.involvement,
                        awaitsApproval: member.person.awaitsApproval)
                }
            },
            updates: updates.map {
                .init(
                    date: $0.date, score: ProgressScore(rawValue: $0.score), stage: $0.stage, did: $0.did,
                    learned: $0.learned,
                    nextSteps: $0.nextSteps, sponsorAsk: $0.sponsorAsk, author: $0.author.fullName)
            },
            decisions: decisions.map { decision in
                var parts = ["By \(decision.decidedBy.fullName)"]
                if let coach = decision.coach { parts.append("coach \(coach.fullName)") }
                if let sponsor = decision.sponsor { parts.append("sponsor \(sponsor.fullName)") }
                if let until = decision.deferUntil {
                    parts.append("until \(CalendarDay.label(until))")
                }
                if let reason = decision.reason { parts.append("“\(reason)”") }
                return .init(
                    date: decision.decidedAt, decision: decision.decision, text: parts.joined(separator: "; "),
                    meetingID: decision.$meeting.id)
            },
            measures: measureCharts,
            diagramSVG: diagram.isEmpty ? nil : diagram.chart(idPrefix: "project-driver-diagram").svg(),
            ideas: diagram.ideas.map { idea in
                .init(
                    id: idea.id, title: idea.title,
                    cycles: cycles.filter { $0.$changeIdea.id == idea.id }.compactMap { cycle in
                        cycle.id.map {
                            .init(id: $0, number: cycle.number, status: cycle.status, decision: cycle.decision)
                        }
                    })
            },
            stories: stories.compactMap { story in
                story.id.map { .init(id: $0, title: story.title, isPublishable: story.isPublishable) }
            },
            comments: comments.map { .init(author: $0.author.fullName, date: $0.createdAt, text: $0.text) },
            auditTrail: trail.map { AuditLog.Row($0, tree: tree, words: words) },
            forumUnitID: forumUnit, forumName: tree.path(of: forumUnit),
            progressChartSVG: updates.isEmpty
                ? nil
                : ProgressScoreChart(
                    updates: updates.map { (CalendarDay.text($0.date), $0.score) }
                ).svg(),
            access: access, canEdit: false,
            teamForm: FormState(values: ["involvement": ServiceUserInvolvement.fullPartner.rawValue]),
            updateForm: FormState(values: [
                "update_date": AppClock.today.text, "score": project.score?.text ?? "",
                "stage": project.stage?.rawValue ?? "",
            ]),
            closeForm: FormState(values: ["outcome": "completed"]),
            decisionChoices: project.awaitsDecision
                ? try await ForumDecisionChoices.load(forUnits: [project.$unit.id], tree: tree, on: db)[
                    project.$unit.id]
                : nil,
            aimAchieved: project.aimAchieved, learning: project.learning, sustainPlan: project.sustainPlan,
            gains: try await ProjectGains.query(projectID: id, status: project.status, on: db),
            closedAt: project.closedAt
        )
    }
}
