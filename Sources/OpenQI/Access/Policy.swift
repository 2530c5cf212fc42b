import Foundation
import Vapor

/// Something a viewer may or may not do. Every handler that changes or reveals something asks the
/// policy for one of these; nothing is decided ad hoc in a handler.
package enum Permission: Sendable, Equatable {
    /// Read units, people and (later) projects: everyone signed in to the organisation.
    case readOrganisation
    /// Create an organisation or partner organisation at the top of the tree.
    case createTopLevelUnit
    /// Create units below, edit, archive or restore this unit.
    case manageUnit(UUID)
    /// Add, edit, archive people who belong to this unit (nil: people with no unit).
    case managePeople(in: UUID?)
    /// Define the unit's own measures (ward indicators, the board's measures) and enter their data.
    case manageUnitMeasures(UUID)
    /// Grant and revoke roles at this unit.
    case grantRoles(at: UUID)
    /// Edit, archive or restore this person's record: a manager of their home unit whose own
    /// rights cover everything the person may do.
    case managePerson(PersonRights)
    /// Give this person a new sign-in (a one-time password): an administrator of their home unit
    /// whose own rights cover everything the person may do, and never for oneself (one's own
    /// password is changed with the current one).
    case issueSignIn(PersonRights)
    /// See a person's email address and sign-in: the person themselves, and those who manage the
    /// people of their home unit. Everyone else sees names, units and roles, not contact details.
    case readContactDetails(personID: UUID, homeUnitID: UUID?)
    /// Read the audit log (each administrator sees their own part of the tree).
    case viewAuditLog
    /// Issue API tokens for the units one administers (the tokens page).
    case issueAPITokens
    /// Edit a project, change its team and post its updates.
    case editProject(ProjectAccess)
    /// Schedule this unit's forum meetings and record its decisions on projects.
    case chairForum(UUID)
    /// Record what is being done when a completed project's gains slip: whoever could change the
    /// project, and the chair of the forum that watches it.
    case sustainGains(ProjectAccess)
    /// Record this unit's safety and quality huddles: its team (members), administrators and QI team.
    case recordHuddles(UUID)
    /// Mark done an action agreed at a huddle of this unit: whoever records its huddles, and the
    /// action's owner.
    case completeHuddleAction(unitID: UUID, ownerID: UUID?)
    /// Answer and close the escalations sent to this unit: its leads (administrators, QI team and
    /// forum chairs, held there or above).
    case answerEscalations(UUID)
    /// Schedule WalkRounds to this team: executives whose role reaches it (for themselves), and its
    /// administrators and QI team.
    case scheduleWalkRounds(UUID)
    /// Schedule this executive's visit to this team: the executive themselves, or the team's
    /// administrators and QI team for an executive whose role reaches it (`executiveReaches`).
    case scheduleWalkRound(unitID: UUID, executiveID: UUID, executiveReaches: Bool)
    /// Open the form that schedules a WalkRound: the viewer may schedule one somewhere.
    case planWalkRounds
    /// Move or call off a planned WalkRound: its executive, and the team's administrators and QI team.
    case rescheduleWalkRound(unitID: UUID, executiveID: UUID)
    /// Record what a WalkRound heard: its executive, and the organisation's administrators and QI
    /// team (who keep the record for the board); not the team visited, whose account it is not.
    case recordWalkRound(unitID: UUID, executiveID: UUID)
    /// Mark a WalkRound's follow-up done: its owner, the executive, and the team visited.
    case completeWalkRoundAction(unitID: UUID, executiveID: UUID, ownerID: UUID)
    /// Set the organisation's strategy: its aim, strategic objectives and priorities.
    case manageStrategy
    /// Define the organisation's standard measures, which its teams' measures are made from.
    case manageStandardMeasures
    /// Start a programme run by this unit.
    case manageProgrammes(in: UUID)
    /// Open the form for a new programme: the viewer may start one from some unit in use
    /// (`manageProgrammes`), chosen on the form.
    case startProgrammes
    /// Change a programme: its aim, people, measures and stage.
    case manageProgramme(ProgrammeAccess)
    /// Draw and change the annual plans of a unit, and link work to their boxes.
    case managePlans(in: UUID)
    /// Open the form for a new annual plan: the viewer may plan for some unit in use (`managePlans`).
    case drawPlans
    /// Run the organisation's training: courses, cohorts, enrolments, and the dosing plan.
    case manageCapability
    /// Take the registers of a cohort: its facilitators, and whoever runs the training.
    case takeRegisters(facilitatorIDs: Set<UUID>)
    /// Record the supervision of a coach whose coach role is granted at these units (and read its
    /// notes): an improvement advisor whose role reaches one of them, and whoever runs the training;
    /// never one's own.
    case superviseCoach(coachID: UUID, grantedAt: Set<UUID>)
}

/// Who is attached to a programme, for deciding who may change it.
package struct ProgrammeAccess: Sendable, Equatable {
    package let unitID: UUID
    package let leadIDs: Set<UUID>
}

