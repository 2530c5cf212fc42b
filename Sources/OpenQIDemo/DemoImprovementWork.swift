import Fluent
import Foundation
import OpenQI

/// The demo projects' driver diagrams and PDSA ramps: for each topic, the drivers a real team would
/// name and the change ideas it would test, three cycles growing in scale on the first idea, the
/// last adopted in the week the outcome measure shifts.
struct DemoImprovementWork {
    struct Template {
        let primaries: [String]
        /// Each secondary driver with the index of the primary it moves.
        let secondaries: [(String, Int)]
        /// Each change idea with the index of the secondary it acts on.
        let ideas: [(String, Int)]
    }

    /// One template per topic of `DemoPortfolio.topics`, in the same order.
    static let templates: [Template] = [
        Template(
            primaries: ["Safe mobility", "Reliable falls risk assessment"],
            secondaries: [("Access to walking aids", 0), ("Footwear and clothing", 0), ("Assessment on admission", 1)],
            ideas: [
                ("Falls huddle at each handover", 2), ("Walking aid within reach checklist", 0),
                ("Slipper socks on admission", 1),
            ]),
        Template(
            primaries: ["Therapeutic relationships", "Predictable ward routines"],
            secondaries: [("Early recognition of distress", 0), ("Safety huddles", 1), ("Meaningful activity", 1)],
            ideas: [
                ("Twice-daily safety huddle", 1), ("Broset Violence Checklist at handover", 0),
                ("Evening activity programme", 2),
            ]),
        Template(
            primaries: ["People remember their appointment", "Appointments fit people’s lives"],
            secondaries: [("Reminders", 0), ("Choice of time", 1), ("Letters people understand", 0)],
            ideas: [("Text reminder two days before", 0), ("Book by phone call", 1), ("Plain-English letters", 2)]),
        Template(
            primaries: ["Checks are offered", "Checks are easy to complete"],
            secondaries: [
                ("Prompt in the care plan", 0), ("Equipment on the ward", 1), ("Staff confident to check", 1),
            ],
            ideas: [("Health check week", 0), ("Kit bag per ward", 1), ("Peer-led training", 2)]),
        Template(
            primaries: ["Referrals triaged quickly", "Capacity matches demand"],
            secondaries: [("Single point of access", 0), ("Daily triage", 0), ("Group first appointments", 1)],
            ideas: [("Daily triage meeting", 1), ("Referral form redesign", 0), ("Group welcome session", 2)]),
        Template(
            primaries: ["De-escalation first", "Shared safety planning"],
            secondaries: [
                ("Staff skills in de-escalation", 0), ("Sensory spaces", 0), ("Safety plans with service users", 1),
            ],
            ideas: [
                ("Sensory room open all day", 1), ("Co-produced safety plans", 2), ("Debrief after every restraint", 0),
            ]),
        Template(
            primaries: ["Staff feel valued", "Time to do the job well"],
            secondaries: [("Recognition", 0), ("Protected breaks", 1), ("Team voice in decisions", 0)],
            ideas: [("Thank-you board", 0), ("Break rota", 1), ("Monthly team forum", 2)]),
        Template(
            primaries: ["Safe prescribing", "Safe administration"],
            secondaries: [("Pharmacist review", 0), ("Interruptions during rounds", 1), ("Clear charts", 0)],
            ideas: [("Do-not-disturb tabards", 1), ("Pharmacist on the ward round", 0), ("Chart audit each week", 2)]),
        Template(
            primaries: ["People know peer support exists", "Peer workers are available"],
            secondaries: [("Introductions on admission", 0), ("Peer worker hours", 1), ("Referral routes", 0)],
            ideas: [("Peer worker at admission", 0), ("Peer support leaflet", 2), ("Extended peer worker hours", 1)]),
        Template(
            primaries: ["Discharge planned from admission", "Community support ready"],
            secondaries: [("Expected date of discharge", 0), ("Housing in place", 1), ("Daily board round", 0)],
            ideas: [
                ("Estimated discharge date on day one", 0), ("Board round at 10am", 2), ("Housing officer in-reach", 1),
            ]),
    ]

    /// What one project's improvement work adds to the demo.
    struct Records {
        var drivers: [Driver] = []
        var driverLinks: [DriverLink] = []
        var ideas: [ChangeIdea] = []
        var ideaDrivers: [ChangeIdeaDriver] = []
        var cycles: [PDSACycle] = []
        var watched: [PDSAWatchedMeasure] = []
        var annotations: [MeasureAnnotation] = []
        var stories: [Story] = []
    }

    /// A second idea a programme's team has taken further or let go: one cycle running, or one
    /// that ended in "abandon".
    enum SecondTest {
        case testing, abandoned
    }

