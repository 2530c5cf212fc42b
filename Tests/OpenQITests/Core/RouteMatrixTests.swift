import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Every route the application registers, read from its route table, against every role: a route
/// added without a row here fails the test. Those who may use a route get past the policy (no 401,
/// 403 or sign-in page, and no server error); everyone else signed in gets 403 (or, for records
/// private to their owner, 404); the signed-out get the sign-in page, or 401 from the API.
///
/// Each route that names a record is tried twice: against records inside the directorate where the
/// roles are held, and against the same records in the other directorate, out of every role's
/// reach but the installation administrator's and that directorate's own administrator's.
///
/// `AuthorisationMatrixTests` checks a few routes more closely, with the status each success answers.
@Suite("Authorisation matrix from the route table")
struct RouteMatrixTests {
    typealias Who = AuthorisationMatrixTests.Who

    /// The records every row's path names. Roles are granted at the directorate; the project is in
    /// its ward, coached and sponsored by the holders of those roles, with the member on its team.
    struct World: Sendable {
        var ids: [String: UUID] = [:]
    }

    /// Who may use a route.
    enum Allowed: Sendable {
        /// Anyone, signed in or not (sign-in, health, metrics, the API's description).
        case everyone
        case signedIn
        case some(Set<Who>)
    }

    struct Row: Sendable {
        var allowed: Allowed
        /// Form fields (or JSON for the API) that get a request past validation to the policy.
        var body: [String: String] = [:]
        /// What the others get: 403, or 404 for records private to their owner.
        var refusal: HTTPStatus = .forbidden
        /// Query to add to the path.
        var query = ""
        /// What those who may use the route get, where it is one status whoever asks.
        var answer: HTTPStatus? = nil
        /// Where one who may not use it is refused otherwise than with `refusal`.
        var refusals: [Who: HTTPStatus] = [:]
    }

    static let readers = Allowed.signedIn
    static let installationAdmin = Allowed.some([.installationAdmin])
    static let unitAdmins = Allowed.some([.installationAdmin, .admin])
    /// Pages every administrator has, each showing only their own units (checked in `ownPartOnly`).
    static let anyAdmin = Allowed.some([.installationAdmin, .admin, .unrelatedAdmin])
    static let peopleManagers = Allowed.some([.installationAdmin, .admin, .qiTeam])
    static let measureManagers = Allowed.some([.installationAdmin, .admin, .qiTeam])
    static let forumChairs = Allowed.some([.installationAdmin, .admin, .forumChair])
    /// The strategy is the organisation's: roles held at a directorate do not reach it. Nor do they
    /// reach its standard measures.
    static let strategists = installationAdmin

    static func standardMeasure(_ name: String, version: String = "") -> [String: String] {
        [
            "name": name, "kind": "outcome", "definition": "Incidents a month.", "frequency": "monthly",
            "chart_type": "run", "rules": "anhoej", "direction": "down", "version": version,
        ]
    }
    /// Programmes run by the directorate: its administrators and QI team manage them.
    static let programmeManagers = Allowed.some([.installationAdmin, .admin, .qiTeam])
    /// And the programme's lead (the member, in the directorate's programme).
    static let programmeLeads = Allowed.some([.installationAdmin, .admin, .qiTeam, .member])
    /// A directorate's plans: its administrators and QI team draw them.
    static let planners = Allowed.some([.installationAdmin, .admin, .qiTeam])
    static let projectEditors = Allowed.some([.installationAdmin, .admin, .qiTeam, .coach, .sponsor, .member])
    /// What is being done when a completed project's gains slip: its editors and its forum's chair.
    static let gainsKeepers = Allowed.some([
        .installationAdmin, .admin, .qiTeam, .coach, .sponsor, .member, .forumChair,
    ])
    /// A unit's huddles: its team (members), administrators and QI team record them.
    static let huddleRecorders = Allowed.some([.installationAdmin, .admin, .qiTeam, .member])
    /// Escalations sent to the directorate: its leads answer them.
    static let escalationAnswerers = Allowed.some([.installationAdmin, .admin, .qiTeam, .forumChair])
    /// WalkRounds to the directorate's teams: its executives (by their role), administrators and QI team.
    static let walkRoundPlanners = Allowed.some([.installationAdmin, .admin, .qiTeam, .executive])
    /// A follow-up: the visit's executive, its owner, and the team visited (members, administrators, QI team).
    static let followUpKeepers = Allowed.some([.installationAdmin, .admin, .qiTeam, .member, .executive])
    /// Training is the organisation's, as the strategy is: roles held at a directorate do not reach it.
    static let capabilityLeads = installationAdmin
    /// A cohort's registers: its facilitator (the coach, inside) and whoever runs the training.
    static let registerTakers = Allowed.some([.installationAdmin, .coach])
    /// An administrator's own upload: nobody else sees it at all.
    static let uploader = Row(allowed: .some([.admin]), refusal: .notFound)