/// Who is attached to a project, for deciding who may change it.
package struct ProjectAccess: Sendable, Equatable {
    package let unitID: UUID
    package let team: Set<UUID>
    package let coachID: UUID?
    package let sponsorID: UUID?
}

/// Decides what a viewer may do. Roles are granted per unit and inherited down the tree:
/// an administrator of a directorate administers every team and ward in it.
///
/// | role | may |
/// | --- | --- |
/// | installation administrator | everything |
/// | admin | manage units, people and role grants below the unit; read its audit log |
/// | QI team | manage people below the unit |
/// | QI team | also edit every project below the unit |
/// | admin, QI team | define the unit's own measures and enter their data |
/// | forum chair | schedule the unit's forum meetings and decide on its projects |
/// | admin, QI team of an organisation (top of the tree) | set the strategy: aim, objectives, priorities |
/// | admin, QI team of an organisation (top of the tree) | define the standard measures |
/// | admin, QI team | start and manage programmes run by the unit |
/// | a programme's leads | manage that programme (forum chairs still approve its teams) |
/// | admin, QI team, capability lead of an organisation | run training: courses, cohorts, enrolments |
/// | a cohort's facilitators | take its registers |
/// | a project's team members, coach and sponsor | edit that project (service users on a team as staff) |
/// | those who may edit a completed project, its forum's chair | record what is being done when its gains slip |
/// | admin, QI team, member | record the unit's huddles and mark their actions done (as does an action's owner) |
/// | admin, QI team, forum chair | answer and close escalations sent to the unit |
/// | executive, admin, QI team | schedule WalkRounds to the teams below the unit |
/// | a WalkRound's executive; admin, QI team of the organisation | record what it heard; with the team, close its follow-ups |
/// | forum chair, sponsor, coach, member, viewer | read; propose projects |
/// | a person, and whoever manages their home unit's people | see the person's email and sign-in |
package struct Policy: Sendable {
    package let viewer: Viewer
    package let tree: UnitTree

    package init(viewer: Viewer, tree: UnitTree) {
        self.viewer = viewer
        self.tree = tree
    }

    /// The roles the viewer holds at a unit, granted there or on any unit above it.
    package func roles(at unitID: UUID) -> Set<Role> { viewer.grants.roles(at: unitID, in: tree) }

    package func allows(_ permission: Permission) -> Bool {
        if case .issueSignIn(let person) = permission, person.personID == viewer.personID { return false }
        if case .superviseCoach(let coach, _) = permission, coach == viewer.personID { return false }
        if viewer.isAdministrator { return true }
        switch permission {
        case .readOrganisation:
            return true
        case .createTopLevelUnit:
            return false
        case .manageUnit(let unit), .grantRoles(at: let unit):
            return roles(at: unit).contains(.admin)
        case .managePeople(in: let unit):
            guard let unit else { return false }
            return !roles(at: unit).isDisjoint(with: [.admin, .qiTeam])
        case .manageUnitMeasures(let unit):
            return !roles(at: unit).isDisjoint(with: [.admin, .qiTeam])
        case .managePerson(let person):
            return allows(.managePeople(in: person.homeUnitID)) && covers(person)
        case .issueSignIn(let person):
            guard let home = person.homeUnitID else { return false }
            return allows(.grantRoles(at: home)) && covers(person)
        case .readContactDetails(let personID, let home):
            return personID == viewer.personID || allows(.managePeople(in: home))
        case .viewAuditLog, .issueAPITokens:
            return viewer.grants.contains { $0.role == .admin }
        case .chairForum(let unit):
            return !roles(at: unit).isDisjoint(with: [.admin, .forumChair])
        case .manageCapability:
            // Training is the whole organisation's, as its strategy is.
            return viewer.grants.contains { grant in
                [.admin, .qiTeam, .capabilityLead].contains(grant.role)
                    && tree.nodes[grant.unitID]?.kind == .organisation
            }
        case .takeRegisters(let facilitators):
            return facilitators.contains(viewer.personID) || allows(.manageCapability)
        case .superviseCoach(_, let units):
            return allows(.manageCapability)
                || units.contains { roles(at: $0).contains(.improvementAdvisor) && tree.nodes[$0]?.isArchived == false }
        case .manageStrategy, .manageStandardMeasures:
            // The strategy is the whole organisation's: a directorate's roles do not reach it.
            return viewer.grants.contains { grant in
                [.admin, .qiTeam].contains(grant.role) && tree.nodes[grant.unitID]?.kind == .organisation
            }
        case .startProgrammes:
            // The units the form offers: an archived unit's grants start nothing.
            return tree.outline().contains { allows(.manageProgrammes(in: $0.node.id)) }
        case .drawPlans:
            return tree.outline().contains { allows(.managePlans(in: $0.node.id)) }
        case .manageProgrammes(in: let unit), .managePlans(in: let unit):
            return !roles(at: unit).isDisjoint(with: [.admin, .qiTeam])
        case .manageProgramme(let access):
            return access.leadIDs.contains(viewer.personID) || allows(.manageProgrammes(in: access.unitID))
        case .editProject(let access):
            return access.team.contains(viewer.personID) || access.coachID == viewer.personID
                || access.sponsorID == viewer.personID || !roles(at: access.unitID).isDisjoint(with: [.admin, .qiTeam])
        case .recordHuddles(let unit):
            return !roles(at: unit).isDisjoint(with: [.admin, .qiTeam, .member])
        case .completeHuddleAction(let unit, let owner):
            return owner == viewer.personID || allows(.recordHuddles(unit))
        case .answerEscalations(let unit):
            return !roles(at: unit).isDisjoint(with: [.admin, .qiTeam, .forumChair])
        case .scheduleWalkRounds(let unit):
            return !roles(at: unit).isDisjoint(with: [.executive, .admin, .qiTeam])
        case .planWalkRounds:
            return tree.outline().contains { allows(.scheduleWalkRounds($0.node.id)) }
        case .scheduleWalkRound(let unit, let executive, let reaches):
            guard reaches else { return false }
            return executive == viewer.personID && roles(at: unit).contains(.executive)
                || !roles(at: unit).isDisjoint(with: [.admin, .qiTeam])
        case .rescheduleWalkRound(let unit, let executive):
            return executive == viewer.personID || !roles(at: unit).isDisjoint(with: [.admin, .qiTeam])
        case .recordWalkRound(_, let executive):
            return executive == viewer.personID
                || viewer.grants.contains { grant in
                    [.admin, .qiTeam].contains(grant.role) && tree.nodes[grant.unitID]?.kind == .organisation
                }
        case .completeWalkRoundAction(let unit, let executive, let owner):
            return [executive, owner].contains(viewer.personID) || allows(.recordHuddles(unit))
        case .sustainGains(let access):
            return allows(.editProject(access)) || allows(.chairForum(tree.forumUnit(for: access.unitID)))
        }
    }

    /// Whether the viewer may do everything the person may: an installation administrator only by
    /// one, each role grant by a role at least as strong at that unit or above it, and each project
    /// the person may change by the viewer's own right to change it.
    package func covers(_ person: PersonRights) -> Bool {
        if viewer.isAdministrator { return true }
        if person.isAdministrator { return false }
        return person.grants.allSatisfy { grant in roles(at: grant.unitID).contains { $0.includes(grant.role) } }
            && person.projects.allSatisfy { allows(.editProject($0)) }
    }

    /// Throws 403 with a reason a person can act on when the viewer may not do this.
    package func require(_ permission: Permission) throws {
        guard allows(permission) else {
            throw Abort(
                .forbidden,
                reason:
                    "You do not have permission to do this. Ask an administrator of this part of the organisation for the role you need."
            )
        }
    }

    /// Whether the viewer may add units somewhere (for showing "Add a unit" where no place is chosen yet).
    package var mayAddUnitsSomewhere: Bool {
        allows(.createTopLevelUnit) || viewer.grants.contains { $0.role == .admin }
    }

    /// Whether the viewer may add people somewhere.
    package var mayAddPeopleSomewhere: Bool {
        viewer.isAdministrator || viewer.grants.contains { [.admin, .qiTeam].contains($0.role) }
    }

    /// The units whose people's contact details the viewer may read (`readContactDetails`); nil
    /// means everyone's.
    package var peopleScope: Set<UUID>? {
        if viewer.isAdministrator { return nil }
        return viewer.grants.filter { [.admin, .qiTeam].contains($0.role) }.reduce(into: Set<UUID>()) { scope, grant in
            scope.formUnion(tree.subtree(of: grant.unitID))
        }
    }

    /// The units whose audit entries the viewer may read; nil means every entry.
    package var auditScope: Set<UUID>? {
        if viewer.isAdministrator { return nil }
        return viewer.grants.filter { $0.role == .admin }.reduce(into: Set<UUID>()) { scope, grant in
            scope.formUnion(tree.subtree(of: grant.unitID))
        }
    }
}

/// A row kept for every viewer that offers a change to those who may make it: what the change
/// asks (`completing`), settled for each viewer on the way out (`settled(by:)`).
protocol SettledPerViewer {
    var canComplete: Bool { get set }
    var completing: Permission? { get }
}

extension Array where Element: SettledPerViewer {
    /// The rows as this viewer may act on them.
    func settled(by policy: Policy) -> Self {
        map { row in
            var row = row
            row.canComplete = row.completing.map(policy.allows) ?? row.canComplete
            return row
        }
    }
}

extension Policy {
    /// May the viewer put a unit here (at the top level, or below `parentID`)?
    func requireCanPlaceUnit(under parentID: UUID?) throws {
        try require(parentID.map { .manageUnit($0) } ?? .createTopLevelUnit)
    }
}
