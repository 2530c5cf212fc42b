import Fluent
import Foundation
import Vapor

/// The board quality report: read it, write a month's, print it or save it as one file.
enum BoardReportController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await BoardReportPage.Model.query(
            unitID: try req.idParameter("unitID"), month: try BoardReportPage.month(req.query["month"]),
            policy: policy, cache: try await req.cachedResults(), on: req.db)
        return BoardReportPage.View(context: try await req.pageContext(), model: model).response()
    }

    /// The report as one HTML file, stylesheet and charts inside, to send with the board papers.
    @Sendable static func export(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await BoardReportPage.Model.query(
            unitID: try req.idParameter("unitID"), month: try BoardReportPage.month(req.query["month"]),
            policy: policy, cache: try await req.cachedResults(), on: req.db)
        let response = BoardReportPage.View(context: .standalone(stylesheet: Stylesheet.text), model: model).response()
        response.headers.contentDisposition = .init(
            .attachment, filename: "board-report-\(model.monthParameter).html")
        return response
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let (unitID, policy) = try await req.unitForMeasures()
        let model = try await BoardReportPage.FormModel.query(
            unitID: unitID, month: try BoardReportPage.month(req.query["month"]), policy: policy, on: req.db)
        return BoardReportPage.FormView(context: try await req.pageContext(), model: model).response()
    }

    /// Saves the month's choice of measures, narratives and stories together; a mistake keeps
    /// everything typed.
    @Sendable static func save(req: Request) async throws -> Response {
        let (unitID, policy) = try await req.unitForMeasures()
        let fields = try req.content.decode([String: String].self)
        let month = try BoardReportPage.month(fields["month"])
        var validator = Validator()
        let title = validator.optionalText(
            fields["patient_story_title"], field: "patient_story_title", label: "the title", maxLength: 160)
        let patientStory = validator.optionalText(
            fields["patient_story"], field: "patient_story", label: "the patient story", maxLength: 20_000)
        let storyID = validator.identifier(
            fields["improvement_story"], field: "improvement_story", label: "story", required: false)
        if let storyID {
            let choices = try await BoardReportPage.FormModel.storyChoices(
                unitID: unitID, tree: policy.tree, keeping: storyID, on: req.db)
            if !choices.contains(where: { $0.value == storyID.uuidString }) {
                validator.fail(
                    "improvement_story",
                    "Choose a story from the list: this one is not a story of a project in \(policy.tree.path(of: unitID))."
                )
            }
        }
        // The version the form began from (0 when the month had no report yet): without it a save
        // could overwrite, unseen, what someone saved meanwhile.
        let expected = fields["version"].flatMap { Int($0) }
        if expected == nil {
            for missing in ValidationFailure.versionMissing(of: "board report").errors {
                validator.fail(missing.field, missing.message)
            }
        }
        let measures = try await Measure.query(on: req.db).filter(\.$unit.$id == unitID).filter(\.$project.$id == nil)
            .filter(\.$archivedAt == nil).all()
        var narratives: [String: String] = [:]
        var aims: [String: TripleAim] = [:]
        for measure in measures {
            let id = try measure.requireID().uuidString
            narratives[id] = validator.optionalText(
                fields["narrative-\(id)"], field: "narrative-\(id)", label: "the narrative", maxLength: 4000)
            let aim = fields["aim-\(id)"] ?? ""
            if let chosen = TripleAim(rawValue: aim) {
                aims[id] = chosen
            } else if !aim.isEmpty {
                validator.fail("aim-\(id)", "Choose an aim from the list, or “Not on the report”.")
            }
        }
        guard validator.errors.isEmpty else {
            let model = try await BoardReportPage.FormModel.query(
                unitID: unitID, month: month, policy: policy, submitted: fields, errors: validator.errors, on: req.db)
            return BoardReportPage.FormView(context: try await req.pageContext(), model: model)
                .response(status: .unprocessableEntity)
        }
        let actor = policy.viewer.actor
        let (chosen, written) = (aims, narratives)
        let changed: Bool
        do {
            changed = try await save(
                month: month, unitID: unitID, measures: measures, aims: chosen, narratives: written,
                patientStory: (title, patientStory), storyID: storyID, expecting: expected ?? 0, by: actor, on: req.db)
        } catch let conflict as EditConflict<BoardReport> {
            let saved = BoardReportPage.FormModel.values(of: conflict.saved, measures: measures)
            let latest = try await AuditEntry.latest(about: conflict.saved.requireID(), on: req.db)
            let labels =
                [
                    ("patient_story_title", "The patient story's title"), ("patient_story", "The patient story"),
                    ("improvement_story", "The improvement story"),
                ]
                + measures.compactMap { measure in
                    measure.id.map { ("narrative-\($0.uuidString)", "What \(measure.name) shows") }
                }
            var typed = fields
            typed["version"] = saved["version"]
            // The saved story by its title, not its id.
            let story = try await conflict.saved.$improvementStory.get(on: req.db)
            let errors = FieldError.conflict(
                typed: fields, saved: saved, labels: labels, savedBy: latest?.actorName, at: latest?.occurredAt,
                record: "board report", shownAs: ["improvement_story": story?.title ?? ""])
            let model = try await BoardReportPage.FormModel.query(
                unitID: unitID, month: month, policy: policy, submitted: typed, errors: errors, on: req.db)
            return BoardReportPage.FormView(context: try await req.pageContext(), model: model)
                .response(status: .conflict)
        }
        return req.redirect(
            to: SiteURL.units(.boardReport(.value(unitID))).relativeURL(query: [("month", month.text)]),
            notice: changed
                ? "The board report for \(month.label) was saved."
                : "Nothing had changed: the board report for \(month.label) is as it was.")
    }

    /// Writes the month's report and remembers each measure's aim, in one transaction; throws
    /// `EditConflict` when someone saved the report after the form began from version `expected`.
    private static func save(
        month: CalendarMonth, unitID: UUID, measures: [Measure], aims chosen: [String: TripleAim],
        narratives written: [String: String], patientStory: (title: String?, text: String?), storyID: UUID?,
        expecting expected: Int, by actor: Actor, on db: any Database
    ) async throws -> Bool {
        let (title, patientStory) = patientStory
        do {
            return try await write()
        } catch let refused where (refused as? any DatabaseError)?.isConstraintFailure == true {
            // Another first save for the month was committed between our look and our insert:
            // the unique index refused ours, and theirs is what the person needs to see.
            guard expected == 0, let saved = try await BoardReport.find(unitID: unitID, month: month, on: db) else {
                throw refused
            }
            throw EditConflict(saved: saved)
        }

        func write() async throws -> Bool {
            try await db.transaction { db -> Bool in
                // The choice is remembered on the measures too: next month's report starts from it.
                for measure in measures {
                    let aim = chosen[try measure.requireID().uuidString]
                    guard aim != measure.tripleAim else { continue }
                    let before = measure.auditFields
                    measure.tripleAim = aim
                    try await measure.saveAudited(.update, by: actor, before: before, on: db)
                }
                let found = try await BoardReport.find(unitID: unitID, month: month, on: db)
                // Someone wrote the month's report after this form was opened on none.
                if let found, expected == 0 { throw EditConflict(saved: found) }
                let report = found ?? BoardReport(unitID: unitID, month: month.start)
                let before = report.id == nil ? [:] : report.auditFields
                // Measures archived since the report was written are not on the form; they stay as they were.
                let onForm = Set(try measures.map { try $0.requireID().uuidString })
                report.narratives = report.narratives.filter { !onForm.contains($0.key) }.merging(written) { $1 }
                report.measureAims = (report.measureAims ?? [:]).filter { !onForm.contains($0.key) }.merging(chosen) {
                    $1
                }
                report.patientStoryTitle = title
                report.patientStory = patientStory
                report.$improvementStory.id = storyID
                guard report.id == nil || report.auditFields != before else { return false }
                try await report.saveAudited(
                    report.id == nil ? .create : .update, by: actor, before: before,
                    expecting: report.id == nil ? nil : expected, on: db)
                return true
            }
        }
    }
}