    /// Adds a project's diagram and, when it has reached testing, a ramp of three cycles on its first
    /// idea ending with "adopt" at `changeDate`, each marked on the outcome measure's chart. A
    /// programme's team adapts the programme's ideas (`package`, in the template's order) and may
    /// test a second one.
    static func add(
        to records: inout Records, project: Project, topic: Int, measureID: UUID, changeDate: Date, testing: Bool,
        package: [ChangeIdea] = [], second: SecondTest? = nil
    ) {
        let projectID = project.id!
        let ideas = diagram(to: &records, owner: .project(projectID), topic: topic)
        for (idea, adapted) in zip(ideas, package) { idea.$adaptedFrom.id = adapted.id }
        if testing, let second, ideas.count > 1 {
            let idea = ideas[1]
            let cycle = PDSACycle()
            cycle.id = UUID()
            cycle.$project.id = projectID
            cycle.$changeIdea.id = idea.id!
            cycle.number = 1
            cycle.objective = "Try “\(idea.title)” on one shift."
            cycle.question = "Does it fit the ward’s day?"
            cycle.prediction = "Staff will find time for it."
            cycle.who = "The ward manager"
            cycle.what = idea.title
            cycle.place = "The ward"
            cycle.plannedStart = changeDate.addingTimeInterval(4 * 7 * 24 * 3600)
            cycle.startedOn = cycle.plannedStart
            switch second {
            case .testing:
                cycle.status = .running
            case .abandoned:
                cycle.status = .complete
                cycle.doNotes = "Tried on three shifts."
                cycle.studyNotes = "It took staff away from the floor at the busiest time."
                cycle.decision = .abandon
                cycle.actNotes = "Stopped; the huddle covers most of it."
                cycle.completedOn = cycle.plannedStart.addingTimeInterval(14 * 24 * 3600)
            }
            records.cycles.append(cycle)
        }
        guard testing, let idea = ideas.first else { return }
        let week: TimeInterval = 7 * 24 * 3600
        let scale = ["one patient on one shift", "every patient on day shifts for a week", "the whole ward"]
        for number in 1...3 {
            let start = changeDate.addingTimeInterval(-Double(3 - number) * 3 * week)
            let cycle = PDSACycle()
            cycle.id = UUID()
            cycle.$project.id = projectID
            cycle.$changeIdea.id = idea.id!
            cycle.number = number
            cycle.status = .complete
            cycle.objective = "Test “\(idea.title)” with \(scale[number - 1])."
            cycle.question = "Can the team do it reliably, and does it help?"
            cycle.prediction = number == 1 ? "It will take under five minutes." : "Fewer incidents within three weeks."
            cycle.who = "The nurse in charge, with an expert by experience"
            cycle.what = idea.title
            cycle.place = "The ward"
            cycle.plannedStart = start
            cycle.plannedEnd = start.addingTimeInterval(2 * week)
            cycle.startedOn = start
            cycle.doNotes = number == 1 ? "It took eight minutes; nights found it harder." : "Done on 9 shifts in 10."
            cycle.studyNotes =
                number == 3
                ? "The weekly count fell below the old mean and stayed there."
                : "Too early to see a change in the data; the team liked it."
            cycle.decision = number == 3 ? .adopt : .adapt
            cycle.actNotes = number == 3 ? "Part of the ward routine from now on." : "Adapt and test at a larger scale."
            cycle.completedOn = start.addingTimeInterval(2 * week)
            records.cycles.append(cycle)
            let watch = PDSAWatchedMeasure()
            watch.$cycle.id = cycle.id!
            watch.$measure.id = measureID
            records.watched.append(watch)
            records.annotations.append(
                MeasureAnnotation(measureID: measureID, period: start, text: "PDSA \(number) started: \(idea.title)"))
        }
    }

    /// Adds the topic's driver diagram to `owner`, and answers its change ideas in order.
    static func diagram(to records: inout Records, owner: DiagramOwner.Key, topic: Int) -> [ChangeIdea] {
        let template = templates[topic % templates.count]
        let primaries = template.primaries.enumerated().map { index, text in
            let driver = Driver(owner: owner, level: .primary, text: text, position: index)
            driver.id = UUID()
            return driver
        }
        let secondaries = template.secondaries.enumerated().map { index, item in
            let driver = Driver(
                owner: owner, level: .secondary, text: item.0, position: primaries.count + index)
            driver.id = UUID()
            let link = DriverLink()
            link.$primary.id = primaries[item.1].id!
            link.$secondary.id = driver.id!
            records.driverLinks.append(link)
            return driver
        }
        records.drivers += primaries + secondaries
        let ideas = template.ideas.enumerated().map { index, item in
            let idea = ChangeIdea(owner: owner, title: item.0, summary: nil, position: index)
            idea.id = UUID()
            let link = ChangeIdeaDriver()
            link.$changeIdea.id = idea.id!
            link.$driver.id = secondaries[item.1].id!
            records.ideaDrivers.append(link)
            return idea
        }
        records.ideas += ideas
        return ideas
    }

    static func save(_ records: Records, on db: any Database) async throws {
        for batch in records.drivers.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in records.driverLinks.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in records.ideas.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in records.ideaDrivers.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in records.cycles.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in records.watched.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in records.annotations.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in records.stories.chunked(into: 500) { try await Array(batch).create(on: db) }
    }
}
