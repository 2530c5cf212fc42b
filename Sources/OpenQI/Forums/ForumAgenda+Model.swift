import Fluent
import Foundation
import Vapor

/// A forum meeting's page: the agenda OpenQI drafts, and a decision form per proposal for the chair.
enum ForumAgenda {
    struct Item: Sendable, Equatable {
        let project: ProjectRow
        let aim: String
        /// Why it is on the agenda: "Submitted 3 March", "No update for 7 weeks".
        let reason: String
    }

    struct Model: Sendable, Equatable {
        var meetingID: UUID
        var date: Date
        var forumUnitID: UUID
        var forumName: String
        var notes: String?
        var proposals: [Item]
        var reviews: [Item]
        /// Completed projects whose outcome measures signal concern since they closed, unanswered.
        var slipping: [Item] = []
        var celebrations: [Item]
        var decisions: [UUID: String]
        var canDecide: Bool
        /// The coaches and sponsors the chair may appoint, by proposal.
        var choices: [UUID: ForumDecisionChoices]
        /// What the chair typed into a decision form that could not be saved, by project.
        var decisionForms: [UUID: FormState]
    }
}

extension ForumAgenda.Model {
    static func query(meetingID: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard let meeting = try await ForumMeeting.find(meetingID, on: db) else {
            throw NotFound("forum meeting")
        }
        let tree = policy.tree
        let forumUnit = meeting.$unit.id
        let scope = tree.subtree(of: forumUnit).filter { tree.forumUnit(for: $0) == forumUnit }
        let previous = try await ForumMeeting.query(on: db).filter(\.$unit.$id == forumUnit).filter(
            \.$date < meeting.date
        )
        .sort(\.$date, .descending).first()
        let projects = try await Project.query(on: db).filter(\.$unit.$id ~~ Array(scope))
            .filter(\.$status != .stopped).all()
        let projectIDs = projects.compactMap(\.id)
        let decisions = try await ForumDecision.query(on: db).filter(\.$project.$id ~~ projectIDs).sort(\.$decidedAt)
            .all()
        let updates = try await ProgressUpdate.query(on: db).filter(\.$project.$id ~~ projectIDs).sort(\.$date).all()
        let day = { (date: Date) in CalendarDay(containing: date).dayAndMonth }
        let activeIDs = projects.filter { $0.status == .active }.compactMap(\.id)
        var measuresByProject: [UUID: [MeasureFreshness]] = [:]
        let measures = try await Measure.query(on: db).filter(\.$project.$id ~~ activeIDs)
            .filter(\.$archivedAt == nil).all()
        let latestPeriods = try await DataPoint.latestPeriods(of: measures.compactMap(\.id), on: db)
        for measure in measures {
            let latest = latestPeriods[try measure.requireID()]
            measuresByProject[measure.$project.id!, default: []].append(
                .init(
                    name: measure.name, frequency: measure.frequency, latestPeriod: latest,
                    createdAt: measure.createdAt))
        }

        func item(_ project: Project, _ reason: String) -> ForumAgenda.Item {
            .init(project: ProjectRow(project, id: project.id!, tree: tree), aim: project.aimStatement, reason: reason)
        }
        var proposals: [ForumAgenda.Item] = []
        var reviews: [ForumAgenda.Item] = []
        var celebrations: [ForumAgenda.Item] = []
        // Proposals decided at this meeting stay on its agenda, with the decision, as its minutes.
        let decidedHere = Set(decisions.filter { $0.$meeting.id == meetingID }.map(\.$project.id))
        for project in projects.sorted(by: { $0.title < $1.title }) {
            let id = project.id!
            if decidedHere.contains(id) {
                proposals.append(item(project, "Submitted \(project.submittedAt.map(day) ?? "")"))
                continue
            }
            switch project.status {
            case .proposed, .inReview:
                proposals.append(item(project, "Submitted \(project.submittedAt.map(day) ?? "")"))
            case .deferred:
                let until = decisions.last { $0.$project.id == id && $0.decision == .defer }?.deferUntil
                if until.map({ $0 <= meeting.date }) ?? true {
                    proposals.append(item(project, "Deferred to \(until.map(day) ?? "this meeting")"))
                }
            case .active:
                if let reason = reviewReason(
                    project, updates: updates.filter { $0.$project.id == id }, measures: measuresByProject[id] ?? [],
                    on: meeting.date)
                {
                    reviews.append(item(project, reason))
                }
            case .completed:
                if let closed = project.closedAt, closed <= meeting.date.addingTimeInterval(24 * 3600),
                    previous.map({ closed > $0.date }) ?? true
                {
                    celebrations.append(
                        item(
                            project,
                            "Completed \(day(closed))"
                                + (project.aimAchieved.map { " · aim achieved: \($0.label.lowercased())" } ?? "")))
                }
            default:
                break
            }
        }
        // Sustaining the gains: completed work whose data slip comes back until someone answers.
        let completed = Dictionary(
            uniqueKeysWithValues: projects.filter { $0.status == .completed }.compactMap { p in p.id.map { ($0, p) } })
        var slipping: [ForumAgenda.Item] = []
        if !completed.isEmpty {
            let signals = try await SlippingGains.signals(
                where: "p.id IN (\(binds: Array(completed.keys)))", asOf: meeting.date, on: db)
            for (projectID, signals) in Dictionary(grouping: signals, by: \.projectID) {
                guard let project = completed[projectID] else { continue }
                slipping.append(
                    item(
                        project,
                        "Gains slipping: "
                            + SlippingGains.described(signals)))
            }
            slipping.sort { $0.project.title < $1.project.title }
        }
        let canDecide = policy.allows(.chairForum(forumUnit))
        let undecided = proposals.map(\.project.id).filter { !decidedHere.contains($0) }
        let unitOf = Dictionary(uniqueKeysWithValues: projects.compactMap { p in p.id.map { ($0, p.$unit.id) } })
        let choicesByUnit =
            canDecide
            ? try await ForumDecisionChoices.load(
                forUnits: Set(undecided.compactMap { unitOf[$0] }), tree: tree, on: db) : [:]
        return .init(
            meetingID: meetingID, date: meeting.date, forumUnitID: forumUnit, forumName: tree.path(of: forumUnit),
            notes: meeting.notes,
            proposals: proposals, reviews: reviews, slipping: slipping, celebrations: celebrations,
            decisions: decisions.filter { $0.$meeting.id == meetingID }.reduce(into: [:]) {
                $0[$1.$project.id] = $1.decision.label
            },
            canDecide: canDecide,
            choices: undecided.reduce(into: [:]) { choices, id in
                choices[id] = unitOf[id].flatMap { choicesByUnit[$0] }
            },
            decisionForms: [:]
        )
    }