    static let rows: [String: Row] = [
        "GET /health": Row(allowed: .everyone),
        // Only for the scraper's bearer token, which no session carries.
        "GET /metrics": Row(allowed: .everyone, answer: .unauthorized),
        "GET /sign-in": Row(allowed: .everyone),
        // Anyone may try; a sign-in nobody has is refused as such, whoever asks.
        "POST /sign-in": Row(
            allowed: .everyone, body: ["email": "nobody@test.example", "password": "x"], answer: .unauthorized),
        // Single sign-on is not set up in these tests: both say so, to anyone (SingleSignOnTests sets it up).
        "GET /sign-in/oidc": Row(allowed: .everyone, answer: .notFound),
        "GET /sign-in/oidc/callback": Row(allowed: .everyone, answer: .notFound),
        "POST /sign-out": Row(allowed: readers, answer: .seeOther),
        "GET /account/password": Row(allowed: readers),
        "POST /account/password": Row(allowed: readers),
        "GET /": Row(allowed: readers),

        "GET /units": Row(allowed: readers),
        "GET /units/new": Row(allowed: unitAdmins, query: "parent_id=:directorate"),
        "POST /units": Row(
            allowed: unitAdmins, body: ["name": "New ward", "kind": "ward", "parent_id": ":directorate"]),
        "GET /units/:unitID": Row(allowed: readers),
        "GET /units/:unitID/edit": Row(allowed: unitAdmins),
        "POST /units/:unitID": Row(
            allowed: unitAdmins,
            body: ["name": "Willow Ward", "kind": "ward", "parent_id": ":directorate", "version": "1"]),
        "POST /units/:unitID/archive": Row(allowed: unitAdmins),
        "POST /units/:unitID/restore": Row(allowed: unitAdmins),
        "GET /units/:unitID/measures": Row(allowed: readers),
        "GET /units/:unitID/portfolio": Row(allowed: readers),
        "GET /units/:unitID/portfolio/coaches": Row(allowed: readers),
        "GET /units/:unitID/involvement": Row(allowed: readers),
        "GET /units/:unitID/huddles": Row(allowed: readers),
        "GET /units/:unitID/quality": Row(allowed: readers),
        "GET /units/:unitID/huddles/new": Row(allowed: huddleRecorders),
        "POST /units/:unitID/huddles": Row(
            allowed: huddleRecorders, body: ["held_on": "2026-01-05", "kind": "safety", "attendees": "Day team"]),
        "GET /huddles/:huddleID": Row(allowed: readers),
        // The action's owner too (someone without a role, here): see HuddleTests.
        "POST /huddles/:huddleID/issues/:issueID/done": Row(allowed: huddleRecorders),
        "GET /escalations": Row(allowed: readers),
        "GET /walkrounds": Row(allowed: readers),
        // Anyone who may schedule a visit somewhere: the other directorate's administrator too.
        "GET /walkrounds/new": Row(
            allowed: .some([.installationAdmin, .admin, .qiTeam, .executive, .unrelatedAdmin])),
        "POST /walkrounds": Row(
            allowed: walkRoundPlanners,
            body: ["unit_id": ":unitID", "executive_id": ":executiveID", "planned_on": AppClock.today.text]),
        "GET /walkrounds/:walkRoundID": Row(allowed: readers),
        // The visit's executive (the executive's own, inside; a stranger's, outside), and the
        // organisation's administrators and QI team; not the directorate's.
        "POST /walkrounds/:walkRoundID/record": Row(
            allowed: .some([.installationAdmin, .executive]),
            body: [
                "held_on": "2026-01-05", "proud_of": "Leave kept going", "improving": "Fewer falls",
                "in_the_way": "Vacancies", "self_care": "Protected breaks",
            ]),
        "POST /walkrounds/:walkRoundID/follow-ups/:actionID/done": Row(allowed: followUpKeepers),
        // The visit's executive, and the team's administrators and QI team.
        "POST /walkrounds/:walkRoundID/reschedule": Row(
            allowed: walkRoundPlanners, body: ["planned_on": AppClock.today.text]),
        "POST /walkrounds/:walkRoundID/cancel": Row(allowed: walkRoundPlanners),
        "GET /escalations/:escalationID": Row(allowed: readers),
        "POST /escalations/:escalationID/respond": Row(
            allowed: escalationAnswerers, body: ["response": "Agreed: bank shifts from Monday."]),
        "GET /units/:unitID/early-warning": Row(allowed: readers),
        "GET /units/:unitID/data-upload": Row(allowed: measureManagers),
        "POST /units/:unitID/data-upload": Row(allowed: measureManagers),
        "GET /units/:unitID/board-report": Row(allowed: readers),
        "GET /units/:unitID/board-report/edit": Row(allowed: measureManagers),
        "POST /units/:unitID/board-report": Row(allowed: measureManagers),
        "GET /units/:unitID/board-report.html": Row(allowed: readers),
        "GET /units/:unitID/compare": Row(allowed: readers),
        "GET /units/:unitID/measures/new": Row(allowed: measureManagers),
        "POST /units/:unitID/measures": Row(allowed: measureManagers),

        "GET /data-uploads/:uploadID": uploader,
        "POST /data-uploads/:uploadID/apply": uploader,
        "POST /data-uploads/:uploadID/cancel": uploader,
        "GET /data-uploads/:uploadID/report.csv": uploader,

        "GET /people": Row(allowed: readers),
        "GET /people/new": Row(allowed: peopleManagers, query: "unit_id=:unitID"),
        "POST /people": Row(
            allowed: peopleManagers, body: ["full_name": "New Person", "kind": "carer", "unit_id": ":unitID"]),
        "GET /people/:personID": Row(allowed: readers),
        "GET /people/:personID/edit": Row(allowed: peopleManagers),
        "POST /people/:personID": Row(
            allowed: peopleManagers, body: ["full_name": "Pat Doe", "kind": "staff", "unit_id": ":unitID"]),
        "POST /people/:personID/archive": Row(allowed: peopleManagers),
        "POST /people/:personID/restore": Row(allowed: peopleManagers),
        "POST /people/:personID/approve": Row(allowed: peopleManagers),
        "POST /people/:personID/roles": Row(allowed: unitAdmins, body: ["role": "viewer", "unit_id": ":unitID"]),
        "POST /people/:personID/roles/:grantID/revoke": Row(allowed: unitAdmins),
        "POST /people/:personID/sign-in": Row(allowed: unitAdmins),

        "GET /projects": Row(allowed: readers),
        "GET /projects/new": Row(allowed: readers),
        "GET /projects/similar": Row(allowed: readers),
        "POST /projects": Row(allowed: readers),
        "GET /projects/:projectID": Row(allowed: readers),
        "GET /projects/:projectID/edit": Row(allowed: projectEditors),
        "POST /projects/:projectID": Row(allowed: projectEditors),
        "POST /projects/:projectID/submit": Row(allowed: projectEditors),
        "POST /projects/:projectID/team": Row(allowed: projectEditors),
        "GET /projects/:projectID/team/choices": Row(allowed: projectEditors, query: "person=pat"),
        "POST /projects/:projectID/team/invite": Row(
            allowed: projectEditors,
            body: ["full_name": "Sam Invited", "kind": "carer", "role": "Carer", "involvement": "full_partner"]),
        "POST /projects/:projectID/team/:memberID/remove": Row(allowed: projectEditors),
        "POST /projects/:projectID/updates": Row(allowed: projectEditors),
        "POST /projects/:projectID/comments": Row(allowed: projectEditors),
        "POST /projects/:projectID/decisions": Row(allowed: forumChairs),
        "POST /projects/:projectID/close": Row(allowed: projectEditors),
        "POST /projects/:projectID/gains": Row(allowed: gainsKeepers, body: ["action": "Retraining night staff."]),
        "GET /projects/:projectID/measures/new": Row(allowed: projectEditors),
        "POST /projects/:projectID/measures": Row(allowed: projectEditors),
        "GET /projects/:projectID/driver-diagram": Row(allowed: readers),
        "POST /projects/:projectID/drivers": Row(allowed: projectEditors),
        "POST /projects/:projectID/drivers/:driverID": Row(allowed: projectEditors),
        "POST /projects/:projectID/drivers/:driverID/remove": Row(allowed: projectEditors),
        "POST /projects/:projectID/change-ideas": Row(allowed: projectEditors),
        "POST /projects/:projectID/change-ideas/:ideaID": Row(allowed: projectEditors),
        "POST /projects/:projectID/change-ideas/:ideaID/remove": Row(allowed: projectEditors),
        "GET /projects/:projectID/cycles/new": Row(allowed: projectEditors),
        "POST /projects/:projectID/cycles": Row(allowed: projectEditors),
        "GET /projects/:projectID/stories/new": Row(allowed: projectEditors),
        "POST /projects/:projectID/stories": Row(allowed: projectEditors),

        "GET /measures/:measureID": Row(allowed: readers),
        "GET /measures/:measureID/edit": Row(allowed: projectEditors),
        "POST /measures/:measureID": Row(
            allowed: projectEditors,
            body: [
                "name": "Falls", "kind": "outcome", "definition": "Falls a month.", "frequency": "monthly",
                "chart_type": "run", "rules": "anhoej", "direction": "down",
            ]),
        "POST /measures/:measureID/data/check": Row(allowed: projectEditors),
        "POST /measures/:measureID/data": Row(allowed: projectEditors),
        "POST /measures/:measureID/annotations": Row(allowed: projectEditors),
        "POST /measures/:measureID/standard": Row(allowed: projectEditors),
        "POST /measures/:measureID/phases": Row(allowed: projectEditors),
        "POST /measures/:measureID/annotations/:annotationID/remove": Row(allowed: projectEditors),
        "POST /measures/:measureID/phases/:phaseID/remove": Row(allowed: projectEditors),
        "POST /measures/:measureID/data/grid": Row(allowed: projectEditors),
        "POST /measures/:measureID/data/:period/remove": Row(allowed: projectEditors),
        "GET /measures/:measureID/chart.svg": Row(allowed: readers),
        "GET /measures/:measureID/data.csv": Row(allowed: readers),

        "GET /cycles/:cycleID": Row(allowed: readers),
        "GET /cycles/:cycleID/plan": Row(allowed: projectEditors),
        "POST /cycles/:cycleID/plan": Row(allowed: projectEditors),
        "POST /cycles/:cycleID/start": Row(allowed: projectEditors),
        "POST /cycles/:cycleID/record": Row(allowed: projectEditors),
        "POST /cycles/:cycleID/act": Row(allowed: projectEditors),

        "GET /stories/:storyID": Row(allowed: readers),
        "GET /stories/:storyID/edit": Row(allowed: projectEditors),
        "POST /stories/:storyID": Row(allowed: projectEditors),

        "GET /strategy": Row(allowed: readers),
        "GET /strategy/aim": Row(allowed: strategists),
        "POST /strategy/aim": Row(allowed: strategists, body: ["aim": "Better lives for all we serve"]),
        "GET /strategy/objectives/new": Row(allowed: strategists),
        "POST /strategy/objectives": Row(allowed: strategists, body: ["name": "A new objective"]),
        "GET /strategy/objectives/:objectiveID/edit": Row(allowed: strategists),
        "POST /strategy/objectives/:objectiveID": Row(
            allowed: strategists, body: ["name": "Renamed objective :objectiveID", "version": "1"]),
        "POST /strategy/objectives/:objectiveID/archive": Row(allowed: strategists),
        "POST /strategy/objectives/:objectiveID/restore": Row(allowed: strategists),
        "GET /strategy/priorities/new": Row(allowed: strategists),
        "POST /strategy/priorities": Row(
            allowed: strategists, body: ["name": "A new priority :objectiveID", "objective_id": ":objectiveID"]),
        "GET /strategy/priorities/:priorityID/edit": Row(allowed: strategists),
        "POST /strategy/priorities/:priorityID": Row(
            allowed: strategists,
            body: ["name": "Renamed priority :priorityID", "objective_id": ":objectiveID", "version": "1"]),
        "POST /strategy/priorities/:priorityID/archive": Row(allowed: strategists),
        "POST /strategy/priorities/:priorityID/restore": Row(allowed: strategists),
        "GET /standard-measures": Row(allowed: readers),
        "GET /standard-measures/new": Row(allowed: strategists),
        "POST /standard-measures": Row(allowed: strategists, body: Self.standardMeasure("A new standard")),
        "GET /standard-measures/:standardID": Row(allowed: readers),
        "GET /standard-measures/:standardID/edit": Row(allowed: strategists),
        "POST /standard-measures/:standardID": Row(
            allowed: strategists, body: Self.standardMeasure("Renamed standard :standardID", version: "1")),
        "POST /standard-measures/:standardID/archive": Row(allowed: strategists),
        "POST /standard-measures/:standardID/restore": Row(allowed: strategists),
        "GET /programmes": Row(allowed: readers),
        "GET /programmes/new": Row(allowed: .some([.installationAdmin, .admin, .qiTeam, .unrelatedAdmin])),
        "POST /programmes": Row(
            allowed: programmeManagers, body: ["name": "A new programme", "unit_id": ":directorate"]),
        "GET /programmes/:programmeID": Row(allowed: readers),
        "GET /programmes/:programmeID/edit": Row(allowed: programmeLeads),
        "GET /programmes/:programmeID/dashboard": Row(allowed: readers),
        "GET /programmes/:programmeID/evaluation": Row(allowed: readers),
        "GET /programmes/:programmeID/driver-diagram": Row(allowed: readers),
        "POST /programmes/:programmeID/drivers": Row(
            allowed: programmeLeads, body: ["level": "primary", "text": "Calm wards"]),
        "POST /programmes/:programmeID/drivers/:driverID": Row(
            allowed: programmeLeads, body: ["text": "Calmer wards", "version": "1"]),
        "POST /programmes/:programmeID/drivers/:driverID/remove": Row(allowed: programmeLeads),
        "POST /programmes/:programmeID/change-ideas": Row(
            allowed: programmeLeads, body: ["title": "Safety huddle", "driver_ids[]": ":programmeDriverID"]),
        "POST /programmes/:programmeID/change-ideas/:ideaID": Row(
            allowed: programmeLeads,
            body: ["title": "Safety huddles", "driver_ids[]": ":programmeDriverID", "version": "1"]),
        "POST /programmes/:programmeID/change-ideas/:ideaID/remove": Row(allowed: programmeLeads),
        "POST /programmes/:programmeID": Row(
            allowed: programmeLeads,
            body: ["name": "Renamed programme :programmeID", "unit_id": ":directorate", "version": "1"]),
        "POST /programmes/:programmeID/people": Row(
            allowed: programmeLeads, body: ["person": "Pat Doe", "role": "analyst"]),
        "POST /programmes/:programmeID/people/:programmeMemberID/remove": Row(allowed: programmeLeads),
        "POST /programmes/:programmeID/learning-sessions": Row(
            allowed: programmeLeads, body: ["held_on": "2026-01-05", "place": "Room 1"]),
        "GET /capability": Row(allowed: readers),
        "GET /capability/plan": Row(allowed: capabilityLeads),
        "GET /capability/export": Row(allowed: readers),
        "GET /capability/coaches": Row(allowed: readers),
        "GET /capability/coaches/:coachID/supervision": Row(allowed: capabilityLeads),
        "GET /capability/attendance/upload": Row(allowed: capabilityLeads),
        "POST /capability/attendance/upload": Row(
            allowed: capabilityLeads, body: ["data": "person,course,cohort,date,attendance\n"]),
        "GET /capability/attendance/uploads/:attendanceUploadID": Row(allowed: capabilityLeads),
        "POST /capability/attendance/uploads/:attendanceUploadID/import": Row(allowed: capabilityLeads),
        "POST /capability/attendance/uploads/:attendanceUploadID/cancel": Row(allowed: capabilityLeads),
        "GET /cohorts/:cohortID/registers.csv": Row(allowed: registerTakers),
        "GET /cohorts/:cohortID/edit": Row(allowed: capabilityLeads),
        "POST /cohorts/:cohortID": Row(allowed: capabilityLeads, body: ["name": "March", "capacity": "20"]),
        "POST /capability/coaches/:coachID/supervision": Row(
            allowed: capabilityLeads, body: ["held_on": "2026-01-05", "notes": "Talked through the run chart"]),
        "POST /capability/plan": Row(
            allowed: capabilityLeads,
            body: ["unit_id": ":directorate", "year": "2027", "need_all_staff_introductory": "40"]),
        "GET /courses": Row(allowed: readers),
        "GET /courses/new": Row(allowed: capabilityLeads),
        "POST /courses": Row(
            allowed: capabilityLeads,
            body: [
                "name": "A new course", "level": "introductory", "audience": "Everyone", "session_count": "1",
                "session_minutes": "60", "sessions_to_complete": "1",
            ]),
        "GET /courses/:courseID": Row(allowed: readers),
        "GET /courses/:courseID/edit": Row(allowed: capabilityLeads),
        "POST /courses/:courseID": Row(
            allowed: capabilityLeads,
            body: [
                "name": "Renamed course :courseID", "level": "introductory", "audience": "Everyone",
                "session_count": "2", "session_minutes": "60", "sessions_to_complete": "2", "version": "1",
            ]),
        "GET /courses/:courseID/cohorts/new": Row(allowed: capabilityLeads),
        "POST /courses/:courseID/cohorts": Row(
            allowed: capabilityLeads,
            body: [
                "name": "Cohort :courseID", "capacity": "10", "session_days[]": "2026-06-01",
                "session_places[]": "Room 2",
            ]),
        "GET /cohorts/:cohortID": Row(allowed: readers),
        "POST /cohorts/:cohortID/enrolments": Row(allowed: capabilityLeads, body: ["person_id": ":personID"]),
        "POST /cohorts/:cohortID/enrol-me": Row(allowed: readers),
        "POST /cohorts/:cohortID/enrolments/:enrolmentID/withdraw": Row(allowed: capabilityLeads),
        "GET /cohorts/:cohortID/sessions/:cohortSessionID/register": Row(allowed: registerTakers),
        "POST /cohorts/:cohortID/sessions/:cohortSessionID/register": Row(
            allowed: registerTakers, body: ["marks[:enrolmentID]": "attended", "version": "2"]),
        "GET /plans/new": Row(allowed: .some([.installationAdmin, .admin, .qiTeam, .unrelatedAdmin])),
        "POST /plans": Row(
            allowed: planners, body: ["unit_id": ":directorate", "year": "2030", "aim": "Safer wards in 2030"]),
        "GET /plans/:planID": Row(allowed: readers),
        "GET /plans/:planID/edit": Row(allowed: planners),
        "POST /plans/:planID": Row(
            allowed: planners,
            body: ["unit_id": ":directorate", "year": "2026", "aim": "Safer wards this year", "version": "1"]),
        "POST /plans/:planID/links": Row(
            allowed: planners, body: ["box": "driver::planDriverID", "work": "project::projectID"]),
        "POST /plans/:planID/links/:linkID/remove": Row(allowed: planners),
        "GET /plans/:planID/driver-diagram": Row(allowed: readers),
        "POST /plans/:planID/drivers": Row(allowed: planners, body: ["level": "primary", "text": "Calm wards"]),
        "POST /plans/:planID/drivers/:driverID": Row(
            allowed: planners, body: ["text": "Calmer wards", "version": "1"]),
        "POST /plans/:planID/drivers/:driverID/remove": Row(allowed: planners),
        "POST /plans/:planID/change-ideas": Row(
            allowed: planners, body: ["title": "Safety huddle", "driver_ids[]": ":planDriverID"]),
        "POST /plans/:planID/change-ideas/:ideaID": Row(
            allowed: planners, body: ["title": "Safety huddles", "driver_ids[]": ":planDriverID", "version": "1"]),
        "POST /plans/:planID/change-ideas/:ideaID/remove": Row(allowed: planners),
        "GET /learning-sessions/:sessionID": Row(allowed: readers),
        "POST /learning-sessions/:sessionID": Row(
            allowed: programmeLeads, body: ["held_on": "2026-01-05", "place": "Room 2", "version": "1"]),
        "POST /learning-sessions/:sessionID/register": Row(allowed: programmeLeads, body: ["version": "1"]),
        "POST /programmes/:programmeID/stage": Row(
            allowed: programmeLeads,
            body: ["stage": "design", "decided_on": "2026-01-05", "note": "Agreed", "version": "1"]),
        "GET /forums": Row(allowed: readers),
        "GET /forums/:unitID": Row(allowed: readers),
        "POST /forums/:unitID/meetings": Row(allowed: forumChairs),
        "GET /meetings/:meetingID": Row(allowed: readers),

        "GET /audit": Row(allowed: anyAdmin),
        "GET /api-tokens": Row(allowed: anyAdmin),
        // Another directorate's administrator may issue tokens, but not for this one: the unit is refused.
        "POST /api-tokens": Row(
            allowed: unitAdmins, body: ["name": "Warehouse", "unit": ":directorate"],
            refusals: [.unrelatedAdmin: .unprocessableEntity]),
        "POST /api-tokens/:tokenID/revoke": Row(allowed: unitAdmins),

        "GET /api/v1/units": Row(allowed: readers),
        "POST /api/v1/units": Row(
            allowed: unitAdmins, body: ["name": "API ward", "kind": "ward", "parent_id": ":directorate"]),
        "GET /api/v1/units/:unitID": Row(allowed: readers),
        "PUT /api/v1/units/:unitID": Row(
            allowed: unitAdmins, body: ["name": "Willow Ward", "kind": "ward", "parent_id": ":directorate"]),
        "GET /api/v1/people": Row(allowed: readers),
        "POST /api/v1/people": Row(
            allowed: peopleManagers, body: ["full_name": "API Person", "kind": "staff", "unit_id": ":unitID"]),
        "GET /api/v1/people/:personID": Row(allowed: readers),
        "PUT /api/v1/people/:personID": Row(
            allowed: peopleManagers, body: ["full_name": "Pat Doe", "kind": "staff", "unit_id": ":unitID"]),
        "GET /api/v1/projects": Row(allowed: readers),
        "POST /api/v1/projects": Row(allowed: readers),
        "GET /api/v1/projects/:projectID": Row(allowed: readers),
        "PUT /api/v1/projects/:projectID": Row(allowed: projectEditors),
        "POST /api/v1/projects/:projectID/drivers": Row(allowed: projectEditors),
        "POST /api/v1/projects/:projectID/change-ideas": Row(allowed: projectEditors),
        "POST /api/v1/projects/:projectID/cycles": Row(allowed: projectEditors),
        "GET /api/v1/measures/:measureID/chart": Row(allowed: readers),
        "GET /api/v1/priorities": Row(allowed: readers),
        "POST /api/v1/priorities": Row(
            allowed: strategists, body: ["name": "An API priority :objectiveID", "objective_id": ":objectiveID"]),
        "GET /api/v1/priorities/:priorityID": Row(allowed: readers),
        "PUT /api/v1/priorities/:priorityID": Row(
            allowed: strategists, body: ["name": "API renamed :priorityID", "objective_id": ":objectiveID"]),
        "GET /api/v1/strategy": Row(allowed: readers),
        "GET /api/v1/programmes": Row(allowed: readers),
        "GET /api/v1/programmes/:programmeID": Row(allowed: readers),
        "GET /api/v1/courses": Row(allowed: readers),
        "GET /api/v1/capability": Row(allowed: readers),
        "GET /api/v1/involvement": Row(allowed: readers),
        "POST /api/v1/huddles": Row(
            allowed: huddleRecorders,
            body: ["unit_id": ":unitID", "held_on": "2026-01-05", "kind": "quality", "attendees": "Day team"]),
        "GET /api/v1/escalations": Row(allowed: readers),
        "GET /api/v1/walkrounds": Row(allowed: readers),
        "GET /api/v1/units/:unitID/quality": Row(allowed: readers),
        "GET /api/v1/cohorts/:cohortID": Row(allowed: readers),
        "POST /api/v1/cohorts/:cohortID/attendance": Row(
            allowed: registerTakers,
            body: ["session_id": ":cohortSessionID"]),
        "POST /api/v1/objectives": Row(allowed: strategists, body: ["name": "An API objective"]),
        "GET /api/v1/objectives/:objectiveID": Row(allowed: readers),
        "PUT /api/v1/objectives/:objectiveID": Row(
            allowed: strategists, body: ["name": "API objective :objectiveID"]),
        // A data warehouse's token, or a session that may manage the unit's measures.
        "POST /api/v1/measures/data": Row(allowed: measureManagers, refusal: .unprocessableEntity),
        "GET /api/v1/openapi.json": Row(allowed: .everyone),
        // Any other API path: 401 without a session, 404 with one.
        "GET /api/**": Row(allowed: .some([]), refusal: .notFound),
    ]

