import Fluent
import Foundation
import OpenQI
import SPC
import SyntheticData

/// The demo organisation's QI portfolio: projects at every status and stage, with teams (service
/// users among them as full partners), forum decisions, dated updates, and outcome measures whose
/// weekly data shift after the change the team adopted, so charts show real signals.
struct DemoPortfolio {
    static let topics:
        [(
            title: String, aim: String, howMuch: String, measure: String, unit: String, baseline: Double,
            direction: ImprovementDirection
        )] = [
            ("Fewer falls on %@", "Reduce falls on %@", "by 30%", "Falls per week", "falls", 6, .down),
            (
                "Less violence and aggression on %@", "Reduce incidents of violence on %@", "by 40%",
                "Violent incidents per week", "incidents", 5, .down
            ),
            (
                "Fewer missed appointments in %@", "Reduce did-not-attend appointments in %@", "from 18% to 10%",
                "Missed appointments per week", "appointments", 18, .down
            ),
            (
                "Physical health checks for everyone in %@", "Increase completed physical health checks in %@",
                "from 40 to 80 a week", "Checks completed per week", "checks", 40, .up
            ),
            (
                "Faster access to %@", "Reduce the wait for a first appointment in %@", "from 12 to 6 weeks",
                "Average wait in days", "days", 84, .down
            ),
            (
                "Reducing restrictive practice on %@", "Reduce the use of restraint on %@", "by 50%",
                "Restraints per week", "restraints", 4, .down
            ),
            (
                "Joy in work in %@", "Increase staff who would recommend %@ as a place to work", "by 20 points",
                "Staff happy at work (of 30 asked)", "staff", 17, .up
            ),
            (
                "Safer medicines on %@", "Reduce medication errors on %@", "by 50%", "Medication errors per week",
                "errors", 3, .down
            ),
            (
                "Peer support for everyone in %@", "Increase people offered peer support in %@", "from 5 to 20 a week",
                "People offered peer support per week", "people", 5, .up
            ),
            (
                "Timely discharge from %@", "Reduce delayed discharges from %@", "by 30%",
                "Delayed discharges per week", "discharges", 7, .down
            ),
        ]

    /// Each topic's balancing measure, in the order of `topics`: what the change might make worse.
    static let balancingMeasures: [(name: String, unit: String, baseline: Double, definition: String)] = [
        (
            "Minutes a handover takes", "minutes", 25,
            "The nurse in charge times the morning handover each day; the weekly mean."
        ),
        ("As-needed sedation given", "doses a week", 6, "Doses of as-needed sedation recorded on the medicines chart."),
        (
            "Admin hours on reminders", "hours a week", 6,
            "Hours the team administrators log against appointment reminders."
        ),
        (
            "Clinic slots given to health checks", "slots a week", 4,
            "Clinic appointments used for physical health checks."
        ),
        (
            "Re-referrals within three months", "referrals a week", 5,
            "Referrals of people discharged in the last 90 days."
        ),
        ("Staff injuries", "injuries a week", 2, "Staff injuries recorded on the incident system."),
        ("Agency shifts", "shifts a week", 12, "Shifts filled by agency staff."),
        (
            "Minutes a medicines round takes", "minutes", 55,
            "The morning medicines round, timed each day; the weekly mean."
        ),
        ("Peer worker caseload", "people", 14, "People each peer worker supports, at the end of the week."),
        (
            "Readmissions within 30 days", "readmissions a week", 2,
            "Readmissions of people discharged in the last 30 days."
        ),
    ]

