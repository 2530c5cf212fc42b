import Vapor

/// Every route of OpenQI, in one readable list. Who may use each is decided by `Policy` in the handler.
func routes(_ app: Application) throws {
    app.get(SiteURL.health.pathComponents, use: OperationsController.health)
    app.get(SiteURL.metrics.pathComponents, use: OperationsController.metrics)

    app.get(SiteURL.signIn.pathComponents, use: AccountController.showSignIn)
    app.post(SiteURL.signIn.pathComponents, use: AccountController.signIn)
    app.get(SiteURL.singleSignOn.pathComponents, use: SingleSignOnController.start)
    app.get(SiteURL.singleSignOnCallback.pathComponents, use: SingleSignOnController.callback)
    app.post(SiteURL.signOut.pathComponents, use: AccountController.signOut)

    let signedIn = app.grouped(RequireSignIn())
    signedIn.get(SiteURL.changePassword.pathComponents, use: AccountController.showChangePassword)
    signedIn.post(SiteURL.changePassword.pathComponents, use: AccountController.changePassword)

    signedIn.get(SiteURL.home.pathComponents, use: HomeController.show)

    signedIn.get(SiteURL.units(.index).pathComponents, use: UnitController.index)
    signedIn.get(SiteURL.units(.new).pathComponents, use: UnitController.new)
    signedIn.post(SiteURL.units(.create).pathComponents, use: UnitController.create)
    signedIn.get(SiteURL.units(.show(.key)).pathComponents, use: UnitController.show)
    signedIn.get(SiteURL.units(.edit(.key)).pathComponents, use: UnitController.edit)
    signedIn.post(SiteURL.units(.update(.key)).pathComponents, use: UnitController.update)
    signedIn.post(SiteURL.units(.archive(.key)).pathComponents, use: UnitController.archive)
    signedIn.post(SiteURL.units(.restore(.key)).pathComponents, use: UnitController.restore)
    signedIn.get(SiteURL.units(.measures(.key)).pathComponents, use: MeasureSummaryController.index)
    signedIn.get(SiteURL.units(.portfolio(.key)).pathComponents, use: PortfolioController.show)
    signedIn.get(SiteURL.units(.coaches(.key)).pathComponents, use: PortfolioController.coaches)
    signedIn.get(SiteURL.units(.involvement(.key)).pathComponents, use: InvolvementController.show)
    signedIn.get(SiteURL.units(.earlyWarning(.key)).pathComponents, use: EarlyWarningController.show)
    signedIn.get(SiteURL.units(.quality(.key)).pathComponents, use: UnitQualityController.show)
    signedIn.get(SiteURL.units(.dataUpload(.key)).pathComponents, use: DataUploadController.form)
    signedIn.upload(
        SiteURL.units(.uploadData(.key)).pathComponents, maxSize: DataUploadPage.maximumSize,
        use: DataUploadController.upload)
    signedIn.get(SiteURL.dataUploads(.show(.key)).pathComponents, use: DataUploadController.show)
    signedIn.post(SiteURL.dataUploads(.apply(.key)).pathComponents, use: DataUploadController.apply)
    signedIn.post(SiteURL.dataUploads(.cancel(.key)).pathComponents, use: DataUploadController.cancel)
    signedIn.get(SiteURL.dataUploads(.report(.key)).pathComponents, use: DataUploadController.report)
    signedIn.get(SiteURL.units(.boardReport(.key)).pathComponents, use: BoardReportController.show)
    signedIn.get(SiteURL.units(.editBoardReport(.key)).pathComponents, use: BoardReportController.edit)
    signedIn.post(SiteURL.units(.saveBoardReport(.key)).pathComponents, use: BoardReportController.save)
    signedIn.get(SiteURL.units(.exportBoardReport(.key)).pathComponents, use: BoardReportController.export)
    signedIn.get(SiteURL.units(.compare(.key)).pathComponents, use: CompareUnitsController.show)
    signedIn.get(SiteURL.units(.newMeasure(.key)).pathComponents, use: MeasureController.new)
    signedIn.post(SiteURL.units(.addMeasure(.key)).pathComponents, use: MeasureController.create)

    signedIn.get(SiteURL.people(.index).pathComponents, use: PersonController.index)
    signedIn.get(SiteURL.people(.new).pathComponents, use: PersonController.new)
    signedIn.post(SiteURL.people(.create).pathComponents, use: PersonController.create)
    signedIn.get(SiteURL.people(.show(.key)).pathComponents, use: PersonController.show)
    signedIn.get(SiteURL.people(.edit(.key)).pathComponents, use: PersonController.edit)
    signedIn.post(SiteURL.people(.update(.key)).pathComponents, use: PersonController.update)
    signedIn.post(SiteURL.people(.archive(.key)).pathComponents, use: PersonController.archive)
    signedIn.post(SiteURL.people(.restore(.key)).pathComponents, use: PersonController.restore)
    signedIn.post(SiteURL.people(.approve(.key)).pathComponents, use: PersonController.approve)
    signedIn.post(SiteURL.people(.grantRole(.key)).pathComponents, use: PersonController.grantRole)
    signedIn.post(
        SiteURL.people(.revokeRole(person: .key, grant: .key)).pathComponents, use: PersonController.revokeRole)
    signedIn.post(SiteURL.people(.issueSignIn(.key)).pathComponents, use: PersonController.issueSignIn)

    signedIn.get(SiteURL.projects(.index).pathComponents, use: ProjectController.index)
    signedIn.get(SiteURL.projects(.new).pathComponents, use: ProjectController.new)
    signedIn.get(SiteURL.projects(.similar).pathComponents, use: ProjectController.similar)
    signedIn.post(SiteURL.projects(.create).pathComponents, use: ProjectController.create)
    signedIn.get(SiteURL.projects(.show(.key)).pathComponents, use: ProjectController.show)
    signedIn.get(SiteURL.projects(.edit(.key)).pathComponents, use: ProjectController.edit)
    signedIn.post(SiteURL.projects(.update(.key)).pathComponents, use: ProjectController.update)
    signedIn.post(SiteURL.projects(.submit(.key)).pathComponents, use: ProjectController.submit)
    signedIn.post(SiteURL.projects(.addMember(.key)).pathComponents, use: ProjectController.addMember)
    signedIn.post(SiteURL.projects(.inviteMember(.key)).pathComponents, use: ProjectController.invite)
    signedIn.get(SiteURL.projects(.teamChoices(.key)).pathComponents, use: ProjectController.teamChoices)
    signedIn.post(
        SiteURL.projects(.removeMember(project: .key, member: .key)).pathComponents, use: ProjectController.removeMember
    )
    signedIn.post(SiteURL.projects(.postUpdate(.key)).pathComponents, use: ProjectController.postUpdate)
    signedIn.post(SiteURL.projects(.comment(.key)).pathComponents, use: ProjectController.comment)

    signedIn.post(SiteURL.projects(.decide(.key)).pathComponents, use: ForumController.decide)
    signedIn.post(SiteURL.projects(.close(.key)).pathComponents, use: ProjectController.close)
    signedIn.post(SiteURL.projects(.answerSlippingGains(.key)).pathComponents, use: SustainingController.answer)

    signedIn.get(SiteURL.projects(.newMeasure(.key)).pathComponents, use: MeasureController.new)
    signedIn.post(SiteURL.projects(.addMeasure(.key)).pathComponents, use: MeasureController.create)
    signedIn.get(SiteURL.measures(.show(.key)).pathComponents, use: MeasureController.show)
    signedIn.get(SiteURL.measures(.edit(.key)).pathComponents, use: MeasureController.edit)
    signedIn.post(SiteURL.measures(.update(.key)).pathComponents, use: MeasureController.update)
    signedIn.upload(
        SiteURL.measures(.previewData(.key)).pathComponents, maxSize: "10mb", use: MeasureController.previewData)
    signedIn.upload(
        SiteURL.measures(.importData(.key)).pathComponents, maxSize: "10mb", use: MeasureController.importData)
    signedIn.post(SiteURL.measures(.annotate(.key)).pathComponents, use: MeasureController.annotate)
    signedIn.post(SiteURL.measures(.phaseBreak(.key)).pathComponents, use: MeasureController.phaseBreak)
    signedIn.post(
        SiteURL.measures(.removeAnnotation(measure: .key, annotation: .key)).pathComponents,
        use: MeasureController.removeAnnotation)
    signedIn.post(
        SiteURL.measures(.removePhase(measure: .key, phase: .key)).pathComponents, use: MeasureController.removePhase)
    signedIn.post(SiteURL.measures(.enterData(.key)).pathComponents, use: MeasureController.enterData)
    signedIn.post(
        SiteURL.measures(.removeDataPoint(measure: .key, period: .key)).pathComponents,
        use: MeasureController.removeDataPoint)
    signedIn.post(SiteURL.measures(.followStandard(.key)).pathComponents, use: MeasureController.followStandard)
    signedIn.get(SiteURL.measures(.chartSVG(.key)).pathComponents, use: MeasureController.chartSVG)
    signedIn.get(SiteURL.measures(.dataCSV(.key)).pathComponents, use: MeasureController.dataCSV)

    DriverDiagramController.register(on: signedIn)
    AnnualPlanController.register(on: signedIn)
    CourseController.register(on: signedIn)
    CapabilityController.register(on: signedIn)
    HuddleController.register(on: signedIn)
    WalkRoundController.register(on: signedIn)

    signedIn.get(SiteURL.projects(.newCycle(.key)).pathComponents, use: PDSAController.new)
    signedIn.post(SiteURL.projects(.planCycle(.key)).pathComponents, use: PDSAController.create)
    signedIn.get(SiteURL.cycles(.show(.key)).pathComponents, use: PDSAController.show)
    signedIn.get(SiteURL.cycles(.editPlan(.key)).pathComponents, use: PDSAController.editPlan)
    signedIn.post(SiteURL.cycles(.updatePlan(.key)).pathComponents, use: PDSAController.updatePlan)
    signedIn.post(SiteURL.cycles(.start(.key)).pathComponents, use: PDSAController.start)
    signedIn.post(SiteURL.cycles(.record(.key)).pathComponents, use: PDSAController.record)
    signedIn.post(SiteURL.cycles(.act(.key)).pathComponents, use: PDSAController.act)

    signedIn.get(SiteURL.projects(.newStory(.key)).pathComponents, use: StoryController.new)
    signedIn.post(SiteURL.projects(.addStory(.key)).pathComponents, use: StoryController.create)
    signedIn.get(SiteURL.stories(.show(.key)).pathComponents, use: StoryController.show)
    signedIn.get(SiteURL.stories(.edit(.key)).pathComponents, use: StoryController.edit)
    signedIn.post(SiteURL.stories(.update(.key)).pathComponents, use: StoryController.update)

    signedIn.get(SiteURL.strategy(.show).pathComponents, use: StrategyController.show)
    signedIn.get(SiteURL.strategy(.editAim).pathComponents, use: StrategyController.editAim)
    signedIn.post(SiteURL.strategy(.saveAim).pathComponents, use: StrategyController.saveAim)
    signedIn.get(SiteURL.strategy(.newObjective).pathComponents, use: StrategyController.newObjective)
    signedIn.post(SiteURL.strategy(.createObjective).pathComponents, use: StrategyController.createObjective)
    signedIn.get(SiteURL.strategy(.editObjective(.key)).pathComponents, use: StrategyController.editObjective)
    signedIn.post(SiteURL.strategy(.updateObjective(.key)).pathComponents, use: StrategyController.updateObjective)
    signedIn.post(SiteURL.strategy(.archiveObjective(.key)).pathComponents, use: StrategyController.archiveObjective)
    signedIn.post(SiteURL.strategy(.restoreObjective(.key)).pathComponents, use: StrategyController.restoreObjective)
    signedIn.get(SiteURL.strategy(.newPriority).pathComponents, use: StrategyController.newPriority)
    signedIn.post(SiteURL.strategy(.createPriority).pathComponents, use: StrategyController.createPriority)
    signedIn.get(SiteURL.strategy(.editPriority(.key)).pathComponents, use: StrategyController.editPriority)
    signedIn.post(SiteURL.strategy(.updatePriority(.key)).pathComponents, use: StrategyController.updatePriority)
    signedIn.post(SiteURL.strategy(.archivePriority(.key)).pathComponents, use: StrategyController.archivePriority)
    signedIn.post(SiteURL.strategy(.restorePriority(.key)).pathComponents, use: StrategyController.restorePriority)
    signedIn.get(SiteURL.standardMeasures(.index).pathComponents, use: StandardMeasureController.index)
    signedIn.get(SiteURL.standardMeasures(.new).pathComponents, use: StandardMeasureController.new)
    signedIn.post(SiteURL.standardMeasures(.create).pathComponents, use: StandardMeasureController.create)
    signedIn.get(SiteURL.standardMeasures(.show(.key)).pathComponents, use: StandardMeasureController.show)
    signedIn.get(SiteURL.standardMeasures(.edit(.key)).pathComponents, use: StandardMeasureController.edit)
    signedIn.post(SiteURL.standardMeasures(.update(.key)).pathComponents, use: StandardMeasureController.update)
    signedIn.post(SiteURL.standardMeasures(.archive(.key)).pathComponents, use: StandardMeasureController.archive)
    signedIn.post(SiteURL.standardMeasures(.restore(.key)).pathComponents, use: StandardMeasureController.restore)
    signedIn.get(SiteURL.programmes(.index).pathComponents, use: ProgrammeController.index)
    signedIn.get(SiteURL.programmes(.new).pathComponents, use: ProgrammeController.new)
    signedIn.post(SiteURL.programmes(.create).pathComponents, use: ProgrammeController.create)
    signedIn.get(SiteURL.programmes(.show(.key)).pathComponents, use: ProgrammeController.show)
    signedIn.get(SiteURL.programmes(.edit(.key)).pathComponents, use: ProgrammeController.edit)
    signedIn.post(SiteURL.programmes(.update(.key)).pathComponents, use: ProgrammeController.update)
    signedIn.post(SiteURL.programmes(.addPerson(.key)).pathComponents, use: ProgrammeController.addPerson)
    signedIn.post(
        SiteURL.programmes(.removePerson(programme: .key, member: .key)).pathComponents,
        use: ProgrammeController.removePerson)
    signedIn.post(SiteURL.programmes(.moveStage(.key)).pathComponents, use: ProgrammeController.moveStage)
    signedIn.post(SiteURL.programmes(.planSession(.key)).pathComponents, use: ProgrammeController.planSession)
    signedIn.get(SiteURL.programmes(.dashboard(.key)).pathComponents, use: ProgrammeDashboardController.show)
    signedIn.get(SiteURL.programmes(.evaluation(.key)).pathComponents, use: ProgrammeEvaluationController.show)
    signedIn.get(SiteURL.learningSessions(.show(.key)).pathComponents, use: LearningSessionController.show)
    signedIn.post(SiteURL.learningSessions(.update(.key)).pathComponents, use: LearningSessionController.update)
    signedIn.post(SiteURL.learningSessions(.register(.key)).pathComponents, use: LearningSessionController.register)

    signedIn.get(SiteURL.forums(.index).pathComponents, use: ForumController.index)
    signedIn.get(SiteURL.forums(.show(.key)).pathComponents, use: ForumController.show)
    signedIn.post(SiteURL.forums(.schedule(.key)).pathComponents, use: ForumController.schedule)
    signedIn.get(SiteURL.forums(.meeting(.key)).pathComponents, use: ForumController.meeting)

    signedIn.get(SiteURL.audit.pathComponents, use: AuditController.index)
    signedIn.get(SiteURL.apiTokens(.index).pathComponents, use: APITokenController.index)
    signedIn.post(SiteURL.apiTokens(.issue).pathComponents, use: APITokenController.issue)
    signedIn.post(SiteURL.apiTokens(.revoke(.key)).pathComponents, use: APITokenController.revoke)

    signedIn.get(SiteURL.api(.units).pathComponents, use: UnitAPIController.index)
    signedIn.post(SiteURL.api(.units).pathComponents, use: UnitAPIController.create)
    signedIn.get(SiteURL.api(.unit(.key)).pathComponents, use: UnitAPIController.show)
    signedIn.put(SiteURL.api(.unit(.key)).pathComponents, use: UnitAPIController.update)
    signedIn.get(SiteURL.api(.people).pathComponents, use: PersonAPIController.index)
    signedIn.post(SiteURL.api(.people).pathComponents, use: PersonAPIController.create)
    signedIn.get(SiteURL.api(.person(.key)).pathComponents, use: PersonAPIController.show)
    signedIn.put(SiteURL.api(.person(.key)).pathComponents, use: PersonAPIController.update)
    signedIn.get(SiteURL.api(.projects).pathComponents, use: ProjectAPIController.index)
    signedIn.post(SiteURL.api(.projects).pathComponents, use: ProjectAPIController.create)
    signedIn.get(SiteURL.api(.project(.key)).pathComponents, use: ProjectAPIController.show)
    signedIn.put(SiteURL.api(.project(.key)).pathComponents, use: ProjectAPIController.update)
    signedIn.post(SiteURL.api(.projectDrivers(.key)).pathComponents, use: ProjectAPIController.addDriver)
    signedIn.post(SiteURL.api(.projectChangeIdeas(.key)).pathComponents, use: ProjectAPIController.addChangeIdea)
    signedIn.post(SiteURL.api(.projectCycles(.key)).pathComponents, use: ProjectAPIController.planCycle)
    signedIn.get(SiteURL.api(.measureChart(.key)).pathComponents, use: MeasureController.chartJSON)
    signedIn.get(SiteURL.api(.programmes).pathComponents, use: ProgrammeAPIController.index)
    signedIn.get(SiteURL.api(.programme(.key)).pathComponents, use: ProgrammeAPIController.show)
    signedIn.get(SiteURL.api(.courses).pathComponents, use: CourseAPIController.index)
    signedIn.get(SiteURL.api(.capability).pathComponents, use: CapabilityAPIController.show)
    signedIn.get(SiteURL.api(.involvement).pathComponents, use: InvolvementAPIController.show)
    signedIn.post(SiteURL.api(.huddles).pathComponents, use: HuddleAPIController.create)
    signedIn.get(SiteURL.api(.escalations).pathComponents, use: HuddleAPIController.escalations)
    signedIn.get(SiteURL.api(.walkRounds).pathComponents, use: WalkRoundAPIController.index)
    signedIn.get(SiteURL.api(.unitQuality(.key)).pathComponents, use: UnitQualityController.api)
    signedIn.get(SiteURL.api(.cohort(.key)).pathComponents, use: CourseAPIController.cohort)
    signedIn.post(SiteURL.api(.cohortAttendance(.key)).pathComponents, use: CourseAPIController.takeRegister)
    signedIn.get(SiteURL.api(.priorities).pathComponents, use: StrategyAPIController.index)
    signedIn.post(SiteURL.api(.priorities).pathComponents, use: StrategyAPIController.create)
    signedIn.get(SiteURL.api(.priority(.key)).pathComponents, use: StrategyAPIController.show)
    signedIn.put(SiteURL.api(.priority(.key)).pathComponents, use: StrategyAPIController.update)
    signedIn.post(SiteURL.api(.objectives).pathComponents, use: StrategyAPIController.createObjective)
    signedIn.get(SiteURL.api(.objective(.key)).pathComponents, use: StrategyAPIController.showObjective)
    signedIn.put(SiteURL.api(.objective(.key)).pathComponents, use: StrategyAPIController.updateObjective)
    signedIn.get(SiteURL.api(.strategy).pathComponents, use: StrategyAPIController.strategy)
    // A data warehouse sends an API token rather than a session, so this one route decides itself.
    app.upload(
        SiteURL.api(.measuresData).pathComponents, maxSize: DataUploadPage.maximumSize,
        use: MeasureDataAPIController.load)
    app.get(SiteURL.api(.openAPI).pathComponents, use: MeasureDataAPIController.openAPI)

    // Any other /api path answers 401 without a session and 404 with one, as JSON.
    signedIn.get(["api", "**"]) { _ -> Response in throw Abort(.notFound, reason: "There is no such API endpoint.") }
}