    /// The routes are walked in eight shares, each on a database of its own, so that they run in
    /// parallel: walked in one, they were the longest test of the run.
    static let shares = 8

    @Test(
        "every route in the application's route table has a row, and each role gets what its row says, inside and outside its reach",
        arguments: 0..<shares)
    func everyRoute(share: Int) async throws {
        try await withOpenQI(metricsToken: String(repeating: "m", count: 40)) { app in
            let (inside, outside) = try await Self.worlds(app)
            let browsers = try await Self.browsers(app)
            let routes = app.routes.all.filter { $0.method != .HEAD }
            #expect(routes.count > 100)
            for (index, route) in routes.enumerated() where index % Self.shares == share {
                let key = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                guard let row = Self.rows[key] else {
                    Issue.record("No row in the authorisation matrix for \(key): add one saying who may use it.")
                    continue
                }
                try await Self.walk(route, key: key, row: row, world: inside, browsers: browsers)
                if row.namesRecords(route) {
                    try await Self.walk(
                        route, key: key + " (outside)", row: row.outside, world: outside, browsers: browsers)
                }
            }
        }
    }

    /// Sends the route as every role, against one world's records, and checks each answer.
    private static func walk(
        _ route: Route, key: String, row: Row, world: World, browsers: [Who: TestBrowser]
    ) async throws {
        let path = Self.path(route.path, in: world) + (row.query.isEmpty ? "" : "?" + world.fill(row.query))
        // Those refused go first, so that nothing they might wrongly change affects the rest.
        let order = Who.allCases.sorted { !row.allows($0) && row.allows($1) }
        for who in order {
            let page = try await Self.send(route.method, path, row: row, world: world, as: browsers[who]!)
            Self.check(page, key: key, who: who, row: row, isAPI: key.contains(" /api/"))
            if key == "POST /sign-out", who != .signedOut {
                #expect(try await browsers[who]!.signIn(Self.email(who)).status == .seeOther)
            }
        }
    }

