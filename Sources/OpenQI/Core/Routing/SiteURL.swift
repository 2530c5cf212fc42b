import Foundation
import Vapor

/// A path parameter: `.key` when registering a route, `.value(x)` when linking to one,
/// so the router and the links cannot drift apart (after the Swift Package Index server's SiteURL).
enum Parameter<T: Sendable>: Sendable {
    case key
    case value(T)
}

/// Every page and endpoint of OpenQI. Routes are registered with `pathComponents`, links are
/// built with `relativeURL()`; `SiteURLTests` pins both.
enum SiteURL: Sendable {
    case home
    case signIn
    /// Starts signing in through the installation's OpenID Connect provider.
    case singleSignOn
    /// Where the provider sends the browser back.
    case singleSignOnCallback
    case signOut
    case changePassword
    case units(Units)
    case people(People)
    case projects(Projects)
    case forums(Forums)
    case measures(Measures)
    case cycles(Cycles)
    case stories(Stories)
    case strategy(Strategy)
    case standardMeasures(StandardMeasures)
    case programmes(Programmes)
    case plans(Plans)
    case learningSessions(LearningSessions)
    case capability(Capability)
    case courses(Courses)
    case cohorts(Cohorts)
    case dataUploads(DataUploads)
    case huddles(Huddles)
    case escalations(Escalations)
    case walkRounds(WalkRounds)
    case apiTokens(APITokens)
    case audit
    case health
    case metrics
    case api(API)

    enum Units: Sendable {
        case index, new, create
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case archive(Parameter<UUID>)
        case restore(Parameter<UUID>)
        case measures(Parameter<UUID>)
        case portfolio(Parameter<UUID>)
        /// Completed projects by service users' involvement against their aims.
        case involvement(Parameter<UUID>)
        case coaches(Parameter<UUID>)
        case earlyWarning(Parameter<UUID>)
        /// The unit's huddles, actions and escalations (GET), and recording a huddle (POST).
        case huddles(Parameter<UUID>)
        case newHuddle(Parameter<UUID>)
        /// Planning, control, assurance and improvement on one page.
        case quality(Parameter<UUID>)
        case dataUpload(Parameter<UUID>)
        case uploadData(Parameter<UUID>)
        case boardReport(Parameter<UUID>)
        case editBoardReport(Parameter<UUID>)
        case saveBoardReport(Parameter<UUID>)
        case exportBoardReport(Parameter<UUID>)
        case compare(Parameter<UUID>)
        case newMeasure(Parameter<UUID>)
        case addMeasure(Parameter<UUID>)
    }

    enum People: Sendable {
        case index, new, create
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case archive(Parameter<UUID>)
        case restore(Parameter<UUID>)
        case grantRole(Parameter<UUID>)
        case revokeRole(person: Parameter<UUID>, grant: Parameter<UUID>)
        case issueSignIn(Parameter<UUID>)
        case approve(Parameter<UUID>)
    }

    enum Projects: Sendable {
        case index, new, create, similar
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case submit(Parameter<UUID>)
        case addMember(Parameter<UUID>)
        case teamChoices(Parameter<UUID>)
        case inviteMember(Parameter<UUID>)
        case removeMember(project: Parameter<UUID>, member: Parameter<UUID>)
        case postUpdate(Parameter<UUID>)
        case comment(Parameter<UUID>)
        case decide(Parameter<UUID>)
        case close(Parameter<UUID>)
        /// What is being done now a completed project's gains slip.
        case answerSlippingGains(Parameter<UUID>)
        case newMeasure(Parameter<UUID>)
        case addMeasure(Parameter<UUID>)
        case diagram(Parameter<UUID>, DiagramPart)
        case newCycle(Parameter<UUID>)
        case planCycle(Parameter<UUID>)
        case newStory(Parameter<UUID>)
        case addStory(Parameter<UUID>)
    }