    /// Why an active project is due for review at a meeting, if it is: no update for six weeks,
    /// data overdue on a measure, or a score that has not moved for three months.
    static func reviewReason(
        _ project: Project, updates: [ProgressUpdate], measures: [MeasureFreshness] = [], on date: Date
    ) -> String? {
        guard let last = updates.last else {
            return Stalled.awaitsUpdate(project, now: date) ? "No update since approval" : nil
        }
        let weeks = Int(date.timeIntervalSince(last.date) / (7 * 24 * 3600))
        if date.timeIntervalSince(last.date) >= Stalled.noUpdateFor { return "No update for \(weeks) weeks" }
        if let overdue = measures.first(where: { $0.isOverdue(on: date) }) {
            return overdue.latestPeriod.map {
                "Data overdue: \(overdue.name), last \(CalendarDay(containing: $0).dayAndMonth)"
            } ?? "No data yet: \(overdue.name)"
        }
        // The score has been the same since the first of the latest run of equal scores.
        let unchangedSince = updates.reversed().prefix { $0.score == last.score }.last?.date ?? last.date
        if date.timeIntervalSince(unchangedSince) >= ReviewThresholds.scoreStalled {
            return
                "Score \(ProgressScore(rawValue: last.score)?.text ?? "") unchanged for \(Int(date.timeIntervalSince(unchangedSince) / (30 * 24 * 3600))) months"
        }
        return nil
    }
}