    @Test("another directorate's administrator sees none of this directorate's tokens or audit entries")
    func ownPartOnly() async throws {
        try await withOpenQI { app in
            let (world, _) = try await Self.worlds(app)
            let browsers = try await Self.browsers(app)
            let theirs = browsers[.unrelatedAdmin]!
            let ours = browsers[.admin]!
            #expect(try await ours.get("/api-tokens").body.contains("Warehouse"))
            #expect(try await !theirs.get("/api-tokens").body.contains("Warehouse"))
            #expect(try await theirs.get("/api-tokens").body.contains("Data feed"))
            #expect(try await !ours.get("/api-tokens").body.contains("Data feed"))
            // An audited change in this directorate: in our log, not in theirs.
            let renamed = try await ours.post(
                "/units/\(world.ids["unitID"]!)",
                form: [
                    "name": "Willow Ward renamed", "kind": "ward", "parent_id": world.ids["directorate"]!.uuidString,
                    "version": "1",
                ])
            #expect(renamed.status == .seeOther)
            #expect(try await ours.get("/audit").body.contains("Willow Ward renamed</a>"))
            #expect(try await !theirs.get("/audit").body.contains("Willow Ward renamed</a>"))
        }
    }

    private static func check(_ page: TestBrowser.Page, key: String, who: Who, row: Row, isAPI: Bool) {
        let toSignIn = page.status == .seeOther && page.location?.hasPrefix("/sign-in") == true
        if row.allows(who), let answer = row.answer {
            #expect(page.status == answer, "\(key): \(who) should get \(answer), got \(page.status)")
        } else if row.allows(who) {
            #expect(
                ![.unauthorized, .forbidden].contains(page.status) && !toSignIn && page.status.code < 500,
                "\(key): \(who) may use it, but got \(page.status) \(page.body.prefix(300))")
        } else if who == .signedOut {
            if isAPI {
                #expect(page.status == .unauthorized, "\(key): signed out got \(page.status)")
            } else {
                // A signed-out POST has no session token, so the anti-forgery check may refuse it first.
                #expect(toSignIn || page.status == .forbidden, "\(key): signed out got \(page.status)")
            }
        } else {
            let refusal = row.refusals[who] ?? row.refusal
            #expect(page.status == refusal, "\(key): \(who) should get \(refusal), got \(page.status)")
        }
    }

    private static func send(
        _ method: HTTPMethod, _ path: String, row: Row, world: World, as browser: TestBrowser
    ) async throws -> TestBrowser.Page {
        // A key names a record too: a register marks `marks[:enrolmentID]`.
        let body = Dictionary(row.body.map { (world.fill($0.key), world.fill($0.value)) }) { first, _ in first }
        if path.hasPrefix("/api/") {
            return try await browser.json(method, path, method == .GET ? nil : body)
        }
        return method == .GET ? try await browser.get(path) : try await browser.post(path, form: body)
    }

    private static func path(_ components: [PathComponent], in world: World) -> String {
        // Under a programme's or a plan's address, a diagram's boxes are its own (`programmeDriverID`).
        let owner = ["programmes": "programme", "plans": "plan"][components.first?.description ?? ""]
        return "/"
            + components.map { component -> String in
                switch component {
                // A period is a day, not an id; removing a value it has not is a notice, not a refusal.
                case .parameter("period"): "2026-01-05"
                case .parameter(let name):
                    (owner.flatMap { world.ids[$0 + name.prefix(1).uppercased() + name.dropFirst()] }
                        ?? world.ids[name])?.uuidString ?? "missing-\(name)"
                case .catchall: "nothing-here"
                default: component.description
                }
            }.joined(separator: "/")
    }

    private static func email(_ who: Who) -> String { "\(who.rawValue.lowercased())@test.example" }

    /// One signed-in browser per role (and one signed out), each role granted at the directorate.
    private static func browsers(_ app: Application) async throws -> [Who: TestBrowser] {
        var browsers: [Who: TestBrowser] = [:]
        for who in Who.allCases {
            browsers[who] = TestBrowser(app: app)
            guard who != .signedOut else { continue }
            #expect(try await browsers[who]!.signIn(email(who)).status == .seeOther)
        }
        return browsers
    }

    /// The records inside the directorate where every role is held, and the same records in the
    /// other directorate, led, coached and sponsored by people who hold no role at all.
    private static func worlds(_ app: Application) async throws -> (inside: World, outside: World) {
        let fixtures = Fixtures(app: app)
        let units = try await TestWorld.make(app)
        var people: [Who: Person] = [:]
        for who in Who.allCases where who != .signedOut {
            people[who] = try await fixtures.signIn(
                email(who), role: who.role,
                at: who.role == nil ? nil : who == .unrelatedAdmin ? units.otherDirectorate : units.directorate,
                administrator: who == .installationAdmin)
        }
        let inside = try await records(
            app, directorate: units.directorate, ward: units.willow,
            lead: people[.member]!, coach: people[.coach]!, sponsor: people[.sponsor]!, administrator: people[.admin]!,
            capabilityLead: people[.installationAdmin]!, executive: people[.executive]!, tag: "", token: "Warehouse")
        var strangers: [Person] = []
        for name in ["Lee Outside", "Cam Outside", "Sol Outside"] {
            strangers.append(try await fixtures.person(name, unit: units.oak))
        }
        let outside = try await records(
            app, directorate: units.otherDirectorate, ward: units.oak,
            lead: strangers[0], coach: strangers[1], sponsor: strangers[2], administrator: people[.unrelatedAdmin]!,
            capabilityLead: people[.installationAdmin]!, executive: strangers[0], tag: ".outside", token: "Data feed")
        return (inside, outside)
    }

    /// The records every row's path names, in one directorate and its ward.
    private static func records(
        _ app: Application, directorate: Unit, ward: Unit, lead: Person, coach: Person, sponsor: Person,
        administrator: Person, capabilityLead: Person, executive: Person, tag: String, token tokenName: String
    ) async throws -> World {
        let fixtures = Fixtures(app: app)
        let db = app.db
        let person = try await fixtures.person("Pat Doe", unit: ward, email: "pat\(tag)@test.example")
        let coached = try await fixtures.person("Kit Coach", unit: ward)
        try await RoleGrant(personID: try coached.requireID(), unitID: try ward.requireID(), role: .coach).create(
            on: db)
        let grant = RoleGrant(personID: try person.requireID(), unitID: try ward.requireID(), role: .viewer)
        try await grant.create(on: db)
        let project = try await fixtures.approvedProject(
            "Fewer falls on \(ward.name)", unit: ward, lead: lead, approvedAt: AppClock.now, coach: coach)
        project.$sponsor.id = try sponsor.requireID()
        try await project.save(on: db)
        let projectID = try project.requireID()
        let leader = TeamMember(
            projectID: projectID, personID: try lead.requireID(), role: "Lead", isLead: true, involvement: .none)
        try await leader.create(on: db)
        let member = TeamMember(
            projectID: projectID, personID: try person.requireID(), role: "Nurse", isLead: false, involvement: .none)
        try await member.create(on: db)
        let measure = try await fixtures.measure(
            "Falls", project: project, unit: ward, periods: [CalendarDay.date("2026-01-05")!])
        let annotation = MeasureAnnotation(
            measureID: try measure.requireID(), period: CalendarDay.date("2026-01-05")!, text: "PDSA 1")
        try await annotation.create(on: db)
        let phase = PhaseBreak(
            measureID: try measure.requireID(), period: CalendarDay.date("2026-01-05")!, label: "After")
        try await phase.create(on: db)
        let driver = Driver(owner: .project(projectID), level: .primary, text: "Safer nights", position: 0)
        try await driver.create(on: db)
        let idea = ChangeIdea(owner: .project(projectID), title: "Night checks", summary: nil, position: 0)
        try await idea.create(on: db)
        let cycle = PDSACycle()
        cycle.$project.id = projectID
        cycle.$changeIdea.id = try idea.requireID()
        cycle.number = 1
        cycle.status = .planned
        (cycle.objective, cycle.question, cycle.prediction) = ("Test", "Will it?", "Yes")
        (cycle.who, cycle.what, cycle.place, cycle.plannedStart) = ("Us", "Checks", "Ward", AppClock.now)
        try await cycle.create(on: db)
        let story = Story()
        story.$project.id = projectID
        (story.title, story.body, story.isPublishable) = ("Our story", "Text", false)
        story.$author.id = try lead.requireID()
        try await story.create(on: db)
        let meeting = ForumMeeting(unitID: try directorate.requireID(), date: AppClock.now, notes: nil)
        try await meeting.create(on: db)
        let upload = DataUpload(
            unitID: try directorate.requireID(), personID: try administrator.requireID(), filename: "data.csv",
            content: "measure,period,value\n")
        try await upload.create(on: db)
        let objective = StrategicObjective(name: "Objective\(tag)")
        try await objective.create(on: db)
        let priority = Priority(name: "Priority\(tag)", objectiveID: try objective.requireID())
        try await priority.create(on: db)
        let standard = StandardMeasure()
        (standard.name, standard.kind, standard.definition, standard.frequency) =
            ("Standard\(tag)", .outcome, "Counted monthly.", .monthly)
        (standard.chartType, standard.rules, standard.direction, standard.multiply) = ("run", "anhoej", "down", 1)
        try await standard.create(on: db)
        let programme = Programme(name: "Programme\(tag)", unitID: try directorate.requireID(), stage: .recruit)
        try await programme.create(on: db)
        try await ProgrammeMember(programmeID: try programme.requireID(), personID: try lead.requireID(), role: .lead)
            .create(on: db)
        let analyst = ProgrammeMember(
            programmeID: try programme.requireID(), personID: try person.requireID(), role: .analyst)
        try await analyst.create(on: db)
        let programmeDriver = Driver(
            owner: .programme(try programme.requireID()), level: .primary, text: "Calm wards", position: 0)
        try await programmeDriver.create(on: db)
        let programmeIdea = ChangeIdea(
            owner: .programme(try programme.requireID()), title: "Safety huddle", summary: nil, position: 0)
        try await programmeIdea.create(on: db)
        try await programmeIdea.$drivers.attach(programmeDriver, on: db)
        let plan = AnnualPlan(unitID: try directorate.requireID(), year: 2026, aim: "Safer wards")
        try await plan.create(on: db)
        let planDriver = Driver(owner: .plan(try plan.requireID()), level: .primary, text: "Calm wards", position: 0)
        try await planDriver.create(on: db)
        let planIdea = ChangeIdea(owner: .plan(try plan.requireID()), title: "Huddles", summary: nil, position: 0)
        try await planIdea.create(on: db)
        try await planIdea.$drivers.attach(planDriver, on: db)
        let planLink = PlanLink(
            planID: try plan.requireID(), box: .driver(try planDriver.requireID()), work: .project(projectID))
        try await planLink.create(on: db)
        let session = LearningSession(
            programmeID: try programme.requireID(), heldOn: AppClock.now, place: "Room 1", agenda: nil)
        try await session.create(on: db)
        let course = try await Course.create(
            CourseDraft(
                name: "Pocket QI\(tag)", level: .introductory, audience: "Everyone", sessionCount: 1,
                sessionMinutes: 120, sessionsToComplete: 1, requiresApprovedProject: false),
            by: .commandLine, on: db)
        let cohort = try await Cohort.plan(
            CohortDraft(
                name: "March", capacity: 20, openToSelfEnrolment: true,
                sessions: [.init(day: AppClock.today, place: "Room 1")], facilitatorIDs: [try coach.requireID()]),
            of: course, by: .commandLine, on: db)
        let cohortSession = try #require(
            try await CohortSession.query(on: db).filter(\.$cohort.$id == cohort.requireID()).first())
        let enrolment = try await cohort.enrol(person, bringing: nil, course: course, by: .commandLine, on: db)
        let attendanceUpload = AttendanceUpload(
            personID: try capabilityLead.requireID(), filename: "registers.csv",
            content: "person,course,cohort,date,attendance\n")
        try await attendanceUpload.create(on: db)
        let huddle = Huddle()
        huddle.$unit.id = try ward.requireID()
        (huddle.heldOn, huddle.kind, huddle.attendees) = (CalendarDay.date("2026-01-05")!, .safety, "Day team")
        (huddle.$recordedBy.id, huddle.recordedAt) = (try person.requireID(), AppClock.now)
        try await huddle.create(on: db)
        let issue = HuddleIssue()
        (issue.$huddle.id, issue.position, issue.description) = (try huddle.requireID(), 1, "Call bell broken")
        (issue.action, issue.$owner.id, issue.actionDue) =
            ("Report to estates", try person.requireID(), CalendarDay.date("2026-01-12")!)
        try await issue.create(on: db)
        let escalation = Escalation()
        (escalation.$issue.id, escalation.$fromUnit.id, escalation.$toUnit.id) =
            (try issue.requireID(), try ward.requireID(), try directorate.requireID())
        (escalation.dueOn, escalation.raisedAt) = (CalendarDay.date("2026-01-19")!, AppClock.now)
        try await escalation.create(on: db)
        let walkRound = WalkRound()
        (walkRound.$unit.id, walkRound.$executive.id) = (try ward.requireID(), try executive.requireID())
        walkRound.plannedOn = CalendarDay.date("2026-01-05")!
        try await walkRound.create(on: db)
        // A follow-up owned by the ward's own Pat Doe (on the planned visit, so one id serves both routes).
        let followUp = WalkRoundAction()
        (followUp.$walkRound.id, followUp.position, followUp.action) = (try walkRound.requireID(), 1, "Fix the lift")
        (followUp.$owner.id, followUp.dueOn) = (try person.requireID(), CalendarDay.date("2026-01-05")!)
        try await followUp.create(on: db)
        let (token, _) = APIToken.issue(
            name: tokenName, unitID: try directorate.requireID(), by: try administrator.requireID())
        try await token.create(on: db)
        return World(ids: [
            "directorate": try directorate.requireID(), "unitID": try ward.requireID(),
            "personID": try person.requireID(), "grantID": try grant.requireID(), "projectID": projectID,
            "memberID": try member.requireID(), "measureID": try measure.requireID(),
            "driverID": try driver.requireID(), "annotationID": try annotation.requireID(),
            "phaseID": try phase.requireID(),
            "ideaID": try idea.requireID(), "cycleID": try cycle.requireID(), "storyID": try story.requireID(),
            "meetingID": try meeting.requireID(), "uploadID": try upload.requireID(), "tokenID": try token.requireID(),
            "objectiveID": try objective.requireID(), "priorityID": try priority.requireID(),
            "standardID": try standard.requireID(), "programmeID": try programme.requireID(),
            "programmeMemberID": try analyst.requireID(), "sessionID": try session.requireID(),
            "programmeDriverID": try programmeDriver.requireID(), "programmeIdeaID": try programmeIdea.requireID(),
            "planID": try plan.requireID(), "planDriverID": try planDriver.requireID(),
            "planIdeaID": try planIdea.requireID(), "linkID": try planLink.requireID(),
            "courseID": try course.requireID(), "cohortID": try cohort.requireID(),
            "cohortSessionID": try cohortSession.requireID(), "enrolmentID": try enrolment.requireID(),
            "coachID": try coached.requireID(), "attendanceUploadID": try attendanceUpload.requireID(),
            "huddleID": try huddle.requireID(), "issueID": try issue.requireID(),
            "escalationID": try escalation.requireID(), "executiveID": try executive.requireID(),
            "walkRoundID": try walkRound.requireID(), "actionID": try followUp.requireID(),
        ])
    }
}