    /// A driver diagram's page and edits, under the address of the project, programme or plan it is of.
    enum DiagramPart: Sendable {
        case show, addDriver, addChangeIdea
        case updateDriver(Parameter<UUID>)
        case removeDriver(Parameter<UUID>)
        case updateChangeIdea(Parameter<UUID>)
        case removeChangeIdea(Parameter<UUID>)
    }

    enum Cycles: Sendable {
        case show(Parameter<UUID>)
        case editPlan(Parameter<UUID>)
        case updatePlan(Parameter<UUID>)
        case start(Parameter<UUID>)
        case record(Parameter<UUID>)
        case act(Parameter<UUID>)
    }

    enum Stories: Sendable {
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
    }

    enum Strategy: Sendable {
        case show, editAim, saveAim
        case newObjective, createObjective
        case editObjective(Parameter<UUID>)
        case updateObjective(Parameter<UUID>)
        case archiveObjective(Parameter<UUID>)
        case restoreObjective(Parameter<UUID>)
        case newPriority, createPriority
        case editPriority(Parameter<UUID>)
        case updatePriority(Parameter<UUID>)
        case archivePriority(Parameter<UUID>)
        case restorePriority(Parameter<UUID>)
    }

    enum StandardMeasures: Sendable {
        case index, new, create
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case archive(Parameter<UUID>)
        case restore(Parameter<UUID>)
    }

    enum Programmes: Sendable {
        case index, new, create
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case addPerson(Parameter<UUID>)
        case removePerson(programme: Parameter<UUID>, member: Parameter<UUID>)
        case moveStage(Parameter<UUID>)
        case planSession(Parameter<UUID>)
        case dashboard(Parameter<UUID>)
        case evaluation(Parameter<UUID>)
        case diagram(Parameter<UUID>, DiagramPart)
    }

    enum Plans: Sendable {
        case new, create
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case link(Parameter<UUID>)
        case unlink(plan: Parameter<UUID>, link: Parameter<UUID>)
        case diagram(Parameter<UUID>, DiagramPart)
    }

    enum Capability: Sendable {
        case dashboard
        /// The dosing plan's form (GET) and its saving (POST).
        case plan
        /// The figures as CSV.
        case export
        /// The coaches, their load and their supervision.
        case coaches
        /// A coach's supervision: its form (GET) and its recording (POST).
        case supervision(Parameter<UUID>)
        /// Past attendance from a file: the form (GET) and the upload (POST).
        case attendanceUpload
        /// An uploaded file's check, its import and its cancelling.
        case attendanceCheck(Parameter<UUID>)
        case importAttendance(Parameter<UUID>)
        case cancelAttendance(Parameter<UUID>)
    }

    enum Courses: Sendable {
        case index, new, create
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case newCohort(Parameter<UUID>)
        case createCohort(Parameter<UUID>)
    }

    enum Cohorts: Sendable {
        case show(Parameter<UUID>)
        /// Its details, sessions and facilitators: the form (GET) and saving it (POST, `update`).
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case enrol(Parameter<UUID>)
        case enrolMe(Parameter<UUID>)
        case withdraw(cohort: Parameter<UUID>, enrolment: Parameter<UUID>)
        case register(cohort: Parameter<UUID>, session: Parameter<UUID>)
        /// Every line of its registers as CSV, in the shape the attendance import reads.
        case registersCSV(Parameter<UUID>)
    }

    enum LearningSessions: Sendable {
        case show(Parameter<UUID>)
        case update(Parameter<UUID>)
        case register(Parameter<UUID>)
    }

    enum Measures: Sendable {
        case show(Parameter<UUID>)
        case edit(Parameter<UUID>)
        case update(Parameter<UUID>)
        case previewData(Parameter<UUID>)
        case importData(Parameter<UUID>)
        case annotate(Parameter<UUID>)
        case removeAnnotation(measure: Parameter<UUID>, annotation: Parameter<UUID>)
        case phaseBreak(Parameter<UUID>)
        case removePhase(measure: Parameter<UUID>, phase: Parameter<UUID>)
        case chartSVG(Parameter<UUID>)
        case dataCSV(Parameter<UUID>)
        case enterData(Parameter<UUID>)
        case removeDataPoint(measure: Parameter<UUID>, period: Parameter<CalendarDay>)
        case followStandard(Parameter<UUID>)
    }

