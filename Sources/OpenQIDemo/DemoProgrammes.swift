import Fluent
import Foundation
import OpenQI
import SPC
import SyntheticData

/// The demo's two large-scale programmes, after the ELFT report (chapter 6): "Violence reduction",
/// which spread from one pilot ward to every inpatient ward in waves over three years, and
/// "Access", a collaborative of 15 community teams over two years (waits down by about a quarter,
/// non-attendance by about a third), now being evaluated.
enum DemoProgrammes {
    static func load(_ organisation: DemoOrganisation, size: DemoSize, on db: any Database, now: Date = AppClock.now)
        async throws
    {
        var random = SplitMix64(seed: 2028)
        let day: TimeInterval = 24 * 3600
        guard let trust = organisation.units.first(where: { $0.kind == .organisation && $0.parentID == nil }) else {
            return
        }
        let signIn = Dictionary(uniqueKeysWithValues: organisation.signIns.map { ($0.role, $0.personID) })
        // Staff from across the trust (the demo sign-ins aside) to lead, advise and analyse.
        let trustStaff = organisation.people.filter { $0.kind == .staff && !signIn.values.contains($0.id) }
        guard trustStaff.count >= 4, let advisor = signIn[.improvementAdvisor], let qiTeam = signIn[.qiTeam],
            let participation = signIn[.forumChair], let director = signIn[.sponsor]
        else { return }
        let staff = Dictionary(grouping: organisation.people.filter { $0.kind == .staff }, by: \.unitID)
        let directorateOf = Dictionary(
            uniqueKeysWithValues: organisation.units.compactMap { unit in unit.parentID.map { (unit.id, $0) } })
        // Who coaches, sponsors and chairs in each directorate, as the portfolio granted them.
        let grants = try await RoleGrant.query(on: db).filter(\.$role ~~ [.coach, .sponsor, .forumChair]).all()
        func holders(_ role: Role, at unit: UUID) -> [UUID] {
            grants.filter { $0.role == role && $0.$unit.id == unit }.map(\.$person.id)
        }
        try await RoleGrant(personID: trustStaff[3].id, unitID: trust.id, role: .improvementAdvisor).create(on: db)
        let standards = try await defineStandards(on: db)
        let priorities = try await Priority.query(on: db).all()

        var work = DemoImprovementWork.Records()
        var points: [DataPoint] = []
        var measures: [Measure] = []
        var projects: [Project] = []
        var members: [TeamMember] = []
        var decisions: [ForumDecision] = []
        /// Each programme's teams: when each joined and who is on it, for the learning sessions.
        var joinedTeams: [UUID: [(project: UUID, joined: Date, people: [UUID])]] = [:]

        func noise() -> Double {
            var sum = -6.0
            for _ in 0..<12 { sum += Double(random.next() >> 11) * 0x1p-53 }
            return sum
        }

        /// One team's project in a programme: joined on `joined`, its first change adopted some
        /// weeks later, after which each standard measure's level falls by `fall`.
        func team(
            _ unit: DemoOrganisation.UnitSeed, programme: Programme, title: String, topic: Int, joined: Date,
            counts: [(StandardMeasure, baseline: Double, fall: Double)], closed: Date? = nil,
            package: [ChangeIdea], second: DemoImprovementWork.SecondTest?
        ) {
            guard let directorate = directorateOf[unit.id], let people = staff[unit.id], !people.isEmpty,
                let coach = holders(.coach, at: directorate).first,
                let sponsor = holders(.sponsor, at: directorate).first
            else { return }
            let lead = people[Int.random(in: 0..<people.count, using: &random)].id
            let project = Project()
            project.id = UUID()
            project.title = title
            project.$unit.id = unit.id
            project.$programme.id = programme.id
            project.status = closed == nil ? .active : .completed
            project.whatMatters = "Service users and staff on \(unit.name) asked for this as part of \(programme.name)."
            project.problem = "The programme’s measures show where \(unit.name) starts from."
            project.aimWhat = programme.aim ?? programme.name
            project.aimHowMuch = "by 30%"
            project.aimByWhen = joined.addingTimeInterval(540 * day)
            project.$proposer.id = lead
            project.submittedAt = joined.addingTimeInterval(-21 * day)
            project.approvedAt = joined
            project.$coach.id = coach
            project.$sponsor.id = sponsor
            // Teams that joined earlier are further on.
            let months = now.timeIntervalSince(joined) / (30 * day)
            project.stage = closed != nil ? .sustain : months > 12 ? .implement : months > 5 ? .test : .strategy
            project.progressScore = closed != nil ? 4.5 : min(4.5, 2 + Double(Int(months / 4)) * 0.5)
            project.lastUpdateAt = now.addingTimeInterval(-14 * day)
            project.closedAt = closed
            project.aimAchieved = closed == nil ? nil : .yes
            projects.append(project)
            members.append(
                TeamMember(
                    projectID: project.id!, personID: lead, role: "Project lead", isLead: true, involvement: .none))
            var team = [lead]
            if let colleague = people.first(where: { $0.id != lead })?.id {
                members.append(
                    TeamMember(
                        projectID: project.id!, personID: colleague, role: "Data lead", isLead: false,
                        involvement: .none))
                team.append(colleague)
            }
            joinedTeams[programme.id!, default: []].append((project.id!, joined, team))
            let decision = ForumDecision()
            decision.$project.id = project.id!
            decision.decision = .approve
            decision.$coach.id = coach
            decision.$sponsor.id = sponsor
            decision.$decidedBy.id = holders(.forumChair, at: directorate).first ?? lead
            decision.decidedAt = joined
            decisions.append(decision)
            // Twelve weeks of baseline before joining, then the change, adopted after sixteen.
            let start = joined.addingTimeInterval(-84 * day)
            let end = closed ?? now
            let weeks = max(20, Int(end.timeIntervalSince(start) / (7 * day)))
            let changeWeek = 28
            var outcome: UUID?
            for (standard, baseline, fall) in counts {
                let measure = Measure.made(from: standard, for: project)
                measure.id = UUID()
                measures.append(measure)
                outcome = outcome ?? measure.id
                // A rate (a u chart) is a count of events over the week's occupied bed days.
                let isRate = standard.chartType == ChartType.u.rawValue
                for week in 0..<weeks {
                    let level = week >= changeWeek ? baseline * (1 - fall) : baseline
                    let value = max(0, level + noise() * max(0.5, level.squareRoot()) * 0.35)
                    points.append(
                        DataPoint(
                            measureID: measure.id!, period: start.addingTimeInterval(Double(week) * 7 * day),
                            value: isRate ? value.rounded() : (value * 10).rounded() / 10,
                            denominator: isRate ? Double(140 + Int.random(in: 0...14, using: &random)) : nil,
                            note: nil))
                }
            }
            DemoImprovementWork.add(
                to: &work, project: project, topic: topic, measureID: outcome!,
                changeDate: start.addingTimeInterval(Double(changeWeek) * 7 * day),
                testing: now > start.addingTimeInterval(Double(changeWeek) * 7 * day), package: package,
                second: second)
        }

        // Violence reduction: one pilot ward three years ago, then waves until every ward had joined.
        let violence = try await programme(
            "Violence reduction", aim: "Reduce physical violence on our inpatient wards by 30% by March 2027",
            summary:
                "Began on one ward in 2023 and spread in waves to every inpatient ward: safety huddles, the Broset checklist and co-produced safety plans.",
            unit: trust.id, priority: priorities.first { $0.name == "Reducing violence and restrictive practice" },
            stage: .deliver, measures: [standards.violence, standards.restraints],
            people: [
                (qiTeam, .lead), (director, .executiveSponsor), (advisor, .improvementAdvisor),
                (trustStaff[3].id, .improvementAdvisor), (participation, .participationLead),
                (trustStaff[1].id, .analyst),
            ],
            started: now.addingTimeInterval(-1_250 * day), on: db)
        // The change package both programmes' teams adapt: the template their own diagrams start from.
        let violencePackage = DemoImprovementWork.diagram(to: &work, owner: .programme(violence.id!), topic: 1)
        let wards = Array(organisation.units.filter { $0.kind == .ward }.prefix(size == .small ? 40 : 200))
        for (index, ward) in wards.enumerated() {
            // The pilot, then waves of about a quarter of the wards each.
            let wave = index == 0 ? 0 : 1 + (index - 1) * 4 / max(1, wards.count - 1)
            let joined = now.addingTimeInterval(
                -Double([1_100, 860, 600, 340, 120][min(wave, 4)] - index % 5 * 7) * day)
            team(
                ward, programme: violence, title: "Reducing violence on \(ward.name)", topic: 1, joined: joined,
                counts: [(standards.violence, 4.2, 0.35), (standards.restraints, 2.6, 0.4)],
                package: violencePackage, second: [.testing, .abandoned, nil][index % 3])
        }

        // Access: fifteen community teams at once, for two years; the collaborative is being evaluated.
        let access = try await programme(
            "Access", aim: "Cut the wait for a first appointment by 20% and non-attendance by a third within two years",
            summary:
                "A collaborative of fifteen community teams with learning sessions every eight weeks: text reminders, daily triage and group welcome sessions.",
            unit: trust.id, priority: priorities.first { $0.name == "Timely access to care" }, stage: .evaluate,
            measures: [standards.wait, standards.nonAttendance],
            people: [
                (trustStaff[2].id, .lead), (trustStaff[0].id, .executiveSponsor), (advisor, .improvementAdvisor),
                (participation, .participationLead), (trustStaff[1].id, .analyst),
            ],
            started: now.addingTimeInterval(-900 * day), on: db)
        let accessPackage = DemoImprovementWork.diagram(to: &work, owner: .programme(access.id!), topic: 2)
        let teams = organisation.units.filter { $0.kind == .team || $0.kind == .service }.prefix(15)
        let accessStart = now.addingTimeInterval(-760 * day)
        for (index, unit) in teams.enumerated() {
            team(
                unit, programme: access, title: "Timely access in \(unit.name)", topic: 2, joined: accessStart,
                counts: [(standards.wait, 42, 0.23), (standards.nonAttendance, 18, 0.36)],
                closed: accessStart.addingTimeInterval(730 * day), package: accessPackage,
                second: index % 4 == 3 ? .abandoned : nil)
        }

        // Learning sessions every eight weeks from the first team's joining, each attended by most
        // of the teams that had joined by then, each team leaving with what it will test next.
        var sessions: [LearningSession] = []
        var attendance: [LearningSessionAttendance] = []
        var plans: [ActionPeriodPlan] = []
        let ideas = DemoImprovementWork.templates
        for (programme, topic, end) in [(violence, 1, now), (access, 2, accessStart.addingTimeInterval(730 * day))] {
            let teams = joinedTeams[programme.id!] ?? []
            guard var date = teams.map(\.joined).min() else { continue }
            var number = 0
            while date < end {
                number += 1
                let session = LearningSession(
                    programmeID: programme.id!, heldOn: CalendarDay(containing: date).date,
                    place: number % 2 == 0 ? "Trust headquarters" : "The education centre",
                    agenda: "Teams’ storyboards; what the data show; planning the next action period.")
                session.id = UUID()
                sessions.append(session)
                for team in teams where team.joined <= date && Int.random(in: 0..<10, using: &random) < 8 {
                    for person in team.people.prefix(Int.random(in: 1...2, using: &random)) {
                        attendance.append(
                            LearningSessionAttendance(sessionID: session.id!, teamID: team.project, personID: person))
                    }
                    let idea = ideas[topic].ideas[number % ideas[topic].ideas.count].0
                    plans.append(
                        ActionPeriodPlan(
                            sessionID: session.id!, teamID: team.project,
                            plan: "Test “\(idea)” on a larger scale, and collect the weekly data."))
                }
                date = date.addingTimeInterval(56 * day)
            }
        }

        for batch in projects.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in members.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in decisions.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in measures.chunked(into: 500) { try await Array(batch).create(on: db) }
        try await DataPoint.upsert(points, on: db)
        try await DemoImprovementWork.save(work, on: db)
        for batch in sessions.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in attendance.chunked(into: 1000) { try await Array(batch).create(on: db) }
        for batch in plans.chunked(into: 1000) { try await Array(batch).create(on: db) }
    }