extension RoutesBuilder {
    /// A POST route whose body may be larger than a form's (a CSV file, a batch of data). The
    /// limit is kept on the route too, because the anti-forgery check reads the body before the
    /// route does and must allow the same size.
    @discardableResult
    func upload(
        _ path: [PathComponent], maxSize: ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(.POST, path, body: .collect(maxSize: maxSize)) { request in
            try UploadLimit.check(request)
            return try await closure(request)
        }
        route.userInfo[UploadLimit.key] = maxSize.value
        return route
    }
}

/// Where an upload route keeps its body limit.
enum UploadLimit {
    static let key = "openqi.maxBodySize"

    /// The largest body this request's route takes.
    static func of(_ request: Request) -> Int {
        request.route?.userInfo[key] as? Int ?? request.application.routes.defaultMaxBodySize.value
    }

    /// Whether the request's route takes files or batches of data, rather than a form or JSON.
    static func isUpload(_ request: Request) -> Bool { request.route?.userInfo[key] != nil }

    /// A limit as a person reads it: "20 MB", "256 KB".
    static func described(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? "\(bytes / (1024 * 1024)) MB" : "\(max(1, bytes / 1024)) KB"
    }

    /// Refuses a body already read that is over the limit. A streamed body is refused while it is
    /// read; this catches one handed over whole (as the tests do), before anything parses it.
    static func check(_ request: Request) throws {
        if let bytes = request.body.data?.readableBytes, bytes > of(request) { throw Abort(.payloadTooLarge) }
    }
}