    enum DataUploads: Sendable {
        case show(Parameter<UUID>)
        case apply(Parameter<UUID>)
        case cancel(Parameter<UUID>)
        case report(Parameter<UUID>)
    }

    enum APITokens: Sendable {
        case index, issue
        case revoke(Parameter<UUID>)
    }

    enum Huddles: Sendable {
        case show(Parameter<UUID>)
        /// Marks an issue's action done.
        case completeAction(huddle: Parameter<UUID>, issue: Parameter<UUID>)
    }

    enum Escalations: Sendable {
        case index
        case show(Parameter<UUID>)
        case respond(Parameter<UUID>)
    }

    enum WalkRounds: Sendable {
        case index, new, create
        case show(Parameter<UUID>)
        case record(Parameter<UUID>)
        case reschedule(Parameter<UUID>)
        case cancel(Parameter<UUID>)
        case completeAction(walkRound: Parameter<UUID>, action: Parameter<UUID>)
    }

    enum Forums: Sendable {
        case index
        case show(Parameter<UUID>)
        case schedule(Parameter<UUID>)
        case meeting(Parameter<UUID>)
    }

    enum API: Sendable {
        case units
        case unit(Parameter<UUID>)
        case people
        case person(Parameter<UUID>)
        case measureChart(Parameter<UUID>)
        case measuresData
        case openAPI
        case projects
        case project(Parameter<UUID>)
        case projectDrivers(Parameter<UUID>)
        case projectChangeIdeas(Parameter<UUID>)
        case projectCycles(Parameter<UUID>)
        case priorities
        case priority(Parameter<UUID>)
        case objectives
        case objective(Parameter<UUID>)
        case strategy
        case programmes
        case programme(Parameter<UUID>)
        case courses
        case capability
        case involvement
        case huddles
        case escalations
        case walkRounds
        case unitQuality(Parameter<UUID>)
        case cohort(Parameter<UUID>)
        case cohortAttendance(Parameter<UUID>)
    }

    /// Path segments; a `.key` parameter becomes the named route parameter.
    var segments: [PathSegment] {
        switch self {
        case .home: []
        case .signIn: ["sign-in"]
        case .singleSignOn: ["sign-in", "oidc"]
        case .singleSignOnCallback: ["sign-in", "oidc", "callback"]
        case .signOut: ["sign-out"]
        case .changePassword: ["account", "password"]
        case .units(let page): ["units"] + page.segments
        case .people(let page): ["people"] + page.segments
        case .projects(let page): ["projects"] + page.segments
        case .forums(let page): page.segments
        case .measures(let page): ["measures"] + page.segments
        case .cycles(let page): ["cycles"] + page.segments
        case .stories(let page): ["stories"] + page.segments
        case .strategy(let page): ["strategy"] + page.segments
        case .standardMeasures(let page): ["standard-measures"] + page.segments
        case .programmes(let page): ["programmes"] + page.segments
        case .plans(let page): ["plans"] + page.segments
        case .learningSessions(let page): ["learning-sessions"] + page.segments
        case .capability(let page): ["capability"] + page.segments
        case .courses(let page): ["courses"] + page.segments
        case .cohorts(let page): ["cohorts"] + page.segments
        case .dataUploads(let page): ["data-uploads"] + page.segments
        case .huddles(let page): ["huddles"] + page.segments
        case .escalations(let page): ["escalations"] + page.segments
        case .walkRounds(let page): ["walkrounds"] + page.segments
        case .apiTokens(let page): ["api-tokens"] + page.segments
        case .audit: ["audit"]
        case .health: ["health"]
        case .metrics: ["metrics"]
        case .api(let endpoint): ["api", "v1"] + endpoint.segments
        }
    }

    var pathComponents: [PathComponent] {
        segments.map(\.pathComponent)
    }