    /// Writes the portfolio in batches within the caller's transaction.
    static func load(_ organisation: DemoOrganisation, size: DemoSize, on db: any Database, now: Date = AppClock.now)
        async throws
    {
        var random = SplitMix64(seed: 2027)
        let day: TimeInterval = 24 * 3600
        let frontline = organisation.units.filter { [.ward, .team, .service].contains($0.kind) }
        let staff = Dictionary(grouping: organisation.people.filter { $0.kind == .staff }, by: \.unitID)
        let serviceUsers = organisation.people.filter { $0.kind == .serviceUser || $0.kind == .carer }
        let directorateOf = Dictionary(uniqueKeysWithValues: frontline.map { ($0.id, $0.parentID!) })
        let demoPerson = Dictionary(uniqueKeysWithValues: organisation.signIns.map { ($0.role, $0.personID) })
        // Each directorate gets a sponsor, a forum chair (the demo sign-ins for the first) and a pool
        // of QI coaches, three for every four projects expected to be active (half of them): most
        // coach one or two, as ELFT's do; chance leaves some over capacity, and one in five has room
        // for three.
        var coaches: [UUID: [UUID]] = [:]
        var sponsors: [UUID: UUID] = [:]
        var chairs: [UUID: UUID] = [:]
        var grants: [RoleGrant] = []
        var experienced: [UUID] = []
        let directorates = organisation.units.filter { $0.kind == .directorate }
        let activePerDirectorate = size.projects / 2 / max(1, directorates.count)
        for (index, directorate) in directorates.enumerated() {
            let units = frontline.filter { $0.parentID == directorate.id }
            let local = units.flatMap { staff[$0.id] ?? [] }
            guard local.count >= 4 else { continue }
            let pool = Array(local.dropFirst(2).enumerated().filter { $0.offset % 3 == 0 }.map(\.element.id))
                .prefix(max(1, activePerDirectorate * 3 / 4))
            coaches[directorate.id] = (index == 0 ? [demoPerson[.coach]!] : []) + pool
            experienced += pool.enumerated().filter { $0.offset % 5 == 4 }.map(\.element)
            sponsors[directorate.id] = index == 0 ? demoPerson[.sponsor]! : local[0].id
            chairs[directorate.id] = index == 0 ? demoPerson[.forumChair]! : local[1].id
            grants += pool.map { RoleGrant(personID: $0, unitID: directorate.id, role: .coach) }
            if index > 0 {
                grants += [
                    RoleGrant(personID: local[0].id, unitID: directorate.id, role: .sponsor),
                    RoleGrant(personID: local[1].id, unitID: directorate.id, role: .forumChair),
                ]
            }
        }
        for chunk in grants.chunked(into: 5000) { try await Array(chunk).create(on: db) }
        for chunk in experienced.chunked(into: 1000) {
            try await Person.query(on: db).filter(\.$id ~~ Array(chunk)).set(\.$coachingCapacity, to: 3).update()
        }

        var projects: [Project] = []
        var members: [TeamMember] = []
        var decisions: [ForumDecision] = []
        var updates: [ProgressUpdate] = []
        var measures: [Measure] = []
        var points: [DataPoint] = []
        var priorityLinks: [ProjectPriority] = []
        var work = DemoImprovementWork.Records()
        var slipping = 0
        var unpartnered = 0
        let priorities = try await Priority.query(on: db).all().compactMap(\.id)
        let statuses: [(ProjectStatus, Int)] = [
            (.draft, 5), (.proposed, 8), (.deferred, 3), (.declined, 4), (.active, 50), (.completed, 25), (.stopped, 5),
        ]
        func pickStatus() -> ProjectStatus {
            var roll = Int.random(in: 0..<100, using: &random)
            for (status, weight) in statuses {
                if roll < weight { return status }
                roll -= weight
            }
            return .active
        }
        for index in 0..<size.projects {
            let unit = frontline[index % frontline.count]
            guard let directorate = directorateOf[unit.id], let people = staff[unit.id], !people.isEmpty,
                let pool = coaches[directorate], let sponsor = sponsors[directorate], let chair = chairs[directorate]
            else { continue }
            let topicIndex = Int.random(in: 0..<topics.count, using: &random)
            let topic = topics[topicIndex]
            var status = pickStatus()
            // The member's ward gets active projects, so the demo sign-ins see work in progress.
            let lead =
                index < 3 && unit.id == organisation.signIns.first(where: { $0.role == .member })?.unitID
                ? demoPerson[.member]! : people[Int.random(in: 0..<people.count, using: &random)].id
            if lead == demoPerson[.member] { status = .active }
            let started = now.addingTimeInterval(-Double(Int.random(in: size.projectStarts, using: &random)) * day)
            let project = Project()
            project.id = UUID()
            project.title = String(format: topic.title, unit.name)
            project.$unit.id = unit.id
            project.status = status
            project.whatMatters = "Service users, carers and staff on \(unit.name) told us this matters most to them."
            project.problem = "The team’s own data show the problem every week; a process map found where it starts."
            project.aimWhat = String(format: topic.aim, unit.name)
            project.aimHowMuch = topic.howMuch
            project.aimByWhen = started.addingTimeInterval(365 * day)
            project.$proposer.id = lead
            project.submittedAt = status == .draft ? nil : started
            let approved = started.addingTimeInterval(30 * day)
            let running = [.active, .completed, .stopped].contains(status)
            let coach = pool[Int.random(in: 0..<pool.count, using: &random)]
            if running {
                project.$coach.id = coach
                project.$sponsor.id = sponsor
                let stages = ImprovementStage.allCases
                project.stage =
                    status == .completed ? .sustain : stages[Int.random(in: 0..<stages.count, using: &random)]
            }
            if status == .completed || status == .stopped {
                project.closedAt = min(
                    now, approved.addingTimeInterval(Double(Int.random(in: 120...330, using: &random)) * day))
                project.aimAchieved =
                    status == .completed
                    ? [AimAchieved.yes, .yes, .partly, .no][Int.random(in: 0..<4, using: &random)] : nil
                project.learning =
                    status == .completed
                    ? "Small tests with the whole team, service users included, changed more than the big plan we started with."
                    : "The change depended on a rota we could not keep; we learned to test the rota first."
                project.sustainPlan =
                    status == .completed && project.aimAchieved != .no
                    ? "The ward manager owns the new routine and the measure is reviewed at the monthly huddle." : nil
            }
            projects.append(project)
            if let priority = priorities.isEmpty
                ? nil : priorities[Int.random(in: 0..<priorities.count, using: &random)]
            {
                let link = ProjectPriority()
                link.$project.id = project.id!
                link.$priority.id = priority
                priorityLinks.append(link)
            }
            members.append(
                TeamMember(
                    projectID: project.id!, personID: lead, role: "Project lead", isLead: true, involvement: .none))
            for extra in people.filter({ $0.id != lead }).prefix(Int.random(in: 1...3, using: &random)) {
                members.append(
                    TeamMember(
                        projectID: project.id!, personID: extra.id, role: "Team member", isLead: false,
                        involvement: .none))
            }
            var partnership: ServiceUserInvolvement?
            if Int.random(in: 0..<100, using: &random) < 55, let partner = serviceUsers.randomElement(using: &random) {
                let level: ServiceUserInvolvement =
                    Int.random(in: 0..<3, using: &random) == 0 ? .occasional : .fullPartner
                partnership = level
                members.append(
                    TeamMember(
                        projectID: project.id!, personID: partner.id, role: "Expert by experience", isLead: false,
                        involvement: level))
            }
            // Teams with a service user or carer as a full partner achieve their aims more often, as
            // ELFT found: a partial result becomes a full one for them, and every other full result
            // of a team with nobody involved was partial (no random draw, so the rest of the demo
            // stays as it was; before its stories and slipping gains are chosen from the results).
            if status == .completed {
                if partnership == .fullPartner, project.aimAchieved == .partly {
                    project.aimAchieved = .yes
                } else if partnership == nil, project.aimAchieved == .yes {
                    unpartnered += 1
                    if unpartnered % 2 == 0 { project.aimAchieved = .partly }
                }
            }
            if [.deferred, .declined].contains(status) || running {
                let decision = ForumDecision()
                decision.$project.id = project.id!
                decision.decision = status == .deferred ? .defer : status == .declined ? .decline : .approve
                decision.$coach.id = running ? coach : nil
                decision.$sponsor.id = running ? sponsor : nil
                decision.deferUntil = status == .deferred ? now.addingTimeInterval(30 * day) : nil
                decision.reason = status == .declined ? "Another team is already working on this; join them." : nil
                decision.$decidedBy.id = chair
                decision.decidedAt = approved
                decisions.append(decision)
            }
            guard running else { continue }
            project.approvedAt = approved
            // One active project in eight has gone quiet two to four months ago: no update since, and for
            // half of those no data either, so the portfolio and the forums have stalled work to find.
            var quietSince: Date?
            if status == .active, Int.random(in: 0..<8, using: &random) == 0 {
                let since = now.addingTimeInterval(-Double(Int.random(in: 50...120, using: &random)) * day)
                if since > approved.addingTimeInterval(60 * day) { quietSince = since }
            }
            let dataStops = quietSince != nil && Int.random(in: 0..<2, using: &random) == 0
            // Monthly updates, the score climbing as the work goes on.
            let end = project.closedAt ?? quietSince ?? now
            var date = approved.addingTimeInterval(28 * day)
            var score = 1.0
            let ceiling =
                status == .stopped ? 2.5 : status == .completed ? (project.aimAchieved == .no ? 2.5 : 4.5) : 4.0
            while date < end {
                let update = ProgressUpdate()
                update.$project.id = project.id!
                update.date = date
                update.score = score
                update.stage = project.stage
                update.did = "Ran this month’s PDSA cycle and collected the weekly data."
                update.learned = "What worked on nights did not always work on days."
                update.nextSteps = "Test the adapted change on days next month."
                update.sponsorAsk =
                    Int.random(in: 0..<5, using: &random) == 0 ? "Protected time for the team’s weekly huddle." : nil
                update.$author.id = lead
                updates.append(update)
                score = min(ceiling, score + (Int.random(in: 0..<3, using: &random) == 0 ? 0 : 0.5))
                date = date.addingTimeInterval(28 * day)
            }
            project.progressScore = updates.last?.$project.id == project.id ? updates.last!.score : nil
            project.lastUpdateAt = updates.last?.$project.id == project.id ? updates.last!.date : nil
            // A family of measures, as a coach asks for: the outcome, whose weekly data shift after the
            // change was adopted; how reliably each change idea is done (the first rising through its
            // PDSA ramp); a balancing measure; and what service users say.
            let dataEnd = project.closedAt ?? (dataStops ? end : now)
            let weeks = max(12, Int(dataEnd.timeIntervalSince(started) / (7 * day)))
            let changeWeek = weeks * 3 / 5
            let improved = project.aimAchieved != .no && status != .stopped
            func addMeasure(
                _ name: String, kind: MeasureKind, unitOfMeasure: String, chart: ChartType,
                direction: ImprovementDirection, definition: String, target: Double? = nil,
                value: (Int) -> (Double, Double?)
            ) -> UUID {
                let measure = Measure()
                measure.id = UUID()
                measure.$project.id = project.id!
                measure.$unit.id = unit.id
                measure.name = name
                measure.kind = kind
                measure.definition = definition
                measure.unitOfMeasure = unitOfMeasure
                measure.frequency = .weekly
                measure.chartType = chart.rawValue
                measure.rules = "mdc"
                measure.direction = direction.rawValue
                measure.multiply = chart == .p ? 100 : 1
                measure.target = target
                measures.append(measure)
                for week in 0..<weeks {
                    let (value, denominator) = value(week)
                    points.append(
                        DataPoint(
                            measureID: measure.id!, period: started.addingTimeInterval(Double(week) * 7 * day),
                            value: value, denominator: denominator, note: nil))
                }
                return measure.id!
            }
            func noise() -> Double {
                var sum = -6.0
                for _ in 0..<12 { sum += Double(random.next() >> 11) * 0x1p-53 }
                return sum
            }
            /// A week's count of `total` with about the share `p` done, binomial noise around it.
            func proportion(of total: Double, _ p: Double) -> (Double, Double?) {
                let done = total * p + noise() * (total * p * (1 - p)).squareRoot()
                return (min(total, max(0, done.rounded())), total)
            }
            // Outcome measures carry the aim's figure as their target, so the measures summary and the
            // assurance icons have one to judge against.
            let outcome = addMeasure(
                topic.measure, kind: .outcome, unitOfMeasure: topic.unit, chart: .i, direction: topic.direction,
                definition: "Counted each week from the team’s records, Monday to Sunday.",
                target: (topic.baseline * (topic.direction == .down ? 0.5 : 1.5)).rounded()
            ) { week in
                let shift =
                    improved && week >= changeWeek ? (topic.direction == .down ? -0.5 : 0.5) * topic.baseline : 0
                return (max(0, (topic.baseline + shift + noise() * topic.baseline.squareRoot() * 0.45).rounded()), nil)
            }
            // Sustaining the gains: a few completed projects kept counting their outcome after they
            // closed, held the gain for months, then slid back to where they began in the last eight
            // weeks, so a forum (the demo chair's first) has slipping gains to find. No random draws:
            // the rest of the demo stays as it was.
            if status == .completed, project.aimAchieved == .yes, slipping < size.slippingGains,
                let closed = project.closedAt, closed < now.addingTimeInterval(-26 * 7 * day),
                slipping > 0 || directorate == directorates.first?.id
            {
                slipping += 1
                let until = Int(now.timeIntervalSince(started) / (7 * day))
                let gained = topic.baseline * (topic.direction == .down ? 0.5 : 1.5)
                for week in weeks..<until {
                    let level = week >= until - 8 ? topic.baseline : gained
                    let wobble = [0.0, 1, -1, 0.5][week % 4] * topic.baseline.squareRoot() * 0.45
                    points.append(
                        DataPoint(
                            measureID: outcome, period: started.addingTimeInterval(Double(week) * 7 * day),
                            value: max(0, (level + wobble).rounded()), denominator: nil, note: nil))
                }
            }
            for (number, idea) in DemoImprovementWork.templates[topicIndex].ideas.enumerated() {
                // The first idea goes through the ramp and is adopted; the others are tried later, less fully.
                let from = number == 0 ? changeWeek - 6 : changeWeek + 4 * number
                let reached = number == 0 ? 0.9 : 0.55
                _ = addMeasure(
                    "“\(idea.0)” done as planned", kind: .process, unitOfMeasure: "% of shifts", chart: .p,
                    direction: .up,
                    definition: "Shifts on which the nurse in charge recorded the change as done, of 14 a week."
                ) { week in proportion(of: 14, week < from ? 0.12 : reached) }
            }
            let balancing = Self.balancingMeasures[topicIndex]
            _ = addMeasure(
                balancing.name, kind: .balancing, unitOfMeasure: balancing.unit, chart: .i, direction: .down,
                definition: balancing.definition
            ) { _ in (max(0, (balancing.baseline + noise() * balancing.baseline.squareRoot() * 0.4).rounded()), nil) }
            _ = addMeasure(
                "Service users who felt listened to", kind: .outcome, unitOfMeasure: "% of those asked", chart: .p,
                direction: .up,
                definition:
                    "Of the 20 service users asked each week by a peer worker: yes to “Did staff listen to you?”",
                target: 80
            ) { week in proportion(of: 20, improved && week >= changeWeek ? 0.82 : 0.68) }
            // The diagram for every running project; the PDSA ramp, marked on the chart, once it has tested.
            DemoImprovementWork.add(
                to: &work, project: project, topic: topicIndex, measureID: outcome,
                changeDate: started.addingTimeInterval(Double(changeWeek) * 7 * day),
                testing: status != .active || project.stage != .understand)
            if status == .completed, project.aimAchieved == .yes {
                let story = Story()
                story.$project.id = project.id!
                story.title = "How \(unit.name) did it: \(project.title.lowercased())"
                story.body = """
                    ## What mattered
                    \(project.whatMatters)

                    ## What we tried
                    We tested **\(DemoImprovementWork.templates[topicIndex].ideas[0].0.lowercased())** in three PDSA cycles, \
                    from one patient on one shift to the whole ward, with an expert by experience on the team throughout.

                    ![\(topic.measure)](chart:\(outcome.uuidString))

                    ## What we learned
                    \(project.learning ?? "")
                    """
                story.isPublishable = Int.random(in: 0..<2, using: &random) == 0
                story.$author.id = lead
                work.stories.append(story)
            }
        }
        for batch in projects.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in members.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in priorityLinks.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in decisions.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in updates.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in measures.chunked(into: 500) { try await Array(batch).create(on: db) }
        try await DataPoint.upsert(points, on: db)
        try await DemoImprovementWork.save(work, on: db)
    }
}