extension RouteMatrixTests.Row {
    /// Whether the route names a record: in its path, its query or its body.
    func namesRecords(_ route: Route) -> Bool {
        route.path.contains { if case .parameter = $0 { true } else { false } }
            || query.contains(":") || body.values.contains { $0.hasPrefix(":") }
    }

    /// The row for the same route against records in the other directorate: of those it allows,
    /// only the installation administrator still reaches them, and the administrator is that
    /// directorate's own (the unrelated one, there). Refusals trade places the same way.
    var outside: Self {
        var row = self
        if case .some(let roles) = allowed {
            row.allowed = .some(Set(roles.compactMap(\.outside)))
        }
        row.refusals = Dictionary(uniqueKeysWithValues: refusals.map { ($0.key.mirrored, $0.value) })
        return row
    }

    func allows(_ who: RouteMatrixTests.Who) -> Bool {
        switch allowed {
        case .everyone: true
        case .signedIn: who != .signedOut
        case .some(let roles): roles.contains(who)
        }
    }
}

extension RouteMatrixTests.World {
    /// `:name` in a value, replaced by the id of that name.
    func fill(_ text: String) -> String {
        ids.reduce(text) { $0.replacingOccurrences(of: ":\($1.key)", with: $1.value.uuidString) }
    }
}

extension AuthorisationMatrixTests.Who {
    /// Who holds, over the other directorate's records, the reach this role has over its own.
    fileprivate var outside: Self? {
        switch self {
        case .installationAdmin: .installationAdmin
        case .admin: .unrelatedAdmin
        default: nil
        }
    }

    /// The administrator of the other side: the two administrators trade places.
    fileprivate var mirrored: Self {
        switch self {
        case .admin: .unrelatedAdmin
        case .unrelatedAdmin: .admin
        default: self
        }
    }
}