    /// The path to link to, e.g. `/units/6F1…/edit`.
    /// The path, with a query whose names and values are percent-encoded but for the unreserved
    /// characters (URLComponents would leave `&`, `=` and `+` in a value, so a search for "A&E"
    /// would split in two), which also makes the URL safe as it is inside a quoted attribute.
    func relativeURL(query: [(String, String)] = []) -> String {
        let path = "/" + segments.map(\.text).joined(separator: "/")
        guard !query.isEmpty else { return path }
        return path + "?"
            + query.map { Self.percentEncoded($0.0) + "=" + Self.percentEncoded($0.1) }
            .joined(separator: "&")
    }

    /// Everything but the unreserved characters percent-encoded (RFC 3986 §2.3).
    static func percentEncoded(_ text: String) -> String {
        // Ids, statuses and months need no encoding; a page may build thousands of such links.
        if text.utf8.allSatisfy(isUnreserved) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension SiteURL.Units {
    var segments: [PathSegment] {
        switch self {
        case .index, .create: []
        case .new: ["new"]
        case .show(let id): [.id(id, name: "unitID")]
        case .edit(let id): [.id(id, name: "unitID"), "edit"]
        case .update(let id): [.id(id, name: "unitID")]
        case .archive(let id): [.id(id, name: "unitID"), "archive"]
        case .restore(let id): [.id(id, name: "unitID"), "restore"]
        case .measures(let id), .addMeasure(let id): [.id(id, name: "unitID"), "measures"]
        case .newMeasure(let id): [.id(id, name: "unitID"), "measures", "new"]
        case .portfolio(let id): [.id(id, name: "unitID"), "portfolio"]
        case .involvement(let id): [.id(id, name: "unitID"), "involvement"]
        case .coaches(let id): [.id(id, name: "unitID"), "portfolio", "coaches"]
        case .earlyWarning(let id): [.id(id, name: "unitID"), "early-warning"]
        case .huddles(let id): [.id(id, name: "unitID"), "huddles"]
        case .newHuddle(let id): [.id(id, name: "unitID"), "huddles", "new"]
        case .quality(let id): [.id(id, name: "unitID"), "quality"]
        case .dataUpload(let id), .uploadData(let id): [.id(id, name: "unitID"), "data-upload"]
        case .boardReport(let id), .saveBoardReport(let id): [.id(id, name: "unitID"), "board-report"]
        case .editBoardReport(let id): [.id(id, name: "unitID"), "board-report", "edit"]
        case .exportBoardReport(let id): [.id(id, name: "unitID"), "board-report.html"]
        case .compare(let id): [.id(id, name: "unitID"), "compare"]
        }
    }
}

extension SiteURL.People {
    var segments: [PathSegment] {
        switch self {
        case .index, .create: []
        case .new: ["new"]
        case .show(let id): [.id(id, name: "personID")]
        case .edit(let id): [.id(id, name: "personID"), "edit"]
        case .update(let id): [.id(id, name: "personID")]
        case .archive(let id): [.id(id, name: "personID"), "archive"]
        case .restore(let id): [.id(id, name: "personID"), "restore"]
        case .approve(let id): [.id(id, name: "personID"), "approve"]
        case .grantRole(let id): [.id(id, name: "personID"), "roles"]
        case .revokeRole(let person, let grant):
            [.id(person, name: "personID"), "roles", .id(grant, name: "grantID"), "revoke"]
        case .issueSignIn(let id): [.id(id, name: "personID"), "sign-in"]
        }
    }
}

extension SiteURL.Projects {
    var segments: [PathSegment] {
        switch self {
        case .index, .create: []
        case .new: ["new"]
        case .similar: ["similar"]
        case .show(let id), .update(let id): [.id(id, name: "projectID")]
        case .edit(let id): [.id(id, name: "projectID"), "edit"]
        case .submit(let id): [.id(id, name: "projectID"), "submit"]
        case .addMember(let id): [.id(id, name: "projectID"), "team"]
        case .teamChoices(let id): [.id(id, name: "projectID"), "team", "choices"]
        case .inviteMember(let id): [.id(id, name: "projectID"), "team", "invite"]
        case .removeMember(let project, let member):
            [.id(project, name: "projectID"), "team", .id(member, name: "memberID"), "remove"]
        case .postUpdate(let id): [.id(id, name: "projectID"), "updates"]
        case .comment(let id): [.id(id, name: "projectID"), "comments"]
        case .decide(let id): [.id(id, name: "projectID"), "decisions"]
        case .close(let id): [.id(id, name: "projectID"), "close"]
        case .answerSlippingGains(let id): [.id(id, name: "projectID"), "gains"]
        case .newMeasure(let id): [.id(id, name: "projectID"), "measures", "new"]
        case .addMeasure(let id): [.id(id, name: "projectID"), "measures"]
        case .diagram(let id, let part): [.id(id, name: "projectID")] + part.segments
        case .newCycle(let id): [.id(id, name: "projectID"), "cycles", "new"]
        case .planCycle(let id): [.id(id, name: "projectID"), "cycles"]
        case .newStory(let id): [.id(id, name: "projectID"), "stories", "new"]
        case .addStory(let id): [.id(id, name: "projectID"), "stories"]
        }
    }
}

extension SiteURL.DiagramPart {
    var segments: [PathSegment] {
        switch self {
        case .show: ["driver-diagram"]
        case .addDriver: ["drivers"]
        case .updateDriver(let driver): ["drivers", .id(driver, name: "driverID")]
        case .removeDriver(let driver): ["drivers", .id(driver, name: "driverID"), "remove"]
        case .addChangeIdea: ["change-ideas"]
        case .updateChangeIdea(let idea): ["change-ideas", .id(idea, name: "ideaID")]
        case .removeChangeIdea(let idea): ["change-ideas", .id(idea, name: "ideaID"), "remove"]
        }
    }
}

extension SiteURL.Cycles {
    var segments: [PathSegment] {
        switch self {
        case .show(let id): [.id(id, name: "cycleID")]
        case .editPlan(let id), .updatePlan(let id): [.id(id, name: "cycleID"), "plan"]
        case .start(let id): [.id(id, name: "cycleID"), "start"]
        case .record(let id): [.id(id, name: "cycleID"), "record"]
        case .act(let id): [.id(id, name: "cycleID"), "act"]
        }
    }
}

extension SiteURL.Stories {
    var segments: [PathSegment] {
        switch self {
        case .show(let id), .update(let id): [.id(id, name: "storyID")]
        case .edit(let id): [.id(id, name: "storyID"), "edit"]
        }
    }
}

extension SiteURL.Strategy {
    var segments: [PathSegment] {
        switch self {
        case .show: []
        case .editAim, .saveAim: ["aim"]
        case .newObjective: ["objectives", "new"]
        case .createObjective: ["objectives"]
        case .editObjective(let id): ["objectives", .id(id, name: "objectiveID"), "edit"]
        case .updateObjective(let id): ["objectives", .id(id, name: "objectiveID")]
        case .archiveObjective(let id): ["objectives", .id(id, name: "objectiveID"), "archive"]
        case .restoreObjective(let id): ["objectives", .id(id, name: "objectiveID"), "restore"]
        case .newPriority: ["priorities", "new"]
        case .createPriority: ["priorities"]
        case .editPriority(let id): ["priorities", .id(id, name: "priorityID"), "edit"]
        case .updatePriority(let id): ["priorities", .id(id, name: "priorityID")]
        case .archivePriority(let id): ["priorities", .id(id, name: "priorityID"), "archive"]
        case .restorePriority(let id): ["priorities", .id(id, name: "priorityID"), "restore"]
        }
    }
}

extension SiteURL.StandardMeasures {
    var segments: [PathSegment] {
        switch self {
        case .index, .create: []
        case .new: ["new"]
        case .show(let id), .update(let id): [.id(id, name: "standardID")]
        case .edit(let id): [.id(id, name: "standardID"), "edit"]
        case .archive(let id): [.id(id, name: "standardID"), "archive"]
        case .restore(let id): [.id(id, name: "standardID"), "restore"]
        }
    }
}

extension SiteURL.Programmes {
    var segments: [PathSegment] {
        switch self {
        case .index, .create: []
        case .new: ["new"]
        case .show(let id), .update(let id): [.id(id, name: "programmeID")]
        case .edit(let id): [.id(id, name: "programmeID"), "edit"]
        case .addPerson(let id): [.id(id, name: "programmeID"), "people"]
        case .removePerson(let programme, let member):
            [.id(programme, name: "programmeID"), "people", .id(member, name: "programmeMemberID"), "remove"]
        case .moveStage(let id): [.id(id, name: "programmeID"), "stage"]
        case .planSession(let id): [.id(id, name: "programmeID"), "learning-sessions"]
        case .dashboard(let id): [.id(id, name: "programmeID"), "dashboard"]
        case .evaluation(let id): [.id(id, name: "programmeID"), "evaluation"]
        case .diagram(let id, let part): [.id(id, name: "programmeID")] + part.segments
        }
    }
}

extension SiteURL.Plans {
    var segments: [PathSegment] {
        switch self {
        case .create: []
        case .new: ["new"]
        case .show(let id), .update(let id): [.id(id, name: "planID")]
        case .edit(let id): [.id(id, name: "planID"), "edit"]
        case .link(let id): [.id(id, name: "planID"), "links"]
        case .unlink(let plan, let link): [.id(plan, name: "planID"), "links", .id(link, name: "linkID"), "remove"]
        case .diagram(let id, let part): [.id(id, name: "planID")] + part.segments
        }
    }
}

extension SiteURL.Capability {
    var segments: [PathSegment] {
        switch self {
        case .dashboard: []
        case .plan: ["plan"]
        case .export: ["export"]
        case .coaches: ["coaches"]
        case .supervision(let id): ["coaches", .id(id, name: "coachID"), "supervision"]
        case .attendanceUpload: ["attendance", "upload"]
        case .attendanceCheck(let id): ["attendance", "uploads", .id(id, name: "attendanceUploadID")]
        case .importAttendance(let id): ["attendance", "uploads", .id(id, name: "attendanceUploadID"), "import"]
        case .cancelAttendance(let id): ["attendance", "uploads", .id(id, name: "attendanceUploadID"), "cancel"]
        }
    }
}

extension SiteURL.Courses {
    var segments: [PathSegment] {
        switch self {
        case .index, .create: []
        case .new: ["new"]
        case .show(let id), .update(let id): [.id(id, name: "courseID")]
        case .edit(let id): [.id(id, name: "courseID"), "edit"]
        case .newCohort(let id): [.id(id, name: "courseID"), "cohorts", "new"]
        case .createCohort(let id): [.id(id, name: "courseID"), "cohorts"]
        }
    }
}

extension SiteURL.Cohorts {
    var segments: [PathSegment] {
        switch self {
        case .show(let id), .update(let id): [.id(id, name: "cohortID")]
        case .edit(let id): [.id(id, name: "cohortID"), "edit"]
        case .enrol(let id): [.id(id, name: "cohortID"), "enrolments"]
        case .enrolMe(let id): [.id(id, name: "cohortID"), "enrol-me"]
        case .withdraw(let cohort, let enrolment):
            [.id(cohort, name: "cohortID"), "enrolments", .id(enrolment, name: "enrolmentID"), "withdraw"]
        case .register(let cohort, let session):
            [.id(cohort, name: "cohortID"), "sessions", .id(session, name: "cohortSessionID"), "register"]
        case .registersCSV(let id): [.id(id, name: "cohortID"), "registers.csv"]
        }
    }
}

extension SiteURL.LearningSessions {
    var segments: [PathSegment] {
        switch self {
        case .show(let id), .update(let id): [.id(id, name: "sessionID")]
        case .register(let id): [.id(id, name: "sessionID"), "register"]
        }
    }
}

extension SiteURL.Measures {
    var segments: [PathSegment] {
        switch self {
        case .show(let id): [.id(id, name: "measureID")]
        case .edit(let id): [.id(id, name: "measureID"), "edit"]
        case .update(let id): [.id(id, name: "measureID")]
        case .previewData(let id): [.id(id, name: "measureID"), "data", "check"]
        case .importData(let id): [.id(id, name: "measureID"), "data"]
        case .annotate(let id): [.id(id, name: "measureID"), "annotations"]
        case .removeAnnotation(let measure, let annotation):
            [.id(measure, name: "measureID"), "annotations", .id(annotation, name: "annotationID"), "remove"]
        case .phaseBreak(let id): [.id(id, name: "measureID"), "phases"]
        case .removePhase(let measure, let phase):
            [.id(measure, name: "measureID"), "phases", .id(phase, name: "phaseID"), "remove"]
        case .chartSVG(let id): [.id(id, name: "measureID"), "chart.svg"]
        case .dataCSV(let id): [.id(id, name: "measureID"), "data.csv"]
        case .enterData(let id): [.id(id, name: "measureID"), "data", "grid"]
        case .removeDataPoint(let measure, let period):
            [.id(measure, name: "measureID"), "data", .day(period, name: "period"), "remove"]
        case .followStandard(let id): [.id(id, name: "measureID"), "standard"]
        }
    }
}

extension SiteURL.DataUploads {
    var segments: [PathSegment] {
        switch self {
        case .show(let id): [.id(id, name: "uploadID")]
        case .apply(let id): [.id(id, name: "uploadID"), "apply"]
        case .cancel(let id): [.id(id, name: "uploadID"), "cancel"]
        case .report(let id): [.id(id, name: "uploadID"), "report.csv"]
        }
    }
}

extension SiteURL.APITokens {
    var segments: [PathSegment] {
        switch self {
        case .index, .issue: []
        case .revoke(let id): [.id(id, name: "tokenID"), "revoke"]
        }
    }
}

extension SiteURL.Huddles {
    var segments: [PathSegment] {
        switch self {
        case .show(let id): [.id(id, name: "huddleID")]
        case .completeAction(let huddle, let issue):
            [.id(huddle, name: "huddleID"), "issues", .id(issue, name: "issueID"), "done"]
        }
    }
}

extension SiteURL.Escalations {
    var segments: [PathSegment] {
        switch self {
        case .index: []
        case .show(let id): [.id(id, name: "escalationID")]
        case .respond(let id): [.id(id, name: "escalationID"), "respond"]
        }
    }
}

extension SiteURL.WalkRounds {
    var segments: [PathSegment] {
        switch self {
        case .index, .create: []
        case .new: ["new"]
        case .show(let id): [.id(id, name: "walkRoundID")]
        case .record(let id): [.id(id, name: "walkRoundID"), "record"]
        case .reschedule(let id): [.id(id, name: "walkRoundID"), "reschedule"]
        case .cancel(let id): [.id(id, name: "walkRoundID"), "cancel"]
        case .completeAction(let visit, let action):
            [.id(visit, name: "walkRoundID"), "follow-ups", .id(action, name: "actionID"), "done"]
        }
    }
}

extension SiteURL.Forums {
    var segments: [PathSegment] {
        switch self {
        case .index: ["forums"]
        case .show(let id): ["forums", .id(id, name: "unitID")]
        case .schedule(let id): ["forums", .id(id, name: "unitID"), "meetings"]
        case .meeting(let id): ["meetings", .id(id, name: "meetingID")]
        }
    }
}

extension SiteURL.API {
    var segments: [PathSegment] {
        switch self {
        case .units: ["units"]
        case .unit(let id): ["units", .id(id, name: "unitID")]
        case .people: ["people"]
        case .person(let id): ["people", .id(id, name: "personID")]
        case .measureChart(let id): ["measures", .id(id, name: "measureID"), "chart"]
        case .measuresData: ["measures", "data"]
        case .openAPI: ["openapi.json"]
        case .projects: ["projects"]
        case .project(let id): ["projects", .id(id, name: "projectID")]
        case .projectDrivers(let id): ["projects", .id(id, name: "projectID"), "drivers"]
        case .projectChangeIdeas(let id): ["projects", .id(id, name: "projectID"), "change-ideas"]
        case .projectCycles(let id): ["projects", .id(id, name: "projectID"), "cycles"]
        case .priorities: ["priorities"]
        case .priority(let id): ["priorities", .id(id, name: "priorityID")]
        case .objectives: ["objectives"]
        case .objective(let id): ["objectives", .id(id, name: "objectiveID")]
        case .strategy: ["strategy"]
        case .programmes: ["programmes"]
        case .programme(let id): ["programmes", .id(id, name: "programmeID")]
        case .courses: ["courses"]
        case .capability: ["capability"]
        case .involvement: ["involvement"]
        case .huddles: ["huddles"]
        case .escalations: ["escalations"]
        case .walkRounds: ["walkrounds"]
        case .unitQuality(let id): ["units", .id(id, name: "unitID"), "quality"]
        case .cohort(let id): ["cohorts", .id(id, name: "cohortID")]
        case .cohortAttendance(let id): ["cohorts", .id(id, name: "cohortID"), "attendance"]
        }
    }
}

/// The pages of something added and edited with one form (a unit, a person, a project): its list,
/// its own page, and the routes the form posts to.
protocol AddAndEditPages {
    static var index: Self { get }
    static var create: Self { get }
    static func show(_ id: Parameter<UUID>) -> Self
    static func update(_ id: Parameter<UUID>) -> Self
    var siteURL: SiteURL { get }
}

extension AddAndEditPages {
    /// Where the form posts and where its Cancel leads: the thing's own routes when it edits one
    /// (`editing`), the list's when it adds one.
    static func form(editing id: UUID?) -> (action: String, cancel: String) {
        guard let id else { return (create.siteURL.relativeURL(), index.siteURL.relativeURL()) }
        return (update(.value(id)).siteURL.relativeURL(), show(.value(id)).siteURL.relativeURL())
    }
}

extension SiteURL.Units: AddAndEditPages {
    var siteURL: SiteURL { .units(self) }
}

extension SiteURL.People: AddAndEditPages {
    var siteURL: SiteURL { .people(self) }
}

extension SiteURL.Projects: AddAndEditPages {
    var siteURL: SiteURL { .projects(self) }
}

extension SiteURL.StandardMeasures: AddAndEditPages {
    var siteURL: SiteURL { .standardMeasures(self) }
}

extension SiteURL.Programmes: AddAndEditPages {
    var siteURL: SiteURL { .programmes(self) }
}

extension SiteURL.Courses: AddAndEditPages {
    var siteURL: SiteURL { .courses(self) }
}

/// One segment of a SiteURL path: a constant, or a parameter that is either a route key or a value.
struct PathSegment: ExpressibleByStringLiteral, Sendable {
    let pathComponent: PathComponent
    let text: String

    init(stringLiteral value: String) {
        pathComponent = .constant(value)
        text = value
    }

    private init(pathComponent: PathComponent, text: String) {
        self.pathComponent = pathComponent
        self.text = text
    }

    static func id(_ parameter: Parameter<UUID>, name: String) -> PathSegment {
        switch parameter {
        case .key: PathSegment(pathComponent: .parameter(name), text: ":\(name)")
        case .value(let id): PathSegment(pathComponent: .constant(id.uuidString), text: id.uuidString)
        }
    }

    /// A calendar day in the path, written yyyy-mm-dd (a data point's period).
    static func day(_ parameter: Parameter<CalendarDay>, name: String) -> PathSegment {
        switch parameter {
        case .key: PathSegment(pathComponent: .parameter(name), text: ":\(name)")
        case .value(let day): PathSegment(pathComponent: .constant(day.text), text: day.text)
        }
    }
}

extension Request {
    /// The UUID in the route parameter `name`, or 404 when it is missing or not a UUID.
    func idParameter(_ name: String) throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else { throw Abort(.notFound) }
        return id
    }
}

extension Request {
    /// Whether the request is for the JSON API rather than a page.
    var isAPI: Bool { url.path.hasPrefix("/api/") }
}
