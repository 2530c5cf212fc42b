import Fluent
import Foundation

/// What needs the viewer now, from their place on teams, as coach, sponsor and forum chair.
struct MyTask: Sendable, Equatable {
    let text: String
    let url: String
}

enum MyTasks {
    static func query(policy: Policy, on db: any Database, now: Date = AppClock.now) async throws -> [MyTask] {
        let me = policy.viewer.personID
        var tasks: [MyTask] = []
        let memberships = try await TeamMember.query(on: db).filter(\.$person.$id == me).all().map(\.$project.id)
        let projects = try await Project.query(on: db).group(.or) {
            $0.filter(\.$id ~~ memberships).filter(\.$coach.$id == me).filter(\.$sponsor.$id == me)
        }.all()
        let ids = projects.compactMap(\.id)
        let updates = try await ProgressUpdate.query(on: db).filter(\.$project.$id ~~ ids).sort(\.$date).all()
        let changes = try await ForumDecision.query(on: db).filter(\.$project.$id ~~ ids).sort(\.$decidedAt).all()
        let slipping = try await SlippingGains.projectIDs(
            among: projects.filter { $0.status == .completed }.compactMap(\.id), on: db)
        for project in projects.sorted(by: { $0.title < $1.title }) {
            let id = project.id!
            let url = SiteURL.projects(.show(.value(id))).relativeURL()
            let onTeam = memberships.contains(id)
            let latest = updates.last { $0.$project.id == id }
            if slipping.contains(id) {
                tasks.append(
                    .init(
                        text: "The gains of “\(project.title)” are slipping: record what is being done.",
                        url: url + "#gains"))
            }
            if onTeam, project.status == .draft {
                if let sentBack = changes.last(where: { $0.$project.id == id }), sentBack.decision == .requestChanges {
                    tasks.append(
                        .init(
                            text:
                                "Make the changes the forum asked for to “\(project.title)”: \(sentBack.reason ?? ""), then submit it again.",
                            url: url))
                } else {
                    tasks.append(
                        .init(text: "Add your team to “\(project.title)” and submit it to the forum.", url: url))
                }
            }
            guard project.status == .active else { continue }
            let due = Stalled.awaitsUpdate(project, now: now)
            if onTeam, due {
                tasks.append(
                    .init(
                        text: "Post an update on “\(project.title)”: the last was more than six weeks ago.",
                        url: url + "#updates"))
            }
            if project.$coach.id == me, due {
                tasks.append(
                    .init(
                        text: "Check in with the team of “\(project.title)”, which you coach: no update for six weeks.",
                        url: url))
            }
            if project.$sponsor.id == me, let ask = latest?.sponsorAsk {
                tasks.append(.init(text: "“\(project.title)” asks its sponsor: \(ask)", url: url + "#updates"))
            }
        }
        // A coach carrying more than they have room for: the forum allocates coaches by their load.
        let coaching = projects.filter { $0.status == .active && $0.$coach.id == me }.count
        if coaching > 0 {
            let capacity =
                try await Person.find(me, on: db)?.coachingCapacity ?? Person.usualCoachingCapacity
            if coaching > capacity {
                tasks.append(
                    .init(
                        text:
                            "You coach \(coaching) active projects, more than the \(capacity) you have room for: ask your QI team to share them out.",
                        url: SiteURL.projects(.index).relativeURL(query: [
                            ("status", ProjectStatus.active.rawValue), ("coach", me.uuidString),
                        ])))
            }
        }
        // Forums the viewer chairs, with proposals waiting and completed work whose gains slip.
        let chaired = policy.viewer.grants.filter { $0.role == .forumChair }.map(\.unitID)
        if !chaired.isEmpty {
            let waiting = try await Project.query(on: db).filter(\.$status ~~ ProjectStatus.awaitingDecision).all()
            let slippingUnits = try await SlippingGains.projectUnits(on: db)
            for unit in chaired {
                let forum = SiteURL.forums(.show(.value(unit))).relativeURL()
                let count = waiting.filter { policy.tree.forumUnit(for: $0.$unit.id) == unit }.count
                if count > 0 {
                    tasks.append(
                        .init(
                            text:
                                "\(count) proposal\(count == 1 ? "" : "s") wait\(count == 1 ? "s" : "") for the \(policy.tree.path(of: unit)) forum.",
                            url: forum))
                }
                let slips = slippingUnits.filter { policy.tree.forumUnit(for: $0) == unit }.count
                if slips > 0 {
                    tasks.append(
                        .init(
                            text:
                                "The gains of \(slips) completed project\(slips == 1 ? " are" : "s are") slipping: the \(policy.tree.path(of: unit)) forum reviews \(slips == 1 ? "it" : "them").",
                            url: forum + "#gains-slipping"))
                }
            }
        }
        // Escalations waiting for an answer from a unit the viewer leads (where the role is held,
        // not every unit below: a trust's administrators are not asked about every ward's issue).
        let leads = Set(policy.viewer.grants.map(\.unitID)).filter { policy.allows(.answerEscalations($0)) }
        if !leads.isEmpty {
            let waiting = try await Escalation.query(on: db).filter(\.$toUnit.$id ~~ leads).filter(\.$closedAt == nil)
                .filter(\.$response == nil).all()
            let today = CalendarDay(containing: now)
            for unit in Set(waiting.map(\.$toUnit.id)).sorted(by: {
                policy.tree.path(of: $0) < policy.tree.path(of: $1)
            }) {
                let here = waiting.filter { $0.$toUnit.id == unit }
                let late = here.count { $0.isPastDue(on: today) }
                tasks.append(
                    .init(
                        text:
                            "\(here.count) escalation\(here.count == 1 ? "" : "s") to \(policy.tree.path(of: unit)) await\(here.count == 1 ? "s" : "") a response"
                            + (late > 0 ? ", \(late) past due." : "."),
                        url: SiteURL.units(.huddles(.value(unit))).relativeURL() + "#awaiting"))
            }
        }
        // Actions the viewer took on at a huddle, now due.
        let owned = try await HuddleIssue.query(on: db).filter(\.$owner.$id == me).filter(\.$actionDoneOn == nil)
            .filter(\.$actionDue <= CalendarDay(containing: now).date).with(\.$huddle).all()
        for unit in Set(owned.map(\.huddle.$unit.id)).sorted(by: { policy.tree.path(of: $0) < policy.tree.path(of: $1) }
        ) {
            let count = owned.count { $0.huddle.$unit.id == unit }
            tasks.append(
                .init(
                    text:
                        "\(count) action\(count == 1 ? "" : "s") you took on at \(policy.tree.nodes[unit]?.name ?? "your team")’s huddles \(count == 1 ? "is" : "are") due: mark \(count == 1 ? "it" : "them") done when finished.",
                    url: SiteURL.units(.huddles(.value(unit))).relativeURL() + "#actions"))
        }
        // An executive's visits held (their day passed) but not recorded, and WalkRound follow-ups
        // the viewer owns, now due.
        let toRecord = try await WalkRound.query(on: db).filter(\.$executive.$id == me).filter(\.$heldOn == nil)
            .filter(\.$cancelledAt == nil)
            .filter(\.$plannedOn < CalendarDay(containing: now).date).sort(\.$plannedOn).all()
        for visit in toRecord {
            tasks.append(
                .init(
                    text:
                        "Record your WalkRound to \(policy.tree.nodes[visit.$unit.id]?.name ?? "a team") of \(CalendarDay.label(visit.plannedOn)).",
                    url: SiteURL.walkRounds(.show(.value(try visit.requireID()))).relativeURL() + "#record"))
        }
        let followUps = try await WalkRoundAction.query(on: db).filter(\.$owner.$id == me).filter(\.$doneOn == nil)
            .filter(\.$dueOn <= CalendarDay(containing: now).date).count()
        if followUps > 0 {
            tasks.append(
                .init(
                    text:
                        "\(followUps) WalkRound follow-up\(followUps == 1 ? "" : "s") you own \(followUps == 1 ? "is" : "are") due: mark \(followUps == 1 ? "it" : "them") done when finished.",
                    url: SiteURL.walkRounds(.index).relativeURL() + "#follow-ups"))
        }
        // Service users and carers invited onto teams, whose records the viewer may approve.
        if policy.mayAddPeopleSomewhere {
            let invited = try await Person.query(on: db).awaitingApproval().all()
                .filter { policy.allows(.managePeople(in: $0.$unit.id)) }
            if !invited.isEmpty {
                tasks.append(
                    .init(
                        text: invited.count == 1
                            ? "\(invited[0].fullName), invited onto a project team, waits for you to approve their record."
                            : "\(invited.count) people invited onto project teams wait for you to approve their records.",
                        url: invited.count == 1
                            ? SiteURL.people(.show(.value(try invited[0].requireID()))).relativeURL()
                            : SiteURL.people(.index).relativeURL(query: [("awaiting", "yes")])))
            }
        }
        return tasks
    }
}
