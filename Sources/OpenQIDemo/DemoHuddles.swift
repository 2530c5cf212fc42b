import Fluent
import Foundation
import OpenQI

/// The demo's quality control: every ward holds a safety huddle each week (eight weeks of them),
/// raising the issues wards raise, with actions on the ward's own staff, most done in time; about one huddle in four
/// passes an issue up to the directorate. The directorates answered and closed what was raised more
/// than three weeks ago, but for one in three, now past due; what is recent waits. Chosen by
/// position, so the same demo comes out every time.
enum DemoHuddles {
    static let weeks = 8

    static let issues: [(issue: String, action: String?, escalated: Bool)] = [
        ("Call bell in bedroom 4 not working", "Report to estates and check daily until fixed", false),
        ("Two patients on enhanced observation overnight, one nurse short", nil, true),
        ("Rapid tranquillisation stock below minimum", "Order from pharmacy today", false),
        ("Garden door alarm sounding intermittently", "Log a job with estates", false),
        ("Agency staff not completing the safety briefing", "Brief agency staff at the start of each shift", false),
        ("No psychiatrist available for the 72-hour review", nil, true),
        (
            "Ligature risk assessment overdue for the new bathroom fittings", "Complete the assessment with estates",
            true
        ),
        ("Family asking for more contact during visiting restrictions", "Set up video calls twice a week", false),
        ("Bed occupancy above 100% for the third week", nil, true),
        ("Sharps bin in the clinic room over the fill line", "Replace and check at every huddle", false),
    ]

    static let answers = [
        "Bank shifts agreed for the next four weeks while two posts are recruited to.",
        "The on-call consultant will cover reviews; a locum starts next month.",
        "Estates have prioritised the work; fittings replaced and the assessment signed off.",
        "Discussed at the directorate's bed meeting: two patients moved to step-down beds.",
    ]

    static func load(
        _ organisation: DemoOrganisation, on db: any Database, now: Date = AppClock.now
    ) async throws {
        let today = CalendarDay(containing: now)
        let wards = organisation.units.filter { $0.kind == .ward }
        let staff = Dictionary(grouping: organisation.people.filter { $0.kind == .staff }, by: \.unitID)
        // The directorate's forum chair answers what its wards escalate; another lead where there is none.
        let answerers = Dictionary(
            organisation.signIns.filter { $0.role == .forumChair }.map { ($0.unitID, $0.personID) }
        ) { first, _ in first }
        let fallback = organisation.signIns.first { $0.role == .qiTeam }?.personID ?? organisation.people[0].id
        let recorderOfWard = Dictionary(
            organisation.signIns.filter { $0.role == .member }.map { ($0.unitID, $0.personID) }
        ) { first, _ in first }
        var huddles: [Huddle] = []
        var raised: [HuddleIssue] = []
        var escalations: [Escalation] = []
        for (wardIndex, ward) in wards.enumerated() {
            guard let directorate = ward.parentID, let people = staff[ward.id], !people.isEmpty else { continue }
            let manager = organisation.people.first { recorderOfWard[ward.id] == $0.id }
            let team = (manager.map { [$0] } ?? []) + people.filter { $0.id != manager?.id }
            for week in 1...weeks {
                let day = today.adding(days: -7 * week + 1 + wardIndex % 5)
                guard day <= today else { continue }
                let huddle = Huddle()
                huddle.id = UUID()
                huddle.$unit.id = ward.id
                huddle.heldOn = day.date
                huddle.kind = .safety
                huddle.attendees =
                    (team.prefix(3).map(\.fullName) + ["bank nurse", "ward doctor"]).joined(separator: ", ")
                huddle.$recordedBy.id = recorderOfWard[ward.id] ?? team[0].id
                huddle.recordedAt = min(day.date.addingTimeInterval(9 * 3600), now)
                huddles.append(huddle)
                let count = (wardIndex + week) % 3
                for position in 0..<count {
                    let seed = issues[(wardIndex * 7 + week * 3 + position) % issues.count]
                    let issue = HuddleIssue()
                    issue.id = UUID()
                    issue.$huddle.id = huddle.id!
                    issue.position = position + 1
                    issue.description = seed.issue
                    if let action = seed.action {
                        // A ward with a demo sign-in: its manager took the actions on, as their home page shows.
                        let owner = manager ?? team[(week + position) % team.count]
                        let due = day.adding(days: 7)
                        issue.action = action
                        issue.$owner.id = owner.id
                        issue.actionDue = due.date
                        // Most actions done within their week; about one in four still open, and overdue.
                        if due < today, (week + position) % 4 != 2 {
                            issue.actionDoneOn = due.adding(days: -2).date
                        }
                    }
                    raised.append(issue)
                    guard seed.escalated, (wardIndex + week) % 2 == 0 else { continue }
                    let escalation = Escalation()
                    escalation.$issue.id = issue.id!
                    escalation.$fromUnit.id = ward.id
                    escalation.$toUnit.id = directorate
                    escalation.raisedAt = huddle.recordedAt
                    let due = day.adding(days: 14)
                    escalation.dueOn = due.date
                    if week > 3, (wardIndex + week) % 3 != 0 {
                        escalation.response = answers[(wardIndex + week) % answers.count]
                        escalation.$respondedBy.id = answerers[directorate] ?? fallback
                        escalation.respondedAt = due.adding(days: -3).date
                        escalation.closedAt = escalation.respondedAt
                    }
                    escalations.append(escalation)
                }
            }
        }
        for batch in huddles.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in raised.chunked(into: 500) { try await Array(batch).create(on: db) }
        for batch in escalations.chunked(into: 500) { try await Array(batch).create(on: db) }
    }
}