    /// The standard measures the programmes' teams count: the wards' own violence and restraint
    /// indicators, and two for access.
    private static func defineStandards(on db: any Database) async throws -> (
        violence: StandardMeasure, restraints: StandardMeasure, wait: StandardMeasure, nonAttendance: StandardMeasure
    ) {
        func standard(_ name: String, definition: String, unit: String?, chart: String, on db: any Database)
            async throws -> StandardMeasure
        {
            let standard = StandardMeasure()
            (standard.name, standard.kind, standard.definition, standard.unitOfMeasure) =
                (name, .outcome, definition, unit)
            (standard.frequency, standard.chartType, standard.rules, standard.direction) =
                (.weekly, chart, "mdc", "down")
            (standard.target, standard.multiply) = (nil, 1)
            try await standard.create(on: db)
            return standard
        }
        func existing(_ name: String) async throws -> StandardMeasure {
            if let standard = try await StandardMeasure.query(on: db).filter(\.$name == name).first() {
                return standard
            }
            return try await standard(name, definition: name, unit: nil, chart: "i", on: db)
        }
        return (
            try await existing("Violent incidents"), try await existing("Restraints"),
            try await standard(
                "Days from referral to first appointment",
                definition:
                    "The mean number of days from a referral’s receipt to the first appointment attended, for appointments that week.",
                unit: "days", chart: "i", on: db),
            try await standard(
                "Appointments not attended",
                definition:
                    "First and follow-up appointments not attended without notice, as a percentage of those booked that week.",
                unit: "% of booked", chart: "i", on: db)
        )
    }

