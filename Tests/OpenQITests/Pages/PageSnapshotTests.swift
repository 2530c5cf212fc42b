import Foundation
import SnapshotTesting
import Testing

@testable import OpenQI

/// Every page drawn from its model's `.mock`, compared line by line with the HTML recorded in
/// `__Snapshots__`: a change to what a page shows is seen in review as a change to its snapshot.
/// To record a page anew, delete its file and run the tests (or set `SNAPSHOT_TESTING_RECORD=all`).
@Suite("Pages drawn from mocks")
struct PageSnapshotTests {
    /// The page's HTML, one element a line, so a snapshot's diff reads as the page's.
    static func html(_ page: Layout) -> String {
        page.render().replacingOccurrences(of: "><", with: ">\n<") + "\n"
    }

    /// Two forms on a page sharing ids send a label, an error link or a screen reader to the first
    /// form's field: every recorded page is checked, so a new form without its own anchor is caught.
    @Test("no page repeats an element id")
    func uniqueIDs() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("__Snapshots__/PageSnapshotTests")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(files.count >= 30)
        for file in files {
            let html = try String(contentsOf: file, encoding: .utf8)
            let ids = html.matches(of: /\sid="([^"]+)"/).map { String($0.output.1) }
            let repeated = Set(ids.filter { id in ids.filter { $0 == id }.count > 1 })
            #expect(repeated.isEmpty, "\(file.lastPathComponent) repeats \(repeated.sorted())")
        }
    }

    @Test func errorPage() {
        assertSnapshot(of: Self.html(ErrorPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func signIn() { assertSnapshot(of: Self.html(SignIn.View(context: Mock.context, model: .mock)), as: .lines) }
    @Test func signInThroughProvider() {
        assertSnapshot(of: Self.html(SignIn.View(context: Mock.context, model: .singleSignOnMock)), as: .lines)
    }
    @Test func changePassword() {
        assertSnapshot(of: Self.html(ChangePassword.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func home() { assertSnapshot(of: Self.html(Home.View(context: Mock.context, model: .mock)), as: .lines) }
    @Test func unitIndex() {
        assertSnapshot(of: Self.html(UnitIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func unitShow() {
        assertSnapshot(of: Self.html(UnitShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func personIndex() {
        assertSnapshot(of: Self.html(PersonIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func forumIndex() {
        assertSnapshot(of: Self.html(ForumIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func auditLog() {
        assertSnapshot(of: Self.html(AuditLog.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func projectShow() {
        assertSnapshot(
            of: Self.html(ProjectShow.View(context: Mock.context, model: ProjectShow.Model.mock)), as: .lines)
    }
    @Test func completedProjectWithSlippingGains() {
        assertSnapshot(
            of: Self.html(ProjectShow.View(context: Mock.context, model: ProjectShow.Model.completedMock)),
            as: .lines)
    }
    @Test func projectIndex() {
        assertSnapshot(
            of: Self.html(ProjectIndex.View(context: Mock.context, model: ProjectIndex.Model.mock)), as: .lines)
    }
    @Test func projectForm() {
        assertSnapshot(
            of: Self.html(ProjectForm.View(context: Mock.context, model: ProjectForm.Model.mock)), as: .lines)
    }
    @Test func pdsaShow() {
        assertSnapshot(of: Self.html(PDSAShow.View(context: Mock.context, model: PDSAShow.Model.mock)), as: .lines)
    }
    @Test func pdsaForm() {
        assertSnapshot(of: Self.html(PDSAForm.View(context: Mock.context, model: PDSAForm.Model.mock)), as: .lines)
    }
    @Test func driverDiagram() {
        assertSnapshot(
            of: Self.html(DriverDiagramPage.View(context: Mock.context, model: DriverDiagramPage.Model.mock)),
            as: .lines)
    }
    @Test func programmeDiagram() {
        assertSnapshot(
            of: Self.html(DriverDiagramPage.View(context: Mock.context, model: DriverDiagramPage.Model.programmeMock)),
            as: .lines)
    }
    @Test func teamDiagramInProgramme() {
        assertSnapshot(
            of: Self.html(DriverDiagramPage.View(context: Mock.context, model: DriverDiagramPage.Model.teamMock)),
            as: .lines)
    }
    @Test func storyShow() {
        assertSnapshot(of: Self.html(StoryShow.View(context: Mock.context, model: StoryShow.Model.mock)), as: .lines)
    }
    @Test func storyForm() {
        assertSnapshot(of: Self.html(StoryForm.View(context: Mock.context, model: StoryForm.Model.mock)), as: .lines)
    }
    @Test func personShow() {
        assertSnapshot(of: Self.html(PersonShow.View(context: Mock.context, model: PersonShow.Model.mock)), as: .lines)
    }
    @Test func personForm() {
        assertSnapshot(of: Self.html(PersonForm.View(context: Mock.context, model: PersonForm.Model.mock)), as: .lines)
    }
    @Test func unitForm() {
        assertSnapshot(of: Self.html(UnitForm.View(context: Mock.context, model: UnitForm.Model.mock)), as: .lines)
    }
    @Test func measureShow() {
        assertSnapshot(
            of: Self.html(MeasureShow.View(context: Mock.context, model: MeasureShow.Model.mock)), as: .lines)
    }
    @Test func measureForm() {
        assertSnapshot(
            of: Self.html(MeasureForm.View(context: Mock.context, model: MeasureForm.Model.mock)), as: .lines)
    }
    @Test func measureEditForm() {
        assertSnapshot(
            of: Self.html(MeasureForm.View(context: Mock.context, model: MeasureForm.Model.editMock)), as: .lines)
    }
    @Test func forumShow() {
        assertSnapshot(of: Self.html(ForumShow.View(context: Mock.context, model: ForumShow.Model.mock)), as: .lines)
    }
    @Test func forumAgenda() {
        assertSnapshot(
            of: Self.html(ForumAgenda.View(context: Mock.context, model: ForumAgenda.Model.mock)), as: .lines)
    }
    @Test func apiTokens() {
        assertSnapshot(
            of: Self.html(APITokenPage.View(context: Mock.context, model: APITokenPage.Model.mock)), as: .lines)
    }
    @Test func dataUploadForm() {
        assertSnapshot(
            of: Self.html(DataUploadPage.FormView(context: Mock.context, model: DataUploadPage.FormModel.mock)),
            as: .lines)
    }
    @Test func dataUploadCheck() {
        assertSnapshot(
            of: Self.html(DataUploadPage.View(context: Mock.context, model: DataUploadPage.Model.mock)), as: .lines)
    }
    @Test func dataUploadReady() {
        assertSnapshot(
            of: Self.html(DataUploadPage.View(context: Mock.context, model: DataUploadPage.Model.mockReady)), as: .lines
        )
    }
    @Test func earlyWarning() {
        assertSnapshot(
            of: Self.html(EarlyWarningPage.View(context: Mock.context, model: EarlyWarningPage.Model.mock)), as: .lines)
    }
    @Test func compareUnits() {
        assertSnapshot(
            of: Self.html(CompareUnitsPage.View(context: Mock.context, model: CompareUnitsPage.Model.mock)), as: .lines)
    }
    @Test func measuresSummary() {
        assertSnapshot(
            of: Self.html(MeasureSummaryPage.View(context: Mock.context, model: MeasureSummaryPage.Model.mock)),
            as: .lines)
    }
    @Test func boardReport() {
        assertSnapshot(
            of: Self.html(BoardReportPage.View(context: Mock.context, model: BoardReportPage.Model.mock)), as: .lines)
    }
    @Test func boardReportForm() {
        assertSnapshot(
            of: Self.html(BoardReportPage.FormView(context: Mock.context, model: BoardReportPage.FormModel.mock)),
            as: .lines)
    }
    @Test func portfolio() {
        assertSnapshot(
            of: Self.html(PortfolioPage.View(context: Mock.context, model: PortfolioPage.Model.mock)), as: .lines)
    }
    @Test func involvement() {
        assertSnapshot(
            of: Self.html(InvolvementPage.View(context: Mock.context, model: InvolvementAnalysis.mock)), as: .lines)
    }
    @Test func coachLoad() {
        assertSnapshot(
            of: Self.html(PortfolioPage.CoachesView(context: Mock.context, model: PortfolioPage.Model.mock)), as: .lines
        )
    }
    @Test func strategy() {
        assertSnapshot(of: Self.html(StrategyPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func annualPlan() {
        assertSnapshot(of: Self.html(AnnualPlanShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func courses() {
        assertSnapshot(of: Self.html(CourseIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func course() {
        assertSnapshot(of: Self.html(CourseShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func courseForm() {
        assertSnapshot(of: Self.html(CourseForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func cohortForm() {
        assertSnapshot(of: Self.html(CohortForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func cohortEditForm() {
        var model = CohortForm.Model.mock
        model.cohortID = Mock.id(175)
        model.cohortName = "Wave 9"
        model.form.values["version"] = "3"
        assertSnapshot(of: Self.html(CohortForm.View(context: Mock.context, model: model)), as: .lines)
    }
    @Test func cohort() {
        assertSnapshot(of: Self.html(CohortShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func capability() {
        assertSnapshot(of: Self.html(CapabilityPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func dosingPlanForm() {
        assertSnapshot(of: Self.html(DosingPlanForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func huddles() {
        assertSnapshot(of: Self.html(HuddlesPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func huddleForm() {
        assertSnapshot(of: Self.html(HuddleForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func huddleShow() {
        assertSnapshot(of: Self.html(HuddleShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func escalations() {
        assertSnapshot(of: Self.html(EscalationsPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func escalationShow() {
        assertSnapshot(of: Self.html(EscalationShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func unitQuality() {
        assertSnapshot(of: Self.html(UnitQualityPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func walkRounds() {
        assertSnapshot(of: Self.html(WalkRoundsPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func walkRoundForm() {
        assertSnapshot(of: Self.html(WalkRoundForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func walkRoundPlanned() {
        assertSnapshot(of: Self.html(WalkRoundShow.View(context: Mock.context, model: .planned)), as: .lines)
    }
    @Test func walkRoundHeld() {
        assertSnapshot(of: Self.html(WalkRoundShow.View(context: Mock.context, model: .held)), as: .lines)
    }
    @Test func coaches() {
        assertSnapshot(of: Self.html(CoachesPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func supervisionForm() {
        assertSnapshot(of: Self.html(SupervisionForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func attendanceUpload() {
        assertSnapshot(
            of: Self.html(AttendanceImportPage.FormView(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func attendanceCheck() {
        assertSnapshot(of: Self.html(AttendanceImportPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func cohortRegister() {
        assertSnapshot(of: Self.html(RegisterPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func annualPlanForm() {
        assertSnapshot(of: Self.html(AnnualPlanForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func strategyForm() {
        assertSnapshot(of: Self.html(StrategyForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func standardMeasures() {
        assertSnapshot(of: Self.html(StandardMeasureIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func standardMeasure() {
        assertSnapshot(of: Self.html(StandardMeasureShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func standardMeasureForm() {
        assertSnapshot(of: Self.html(MeasureForm.View(context: Mock.context, model: .standardMock)), as: .lines)
    }
    @Test func programmes() {
        assertSnapshot(of: Self.html(ProgrammeIndex.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func programme() {
        assertSnapshot(of: Self.html(ProgrammeShow.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func learningSession() {
        assertSnapshot(of: Self.html(LearningSessionPage.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func learningSessionRead() {
        var model = LearningSessionPage.Model.mock
        model.canManage = false
        assertSnapshot(of: Self.html(LearningSessionPage.View(context: Mock.context, model: model)), as: .lines)
    }
    @Test func programmeDashboard() {
        assertSnapshot(of: Self.html(ProgrammeDashboard.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func programmeEvaluation() {
        assertSnapshot(of: Self.html(ProgrammeEvaluation.View(context: Mock.context, model: .mock)), as: .lines)
    }
    @Test func programmeForm() {
        assertSnapshot(of: Self.html(ProgrammeForm.View(context: Mock.context, model: .mock)), as: .lines)
    }
}