    /// A programme moved through its stages up to `stage`, a few weeks between each decision.
    private static func programme(
        _ name: String, aim: String, summary: String, unit: UUID, priority: Priority?, stage: ProgrammeStage,
        measures: [StandardMeasure], people: [(UUID, ProgrammeRole)], started: Date, on db: any Database
    ) async throws -> Programme {
        let programme = Programme(name: name, unitID: unit, stage: stage)
        programme.id = UUID()
        programme.aim = aim
        programme.summary = summary
        programme.$priority.id = priority?.id
        try await programme.create(on: db)
        for standard in measures {
            let link = ProgrammeMeasure()
            link.$programme.id = programme.id!
            link.$standard.id = standard.id!
            try await link.create(on: db)
        }
        for (person, role) in people {
            try await ProgrammeMember(programmeID: programme.id!, personID: person, role: role).create(on: db)
        }
        let notes: [ProgrammeStage: String] = [
            .design: "The board agreed the scope and the aim; the design group includes two experts by experience.",
            .recruit: "Driver diagram and standard measures agreed at the design day.",
            .deliver: "The first teams were approved by their forums; the first learning session is booked.",
            .evaluate: "Two years done: the teams’ data are in and the evaluation group is meeting.",
        ]
        var previous = ProgrammeStage.scope
        for (index, next) in ProgrammeStage.allCases.dropFirst().enumerated() {
            guard ProgrammeStage.allCases.firstIndex(of: next)! <= ProgrammeStage.allCases.firstIndex(of: stage)!
            else { break }
            let change = ProgrammeStageChange()
            change.$programme.id = programme.id!
            change.from = previous
            change.to = next
            change.decidedOn = CalendarDay(containing: started).date.addingTimeInterval(
                Double(index) * 42 * 24 * 3600 + (next == .evaluate ? 730 * 24 * 3600 : 0))
            change.note = notes[next] ?? ""
            try await change.create(on: db)
            previous = next
        }
        return programme
    }
}
